// Entry body schemas (valijson, draft-07) and the clear-ID-number guard.
//
// Schemas are compiled in (entry_schemas.cc, generated from
// schemas/entries/*.schema.json) and parsed once, on first use. A failed
// validation is reported as the first specific valijson error, its context
// turned into a body path ("body.lines[1].account") and its description into
// a message in Chinese and English.
#include "schema.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
#include <vector>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "internal.h"
#include "schema_compiled.h"

namespace cunzhang::domain::schema {
namespace {

// ---- Parsed schemas -------------------------------------------------------

struct Compiled {
  nlohmann::json doc;  // kept to explain errors (enum values, patterns, types)
  valijson::Schema schema;
  std::string error;  // non-empty: the embedded schema does not parse (a build bug)
  // The fast check (schema_compiled.h); null when the schema uses a keyword
  // it does not know, and then valijson alone judges.
  std::unique_ptr<CompiledSchema> fast;
  std::string fast_unsupported;
};

std::unique_ptr<Compiled> Compile(std::string_view text) {
  auto c = std::make_unique<Compiled>();
  try {
    c->doc = nlohmann::json::parse(text);
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(c->doc);
    parser.populateSchema(adapter, c->schema);
    c->fast = CompiledSchema::Compile(c->doc, &c->fast_unsupported);
  } catch (const std::exception& e) {
    c->error = e.what();
  }
  return c;
}

const std::map<std::string, std::unique_ptr<Compiled>, std::less<>>& Schemas() {
  static const auto* schemas = [] {
    auto* m = new std::map<std::string, std::unique_ptr<Compiled>, std::less<>>();
    for (const EmbeddedSchema& s : EmbeddedSchemas()) m->emplace(s.type, Compile(s.text));
    return m;
  }();
  return *schemas;
}

nlohmann::json ToNlohmann(const json::Value& v) {
  switch (v.kind()) {
    case json::Value::Kind::kNull:
      return nullptr;
    case json::Value::Kind::kBool:
      return v.as_bool();
    case json::Value::Kind::kInt:
      return v.as_int();
    case json::Value::Kind::kString:
      return v.as_string();
    case json::Value::Kind::kArray: {
      nlohmann::json out = nlohmann::json::array();
      for (const json::Value& item : v.items()) out.push_back(ToNlohmann(item));
      return out;
    }
    case json::Value::Kind::kObject: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& [key, member] : v.members()) out[key] = ToNlohmann(member);
      return out;
    }
  }
  return nullptr;
}

// ---- Turning a valijson error into a Status --------------------------------

constexpr const char* kPropertyWrapper =
    "Failed to validate against schema associated with property name";

// Wrappers only repeat that something below failed; the leaf says what.
bool IsWrapper(const std::string& description) {
  return (description.rfind("Failed to validate", 0) == 0 &&
          description.rfind("Failed to validate against exactly one", 0) != 0) ||
         description.rfind("Cannot validate item", 0) == 0;
}

// A oneOf/anyOf that no alternative (or more than one) matched: the
// alternatives' own errors only say how each form was missed.
bool IsAlternatives(const std::string& description) {
  return description.rfind("Failed to validate against any child schemas allowed by oneOf", 0) ==
             0 ||
         description.rfind("Failed to validate against any schemas allowed by anyOf", 0) == 0 ||
         description.rfind("Failed to validate against exactly one", 0) == 0;
}

bool IsPrefix(const std::vector<std::string>& outer, const std::vector<std::string>& inner) {
  return outer.size() <= inner.size() && std::equal(outer.begin(), outer.end(), inner.begin());
}

// The error to report: the first specific one, or the oneOf/anyOf it was an
// alternative of (reported as a whole rather than as one missed form).
const valijson::ValidationResults::Error* Choose(const valijson::ValidationResults& results) {
  auto leaf = std::find_if(results.begin(), results.end(),
                           [](const auto& e) { return !IsWrapper(e.description); });
  if (leaf == results.end()) return results.numErrors() == 0 ? nullptr : &*results.begin();
  for (auto it = leaf; it != results.end(); ++it) {
    if (IsAlternatives(it->description) && IsPrefix(it->context, leaf->context)) return &*it;
  }
  return &*leaf;
}

// The name quoted at the end of "Missing required property 'x'." and of the
// additional-property message ("...constraints: 'x'.").
std::string QuotedName(const std::string& description) {
  size_t end = description.rfind('\'');
  if (end == std::string::npos || end == 0) return "";
  size_t begin = description.rfind('\'', end - 1);
  if (begin == std::string::npos) return "";
  return description.substr(begin + 1, end - begin - 1);
}

struct Located {
  std::string path = "body";
  const nlohmann::json* subschema = nullptr;  // the schema of the failing value, if found
};

// Follows valijson's context (["<root>", "[lines]", "[1]", ...]) through the
// body, which says whether "[1]" is an array index or a key, and through the
// schema, to find the failing value's subschema.
Located Locate(const std::vector<std::string>& context, const json::Value& body,
               const nlohmann::json& schema) {
  Located out;
  const json::Value* node = &body;
  const nlohmann::json* sub = &schema;
  for (size_t i = 1; i < context.size(); ++i) {
    std::string part = context[i];
    if (part.size() >= 2 && part.front() == '[' && part.back() == ']')
      part = part.substr(1, part.size() - 2);
    if (node != nullptr && node->is_array()) {
      out.path += "[" + part + "]";
      size_t index = SIZE_MAX;
      std::from_chars(part.data(), part.data() + part.size(), index);
      node = index < node->items().size() ? &node->items()[index] : nullptr;
      sub = sub != nullptr && sub->contains("items") ? &(*sub)["items"] : nullptr;
    } else {
      out.path += "." + part;
      node = node != nullptr ? node->Find(part) : nullptr;
      bool known =
          sub != nullptr && sub->contains("properties") && (*sub)["properties"].contains(part);
      sub = known ? &(*sub)["properties"][part] : nullptr;
    }
  }
  out.subschema = sub;
  return out;
}

std::string Joined(const nlohmann::json& values, const char* separator) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += separator;
    out += v.is_string() ? v.get<std::string>() : v.dump();
  }
  return out;
}

struct Reason {
  std::string zh;
  std::string en;
};

Reason Explain(const std::string& d, const nlohmann::json* sub) {
  auto has = [sub](const char* key) { return sub != nullptr && sub->contains(key); };
  if (d.rfind("Missing required property", 0) == 0)
    return {"缺少必填字段", "a required field is missing"};
  if (d.rfind("Object contains a property that could not be validated", 0) == 0) {
    return {"不允许的字段（此类条目没有这个字段）", "this field is not allowed here"};
  }
  if (d.rfind(kPropertyWrapper, 0) == 0) {
    return {"这个字段不适用于此种条目", "this field does not apply to this kind of entry"};
  }
  if (d.rfind("Failed to validate against a conditional schema", 0) == 0) {
    return {"字段组合不符合要求（某种类型须有或不得有的字段）",
            "the fields do not fit together (fields this kind of entry needs or must not have)"};
  }
  if (d.rfind("Value type not permitted", 0) == 0) {
    std::string want =
        has("type") ? Joined((*sub)["type"].is_array() ? (*sub)["type"]
                                                       : nlohmann::json::array({(*sub)["type"]}),
                             " | ")
                    : "?";
    return {"类型不对，应为 " + want, "wrong type, expected " + want};
  }
  if (d.rfind("Failed to match against any enum values", 0) == 0 && has("enum")) {
    return {"取值不在允许范围内，可选：" + Joined((*sub)["enum"], "、"),
            "not an allowed value; one of: " + Joined((*sub)["enum"], ", ")};
  }
  if (d.rfind("Failed to match regex", 0) == 0 && has("pattern")) {
    std::string pattern = (*sub)["pattern"].get<std::string>();
    return {"格式不对，应符合 " + pattern, "does not match the pattern " + pattern};
  }
  struct Bound {
    const char* prefix;
    const char* key;
    const char* zh;
    const char* zh_unit;
    const char* en;
  };
  static constexpr Bound kBounds[] = {
      {"Expected number greater than or equal to", "minimum", "不得小于 ", "", "must be at least "},
      {"Expected number less than or equal to", "maximum", "不得大于 ", "", "must be at most "},
      {"String should be no fewer than", "minLength", "至少 ", " 个字符",
       "needs at least this many characters: "},
      {"String should be no more than", "maxLength", "最多 ", " 个字符",
       "allows at most this many characters: "},
      {"Array should contain no fewer than", "minItems", "至少 ", " 项",
       "needs at least this many items: "},
      {"Array should contain no more than", "maxItems", "最多 ", " 项",
       "allows at most this many items: "},
  };
  for (const Bound& b : kBounds) {
    if (d.rfind(b.prefix, 0) == 0 && has(b.key)) {
      std::string n = (*sub)[b.key].dump();
      return {b.zh + n + b.zh_unit, b.en + n};
    }
  }
  if (IsAlternatives(d) && has("description")) {
    // Schema descriptions are written "中文 / English".
    std::string text = (*sub)["description"].get<std::string>();
    size_t slash = text.find(" / ");
    if (slash == std::string::npos) return {text, text};
    return {text.substr(0, slash), text.substr(slash + 3)};
  }
  return {d, d};
}

Status FromError(std::string_view type, const valijson::ValidationResults::Error& error,
                 const json::Value& body, const nlohmann::json& schema) {
  Located at = Locate(error.context, body, schema);
  std::string name = QuotedName(error.description);
  // A property whose schema is `false` (not allowed in this branch) fails
  // with no leaf error, only "...associated with property name 'x'".
  bool names_field = error.description.rfind("Missing required property", 0) == 0 ||
                     error.description.rfind("Object contains a property", 0) == 0 ||
                     error.description.rfind(kPropertyWrapper, 0) == 0;
  if (names_field && !name.empty()) at.path += "." + name;
  Reason why = Explain(error.description, at.subschema);
  std::string t(type);
  return Status(Code::kInvalidInput, "不符合“" + t + "”条目格式：" + why.zh,
                "does not fit the " + t + " schema: " + why.en, Where{.field = at.path});
}

// ---- National ID numbers ---------------------------------------------------

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The length of the digest at the start of `s`, or 0: a maximal run of ASCII
// letters and digits, at least kDigestHexMin long, all hexadecimal, with at
// least one letter. A salted commitment is such a run (64 hex digits), and
// one in a few thousand holds 15 or 18 decimal digits in a row that pass
// for an ID number; a digest is never an ID number written out.
constexpr size_t kDigestHexMin = 32;
size_t DigestLength(std::string_view s) {
  size_t n = 0;
  bool letter = false;
  bool hex = true;
  while (n < s.size() && IsAsciiAlnum(s[n])) {
    const char c = s[n];
    if (!(c >= '0' && c <= '9')) {
      letter = true;
      hex = hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
    }
    ++n;
  }
  return hex && letter && n >= kDigestHexMin ? n : 0;
}

// The string reduced to what an ID number is written with: ASCII and
// full-width digits become '0'..'9', x/X (either width) 'X', anything else
// ' ', and so does every digest (DigestLength).
std::string IdAlphabet(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80 && (i == 0 || !IsAsciiAlnum(s[i - 1]))) {
      if (size_t digest = DigestLength(s.substr(i)); digest > 0) {
        out.append(digest, ' ');
        i += digest;
        continue;
      }
    }
    if (b < 0x80) {
      out += (b >= '0' && b <= '9') ? static_cast<char>(b) : (b == 'x' || b == 'X') ? 'X' : ' ';
      ++i;
      continue;
    }
    size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    char mapped = ' ';
    if (len == 3 && i + 2 < s.size() && b == 0xEF) {  // U+FF10..FF19, U+FF38, U+FF58
      auto b1 = static_cast<unsigned char>(s[i + 1]);
      auto b2 = static_cast<unsigned char>(s[i + 2]);
      if (b1 == 0xBC && b2 >= 0x90 && b2 <= 0x99) mapped = static_cast<char>('0' + (b2 - 0x90));
      if ((b1 == 0xBC && b2 == 0xB8) || (b1 == 0xBD && b2 == 0x98)) mapped = 'X';
    }
    out += mapped;
    i += len;
  }
  return out;
}

bool PlausibleBirth(std::string_view yyyymmdd) {
  int year = std::stoi(std::string(yyyymmdd.substr(0, 4)));
  if (year > 2100) return false;
  std::string date = std::string(yyyymmdd.substr(0, 4)) + "-" + std::string(yyyymmdd.substr(4, 2)) +
                     "-" + std::string(yyyymmdd.substr(6, 2));
  return internal::IsDate(date);  // also refuses years before 1900
}

// GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.
char CheckDigit(std::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return "10X98765432"[sum % 11];
}

// `digits` is a maximal run of digits, `next` the character after it.
bool IsIdNumber(std::string_view digits, char next) {
  if (digits.size() == 18 || (digits.size() == 17 && next == 'X')) {
    char check = digits.size() == 18 ? digits[17] : 'X';
    return digits[0] != '0' && CheckDigit(digits.substr(0, 17)) == check &&
           PlausibleBirth(digits.substr(6, 8));
  }
  if (digits.size() == 15 && next != 'X') {  // the old 15-digit number: YYMMDD of 19YY
    return digits[0] != '0' && PlausibleBirth("19" + std::string(digits.substr(6, 6)));
  }
  return false;
}

bool ContainsIdNumber(std::string_view text) {
  std::string s = IdAlphabet(text);
  for (size_t i = 0; i < s.size();) {
    if (s[i] < '0' || s[i] > '9') {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
    char next = end < s.size() ? s[end] : ' ';
    if (IsIdNumber(std::string_view(s).substr(i, end - i), next)) return true;
    i = end;
  }
  return false;
}

// The bytes of the digit at text[i], ASCII (1) or full-width U+FF10..FF19
// (3), or 0 when there is none: the digits IdAlphabet keeps as digits.
size_t DigitBytes(std::string_view text, size_t i) {
  const auto b = static_cast<unsigned char>(text[i]);
  if (b >= '0' && b <= '9') return 1;
  if (b == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBC) {
    const auto b2 = static_cast<unsigned char>(text[i + 2]);
    if (b2 >= 0x90 && b2 <= 0x99) return 3;
  }
  return 0;
}

// Whether `text` may hold an ID number at all: a run of 15 digits, ASCII or
// full-width, in it (IdAlphabet keeps runs of digits as digits and an ID
// number is a run of at least 15). Most strings are names, dates, amounts and
// descriptions with a few numbers in them, answered here without building
// anything. With `control`, a C0 control character other than tab, line feed
// and carriage return also answers true: one loop for both questions.
bool MayHoldIdNumber(std::string_view text, bool control = false) {
  if (!control && text.size() < 15) return false;
  size_t run = 0;
  for (size_t i = 0; i < text.size();) {
    if (size_t digit = DigitBytes(text, i); digit > 0) {
      if (++run >= 15) return true;
      i += digit;
      continue;
    }
    run = 0;
    const auto u = static_cast<unsigned char>(text[i++]);
    if (control && u < 0x20 && u != '\t' && u != '\n' && u != '\r') return true;
  }
  return false;
}

// True when a string in `v` satisfies `found`; `*path` is then the path from
// `v` to it (".key", "[index]" steps), built on the way back only.
template <class Pred>
bool FindString(const json::Value& v, const Pred& found, std::string* path) {
  if (v.is_string()) return found(v.as_string());
  if (v.is_array()) {
    for (size_t i = 0; i < v.items().size(); ++i) {
      if (!FindString(v.items()[i], found, path)) continue;
      path->insert(0, "[" + std::to_string(i) + "]");
      return true;
    }
  }
  if (v.is_object()) {
    for (const auto& [key, member] : v.members()) {
      if (!FindString(member, found, path)) continue;
      path->insert(0, "." + key);
      return true;
    }
  }
  return false;
}

bool FindIdNumber(const json::Value& v, std::string* path) {
  return FindString(
      v, [](const std::string& s) { return MayHoldIdNumber(s) && ContainsIdNumber(s); }, path);
}

// A C0 control character other than tab, line feed and carriage return.
bool HasControlCharacter(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 && u != '\t' && u != '\n' && u != '\r';
  });
}

Status ClearIdNumberError(std::string field) {
  return Status(
      Code::kRuleViolation, "不得在账本中写入身份证号明文，只能写入加盐哈希承诺",
      "a clear national ID number must not enter the ledger; record only its salted commitment",
      Where{.field = std::move(field)});
}

}  // namespace

Status ValidateBody(std::string_view type, const json::Value& body) {
  auto it = Schemas().find(type);
  if (it == Schemas().end()) {
    return Status(Code::kRuleViolation, "条目类型“" + std::string(type) + "”没有格式定义（schema）",
                  "entry type \"" + std::string(type) + "\" has no schema");
  }
  const Compiled& compiled = *it->second;
  if (!compiled.error.empty()) {
    return Status(
        Code::kInternal, "内置的条目格式定义无法解析",
        "the embedded schema of " + std::string(type) + " does not parse: " + compiled.error);
  }
  // The common case, a valid body, is settled by the compiled check; valijson
  // judges what it refuses (and whatever it cannot compile), and explains.
  if (compiled.fast != nullptr && compiled.fast->Valid(body)) return Status::Ok();
  nlohmann::json doc = ToNlohmann(body);
  valijson::adapters::NlohmannJsonAdapter target(doc);
  thread_local valijson::Validator validator;  // caches the compiled patterns
  // Without a results object valijson stops at the first failure and builds
  // no error context; only a body that fails is validated again to explain.
  if (validator.validate(compiled.schema, target, nullptr)) {
    if (compiled.fast == nullptr) return Status::Ok();
    return Status(Code::kInternal, "两种格式校验的结论不一致（" + std::string(type) + "）",
                  "the compiled schema of " + std::string(type) + " refused a body valijson accepts",
                  Where{.field = "body"});
  }
  valijson::ValidationResults results;
  if (validator.validate(compiled.schema, target, &results)) {
    return Status(Code::kInternal, "格式校验结果不一致", "schema validation gave two answers");
  }
  const valijson::ValidationResults::Error* chosen = Choose(results);
  if (chosen == nullptr) {
    return Status(Code::kInvalidInput, "不符合“" + std::string(type) + "”条目格式",
                  "does not fit the " + std::string(type) + " schema", Where{.field = "body"});
  }
  return FromError(type, *chosen, body, compiled.doc);
}

std::optional<bool> CompiledValid(std::string_view type, const json::Value& body) {
  auto it = Schemas().find(type);
  if (it == Schemas().end() || it->second->fast == nullptr) return std::nullopt;
  return it->second->fast->Valid(body);
}

std::string CompiledUnsupported(std::string_view type) {
  auto it = Schemas().find(type);
  return it == Schemas().end() ? "no schema" : it->second->fast_unsupported;
}

std::optional<bool> ReferenceValid(std::string_view type, const json::Value& body) {
  auto it = Schemas().find(type);
  if (it == Schemas().end() || !it->second->error.empty()) return std::nullopt;
  nlohmann::json doc = ToNlohmann(body);
  valijson::adapters::NlohmannJsonAdapter target(doc);
  thread_local valijson::Validator validator;  // caches the compiled patterns
  return validator.validate(it->second->schema, target, nullptr);
}

Status RefuseControlCharacters(const json::Value& body) {
  std::string path;
  if (!FindString(body, HasControlCharacter, &path)) return Status::Ok();
  return Status(Code::kInvalidInput, "文本中不得有控制字符（制表、换行、回车除外），如 U+0000",
                "text must not contain control characters (other than tab, line feed and carriage "
                "return), such as U+0000",
                Where{.field = "body" + path});
}

Status RefuseClearIdNumbers(const json::Value& body) {
  std::string path;
  if (!FindIdNumber(body, &path)) return Status::Ok();
  return ClearIdNumberError("body" + path);
}

namespace {

// MayHoldIdNumber(text, control = true), sixteen bytes at a time for the
// common answer: a control character is there or not, and a run of 15 digits
// needs at least 15 bytes that are ASCII digits or the first byte of a
// full-width digit (EF BC 90..99); only a string with that many is looked at
// closely. Full-width punctuation (，：) also begins with EF, so the byte
// after it and the one after that are looked at too: memos full of it used
// to pass the count.
bool MayHoldIdNumberOrControl(std::string_view text) {
  const char* p = text.data();
  const char* const end = p + text.size();
  size_t digitish = 0;
#if defined(__SSE2__)
  const __m128i below_space = _mm_set1_epi8(0x1F);
  const __m128i tab = _mm_set1_epi8('\t');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i zero = _mm_set1_epi8('0');
  const __m128i nine = _mm_set1_epi8('9');
  const __m128i ef = _mm_set1_epi8(static_cast<char>(0xEF));
  const __m128i bc = _mm_set1_epi8(static_cast<char>(0xBC));
  const __m128i wide_zero = _mm_set1_epi8(static_cast<char>(0x90));
  const __m128i wide_nine = _mm_set1_epi8(static_cast<char>(0x99));
  const __m128i one = _mm_set1_epi8(1);
  for (; end - p >= 16; p += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // x <= 0x1F unsigned, but not tab, line feed or carriage return.
    const __m128i control = _mm_andnot_si128(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, tab), _mm_cmpeq_epi8(x, lf)),
                     _mm_cmpeq_epi8(x, cr)),
        _mm_cmpeq_epi8(_mm_max_epu8(x, below_space), below_space));
    if (_mm_movemask_epi8(control) != 0) return true;
    const __m128i digit = _mm_and_si128(_mm_cmpeq_epi8(_mm_max_epu8(x, zero), x),
                                        _mm_cmpeq_epi8(_mm_min_epu8(x, nine), x));
    __m128i wide = _mm_cmpeq_epi8(x, ef);
    if (end - p >= 18) {  // the two bytes after each of the sixteen are there
      const __m128i x1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
      const __m128i x2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 2));
      wide = _mm_and_si128(
          wide, _mm_and_si128(_mm_cmpeq_epi8(x1, bc),
                              _mm_and_si128(_mm_cmpeq_epi8(_mm_max_epu8(x2, wide_zero), x2),
                                            _mm_cmpeq_epi8(_mm_min_epu8(x2, wide_nine), x2))));
    }  // else every EF counts: more than needed, never fewer
    // The count of digit-like bytes: 1 per such byte, summed (no popcnt on baseline x86-64).
    const __m128i ones = _mm_and_si128(_mm_or_si128(digit, wide), one);
    const __m128i sums = _mm_sad_epu8(ones, _mm_setzero_si128());
    digitish += static_cast<size_t>(_mm_cvtsi128_si32(sums) + _mm_extract_epi16(sums, 4));
  }
#endif
  for (; p < end; ++p) {
    const auto u = static_cast<unsigned char>(*p);
    if (u < 0x20 && u != '\t' && u != '\n' && u != '\r') return true;
    const bool wide =
        u == 0xEF && (end - p < 3 || DigitBytes(text, static_cast<size_t>(p - text.data())) == 3);
    digitish += (u >= '0' && u <= '9') || wide;
  }
  return digitish >= 15 && MayHoldIdNumber(text, /*control=*/true);
}

}  // namespace

bool TextNeedsRefusalCheck(const json::Value& body, bool controls_possible) {
  std::string unused;
  if (!controls_possible) {
    return FindString(
        body, [](const std::string& s) { return s.size() >= 15 && MayHoldIdNumberOrControl(s); },
        &unused);
  }
  return FindString(
      body, [](const std::string& s) { return MayHoldIdNumberOrControl(s); }, &unused);
}

Status RefuseClearIdNumberIn(std::string_view text, std::string_view field) {
  // Every entry's idempotency id and operator passes here: too short to hold
  // 15 digits, or the sixteen-bytes-at-a-time count first (it answers true
  // for any text MayHoldIdNumber would).
  if (text.size() < 15 || !MayHoldIdNumberOrControl(text) || !MayHoldIdNumber(text) ||
      !ContainsIdNumber(text)) {
    return Status::Ok();
  }
  return ClearIdNumberError(std::string(field));
}

}  // namespace cunzhang::domain::schema
