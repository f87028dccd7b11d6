// RFC 8785 serialisation for the restricted subset: integers print as plain
// decimal (identical to ECMAScript's Number-to-string for |n| < 2^53), keys are
// ASCII so UTF-16 code-unit order equals byte order.
#include <charconv>

#include "cunzhang/json.h"
#include "json_bytes.h"

namespace cunzhang::json {

void AppendCanonicalString(std::string_view utf8, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  const char* p = utf8.data();
  const char* const end = p + utf8.size();
  while (true) {
    const char* run_end = bytes::SkipUnescaped(p, end);  // bytes copied as they are
    out->append(p, static_cast<size_t>(run_end - p));
    if (run_end == end) break;
    auto c = static_cast<unsigned char>(*run_end);
    p = run_end + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->push_back('"');
}

void AppendCanonical(const Value& value, std::string* out) {
  switch (value.kind()) {
    case Value::Kind::kNull: out->append("null"); return;
    case Value::Kind::kBool: out->append(value.as_bool() ? "true" : "false"); return;
    case Value::Kind::kInt: {
      char buf[24];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value.as_int());
      out->append(buf, static_cast<size_t>(end - buf));
      return;
    }
    case Value::Kind::kString: AppendCanonicalString(value.as_string(), out); return;
    case Value::Kind::kArray: {
      out->push_back('[');
      bool first = true;
      for (const Value& item : value.items()) {
        if (!first) out->push_back(',');
        first = false;
        AppendCanonical(item, out);
      }
      out->push_back(']');
      return;
    }
    case Value::Kind::kObject: {
      out->push_back('{');
      bool first = true;
      for (const Member& m : value.members()) {  // kept sorted by key
        if (!first) out->push_back(',');
        first = false;
        AppendCanonicalString(m.first, out);
        out->push_back(':');
        AppendCanonical(m.second, out);
      }
      out->push_back('}');
      return;
    }
  }
}

std::string Canonical(const Value& value) {
  std::string out;
  AppendCanonical(value, &out);
  return out;
}

}  // namespace cunzhang::json
