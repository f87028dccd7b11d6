// A strict JSON parser for the ledger's subset (see json.h). While it parses it
// also notes whether the text is already in RFC 8785 canonical form, so a
// verifier checks canonical bytes in the same single pass.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "cunzhang/json.h"
#include "cunzhang/limits.h"

namespace cunzhang::json {

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 if invalid.
static size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  auto cont = [&](size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xE0 && b1 < 0xA0) return 0;   // overlong
    if (b0 == 0xED && b1 >= 0xA0) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xF0 && b1 < 0x90) return 0;   // overlong
    if (b0 == 0xF4 && b1 >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

size_t CodePoints(std::string_view utf8) {
  size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

class Parser {
 public:
  Parser(std::string_view text, const ParseOptions& options) : text_(text), options_(options) {
    path_.reserve(options.depth_max + 1);
  }

  Result<Parsed> Run(size_t* consumed) {
    Parsed out;
    SkipSpace();
    if (!ParseValue(&out.value, 0)) return std::move(error_);
    if (consumed != nullptr) {
      *consumed = pos_;
    } else {
      SkipSpace();
      if (pos_ < text_.size()) {
        return Fail("JSON 值之后还有多余内容", "unexpected content after the JSON value");
      }
    }
    out.canonical = canonical_;
    return out;
  }

 private:
  struct PathPart {
    std::string_view key;  // raw key text; empty with index >= 0 for arrays
    int64_t index = -1;
  };

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }

  void SkipSpace() {
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

  Status Fail(std::string zh, std::string en) {
    SetError(std::move(zh), std::move(en));
    return error_;
  }

  bool ParseValue(Value* out, size_t depth) {
    if (AtEnd()) return SetError("JSON 意外结束", "unexpected end of JSON");
    char c = Peek();
    switch (c) {
      case '{': return ParseObject(out, depth + 1);
      case '[': return ParseArray(out, depth + 1);
      case '"':
        out->kind_ = Value::Kind::kString;
        return ParseString(&out->str_);
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
    out->kind_ = kind;
    out->int_ = v;
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
    out->kind_ = Value::Kind::kInt;
    out->int_ = negative ? -value : value;
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

  static void AppendUtf8(uint32_t cp, std::string* out) {
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
      case '"': out->push_back('"'); return true;
      case '\\': out->push_back('\\'); return true;
      case '/': canonical_ = false; out->push_back('/'); return true;
      case 'b': out->push_back('\b'); return true;
      case 'f': out->push_back('\f'); return true;
      case 'n': out->push_back('\n'); return true;
      case 'r': out->push_back('\r'); return true;
      case 't': out->push_back('\t'); return true;
      case 'u': return ParseUnicodeEscape(out);
      default:
        --pos_;
        return SetError("无效的转义序列", "invalid escape sequence");
    }
  }

  // Bytes that a string may hold as they are: printable ASCII but '"' and '\\'.
  static constexpr std::array<bool, 256> kPlainByte = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x80; ++c) t[static_cast<size_t>(c)] = c != '"' && c != '\\';
    return t;
  }();

  bool ParseString(std::string* out) {
    ++pos_;  // opening quote
    size_t run = pos_;
    const size_t n = text_.size();
    while (true) {
      while (pos_ < n && kPlainByte[static_cast<unsigned char>(text_[pos_])]) ++pos_;
      if (AtEnd()) return SetError("字符串没有结束引号", "unterminated string");
      auto c = static_cast<unsigned char>(Peek());
      if (c == '"') {
        out->append(text_.data() + run, pos_ - run);
        ++pos_;
        return true;
      }
      if (c == '\\') {
        out->append(text_.data() + run, pos_ - run);
        if (!ParseEscape(out)) return false;
        run = pos_;
        continue;
      }
      if (c < 0x20) {
        return SetError("字符串中有未转义的控制字符", "unescaped control character in string");
      }
      size_t len = Utf8SequenceLength(text_, pos_);
      if (len == 0) return SetError("无效的 UTF-8 字节序列", "invalid UTF-8 byte sequence");
      pos_ += len;
    }
  }

  bool ParseKey(std::string* key, std::string_view* raw) {
    if (AtEnd() || Peek() != '"') return SetError("此处应为对象的键（字符串）", "expected an object key (a string)");
    size_t start = pos_;
    if (!ParseString(key)) return false;
    *raw = text_.substr(start + 1, pos_ - start - 2);
    for (char c : *key) {
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) {
        pos_ = start;
        return SetError("对象的键只能用可打印的 ASCII 字符", "object keys must be printable ASCII");
      }
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

  bool ParseObject(Value* out, size_t depth) {
    if (!CheckDepth(depth)) return false;
    out->kind_ = Value::Kind::kObject;
    out->members_.reserve(8);  // most objects have a few members: grow once, not thrice
    ++pos_;
    SkipSpace();
    if (!AtEnd() && Peek() == '}') {
      ++pos_;
      return true;
    }
    bool sorted = true;
    while (true) {
      SkipSpace();
      size_t key_pos = pos_;
      size_t key_line = line_, key_line_start = line_start_;
      std::string key;
      std::string_view raw;
      if (!ParseKey(&key, &raw)) return false;
      // While the keys come in strictly increasing order each is new; once
      // they do not, every later key must be looked for among all before it.
      bool in_order = out->members_.empty() || out->members_.back().first < key;
      if (!(in_order && sorted) && FindKey(out->members_, key)) {
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
      out->members_.emplace_back(std::move(key), Value());
      if (!ParseValue(&out->members_.back().second, depth)) return false;
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
    if (!sorted) {
      canonical_ = false;
      std::sort(out->members_.begin(), out->members_.end(),
                [](const Member& a, const Member& b) { return a.first < b.first; });
    }
    return true;
  }

  static bool FindKey(const std::vector<Member>& members, const std::string& key) {
    for (const Member& m : members) {
      if (m.first == key) return true;
    }
    return false;
  }

  bool ParseArray(Value* out, size_t depth) {
    if (!CheckDepth(depth)) return false;
    out->kind_ = Value::Kind::kArray;
    ++pos_;
    SkipSpace();
    if (!AtEnd() && Peek() == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipSpace();
      path_.push_back({{}, static_cast<int64_t>(out->items_.size())});
      out->items_.emplace_back();
      if (!ParseValue(&out->items_.back(), depth)) return false;
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
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t line_start_ = 0;
  bool canonical_ = true;
  std::vector<PathPart> path_;
  Status error_;
};

Result<Parsed> Parse(std::string_view text, const ParseOptions& options) {
  return Parser(text, options).Run(nullptr);
}

Result<Parsed> ParsePrefix(std::string_view text, size_t* consumed, const ParseOptions& options) {
  return Parser(text, options).Run(consumed);
}

}  // namespace cunzhang::json
