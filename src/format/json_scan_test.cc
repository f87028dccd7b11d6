// The JSON parser's checking mode (Scan) and its canonical fast path
// (json_fast_scan.h): what they hand back, and that they give the answers
// the building parser gives, on chosen and on thousands of generated texts.
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
#include "format/json_bytes.h"
#include "format/json_test_util.h"

namespace cunzhang::json {
namespace {

using namespace json_testing;  // NOLINT: the helpers of these tests

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

// ---- Runs of three-byte characters, sixteen bytes at a time ----

// Text made of characters and damage the UTF-8 checks must tell apart: the
// three-byte leads at the edges of their ranges (E0 and ED have narrower
// second bytes), overlongs, surrogates, truncations, stray continuations,
// two- and four-byte characters, ASCII.
std::string Utf8Soup(std::mt19937_64* rng, size_t tokens) {
  static const std::vector<std::string> kTokens = {
      "\xE4\xB8\x80", "\xE9\xBE\xA5", "\xE1\x80\x80", "\xEC\xBF\xBF", "\xEE\x80\x80",
      "\xEF\xBF\xBD", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xE0\x80\x80", "\xED\xA0\x80",
      "\xE4\xB8",      "\xE4\x41\x80", "\xE4\xB8\xC0", "\x80",         "\xC3\xA9",
      "\xF0\x9F\x98\x80", "a",         "\"",             "\x7F",         "\xFF"};
  std::string out;
  for (size_t i = 0; i < tokens; ++i) {
    // Mostly good Chinese, so that long runs occur.
    const size_t pick = (*rng)() % 4 == 0 ? (*rng)() % kTokens.size() : (*rng)() % 6;
    out += kTokens[pick];
  }
  return out;
}

TEST_CASE("SkipThreeByteRun passes only whole three-byte characters Utf8SequenceLength accepts",
          "[json]") {
  std::mt19937_64 rng(20261203);
  size_t advanced = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string text = Utf8Soup(&rng, 1 + rng() % 40);
    const char* end = text.data() + text.size();
    for (const char* p = text.data(); p < end; ++p) {
      const char* r = bytes::SkipThreeByteRun(p, end);
      REQUIRE(r >= p);
      REQUIRE((r - p) % 15 == 0);
      if (r == p) continue;
      ++advanced;
      REQUIRE(r < end);
      for (const char* q = p; q < r; q += 3) {
        INFO("at byte " << (q - text.data()) << " of " << HexEncode(text));
        REQUIRE(bytes::Utf8SequenceLength(q, end) == 3);
      }
    }
  }
  CHECK(advanced > 10000);
  // Twenty common characters (60 bytes): three blocks, the last 15 bytes are
  // left to the byte-by-byte loop (fewer than 16 remain).
  std::string chinese;
  for (int i = 0; i < 20; ++i) chinese += "\xE4\xB8\x80";
  CHECK(bytes::SkipThreeByteRun(chinese.data(), chinese.data() + chinese.size()) ==
        chinese.data() + 45);
  // A lead E0 or ED stops it at its block, even when well formed.
  std::string with_e0 = chinese;
  with_e0.replace(9, 3, "\xE0\xA0\x80");
  CHECK(bytes::SkipThreeByteRun(with_e0.data(), with_e0.data() + with_e0.size()) ==
        with_e0.data());
}

TEST_CASE("IsValidUtf8 and the canonical fast path agree with the byte-by-byte reading on Chinese runs",
          "[json]") {
  std::mt19937_64 rng(7);
  size_t valid = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string text = Utf8Soup(&rng, 1 + rng() % 40);
    bool reference = true;
    const char* end = text.data() + text.size();
    for (const char* p = text.data(); p < end && reference;) {
      const size_t n = bytes::Utf8SequenceLength(p, end);
      reference = n != 0;
      p += n;
    }
    INFO(HexEncode(text));
    REQUIRE(IsValidUtf8(text) == reference);
    valid += reference;
    // As a string member of an object: canonical exactly when the full
    // parser finds it canonical (controls, quotes and DEL included).
    const std::string object = "{\"a\":\"" + text + "\"}";
    Result<Parsed> parsed = Parse(object);
    REQUIRE(FastCanonical(object) == (parsed.ok() && parsed->canonical));
  }
  CHECK(valid > 1000);
}

}  // namespace
}  // namespace cunzhang::json
