// The store: creating and opening ledgers, appending (retries, conflicts,
// refused batches), reading and scanning. Layout, proofs against a tree in
// memory and the derived state's storage: ledger_layout_test.cc.
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
#include "store/keys.h"
#include "store/ledger_test_util.h"
#include "test_util.h"
#include "typed_history.h"

namespace cunzhang {
namespace {

using namespace store_testing;  // NOLINT: the helpers of these tests

TEST_CASE("A reopened ledger keeps its size, root, entries and state", "[store]") {
  TempDir dir;
  std::vector<std::string> entries;
  Hash256 root;
  domain::State state;
  {
    auto ledger = MustCreate(dir / "village");
    AppendFresh(*ledger, 11, 4);
    entries = AllEntries(*ledger);
    root = ledger->root();
    state = ledger->state();
  }
  for (Ledger::Mode mode : {Ledger::Mode::kWrite, Ledger::Mode::kReadOnly}) {
    auto ledger = MustOpen(dir / "village", mode);
    CHECK(ledger->origin() == kOrigin);
    CHECK(ledger->size() == 11);
    CHECK(ledger->root() == root);
    CHECK(ledger->state() == state);
    CHECK(ledger->state().entries == 11);
    CHECK(ledger->state().org.registered);
    CHECK(ledger->state().members.size() == 2);  // entries 3 and 7 are joins
    CHECK(AllEntries(*ledger) == entries);
  }
}

TEST_CASE("An empty ledger has size 0, the empty root and an empty state", "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  CHECK(ledger->size() == 0);
  CHECK(ledger->root() == Sha256(""));
  CHECK(ledger->state() == domain::State{});
  ledger.reset();
  CHECK(MustOpen(dir / "village", Ledger::Mode::kReadOnly)->size() == 0);
}

TEST_CASE("Creating a ledger where one exists fails as a conflict", "[store]") {
  TempDir dir;
  MustCreate(dir / "village").reset();
  auto again = Ledger::Create(dir / "village", kOrigin);
  REQUIRE_FALSE(again.ok());
  CHECK(again.status().code() == Code::kConflict);
}

TEST_CASE("Creating a ledger with a bad origin fails as invalid input", "[store]") {
  TempDir dir;
  auto ledger = Ledger::Create(dir / "village", "has space");
  REQUIRE_FALSE(ledger.ok());
  CHECK(ledger.status().code() == Code::kInvalidInput);
}

TEST_CASE("Opening a missing ledger fails as not found and names the path", "[store]") {
  TempDir dir;
  for (Ledger::Mode mode : {Ledger::Mode::kWrite, Ledger::Mode::kReadOnly}) {
    auto ledger = Ledger::Open(dir / "nowhere", mode);
    REQUIRE_FALSE(ledger.ok());
    CHECK(ledger.status().code() == Code::kNotFound);
    CHECK(ledger.status().en().find(dir / "nowhere") != std::string::npos);
    CHECK(ledger.status().zh().find(dir / "nowhere") != std::string::npos);
  }
}

TEST_CASE("A second writer is refused as busy while a reader opens", "[store]") {
  TempDir dir;
  auto writer = MustCreate(dir / "village");
  AppendFresh(*writer, 3);
  auto second = Ledger::Open(dir / "village", Ledger::Mode::kWrite);
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().code() == Code::kBusy);
  CHECK(second.status().en().find("in use by another writer") != std::string::npos);
  auto reader = MustOpen(dir / "village", Ledger::Mode::kReadOnly);
  CHECK(reader->size() == 3);
  CHECK(reader->root() == writer->root());
}

TEST_CASE("A read-only ledger refuses to append", "[store]") {
  TempDir dir;
  MustCreate(dir / "village").reset();
  auto reader = MustOpen(dir / "village", Ledger::Mode::kReadOnly);
  auto outcome = reader->Append({Request("a")});
  REQUIRE_FALSE(outcome.ok());
  CHECK(reader->size() == 0);
}

TEST_CASE("Append assigns dense seqs from 0 and links prev to the previous leaf hash", "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  auto first = MustAppend(*ledger, {Request("a"), Request("b"), Request("c")});
  auto second = MustAppend(*ledger, {Request("d"), Request("e")});
  std::vector<uint64_t> seqs;
  for (const auto& o : first) seqs.push_back(o.seq);
  for (const auto& o : second) seqs.push_back(o.seq);
  CHECK(seqs == std::vector<uint64_t>{0, 1, 2, 3, 4});
  for (const auto& o : first) CHECK_FALSE(o.already_recorded);

  Hash256 prev;  // all zero before entry 0
  std::vector<std::string> ids;
  for (const std::string& bytes : AllEntries(*ledger)) {
    auto entry = DecodeEntry(bytes);
    REQUIRE(entry.ok());
    CHECK(entry->seq == ids.size());
    CHECK(entry->prev == prev);
    CHECK(entry->origin == kOrigin);
    CHECK(entry->version == limits::kFormatVersion);
    CHECK_FALSE(entry->time.empty());
    ids.push_back(entry->idempotency_id);
    prev = LeafHash(bytes);
  }
  CHECK(ids == std::vector<std::string>{"a", "b", "c", "d", "e"});
}

TEST_CASE("A request's own time is kept and an empty time is stamped", "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  EntryRequest timed = Request("timed");
  timed.time = "2024-03-01T08:30:00+08:00";
  MustAppend(*ledger, {timed, Request("stamped")});
  auto kept = DecodeEntry(*ledger->EntryBytes(0));
  auto stamped = DecodeEntry(*ledger->EntryBytes(1));
  REQUIRE(kept.ok());
  REQUIRE(stamped.ok());
  CHECK(kept->time == timed.time);
  CHECK(CheckTime(stamped->time).ok());
}

TEST_CASE("A retried request returns the same seq and writes nothing", "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  MustAppend(*ledger, {Request("a"), Request("b")});
  const Hash256 root = ledger->root();
  auto retry = MustAppend(*ledger, {Request("b")});
  REQUIRE(retry.size() == 1);
  CHECK(retry[0].seq == 1);
  CHECK(retry[0].already_recorded);
  CHECK(ledger->size() == 2);
  CHECK(ledger->root() == root);

  SECTION("mixed with new requests, only the new ones are written") {
    auto mixed = MustAppend(*ledger, {Request("c"), Request("a"), Request("d")});
    CHECK(mixed[0].seq == 2);
    CHECK_FALSE(mixed[0].already_recorded);
    CHECK(mixed[1].seq == 0);
    CHECK(mixed[1].already_recorded);
    CHECK(mixed[2].seq == 3);
    CHECK(ledger->size() == 4);
  }
  SECTION("after reopening the ledger") {
    ledger.reset();
    ledger = MustOpen(dir / "village", Ledger::Mode::kWrite);
    auto again = MustAppend(*ledger, {Request("a")});
    CHECK(again[0].seq == 0);
    CHECK(again[0].already_recorded);
    CHECK(ledger->size() == 2);
  }
}

TEST_CASE("The same id with a different body conflicts and leaves the ledger unchanged",
          "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  MustAppend(*ledger, {Request("a", 100), Request("b")});
  const Hash256 root = ledger->root();
  const domain::State state = ledger->state();
  auto conflict = ledger->Append({Request("c"), Request("a", 999)});
  REQUIRE_FALSE(conflict.ok());
  CHECK(conflict.status().code() == Code::kConflict);
  CHECK(conflict.status().where().line == 2);
  CHECK(conflict.status().where().entry == 0);
  CHECK(conflict.status().en().find("\"a\"") != std::string::npos);
  CHECK(conflict.status().en().find("a different body") != std::string::npos);
  CHECK(conflict.status().where().field == "body");
  CHECK(ledger->size() == 2);
  CHECK(ledger->root() == root);
  CHECK(ledger->state() == state);
  CHECK_FALSE(ledger->FindIdempotencyId("c")->has_value());

  SECTION("the same request from another operator conflicts, and the error says so") {
    EntryRequest other = Request("b");
    other.op.name = "张出纳";
    auto result = ledger->Append({other});
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == Code::kConflict);
    CHECK(result.status().where().field == "operator");
    CHECK(result.status().en().find("a different operator (recorded 王会计 (accountant), now "
                                    "张出纳 (accountant))") != std::string::npos);
    CHECK(result.status().zh().find("操作人不同") != std::string::npos);
  }
  SECTION("a different time set by the caller also conflicts") {
    EntryRequest timed = Request("b");
    timed.time = "2020-01-01T00:00:00+08:00";
    auto result = ledger->Append({timed});
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == Code::kConflict);
  }
  SECTION("and the ledger still appends afterwards") {
    auto next = MustAppend(*ledger, {Request("c")});
    CHECK(next[0].seq == 2);
  }
}

TEST_CASE("A batch with one bad request writes none of its entries", "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  MustAppend(*ledger, {Request("first")});
  const Hash256 root = ledger->root();
  EntryRequest bad = Request("bad");
  int64_t line = 3;
  std::string field;  // where the error points
  std::string what;   // and part of what it says, in English
  SECTION("a bad type") {
    bad.type = "Not A Type";
    field = "type";
  }
  SECTION("an unknown operator role") {
    bad.op.role = "mayor";
    field = "operator.role";
  }
  SECTION("an empty idempotency id") {
    bad.idempotency_id = "";
    field = "idempotency_id";
  }
  SECTION("a body that is not an object") {
    bad.body = json::Value::Int(5);
    field = "body";
  }
  SECTION("a malformed time") {
    bad.time = "yesterday";
    field = "time";
  }
  SECTION("an integer beyond 2^53") {
    bad.body.Set("n", json::Value::Int(limits::kJsonIntegerMax + 1));
    field = "body.n";
    what = "2^53";
  }
  SECTION("an integer below -(2^53) inside an array") {
    bad.body.Set("items", json::Value::Array({json::Value::Int(1),
                                               json::Value::Int(-limits::kJsonIntegerMax - 1)}));
    field = "body.items[1]";
    what = "2^53";
  }
  SECTION("a string that is not UTF-8 inside a nested object") {
    bad.body.Set("payee", json::Value::Object({{"memo", json::Value::String("\xff\xfe")}}));
    field = "body.payee.memo";
    what = "UTF-8";
  }
  SECTION("a key that is not printable ASCII") {
    bad.body.Set("payee", json::Value::Object({{"tab\tkey", json::Value::Int(1)}}));
    field = "body.payee";
    what = "printable ASCII";
  }
  SECTION("a duplicate key") {
    bad.body = json::Value::Object({{"k", json::Value::Int(1)}, {"k", json::Value::Int(2)}});
    field = "body.k";
    what = "duplicate key";
  }
  SECTION("an entry above the size limit") {
    // A note's text is at most 4000 characters (its schema), but the size
    // limit is checked first, on the encoded entry.
    bad.body.Set("text", json::Value::String(std::string(limits::kEntryBytesMax, 'x')));
    what = std::to_string(limits::kEntryBytesMax);
  }
  auto result = ledger->Append({Request("x"), Request("y"), bad, Request("z")});
  REQUIRE_FALSE(result.ok());
  INFO(result.status().ToString());
  CHECK(result.status().code() == Code::kInvalidInput);
  CHECK(result.status().where().line == line);
  CHECK(result.status().where().field == field);
  CHECK(result.status().en().find(what) != std::string::npos);
  CHECK(ledger->size() == 1);
  CHECK(ledger->root() == root);
  CHECK_FALSE(ledger->FindIdempotencyId("x")->has_value());
  ledger.reset();
  CHECK(MustOpen(dir / "village", Ledger::Mode::kReadOnly)->size() == 1);
}

// A body nested `levels` deep, counting the body itself.
json::Value Nested(size_t levels) {
  json::Value value = json::Value::Object();
  for (size_t i = 1; i < levels; ++i) value = json::Value::Object({{"x", std::move(value)}});
  return value;
}

TEST_CASE("A body is refused for its depth exactly when its entry would not decode", "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  // The envelope is one level, so the body has one less than the JSON limit.
  // The deepest body passes the depth check and is refused by the note's
  // schema instead; one level more is refused for its depth.
  EntryRequest deepest = Request("deepest");
  deepest.body.Set("x", Nested(limits::kJsonDepthMax - 2));
  auto schema_refusal = ledger->Append({deepest});
  REQUIRE_FALSE(schema_refusal.ok());
  CHECK(schema_refusal.status().en().find("nesting") == std::string::npos);
  Entry entry;
  entry.version = limits::kFormatVersion;
  entry.origin = kOrigin;
  entry.type = "note";
  entry.op = deepest.op;
  entry.idempotency_id = "deepest";
  entry.time = "2026-01-01T00:00:00+08:00";
  entry.body = deepest.body;
  CHECK(DecodeEntry(EncodeEntry(entry)).ok());  // the parser agrees

  EntryRequest too_deep = Request("too-deep");
  too_deep.body.Set("x", Nested(limits::kJsonDepthMax - 1));
  auto result = ledger->Append({too_deep});
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == Code::kInvalidInput);
  CHECK(result.status().en().find("nesting") != std::string::npos);
  CHECK(ledger->size() == 0);
  entry.body = too_deep.body;
  CHECK_FALSE(DecodeEntry(EncodeEntry(entry)).ok());  // the parser agrees
}

TEST_CASE("A batch with one request that breaks the rules writes none of its entries", "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  AppendFresh(*ledger, testing::HistorySeq(1, 1), 4);  // up to member 1's join
  const Hash256 root = ledger->root();
  const domain::State state = ledger->state();
  EntryRequest bad = Typed(testing::HistorySeq(1, 1));
  bad.idempotency_id = "bad";
  Code code = Code::kRuleViolation;
  std::string field;
  SECTION("a contribution by a member who never joined") {
    bad.body.Set("member_id", json::Value::String("M0099"));
    field = "body.member_id";
  }
  SECTION("a body that breaks its type's schema") {
    bad.body.Set("amount_fen", json::Value::String("5000 元"));
    code = Code::kInvalidInput;
    field = "body.amount_fen";
  }
  SECTION("a well-formed type outside the catalogue") { bad.type = "payment.record"; }
  SECTION("registering the organisation twice") {
    bad = Typed(0);
    bad.idempotency_id = "bad";
  }
  auto result = ledger->Append({Request("x"), Typed(ledger->size() + 1), bad, Request("z")});
  REQUIRE_FALSE(result.ok());
  INFO(result.status().ToString());
  CHECK(result.status().code() == code);
  CHECK(result.status().where().line == 3);
  CHECK(result.status().where().field == field);
  CHECK(ledger->size() == testing::HistorySeq(1, 1));
  CHECK(ledger->root() == root);
  CHECK(ledger->state() == state);
  CHECK_FALSE(ledger->FindIdempotencyId("x")->has_value());
}

TEST_CASE("Roots and proofs beyond the ledger's size are refused", "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  AppendFresh(*ledger, 4, 4);
  CHECK(ledger->RootAt(5).status().code() == Code::kNotFound);
  CHECK(ledger->InclusionProof(0, 5).status().code() == Code::kNotFound);
  CHECK(ledger->InclusionProof(4, 4).status().code() == Code::kInvalidInput);
  CHECK(ledger->ConsistencyProof(3, 2).status().code() == Code::kInvalidInput);
  CHECK(ledger->ConsistencyProof(2, 5).status().code() == Code::kNotFound);
  CHECK(*ledger->RootAt(0) == Sha256(""));
}

TEST_CASE("SeqsOfType lists the entries of one type in order", "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  // Joins at 3, 7 and 11; notes at 6 and 10.
  AppendFresh(*ledger, 8, 8);
  AppendFresh(*ledger, 4, 4);
  CHECK(*ledger->SeqsOfType("member.join") == std::vector<uint64_t>{3, 7, 11});
  CHECK(*ledger->SeqsOfType("note") == std::vector<uint64_t>{6, 10});
  CHECK(*ledger->SeqsOfType("org.register") == std::vector<uint64_t>{0});
  // A prefix of a type, or a type with more after it, names no entries.
  CHECK(ledger->SeqsOfType("member")->empty());
  CHECK(ledger->SeqsOfType("member.joi")->empty());
  CHECK(ledger->SeqsOfType("member.join.x")->empty());
  CHECK(ledger->SeqsOfType("contribution")->empty());
  CHECK(ledger->state().type_counts.at("member.join") == 3);
  CHECK(ledger->state().type_counts.at("contribution.capital") == 2);
}

TEST_CASE("SeqsOfType reports an entry that does not decode as corruption", "[store]") {
  TempDir dir;
  {
    auto ledger = MustCreate(dir / "village");
    AppendFresh(*ledger, 1030, 1030);  // the state is stored with the batch
  }
  PutRaw(dir / "village", store::EntryKey(1), "{\"not\":\"an entry\"}");
  auto ledger = MustOpen(dir / "village", Ledger::Mode::kReadOnly);
  auto seqs = ledger->SeqsOfType("note");
  REQUIRE_FALSE(seqs.ok());
  CHECK(seqs.status().code() == Code::kCorruption);
  CHECK(seqs.status().where().entry == 1);
}

TEST_CASE("Scan visits a range in order, clamps at the end and stops when asked", "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  AppendFresh(*ledger, 10, 10);
  std::vector<uint64_t> seen;
  auto collect = [&](uint64_t seq, std::string_view bytes) {
    auto entry = DecodeEntry(bytes);
    REQUIRE(entry.ok());
    CHECK(entry->seq == seq);
    seen.push_back(seq);
    return seq < 6;
  };
  REQUIRE(ledger->Scan(3, 5, collect).ok());
  CHECK(seen == std::vector<uint64_t>{3, 4});
  seen.clear();
  REQUIRE(ledger->Scan(4, 100, collect).ok());
  CHECK(seen == std::vector<uint64_t>{4, 5, 6});
  seen.clear();
  REQUIRE(ledger->Scan(8, 100, collect).ok());
  CHECK(seen == std::vector<uint64_t>{8});
  seen.clear();
  REQUIRE(ledger->Scan(5, 5, collect).ok());
  CHECK(seen.empty());
  CHECK(ledger->Scan(6, 5, collect).code() == Code::kInvalidInput);
}

TEST_CASE("EntryBytes returns canonical bytes that DecodeEntry accepts", "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  MustAppend(*ledger, {Request("a", 4321)});
  auto bytes = ledger->EntryBytes(0);
  REQUIRE(bytes.ok());
  auto entry = DecodeEntry(*bytes);
  REQUIRE(entry.ok());
  CHECK(EncodeEntry(*entry) == *bytes);
  CHECK(entry->type == "note");
  CHECK(entry->body.Find("text")->as_string() == "买化肥 4321 分");
  CHECK(entry->op == Operator{.name = "王会计", .role = "accountant"});
  CHECK(ledger->EntryBytes(1).status().code() == Code::kNotFound);
  CHECK(**ledger->FindIdempotencyId("a") == 0);
}

TEST_CASE("Opening a ledger of another format version fails as corruption", "[store]") {
  TempDir dir;
  MustCreate(dir / "village").reset();
  PutRaw(dir / "village", store::MetaKey(store::kMetaFormat), "2");
  auto ledger = Ledger::Open(dir / "village", Ledger::Mode::kReadOnly);
  REQUIRE_FALSE(ledger.ok());
  CHECK(ledger.status().code() == Code::kCorruption);
}

TEST_CASE("Opening a ledger whose size disagrees with its entries fails as corruption", "[store]") {
  TempDir dir;
  {
    auto ledger = MustCreate(dir / "village");
    AppendFresh(*ledger, 3, 3);
  }
  // Size and state rewritten together, so only the entries disagree.
  auto set_size = [&](uint64_t size) {
    domain::State state;
    state.entries = size;
    PutRaw(dir / "village", store::MetaKey(store::kMetaSize), store::EncodeU64(size));
    PutRaw(dir / "village", store::MetaKey(store::kMetaState), domain::SerializeState(state));
  };
  SECTION("size smaller than the entries") { set_size(2); }
  SECTION("size larger than the entries") { set_size(4); }
  SECTION("a state beyond the entries") {
    domain::State state;
    state.entries = 4;
    PutRaw(dir / "village", store::MetaKey(store::kMetaState), domain::SerializeState(state));
  }
  auto ledger = Ledger::Open(dir / "village", Ledger::Mode::kWrite);
  REQUIRE_FALSE(ledger.ok());
  CHECK(ledger.status().code() == Code::kCorruption);
}

TEST_CASE("Opening replays the entries after the stored state", "[store]") {
  TempDir dir;
  domain::State full;
  {
    auto ledger = MustCreate(dir / "village");
    AppendFresh(*ledger, 11, 4);
    full = ledger->state();
  }
  // The state stored after the first batch only: entries 4 to 10 replay.
  domain::State early;
  for (uint64_t seq = 0; seq < 4; ++seq) {
    auto ledger = MustOpen(dir / "village", Ledger::Mode::kReadOnly);
    Entry entry = *DecodeEntry(*ledger->EntryBytes(seq));
    REQUIRE(domain::Apply(&early, entry).ok());
  }
  PutRaw(dir / "village", store::MetaKey(store::kMetaState), domain::SerializeState(early));
  CHECK(MustOpen(dir / "village", Ledger::Mode::kReadOnly)->state() == full);

  SECTION("an entry after the stored state that does not decode fails the open") {
    PutRaw(dir / "village", store::EntryKey(6), "{\"not\":\"an entry\"}");
    auto ledger = Ledger::Open(dir / "village", Ledger::Mode::kReadOnly);
    REQUIRE_FALSE(ledger.ok());
    CHECK(ledger.status().code() == Code::kCorruption);
    CHECK(ledger.status().where().entry == 6);
  }
}

TEST_CASE("A directory that is not a ledger is not found", "[store]") {
  TempDir dir;
  testing::WriteFile(dir / "notes.txt", "hello");
  auto ledger = Ledger::Open(dir.path(), Ledger::Mode::kReadOnly);
  REQUIRE_FALSE(ledger.ok());
  CHECK(ledger.status().code() == Code::kNotFound);
}

}  // namespace
}  // namespace cunzhang
