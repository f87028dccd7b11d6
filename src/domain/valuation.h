// Valuation rules in force on a date, and the exact quantities contributions
// are measured in. Private to src/domain; docs/RULES.md "## valuation.rule".
#ifndef CUNZHANG_DOMAIN_VALUATION_H_
#define CUNZHANG_DOMAIN_VALUATION_H_

#include <string>
#include <string_view>

#include "cunzhang/domain.h"

namespace cunzhang::domain::internal {

// The rule in force on `date` for (kind, key): the recorded rule of that kind
// and key with the latest effective_from <= date; on equal dates the one
// recorded later wins. key is the grade for land, the category for labour,
// "" for share_price, and the rule id itself for a goods_appraisal (each
// appraisal is its own key; a used one is not in force). When none is in
// force, a violation naming `field`.
Result<const ValuationRule*> RuleInForce(const State& state, const Entry& entry,
                                         std::string_view field, std::string_view kind,
                                         std::string_view key, const std::string& date);

// The rule `rule_id` names, checked to exist, to be of `kind` and `key`, and
// to be THE rule in force on `date` (not superseded, not yet to come, not a
// used appraisal). Violations name `field`.
Result<const ValuationRule*> NamedRuleInForce(const State& state, const Entry& entry,
                                              std::string_view field, const std::string& rule_id,
                                              std::string_view kind, std::string_view key,
                                              const std::string& date);

// Records `rule` (its id not yet used) and lists it under its kind and key.
void AddValuationRule(State* state, ValuationRule rule);

// The share price (fen per share) in force on `date`; violations name `field`.
Result<int64_t> SharePriceOn(const State& state, const Entry& entry, std::string_view field,
                             const std::string& date);

// The decimal string at body.<key> as units of 10^-scale, required > 0.
// "11.12345" at scale 4 is refused as having too many decimals.
Result<int64_t> PositiveDecimal(const Entry& entry, std::string_view key, int scale);

}  // namespace cunzhang::domain::internal

#endif  // CUNZHANG_DOMAIN_VALUATION_H_
