// Entry body schemas (valijson, draft-07); the text guards are in text_guard.cc.
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

}  // namespace cunzhang::domain::schema
