// Pins the entry envelope (include/cunzhang/entry.h): its canonical bytes, the
// checks on stored bytes and which fault each failure reports, the RFC 3339
// time syntax, requests read from JSON, and the idempotent-retry comparison.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cunzhang/entry.h"
#include "cunzhang/limits.h"
#include "format/entry_decode.h"

namespace cunzhang {
namespace {

using json::Value;

Entry SampleEntry() {
  Entry e;
  e.version = limits::kFormatVersion;
  e.seq = 0;
  e.origin = "cunzhang.example/daxinjing";
  e.time = "2026-11-25T09:30:00+08:00";
  e.type = "member.join";
  e.op = Operator{.name = "李会计", .role = "accountant"};
  e.idempotency_id = "join-0001";
  e.body = Value::Object({{"household", Value::String("H-017")},
                          {"member", Value::String("王秀英")},
                          {"note", Value::String("说 \"你好\"\n第二行\t\x01")},
                          {"shares", Value::String("11.5000")},
                          {"fen", Value::Int(500000)}});
  return e;
}

void CheckSameEntry(const Entry& a, const Entry& b) {
  CHECK(a.version == b.version);
  CHECK(a.seq == b.seq);
  CHECK(a.origin == b.origin);
  CHECK(a.time == b.time);
  CHECK(a.type == b.type);
  CHECK(a.op == b.op);
  CHECK(a.idempotency_id == b.idempotency_id);
  CHECK(a.body == b.body);
  CHECK(a.prev == b.prev);
}

// Why DecodeEntryLazy (and its fast path alone, internal::ReadRawEnvelope)
// disagree with DecodeEntry on `bytes`, or "" when they agree: the same
// success, fault and error, and on success the same envelope, a null body and
// body bytes that are the canonical body.
std::string Disagreement(std::string_view bytes) {
  EntryFault full_fault = EntryFault::kNone;
  Result<Entry> full = DecodeEntry(bytes, &full_fault);
  EntryFault lazy_fault = EntryFault::kNone;
  Entry lazy;
  std::string_view body_json;
  Status lazy_status = DecodeEntryLazy(bytes, &lazy, &body_json, &lazy_fault);
  if (full.ok() != lazy_status.ok()) return "one succeeds, the other fails: " + lazy_status.ToString();
  if (full_fault != lazy_fault) return "faults differ";
  if (!full.ok()) {
    const Status& a = full.status();
    if (a.code() != lazy_status.code() || a.zh() != lazy_status.zh() || a.en() != lazy_status.en() ||
        a.where().ToString() != lazy_status.where().ToString()) {
      return "errors differ: " + a.ToString() + " | " + lazy_status.ToString();
    }
  } else {
    const Entry& e = *full;
    if (e.version != lazy.version || e.seq != lazy.seq || e.origin != lazy.origin ||
        e.time != lazy.time || e.type != lazy.type || !(e.op == lazy.op) ||
        e.idempotency_id != lazy.idempotency_id || !(e.prev == lazy.prev)) {
      return "envelopes differ";
    }
    if (!lazy.body.is_null()) return "the lazy body was built";
    if (json::Canonical(e.body) != body_json) return "body bytes differ";
  }
  // The fast path alone must accept exactly the canonical entries DecodeEntry accepts.
  std::array<json::RawMember, 10> members;
  Result<json::ScanResult> scanned =
      json::Scan(bytes, json::ParseOptions{.depth_max = limits::kJsonDepthMax}, members);
  if (bytes.size() <= limits::kEntryBytesMax && scanned.ok() && scanned->canonical) {
    Entry fast;
    std::string_view fast_body;
    size_t stored = std::min(scanned->members, members.size());
    bool read = internal::ReadRawEnvelope(std::span(members).first(stored), &fast, &fast_body);
    if (read != full.ok()) return read ? "the fast path accepts a bad envelope" : "the fast path rejects";
  }
  return "";
}

// DecodeEntry's answer, once DecodeEntryLazy was checked to give the same.
Result<Entry> Decode(std::string_view bytes, EntryFault* fault = nullptr) {
  INFO("bytes: " << bytes);
  CHECK(Disagreement(bytes).empty());
  return DecodeEntry(bytes, fault);
}

// The canonical bytes of the sample entry with one member replaced (or
// removed, when `value` is nullptr) or added.
std::string SampleWith(std::string_view key, const Value* value) {
  Value v = EntryToJson(SampleEntry());
  std::vector<json::Member>* members = v.mutable_members();
  if (value == nullptr) {
    std::erase_if(*members, [&](const json::Member& m) { return m.first == key; });
  } else {
    v.Set(std::string(key), *value);
  }
  return json::Canonical(v);
}

// Decodes bytes that must fail the envelope checks; returns the status.
Status EnvelopeFailure(std::string_view bytes) {
  EntryFault fault = EntryFault::kNone;
  Result<Entry> r = Decode(bytes, &fault);
  INFO("bytes: " << bytes);
  REQUIRE_FALSE(r.ok());
  CHECK(fault == EntryFault::kEnvelope);
  CHECK(r.status().code() == Code::kInvalidInput);
  return r.status();
}

std::string EnvelopeFailureField(std::string_view key, const Value& value) {
  return EnvelopeFailure(SampleWith(key, &value)).where().field;
}

// ---- Encoding ----

TEST_CASE("EncodeEntry writes the canonical form of EntryToJson", "[entry]") {
  Entry e = SampleEntry();
  std::string bytes = EncodeEntry(e);
  CHECK(bytes == json::Canonical(EntryToJson(e)));
  Result<json::Parsed> parsed = json::Parse(bytes);
  REQUIRE(parsed.ok());
  CHECK(parsed->canonical);
  CHECK(bytes.find('\n') == std::string::npos);
  CHECK(bytes.rfind("{\"body\":{\"fen\":500000,\"household\":\"H-017\",\"member\":\"王秀英\"", 0) == 0);
  CHECK(bytes.find("\"prev\":\"" + std::string(64, '0') + "\",\"seq\":0,") != std::string::npos);
  CHECK(bytes.find("\"note\":\"说 \\\"你好\\\"\\n第二行\\t\\u0001\"") != std::string::npos);
  CHECK(bytes.ends_with(",\"type\":\"member.join\",\"v\":1}"));
}

TEST_CASE("DecodeEntry of EncodeEntry gives back the same entry and bytes", "[entry]") {
  Entry e = SampleEntry();
  e.seq = 41;
  e.prev = Sha256("the entry before");
  e.op.role = "system";
  e.time = "2024-02-29T23:59:59.123456789Z";
  std::string bytes = EncodeEntry(e);
  EntryFault fault = EntryFault::kJson;
  Result<Entry> back = Decode(bytes, &fault);
  REQUIRE(back.ok());
  CHECK(fault == EntryFault::kNone);
  CheckSameEntry(*back, e);
  CHECK(EncodeEntry(*back) == bytes);
}

TEST_CASE("an entry of exactly the size limit is accepted and one byte more is not", "[entry]") {
  Entry e = SampleEntry();
  size_t base = EncodeEntry(e).size();
  e.body.Set("pad", Value::String(""));
  size_t with_pad = EncodeEntry(e).size();
  e.body.Set("pad", Value::String(std::string(limits::kEntryBytesMax - with_pad, 'x')));
  std::string at_limit = EncodeEntry(e);
  REQUIRE(at_limit.size() == limits::kEntryBytesMax);
  CHECK(base < with_pad);
  CHECK(Decode(at_limit).ok());

  e.body.Set("pad", Value::String(std::string(limits::kEntryBytesMax - with_pad + 1, 'x')));
  std::string over = EncodeEntry(e);
  REQUIRE(over.size() == limits::kEntryBytesMax + 1);
  EntryFault fault = EntryFault::kNone;
  Result<Entry> r = Decode(over, &fault);
  REQUIRE_FALSE(r.ok());
  CHECK(fault == EntryFault::kTooLarge);
}

// ---- Faults of stored bytes ----

TEST_CASE("bytes that are not JSON of the subset report a JSON fault", "[entry]") {
  std::string good = EncodeEntry(SampleEntry());
  for (std::string bad : {std::string(), std::string("{"), good.substr(0, good.size() - 1),
                          good + "x", std::string("{\"v\":1.0}"), std::string("[1,2]x"),
                          std::string("{\"a\":1,\"a\":1}")}) {
    EntryFault fault = EntryFault::kNone;
    Result<Entry> r = Decode(bad, &fault);
    INFO("bytes: " << bad);
    REQUIRE_FALSE(r.ok());
    CHECK(fault == EntryFault::kJson);
  }
}

TEST_CASE("valid JSON that is not canonical reports a not-canonical fault", "[entry]") {
  std::string good = EncodeEntry(SampleEntry());
  std::string spaced = good;
  spaced.insert(spaced.find(':') + 1, " ");
  std::string escaped = good;
  escaped.replace(escaped.find("H-017"), 5, "H\\u002d017");
  std::string solidus = good;
  solidus.replace(solidus.find("cunzhang.example/"), 17, "cunzhang.example\\/");
  std::string reordered = "{\"v\":1," + good.substr(1, good.size() - 8) + "}";
  REQUIRE(json::Parse(reordered).ok());
  for (const std::string& bad : {good + "\n", " " + good, spaced, escaped, solidus, reordered}) {
    EntryFault fault = EntryFault::kNone;
    Result<Entry> r = Decode(bad, &fault);
    INFO("bytes: " << bad);
    REQUIRE_FALSE(r.ok());
    CHECK(fault == EntryFault::kNotCanonical);
    CHECK(r.status().code() == Code::kCorruption);
  }
}

TEST_CASE("every envelope member is required", "[entry]") {
  for (std::string_view key : {field::kBody, field::kIdempotencyId, field::kOperator,
                               field::kOrigin, field::kPrev, field::kSeq, field::kTime,
                               field::kType, field::kVersion}) {
    Status s = EnvelopeFailure(SampleWith(key, nullptr));
    CHECK(s.where().field == key);
    CHECK(s.en().find("missing") != std::string::npos);
  }
  Value op_without_role = Value::Object({{"name", Value::String("李会计")}});
  CHECK(EnvelopeFailureField("operator", op_without_role) == "operator.role");
  Value op_without_name = Value::Object({{"role", Value::String("clerk")}});
  CHECK(EnvelopeFailureField("operator", op_without_name) == "operator.name");
}

TEST_CASE("envelope members of the wrong type are rejected by name", "[entry]") {
  CHECK(EnvelopeFailureField("v", Value::String("1")) == "v");
  CHECK(EnvelopeFailureField("seq", Value::String("0")) == "seq");
  CHECK(EnvelopeFailureField("origin", Value::Int(1)) == "origin");
  CHECK(EnvelopeFailureField("time", Value::Int(1)) == "time");
  CHECK(EnvelopeFailureField("type", Value()) == "type");
  CHECK(EnvelopeFailureField("idempotency_id", Value::Int(7)) == "idempotency_id");
  CHECK(EnvelopeFailureField("operator", Value::String("李会计")) == "operator");
  CHECK(EnvelopeFailureField("prev", Value::Int(0)) == "prev");
  CHECK(EnvelopeFailureField("body", Value::Array()) == "body");
  CHECK(EnvelopeFailureField("body", Value::String("{}")) == "body");
  Value op = Value::Object({{"name", Value::Int(1)}, {"role", Value::String("clerk")}});
  CHECK(EnvelopeFailureField("operator", op) == "operator.name");
  // Both languages say what was expected and what was found.
  const Value time = Value::Int(1);
  const Status wrong_time = EnvelopeFailure(SampleWith("time", &time));
  CHECK(wrong_time.zh() == "类型应为 string，实为 integer");
  CHECK(wrong_time.en() == "must be of type string, found integer");
  const Value body = Value::Array();
  const Status wrong_body = EnvelopeFailure(SampleWith("body", &body));
  CHECK(wrong_body.zh() == "类型应为 object，实为 array");
  CHECK(wrong_body.en() == "must be of type object, found array");
  const Value seq = Value::String("0");
  CHECK(EnvelopeFailure(SampleWith("seq", &seq)).zh() == "类型应为 integer，实为 string");
}

TEST_CASE("unknown members are rejected, at the top and inside operator", "[entry]") {
  CHECK(EnvelopeFailureField("extra", Value::Int(1)) == "extra");
  CHECK(EnvelopeFailureField("Body", Value::Object()) == "Body");
  Value op = Value::Object({{"name", Value::String("李会计")},
                            {"role", Value::String("clerk")},
                            {"phone", Value::String("138")}});
  CHECK(EnvelopeFailureField("operator", op) == "operator.phone");
  // The body is the caller's: any members are fine there.
  Entry e = SampleEntry();
  e.body.Set("anything_at_all", Value::Array({Value()}));
  CHECK(Decode(EncodeEntry(e)).ok());
}

TEST_CASE("only format version 1 is read", "[entry]") {
  for (int64_t v : {0, 2, -1}) CHECK(EnvelopeFailureField("v", Value::Int(v)) == "v");
}

TEST_CASE("a negative seq is rejected", "[entry]") {
  CHECK(EnvelopeFailureField("seq", Value::Int(-1)) == "seq");
  Value largest = Value::Int(limits::kJsonIntegerMax);
  CHECK(Decode(SampleWith("seq", &largest)).ok());
}

TEST_CASE("prev must be 64 lower-case hex digits", "[entry]") {
  std::string hex = Sha256("x").Hex();
  std::string upper = hex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& bad : {upper, hex.substr(0, 63), hex + "0", std::string(),
                                 std::string(63, '0') + "g", "0x" + hex.substr(2)}) {
    INFO("prev: " << bad);
    CHECK(EnvelopeFailureField("prev", Value::String(bad)) == "prev");
  }
  Value good = Value::String(hex);
  Result<Entry> ok = Decode(SampleWith("prev", &good));
  REQUIRE(ok.ok());
  CHECK(ok->prev == Sha256("x"));
}

TEST_CASE("origin is printable ASCII without spaces or plus signs", "[entry]") {
  CHECK(CheckOrigin("a").ok());
  CHECK(CheckOrigin("cunzhang.example/daxinjing").ok());
  CHECK(CheckOrigin("x-y_z:8080/a~b").ok());
  for (std::string_view bad : {"", "daxin jing", "daxin+jing", "村账", "a\tb", "a\x7f", "a\nb"}) {
    INFO("origin: " << bad);
    Status s = CheckOrigin(bad);
    CHECK_FALSE(s.ok());
    CHECK(s.where().field == "origin");
  }
  CHECK(CheckOrigin(std::string(limits::kOriginBytesMax, 'o')).ok());
  CHECK_FALSE(CheckOrigin(std::string(limits::kOriginBytesMax + 1, 'o')).ok());
  CHECK(EnvelopeFailureField("origin", Value::String("daxin jing")) == "origin");
  CHECK(EnvelopeFailureField("origin", Value::String("daxin+jing")) == "origin");
}

TEST_CASE("type is a lower-case dotted name", "[entry]") {
  for (std::string_view good : {"a", "member.join", "capital.contribution", "a1_b.c", "x_.y9",
                                "a.b.c.d"}) {
    INFO("type: " << good);
    CHECK(CheckType(good).ok());
  }
  CHECK(CheckType(std::string(limits::kTypeBytesMax, 'a')).ok());
  for (std::string_view bad : {"", "Member.join", "member..join", ".member", "member.", "1member",
                               "member.1a", "_a", "a._b", "member-join", "member join", "会员.加入",
                               "member.join\n"}) {
    INFO("type: " << bad);
    Status s = CheckType(bad);
    CHECK_FALSE(s.ok());
    CHECK(s.where().field == "type");
  }
  CHECK_FALSE(CheckType(std::string(limits::kTypeBytesMax + 1, 'a')).ok());
  CHECK(EnvelopeFailureField("type", Value::String("Member")) == "type");
}

TEST_CASE("idempotency id is 1 to 128 bytes of UTF-8 without controls", "[entry]") {
  CHECK(CheckIdempotencyId("join-0001").ok());
  CHECK(CheckIdempotencyId("入社 2026/王秀英").ok());
  CHECK(CheckIdempotencyId(std::string(limits::kIdempotencyIdBytesMax, 'i')).ok());
  for (const std::string& bad : {std::string(), std::string(limits::kIdempotencyIdBytesMax + 1, 'i'),
                                 std::string("a\nb"), std::string("a\x7f"), std::string("\xE7\x8E")}) {
    Status s = CheckIdempotencyId(bad);
    CHECK_FALSE(s.ok());
    CHECK(s.where().field == "idempotency_id");
  }
  CHECK(EnvelopeFailureField("idempotency_id", Value::String("")) == "idempotency_id");
  CHECK(EnvelopeFailureField("idempotency_id",
                             Value::String(std::string(limits::kIdempotencyIdBytesMax + 1, 'i'))) ==
        "idempotency_id");
}

TEST_CASE("operator has a name and one of the known roles", "[entry]") {
  for (const char* role : kOperatorRoles) CHECK(CheckOperator({"王秀英", role}).ok());
  CHECK(std::size(kOperatorRoles) == 5);
  for (std::string_view bad : {"boss", "Accountant", "", "clerk "}) {
    Status s = CheckOperator({"王秀英", std::string(bad)});
    CHECK_FALSE(s.ok());
    CHECK(s.where().field == "operator.role");
  }
  CHECK(CheckOperator({std::string(limits::kOperatorNameBytesMax, 'n'), "clerk"}).ok());
  CHECK(CheckOperator({"", "clerk"}).where().field == "operator.name");
  CHECK(CheckOperator({std::string(limits::kOperatorNameBytesMax + 1, 'n'), "clerk"}).where().field ==
        "operator.name");
  CHECK(CheckOperator({"a\tb", "clerk"}).where().field == "operator.name");
  Value op = Value::Object({{"name", Value::String("李会计")}, {"role", Value::String("boss")}});
  CHECK(EnvelopeFailureField("operator", op) == "operator.role");
}

// ---- Time ----

TEST_CASE("CheckTime accepts RFC 3339 date-times with an offset", "[entry]") {
  for (std::string_view good : {"2026-11-25T09:30:00+08:00", "2024-02-29T00:00:00Z",
                                "2000-02-29T12:00:00-05:30", "1999-12-31T23:59:59.5+00:00",
                                "2026-01-01T00:00:00.123456789Z", "2026-06-30T12:00:00-00:00",
                                "0001-01-01T00:00:00Z", "2026-12-31T23:59:59+23:59"}) {
    INFO("time: " << good);
    CHECK(CheckTime(good).ok());
  }
}

TEST_CASE("CheckTime rejects everything else", "[entry]") {
  for (std::string_view bad : {
           "2023-02-29T00:00:00Z",           // not a leap year
           "1900-02-29T00:00:00Z",           // century, not a leap year
           "2026-04-31T00:00:00Z",           // April has 30 days
           "2026-13-01T00:00:00Z",           // month 13
           "2026-00-01T00:00:00Z",           // month 0
           "2026-01-00T00:00:00Z",           // day 0
           "0000-01-01T00:00:00Z",           // year 0
           "2026-11-25T09:30:00",            // no offset
           "2026-11-25T09:30:00.5",          // fraction, no offset
           "2026-11-25t09:30:00Z",           // lower-case t
           "2026-11-25T09:30:00z",           // lower-case z
           "2026-11-25 09:30:00+08:00",      // space instead of T
           "2026-11-25T24:00:00Z",           // hour 24
           "2026-11-25T09:60:00Z",           // minute 60
           "2016-12-31T23:59:60Z",           // leap second
           "2026-11-25T09:30:00.0123456789Z",  // ten fraction digits
           "2026-11-25T09:30:00.Z",          // empty fraction
           "2026-11-25T09:30:00+24:00",      // offset hour 24
           "2026-11-25T09:30:00+08:60",      // offset minute 60
           "2026-11-25T09:30:00+0800",       // offset without colon
           "2026-11-25T09:30:00+08",         // offset without minutes
           "2026-11-25T09:30:00Z ",          // trailing space
           "2026-11-25T09:30:00ZZ",          // trailing characters
           "2026-11-25T09:30:00+08:00x",     // trailing characters
           "26-11-25T09:30:00Z",             // two-digit year
           "2026-1-25T09:30:00Z",            // one-digit month
           "2026-11-25T9:30:00Z",            // one-digit hour
           "２０２６-11-25T09:30:00Z",         // full-width digits
           "",
       }) {
    INFO("time: " << bad);
    Status s = CheckTime(bad);
    CHECK_FALSE(s.ok());
    CHECK(s.where().field == "time");
  }
  CHECK_FALSE(CheckTime(std::string(100, '2')).ok());
  CHECK(EnvelopeFailureField("time", Value::String("2023-02-29T00:00:00Z")) == "time");
}

TEST_CASE("NowRfc3339 passes CheckTime", "[entry]") {
  std::string now = NowRfc3339();
  INFO("now: " << now);
  CHECK(CheckTime(now).ok());
  CHECK(now.size() == 25);
}

// ---- Retries ----

// ---- Decoding without the body ----

TEST_CASE("DecodeEntryLazy leaves the body unbuilt and points at its bytes", "[entry]") {
  Entry e = SampleEntry();
  std::string bytes = EncodeEntry(e);
  Entry lazy;
  std::string_view body_json;
  EntryFault fault = EntryFault::kJson;
  REQUIRE(DecodeEntryLazy(bytes, &lazy, &body_json, &fault).ok());
  CHECK(fault == EntryFault::kNone);
  CHECK(lazy.body.is_null());
  CHECK(body_json == json::Canonical(e.body));
  CHECK(body_json.data() == bytes.data() + 8);  // a view into the bytes, after {"body":
  lazy.body = e.body;
  CheckSameEntry(lazy, e);
}

TEST_CASE("DecodeEntryLazy into a used entry overwrites every field", "[entry]") {
  Entry first = SampleEntry();
  first.idempotency_id = "a-rather-long-idempotency-id-that-is-not-short";
  Entry second = SampleEntry();
  second.seq = 7;
  second.prev = Sha256("x");
  second.op = Operator{.name = "王", .role = "auditor"};
  second.origin = "o";
  second.time = "2026-01-01T00:00:00Z";
  second.type = "a";
  second.idempotency_id = "i";
  Entry reused;
  std::string_view body_json;
  REQUIRE(DecodeEntryLazy(EncodeEntry(first), &reused, &body_json).ok());
  reused.body = first.body;  // as a caller that needed the body would
  std::string bytes = EncodeEntry(second);
  REQUIRE(DecodeEntryLazy(bytes, &reused, &body_json).ok());
  CHECK(reused.body.is_null());
  reused.body = second.body;
  CheckSameEntry(reused, second);
}

TEST_CASE("DecodeEntryLazy reads escaped envelope strings like DecodeEntry", "[entry]") {
  Entry e = SampleEntry();
  e.idempotency_id = "say \"hi\" \\ then 王";
  e.op.name = "李\"会计\"";
  CHECK(Decode(EncodeEntry(e)).ok());
  e.op.name = "a\tb";  // a control character: the envelope refuses it
  CHECK_FALSE(Decode(EncodeEntry(e)).ok());
}

TEST_CASE("an envelope value accepted once does not let a bad one through after it", "[entry]") {
  // DecodeEntryLazy skips checking an origin, type or operator equal to the
  // last it accepted; each bad value below follows a good entry.
  auto bad = [](auto change) {
    Entry e = SampleEntry();
    change(e);
    return EncodeEntry(e);
  };
  const std::vector<std::string> damaged = {
      bad([](Entry& e) { e.origin = "daxin jing"; }),
      bad([](Entry& e) { e.origin = ""; }),
      bad([](Entry& e) { e.type = "Member.Join"; }),
      bad([](Entry& e) { e.type = ""; }),
      bad([](Entry& e) { e.op.role = "boss"; }),
      bad([](Entry& e) { e.op = Operator{}; }),
      bad([](Entry& e) { e.op.name = "a\tb"; }),
  };
  for (const std::string& bytes : damaged) {
    INFO(bytes);
    REQUIRE(Decode(EncodeEntry(SampleEntry())).ok());
    Entry entry;
    std::string_view body;
    CHECK_FALSE(DecodeEntryLazy(bytes, &entry, &body).ok());
    CHECK_FALSE(Decode(bytes).ok());
  }
}

TEST_CASE("both decoders agree on thousands of damaged entries", "[entry]") {
  std::mt19937_64 rng(7);
  auto below = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  std::vector<std::string> seeds;
  for (int i = 0; i < 4; ++i) {
    Entry e = SampleEntry();
    e.seq = static_cast<uint64_t>(i) * 1000003;
    e.prev = Sha256(std::to_string(i));
    e.op.role = kOperatorRoles[static_cast<size_t>(i)];
    seeds.push_back(EncodeEntry(e));
  }
  static constexpr std::string_view kBytes = "{}[]\":,\\ 0123456789abcdefvx-.\x80\xe7\xff";
  size_t ok = 0;
  size_t envelope = 0;
  size_t disagreements = 0;
  std::string first;
  for (int i = 0; i < 20000; ++i) {
    std::string bytes = seeds[below(seeds.size())];
    for (size_t edits = 1 + below(2); edits > 0; --edits) {
      size_t at = below(bytes.size());
      switch (below(4)) {
        case 0: bytes[at] = static_cast<char>(bytes[at] ^ (1 << below(8))); break;
        case 1: bytes[at] = kBytes[below(kBytes.size())]; break;
        case 2: bytes.erase(at, 1); break;
        default: bytes.insert(at, 1, kBytes[below(kBytes.size())]);
      }
    }
    std::string why = Disagreement(bytes);
    if (!why.empty() && disagreements++ == 0) first = bytes + "\n" + why;
    EntryFault fault = EntryFault::kNone;
    ok += DecodeEntry(bytes, &fault).ok();
    envelope += fault == EntryFault::kEnvelope;
  }
  INFO("first disagreement: " << first);
  CHECK(disagreements == 0);
  // The damage reaches valid entries and envelope faults, not only bad JSON.
  CHECK(ok > 500);
  CHECK(envelope > 500);
}

TEST_CASE("SameRequest compares content and the time only when the request sets it", "[entry]") {
  Entry e = SampleEntry();
  EntryRequest req{.type = e.type, .op = e.op, .idempotency_id = e.idempotency_id, .body = e.body};
  CHECK(SameRequest(e, req));  // no time in the request: the writer stamped it
  req.time = e.time;
  CHECK(SameRequest(e, req));
  req.time = "2026-11-25T09:30:01+08:00";
  CHECK_FALSE(SameRequest(e, req));
  req.time.clear();

  EntryRequest other = req;
  other.type = "member.leave";
  CHECK_FALSE(SameRequest(e, other));
  other = req;
  other.op.role = "clerk";
  CHECK_FALSE(SameRequest(e, other));
  other = req;
  other.op.name = "王秀英";
  CHECK_FALSE(SameRequest(e, other));
  other = req;
  other.idempotency_id = "join-0002";
  CHECK_FALSE(SameRequest(e, other));
  other = req;
  other.body.Set("fen", Value::Int(500001));
  CHECK_FALSE(SameRequest(e, other));
  other = req;
  other.body.Set("fen", Value::String("500000"));
  CHECK_FALSE(SameRequest(e, other));
}

}  // namespace
}  // namespace cunzhang
