// Batches: the limit on their size, ids repeated inside one, and which error
// a batch with several faults reports when its requests are prepared, settled
// and checked by the rules on two threads (AppendPipeline in ledger_append.cc).
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "cunzhang/entry.h"
#include "cunzhang/limits.h"
#include "cunzhang/store.h"
#include "store/ledger_test_util.h"
#include "test_util.h"
#include "typed_history.h"

namespace cunzhang {
namespace {

using namespace store_testing;  // NOLINT: the helpers of these tests

TEST_CASE("In a large batch an envelope error anywhere is reported before a rule violation",
          "[store]") {
  // Batches of 64 requests and more are prepared on two threads while the
  // rules run (AppendPipeline): every envelope is still judged first.
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  // The typed history up to member 1's join, each entry with a time of its
  // own, so that two ledgers built from it at different seconds are equal.
  auto prefix = [](Ledger& l) {
    std::vector<EntryRequest> requests;
    for (uint64_t seq = 0; seq < testing::HistorySeq(1, 1); ++seq) {
      requests.push_back(Typed(seq));
      requests.back().time = "2026-04-01T09:00:00+08:00";
    }
    MustAppend(l, requests);
  };
  prefix(*ledger);
  const Hash256 root = ledger->root();
  std::vector<EntryRequest> batch;
  for (int i = 0; i < 200; ++i) {
    batch.push_back(Request("n-" + std::to_string(i)));
    // A time of their own: the two ledgers compared below must not be
    // stamped with different seconds.
    batch.back().time = "2026-04-01T09:30:00+08:00";
  }
  EntryRequest breaks_rule = Typed(testing::HistorySeq(1, 1));
  breaks_rule.idempotency_id = "rule";
  breaks_rule.body.Set("member_id", json::Value::String("M0099"));
  batch[3] = breaks_rule;
  batch[180].op.role = "mayor";
  auto result = ledger->Append(batch);
  REQUIRE_FALSE(result.ok());
  INFO(result.status().ToString());
  CHECK(result.status().code() == Code::kInvalidInput);
  CHECK(result.status().where().line == 181);
  CHECK(result.status().where().field == "operator.role");

  // Without the envelope error the rule violation is the error.
  batch[180].op.role = "accountant";
  result = ledger->Append(batch);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == Code::kRuleViolation);
  CHECK(result.status().where().line == 4);
  CHECK(ledger->root() == root);

  // The rules run on a thread of their own, behind the thread that settles
  // ids and the chain: whichever request fails first in the batch's order is
  // the error, whichever thread found it.
  EntryRequest conflicting = Request("n-10", 999);  // n-10 again, another body
  conflicting.time = batch[10].time;
  EntryRequest settled = batch[150];
  batch[150] = conflicting;
  result = ledger->Append(batch);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == Code::kRuleViolation);
  CHECK(result.status().where().line == 4);
  batch[150] = settled;
  EntryRequest earlier = batch[2];
  batch[2] = Request("n-1", 999);  // n-1 again, another body, before the violation
  batch[2].time = batch[1].time;
  result = ledger->Append(batch);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == Code::kConflict);
  CHECK(result.status().where().line == 3);
  batch[2] = earlier;
  EntryRequest broken = batch[3];
  batch[3] = Request("n-3");
  batch[3].time = batch[4].time;
  batch[150] = conflicting;
  result = ledger->Append(batch);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == Code::kConflict);
  CHECK(result.status().where().line == 151);
  batch[150] = settled;
  batch[3] = broken;
  CHECK(ledger->root() == root);

  // The refused batches leave nothing behind in the buffers the next reuses:
  // the same requests, mended, append with the entries a fresh ledger gives.
  batch[3] = Request("n-3");
  batch[3].time = batch[4].time;
  MustAppend(*ledger, batch);
  TempDir fresh_dir;
  auto fresh = MustCreate(fresh_dir / "village");
  prefix(*fresh);
  MustAppend(*fresh, batch);
  CHECK(fresh->root() == ledger->root());
  CHECK(AllEntries(*fresh).size() == AllEntries(*ledger).size());
}

TEST_CASE("In a large batch a bad body deep in it is named by line and field, and nothing is written",
          "[store]") {
  // Found by the rules' thread, well after the appending thread has settled
  // and chained the requests before it.
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  AppendFresh(*ledger, testing::HistorySeq(1, 1), 4);  // up to member 1's join
  const Hash256 root = ledger->root();
  const uint64_t size = ledger->size();
  std::vector<EntryRequest> batch;
  for (int i = 0; i < 200; ++i) batch.push_back(Request("n-" + std::to_string(i)));
  EntryRequest bad = Typed(testing::HistorySeq(1, 1));  // member 1's capital
  bad.idempotency_id = "bad";
  Code code = Code::kInvalidInput;
  std::string field = "body.amount_fen";
  SECTION("an unknown member") {
    bad.body.Set("member_id", json::Value::String("M0099"));
    code = Code::kRuleViolation;
    field = "body.member_id";
  }
  SECTION("a negative amount") { bad.body.Set("amount_fen", json::Value::Int(-500)); }
  SECTION("an amount of the wrong type") {
    bad.body.Set("amount_fen", json::Value::String("5000 元"));
  }
  SECTION("an amount beyond 2^53") {
    bad.body.Set("amount_fen", json::Value::Int(limits::kJsonIntegerMax + 1));
  }
  batch[149] = bad;
  auto result = ledger->Append(batch);
  REQUIRE_FALSE(result.ok());
  INFO(result.status().ToString());
  CHECK(result.status().code() == code);
  CHECK(result.status().where().line == 150);
  CHECK(result.status().where().field == field);
  CHECK_FALSE(result.status().zh().empty());
  CHECK_FALSE(result.status().en().empty());
  CHECK(ledger->size() == size);
  CHECK(ledger->root() == root);
  CHECK_FALSE(ledger->FindIdempotencyId("n-0")->has_value());
  CHECK_FALSE(ledger->FindIdempotencyId("bad")->has_value());
  // The same batch, mended, goes in whole.
  batch[149] = Request("n-149");
  MustAppend(*ledger, batch);
  CHECK(ledger->size() == size + 200);
}

TEST_CASE("A batch above the batch limit is refused", "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  std::vector<EntryRequest> requests(limits::kBatchEntriesMax + 1, Request("same"));
  auto result = ledger->Append(requests);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == Code::kInvalidInput);
  CHECK(ledger->size() == 0);
}

TEST_CASE("A repeated id inside one batch is recorded once", "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  auto outcomes = MustAppend(*ledger, {Request("a"), Request("b"), Request("a")});
  REQUIRE(outcomes.size() == 3);
  CHECK(outcomes[0].seq == 0);
  CHECK(outcomes[1].seq == 1);
  CHECK(outcomes[2].seq == 0);
  CHECK(outcomes[2].already_recorded);
  CHECK(ledger->size() == 2);
}

TEST_CASE("A repeated id inside one batch with different content conflicts", "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  auto result = ledger->Append({Request("a", 1), Request("a", 2)});
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == Code::kConflict);
  CHECK(result.status().where().line == 2);
  CHECK(ledger->size() == 0);
}

// 300 leaves cross the stored levels 4 and 8 (16 and 256 leaves) and hold
// perfect subtrees at every level from 0 to 8, so every way of recomputing a
// node is used: from leaves (levels 1-3), stored (4, 8), from stored (5-7).
TEST_CASE("A large batch with ids repeated many times records each id once, in order",
          "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  auto request = [](const std::string& id) {
    EntryRequest r = Request(id);
    r.time = "2026-04-01T09:30:00+08:00";
    return r;
  };
  MustAppend(*ledger, {request("id-5"), request("id-30")});  // recorded before the batch
  // 400 requests over 37 ids: each id's first request in the batch is a new
  // entry (but id-5 and id-30, already recorded), every later one the same.
  std::vector<EntryRequest> batch;
  for (int i = 0; i < 400; ++i) batch.push_back(request("id-" + std::to_string(i * 7 % 37)));
  auto outcomes = MustAppend(*ledger, batch);
  REQUIRE(outcomes.size() == 400);
  std::map<std::string, uint64_t> seq_of = {{"id-5", 0}, {"id-30", 1}};
  uint64_t next = 2;
  for (size_t i = 0; i < batch.size(); ++i) {
    const std::string& id = batch[i].idempotency_id;
    auto [it, first] = seq_of.emplace(id, next);
    INFO("request " << i << ", " << id);
    CHECK(outcomes[i].seq == it->second);
    CHECK(outcomes[i].already_recorded == !first);
    if (first) ++next;
  }
  CHECK(ledger->size() == 37);
  for (const auto& [id, seq] : seq_of) CHECK(ledger->FindIdempotencyId(id)->value() == seq);
}

}  // namespace
}  // namespace cunzhang
