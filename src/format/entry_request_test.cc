// Pins what the writer reads before an entry exists: a request as JSON
// (RequestFromJson: every member, what is left to the writer, errors that
// name the field and keep the caller's place). entry_test.cc pins entries.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "cunzhang/entry.h"
#include "cunzhang/limits.h"

namespace cunzhang {
namespace {

using json::Value;

// ---- Requests ----

Value SampleRequestJson() {
  return Value::Object({{"type", Value::String("capital.contribution")},
                        {"operator", Value::Object({{"name", Value::String("李会计")},
                                                    {"role", Value::String("accountant")}})},
                        {"idempotency_id", Value::String("cap-2026-001")},
                        {"body", Value::Object({{"fen", Value::Int(500000)}})},
                        {"time", Value::String("2026-11-25T10:00:00+08:00")}});
}

Status RequestFailure(const Value& v) {
  Where where{.file = "input.jsonl", .line = 7};
  Result<EntryRequest> r = RequestFromJson(v, where);
  INFO("request: " << json::Canonical(v));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kInvalidInput);
  CHECK(r.status().where().file == "input.jsonl");
  CHECK(r.status().where().line == 7);
  return r.status();
}

std::string RequestFailureField(std::string_view key, const Value* value) {
  Value v = SampleRequestJson();
  if (value == nullptr) {
    std::erase_if(*v.mutable_members(), [&](const json::Member& m) { return m.first == key; });
  } else {
    v.Set(std::string(key), *value);
  }
  return RequestFailure(v).where().field;
}

TEST_CASE("RequestFromJson reads every member", "[entry]") {
  Result<EntryRequest> r = RequestFromJson(SampleRequestJson(), Where{});
  REQUIRE(r.ok());
  CHECK(r->type == "capital.contribution");
  CHECK(r->op == Operator{"李会计", "accountant"});
  CHECK(r->idempotency_id == "cap-2026-001");
  CHECK(r->body == Value::Object({{"fen", Value::Int(500000)}}));
  CHECK(r->time == "2026-11-25T10:00:00+08:00");
}

TEST_CASE("RequestFromJson leaves operator and time to the writer when absent", "[entry]") {
  Value v = SampleRequestJson();
  std::erase_if(*v.mutable_members(),
                [](const json::Member& m) { return m.first == "operator" || m.first == "time"; });
  Result<EntryRequest> r = RequestFromJson(v, Where{});
  REQUIRE(r.ok());
  CHECK(r->op == Operator{});
  CHECK(r->time.empty());
}

TEST_CASE("RequestFromJson errors name the field and keep the caller's place", "[entry]") {
  CHECK(RequestFailure(Value::Array()).where().field.empty());
  CHECK(RequestFailureField("type", nullptr) == "type");
  CHECK(RequestFailureField("idempotency_id", nullptr) == "idempotency_id");
  CHECK(RequestFailureField("body", nullptr) == "body");
  Value v;
  v = Value::String("Bad Type");
  CHECK(RequestFailureField("type", &v) == "type");
  v = Value::Int(3);
  CHECK(RequestFailureField("type", &v) == "type");
  v = Value::String("");
  CHECK(RequestFailureField("idempotency_id", &v) == "idempotency_id");
  v = Value::Array();
  CHECK(RequestFailureField("body", &v) == "body");
  v = Value::Int(1);
  CHECK(RequestFailureField("time", &v) == "time");
  {
    // A wrong type says what it found, in both languages.
    Value wrong = SampleRequestJson();
    wrong.Set("time", Value::Int(1));
    const Status time = RequestFailure(wrong);
    CHECK(time.zh() == "类型应为 string，实为 integer");
    CHECK(time.en() == "must be of type string, found integer");
    wrong = SampleRequestJson();
    wrong.Set("body", Value::Array());
    CHECK(RequestFailure(wrong).zh() == "类型应为 object，实为 array");
  }
  v = Value::String("2026-11-25 10:00");
  CHECK(RequestFailureField("time", &v) == "time");
  v = Value::String("clerk");
  CHECK(RequestFailureField("operator", &v) == "operator");
  v = Value::Object({{"name", Value::String("李会计")}, {"role", Value::String("boss")}});
  CHECK(RequestFailureField("operator", &v) == "operator.role");
  v = Value::Object({{"role", Value::String("clerk")}});
  CHECK(RequestFailureField("operator", &v) == "operator.name");
  v = Value::Object({{"name", Value::String("x")}, {"role", Value::String("clerk")}, {"id", Value::Int(1)}});
  CHECK(RequestFailureField("operator", &v) == "operator.id");
  // The writer sets these: a request that carries them is refused.
  v = Value::Int(0);
  CHECK(RequestFailureField("seq", &v) == "seq");
  v = Value::String(std::string(64, '0'));
  CHECK(RequestFailureField("prev", &v) == "prev");
  v = Value::Int(1);
  CHECK(RequestFailureField("v", &v) == "v");
}

}  // namespace
}  // namespace cunzhang
