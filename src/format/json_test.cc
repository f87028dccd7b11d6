// Pins the JSON subset the ledger hashes (include/cunzhang/json.h) and its
// RFC 8785 canonical form. (hash.h: hash_test.cc.)
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cunzhang/hash.h"  // HexEncode, in messages
#include "cunzhang/json.h"
#include "cunzhang/limits.h"
#include "format/json_test_util.h"

namespace cunzhang::json {
namespace {

using namespace json_testing;  // NOLINT: the helpers of these tests

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

TEST_CASE("swap exchanges two values of any kinds whole", "[json]") {
  using cunzhang::json::Value;
  const Value object = Value::Object({{"a", Value::Int(1)}, {"b", Value::String("乙")}});
  const Value array = Value::Array({Value::Bool(true), Value(), Value::String("x")});
  const std::vector<Value> values = {Value(),        Value::Bool(false), Value::Int(-7),
                                     Value::String("a long string that is not inline at all"),
                                     array,          object};
  for (const Value& first : values) {
    for (const Value& second : values) {
      Value a = first;
      Value b = second;
      swap(a, b);
      CHECK(a == second);
      CHECK(b == first);
      CHECK(a.kind() == second.kind());
      swap(a, a);  // with itself: unchanged
      CHECK(a == second);
    }
  }
}
