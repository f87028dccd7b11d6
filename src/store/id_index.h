// The writer's index of idempotency ids, in memory: each id's 64-bit hash
// (IdHash) to the seq of the entry recorded with it. It is read from the
// ledger's 'j' rows (keys.h: one row per append, the hashes of its new
// entries in seq order) and grows as appends are written.
//
// A hash is not an id: two ids may share one (with 64 bits, about one pair
// in 2^64 / n² for n ids, and more often for ids made to collide on
// purpose), so the ledger reads a candidate's entry back and compares the
// ids before it calls an id recorded (RocksLedger::RecordedEntry). A
// collision costs one read; it never makes two ids one.
//
// Open addressing with linear probing, at most half full: a look-up of an
// absent id (nearly every one an append makes) ends at an empty slot after
// about 2.5 probes. The slot an id starts at is taken from the high bits of
// its hash times an odd number drawn once per index, so ids chosen to agree
// in the hash bits used for slots do not pile up in one run of slots.
#ifndef CUNZHANG_STORE_ID_INDEX_H_
#define CUNZHANG_STORE_ID_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace cunzhang::store_impl {

// XXH3_64bits of the id's bytes (xxHash 0.8: its output is fixed from 0.8.0
// on), as stored in the 'j' rows.
uint64_t IdHash(std::string_view id);

class IdIndex {
 public:
  IdIndex();

  // Records entry `seq` under `hash`. Seqs are added once each.
  void Add(uint64_t hash, uint64_t seq);
  // Makes room for `count` ids in all without growing again.
  void Reserve(size_t count);
  void Clear();
  size_t size() const { return count_; }

  // Starts fetching the slot a look-up of `hash` begins at into the cache.
  // No branch around the prefetch: GCC 12 deletes a __builtin_prefetch that
  // sits under a condition (it did here, `if (count_ != 0)`, and every
  // look-up then missed the cache). The address is computed as an integer:
  // for an empty index it points nowhere, which a prefetch, never a fault,
  // allows.
  void Prefetch(uint64_t hash) const {
    const uintptr_t base = reinterpret_cast<uintptr_t>(slots_.data());
    __builtin_prefetch(reinterpret_cast<const void*>(base + sizeof(Slot) * Home(hash)));
  }

  // Calls fn(seq) for every seq added under `hash` (usually none, rarely
  // more than one) until it returns true; returns whether one did.
  template <typename Fn>
  bool AnyOf(uint64_t hash, Fn&& fn) const {
    if (count_ == 0) return false;
    for (size_t slot = Home(hash);; slot = (slot + 1) & mask_) {
      const Slot& s = slots_[slot];
      if (s.seq_plus_one == 0) return false;
      if (s.hash == hash && fn(s.seq_plus_one - 1)) return true;
    }
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint64_t seq_plus_one = 0;  // 0: empty
  };
  // An empty index (shift_ 64) has no home: masked, the shift stays defined.
  size_t Home(uint64_t hash) const {
    return static_cast<size_t>((hash * multiplier_) >> (shift_ & 63));
  }
  void Rebuild(size_t slots);
  void Place(uint64_t hash, uint64_t seq_plus_one);

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  unsigned shift_ = 64;
  size_t count_ = 0;
  uint64_t multiplier_;
};

}  // namespace cunzhang::store_impl

#endif  // CUNZHANG_STORE_ID_INDEX_H_
