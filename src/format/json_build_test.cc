// json::BuildCanonical: building over a value that already holds one must
// give exactly what Parse gives of the same canonical text, whatever the old
// value was, and must never read beyond the text.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cunzhang/json.h"

namespace cunzhang::json {
namespace {

Value Parsed(std::string_view text) {
  Result<json::Parsed> parsed = Parse(text);
  REQUIRE(parsed.ok());
  return parsed->value;
}

const std::vector<std::string>& Shapes() {
  static const std::vector<std::string> shapes = {
      R"(null)",
      R"(true)",
      R"(-42)",
      R"("短")",
      R"("a string long enough to leave the small-string buffer behind")",
      R"([])",
      R"({})",
      R"([1,"two",[3,[4]],{"five":5}])",
      R"({"a":1,"b":"二","c":[true,false,null],"d":{"e":{"f":"g"}}})",
      R"({"a":"x","b":[1,2,3,4,5,6,7,8,9,10],"c":{"z":1,"y":2}})",
      R"({"date":"2024-03-01","member_id":"M0001","workdays":"1.5000","rule_id":"R1"})",
      R"({"date":"2024-03-01","lines":[{"account":"101","debit_fen":5},{"account":"501","credit_fen":5}],"memo":"机耕收入"})",
      R"({ "b" : 1 , "a" : [ 2 ] })",  // not canonical: keys sorted as Parse sorts them
  };
  return shapes;
}

TEST_CASE("BuildCanonical over any earlier value gives what Parse gives of canonical text",
          "[json]") {
  std::vector<std::string> texts;
  for (const std::string& shape : Shapes()) texts.push_back(Canonical(Parsed(shape)));
  texts.push_back(R"({"esc":"q\"b\\ \b\f\n\r\t \u0000\u001f","n":-9007199254740991})");
  texts.push_back(R"({"text":"王德，一组 ÿ 😀","x":[[],{},"",0]})");
  for (const std::string& before : texts) {
    for (const std::string& text : texts) {
      INFO(before << " then " << text);
      Result<json::Parsed> parsed = Parse(text);
      REQUIRE(parsed.ok());
      REQUIRE(parsed->canonical);
      Value value = Parsed(before);
      REQUIRE(BuildCanonical(text, &value));
      CHECK(value == parsed->value);
      CHECK(Canonical(value) == text);
    }
  }
}

TEST_CASE("BuildCanonical stays inside any text, canonical or not", "[json]") {
  // Every prefix of canonical text (cut anywhere, even inside an escape) and
  // text that is not canonical or not JSON: false or some value, never a read
  // beyond the end (ASan checks: each prefix is a copy of its own).
  const std::string text =
      R"({"a":[1,-2,{"b":"c\u0001\n"}],"d":"二","e":true,"f":false,"g":null})";
  for (size_t n = 0; n < text.size(); ++n) {
    const std::string prefix = text.substr(0, n);
    Value value = Parsed(R"({"z":[1]})");
    CHECK_FALSE(BuildCanonical(prefix, &value));
    CHECK(value.is_null());
  }
  for (const char* other : {"{\"a\":1,}", "[1 2]", "{\"a\"1}", "\"\\u12", "-", "tru", "{\"a\":\"\\q\"}",
                            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"}) {
    INFO(other);
    Value value;
    CHECK_FALSE(BuildCanonical(other, &value));
  }
}

}  // namespace
}  // namespace cunzhang::json
