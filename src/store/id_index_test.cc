#include "store/id_index.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace cunzhang::store_impl {
namespace {

std::set<uint64_t> SeqsOf(const IdIndex& index, uint64_t hash) {
  std::set<uint64_t> seqs;
  CHECK_FALSE(index.AnyOf(hash, [&](uint64_t seq) {
    seqs.insert(seq);
    return false;
  }));
  return seqs;
}

TEST_CASE("IdHash is XXH3-64 of the id's bytes, as stored in the ledger's 'j' rows", "[store]") {
  // As `printf '<id>' | xxhsum -H3` prints them (Debian's xxhash 0.8.1).
  CHECK(IdHash("") == 0x2d06800538d394c2ULL);
  CHECK(IdHash("a") == 0xe6c632b61e964e1fULL);
  CHECK(IdHash("bench-1-000000001") == 0x3ffb73a9d161e592ULL);
}

TEST_CASE("IdIndex finds every seq added under a hash, through growth, and nothing else",
          "[store]") {
  IdIndex index;
  CHECK_FALSE(index.AnyOf(IdHash("x"), [](uint64_t) { return true; }));
  std::map<uint64_t, uint64_t> seq_of_hash;
  for (uint64_t seq = 0; seq < 100'000; ++seq) {
    const uint64_t hash = IdHash("id-" + std::to_string(seq));
    index.Add(hash, seq);
    seq_of_hash[hash] = seq;
  }
  CHECK(index.size() == 100'000);
  for (const auto& [hash, seq] : seq_of_hash) CHECK(SeqsOf(index, hash) == std::set<uint64_t>{seq});
  for (uint64_t k = 0; k < 1000; ++k)
    CHECK(SeqsOf(index, IdHash("absent-" + std::to_string(k))).empty());
  index.Clear();
  CHECK(index.size() == 0);
  CHECK(SeqsOf(index, IdHash("id-7")).empty());
}

TEST_CASE("IdIndex keeps every seq of a shared hash and stops at the one asked for", "[store]") {
  IdIndex index;
  index.Reserve(4);
  // The same hash for three seqs (as for ids that collide), among others.
  for (uint64_t seq = 0; seq < 40; ++seq) index.Add(seq % 10 == 3 ? 42 : 1000 + seq, seq);
  CHECK(SeqsOf(index, 42) == std::set<uint64_t>{3, 13, 23, 33});
  std::vector<uint64_t> seen;
  CHECK(index.AnyOf(42, [&](uint64_t seq) {
    seen.push_back(seq);
    return seq == 13;
  }));
  CHECK(seen.back() == 13);  // no call after the one that said stop
  // Only seqs of that hash, each once. (Not in the order they were added: a
  // rehash while the index grows reinserts them in slot order, and slots are
  // salted per process, so an earlier claim that seq 3 comes before 13
  // failed about once in 30 runs.)
  std::set<uint64_t> distinct(seen.begin(), seen.end());
  CHECK(distinct.size() == seen.size());
  for (uint64_t seq : seen) CHECK((seq == 3 || seq == 13 || seq == 23 || seq == 33));
  CHECK(SeqsOf(index, 1000 + 3).empty());  // seq 3 went in under 42, not its own
  CHECK(SeqsOf(index, 1000 + 4) == std::set<uint64_t>{4});
}

}  // namespace
}  // namespace cunzhang::store_impl
