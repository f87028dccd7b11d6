// Status and Result: an OK status carries nothing; an error carries its words
// and its place through copies, moves and added context.
#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "cunzhang/status.h"

namespace cunzhang {
namespace {

Status Error() {
  return Status(Code::kRuleViolation, "金额须大于 0", "amount must be positive",
                Where{.field = "amount_fen"});
}

TEST_CASE("an error keeps its words and place through copies and moves", "[status]") {
  Status original = Error();
  Status copy = original;
  CHECK(copy.code() == Code::kRuleViolation);
  CHECK(copy.zh() == "金额须大于 0");
  CHECK(copy.en() == "amount must be positive");
  CHECK(copy.where().field == "amount_fen");
  copy.mutable_where().field = "body.amount_fen";
  CHECK(original.where().field == "amount_fen");  // a copy is its own

  Status moved = std::move(copy);
  CHECK(moved.where().field == "body.amount_fen");
  CHECK(copy.ok());  // NOLINT(bugprone-use-after-move): a moved-from status is OK
  CHECK(copy.zh().empty());

  Status assigned;
  assigned = moved;
  CHECK(assigned.ToString() == moved.ToString());
  assigned = Status::Ok();
  CHECK(assigned.ok());
  CHECK(assigned.ToString() == "OK");
}

TEST_CASE("context fills only what an error does not name yet, and leaves OK alone",
          "[status]") {
  Status s = Error().AddContext(Where{.file = "in.jsonl", .line = 7, .field = "body", .entry = 3});
  CHECK(s.where().file == "in.jsonl");
  CHECK(s.where().line == 7);
  CHECK(s.where().entry == 3);
  CHECK(s.where().field == "body.amount_fen");
  CHECK(s.ToString() == "in.jsonl:7, entry 3, field body.amount_fen: 金额须大于 0 / amount must be positive");

  Status ok = Status::Ok().AddContext(Where{.file = "in.jsonl", .line = 7});
  CHECK(ok.ok());
  CHECK(ok.where().file.empty());
  CHECK(ok.where().line == 0);
}

TEST_CASE("a Result holds a value or an error", "[status]") {
  Result<std::string> value = std::string("M001");
  REQUIRE(value.ok());
  CHECK(*value == "M001");
  CHECK(value.status().ok());
  Result<std::string> error = Error();
  REQUIRE_FALSE(error.ok());
  CHECK(error.status().en() == "amount must be positive");
  Status taken = std::move(error).status();
  CHECK(taken.where().field == "amount_fen");
}

}  // namespace
}  // namespace cunzhang
