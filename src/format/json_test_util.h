// Helpers of the JSON tests (json_test.cc, json_scan_test.cc): the parser's
// two modes (Parse builds, Scan only checks) held to the same answer.
#ifndef CUNZHANG_FORMAT_JSON_TEST_UTIL_H_
#define CUNZHANG_FORMAT_JSON_TEST_UTIL_H_

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

#include "cunzhang/json.h"
#include "cunzhang/limits.h"
#include "format/json_fast_scan.h"

namespace cunzhang::json::json_testing {

// Why Parse and Scan disagree on `text`, or "" when they agree: both accept
// it with the same canonical flag and member count, or both reject it with
// the same error (code, messages, file, line, column and field).
inline std::string Disagreement(std::string_view text, const ParseOptions& options = {}) {
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

inline void CheckModesAgree(std::string_view text, const ParseOptions& options = {}) {
  INFO("text: " << text);
  CHECK(Disagreement(text, options).empty());
}

// The error of a text that must be rejected, in both modes.
inline Status Rejection(std::string_view text, const ParseOptions& options = {}) {
  CheckModesAgree(text, options);
  Result<Parsed> r = Parse(text, options);
  INFO("text: " << text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kInvalidInput);
  return r.status();
}

inline void Rejects(std::string_view text) { CHECK_FALSE(Rejection(text).ok()); }

// The parse of a text that must be accepted, in both modes.
inline Parsed Accepted(std::string_view text) {
  CheckModesAgree(text);
  Result<Parsed> r = Parse(text);
  INFO("text: " << text << "\nerror: " << r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

inline bool IsCanonical(std::string_view text) { return Accepted(text).canonical; }

inline std::string CanonicalOf(std::string_view text) { return Canonical(Accepted(text).value); }

inline std::string Nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// Whether Scan's canonical fast path confirms `text` on its own.
inline bool FastCanonical(std::string_view text, size_t depth_max = limits::kJsonDepthMax) {
  size_t members = 0;
  return internal::ScanCanonical(text, depth_max, {}, &members);
}

// The canonical texts of the first test case.
inline constexpr std::string_view kCanonicalTexts[] = {
    "{}", "[]", "0", "-1", "true", "false", "null", "\"\"", "{\"a\":1}",
    "{\"a\":[1,2,{\"b\":null}],\"c\":\"x\"}", "[1,-9007199254740991,9007199254740991]",
    "\"/\"", "\"\\\"\\\\\\b\\f\\n\\r\\t\"", "\"\\u0000\\u001f\\u000b\"",
    "\"王秀英\"", "\"é\"", "\"\x7f\"", "\"\xF0\x9F\x98\x80\"", "{\"B\":1,\"a\":2}",
    "{\"a\":1,\"aa\":2}", "{\"a_\":1,\"ab\":2}"};

}  // namespace cunzhang::json::json_testing

#endif  // CUNZHANG_FORMAT_JSON_TEST_UTIL_H_
