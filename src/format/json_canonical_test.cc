// RFC 8785 string serialisation (AppendCanonicalString), which copies runs
// of bytes sixteen at a time: every byte value, at every position inside and
// after a block, against a byte-at-a-time reference; and the entry's tail
// written in two parts (AppendEntryLink, AppendEntryEnd).
#include <catch2/catch.hpp>
#include <string>

#include "cunzhang/entry.h"
#include "cunzhang/json.h"

namespace cunzhang {
namespace {

// RFC 8785 §3.2.2.2, one byte at a time: the reference.
std::string ReferenceCanonicalString(std::string_view utf8) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char ch : utf8) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out += "\"";
  return out;
}

TEST_CASE("Canonical strings escape exactly the controls, quote and backslash, wherever they are",
          "[json]") {
  for (size_t length : {0, 1, 15, 16, 17, 31, 32, 33, 47}) {
    for (size_t at = 0; at < length; ++at) {
      for (int byte = 0; byte < 256; ++byte) {
        // A run of text around one byte of every value (the bytes from 0x80
        // up are not UTF-8 alone; the writer copies them as they are, and the
        // checks before it refuse invalid UTF-8).
        std::string text(length, 'a');
        text[at] = static_cast<char>(byte);
        std::string out = "x";  // appended to, not overwritten
        json::AppendCanonicalString(text, &out);
        INFO("length " << length << ", byte " << byte << " at " << at);
        REQUIRE(out == "x" + ReferenceCanonicalString(text));
      }
    }
  }
  std::string out;
  json::AppendCanonicalString("王\n\"村\\账\"\x01 句号。", &out);
  CHECK(out == "\"王\\n\\\"村\\\\账\\\"\\u0001 句号。\"");
}

TEST_CASE("An entry's tail is its link then its end", "[json][entry]") {
  Entry e;
  e.version = 1;
  e.seq = 18'446'744'073'709'551'615u;  // the widest seq
  e.time = "2026-04-01T09:00:00+08:00";
  e.type = "contribution.capital";
  for (size_t i = 0; i < 32; ++i) e.prev.data()[i] = static_cast<uint8_t>(i * 8 + 7);
  std::string link;
  AppendEntryLink(e, &link);
  CHECK(link == e.prev.Hex() + "\",\"seq\":18446744073709551615");
  std::string end;
  AppendEntryEnd(e, &end);
  CHECK(end == ",\"time\":\"2026-04-01T09:00:00+08:00\",\"type\":\"contribution.capital\",\"v\":1}");
  std::string tail;
  AppendEntryTail(e, &tail);
  CHECK(tail == link + end);
  e.seq = 0;
  link.clear();
  AppendEntryLink(e, &link);
  CHECK(link.substr(64) == "\",\"seq\":0");
}

}  // namespace
}  // namespace cunzhang
