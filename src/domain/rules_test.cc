// Pins the contract between the domain rules and the lazy decoder the
// verifier uses: the generic rules read no body, so an entry decoded without
// its body (DecodeEntryLazy) is judged exactly as one decoded in full.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <utility>

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

TEST_CASE("the generic rules read the body of no entry type", "[domain]") {
  for (std::string_view type : {"member.join", "land.contribute", "capital.contribute",
                                "labour.record", "dividend.pay", "a"}) {
    INFO("type: " << type);
    CHECK_FALSE(NeedsBody(type));
  }
}

TEST_CASE("an entry decoded without its body advances the state as a full one", "[domain]") {
  State full;
  State lazy;
  for (uint64_t seq = 0; seq < 3; ++seq) {
    Entry e = EntryOfType(seq == 1 ? "capital.contribute" : "member.join", seq);
    std::string bytes = EncodeEntry(e);
    Result<Entry> decoded = DecodeEntry(bytes);
    REQUIRE(decoded.ok());
    Entry without_body;
    std::string_view body_json;
    REQUIRE(DecodeEntryLazy(bytes, &without_body, &body_json).ok());
    REQUIRE(without_body.body.is_null());
    REQUIRE_FALSE(NeedsBody(without_body.type));
    CHECK(Apply(&full, *decoded).ok());
    CHECK(Apply(&lazy, without_body).ok());
  }
  CHECK(lazy == full);
  CHECK(lazy.entries == 3);
  CHECK(lazy.type_counts.at("member.join") == 2);
}

TEST_CASE("rules applied out of order are refused and leave the state as it was", "[domain]") {
  State state;
  Status s = Apply(&state, EntryOfType("member.join", 1));
  CHECK(s.code() == Code::kInternal);
  CHECK(state == State{});
}

}  // namespace
}  // namespace cunzhang::domain
