// Pins the JSON subset the ledger hashes (include/cunzhang/json.h) and its
// RFC 8785 canonical form. (hash.h: hash_test.cc.)
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "cunzhang/hash.h"  // HexEncode, in messages
#include "cunzhang/json.h"
#include "cunzhang/limits.h"
#include "format/json_fast_scan.h"

namespace cunzhang::json {
namespace {

// Why Parse and Scan disagree on `text`, or "" when they agree: both accept
// it with the same canonical flag and member count, or both reject it with
// the same error (code, messages, file, line, column and field).
std::string Disagreement(std::string_view text, const ParseOptions& options = {}) {
  Result<Parsed> built = Parse(text, options);
  Result<ScanResult> scanned = Scan(text, options);
  if (built.ok() != scanned.ok()) {
    return built.ok() ? "Scan rejects: " + scanned.status().ToString()
                       : "Scan accepts; Parse rejects: " + built.status().ToString();
  }
  if (built.ok()) {
    if (built->canonical != scanned->canonical) return "canonical flags differ";
    size_t members = built->value.is_object() ? built->value.members().size() : 0;
    if (members != scanned->members) return "member counts differ";
    return "";
  }
  const Status& a = built.status();
  const Status& b = scanned.status();
  if (a.code() != b.code() || a.zh() != b.zh() || a.en() != b.en() ||
      a.where().ToString() != b.where().ToString()) {
    return "errors differ: " + a.ToString() + " | " + b.ToString();
  }
  return "";
}

void CheckModesAgree(std::string_view text, const ParseOptions& options = {}) {
  INFO("text: " << text);
  CHECK(Disagreement(text, options).empty());
}

// The error of a text that must be rejected, in both modes.
Status Rejection(std::string_view text, const ParseOptions& options = {}) {
  CheckModesAgree(text, options);
  Result<Parsed> r = Parse(text, options);
  INFO("text: " << text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kInvalidInput);
  return r.status();
}

void Rejects(std::string_view text) { CHECK_FALSE(Rejection(text).ok()); }

// The parse of a text that must be accepted, in both modes.
Parsed Accepted(std::string_view text) {
  CheckModesAgree(text);
  Result<Parsed> r = Parse(text);
  INFO("text: " << text << "\nerror: " << r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

bool IsCanonical(std::string_view text) { return Accepted(text).canonical; }

std::string CanonicalOf(std::string_view text) { return Canonical(Accepted(text).value); }

std::string Nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// Whether Scan's canonical fast path confirms `text` on its own.
bool FastCanonical(std::string_view text, size_t depth_max = limits::kJsonDepthMax) {
  size_t members = 0;
  return internal::ScanCanonical(text, depth_max, {}, &members);
}

// The canonical texts of the first test case.
constexpr std::string_view kCanonicalTexts[] = {
    "{}", "[]", "0", "-1", "true", "false", "null", "\"\"", "{\"a\":1}",
    "{\"a\":[1,2,{\"b\":null}],\"c\":\"x\"}", "[1,-9007199254740991,9007199254740991]",
    "\"/\"", "\"\\\"\\\\\\b\\f\\n\\r\\t\"", "\"\\u0000\\u001f\\u000b\"",
    "\"王秀英\"", "\"é\"", "\"\x7f\"", "\"\xF0\x9F\x98\x80\"", "{\"B\":1,\"a\":2}",
    "{\"a\":1,\"aa\":2}", "{\"a_\":1,\"ab\":2}"};

// ---- Canonical form ----

TEST_CASE("canonical text is recognised as canonical", "[json]") {
  for (std::string_view text : kCanonicalTexts) {
    INFO("text: " << text);
    CHECK(IsCanonical(text));
    CHECK(CanonicalOf(text) == text);
  }
}

TEST_CASE("near-miss texts are parsed but flagged as not canonical", "[json]") {
  for (std::string_view text : {
           "{\"a\": 1}",               // a space after the colon
           "{\"a\":1 }",               // a space before the brace
           " {\"a\":1}",               // leading space
           "{\"a\":1}\n",              // trailing newline
           "{\"a\":1}\r\n",            // trailing CRLF
           "[1,\t2]",                  // a tab
           "{\"b\":1,\"a\":2}",        // unsorted keys
           "{\"aa\":1,\"a\":2}",       // a prefix sorts first
           "{\"a\":1,\"B\":2}",        // upper case sorts before lower case
           "{\"x\":{\"c\":1,\"b\":2}}",  // unsorted keys one level down
           "[{\"c\":1,\"b\":2}]",      // unsorted keys inside an array
           "\"\\/\"",                  // escaped solidus
           "\"\\u0041\"",              // escaped printable ASCII
           "\"\\u001F\"",              // upper-case hex digit
           "\"\\u00e9\"",              // escaped non-ASCII
           "\"\\u00E9\"",              // escaped non-ASCII, upper case
           "\"\\u000a\"",              // control with a short form, escaped long
           "\"\\u0008\"",              // \b written long
           "\"\\u0022\"",              // quote written long
           "\"\\u005c\"",              // backslash written long
           "\"\\u007f\"",              // DEL is written as it is
           "\"\\ud83d\\ude00\"",       // a surrogate pair instead of UTF-8
           "-0",                       // negative zero
           "[-0]",
       }) {
    INFO("text: " << text);
    CHECK_FALSE(IsCanonical(text));
    CHECK_FALSE(FastCanonical(text));
  }
}

TEST_CASE("the canonical flag is true exactly when the text equals its canonical form", "[json]") {
  for (std::string_view text :
       {"{\"a\":1}", "{\"a\": 1}", "{\"b\":1,\"a\":2}", "\"\\/\"", "\"/\"", "\"\\u0041\"", "\"A\"",
        "\"\\u001F\"", "\"\\u001f\"", "\"\\u00e9\"", "\"é\"", "-0", "0", "[1,2]", "[1, 2]",
        "\"\\t\"", "\"\\u0009\"", "\"\\\"\"", "\"\\u0022\"", "{\"a\":{\"b\":[{}]}}", "[true,false,null]",
        "[ ]", "{\"a\":1}\n", "\"\\ud83d\\ude00\"", "\"\\uD83D\\uDE00\"", "\"\xF0\x9F\x98\x80\"",
        "\"\\u0000\"", "\"\\u007f\"", "\"\x7f\""}) {
    Parsed p = Accepted(text);
    INFO("text: " << text);
    CHECK(p.canonical == (Canonical(p.value) == text));
  }
}

TEST_CASE("canonicalisation sorts keys, drops white space and escapes minimally", "[json]") {
  CHECK(CanonicalOf(" { \"b\" : [ 1 , 2 ] ,\n \"a\" : { \"d\" : true , \"c\" : null } } ") ==
        "{\"a\":{\"c\":null,\"d\":true},\"b\":[1,2]}");
  CHECK(CanonicalOf("\"\\/\"") == "\"/\"");
  CHECK(CanonicalOf("\"\\u0041\"") == "\"A\"");
  CHECK(CanonicalOf("\"\\u00e9\\u738b\"") == "\"é王\"");
  CHECK(CanonicalOf("\"\\u001F\"") == "\"\\u001f\"");
  CHECK(CanonicalOf("\"\\u0008\\u000C\\u000a\\u000d\\u0009\"") == "\"\\b\\f\\n\\r\\t\"");
  CHECK(CanonicalOf("\"\\u0001\\u000b\\u001e\"") == "\"\\u0001\\u000b\\u001e\"");
  CHECK(CanonicalOf("\"\\u007f\"") == "\"\x7f\"");
  CHECK(CanonicalOf("\"\\ud83d\\ude00\"") == "\"\xF0\x9F\x98\x80\"");
  CHECK(CanonicalOf("-0") == "0");
  CHECK(CanonicalOf("[1, -0, 20]") == "[1,0,20]");
}

TEST_CASE("RFC 8785 known answers inside the subset", "[json]") {
  // RFC 8785 §3.2.2, without the floating-point "numbers" member.
  CHECK(CanonicalOf("{\n  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
                    "  \"literals\": [null, true, false]\n}") ==
        "{\"literals\":[null,true,false],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
  // RFC 8785 Appendix B: the integers in the table.
  CHECK(CanonicalOf("0") == "0");
  CHECK(CanonicalOf("-0") == "0");
  CHECK(CanonicalOf("9007199254740991") == "9007199254740991");
  CHECK(CanonicalOf("-9007199254740991") == "-9007199254740991");
  // RFC 8785 §3.2.3 sorts by UTF-16 code units; for ASCII keys that is byte order.
  CHECK(CanonicalOf("{\"b\":1,\"a\":2,\"A\":3,\"1\":4,\"_\":5}") ==
        "{\"1\":4,\"A\":3,\"_\":5,\"a\":2,\"b\":1}");
}

TEST_CASE("values built in code serialise canonically", "[json]") {
  Value v = Value::Object({{"z", Value::Int(-5)},
                           {"a", Value::Array({Value::Bool(true), Value(), Value::String("a\"b\n")})}});
  CHECK(Canonical(v) == "{\"a\":[true,null,\"a\\\"b\\n\"],\"z\":-5}");
  v.Set("m", Value::String("王"));
  v.Set("z", Value::Int(1));
  CHECK(Canonical(v) == "{\"a\":[true,null,\"a\\\"b\\n\"],\"m\":\"王\",\"z\":1}");
  REQUIRE(v.Find("m") != nullptr);
  CHECK(v.Find("m")->as_string() == "王");
  CHECK(v.Find("q") == nullptr);
  CHECK(Value::Int(3).Find("m") == nullptr);
  CHECK(Accepted(Canonical(v)).value == v);
}

TEST_CASE("parsed values keep their kinds and contents", "[json]") {
  Parsed p = Accepted("{\"a\":[true,false,null,-7,\"x\\ny\"],\"b\":{}}");
  const Value* a = p.value.Find("a");
  REQUIRE(a != nullptr);
  REQUIRE(a->items().size() == 5);
  CHECK(a->items()[0].as_bool());
  CHECK_FALSE(a->items()[1].as_bool());
  CHECK(a->items()[2].is_null());
  CHECK(a->items()[3].as_int() == -7);
  CHECK(a->items()[4].as_string() == "x\ny");
  CHECK(p.value.Find("b")->is_object());
  CHECK(Accepted("\"\\u0000\"").value.as_string() == std::string(1, '\0'));
}

// ---- Numbers ----

TEST_CASE("integers within plus or minus 2^53-1 are accepted", "[json]") {
  CHECK(Accepted("9007199254740991").value.as_int() == limits::kJsonIntegerMax);
  CHECK(Accepted("-9007199254740991").value.as_int() == -limits::kJsonIntegerMax);
  CHECK(Accepted("0").value.as_int() == 0);
  CHECK(Accepted("500000").value.as_int() == 500000);
}

TEST_CASE("integers beyond plus or minus 2^53-1 are rejected", "[json]") {
  for (std::string_view text : {"9007199254740992", "-9007199254740992", "18446744073709551616",
                                "123456789012345678901234567890"}) {
    Status s = Rejection(text);
    CHECK(s.where().column == 1);
    CHECK(s.en().find("out of range") != std::string::npos);
  }
  Status s = Rejection("{\"a\":[1,9007199254740992]}");
  CHECK(s.where().field == "a[1]");
  CHECK(s.where().column == 9);
}

TEST_CASE("floating-point numbers are rejected wherever they appear", "[json]") {
  for (std::string_view text : {"1.5", "1e3", "1E+2", "-0.0", "0.0", "1e-2", "2E3"}) {
    Status s = Rejection(text);
    CHECK(s.where().column == 1);
    CHECK(s.en().find("floating-point") != std::string::npos);
  }
  Status s = Rejection("{\"body\":{\"items\":[{\"x\":1},{\"x\":2},{\"x\":1.5}]}}");
  CHECK(s.where().field == "body.items[2].x");
  CHECK(s.where().line == 1);
  CHECK(s.where().column == 40);
}

TEST_CASE("numbers with leading zeros or no digits are rejected", "[json]") {
  CHECK(Rejection("01").where().column == 1);
  CHECK(Rejection("-01").where().column == 2);
  CHECK(Rejection("[00]").where().field == "[0]");
  for (std::string_view text : {"-", "- 1", "+1", ".5", "-a", "0x10", "1a", "Infinity", "NaN"}) {
    Rejects(text);
  }
}

// ---- Strings ----

TEST_CASE("raw control characters in strings are rejected", "[json]") {
  CHECK(Rejection("\"a\tb\"").where().column == 3);
  CHECK(Rejection("\"a\nb\"").where().column == 3);
  CHECK(Rejection(std::string_view("\"a\0b\"", 5)).where().column == 3);
  CHECK(Rejection("{\"k\":\"\x1f\"}").where().field == "k");
}

TEST_CASE("invalid UTF-8 in strings is rejected", "[json]") {
  for (std::string_view text : {
           "\"\xC0\xAF\"",              // overlong '/'
           "\"\xC1\xBF\"",              // overlong
           "\"\xE0\x80\xAF\"",          // overlong, three bytes
           "\"\xF0\x80\x80\xAF\"",      // overlong, four bytes
           "\"\xED\xA0\x80\"",          // UTF-16 surrogate D800 as bytes
           "\"\xED\xBF\xBF\"",          // UTF-16 surrogate DFFF as bytes
           "\"\xF4\x90\x80\x80\"",      // U+110000
           "\"\xF5\x80\x80\x80\"",      // lead byte beyond U+10FFFF
           "\"\xFF\"",                  // never valid
           "\"\xE7\x8E\"",              // truncated three-byte sequence
           "\"\xF0\x9F\x98\"",          // truncated four-byte sequence
           "\"\xC3\"",                  // truncated two-byte sequence
           "\"\x80\"",                  // stray continuation byte
           "\"a\xBF\"",                 // stray continuation after ASCII
           "\"\xE7\x8E\x8B\x8B\"",      // one continuation too many
       }) {
    Status s = Rejection(text);
    CHECK(s.en().find("UTF-8") != std::string::npos);
  }
  // The column counts code points: 王秀英 are three characters, not nine bytes.
  Status s = Rejection("[\"王秀英\", \"\x80\"]");
  CHECK(s.where().column == 10);
  CHECK(s.where().field == "[1]");
}

TEST_CASE("lone or broken surrogate escapes are rejected", "[json]") {
  for (std::string_view text : {"\"\\ud800\"", "\"\\udc00\"", "\"\\udfff\"", "\"\\ud800x\"",
                                "\"\\ud800\\u0041\"", "\"\\ud800\\ud800\"", "\"\\ude00\\ud83d\"",
                                "\"\\ud800\\u00\""}) {
    Rejects(text);
  }
  CHECK(Accepted("\"\\udbff\\udfff\"").value.as_string() == "\xF4\x8F\xBF\xBF");
}

TEST_CASE("malformed escapes are rejected", "[json]") {
  for (std::string_view text : {"\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"\\U0041\"", "\"\\'\"",
                                "\"\\", "\"\\u"}) {
    Rejects(text);
  }
  CHECK(Rejection("\"ab\\q\"").where().column == 5);
}

// ---- Objects ----

TEST_CASE("duplicate keys are rejected, adjacent or not", "[json]") {
  Status adjacent = Rejection("{\"a\":1,\"a\":2}");
  CHECK(adjacent.where().field == "a");
  CHECK(adjacent.where().column == 8);
  CHECK(adjacent.en().find("duplicate") != std::string::npos);
  CHECK(Rejection("{\"a\":1,\"b\":2,\"a\":3}").where().field == "a");
  CHECK(Rejection("{\"b\":1,\"a\":2,\"b\":3}").where().field == "b");
  CHECK(Rejection("{\"c\":1,\"a\":2,\"b\":3,\"c\":4}").where().field == "c");
  CHECK(Rejection("{\"a\":1,\"\\u0061\":2}").en().find("duplicate") != std::string::npos);
  CHECK(Rejection("{\"x\":{\"k\":1,\"k\":2}}").where().field == "x.k");
  // The same key in different objects is fine.
  Accepted("{\"a\":{\"a\":1},\"b\":{\"a\":2}}");
}

TEST_CASE("object keys must be printable ASCII", "[json]") {
  for (std::string_view text : {"{\"王\":1}", "{\"é\":1}", "{\"\\u00e9\":1}", "{\"a\\u0000\":1}",
                                "{\"a\\n\":1}", "{\"\x7f\":1}"}) {
    Status s = Rejection(text);
    CHECK(s.en().find("ASCII") != std::string::npos);
    CHECK(s.where().column == 2);
  }
  CHECK(Accepted("{\" ~!\\\"\":1}").value.Find(" ~!\"") != nullptr);
}

TEST_CASE("objects need string keys, colons and commas", "[json]") {
  for (std::string_view text : {"{a:1}", "{1:1}", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "{\"a\":1,}",
                                "{,}", "{\"a\"::1}", "{\"a\":}"}) {
    Rejects(text);
  }
}

// ---- Structure ----

TEST_CASE("nesting up to the depth limit is accepted and one more is rejected", "[json]") {
  REQUIRE(limits::kJsonDepthMax == ParseOptions{}.depth_max);
  Accepted(Nested(limits::kJsonDepthMax));
  Status s = Rejection(Nested(limits::kJsonDepthMax + 1));
  CHECK(s.where().column == static_cast<int64_t>(limits::kJsonDepthMax) + 1);
  CHECK(s.en().find("deeper") != std::string::npos);
  // Objects count the same as arrays.
  std::string objects;
  for (size_t i = 0; i < limits::kJsonDepthMax; ++i) objects += "{\"a\":";
  Accepted(objects + "1" + std::string(limits::kJsonDepthMax, '}'));
  Status deep = Rejection(objects + "{}" + std::string(limits::kJsonDepthMax, '}'));
  CHECK(deep.where().field.size() == 2 * limits::kJsonDepthMax - 1);  // "a.a. ... .a"
  // The limit is an option.
  ParseOptions shallow;
  shallow.depth_max = 2;
  CHECK(Parse("[[1]]", shallow).ok());
  CHECK_FALSE(Parse("[[[1]]]", shallow).ok());
  CheckModesAgree("[[1]]", shallow);
  CheckModesAgree("[[[1]]]", shallow);
  CheckModesAgree("{\"a\":{\"b\":{}}}", shallow);
}

TEST_CASE("content after the value is rejected", "[json]") {
  CHECK(Rejection("{} x").where().column == 4);
  CHECK(Rejection("1 2").where().column == 3);
  Rejects("{}}");
  Rejects("[]]");
  Rejects("{}{}");
  Rejects("null,");
  Rejects("// comment\n{}");
  Accepted(" {} \n\t ");
}

TEST_CASE("empty and unterminated input is rejected", "[json]") {
  CHECK(Rejection("").en().find("end") != std::string::npos);
  CHECK(Rejection("   ").where().column == 4);
  CHECK(Rejection("\"abc").en().find("unterminated") != std::string::npos);
  CHECK(Rejection("[1,2").en().find("unterminated array") != std::string::npos);
  CHECK(Rejection("{\"a\":1").en().find("unterminated object") != std::string::npos);
  for (std::string_view text : {"[", "{", "{\"a\"", "{\"a\":", "[1,", "{\"a\":[1,{\"b\":\"c"}) {
    Rejects(text);
  }
}

TEST_CASE("bad literals are rejected", "[json]") {
  for (std::string_view text : {"tru", "nul", "fals", "True", "NULL", "nan", "t", "'a'", "undefined"}) {
    Rejects(text);
  }
  CHECK(Rejection("truex").where().column == 5);
  CHECK(Rejection("[1,nulll]").where().column == 8);
  CHECK(Rejection("{\"a\":[true,flase]}").where().field == "a[1]");
}

TEST_CASE("errors carry file, line, column in code points and field path", "[json]") {
  ParseOptions options;
  options.file = "input.json";
  Status s = Rejection("{\n  \"a\": 1,\n  \"b\": 1.5\n}", options);
  CHECK(s.where().file == "input.json");
  CHECK(s.where().line == 3);
  CHECK(s.where().column == 8);
  CHECK(s.where().field == "b");

  options.first_line = 10;
  Status later = Rejection("\n\n[\"名字\", x]", options);
  CHECK(later.where().line == 12);
  CHECK(later.where().column == 8);
  CHECK(later.where().field == "[1]");

  Status s2 = Rejection("{\"body\":{\"items\":[{\"x\":1},{\"x\":2},{\"x\":true, \"y\": [0, 1.0]}]}}");
  CHECK(s2.where().field == "body.items[2].y[1]");
}

TEST_CASE("ParsePrefix stops right after the first value", "[json]") {
  size_t consumed = 0;
  Result<Parsed> r = ParsePrefix("{\"a\":1}\n{\"b\":2}", &consumed);
  REQUIRE(r.ok());
  CHECK(consumed == 7);
  CHECK(r->canonical);
  CHECK(r->value.Find("a")->as_int() == 1);
  r = ParsePrefix("  [1] x", &consumed);
  REQUIRE(r.ok());
  CHECK(consumed == 5);
  CHECK_FALSE(r->canonical);
}

// ---- Scan: checking without building ----

TEST_CASE("Scan hands back the raw members of the top-level object", "[json]") {
  std::array<RawMember, 4> top;
  std::string_view text = "{\"a\":[1,{\"x\":2}],\"b\\\"c\":\"v\\n\",\"d\":-7}";
  Result<ScanResult> r = Scan(text, {}, top);
  REQUIRE(r.ok());
  CHECK(r->canonical);
  REQUIRE(r->members == 3);
  CHECK(top[0].key == "a");
  CHECK(top[0].value == "[1,{\"x\":2}]");
  CHECK(top[1].key == "b\\\"c");  // as written, escapes not decoded
  CHECK(top[1].value == "\"v\\n\"");
  CHECK(top[2].key == "d");
  CHECK(top[2].value == "-7");
}

TEST_CASE("Scan counts every member but stores only as many as it is given room for", "[json]") {
  std::array<RawMember, 2> top;
  Result<ScanResult> r = Scan("{\"a\":1,\"b\":2,\"c\":3}", {}, top);
  REQUIRE(r.ok());
  CHECK(r->members == 3);
  CHECK(top[1].key == "b");
  CHECK(top[1].value == "2");
  REQUIRE(Scan("[{\"a\":1}]", {}, top).ok());
  CHECK(Scan("[{\"a\":1}]", {}, top)->members == 0);  // not an object at the top
  CHECK(Scan("{}", {}, top)->members == 0);
  CHECK(Scan(" {\"b\":1, \"a\":2}", {}, top)->members == 2);
}

TEST_CASE("Scan handles keys with escapes, many keys and deep nesting", "[json]") {
  // Escaped keys are decoded before they are compared.
  CheckModesAgree("{\"a\\\"\":1,\"a\\\\\":2}");
  CheckModesAgree("{\"\\u0062\":1,\"a\":2,\"b\":3}");   // "b" twice, once escaped
  CheckModesAgree("{\"b\":1,\"a\":2,\"\\u0062\":3}");
  CheckModesAgree("{\"a\\u0000\":1}");
  // More keys than the scanner keeps inside itself, sorted and not.
  std::string sorted = "{";
  std::string unsorted = "{";
  auto key = [](int i) { return "\"k" + std::to_string(1000 + i).substr(1) + "\":"; };
  for (int i = 0; i < 300; ++i) {
    sorted += std::string(i == 0 ? "" : ",") + key(i) + std::to_string(i);
    unsorted += std::string(i == 0 ? "" : ",") + key(299 - i) + "{\"x\":[" + std::to_string(i) + "]}";
  }
  CHECK(Scan(sorted + "}")->canonical);
  CheckModesAgree(sorted + "}");
  CheckModesAgree(unsorted + "}");
  CheckModesAgree(unsorted + ",\"k150\":0}");  // a duplicate far from its twin
  // A depth limit beyond what the scanner keeps inside itself.
  ParseOptions deep;
  deep.depth_max = 200;
  CheckModesAgree(Nested(200), deep);
  CheckModesAgree(Nested(201), deep);
}

TEST_CASE("the canonical fast path confirms canonical texts on its own", "[json]") {
  for (std::string_view text : kCanonicalTexts) {
    INFO("text: " << text);
    CHECK(FastCanonical(text));
  }
  std::string entry =
      "{\"body\":{\"amount_fen\":2153500,\"items\":[{\"x\":-1},true,null],\"note\":\"说\\\"你好\\\"\\n\\u0001\"},"
      "\"operator\":{\"name\":\"陈主任\",\"role\":\"admin\"},\"seq\":0,\"v\":1}";
  std::array<RawMember, 3> top;
  size_t members = 0;
  REQUIRE(internal::ScanCanonical(entry, limits::kJsonDepthMax, top, &members));
  CHECK(members == 4);
  CHECK(top[0].key == "body");
  CHECK(top[1].value == "{\"name\":\"陈主任\",\"role\":\"admin\"}");
  CHECK(top[2].value == "0");
  CHECK(FastCanonical(Nested(limits::kJsonDepthMax)));
  CHECK_FALSE(FastCanonical(Nested(limits::kJsonDepthMax + 1)));
  CHECK(FastCanonical("[[1]]", 2));
  CHECK_FALSE(FastCanonical("[[[1]]]", 2));
}

TEST_CASE("the canonical fast path gives up on errors and on what it leaves to the full scanner", "[json]") {
  for (std::string_view text :
       {"", "{", "[1,]", "{\"a\":1,}", "{\"a\":1,\"a\":2}", "{\"b\":1,\"a\":2}", "01", "-", "1.5", "1e3",
        "9007199254740992", "12345678901234567", "tru", "nul", "truex", "[1]x", "\"a", "\"\x80\"",
        "\"\xED\xA0\x80\"", "\"a\tb\"", "\"\\x\"", "\"\\u00\"", "\"\\u0020\"", "\"\\u000A\"",
        "{\"\x7f\":1}", "{\"é\":1}", "{\"a\\\"\":1}", "{a:1}", "[1 ]", " 1"}) {
    INFO("text: " << text);
    CHECK_FALSE(FastCanonical(text));
  }
  // An escaped key is valid and canonical, but left to the full scanner.
  CHECK(IsCanonical("{\"a\\\"\":1}"));
}

// A seeded source of JSON-like texts: documents built at random from the
// grammar's corner cases, then damaged by byte flips, insertions, deletions
// and copies.
class TextGenerator {
 public:
  explicit TextGenerator(uint64_t seed) : rng_(seed) {}

  std::string Document() {
    std::string out;
    AppendValue(&out, 0);
    return out;
  }

  std::string Mutated(std::string text) {
    int edits = 1 + Below(4);
    for (int i = 0; i < edits; ++i) {
      size_t at = text.empty() ? 0 : Below(text.size());
      switch (Below(5)) {
        case 0:
          if (!text.empty()) text[at] = static_cast<char>(text[at] ^ (1 << Below(8)));
          break;
        case 1: text.insert(at, 1, Pick(kBytes)); break;
        case 2:
          if (!text.empty()) text.erase(at, 1 + Below(3));
          break;
        case 3: text.insert(at, text.substr(Below(text.size() + 1), Below(8))); break;
        default:
          if (!text.empty()) text[at] = Pick(kBytes);
      }
    }
    return text;
  }

  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(rng_() % n); }

 private:
  static constexpr std::string_view kBytes =
      "{}[]\":,\\ \n\tu0a9-.eE+/\x7f\x80\xbf\xc3\xe7\xed\xf0\xf4\xff\x01A";

  char Pick(std::string_view from) { return from[Below(from.size())]; }

  void AppendString(std::string* out) {
    static constexpr std::string_view kPieces[] = {
        "a", "Z", " ", "王秀英", "é", "\\n", "\\\"", "\\\\", "\\/", "\\u0041", "\\u00e9",
        "\\u001f", "\\u001F", "\\ud83d\\ude00", "\\ud800", "\xF0\x9F\x98\x80", "\x7f", "\\t", "\\u0000"};
    out->push_back('"');
    for (size_t n = Below(5); n > 0; --n) out->append(kPieces[Below(std::size(kPieces))]);
    out->push_back('"');
  }

  void Space(std::string* out) {
    if (Below(8) == 0) out->append(Below(2) == 0 ? " " : "\n\t");
  }

  void AppendValue(std::string* out, int depth) {
    static constexpr std::string_view kScalars[] = {
        "0", "-0", "7", "-42", "9007199254740991", "-9007199254740991", "9007199254740992",
        "1.5", "1e3", "01", "true", "false", "null"};
    size_t pick = Below(depth >= 4 ? 6 : 9);
    if (pick < 3) {
      out->append(kScalars[Below(std::size(kScalars))]);
    } else if (pick < 6) {
      AppendString(out);
    } else if (pick < 7) {
      out->push_back('[');
      for (size_t n = Below(4), i = 0; i < n; ++i) {
        if (i > 0) out->push_back(',');
        Space(out);
        AppendValue(out, depth + 1);
      }
      out->push_back(']');
    } else {
      AppendObject(out, depth);
    }
  }

  void AppendObject(std::string* out, int depth) {
    static constexpr std::string_view kKeys[] = {"a", "b", "ab", "B", "_", "a\\\"", "\\u0061", "王", "k"};
    std::vector<std::string_view> keys;
    for (size_t n = Below(5); n > 0; --n) keys.push_back(kKeys[Below(std::size(kKeys))]);
    if (Below(2) == 0) std::sort(keys.begin(), keys.end());
    out->push_back('{');
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i > 0) out->push_back(',');
      Space(out);
      *out += "\"" + std::string(keys[i]) + "\":";
      Space(out);
      AppendValue(out, depth + 1);
    }
    out->push_back('}');
  }

  std::mt19937_64 rng_;
};

TEST_CASE("Parse and Scan agree on thousands of generated and damaged texts", "[json]") {
  TextGenerator gen(20240611);
  std::vector<std::string> seeds = {
      "{\"body\":{\"amount_fen\":2153500,\"member\":\"王秀英\",\"note\":\"a\\\"b\\n\"},"
      "\"idempotency_id\":\"bench-1-000000002\",\"operator\":{\"name\":\"陈主任\",\"role\":\"admin\"},"
      "\"origin\":\"cunzhang.example/daxinjing\",\"prev\":\"" + std::string(64, 'a') +
      "\",\"seq\":2,\"time\":\"2024-01-01T08:01:14+08:00\",\"type\":\"capital.contribute\",\"v\":1}"};
  size_t accepted = 0;
  size_t canonical = 0;
  size_t fast = 0;
  size_t disagreements = 0;
  std::string first;
  for (int i = 0; i < 30000; ++i) {
    std::string text;
    if (i % 3 == 0) {
      text = gen.Document();
      seeds.push_back(text);
    } else {
      text = gen.Mutated(seeds[gen.Below(seeds.size())]);
    }
    std::string why = Disagreement(text);
    // The fast path confirms only what Parse finds canonical, and every
    // such text without a backslash.
    Result<Parsed> parsed = Parse(text);
    bool is_canonical = parsed.ok() && parsed->canonical;
    bool confirmed = FastCanonical(text);
    if (confirmed && !is_canonical) why += " the fast path confirms a text that is not canonical";
    if (!confirmed && is_canonical && text.find('\\') == std::string::npos) {
      why += " the fast path gives up on a canonical text";
    }
    if (!why.empty() && disagreements++ == 0) first = text + "\n" + why;
    Result<ScanResult> r = Scan(text);
    accepted += r.ok();
    canonical += r.ok() && r->canonical;
    fast += confirmed;
  }
  INFO("first disagreement: " << first);
  CHECK(disagreements == 0);
  CHECK(fast > 1000);
  // The inputs reach every outcome, not only one.
  CHECK(accepted > 3000);
  CHECK(canonical > 1000);
  CHECK(accepted < 27000);
}

// ---- UTF-8 helpers ----

TEST_CASE("IsValidUtf8 accepts well-formed UTF-8 and rejects the rest", "[json]") {
  CHECK(IsValidUtf8(""));
  CHECK(IsValidUtf8("abc"));
  CHECK(IsValidUtf8("王秀英"));
  CHECK(IsValidUtf8("\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF"));
  CHECK(IsValidUtf8(std::string_view("\0", 1)));
  CHECK(IsValidUtf8("\xED\x9F\xBF\xEE\x80\x80"));  // U+D7FF and U+E000, either side of surrogates
  for (std::string_view bad :
       {"\xC0\x80", "\xC1\xBF", "\xE0\x9F\xBF", "\xF0\x8F\xBF\xBF", "\xED\xA0\x80", "\xED\xBF\xBF",
        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xF8\x88\x80\x80\x80", "\xFE", "\xFF", "\x80",
        "a\xBF", "\xE7\x8E", "\xE7", "\xC3", "\xF0\x9F\x98", "\xE7\x8E\x41"}) {
    INFO("bytes: " << HexEncode(bad));
    CHECK_FALSE(IsValidUtf8(bad));
  }
}

TEST_CASE("CodePoints counts characters, not bytes", "[json]") {
  CHECK(CodePoints("") == 0);
  CHECK(CodePoints("abc") == 3);
  CHECK(CodePoints("王秀英") == 3);
  CHECK(CodePoints("a\xC3\xA9\xF0\x9F\x98\x80z") == 4);
}

}  // namespace
}  // namespace cunzhang::json
