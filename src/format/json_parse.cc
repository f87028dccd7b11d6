// A strict JSON parser for the ledger's subset (see json.h). While it parses it
// also notes whether the text is already in RFC 8785 canonical form, so a
// verifier checks canonical bytes in the same single pass.
//
// One template serves Parse and Scan: Parser<true> builds the Value, while
// Parser<false> only checks, with every rule and every error message in the
// same code, so the two cannot drift apart. The scanner compares object keys
// as slices of the text, decoding only the rare key that holds an escape.
// Scan first tries the canonical fast path (json_fast_scan.cc), which only
// confirms canonical text and leaves everything else to Parser<false>.
#include <algorithm>
#include <cstddef>
#include <forward_list>
#include <string>
#include <type_traits>
#include <vector>

#include "cunzhang/json.h"
#include "cunzhang/limits.h"
#include "json_bytes.h"
#include "json_fast_scan.h"

namespace cunzhang::json {

bool IsValidUtf8(std::string_view s) {
  const char* end = s.data() + s.size();
  for (const char* p = bytes::SkipAscii(s.data(), end); p < end; p = bytes::SkipAscii(p, end)) {
    p = bytes::SkipThreeByteRun(p, end);  // leaves at least one byte
    size_t n = bytes::Utf8SequenceLength(p, end);
    if (n == 0) return false;
    p += n;
  }
  return true;
}

size_t CodePoints(std::string_view utf8) {
  size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

template <bool kBuild>
class Parser {
 public:
  Parser(std::string_view text, const ParseOptions& options, std::span<RawMember> top = {})
      : text_(text), options_(options), top_(top) {
  }

  // Parses one value into *out (nullptr when scanning); false on error_.
  bool Run(Value* out, size_t* consumed) {
    SkipSpace();
    if (!ParseValue(out, 0)) return false;
    if (consumed != nullptr) {
      *consumed = pos_;
    } else {
      SkipSpace();
      if (pos_ < text_.size()) {
        return SetError("JSON 值之后还有多余内容", "unexpected content after the JSON value");
      }
    }
    return true;
  }

  bool canonical() const { return canonical_; }
  size_t top_members() const { return top_members_; }
  Status TakeError() { return std::move(error_); }

 private:
  struct PathPart {
    std::string_view key;  // raw key text; empty with index >= 0 for arrays
    int64_t index = -1;
  };

  // Where the path and the scanner's keys stay inside the parser.
  static constexpr size_t kPathInline = limits::kJsonDepthMax + 1;
  static constexpr size_t kKeysInline = 64;

  // An object key the building parser decodes and keeps; the scanner needs none.
  struct NoKey {};
  using OwnedKey = std::conditional_t<kBuild, std::string, NoKey>;

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }

  void SkipSpace() {
    // Canonical text has no white space: one comparison in the usual case.
    if (pos_ < text_.size() && static_cast<unsigned char>(text_[pos_]) > ' ') return;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\n') {
        ++line_;
        line_start_ = pos_ + 1;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        break;
      }
      canonical_ = false;
      ++pos_;
    }
  }

  std::string PathString() const {
    std::string out;
    for (const PathPart& p : path_) {
      if (p.index >= 0) {
        out += "[" + std::to_string(p.index) + "]";
      } else {
        if (!out.empty()) out += ".";
        out.append(p.key);
      }
    }
    return out;
  }

  // Records the first error at the current position; always returns false.
  bool SetError(std::string zh, std::string en) {
    Where where;
    where.file = options_.file;
    where.line = options_.first_line + line_ - 1;
    size_t col_end = std::min(pos_, text_.size());
    where.column = static_cast<int64_t>(
        CodePoints(text_.substr(line_start_, col_end - line_start_)) + 1);
    where.field = PathString();
    error_ = Status(Code::kInvalidInput, std::move(zh), std::move(en), std::move(where));
    return false;
  }

  bool ParseValue(Value* out, size_t depth) {
    if (AtEnd()) return SetError("JSON 意外结束", "unexpected end of JSON");
    char c = Peek();
    switch (c) {
      case '{': return ParseObject(out, depth + 1);
      case '[': return ParseArray(out, depth + 1);
      case '"':
        if constexpr (kBuild) {
          out->kind_ = Value::Kind::kString;
          return ParseString(&out->str_);
        } else {
          return ParseString(nullptr);
        }
      case 't': return ParseLiteral("true", out, Value::Kind::kBool, 1);
      case 'f': return ParseLiteral("false", out, Value::Kind::kBool, 0);
      case 'n': return ParseLiteral("null", out, Value::Kind::kNull, 0);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber(out);
        return SetError("此处应为 JSON 值", "expected a JSON value");
    }
  }

  bool ParseLiteral(std::string_view word, Value* out, Value::Kind kind, int64_t v) {
    if (text_.substr(pos_, word.size()) != word) {
      return SetError("无法识别的字面量", "invalid literal (expected true, false or null)");
    }
    pos_ += word.size();
    if constexpr (kBuild) {
      out->kind_ = kind;
      out->int_ = v;
    }
    return true;
  }

  bool ParseNumber(Value* out) {
    size_t start = pos_;
    bool negative = false;
    if (Peek() == '-') {
      negative = true;
      ++pos_;
    }
    if (AtEnd() || Peek() < '0' || Peek() > '9') {
      return SetError("数字格式错误", "malformed number");
    }
    if (Peek() == '0' && pos_ + 1 < text_.size() && text_[pos_ + 1] >= '0' &&
        text_[pos_ + 1] <= '9') {
      return SetError("数字不能有前导零", "a number must not have leading zeros");
    }
    int64_t value = 0;
    bool too_big = false;
    while (!AtEnd() && Peek() >= '0' && Peek() <= '9') {
      if (!too_big) {
        value = value * 10 + (Peek() - '0');
        if (value > limits::kJsonIntegerMax) too_big = true;
      }
      ++pos_;
    }
    if (!AtEnd() && (Peek() == '.' || Peek() == 'e' || Peek() == 'E')) {
      pos_ = start;
      return SetError(
          "不允许浮点数：金额用整数（分），带小数的数量用定标小数字符串（如 \"11.5000\"）",
          "floating-point numbers are not allowed: money is an integer count of fen, "
          "fractional quantities are fixed-scale decimal strings such as \"11.5000\"");
    }
    if (too_big) {
      pos_ = start;
      return SetError("整数超出范围 ±(2^53−1)", "integer out of range ±(2^53 - 1)");
    }
    if (negative && value == 0) canonical_ = false;  // "-0" is written "0"
    if constexpr (kBuild) {
      out->kind_ = Value::Kind::kInt;
      out->int_ = negative ? -value : value;
    }
    return true;
  }

  static int HexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // Reads 4 hex digits after "\u"; -1 if malformed. Notes non-canonical forms.
  int32_t ReadHex4() {
    if (pos_ + 4 > text_.size()) return -1;
    int32_t v = 0;
    for (size_t k = 0; k < 4; ++k) {
      int d = HexDigit(text_[pos_ + k]);
      if (d < 0) return -1;
      if (text_[pos_ + k] >= 'A' && text_[pos_ + k] <= 'F') canonical_ = false;
      v = v * 16 + d;
    }
    pos_ += 4;
    return v;
  }

  // The string being decoded is nullptr while scanning: nothing is kept.
  static void Put(std::string* out, char c) {
    if (out != nullptr) out->push_back(c);
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (out == nullptr) return;
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  bool ParseUnicodeEscape(std::string* out) {
    int32_t cp = ReadHex4();
    if (cp < 0) return SetError("\\u 转义格式错误", "malformed \\u escape");
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return SetError("孤立的 UTF-16 低代理项", "lone UTF-16 low surrogate in \\u escape");
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (text_.substr(pos_, 2) != "\\u") {
        return SetError("孤立的 UTF-16 高代理项", "lone UTF-16 high surrogate in \\u escape");
      }
      pos_ += 2;
      int32_t lo = ReadHex4();
      if (lo < 0xDC00 || lo > 0xDFFF) {
        return SetError("UTF-16 代理对不完整", "high surrogate not followed by a low surrogate");
      }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    // JCS escapes only the controls without a short form, as \u00xx.
    bool short_form = cp == '\b' || cp == '\f' || cp == '\n' || cp == '\r' || cp == '\t';
    if (cp >= 0x20 || cp == '"' || cp == '\\' || short_form) canonical_ = false;
    AppendUtf8(static_cast<uint32_t>(cp), out);
    return true;
  }

  bool ParseEscape(std::string* out) {
    ++pos_;  // the backslash
    if (AtEnd()) return SetError("字符串意外结束", "unterminated string");
    char e = Peek();
    ++pos_;
    switch (e) {
      case '"': Put(out, '"'); return true;
      case '\\': Put(out, '\\'); return true;
      case '/': canonical_ = false; Put(out, '/'); return true;
      case 'b': Put(out, '\b'); return true;
      case 'f': Put(out, '\f'); return true;
      case 'n': Put(out, '\n'); return true;
      case 'r': Put(out, '\r'); return true;
      case 't': Put(out, '\t'); return true;
      case 'u': return ParseUnicodeEscape(out);
      default:
        --pos_;
        return SetError("无效的转义序列", "invalid escape sequence");
    }
  }

  // What ParseString saw besides plain printable ASCII.
  enum StringFlags : unsigned { kEscaped = 1, kNotPrintableAscii = 2 };

  // Reads a string, decoding it into *out unless out is nullptr; *flags
  // collects StringFlags.
  bool ParseString(std::string* out, unsigned* flags = nullptr) {
    const char* const begin = text_.data();
    const char* const end = begin + text_.size();
    const char* p = begin + pos_ + 1;  // after the opening quote
    const char* run = p;               // start of the bytes copied as they are
    unsigned seen = 0;
    auto at = [&](const char* q) { pos_ = static_cast<size_t>(q - begin); };
    while (true) {
      p = bytes::SkipPlain(p, end);
      if (p == end) {
        at(p);
        return SetError("字符串没有结束引号", "unterminated string");
      }
      auto c = static_cast<unsigned char>(*p);
      if (c == '"') {
        if (out != nullptr) out->append(run, static_cast<size_t>(p - run));
        if (flags != nullptr) *flags = seen;
        at(p + 1);
        return true;
      }
      if (c == '\\') {
        if (out != nullptr) out->append(run, static_cast<size_t>(p - run));
        seen |= kEscaped;
        at(p);
        if (!ParseEscape(out)) return false;
        p = run = begin + pos_;
        continue;
      }
      if (c < 0x20) {
        at(p);
        return SetError("字符串中有未转义的控制字符", "unescaped control character in string");
      }
      seen |= kNotPrintableAscii;
      if (c == 0x7F) {
        ++p;
        continue;
      }
      // Multi-byte characters tend to come in runs (Chinese text): stay here.
      do {
        size_t len = bytes::Utf8SequenceLength(p, end);
        if (len == 0) {
          at(p);
          return SetError("无效的 UTF-8 字节序列", "invalid UTF-8 byte sequence");
        }
        p += len;
      } while (p < end && static_cast<unsigned char>(*p) >= 0x80);
    }
  }

  // Reads an object key: *key is the decoded key, *raw the text between the
  // quotes. Building, the key is decoded into *owned; scanning, *key is *raw
  // itself unless the key holds an escape, which is decoded aside.
  bool ParseKey(OwnedKey* owned, std::string_view* key, std::string_view* raw) {
    if (AtEnd() || Peek() != '"') return SetError("此处应为对象的键（字符串）", "expected an object key (a string)");
    size_t start = pos_;
    unsigned flags = 0;
    if constexpr (kBuild) {
      if (!ParseString(owned, &flags)) return false;
      *key = *owned;
    } else {
      if (!ParseString(nullptr, &flags)) return false;
      *key = text_.substr(start + 1, pos_ - start - 2);
      if ((flags & kEscaped) != 0) {
        std::string& decoded = escaped_keys_.emplace_front();
        size_t end = pos_;
        pos_ = start;
        ParseString(&decoded);  // read once already: cannot fail
        pos_ = end;
        *key = decoded;
      }
    }
    *raw = text_.substr(start + 1, pos_ - start - 2);
    // Without escapes the flags tell; an escape may stand for any character.
    bool printable = (flags & kNotPrintableAscii) == 0;
    if (printable && (flags & kEscaped) != 0) {
      for (char c : *key) {
        auto u = static_cast<unsigned char>(c);
        printable = printable && u >= 0x20 && u <= 0x7E;
      }
    }
    if (!printable) {
      pos_ = start;
      return SetError("对象的键只能用可打印的 ASCII 字符", "object keys must be printable ASCII");
    }
    return true;
  }

  bool Expect(char c, const char* zh, const char* en) {
    SkipSpace();
    if (AtEnd() || Peek() != c) return SetError(zh, en);
    ++pos_;
    return true;
  }

  bool CheckDepth(size_t depth) {
    if (depth > options_.depth_max) {
      return SetError("嵌套层数超过上限 " + std::to_string(options_.depth_max),
                      "nesting deeper than " + std::to_string(options_.depth_max));
    }
    return true;
  }

  // The keys of the object being read, in text order: its members when
  // building, a slice of keys_ when scanning.
  struct ObjectKeys {
    Value* out;
    size_t begin;  // into keys_
  };

  std::string_view LastKey(const ObjectKeys& keys) const {
    if constexpr (kBuild) {
      return keys.out->members_.back().first;
    } else {
      return keys_.back();
    }
  }

  bool HasKey(const ObjectKeys& keys, std::string_view key) const {
    if constexpr (kBuild) {
      for (const Member& m : keys.out->members_) {
        if (m.first == key) return true;
      }
    } else {
      for (size_t i = keys.begin; i < keys_.size(); ++i) {
        if (keys_[i] == key) return true;
      }
    }
    return false;
  }

  // Adds the member whose key was just read; returns where its value goes.
  Value* AddMember(const ObjectKeys& keys, OwnedKey* owned, std::string_view key) {
    if constexpr (kBuild) {
      keys.out->members_.emplace_back(std::move(*owned), Value());
      return &keys.out->members_.back().second;
    } else {
      keys_.push_back(key);
      return nullptr;
    }
  }

  // A member of the top-level object, kept for Scan's caller.
  void NoteTopMember(std::string_view raw_key, size_t value_begin) {
    if (top_members_ < top_.size()) {
      top_[top_members_] = RawMember{raw_key, text_.substr(value_begin, pos_ - value_begin)};
    }
    ++top_members_;
  }

  bool ParseObject(Value* out, size_t depth) {
    if (!CheckDepth(depth)) return false;
    if constexpr (kBuild) {
      out->kind_ = Value::Kind::kObject;
      out->members_.reserve(8);  // most objects have a few members: grow once, not thrice
    }
    ++pos_;
    SkipSpace();
    if (!AtEnd() && Peek() == '}') {
      ++pos_;
      return true;
    }
    const ObjectKeys keys{out, keys_.size()};
    bool sorted = true;
    for (size_t count = 0;; ++count) {
      SkipSpace();
      size_t key_pos = pos_;
      size_t key_line = line_, key_line_start = line_start_;
      OwnedKey owned;
      std::string_view key;
      std::string_view raw;
      if (!ParseKey(&owned, &key, &raw)) return false;
      // While the keys come in strictly increasing order each is new; once
      // they do not, every later key must be looked for among all before it.
      bool in_order = count == 0 || bytes::Less(LastKey(keys), key);
      if (!(in_order && sorted) && HasKey(keys, key)) {
        pos_ = key_pos;
        line_ = key_line;
        line_start_ = key_line_start;
        path_.push_back({raw, -1});
        return SetError("对象中有重复的键", "duplicate key in object");
      }
      if (!in_order) sorted = false;
      if (!Expect(':', "键之后应为冒号", "expected ':' after the key")) return false;
      SkipSpace();
      path_.push_back({raw, -1});
      size_t value_begin = pos_;
      if (!ParseValue(AddMember(keys, &owned, key), depth)) return false;
      if (depth == 1) NoteTopMember(raw, value_begin);
      path_.pop_back();
      SkipSpace();
      if (AtEnd()) return SetError("对象没有结束", "unterminated object");
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == '}') {
        ++pos_;
        break;
      }
      return SetError("对象成员之后应为逗号或右花括号", "expected ',' or '}' after an object member");
    }
    if constexpr (!kBuild) keys_.shrink(keys.begin);
    if (!sorted) {
      canonical_ = false;
      if constexpr (kBuild) {
        std::sort(out->members_.begin(), out->members_.end(),
                  [](const Member& a, const Member& b) { return a.first < b.first; });
      }
    }
    return true;
  }

  bool ParseArray(Value* out, size_t depth) {
    if (!CheckDepth(depth)) return false;
    if constexpr (kBuild) out->kind_ = Value::Kind::kArray;
    ++pos_;
    SkipSpace();
    if (!AtEnd() && Peek() == ']') {
      ++pos_;
      return true;
    }
    for (int64_t index = 0;; ++index) {
      SkipSpace();
      path_.push_back({{}, index});
      Value* item = nullptr;
      if constexpr (kBuild) item = &out->items_.emplace_back();
      if (!ParseValue(item, depth)) return false;
      path_.pop_back();
      SkipSpace();
      if (AtEnd()) return SetError("数组没有结束", "unterminated array");
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == ']') {
        ++pos_;
        return true;
      }
      return SetError("数组元素之后应为逗号或右方括号", "expected ',' or ']' after an array item");
    }
  }

  std::string_view text_;
  const ParseOptions& options_;
  std::span<RawMember> top_;
  size_t top_members_ = 0;
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t line_start_ = 0;
  bool canonical_ = true;
  bytes::SmallStack<PathPart, kPathInline> path_;
  bytes::SmallStack<std::string_view, kKeysInline> keys_;  // scanning only
  std::forward_list<std::string> escaped_keys_;        // decoded keys keys_ points into
  Status error_;
};

static Result<Parsed> ParseWith(std::string_view text, size_t* consumed,
                                const ParseOptions& options) {
  Parser<true> parser(text, options);
  Parsed out;
  if (!parser.Run(&out.value, consumed)) return parser.TakeError();
  out.canonical = parser.canonical();
  return out;
}

Result<Parsed> Parse(std::string_view text, const ParseOptions& options) {
  return ParseWith(text, nullptr, options);
}

Result<Parsed> ParsePrefix(std::string_view text, size_t* consumed, const ParseOptions& options) {
  return ParseWith(text, consumed, options);
}

Result<ScanResult> Scan(std::string_view text, const ParseOptions& options,
                        std::span<RawMember> top) {
  size_t members = 0;
  if (internal::ScanCanonical(text, options.depth_max, top, &members)) {
    return ScanResult{.canonical = true, .members = members};
  }
  Parser<false> parser(text, options, top);
  if (!parser.Run(nullptr, nullptr)) return parser.TakeError();
  return ScanResult{.canonical = parser.canonical(), .members = parser.top_members()};
}

}  // namespace cunzhang::json
