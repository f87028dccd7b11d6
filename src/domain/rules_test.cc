// Pins the contract between the domain rules and the lazy decoder the
// verifier uses: the verifier builds an entry's body only when NeedsBody says
// the rules read it, so an entry it leaves without a body must be judged
// exactly as one decoded in full.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cunzhang/domain.h"
#include "cunzhang/entry.h"
#include "cunzhang/limits.h"

namespace cunzhang::domain {
namespace {

Entry EntryOfType(std::string type, uint64_t seq) {
  Entry e;
  e.version = limits::kFormatVersion;
  e.seq = seq;
  e.origin = "cunzhang.example/daxinjing";
  e.time = "2026-11-25T09:30:00+08:00";
  e.type = std::move(type);
  e.op = Operator{.name = "李会计", .role = "accountant"};
  e.idempotency_id = "id-" + std::to_string(seq);
  e.body = json::Value::Object({{"fen", json::Value::Int(500000)}});
  return e;
}

TEST_CASE("every known entry type needs its body; an unknown one does not", "[domain]") {
  const std::vector<std::string> types = EntryTypes();
  REQUIRE_FALSE(types.empty());
  for (const std::string& type : types) {
    INFO("type: " << type);
    CHECK(NeedsBody(type));
  }
  for (std::string_view type : {"land.contribute", "member", "member.join.x", "a"}) {
    INFO("type: " << type);
    CHECK_FALSE(NeedsBody(type));
  }
}

TEST_CASE("an entry of unknown type is refused the same with or without its body", "[domain]") {
  Entry e = EntryOfType("land.contribute", 0);
  std::string bytes = EncodeEntry(e);
  Result<Entry> decoded = DecodeEntry(bytes);
  REQUIRE(decoded.ok());
  Entry without_body;
  std::string_view body_json;
  REQUIRE(DecodeEntryLazy(bytes, &without_body, &body_json).ok());
  REQUIRE(without_body.body.is_null());
  REQUIRE_FALSE(NeedsBody(without_body.type));
  State full;
  State lazy;
  Status full_status = Apply(&full, *decoded);
  Status lazy_status = Apply(&lazy, without_body);
  CHECK(full_status.code() == Code::kRuleViolation);
  CHECK(lazy_status.ToString() == full_status.ToString());
  CHECK(lazy == full);
  CHECK(full == State{});
}

TEST_CASE("rules applied out of order are refused and leave the state as it was", "[domain]") {
  State state;
  Status s = Apply(&state, EntryOfType("member.join", 1));
  CHECK(s.code() == Code::kInternal);
  CHECK(state == State{});
}

}  // namespace
}  // namespace cunzhang::domain
