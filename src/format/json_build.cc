// json::BuildCanonical: the value of text already known to be canonical JSON
// (json::Scan said so), built without checking again what the scan checked:
// no UTF-8 validation, no key order, no canonical bookkeeping, no paths for
// error messages. Strings are copied in runs up to the next quote or
// backslash. Every step still stays inside the text, so text that is not
// canonical gives false or some value, never a read out of bounds.
#include <cstring>

#include "cunzhang/json.h"
#include "cunzhang/limits.h"
#include "json_bytes.h"

namespace cunzhang::json {

class CanonicalBuilder {
 public:
  CanonicalBuilder(std::string_view text, size_t depth_max)
      : p_(text.data()), end_(text.data() + text.size()), depth_max_(depth_max) {}

  bool Run(Value* out) { return Build(out, 0) && p_ == end_; }

 private:
  // As the parser's Become: the kind set, what it does not use emptied, what
  // it uses kept to be overwritten.
  static void Become(Value* out, Value::Kind kind) {
    out->kind_ = kind;
    out->str_.clear();
    if (kind != Value::Kind::kArray && !out->items_.empty()) out->items_.clear();
    if (kind != Value::Kind::kObject && !out->members_.empty()) out->members_.clear();
  }

  bool Build(Value* out, size_t depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return Object(out, depth + 1);
      case '[': return Array(out, depth + 1);
      case '"': Become(out, Value::Kind::kString); return String(&out->str_);
      case 't': return Literal("true", out, Value::Kind::kBool, 1);
      case 'f': return Literal("false", out, Value::Kind::kBool, 0);
      case 'n': return Literal("null", out, Value::Kind::kNull, 0);
      default: return Number(out);
    }
  }

  bool Literal(std::string_view word, Value* out, Value::Kind kind, int64_t v) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0)
      return false;
    p_ += word.size();
    Become(out, kind);
    out->int_ = v;
    return true;
  }

  bool Number(Value* out) {
    const bool negative = *p_ == '-';
    const char* q = negative ? p_ + 1 : p_;
    const char* first = q;
    int64_t value = 0;
    while (q != end_ && *q >= '0' && *q <= '9') {
      if (q - first == 16) return false;  // canonical integers have at most 16 digits
      value = value * 10 + (*q - '0');
      ++q;
    }
    if (q == first) return false;
    p_ = q;
    Become(out, Value::Kind::kInt);
    out->int_ = negative ? -value : value;
    return true;
  }

  static int Hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  }

  // *p_ is the opening quote. Canonical escapes: \" \\ \b \f \n \r \t and
  // \u00xx for the other controls.
  bool String(std::string* s) {
    const char* q = p_ + 1;
    for (;;) {
      const char* run = q;
      q = bytes::SkipToQuoteOrBackslash(q, end_);
      s->append(run, static_cast<size_t>(q - run));
      if (q == end_) return false;
      if (*q == '"') {
        p_ = q + 1;
        return true;
      }
      if (end_ - q < 2) return false;
      char c;
      switch (q[1]) {
        case '"': c = '"'; break;
        case '\\': c = '\\'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u': {
          if (end_ - q < 6 || q[2] != '0' || q[3] != '0') return false;
          const int hi = Hex(q[4]);
          const int lo = Hex(q[5]);
          if (hi < 0 || hi > 1 || lo < 0) return false;
          s->push_back(static_cast<char>(hi * 16 + lo));
          q += 6;
          continue;
        }
        default: return false;
      }
      s->push_back(c);
      q += 2;
    }
  }

  bool Object(Value* out, size_t depth) {
    if (depth > depth_max_) return false;
    Become(out, Value::Kind::kObject);
    std::vector<Member>& members = out->members_;
    ++p_;
    size_t used = 0;
    if (p_ != end_ && *p_ == '}') {
      ++p_;
    } else {
      for (;;) {
        if (p_ == end_ || *p_ != '"') return false;
        if (used == members.size()) members.emplace_back(std::string(), Value());
        Member& m = members[used++];
        m.first.clear();
        if (!String(&m.first) || p_ == end_ || *p_ != ':') return false;
        ++p_;
        if (!Build(&m.second, depth) || p_ == end_) return false;
        const char c = *p_++;
        if (c == '}') break;
        if (c != ',') return false;
      }
    }
    members.erase(members.begin() + static_cast<std::ptrdiff_t>(used), members.end());
    return true;
  }

  bool Array(Value* out, size_t depth) {
    if (depth > depth_max_) return false;
    Become(out, Value::Kind::kArray);
    std::vector<Value>& items = out->items_;
    ++p_;
    size_t used = 0;
    if (p_ != end_ && *p_ == ']') {
      ++p_;
    } else {
      for (;;) {
        if (used == items.size()) items.emplace_back();
        if (!Build(&items[used++], depth) || p_ == end_) return false;
        const char c = *p_++;
        if (c == ']') break;
        if (c != ',') return false;
      }
    }
    items.erase(items.begin() + static_cast<std::ptrdiff_t>(used), items.end());
    return true;
  }

  const char* p_;
  const char* end_;
  size_t depth_max_;
};

bool BuildCanonical(std::string_view canonical_text, Value* out, size_t depth_max) {
  if (CanonicalBuilder(canonical_text, depth_max).Run(out)) return true;
  *out = Value();
  return false;
}

}  // namespace cunzhang::json
