// Ledger::AppendBatches (ledger_batches.cc): batches appended in turn, each
// synced on its own while the next is built, acknowledged in order once
// durable, and the first failing batch named with nothing of it written.
#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cunzhang/store.h"
#include "store/ledger_test_util.h"
#include "test_util.h"
#include "typed_history.h"

namespace cunzhang {
namespace {

using namespace store_testing;  // NOLINT: the helpers of these tests

constexpr const char* kTime = "2026-04-01T09:00:00+08:00";

std::vector<std::vector<EntryRequest>> HistoryBatches(uint64_t first, uint64_t last,
                                                      uint64_t size) {
  return TypedBatches(first, last, size, kTime);
}

struct Acks {
  std::vector<size_t> order;
  std::vector<std::vector<AppendOutcome>> outcomes;
  Ledger::BatchDurable Sink() {
    return [this](size_t batch, std::vector<AppendOutcome> o) {
      order.push_back(batch);
      outcomes.push_back(std::move(o));
    };
  }
};

TEST_CASE("AppendBatches writes what Append writes and acknowledges each batch in order",
          "[store]") {
  TempDir dir;
  // Batches of 100 (prepared on two threads) and of 7, with one of 3 at the end.
  const auto batches = HistoryBatches(0, 503, 100);
  auto streamed = MustCreate(dir / "streamed");
  Acks acks;
  REQUIRE(streamed->AppendBatches(batches, acks.Sink()).ToString() == "OK");
  CHECK(acks.order == std::vector<size_t>{0, 1, 2, 3, 4, 5});
  uint64_t seq = 0;
  for (size_t b = 0; b < batches.size(); ++b) {
    REQUIRE(acks.outcomes[b].size() == batches[b].size());
    for (const AppendOutcome& o : acks.outcomes[b]) {
      CHECK(o.seq == seq++);
      CHECK_FALSE(o.already_recorded);
    }
  }
  auto one_by_one = MustCreate(dir / "one-by-one");
  for (const auto& batch : batches) MustAppend(*one_by_one, batch);
  CHECK(streamed->size() == 503);
  CHECK(streamed->root() == one_by_one->root());
  CHECK(AllEntries(*streamed) == AllEntries(*one_by_one));
  CHECK(streamed->state() == one_by_one->state());

  // Small batches, a run of them after the first: the same again.
  const auto small = HistoryBatches(503, 540, 7);
  REQUIRE(streamed->AppendBatches(small, [](size_t, std::vector<AppendOutcome>) {}).ok());
  for (const auto& batch : small) MustAppend(*one_by_one, batch);
  CHECK(streamed->root() == one_by_one->root());

  // Reopened, the ledger holds every acknowledged entry and its state.
  const Hash256 root = streamed->root();
  streamed.reset();
  auto reopened = MustOpen(dir / "streamed", Ledger::Mode::kWrite);
  CHECK(reopened->size() == 540);
  CHECK(reopened->root() == root);
  CHECK(reopened->state() == one_by_one->state());
}

// The hazard store.h states for a server: inside `durable` for batch k the
// ledger may already hold batch k+1, written and not yet synced. The
// acknowledged part is what the outcomes name, and RootAt gives its root.
TEST_CASE("AppendBatches: inside durable, size() may include the next batch, not yet durable",
          "[store]") {
  TempDir dir;
  const auto batches = HistoryBatches(0, 30, 10);
  auto ledger = MustCreate(dir / "village");
  auto reference = MustCreate(dir / "reference");
  std::vector<uint64_t> sizes_seen;
  std::vector<Hash256> acknowledged_roots;
  REQUIRE(ledger
              ->AppendBatches(batches,
                              [&](size_t, std::vector<AppendOutcome> outcomes) {
                                sizes_seen.push_back(ledger->size());
                                Result<Hash256> root = ledger->RootAt(outcomes.back().seq + 1);
                                REQUIRE(root.ok());
                                acknowledged_roots.push_back(*root);
                              })
              .ok());
  // Batches 0 and 1 were acknowledged once the next was written.
  CHECK(sizes_seen == std::vector<uint64_t>{20, 30, 30});
  for (size_t b = 0; b < batches.size(); ++b) {
    MustAppend(*reference, batches[b]);
    CHECK(acknowledged_roots[b] == reference->root());
  }
}

TEST_CASE("AppendBatches answers a batch already recorded and writes nothing for it", "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  const auto batches = HistoryBatches(0, 30, 10);
  REQUIRE(ledger->AppendBatches(batches, [](size_t, std::vector<AppendOutcome>) {}).ok());
  const Hash256 root = ledger->root();
  // Batch 1 again between two new ones: answered with its seqs, in turn.
  std::vector<std::vector<EntryRequest>> again = HistoryBatches(30, 40, 10);
  again.push_back(batches[1]);
  for (auto& batch : HistoryBatches(40, 50, 10)) again.push_back(std::move(batch));
  Acks acks;
  REQUIRE(ledger->AppendBatches(again, acks.Sink()).ToString() == "OK");
  CHECK(acks.order == std::vector<size_t>{0, 1, 2});
  REQUIRE(acks.outcomes[1].size() == 10);
  for (size_t i = 0; i < 10; ++i) {
    CHECK(acks.outcomes[1][i].already_recorded);
    CHECK(acks.outcomes[1][i].seq == 10 + i);
  }
  CHECK(acks.outcomes[2].front().seq == 40);
  CHECK(ledger->size() == 50);
  CHECK(ledger->RootAt(30).value() == root);
}

TEST_CASE("AppendBatches answers a request repeating one of the batch just before", "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  auto batches = HistoryBatches(0, 300, 100);
  // Batch 2 repeats request 6 of batch 1 (same id, same content) as its
  // 11th: batch 1 is written but perhaps not yet synced when batch 2 is
  // settled.
  batches[1].insert(batches[1].begin() + 10, batches[0][5]);
  Acks acks;
  REQUIRE(ledger->AppendBatches(batches, acks.Sink()).ToString() == "OK");
  REQUIRE(acks.outcomes.size() == 3);
  REQUIRE(acks.outcomes[1].size() == 101);
  CHECK(acks.outcomes[1][10].already_recorded);
  CHECK(acks.outcomes[1][10].seq == 5);
  CHECK(acks.outcomes[1][11].seq == 110);  // the next new entry goes on from 109
  CHECK(ledger->size() == 300);
}

TEST_CASE("AppendBatches stops at the first failing batch, names it, and writes none of it",
          "[store]") {
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  auto reference = MustCreate(dir / "reference");
  auto batches = HistoryBatches(0, 400, 100);

  SECTION("a rule violation") {
    // Request 53 of batch 3 (seq 252, member 63's capital) contributes for
    // a member who never joined.
    EntryRequest& bad = batches[2][52];
    REQUIRE(bad.body.Find("member_id") != nullptr);
    bad.body.Set("member_id", json::Value::String("M0999"));
  }
  SECTION("an id of the batch just before, with other content") {
    // Batch 2 was written, unsynced, just before batch 3 is settled: its ids
    // are found all the same.
    batches[2][52].idempotency_id = batches[1][3].idempotency_id;
  }
  SECTION("an id used in an earlier batch, with other content") {
    batches[2][52].idempotency_id = batches[0][3].idempotency_id;
  }
  SECTION("a bad envelope") { batches[2][52].op.role = "mayor"; }
  SECTION("a negative amount") {
    REQUIRE(batches[2][52].body.Find("amount_fen") != nullptr);
    batches[2][52].body.Set("amount_fen", json::Value::Int(-500));
  }
  SECTION("an amount of the wrong type") {
    batches[2][52].body.Set("amount_fen", json::Value::String("500"));
  }

  Acks acks;
  Status s = ledger->AppendBatches(batches, acks.Sink());
  INFO(s.ToString());
  REQUIRE_FALSE(s.ok());
  CHECK(s.where().line == 53);
  CHECK(s.zh().rfind("第 3 批：", 0) == 0);
  CHECK(s.en().rfind("batch 3: ", 0) == 0);
  // The two batches before it are durable and were acknowledged; nothing
  // of it or after it was written.
  CHECK(acks.order == std::vector<size_t>{0, 1});
  CHECK(ledger->size() == 200);
  MustAppend(*reference, batches[0]);
  MustAppend(*reference, batches[1]);
  CHECK(ledger->root() == reference->root());
  CHECK(ledger->state() == reference->state());

  // The ledger goes on: the mended batches are appended after.
  const auto mended = HistoryBatches(200, 400, 100);
  REQUIRE(ledger->AppendBatches(mended, [](size_t, std::vector<AppendOutcome>) {}).ok());
  for (const auto& batch : mended) MustAppend(*reference, batch);
  CHECK(ledger->root() == reference->root());
  ledger.reset();
  CHECK(MustOpen(dir / "village", Ledger::Mode::kWrite)->size() == 400);
}

TEST_CASE("AppendBatches on a ledger opened read-only writes nothing", "[store]") {
  TempDir dir;
  MustCreate(dir / "village");
  auto ledger = MustOpen(dir / "village", Ledger::Mode::kReadOnly);
  bool called = false;
  Status s = ledger->AppendBatches(HistoryBatches(0, 5, 5),
                                   [&](size_t, std::vector<AppendOutcome>) { called = true; });
  CHECK(s.code() == Code::kInternal);
  CHECK(s.en().find("read-only") != std::string::npos);
  CHECK_FALSE(called);
  CHECK(ledger->size() == 0);
}

}  // namespace
}  // namespace cunzhang
