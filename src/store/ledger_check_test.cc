// Ledger::Check: the dry run of an append. It must find what Append finds and
// leave the ledger exactly as it was.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cunzhang/store.h"
#include "test_util.h"

namespace cunzhang {
namespace {

using testing::TempDir;

constexpr const char* kOrigin = "cunzhang.example/daxinjing";

EntryRequest Note(const std::string& id, const std::string& text) {
  return EntryRequest{.type = "note",
                      .op = Operator{.name = "王会计", .role = "accountant"},
                      .idempotency_id = id,
                      .body = json::Value::Object({{"text", json::Value::String(text)}})};
}

std::unique_ptr<Ledger> MustCreate(const std::string& path) {
  auto ledger = Ledger::Create(path, kOrigin);
  REQUIRE(ledger.ok());
  return std::move(ledger).value();
}

}  // namespace

TEST_CASE("Check returns the outcomes Append would and writes nothing", "[store][check]") {
  TempDir tmp;
  auto ledger = MustCreate(tmp / "ledger");
  REQUIRE(ledger->Append({Note("n-0", "开户")}).ok());
  const Hash256 root = ledger->root();
  const domain::State state = ledger->state();

  auto checked = ledger->Check({Note("n-0", "开户"), Note("n-1", "第二条"), Note("n-2", "第三条")});
  REQUIRE(checked.ok());
  REQUIRE(checked->size() == 3);
  CHECK((*checked)[0].already_recorded);
  CHECK((*checked)[0].seq == 0);
  CHECK_FALSE((*checked)[1].already_recorded);
  CHECK((*checked)[1].seq == 1);
  CHECK((*checked)[2].seq == 2);

  CHECK(ledger->size() == 1);
  CHECK(ledger->root() == root);
  CHECK(ledger->state() == state);
  CHECK_FALSE(ledger->FindIdempotencyId("n-1")->has_value());
  ledger.reset();
  auto reopened = Ledger::Open(tmp / "ledger", Ledger::Mode::kReadOnly);
  REQUIRE(reopened.ok());
  CHECK((*reopened)->size() == 1);
  CHECK((*reopened)->root() == root);
}

TEST_CASE("Check reports a rule violation with the request's index, as Append does",
          "[store][check]") {
  TempDir tmp;
  auto ledger = MustCreate(tmp / "ledger");
  EntryRequest join{.type = "member.join",
                    .op = Operator{.name = "王会计", .role = "accountant"},
                    .idempotency_id = "join-1",
                    .body = json::Value::Object({{"date", json::Value::String("2022-03-05")},
                                                 {"kind", json::Value::String("unit")},
                                                 {"member_id", json::Value::String("U01")},
                                                 {"name", json::Value::String("大新井村")}})};
  auto checked = ledger->Check({Note("n-0", "开户"), join});
  REQUIRE_FALSE(checked.ok());
  CHECK(checked.status().code() == Code::kRuleViolation);  // no organisation registered
  CHECK(checked.status().where().line == 2);
  auto appended = ledger->Append({Note("n-0", "开户"), join});
  REQUIRE_FALSE(appended.ok());
  CHECK(appended.status().code() == checked.status().code());
  CHECK(appended.status().where().line == checked.status().where().line);
  CHECK(ledger->size() == 0);
}

TEST_CASE("Check finds an idempotency conflict without writing", "[store][check]") {
  TempDir tmp;
  auto ledger = MustCreate(tmp / "ledger");
  REQUIRE(ledger->Append({Note("n-0", "开户")}).ok());
  auto checked = ledger->Check({Note("n-0", "改过的内容")});
  REQUIRE_FALSE(checked.ok());
  CHECK(checked.status().code() == Code::kConflict);
  CHECK(ledger->size() == 1);
}

TEST_CASE("Check works on a ledger opened read-only", "[store][check]") {
  TempDir tmp;
  MustCreate(tmp / "ledger").reset();
  auto ledger = Ledger::Open(tmp / "ledger", Ledger::Mode::kReadOnly);
  REQUIRE(ledger.ok());
  auto checked = (*ledger)->Check({Note("n-0", "开户")});
  REQUIRE(checked.ok());
  CHECK((*checked)[0].seq == 0);
  CHECK((*ledger)->size() == 0);
  CHECK_FALSE((*ledger)->Append({Note("n-0", "开户")}).ok());
}

}  // namespace cunzhang
