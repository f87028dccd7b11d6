// The store's layout on disk: Merkle nodes at the stored levels and proofs
// against a tree in memory, effects as rows (found again across batches,
// reopens and failed batches; an older layout migrated), damage detected.
#include <rocksdb/db.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cunzhang/domain.h"
#include "cunzhang/entry.h"
#include "cunzhang/limits.h"
#include "cunzhang/merkle.h"
#include "cunzhang/store.h"
#include "store/id_index.h"
#include "store/keys.h"
#include "store/ledger_test_util.h"
#include "store/rocks_ledger.h"
#include "test_util.h"
#include "typed_history.h"

namespace cunzhang {
namespace {

using namespace store_testing;  // NOLINT: the helpers of these tests

TEST_CASE("Roots and proofs agree with an in-memory tree for sizes 1 to 300", "[store]") {
  constexpr uint64_t kSizeMax = 300;
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  merkle::MemoryTree tree;
  std::vector<Hash256> roots{Sha256("")};
  // Batches of growing length cross every kind of peak merge.
  for (uint64_t batch = 1; ledger->size() < kSizeMax; ++batch) {
    AppendFresh(*ledger, std::min<uint64_t>(batch, kSizeMax - ledger->size()), batch);
    while (tree.size() < ledger->size()) {
      tree.Append(LeafHash(*ledger->EntryBytes(tree.size())));
      roots.push_back(tree.Root());
    }
    REQUIRE(ledger->root() == tree.Root());
  }
  // Reopening resumes the peaks: later appends still agree.
  ledger.reset();
  ledger = MustOpen(dir / "village", Ledger::Mode::kWrite);
  REQUIRE(ledger->root() == tree.Root());

  std::vector<std::string> failures;
  auto fail = [&](const std::string& what) { failures.push_back(what); };
  for (uint64_t size = 1; size <= kSizeMax; ++size) {
    auto root = ledger->RootAt(size);
    if (!root.ok() || *root != roots[size]) fail("root at " + std::to_string(size));
    for (uint64_t index = 0; index < size; ++index) {
      auto proof = ledger->InclusionProof(index, size);
      auto expected = merkle::InclusionProof(tree, index, size);
      const Hash256 leaf = LeafHash(*ledger->EntryBytes(index));
      if (!proof.ok() || !expected.ok() || *proof != *expected ||
          !merkle::VerifyInclusion(index, size, leaf, *proof, roots[size]).ok()) {
        fail("inclusion " + std::to_string(index) + " in " + std::to_string(size));
      }
    }
    for (uint64_t size1 = 1; size1 <= size; ++size1) {
      auto proof = ledger->ConsistencyProof(size1, size);
      auto expected = merkle::ConsistencyProof(tree, size1, size);
      if (!proof.ok() || !expected.ok() || *proof != *expected ||
          !merkle::VerifyConsistency(size1, size, *proof, roots[size1], roots[size]).ok()) {
        fail("consistency " + std::to_string(size1) + " to " + std::to_string(size));
      }
    }
  }
  INFO((failures.empty() ? std::string() : failures.front()));
  CHECK(failures.empty());

  AppendFresh(*ledger, 5, 5);
  for (uint64_t i = kSizeMax; i < kSizeMax + 5; ++i) tree.Append(LeafHash(*ledger->EntryBytes(i)));
  CHECK(ledger->root() == tree.Root());
}

TEST_CASE("Only Merkle levels 4 and 8 of 300 leaves are stored, each with its hash, and the "
          "entries alone in their column family",
          "[store]") {
  TempDir dir;
  merkle::MemoryTree tree;
  {
    auto ledger = MustCreate(dir / "village");
    AppendFresh(*ledger, 300, 7);
    for (uint64_t i = 0; i < 300; ++i) tree.Append(LeafHash(*ledger->EntryBytes(i)));
  }
  RawDb db(dir / "village");
  for (const auto& [key, value] : db.All(1)) CHECK(key[0] == store::kEntryPrefix);
  CHECK(db.All(1).size() == 300);
  std::map<char, size_t> per_prefix;
  std::vector<merkle::NodeId> nodes;
  for (const auto& [key, value] : db.All(0)) {
    ++per_prefix[key[0]];
    if (key[0] != store::kNodePrefix) continue;
    REQUIRE(key.size() == 2 + store::kSeqBytes);
    const merkle::NodeId id{.level = static_cast<unsigned char>(key[1]),
                            .index = *store::DecodeU64(key.substr(2))};
    nodes.push_back(id);
    auto expected = tree.PerfectNode(id);
    REQUIRE(expected.ok());
    CHECK(value == std::string(expected->view()));
  }
  // 300 / 16 = 18 nodes at level 4, 300 / 256 = 1 at level 8, none elsewhere.
  std::vector<merkle::NodeId> expected_nodes;
  for (uint64_t i = 0; i < 18; ++i) expected_nodes.push_back({.level = 4, .index = i});
  expected_nodes.push_back({.level = 8, .index = 0});
  CHECK(nodes == expected_nodes);
  // Beside the entries, one row of idempotency ids per append (300 in batches of 7: 43),
  // three metadata keys, no type index; the state snapshot in its own column family, one
  // effect per contribution in another.
  CHECK(per_prefix == std::map<char, size_t>{{'j', 43}, {'m', 3}, {'n', 19}});
  // Each row: the hashes of its append's ids, in seq order, keyed by the first seq.
  uint64_t covered = 0;
  for (const auto& [key, value] : db.All(0)) {
    if (key[0] != store::kIdHashesPrefix) continue;
    CHECK(store::SeqOfIdHashesKey(key) == std::optional<uint64_t>(covered));
    const uint64_t count = std::min<uint64_t>(7, 300 - covered);
    REQUIRE(value.size() == count * store::kSeqBytes);
    for (uint64_t k = 0; k < count; ++k) {
      CHECK(store::DecodeU64(value.substr(k * store::kSeqBytes, store::kSeqBytes)) ==
            std::optional<uint64_t>(store_impl::IdHash(Typed(covered + k).idempotency_id)));
    }
    covered += count;
  }
  CHECK(covered == 300);
  std::set<uint64_t> with_effect;  // contributions and share movements
  for (const auto& [key, value] : db.All(1)) {
    Result<Entry> entry = DecodeEntry(value);
    REQUIRE(entry.ok());
    if (entry->type.starts_with("contribution.") || entry->type.starts_with("share."))
      with_effect.insert(entry->seq);
  }
  REQUIRE(!with_effect.empty());
  const auto state_family = db.All(2);
  REQUIRE(state_family.size() == 1);
  CHECK(state_family[0].first == store::MetaKey(store::kMetaState));
  std::set<uint64_t> effects;
  for (const auto& [key, value] : db.All(3)) {
    REQUIRE(key.size() == 1 + store::kSeqBytes);
    REQUIRE(key[0] == store::kEffectPrefix);
    CHECK(domain::DeserializeEffect(value).ok());
    effects.insert(*store::DecodeU64(key.substr(1)));
  }
  CHECK(effects == with_effect);
}


// The writer keeps effects as rows, not in memory: a reversal must find the
// effect it undoes in a later batch, after a reopen, and after a failed batch
// that made the writer restore its state; a second reversal must be refused
// in all those places.
TEST_CASE("A reversal finds its target's stored effect across batches, reopens and failed "
          "batches, and only once",
          "[store][effects]") {
  TempDir dir;
  const std::string path = dir / "village";
  const uint64_t capital = testing::HistorySeq(2, 1);  // member 2's capital contribution
  const uint64_t land = testing::HistorySeq(3, 2);     // member 3's land contribution
  {
    auto ledger = MustCreate(path);
    AppendFresh(*ledger, 40, 7);
    CHECK(ledger->state().effects.empty());  // all of them stored as rows
    MustAppend(*ledger, {Reversal(capital, "rev-1")});
    CHECK(ledger->state().reversed == std::set<uint64_t>{capital});
    CHECK(ledger->state().members.at(testing::HistoryMemberId(2)).holdings[1].capital_fen == 0);
  }
  {
    auto ledger = MustOpen(path, Ledger::Mode::kWrite);
    auto twice = ledger->Append({Reversal(capital, "rev-2")});
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.status().en().find("was already reversed") != std::string::npos);
    // A batch that fails at its second request: the first, a valid reversal,
    // was applied to the writer's state and must be undone with the rest.
    auto failed = ledger->Append({Reversal(land, "rev-3"), Reversal(capital, "rev-4")});
    REQUIRE_FALSE(failed.ok());
    CHECK(ledger->size() == 41);
    CHECK(ledger->state().reversed == std::set<uint64_t>{capital});
    MustAppend(*ledger, {Reversal(land, "rev-3")});
    CHECK(ledger->state().reversed == std::set<uint64_t>{capital, land});
  }
  auto ledger = MustOpen(path, Ledger::Mode::kReadOnly);
  CHECK(ledger->state().reversed == std::set<uint64_t>{capital, land});
  Result<std::optional<domain::Effect>> effect = domain::FindEffect(ledger->state(), capital);
  REQUIRE(effect.ok());
  REQUIRE(effect->has_value());
  CHECK((*effect)->type == "contribution.capital");
  CHECK_FALSE(domain::FindEffect(ledger->state(), testing::HistorySeq(2, 0))->has_value());  // a join
}

// A ledger made by the release before effects became rows: its snapshot has
// another version (and held the effects), and it has no effects column
// family. A reader rebuilds the state from the entries; a writer also stores
// the effects as rows and a snapshot of this release, after which reversals
// of old entries work as in any ledger.
TEST_CASE("A ledger whose snapshot has an older layout is rebuilt from its entries and migrated "
          "by a writer",
          "[store][effects]") {
  TempDir dir;
  const std::string path = dir / "village";
  const uint64_t capital = testing::HistorySeq(2, 1);
  domain::State expected;
  {
    auto ledger = MustCreate(path);
    AppendFresh(*ledger, 40, 7);
    expected = ledger->state();
  }
  {
    RawDb db(path);
    db.DropEffects();
    // cereal's portable binary: one byte for the byte order, then the version.
    std::string snapshot = db.All(2).at(0).second;
    REQUIRE(domain::StateVersionOf(snapshot) == std::optional<uint32_t>(domain::kStateVersion));
    snapshot[1] = 2;
    REQUIRE(domain::StateVersionOf(snapshot) == std::optional<uint32_t>(2u));
    db.Put(store::MetaKey(store::kMetaState), snapshot);
  }
  {
    auto reader = MustOpen(path, Ledger::Mode::kReadOnly);
    domain::State rebuilt = reader->state();
    CHECK_FALSE(rebuilt.effects.empty());  // no rows to find them in: kept in memory
    rebuilt.effects.clear();
    CHECK(rebuilt == expected);
    auto checked = reader->Check({Reversal(capital, "rev-1")});
    CHECK(checked.status().ToString() == "OK");
  }
  {
    auto writer = MustOpen(path, Ledger::Mode::kWrite);
    CHECK(writer->state().effects.empty());  // stored as rows on open
    MustAppend(*writer, {Reversal(capital, "rev-1")});
    CHECK(writer->state().reversed == std::set<uint64_t>{capital});
  }
  {
    RawDb db(path);
    CHECK(domain::StateVersionOf(db.All(2).at(0).second) ==
          std::optional<uint32_t>(domain::kStateVersion));
    CHECK(db.All(3).size() == 2 * 9);  // members 1-9 (seqs 3-38): a capital and a land each
  }
  auto reopened = MustOpen(path, Ledger::Mode::kWrite);
  auto twice = reopened->Append({Reversal(capital, "rev-2")});
  CHECK(twice.status().en().find("was already reversed") != std::string::npos);
}

// Rows of idempotency ids of a closed ledger, rewritten: all removed, and
// the 'i' key per id that earlier releases kept put in their place.
void ToLegacyIds(const std::string& path, uint64_t size) {
  RawDb db(path);
  for (const auto& [key, value] : db.All(0)) {
    if (key[0] == store::kIdHashesPrefix) db.Delete(key);
  }
  for (uint64_t seq = 0; seq < size; ++seq) {
    db.Put(std::string(1, store::kLegacyIdempotencyPrefix) + Typed(seq).idempotency_id,
           store::EncodeU64(seq));
  }
}

std::map<char, size_t> KeysPerPrefix(const std::string& path) {
  std::map<char, size_t> per_prefix;
  for (const auto& [key, value] : RawDb(path).All(0)) ++per_prefix[key[0]];
  return per_prefix;
}

TEST_CASE(
    "A ledger with an earlier release's key per idempotency id has its ids read from the entries "
    "by a reader and by a check, and is migrated to rows by a writer's first append",
    "[store]") {
  TempDir dir;
  const std::string path = dir / "village";
  {
    auto ledger = MustCreate(path);
    AppendFresh(*ledger, 40, 7);
  }
  ToLegacyIds(path, 40);
  {
    auto reader = MustOpen(path, Ledger::Mode::kReadOnly);
    CHECK(reader->FindIdempotencyId(Typed(17).idempotency_id)->value() == 17);
    CHECK_FALSE(reader->FindIdempotencyId("absent")->has_value());
    auto checked = reader->Check({Typed(3), Typed(40)});
    REQUIRE(checked.ok());
    CHECK((*checked)[0].already_recorded);
    CHECK((*checked)[0].seq == 3);
    CHECK_FALSE((*checked)[1].already_recorded);
  }
  CHECK(KeysPerPrefix(path).at('i') == 40);  // a reader changes nothing
  CHECK_FALSE(KeysPerPrefix(path).contains('j'));
  {
    // Nor does a writer's check or look-up (Check writes nothing).
    auto writer = MustOpen(path, Ledger::Mode::kWrite);
    auto checked = writer->Check({Typed(5), Typed(40)});
    REQUIRE(checked.ok());
    CHECK((*checked)[0].already_recorded);
    CHECK(writer->FindIdempotencyId(Typed(33).idempotency_id)->value() == 33);
  }
  CHECK(KeysPerPrefix(path).at('i') == 40);
  CHECK_FALSE(KeysPerPrefix(path).contains('j'));
  {
    auto writer = MustOpen(path, Ledger::Mode::kWrite);
    CHECK(writer->FindIdempotencyId(Typed(2).idempotency_id)->value() == 2);  // read, not stored
    auto outcomes = writer->Append({Typed(39), Typed(40)});
    REQUIRE(outcomes.ok());
    CHECK((*outcomes)[0].already_recorded);
    CHECK((*outcomes)[0].seq == 39);
    CHECK((*outcomes)[1].seq == 40);
  }
  const std::map<char, size_t> migrated = KeysPerPrefix(path);
  CHECK_FALSE(migrated.contains('i'));
  CHECK(migrated.at('j') == 2);  // entries 0-39 in one row, entry 40's append in another
  auto reopened = MustOpen(path, Ledger::Mode::kWrite);
  for (uint64_t seq = 0; seq <= 40; ++seq) {
    CHECK(reopened->FindIdempotencyId(Typed(seq).idempotency_id)->value() == seq);
  }
}

TEST_CASE(
    "A migrated tail longer than one row is stored as rows that tile it, and every id is "
    "found after a reopen",
    "[store]") {
  // The rows of a migration hold at most limits::kBatchEntriesMax ids; seven
  // here, so that 40 entries need six rows (five of 7, one of 5).
  const ScopedTestHook<size_t> hook(store_impl::SetMigrationRowEntriesForTesting, 7);
  TempDir dir;
  const std::string path = dir / "village";
  {
    auto ledger = MustCreate(path);
    AppendFresh(*ledger, 40, 9);
  }
  ToLegacyIds(path, 40);
  {
    auto writer = MustOpen(path, Ledger::Mode::kWrite);
    auto outcomes = writer->Append({Typed(12), Typed(40)});
    REQUIRE(outcomes.ok());
    CHECK((*outcomes)[0].already_recorded);
    CHECK((*outcomes)[0].seq == 12);
    CHECK((*outcomes)[1].seq == 40);
  }
  // The rows by their first seq, each as long as the entries it holds.
  std::map<uint64_t, size_t> rows;
  for (const auto& [key, value] : RawDb(path).All(0)) {
    if (key[0] == store::kLegacyIdempotencyPrefix) FAIL("an 'i' key is left: " << key);
    if (key[0] != store::kIdHashesPrefix) continue;
    rows[*store::SeqOfIdHashesKey(key)] = value.size() / store::kSeqBytes;
  }
  const std::map<uint64_t, size_t> expected = {{0, 7},  {7, 7},  {14, 7}, {21, 7},
                                               {28, 7}, {35, 5}, {40, 1}};
  CHECK(rows == expected);
  auto reopened = MustOpen(path, Ledger::Mode::kWrite);
  for (uint64_t seq = 0; seq <= 40; ++seq) {
    CHECK(reopened->FindIdempotencyId(Typed(seq).idempotency_id)->value() == seq);
  }
  auto again = reopened->Append({Typed(0), Typed(39), Typed(41)});
  REQUIRE(again.ok());
  CHECK((*again)[0].already_recorded);
  CHECK((*again)[1].already_recorded);
  CHECK((*again)[1].seq == 39);
  CHECK((*again)[2].seq == 41);
}

TEST_CASE("An id whose hash another entry has in the index is told apart by reading that entry",
          "[store]") {
  TempDir dir;
  const std::string path = dir / "village";
  {
    auto ledger = MustCreate(path);
    AppendFresh(*ledger, 10, 10);
  }
  // Entry 5's hash in its row replaced by that of a new id: as if the two collided.
  {
    RawDb db(path);
    std::string row = db.All(0).at(0).second;
    REQUIRE(db.All(0).at(0).first == store::IdHashesKey(0));
    const std::string hash = store::EncodeU64(store_impl::IdHash("fresh"));
    row.replace(5 * store::kSeqBytes, store::kSeqBytes, hash);
    db.Put(store::IdHashesKey(0), row);
  }
  auto ledger = MustOpen(path, Ledger::Mode::kWrite);
  CHECK_FALSE(ledger->FindIdempotencyId("fresh")->has_value());
  auto outcomes = ledger->Append({Request("fresh")});
  REQUIRE(outcomes.ok());
  CHECK_FALSE((*outcomes)[0].already_recorded);
  CHECK((*outcomes)[0].seq == 10);
  CHECK(ledger->FindIdempotencyId("fresh")->value() == 10);
  auto again = ledger->Append({Request("fresh")});
  REQUIRE(again.ok());
  CHECK((*again)[0].already_recorded);
  CHECK((*again)[0].seq == 10);
  CHECK(ledger->Append({Request("fresh", 99)}).status().code() == Code::kConflict);
}

TEST_CASE("Lost last rows of idempotency ids are rebuilt from their entries by the next append",
          "[store]") {
  TempDir dir;
  const std::string path = dir / "village";
  {
    auto ledger = MustCreate(path);
    AppendFresh(*ledger, 40, 7);  // rows from 0, 7, ..., 35
  }
  {
    RawDb db(path);
    db.Delete(store::IdHashesKey(28));
    db.Delete(store::IdHashesKey(35));
  }
  {
    auto writer = MustOpen(path, Ledger::Mode::kWrite);
    auto outcomes = writer->Append({Typed(30), Typed(40)});
    REQUIRE(outcomes.ok());
    CHECK((*outcomes)[0].already_recorded);
    CHECK((*outcomes)[0].seq == 30);
    CHECK((*outcomes)[1].seq == 40);
  }
  std::vector<std::pair<uint64_t, size_t>> rows;  // first seq, entries
  for (const auto& [key, value] : RawDb(path).All(0)) {
    if (key[0] != store::kIdHashesPrefix) continue;
    const uint64_t first = *store::SeqOfIdHashesKey(key);
    rows.emplace_back(first, value.size() / store::kSeqBytes);
    for (uint64_t k = 0; k < value.size() / store::kSeqBytes; ++k) {
      CHECK(store::DecodeU64(value.substr(k * store::kSeqBytes, store::kSeqBytes)) ==
            std::optional<uint64_t>(store_impl::IdHash(Typed(first + k).idempotency_id)));
    }
  }
  // The four rows kept, one for the 12 entries that had lost theirs, the append's own.
  CHECK(rows == std::vector<std::pair<uint64_t, size_t>>{
                    {0, 7}, {7, 7}, {14, 7}, {21, 7}, {28, 12}, {40, 1}});
}

TEST_CASE("A damaged row of idempotency ids refuses appends as corruption and writes nothing",
          "[store]") {
  TempDir dir;
  const std::string path = dir / "village";
  {
    auto ledger = MustCreate(path);
    AppendFresh(*ledger, 20, 10);
  }
  const std::string second = store::IdHashesKey(10);
  const std::string row = RawDb(path).All(0).at(1).second;
  REQUIRE(RawDb(path).All(0).at(1).first == second);
  struct Damage {
    const char* what;
    std::string dropped;  // the row deleted
    std::string key;      // and the row put in
    std::string value;
    const char* says;
  };
  const std::vector<Damage> damages = {
      {"a row cut short", second, second, row.substr(0, row.size() - 3),
       "has a wrong length (77 bytes)"},
      {"a row longer than the ledger", second, second, row + row, "has a wrong length (160 bytes)"},
      {"a gap between rows", second, store::IdHashesKey(11), row.substr(8),
       "does not follow the row before (it should start at 10)"},
      {"no first row", store::IdHashesKey(0), second, row,
       "is where the first row should be (it should start at 0)"},
  };
  for (const Damage& damage : damages) {
    SECTION(damage.what) {
      {
        RawDb db(path);
        db.Delete(damage.dropped);
        db.Put(damage.key, damage.value);
      }
      const auto index_before = RawDb(path).All(0);
      const auto entries_before = RawDb(path).All(1);
      {
        auto ledger = MustOpen(path, Ledger::Mode::kWrite);  // rows are read at the first append
        auto appended = ledger->Append({Request("new")});
        REQUIRE_FALSE(appended.ok());
        CHECK(appended.status().code() == Code::kCorruption);
        CHECK(appended.status().en().find("the index of idempotency ids is damaged") !=
              std::string::npos);
        CHECK(appended.status().en().find(damage.says) != std::string::npos);
        CHECK(appended.status().zh().find("幂等编号索引损坏") != std::string::npos);
        CHECK(ledger->size() == 20);
        CHECK(ledger->FindIdempotencyId("new").status().code() == Code::kCorruption);
        CHECK(ledger->Check({Request("new")}).status().code() == Code::kCorruption);
      }
      CHECK(RawDb(path).All(0) == index_before);  // nothing written
      CHECK(RawDb(path).All(1) == entries_before);
    }
  }
}

TEST_CASE("Opening a ledger with a damaged node or entry under a peak fails as corruption",
          "[store]") {
  TempDir dir;
  const std::string path = dir / "village";
  // 40 leaves: a peak at level 5 recomputed from the stored (4, 0) and (4, 1),
  // and a peak at level 3 recomputed from entries 32 to 39.
  {
    auto ledger = MustCreate(path);
    AppendFresh(*ledger, 40, 9);
  }
  SECTION("a stored node of the wrong length") {
    PutRaw(path, store::NodeKey(4, 1), "short");
  }
  SECTION("a missing stored node") { RawDb(path).Delete(store::NodeKey(4, 0)); }
  SECTION("a missing entry under a recomputed peak") { RawDb(path).Delete(store::EntryKey(35)); }
  for (Ledger::Mode mode : {Ledger::Mode::kWrite, Ledger::Mode::kReadOnly}) {
    auto ledger = Ledger::Open(path, mode);
    REQUIRE_FALSE(ledger.ok());
    CHECK(ledger.status().code() == Code::kCorruption);
  }
}

}  // namespace
}  // namespace cunzhang
