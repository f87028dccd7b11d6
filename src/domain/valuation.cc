// valuation.rule: a share price, a land price per mu by grade, a labour day
// rate by category, or one goods appraisal, approved by an adopted resolution
// and in force from a date. Contributions name the rule they use; the rule in
// force on a date is the latest one of its kind and key (RULES.md).
#include "valuation.h"

#include <tuple>

#include "internal.h"

namespace cunzhang::domain::internal {
namespace {

// What each kind of rule is keyed by and priced in.
struct RuleKind {
  const char* kind;
  const char* key_field;    // body field holding the key; nullptr = no key
  const char* price_field;  // body field holding fen per unit
  const char* zh;
};

constexpr RuleKind kRuleKinds[] = {
    {"share_price", nullptr, "fen_per_share", "股价"},
    {"land", "grade", "fen_per_mu", "土地"},
    {"labour", "category", "fen_per_day", "劳动"},
    {"goods_appraisal", nullptr, "value_fen", "实物评估"},
};

const RuleKind* FindKind(std::string_view kind) {
  for (const RuleKind& k : kRuleKinds) {
    if (kind == k.kind) return &k;
  }
  return nullptr;
}

// " for grade 一等" / "（等级 一等）" style phrases naming the key.
std::string KeyEn(std::string_view kind, std::string_view key) {
  if (kind == "land") return " for grade " + std::string(key);
  if (kind == "labour") return " for category " + std::string(key);
  if (kind == "goods_appraisal") return " \"" + std::string(key) + "\"";
  return "";
}

std::string KeyZh(std::string_view kind, std::string_view key) {
  if (kind == "land") return "（等级 " + std::string(key) + "）";
  if (kind == "labour") return "（工种 " + std::string(key) + "）";
  if (kind == "goods_appraisal") return "“" + std::string(key) + "”";
  return "";
}

std::string RuleKindZh(std::string_view kind) {
  const RuleKind* k = FindKind(kind);
  return k == nullptr ? std::string(kind) : k->zh;
}

std::string KindKey(std::string_view kind, std::string_view key) {
  std::string out(kind);
  out.push_back('\x1f');
  out.append(key);
  return out;
}

const ValuationRule* Latest(const State& state, std::string_view kind, std::string_view key,
                            const std::string& date) {
  const ValuationRule* best = nullptr;
  auto ids = state.rule_ids_by_kind_key.find(KindKey(kind, key));
  if (ids == state.rule_ids_by_kind_key.end()) return nullptr;
  for (const std::string& id : ids->second) {
    const ValuationRule& r = state.valuation_rules.at(id);
    if (r.kind != kind || r.key != key || r.effective_from > date) continue;
    if (best == nullptr ||
        std::tie(r.effective_from, r.seq) > std::tie(best->effective_from, best->seq)) {
      best = &r;
    }
  }
  return best;
}

// A goods appraisal is its own key: in force from its date until used.
const ValuationRule* Appraisal(const State& state, std::string_view id, const std::string& date) {
  auto it = state.valuation_rules.find(std::string(id));
  if (it == state.valuation_rules.end()) return nullptr;
  const ValuationRule& r = it->second;
  bool in_force = r.kind == "goods_appraisal" && r.effective_from <= date && !r.used;
  return in_force ? &r : nullptr;
}

Status ReadKindFields(const Entry& entry, const RuleKind& kind, ValuationRule* rule) {
  if (kind.key_field != nullptr) {
    CZ_ASSIGN_OR_RETURN(rule->key, Str(entry, kind.key_field));
    if (rule->key.empty()) {
      return Violation(entry, kind.key_field, "不能为空", "must not be empty");
    }
  }
  if (rule->kind == "goods_appraisal") {
    CZ_ASSIGN_OR_RETURN(rule->description, Str(entry, "description"));
  }
  CZ_ASSIGN_OR_RETURN(rule->fen_per_unit, Int(entry, kind.price_field));
  if (rule->fen_per_unit <= 0) {
    return Violation(entry, kind.price_field,
                     "金额须大于 0 分，实为 " + std::to_string(rule->fen_per_unit),
                     "must be more than 0 fen, found " + std::to_string(rule->fen_per_unit));
  }
  return Status::Ok();
}

Status RecordRule(State* state, const Entry& entry) {
  CZ_RETURN_IF_ERROR(NeedOrg(*state, entry));
  ValuationRule rule;
  CZ_ASSIGN_OR_RETURN(rule.id, Str(entry, "rule_id"));
  if (state->valuation_rules.count(rule.id) != 0) {
    return Violation(entry, "rule_id", "估值规则编号“" + rule.id + "”已存在",
                     "valuation rule id \"" + rule.id + "\" already recorded");
  }
  CZ_ASSIGN_OR_RETURN(rule.kind, Str(entry, "kind"));
  const RuleKind* kind = FindKind(rule.kind);
  if (kind == nullptr) {
    return Violation(entry, "kind", "未知的估值规则种类“" + rule.kind + "”",
                     "unknown kind of valuation rule \"" + rule.kind + "\"");
  }
  CZ_ASSIGN_OR_RETURN(rule.effective_from, Date(entry, "effective_from"));
  CZ_ASSIGN_OR_RETURN(rule.resolution_id, Str(entry, "resolution_id"));
  CZ_RETURN_IF_ERROR(
      AdoptedResolution(*state, entry, "resolution_id", rule.resolution_id, rule.effective_from));
  CZ_RETURN_IF_ERROR(ReadKindFields(entry, *kind, &rule));
  rule.seq = entry.seq;
  AddValuationRule(state, std::move(rule));
  return Status::Ok();
}

}  // namespace

Result<const ValuationRule*> RuleInForce(const State& state, const Entry& entry,
                                         std::string_view field, std::string_view kind,
                                         std::string_view key, const std::string& date) {
  const ValuationRule* rule =
      kind == "goods_appraisal" ? Appraisal(state, key, date) : Latest(state, kind, key, date);
  if (rule != nullptr) return rule;
  return Violation(
      entry, field, date + " 没有生效的" + RuleKindZh(kind) + "估值规则" + KeyZh(kind, key),
      "no valuation rule of kind " + std::string(kind) + KeyEn(kind, key) + " in force on " + date);
}

Result<const ValuationRule*> NamedRuleInForce(const State& state, const Entry& entry,
                                              std::string_view field, const std::string& rule_id,
                                              std::string_view kind, std::string_view key,
                                              const std::string& date) {
  auto it = state.valuation_rules.find(rule_id);
  if (it == state.valuation_rules.end()) {
    return Violation(entry, field, "没有编号为“" + rule_id + "”的估值规则",
                     "no valuation rule with id \"" + rule_id + "\"");
  }
  const ValuationRule& named = it->second;
  std::string named_key = kind == "goods_appraisal" ? named.id : named.key;
  if (named.kind != kind || named_key != key) {
    return Violation(entry, field,
                     "估值规则“" + rule_id + "”是" + RuleKindZh(named.kind) + "规则" +
                         KeyZh(named.kind, named.key) + "，这里需要" + RuleKindZh(kind) + "规则" +
                         KeyZh(kind, key),
                     "valuation rule \"" + rule_id + "\" is of kind " + named.kind +
                         KeyEn(named.kind, named.key) + ", expected kind " + std::string(kind) +
                         KeyEn(kind, key));
  }
  if (named.used) {
    return Violation(
        entry, field, "实物评估“" + rule_id + "”已被另一笔入股使用",
        "goods appraisal \"" + rule_id + "\" was already used by another contribution");
  }
  Result<const ValuationRule*> in_force = RuleInForce(state, entry, field, kind, key, date);
  if (!in_force.ok() && named.effective_from > date) {
    return Violation(
        entry, field,
        in_force.status().zh() + "；“" + rule_id + "”自 " + named.effective_from + " 起生效",
        in_force.status().en() + "; \"" + rule_id + "\" takes effect on " + named.effective_from);
  }
  if (!in_force.ok()) return in_force.status();
  if (named.effective_from > date) {
    return Violation(entry, field,
                     "估值规则“" + rule_id + "”自 " + named.effective_from + " 起生效，" + date +
                         " 生效的是“" + (*in_force)->id + "”",
                     "valuation rule \"" + rule_id + "\" takes effect on " + named.effective_from +
                         ", after " + date + "; the rule in force then is \"" + (*in_force)->id +
                         "\"");
  }
  if (*in_force != &named) {
    return Violation(entry, field,
                     "估值规则“" + rule_id + "”已被“" + (*in_force)->id + "”（自 " +
                         (*in_force)->effective_from + " 起生效）取代",
                     "valuation rule \"" + rule_id + "\" was superseded by \"" + (*in_force)->id +
                         "\" in force from " + (*in_force)->effective_from);
  }
  return in_force;
}

void AddValuationRule(State* state, ValuationRule rule) {
  if (rule.kind != "goods_appraisal") {
    state->rule_ids_by_kind_key[KindKey(rule.kind, rule.key)].push_back(rule.id);
  }
  std::string id = rule.id;
  state->valuation_rules[id] = std::move(rule);
}

Result<int64_t> SharePriceOn(const State& state, const Entry& entry, std::string_view field,
                             const std::string& date) {
  CZ_ASSIGN_OR_RETURN(const ValuationRule* rule,
                      RuleInForce(state, entry, field, "share_price", "", date));
  return rule->fen_per_unit;
}

Result<int64_t> PositiveDecimal(const Entry& entry, std::string_view key, int scale) {
  CZ_ASSIGN_OR_RETURN(std::string text, Str(entry, key));
  Result<int64_t> units = ParseFixedUnits(text, scale, "body." + std::string(key));
  if (!units.ok()) return Violation(entry, key, units.status().zh(), units.status().en());
  if (*units <= 0) {
    return Violation(entry, key, "“" + text + "”须大于 0", "\"" + text + "\" must be more than 0");
  }
  return *units;
}

std::vector<TypeSpec> ValuationTypes() { return {{"valuation.rule", RecordRule, nullptr}}; }

}  // namespace cunzhang::domain::internal
