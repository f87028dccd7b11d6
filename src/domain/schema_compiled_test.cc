// The compiled schemas against valijson: every embedded schema compiles, and
// on valid bodies of every type and on thousands of mutations of them (each
// member removed, each value replaced by values of every type and by every
// constant the schemas name, unknown and known keys added, strings cut and
// stretched, numbers moved past their bounds) the two give the same answer.
#include "domain/schema_compiled.h"

#include <catch2/catch.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "domain/schema.h"

namespace cunzhang::domain::schema {
namespace {

const std::string kHex(64, 'b');

// Valid bodies, several per type, using the optional fields too.
const std::vector<std::pair<std::string, std::string>>& Corpus() {
  static const auto* corpus = new std::vector<std::pair<std::string, std::string>>{
      {"org.register",
       R"({"kind":"cooperative","name":"大新井兴农农机专业合作社","founded":"2013-05-20","share_price_fen":100,"registered_capital_fen":5000000,"member_cap_bp":2000,"chart":"coop-2021"})"},
      {"org.register", R"({"kind":"collective","name":"某村股份经济合作社","founded":"2019-01-01","share_price_fen":1})"},
      {"resolution.record",
       R"({"resolution_id":"R-2024-01","date":"2024-03-01","body":"members_meeting","subject":"入股办法","members_total":30,"present":25,"in_favour":20,"special":true,"outcome":"adopted"})"},
      {"member.join",
       R"({"member_id":"M001","kind":"person","name":"王德","date":"2024-03-02","household":"一组 12 号","farmer":true,"id_commitment":")" + kHex + R"("})"},
      {"member.join", R"({"member_id":"V","kind":"unit","name":"大新井村股份经济合作社","date":"2024-03-02"})"},
      {"member.status",
       R"({"member_id":"M001","status":"exited","date":"2024-06-01","resolution_id":"R-2","reason":"迁出"})"},
      {"note", R"({"text":"扫描凭证见 2024-07 号","ref":"V-7"})"},
      {"books.journal",
       R"({"date":"2024-07-01","memo":"收农机作业费","lines":[{"account":"101","debit_fen":50000},{"account":"501","credit_fen":50000,"member_id":"M001"}]})"},
      {"contribution.capital", R"({"member_id":"M001","date":"2024-03-05","amount_fen":120000,"debit_account":"102"})"},
      {"contribution.goods", R"({"member_id":"M001","date":"2024-03-05","rule_id":"goods-1","debit_account":"151"})"},
      {"contribution.labour",
       R"({"member_id":"M001","date":"2024-03-05","workdays":"12.50","category":"男工","rule_id":"labour-m","debit_account":"401"})"},
      {"contribution.land",
       R"({"member_id":"M001","date":"2024-03-05","mu":"11.0000","grade":"一等","parcel":"150426001 东坡地","rule_id":"land-1","debit_account":"161"})"},
      {"entry.reverse", R"({"seq":17,"date":"2024-04-01","reason":"录入错误"})"},
      {"share.exit", R"({"member_id":"M001","date":"2024-09-01","resolution_id":"R-3","pay_account":"102"})"},
      {"share.inherit", R"({"from_member":"M001","to_member":"M002","date":"2024-09-01","resolution_id":"R-3"})"},
      {"share.transfer",
       R"({"from_member":"M001","to_member":"M002","date":"2024-09-01","kind":"land","shares":"2.5","resolution_id":"R-3"})"},
      {"valuation.rule",
       R"({"rule_id":"p-1","kind":"share_price","effective_from":"2024-01-01","resolution_id":"R-1","fen_per_share":100})"},
      {"valuation.rule",
       R"({"rule_id":"land-1","kind":"land","effective_from":"2024-01-01","resolution_id":"R-1","grade":"一等","fen_per_mu":800000})"},
      {"valuation.rule",
       R"({"rule_id":"labour-m","kind":"labour","effective_from":"2024-01-01","resolution_id":"R-1","category":"男工","fen_per_day":12000})"},
      {"valuation.rule",
       R"({"rule_id":"goods-1","kind":"goods_appraisal","effective_from":"2024-01-01","resolution_id":"R-1","description":"拖拉机一台","value_fen":5000000})"},
  };
  return *corpus;
}

// Every string constant and property name the schemas mention.
void Harvest(const nlohmann::json& j, std::set<std::string>* strings, std::set<std::string>* names) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if (key == "description" || key == "title" || key == "$schema" || key == "pattern") continue;
      if (key == "properties") {
        for (const auto& [name, sub] : value.items()) names->insert(name);
      }
      Harvest(value, strings, names);
    }
  } else if (j.is_array()) {
    for (const auto& item : j) Harvest(item, strings, names);
  } else if (j.is_string()) {
    strings->insert(j.get<std::string>());
  }
}

std::vector<json::Value> Replacements(const std::set<std::string>& constants) {
  using json::Value;
  std::vector<Value> out = {
      Value(), Value::Bool(true), Value::Bool(false), Value::Int(0), Value::Int(1), Value::Int(-1),
      Value::Int(10000), Value::Int(10001), Value::Int(INT64_MAX), Value::Int(INT64_MIN),
      Value::String(""), Value::String("x"), Value::String("2024-02-30"), Value::String("2024-1-01"),
      Value::String("20240101"), Value::String("2024-01-01x"), Value::String("0"), Value::String("00"),
      Value::String("01.5"), Value::String("1."), Value::String(".5"), Value::String("1.50"),
      Value::String("1234567890123456"), Value::String("123456789012345.25"), Value::String("12"),
      Value::String("123"), Value::String("12345678"), Value::String("123456789"),
      Value::String("1a3"), Value::String(std::string(64, 'f')), Value::String(std::string(64, 'F')),
      Value::String(std::string(63, 'a')), Value::String(std::string(65, 'a')),
      Value::String("２０２４-01-01"), Value::String("一二三"), Value::String(std::string(64, 'x')),
      Value::String(std::string(65, 'x')), Value::Array(), Value::Object(),
      Value::Array({Value::Int(1), Value::String("a")}),
      // Control characters: tab and line feed reach the schemas; U+0000 and the
      // other C0 controls are refused before them (RefuseControlCharacters),
      // and valijson's length stops at U+0000, so the two are compared without.
      Value::String("\t"), Value::String("一\n二"), Value::String(std::string(64, 'a') + "\n"),
  };
  // Strings of many code points in Chinese (3 bytes each) around every bound.
  for (size_t n : {63u, 64u, 65u, 100u, 101u, 128u, 129u, 200u, 201u, 500u, 501u}) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += "村";
    out.push_back(Value::String(s));
  }
  for (const std::string& c : constants) out.push_back(Value::String(c));
  return out;
}

using Visit = std::function<void(const json::Value&)>;

// Calls `visit` with every mutation of `v` at one place, recursively.
void Mutate(const json::Value& v, const std::vector<json::Value>& replacements,
            const std::set<std::string>& names, const Visit& visit) {
  using json::Value;
  for (const Value& r : replacements) visit(r);
  if (v.is_string()) {
    visit(Value::String(v.as_string() + "x"));
    visit(Value::String(" " + v.as_string()));
    visit(Value::String(v.as_string().substr(0, v.as_string().size() / 2)));
  }
  if (v.is_int()) {
    for (int64_t d : {-1, 1}) visit(Value::Int(v.as_int() + d));
    visit(Value::Int(-v.as_int()));
  }
  if (v.is_array()) {
    visit(Value::Array({}));
    for (size_t i = 0; i < v.items().size(); ++i) {
      std::vector<Value> without = v.items();
      without.erase(without.begin() + static_cast<std::ptrdiff_t>(i));
      visit(Value::Array(without));
      Mutate(v.items()[i], replacements, names, [&](const Value& m) {
        std::vector<Value> items = v.items();
        items[i] = m;
        visit(Value::Array(items));
      });
    }
    std::vector<Value> more = v.items();
    more.push_back(v.items().empty() ? Value() : v.items().back());
    visit(Value::Array(more));
  }
  if (v.is_object()) {
    for (size_t i = 0; i < v.members().size(); ++i) {
      std::vector<json::Member> without = v.members();
      without.erase(without.begin() + static_cast<std::ptrdiff_t>(i));
      visit(Value::Object(without));
      Mutate(v.members()[i].second, replacements, names, [&](const Value& m) {
        Value copy = v;
        copy.Set(v.members()[i].first, m);
        visit(copy);
      });
    }
    for (const std::string& name : names) {
      if (v.Find(name) != nullptr) continue;
      for (const Value& r : {Value::String("一等"), Value::Int(5), Value::String("2024-01-01")}) {
        Value copy = v;
        copy.Set(name, r);
        visit(copy);
      }
    }
    Value unknown = v;
    unknown.Set("zzz_unknown", Value::Int(1));
    visit(unknown);
  }
}

TEST_CASE("every embedded entry schema compiles to the fast check", "[schema][compiled]") {
  for (const EmbeddedSchema& s : EmbeddedSchemas()) {
    INFO(s.type << ": " << CompiledUnsupported(s.type));
    CHECK(CompiledValid(s.type, json::Value::Object()).has_value());
  }
}

TEST_CASE("the compiled check refuses what it does not know instead of guessing", "[schema][compiled]") {
  std::string why;
  CHECK(CompiledSchema::Compile(nlohmann::json::parse(R"({"format":"date"})"), &why) == nullptr);
  CHECK(why == "keyword format");
  CHECK(CompiledSchema::Compile(nlohmann::json::parse(R"({"items":[{"type":"string"}]})"), &why) == nullptr);
  CHECK(why == "items as a list (tuple validation)");
  CHECK(CompiledSchema::Compile(nlohmann::json::parse(R"({"minimum":1.5})"), &why) == nullptr);
  CHECK(CompiledSchema::Compile(nlohmann::json::parse(R"({"type":"float"})"), &why) == nullptr);
  auto generic = CompiledSchema::Compile(nlohmann::json::parse(R"({"pattern":"^a+b$"})"), &why);
  REQUIRE(generic != nullptr);  // any other pattern goes to std::regex
  CHECK(generic->Valid(json::Value::String("aab")));
  CHECK_FALSE(generic->Valid(json::Value::String("ba")));
}

TEST_CASE("the compiled check counts required properties as it walks the members",
          "[schema][compiled]") {
  std::string why;
  // "b" twice, "z" required but not a property, "c" a property not required.
  auto schema = CompiledSchema::Compile(
      nlohmann::json::parse(
          R"({"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"string"},"c":{}},)"
          R"("required":["b","a","b","z"]})"),
      &why);
  REQUIRE(schema != nullptr);
  auto object = [](std::vector<std::string> keys) {
    std::vector<json::Member> members;
    for (std::string& key : keys) {
      json::Value value = key == "b" ? json::Value::String("x") : json::Value::Int(1);
      members.emplace_back(std::move(key), std::move(value));
    }
    return json::Value::Object(std::move(members));
  };
  CHECK(schema->Valid(object({"a", "b", "z"})));
  CHECK(schema->Valid(object({"a", "b", "c", "y", "z"})));
  CHECK_FALSE(schema->Valid(object({"a", "b"})));       // z missing
  CHECK_FALSE(schema->Valid(object({"a", "c", "z"})));  // b missing, once counted twice
  CHECK_FALSE(schema->Valid(object({"b", "c", "z"})));  // a missing
  CHECK_FALSE(schema->Valid(object({"c", "y", "z"})));
  CHECK_FALSE(schema->Valid(object({"a", "b", "c", "y"})));
}

TEST_CASE("the compiled check counts code points only when bytes cannot decide", "[schema][compiled]") {
  std::string why;
  auto between = [&](int min, int max) {
    auto schema = CompiledSchema::Compile(
        nlohmann::json{{"type", "string"}, {"minLength", min}, {"maxLength", max}}, &why);
    REQUIRE(schema != nullptr);
    return schema;
  };
  auto one_to_three = between(1, 3);
  CHECK(one_to_three->Valid(json::Value::String("一二三")));   // 9 bytes, 3 code points
  CHECK_FALSE(one_to_three->Valid(json::Value::String("一二三四")));
  CHECK(one_to_three->Valid(json::Value::String("a")));
  CHECK_FALSE(one_to_three->Valid(json::Value::String("")));
  // Not UTF-8 (the rules never see it, but the check stays exact): a lone
  // continuation byte is no code point.
  CHECK_FALSE(one_to_three->Valid(json::Value::String("\x80")));
  CHECK(one_to_three->Valid(json::Value::String("\x80" "a")));
  auto two_to_two = between(2, 2);
  CHECK(two_to_two->Valid(json::Value::String("一二")));
  CHECK(two_to_two->Valid(json::Value::String("ab")));
  CHECK_FALSE(two_to_two->Valid(json::Value::String("一")));
  CHECK_FALSE(two_to_two->Valid(json::Value::String("a")));
  CHECK_FALSE(two_to_two->Valid(json::Value::String("abc")));
}

TEST_CASE("the compiled check and valijson agree on valid bodies and their mutations",
          "[schema][compiled]") {
  std::set<std::string> constants;
  std::set<std::string> names;
  for (const EmbeddedSchema& s : EmbeddedSchemas()) {
    Harvest(nlohmann::json::parse(s.text), &constants, &names);
  }
  const std::vector<json::Value> replacements = Replacements(constants);
  size_t checked = 0;
  size_t invalid = 0;
  std::set<std::string> types_seen;
  for (const auto& [type, text] : Corpus()) {
    Result<json::Parsed> parsed = json::Parse(text);
    REQUIRE(parsed.ok());
    const json::Value& body = parsed->value;
    INFO(type << " " << text);
    REQUIRE(ReferenceValid(type, body) == std::optional<bool>(true));
    REQUIRE(CompiledValid(type, body) == std::optional<bool>(true));
    types_seen.insert(type);
    auto compare = [&](const json::Value& mutated) {
      ++checked;
      std::optional<bool> reference = ReferenceValid(type, mutated);
      std::optional<bool> compiled = CompiledValid(type, mutated);
      if (reference != compiled) {
        FAIL_CHECK(type << ": valijson " << (reference.value_or(false) ? "accepts" : "refuses")
                        << ", compiled " << (compiled.value_or(false) ? "accepts" : "refuses")
                        << ": " << json::Canonical(mutated));
      }
      invalid += reference == std::optional<bool>(false);
    };
    Mutate(body, replacements, names, compare);
  }
  CHECK(types_seen.size() == EmbeddedSchemas().size());  // the corpus covers every type
  CHECK(checked > 10000);
  CHECK(invalid > checked / 2);      // most mutations break something
  CHECK(invalid < checked);          // and some do not
}

}  // namespace
}  // namespace cunzhang::domain::schema
