#include "schema_compiled.h"

#include <algorithm>
#include <optional>
#include <regex>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace cunzhang::domain::schema {
namespace {

// JSON Schema's instance types as bits.
enum TypeBit : unsigned {
  kNull = 1, kBoolean = 2, kInteger = 4, kString = 8, kArray = 16, kObject = 32,
};

unsigned BitOf(const json::Value& v) {
  switch (v.kind()) {
    case json::Value::Kind::kNull: return kNull;
    case json::Value::Kind::kBool: return kBoolean;
    case json::Value::Kind::kInt: return kInteger;
    case json::Value::Kind::kString: return kString;
    case json::Value::Kind::kArray: return kArray;
    case json::Value::Kind::kObject: return kObject;
  }
  return 0;
}

// Our documents hold no fractions, so "number" admits exactly the integers.
std::optional<unsigned> TypeNamed(const std::string& name) {
  if (name == "null") return kNull;
  if (name == "boolean") return kBoolean;
  if (name == "integer" || name == "number") return kInteger;
  if (name == "string") return kString;
  if (name == "array") return kArray;
  if (name == "object") return kObject;
  return std::nullopt;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The patterns our schemas use, matched without a regex engine. Each is
// exactly what std::regex_search (ECMAScript) makes of the pattern; the
// differential test holds them to it.
bool DateShape(std::string_view s) {  // ^\d{4}-\d{2}-\d{2}$
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(s[i])) return false;
  }
  return true;
}

bool AccountCode(std::string_view s) {  // ^[0-9]{3,8}$
  return s.size() >= 3 && s.size() <= 8 && std::all_of(s.begin(), s.end(), IsDigit);
}

bool LowerHex64(std::string_view s) {  // ^[0-9a-f]{64}$
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); });
}

bool Decimal15(std::string_view s) {  // ^(0|[1-9][0-9]{0,14})(\.[0-9]+)?$
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  if (whole.empty() || whole.size() > 15 || !std::all_of(whole.begin(), whole.end(), IsDigit))
    return false;
  if (whole.size() > 1 && whole[0] == '0') return false;
  if (dot == std::string_view::npos) return true;
  std::string_view fraction = s.substr(dot + 1);
  return !fraction.empty() && std::all_of(fraction.begin(), fraction.end(), IsDigit);
}

using NativePattern = bool (*)(std::string_view);

NativePattern NativeFor(const std::string& pattern) {
  static const std::pair<const char*, NativePattern> kNative[] = {
      {R"(^\d{4}-\d{2}-\d{2}$)", DateShape},
      {R"(^[0-9]{3,8}$)", AccountCode},
      {R"(^[0-9a-f]{64}$)", LowerHex64},
      {R"(^(0|[1-9][0-9]{0,14})(\.[0-9]+)?$)", Decimal15},
  };
  for (const auto& [text, fn] : kNative) {
    if (pattern == text) return fn;
  }
  return nullptr;
}

// Unicode code points in valid UTF-8: the bytes that do not continue one.
size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

Result<json::Value> ToValue(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return json::Value();
    case nlohmann::json::value_t::boolean: return json::Value::Bool(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return json::Value::Int(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      if (j.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) break;
      return json::Value::Int(static_cast<int64_t>(j.get<uint64_t>()));
    }
    case nlohmann::json::value_t::string: return json::Value::String(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      std::vector<json::Value> items;
      for (const auto& item : j) {
        CZ_ASSIGN_OR_RETURN(json::Value v, ToValue(item));
        items.push_back(std::move(v));
      }
      return json::Value::Array(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      std::vector<json::Member> members;
      for (const auto& [key, item] : j.items()) {
        CZ_ASSIGN_OR_RETURN(json::Value v, ToValue(item));
        members.emplace_back(key, std::move(v));
      }
      return json::Value::Object(std::move(members));
    }
    default: break;
  }
  return Status(Code::kInvalidInput, "", "a value that is not an integer, string, boolean or null");
}

}  // namespace

struct CompiledSchema::Node {
  bool always_false = false;  // the boolean schema false
  unsigned types = 0;         // 0: any
  std::optional<std::vector<json::Value>> enum_values;
  std::optional<json::Value> const_value;
  std::optional<int64_t> minimum, maximum;
  std::optional<size_t> min_length, max_length;
  NativePattern native_pattern = nullptr;
  std::optional<std::regex> pattern;
  // Objects. properties sorted by name, as json::Value members are.
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> properties;
  std::vector<std::string> required;
  // Derived from the two above when compiled: which properties are required,
  // how many distinct names that is, and the required names that are not
  // properties. ValidObject counts required properties while it walks the
  // members instead of searching for each name.
  std::vector<uint8_t> property_required;
  size_t required_properties = 0;
  std::vector<std::string> required_elsewhere;
  bool additional_forbidden = false;
  std::unique_ptr<Node> additional;  // a schema for the others; null: any
  std::unique_ptr<Node> property_names;
  // Arrays.
  std::unique_ptr<Node> items;
  std::optional<size_t> min_items, max_items;
  // Combinations.
  std::vector<std::unique_ptr<Node>> all_of, any_of, one_of;
  std::unique_ptr<Node> not_, if_, then_, else_;

  bool Valid(const json::Value& v) const;
  bool ValidObject(const json::Value& v) const;

  // True when the string's length in code points is surely within
  // [min_length, max_length] without counting them: a string has at most as
  // many code points (CodePoints) as bytes, and a first byte that is not a
  // continuation byte is one. Most strings are decided so.
  bool LengthSurelyFits(const std::string& s) const {
    const bool max_fits = !max_length || s.size() <= *max_length;
    const bool min_fits = !min_length || *min_length == 0 ||
                          (*min_length == 1 && !s.empty() &&
                           (static_cast<unsigned char>(s[0]) & 0xC0) != 0x80);
    return max_fits && min_fits;
  }
};

namespace {

using Node = CompiledSchema::Node;

std::unique_ptr<Node> CompileNode(const nlohmann::json& s, std::string* unsupported);

bool Fail(std::string* unsupported, std::string what) {
  if (unsupported->empty()) *unsupported = std::move(what);
  return false;
}

std::optional<size_t> Count(const nlohmann::json& j, const char* key, std::string* unsupported) {
  if (!j.is_number_unsigned() && !(j.is_number_integer() && j.get<int64_t>() >= 0)) {
    Fail(unsupported, std::string(key) + " that is not a count");
    return std::nullopt;
  }
  return static_cast<size_t>(j.get<uint64_t>());
}

bool CompileKeyword(const std::string& key, const nlohmann::json& value, Node* node,
                    std::string* unsupported) {
  static const std::set<std::string> kAnnotations = {
      "$schema", "$id", "$comment", "title", "description", "default", "examples"};
  if (kAnnotations.contains(key)) return true;
  auto sub = [&](std::unique_ptr<Node>* out) {
    *out = CompileNode(value, unsupported);
    return *out != nullptr;
  };
  auto list = [&](std::vector<std::unique_ptr<Node>>* out) {
    if (!value.is_array() || value.empty()) return Fail(unsupported, key + " that is not a list");
    for (const auto& item : value) {
      out->push_back(CompileNode(item, unsupported));
      if (out->back() == nullptr) return false;
    }
    return true;
  };
  if (key == "type") {
    std::vector<nlohmann::json> names = value.is_array() ? value.get<std::vector<nlohmann::json>>()
                                                         : std::vector<nlohmann::json>{value};
    for (const auto& name : names) {
      std::optional<unsigned> bit = name.is_string() ? TypeNamed(name.get<std::string>()) : std::nullopt;
      if (!bit) return Fail(unsupported, "type " + name.dump());
      node->types |= *bit;
    }
    return true;
  }
  if (key == "enum" || key == "const") {
    std::vector<json::Value> values;
    for (const auto& item : key == "enum" ? value : nlohmann::json::array({value})) {
      Result<json::Value> v = ToValue(item);
      if (!v.ok()) return Fail(unsupported, key + " with " + item.dump());
      values.push_back(std::move(*v));
    }
    if (key == "const") {
      node->const_value = std::move(values.front());
    } else {
      node->enum_values = std::move(values);
    }
    return true;
  }
  if (key == "minimum" || key == "maximum") {
    if (!value.is_number_integer() && !value.is_number_unsigned())
      return Fail(unsupported, key + " that is not an integer");
    if (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
      return Fail(unsupported, key + " beyond 64 bits");
    (key == "minimum" ? node->minimum : node->maximum) = value.get<int64_t>();
    return true;
  }
  if (key == "minLength" || key == "maxLength" || key == "minItems" || key == "maxItems") {
    std::optional<size_t> n = Count(value, key.c_str(), unsupported);
    if (!n) return false;
    if (key == "minLength") node->min_length = n;
    if (key == "maxLength") node->max_length = n;
    if (key == "minItems") node->min_items = n;
    if (key == "maxItems") node->max_items = n;
    return true;
  }
  if (key == "pattern") {
    if (!value.is_string()) return Fail(unsupported, "pattern that is not a string");
    const std::string text = value.get<std::string>();
    node->native_pattern = NativeFor(text);
    if (node->native_pattern == nullptr) {
      try {
        node->pattern.emplace(text, std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        return Fail(unsupported, "pattern " + text);
      }
    }
    return true;
  }
  if (key == "properties") {
    if (!value.is_object()) return Fail(unsupported, "properties that are not an object");
    for (const auto& [name, schema] : value.items()) {
      std::unique_ptr<Node> child = CompileNode(schema, unsupported);
      if (child == nullptr) return false;
      node->properties.emplace_back(name, std::move(child));
    }
    std::sort(node->properties.begin(), node->properties.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    return true;
  }
  if (key == "required") {
    if (!value.is_array()) return Fail(unsupported, "required that is not a list");
    for (const auto& name : value) {
      if (!name.is_string()) return Fail(unsupported, "required name " + name.dump());
      node->required.push_back(name.get<std::string>());
    }
    return true;
  }
  if (key == "additionalProperties") {
    if (value.is_boolean()) {
      node->additional_forbidden = !value.get<bool>();
      return true;
    }
    return sub(&node->additional);
  }
  if (key == "propertyNames") return sub(&node->property_names);
  if (key == "items") {
    if (value.is_array()) return Fail(unsupported, "items as a list (tuple validation)");
    return sub(&node->items);
  }
  if (key == "allOf") return list(&node->all_of);
  if (key == "anyOf") return list(&node->any_of);
  if (key == "oneOf") return list(&node->one_of);
  if (key == "not") return sub(&node->not_);
  if (key == "if") return sub(&node->if_);
  if (key == "then") return sub(&node->then_);
  if (key == "else") return sub(&node->else_);
  return Fail(unsupported, "keyword " + key);
}

std::unique_ptr<Node> CompileNode(const nlohmann::json& s, std::string* unsupported) {
  auto node = std::make_unique<Node>();
  if (s.is_boolean()) {
    node->always_false = !s.get<bool>();
    return node;
  }
  if (!s.is_object()) {
    Fail(unsupported, "a schema that is not an object or a boolean");
    return nullptr;
  }
  for (const auto& [key, value] : s.items()) {
    if (!CompileKeyword(key, value, node.get(), unsupported)) return nullptr;
  }
  const std::set<std::string> required(node->required.begin(), node->required.end());
  node->property_required.assign(node->properties.size(), 0);
  for (size_t i = 0; i < node->properties.size(); ++i) {
    if (required.contains(node->properties[i].first)) {
      node->property_required[i] = 1;
      ++node->required_properties;
    }
  }
  for (const std::string& name : required) {
    auto named = [&](const auto& property) { return property.first == name; };
    if (std::none_of(node->properties.begin(), node->properties.end(), named)) {
      node->required_elsewhere.push_back(name);
    }
  }
  // draft-07 ignores then/else without if.
  if (node->if_ == nullptr) {
    node->then_.reset();
    node->else_.reset();
  }
  return node;
}

}  // namespace

bool Node::ValidObject(const json::Value& v) const {
  for (const std::string& name : required_elsewhere) {
    if (v.Find(name) == nullptr) return false;
  }
  // Members and properties are both sorted by name, and each is unique:
  // walk them together, counting the required properties met.
  size_t required_met = 0;
  size_t p = 0;
  for (const auto& [key, value] : v.members()) {
    if (property_names != nullptr && !property_names->Valid(json::Value::String(key))) return false;
    int order = 1;  // of properties[p] against key
    while (p < properties.size() && (order = properties[p].first.compare(key)) < 0) ++p;
    if (p < properties.size() && order == 0) {
      required_met += property_required[p];
      if (!properties[p].second->Valid(value)) return false;
      ++p;
      continue;
    }
    if (additional_forbidden) return false;
    if (additional != nullptr && !additional->Valid(value)) return false;
  }
  return required_met == required_properties;
}

bool Node::Valid(const json::Value& v) const {
  if (always_false) return false;
  const unsigned bit = BitOf(v);
  if (types != 0 && (types & bit) == 0) return false;
  if (enum_values && std::find(enum_values->begin(), enum_values->end(), v) == enum_values->end())
    return false;
  if (const_value && !(*const_value == v)) return false;
  switch (bit) {
    case kInteger:
      if (minimum && v.as_int() < *minimum) return false;
      if (maximum && v.as_int() > *maximum) return false;
      break;
    case kString:
      if ((min_length || max_length) && !LengthSurelyFits(v.as_string())) {
        const size_t n = CodePoints(v.as_string());
        if ((min_length && n < *min_length) || (max_length && n > *max_length)) return false;
      }
      if (native_pattern != nullptr && !native_pattern(v.as_string())) return false;
      if (pattern && !std::regex_search(v.as_string(), *pattern)) return false;
      break;
    case kArray:
      if (min_items && v.items().size() < *min_items) return false;
      if (max_items && v.items().size() > *max_items) return false;
      if (items != nullptr) {
        for (const json::Value& item : v.items()) {
          if (!items->Valid(item)) return false;
        }
      }
      break;
    case kObject:
      if (!ValidObject(v)) return false;
      break;
    default: break;
  }
  for (const auto& s : all_of) {
    if (!s->Valid(v)) return false;
  }
  if (!any_of.empty() &&
      std::none_of(any_of.begin(), any_of.end(), [&](const auto& s) { return s->Valid(v); }))
    return false;
  if (!one_of.empty() &&
      std::count_if(one_of.begin(), one_of.end(), [&](const auto& s) { return s->Valid(v); }) != 1)
    return false;
  if (not_ != nullptr && not_->Valid(v)) return false;
  if (if_ != nullptr) {
    const Node* branch = if_->Valid(v) ? then_.get() : else_.get();
    if (branch != nullptr && !branch->Valid(v)) return false;
  }
  return true;
}

CompiledSchema::CompiledSchema(std::unique_ptr<Node> root) : root_(std::move(root)) {}
CompiledSchema::~CompiledSchema() = default;

std::unique_ptr<CompiledSchema> CompiledSchema::Compile(const nlohmann::json& schema,
                                                        std::string* unsupported) {
  unsupported->clear();
  std::unique_ptr<Node> root = CompileNode(schema, unsupported);
  if (root == nullptr) return nullptr;
  return std::unique_ptr<CompiledSchema>(new CompiledSchema(std::move(root)));
}

bool CompiledSchema::Valid(const json::Value& value) const { return root_->Valid(value); }

}  // namespace cunzhang::domain::schema
