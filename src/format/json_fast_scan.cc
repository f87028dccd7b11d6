// The canonical fast path of json::Scan. Canonical text leaves no choices: no
// white space, keys in strictly increasing order, integers without leading
// zeros or "-0", strings with only the escapes RFC 8785 writes. So one
// forward pass with no path, no line count and no error messages can confirm
// it; at the first byte it does not expect, it gives up and the full scanner
// (json_parse.cc) reads the text again and decides. The two must agree on
// every text they both accept: json_test.cc checks that they do.
#include "json_fast_scan.h"

#include <cstdint>
#include <cstring>

#include "cunzhang/limits.h"
#include "json_bytes.h"

namespace cunzhang::json::internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLowerHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }

class CanonicalScanner {
 public:
  CanonicalScanner(std::string_view text, size_t depth_max, std::span<RawMember> top)
      : begin_(text.data()), end_(text.data() + text.size()), depth_max_(depth_max), top_(top) {}

  bool Run(size_t* members) {
    const char* p = begin_;
    if (!Value(&p, 0) || p != end_) return false;
    *members = members_;
    return true;
  }

 private:
  bool Value(const char** p, size_t depth) {
    if (*p == end_) return false;
    switch (**p) {
      case '{': return Object(p, depth + 1);
      case '[': return Array(p, depth + 1);
      case '"': return String(p);
      case 't': return Literal(p, "true");
      case 'f': return Literal(p, "false");
      case 'n': return Literal(p, "null");
      default: return Number(p);
    }
  }

  bool Literal(const char** p, std::string_view word) {
    if (static_cast<size_t>(end_ - *p) < word.size() ||
        std::memcmp(*p, word.data(), word.size()) != 0) {
      return false;
    }
    *p += word.size();
    return true;
  }

  // An integer as RFC 8785 writes it: no "+", no leading zero, no "-0", and
  // within ±(2^53 − 1) (at most 16 digits).
  bool Number(const char** p) {
    const char* q = *p;
    bool negative = q != end_ && *q == '-';
    if (negative) ++q;
    if (q == end_ || !IsDigit(*q)) return false;
    if (*q == '0') {
      ++q;
      if (negative || (q != end_ && IsDigit(*q))) return false;
    } else {
      int64_t value = 0;
      const char* first = q;
      while (q != end_ && IsDigit(*q)) {
        if (q - first == 16) return false;
        value = value * 10 + (*q - '0');
        ++q;
      }
      if (value > limits::kJsonIntegerMax) return false;
    }
    if (q != end_ && (*q == '.' || *q == 'e' || *q == 'E')) return false;
    *p = q;
    return true;
  }

  // The escapes RFC 8785 writes: \" \\ \b \f \n \r \t, and \u00xx in lower
  // case for the other controls. *p is at the backslash.
  bool Escape(const char** p) {
    const char* q = *p;
    if (end_ - q < 2) return false;
    switch (q[1]) {
      case '"': case '\\': case 'b': case 'f': case 'n': case 'r': case 't':
        *p = q + 2;
        return true;
      case 'u': {
        if (end_ - q < 6 || q[2] != '0' || q[3] != '0' || (q[4] != '0' && q[4] != '1') ||
            !IsLowerHex(q[5])) {
          return false;
        }
        int cp = (q[4] - '0') * 16 + (IsDigit(q[5]) ? q[5] - '0' : q[5] - 'a' + 10);
        if (cp == '\b' || cp == '\t' || cp == '\n' || cp == '\f' || cp == '\r') return false;
        *p = q + 6;
        return true;
      }
      default: return false;
    }
  }

  bool String(const char** p) {
    const char* q = *p + 1;
    while (true) {
      q = bytes::SkipPlain(q, end_);
      if (q == end_) return false;
      auto c = static_cast<unsigned char>(*q);
      if (c == '"') {
        *p = q + 1;
        return true;
      }
      if (c == '\\') {
        if (!Escape(&q)) return false;
      } else if (c == 0x7F) {
        ++q;
      } else if (c < 0x20) {
        return false;
      } else {
        q = bytes::SkipThreeByteRun(q, end_);
        if (static_cast<unsigned char>(*q) < 0x80) continue;  // q < end_: 16 bytes were left
        do {  // a run of multi-byte characters
          size_t len = bytes::Utf8SequenceLength(q, end_);
          if (len == 0) return false;
          q += len;
        } while (q != end_ && static_cast<unsigned char>(*q) >= 0x80);
      }
    }
  }

  // A key of printable ASCII without escapes, as its bytes (= its value).
  bool Key(const char** p, std::string_view* key) {
    if (*p == end_ || **p != '"') return false;
    const char* start = *p + 1;
    const char* q = bytes::SkipPlain(start, end_);
    if (q == end_ || *q != '"') return false;
    *key = std::string_view(start, static_cast<size_t>(q - start));
    *p = q + 1;
    return true;
  }

  bool Object(const char** p, size_t depth) {
    if (depth > depth_max_) return false;
    const char* q = *p + 1;
    if (q != end_ && *q == '}') {
      *p = q + 1;
      return true;
    }
    std::string_view last;
    for (bool first = true;; first = false) {
      std::string_view key;
      if (!Key(&q, &key) || (!first && !bytes::Less(last, key))) return false;
      last = key;
      if (q == end_ || *q != ':') return false;
      const char* value = ++q;
      if (!Value(&q, depth)) return false;
      if (depth == 1) {
        if (members_ < top_.size()) {
          top_[members_] = RawMember{key, std::string_view(value, static_cast<size_t>(q - value))};
        }
        ++members_;
      }
      if (q == end_) return false;
      if (*q == '}') {
        *p = q + 1;
        return true;
      }
      if (*q++ != ',') return false;
    }
  }

  bool Array(const char** p, size_t depth) {
    if (depth > depth_max_) return false;
    const char* q = *p + 1;
    if (q != end_ && *q == ']') {
      *p = q + 1;
      return true;
    }
    while (true) {
      if (!Value(&q, depth) || q == end_) return false;
      if (*q == ']') {
        *p = q + 1;
        return true;
      }
      if (*q++ != ',') return false;
    }
  }

  const char* begin_;
  const char* end_;
  size_t depth_max_;
  std::span<RawMember> top_;
  size_t members_ = 0;
};

}  // namespace

bool ScanCanonical(std::string_view text, size_t depth_max, std::span<RawMember> top,
                   size_t* members) {
  return CanonicalScanner(text, depth_max, top).Run(members);
}

}  // namespace cunzhang::json::internal
