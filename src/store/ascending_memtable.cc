#include "ascending_memtable.h"

#include <rocksdb/version.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <random>
#include <unordered_set>
#include <utility>

namespace cunzhang::store_impl {
namespace {

using rocksdb::KeyHandle;
using rocksdb::MemTableRep;
using rocksdb::Slice;
using KeyComparator = MemTableRep::KeyComparator;

// The keys, as RocksDB's encoded memtable entries, in chunks of kChunkKeys
// found through a directory of kChunksMax chunk pointers made once: nothing a
// reader holds ever moves. 16.7 million keys at most; a 64 MiB memtable holds
// far fewer (each key takes at least some 30 bytes of it), and past the last
// chunk the memtable falls back to the skip list like any other.
constexpr unsigned kChunkBits = 12;
constexpr size_t kChunkKeys = size_t{1} << kChunkBits;  // 32 KiB of pointers
constexpr size_t kChunksMax = 4096;

std::atomic<uint64_t> lookup_key_misreads{0};  // LookupKeyMisreadsForTesting
std::atomic<uint64_t> fallbacks{0};            // FallBacksForTesting

class AscendingRep final : public MemTableRep {
 public:
  AscendingRep(const KeyComparator& compare, rocksdb::Allocator* allocator,
               std::unique_ptr<MemTableRep> fallback)
      : MemTableRep(allocator),
        compare_(compare),
        fallback_(std::move(fallback)),
        chunks_(std::make_unique<std::unique_ptr<const char*[]>[]>(kChunksMax)) {}

  // Every key is allocated as a skip-list node, so that FallBack can link it
  // into the skip list as it is.
  KeyHandle Allocate(const size_t len, char** buf) override {
    return fallback_->Allocate(len, buf);
  }

  bool InsertKey(KeyHandle handle) override;
  void Insert(KeyHandle handle) override { InsertKey(handle); }
  bool InsertKeyWithHint(KeyHandle handle, void** /*hint*/) override { return InsertKey(handle); }
  void InsertWithHint(KeyHandle handle, void** /*hint*/) override { InsertKey(handle); }

  void Get(const rocksdb::LookupKey& k, void* callback_args,
           bool (*callback_func)(void* arg, const char* entry)) override;

  bool Contains(const char* key) const override {
    if (FellBack()) return fallback_->Contains(key);
    const size_t n = size_.load(std::memory_order_acquire);
    const size_t i = Bound(n, key);
    return i < n && compare_(At(i), key) == 0;
  }

  void MarkReadOnly() override { fallback_->MarkReadOnly(); }
  void MarkFlushed() override { fallback_->MarkFlushed(); }

  uint64_t ApproximateNumEntries(const Slice& start_ikey, const Slice& end_ikey) override {
    if (FellBack()) return fallback_->ApproximateNumEntries(start_ikey, end_ikey);
    const size_t n = size_.load(std::memory_order_acquire);
    const size_t first = Bound(n, start_ikey);
    const size_t last = Bound(n, end_ikey);
    return last > first ? last - first : 0;
  }

  void UniqueRandomSample(const uint64_t num_entries, const uint64_t target_sample_size,
                          std::unordered_set<const char*>* entries) override {
    if (FellBack()) {
      fallback_->UniqueRandomSample(num_entries, target_sample_size, entries);
      return;
    }
    const size_t n = size_.load(std::memory_order_acquire);
    if (target_sample_size >= n) {
      for (size_t i = 0; i < n; ++i) entries->insert(At(i));
      return;
    }
    std::mt19937_64 random(n);
    while (entries->size() < target_sample_size) entries->insert(At(random() % n));
  }

  size_t ApproximateMemoryUsage() override {
    return fallback_->ApproximateMemoryUsage() +
           chunks_made_.load(std::memory_order_relaxed) * kChunkKeys * sizeof(const char*);
  }

  MemTableRep::Iterator* GetIterator(rocksdb::Arena* arena) override;

 private:
  class Iter;

  bool FellBack() const { return fell_back_.load(std::memory_order_acquire); }
  const char* At(size_t i) const { return chunks_[i >> kChunkBits][i & (kChunkKeys - 1)]; }

  // The first of keys [0, n) not less than `target` (an encoded memtable
  // key, or an internal key as a Slice), or n; with `after`, the first
  // greater than it.
  template <class Target>
  size_t Bound(size_t n, const Target& target, bool after = false) const {
    size_t low = 0;
    size_t high = n;
    while (low < high) {
      const size_t mid = low + (high - low) / 2;
      const int order = compare_(At(mid), target);
      if (order < 0 || (after && order == 0)) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  // Links every key so far into the skip list, in order; it holds them all
  // from then on. Runs on the writing thread.
  void FallBack() {
    const size_t n = size_.load(std::memory_order_relaxed);
    for (size_t i = 0; i < n; ++i) fallback_->InsertKey(const_cast<char*>(At(i)));
    fell_back_.store(true, std::memory_order_release);
    fallbacks.fetch_add(1, std::memory_order_relaxed);
  }

  const KeyComparator& compare_;
  const std::unique_ptr<MemTableRep> fallback_;
  const std::unique_ptr<std::unique_ptr<const char*[]>[]> chunks_;
  std::atomic<size_t> chunks_made_{0};
  std::atomic<size_t> size_{0};  // keys in the array, published after their slots
  std::atomic<bool> fell_back_{false};
};

bool AscendingRep::InsertKey(KeyHandle handle) {
  if (fell_back_.load(std::memory_order_relaxed)) return fallback_->InsertKey(handle);
  const char* key = static_cast<const char*>(handle);
  const size_t n = size_.load(std::memory_order_relaxed);
  if ((n > 0 && compare_(At(n - 1), key) >= 0) || n == kChunksMax * kChunkKeys) {
    FallBack();
    return fallback_->InsertKey(handle);
  }
  const size_t chunk = n >> kChunkBits;
  if (chunk == chunks_made_.load(std::memory_order_relaxed)) {
    chunks_[chunk] = std::make_unique_for_overwrite<const char*[]>(kChunkKeys);
    chunks_made_.store(chunk + 1, std::memory_order_relaxed);
  }
  chunks_[chunk][n & (kChunkKeys - 1)] = key;
  size_.store(n + 1, std::memory_order_release);
  return true;
}

// The storage of an iterator whose destructor RocksDB ran in place (see
// GetIterator): freed by the next such destructor on the same thread, or when
// the thread ends, by which time that destructor has certainly returned.
// Freed or reused any earlier, it could be handed to another thread while
// this one still runs what is left of the destructor. The pointer itself is
// trivially destructible, so an iterator destroyed after the thread's
// thread_local destructors (at exit) still finds it; the reaper frees what it
// holds when the thread ends.
thread_local void* deferred_storage = nullptr;
struct DeferredReaper {
  DeferredReaper() = default;
  DeferredReaper(const DeferredReaper&) = delete;
  DeferredReaper& operator=(const DeferredReaper&) = delete;
  ~DeferredReaper() { ::operator delete(std::exchange(deferred_storage, nullptr)); }
};
thread_local DeferredReaper deferred_reaper;

// Over the array's keys, reading how many there are again whenever it is
// positioned and when it reaches the last: RocksDB keeps a memtable iterator
// across Iterator::Refresh and in tailing iterators, and expects it to find
// keys added since. Once the memtable has become a skip list, which alone
// holds the keys added after that, it goes on through an iterator of that.
class AscendingRep::Iter final : public MemTableRep::Iterator {
 public:
  Iter(const AscendingRep* rep, bool destroyed_in_place)
      : rep_(rep), destroyed_in_place_(destroyed_in_place) {}
  Iter(const Iter&) = delete;
  Iter& operator=(const Iter&) = delete;
  ~Iter() override {
    skip_list_.reset();
    if (destroyed_in_place_) {
      (void)&deferred_reaper;  // constructed on this thread, so it frees at the end
      ::operator delete(std::exchange(deferred_storage, this));
    }
  }

  bool Valid() const override { return skip_list_ ? skip_list_->Valid() : pos_ < size_; }
  const char* key() const override { return skip_list_ ? skip_list_->key() : rep_->At(pos_); }
  void Next() override {
    if (skip_list_) return skip_list_->Next();
    if (pos_ >= size_) return;
    if (++pos_ < size_) return;
    // At the end of what it knew of: keys may have come since.
    const char* last = rep_->At(pos_ - 1);
    if (SwitchedToSkipList()) {
      skip_list_->Seek(Slice(), last);
      skip_list_->Next();
      return;
    }
  }
  void Prev() override {
    if (skip_list_) return skip_list_->Prev();
    pos_ = pos_ == 0 || pos_ >= size_ ? size_ : pos_ - 1;
  }
  void Seek(const Slice& internal_key, const char* memtable_key) override {
    if (SwitchedToSkipList()) return skip_list_->Seek(internal_key, memtable_key);
    pos_ = memtable_key != nullptr ? rep_->Bound(size_, memtable_key)
                                   : rep_->Bound(size_, internal_key);
  }
  void SeekForPrev(const Slice& internal_key, const char* memtable_key) override {
    if (SwitchedToSkipList()) return skip_list_->SeekForPrev(internal_key, memtable_key);
    const size_t after = memtable_key != nullptr ? rep_->Bound(size_, memtable_key, true)
                                                 : rep_->Bound(size_, internal_key, true);
    pos_ = after == 0 ? size_ : after - 1;
  }
  void SeekToFirst() override {
    if (SwitchedToSkipList()) return skip_list_->SeekToFirst();
    pos_ = 0;
  }
  void SeekToLast() override {
    if (SwitchedToSkipList()) return skip_list_->SeekToLast();
    pos_ = size_ == 0 ? 0 : size_ - 1;
  }

 private:
  // Reads the memtable again: true (and skip_list_ made) once it is a skip
  // list; otherwise size_ is the count of keys now.
  bool SwitchedToSkipList() {
    if (skip_list_) return true;
    if (rep_->FellBack()) {
      skip_list_.reset(rep_->fallback_->GetIterator(nullptr));
      return true;
    }
    size_ = rep_->size_.load(std::memory_order_acquire);
    return false;
  }

  const AscendingRep* const rep_;
  size_t size_ = 0;
  size_t pos_ = 0;  // size_ or more: not valid
  std::unique_ptr<MemTableRep::Iterator> skip_list_;
  const bool destroyed_in_place_;
};

MemTableRep::Iterator* AscendingRep::GetIterator(rocksdb::Arena* arena) {
  if (FellBack()) return fallback_->GetIterator(arena);
  if (arena == nullptr) return new Iter(this, false);  // deleted by the caller
  // Given an arena (the caller's), RocksDB only runs the iterator's
  // destructor, never deletes it; but its Arena is not in its public
  // headers. So the iterator is allocated here, and its destructor has the
  // storage freed (deferred_storage).
  return new (::operator new(sizeof(Iter))) Iter(this, true);
}

// RocksDB's own MemTableRep::Get, which a memtable that does not override
// it gets, leaks the iterator it makes (a raw pointer, never deleted; the
// skip list and the other memtables of RocksDB override Get). So this one
// does; but LookupKey, the key it is given, is not in RocksDB's public
// headers. Its first members are three pointers into one buffer (RocksDB
// 7's db/dbformat.h, as in LevelDB): where the memtable key starts (a
// varint32 length, then the internal key), where the internal key starts,
// and where it ends; then the buffer for a short key. They are read as
// bytes and checked against each other and against where that buffer is;
// should they ever not fit, RocksDB's Get is used, which finds the same
// entries and leaks an iterator each time.
#if ROCKSDB_MAJOR != 7
#error \
    "ascending_memtable.cc reads rocksdb::LookupKey as RocksDB 7 lays it out: check db/dbformat.h of this version, then allow it here"
#endif
constexpr uintptr_t kLookupKeyInlineBytes = 200;  // LookupKey::space_

struct LookupKeyParts {
  const char* memtable_key = nullptr;
  Slice internal_key;
};

bool ReadLookupKey(const rocksdb::LookupKey& k, LookupKeyParts* parts) {
  const char* pointers[3];
  std::memcpy(pointers, &k, sizeof pointers);
  const char* start = pointers[0];
  const char* internal = pointers[1];
  const char* end = pointers[2];
  // A key of up to kLookupKeyInlineBytes is kept in the object itself, right
  // after the pointers (space_); a longer one on the heap. Nothing is read
  // through a pointer before it is found to be where one of the two would be.
  const auto address = [](const void* p) { return reinterpret_cast<uintptr_t>(p); };
  const uintptr_t in_place = address(&k) + sizeof pointers;
  const bool held_in_place = address(start) == in_place;
  if (held_in_place ? address(end) > in_place + kLookupKeyInlineBytes
                    : address(end) - address(start) <= kLookupKeyInlineBytes) {
    return false;
  }
  if (start == nullptr || internal <= start || internal - start > 5 || end < internal + 8) {
    return false;
  }
  // The varint32 before the internal key gives its length.
  uint32_t length = 0;
  unsigned shift = 0;
  const char* p = start;
  for (; p < internal; ++p, shift += 7) {
    const auto byte = static_cast<unsigned char>(*p);
    length |= static_cast<uint32_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) break;
  }
  if (p + 1 != internal || length != static_cast<size_t>(end - internal)) return false;
  parts->memtable_key = start;
  parts->internal_key = Slice(internal, length);
  return true;
}

void AscendingRep::Get(const rocksdb::LookupKey& k, void* callback_args,
                       bool (*callback_func)(void* arg, const char* entry)) {
  if (FellBack()) {
    fallback_->Get(k, callback_args, callback_func);
    return;
  }
  LookupKeyParts parts;
  if (!ReadLookupKey(k, &parts)) {
    lookup_key_misreads.fetch_add(1, std::memory_order_relaxed);
    MemTableRep::Get(k, callback_args, callback_func);
    return;
  }
  const size_t n = size_.load(std::memory_order_acquire);
  for (size_t i = Bound(n, parts.memtable_key); i < n && callback_func(callback_args, At(i)); ++i) {
  }
}

class AscendingFactory final : public rocksdb::MemTableRepFactory {
 public:
  using MemTableRepFactory::CreateMemTableRep;
  MemTableRep* CreateMemTableRep(const KeyComparator& compare, rocksdb::Allocator* allocator,
                                 const rocksdb::SliceTransform* transform,
                                 rocksdb::Logger* logger) override {
    std::unique_ptr<MemTableRep> fallback(
        skip_list_.CreateMemTableRep(compare, allocator, transform, logger));
    return new AscendingRep(compare, allocator, std::move(fallback));
  }
  const char* Name() const override { return "CunzhangAscendingMemTableFactory"; }

 private:
  rocksdb::SkipListFactory skip_list_;
};

}  // namespace

uint64_t LookupKeyMisreadsForTesting() { return lookup_key_misreads.load(); }
uint64_t FallBacksForTesting() { return fallbacks.load(); }

std::shared_ptr<rocksdb::MemTableRepFactory> AscendingMemTableFactory() {
  static const auto* factory =
      new std::shared_ptr<rocksdb::MemTableRepFactory>(std::make_shared<AscendingFactory>());
  return *factory;
}

}  // namespace cunzhang::store_impl
