#include "id_index.h"

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <random>
#include <utility>

namespace cunzhang::store_impl {
namespace {

constexpr size_t kSlotsMin = 16;

}  // namespace

uint64_t IdHash(std::string_view id) { return XXH3_64bits(id.data(), id.size()); }

IdIndex::IdIndex() {
  std::random_device random;
  multiplier_ = ((static_cast<uint64_t>(random()) << 32) ^ random()) | 1;
}

void IdIndex::Clear() {
  slots_.clear();
  slots_.shrink_to_fit();
  mask_ = 0;
  shift_ = 64;
  count_ = 0;
}

void IdIndex::Reserve(size_t count) {
  const size_t wanted = std::bit_ceil(std::max(kSlotsMin, 2 * count));
  if (wanted > slots_.size()) Rebuild(wanted);
}

void IdIndex::Add(uint64_t hash, uint64_t seq) {
  if (2 * (count_ + 1) > slots_.size()) Rebuild(std::max(kSlotsMin, 2 * slots_.size()));
  Place(hash, seq + 1);
  ++count_;
}

void IdIndex::Place(uint64_t hash, uint64_t seq_plus_one) {
  size_t slot = Home(hash);
  while (slots_[slot].seq_plus_one != 0) slot = (slot + 1) & mask_;
  slots_[slot] = Slot{.hash = hash, .seq_plus_one = seq_plus_one};
}

void IdIndex::Rebuild(size_t slots) {
  std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(slots));
  mask_ = slots - 1;
  shift_ = 64 - static_cast<unsigned>(std::countr_zero(slots));
  for (const Slot& s : old) {
    if (s.seq_plus_one != 0) Place(s.hash, s.seq_plus_one);
  }
}

}  // namespace cunzhang::store_impl
