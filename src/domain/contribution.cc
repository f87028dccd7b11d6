// contribution.land / .capital / .goods / .labour: a member's contribution
// (入股), valued in fen by the valuation rule in force on its date, then
// converted to shares at the share price in force on that date. Money is
// exact: the member's capital is credited the full value; only the share
// count is rounded down, at 0.0001 share. Dr the asset, Cr 301 (RULES.md).
#include "books.h"
#include "internal.h"
#include "shares.h"
#include "valuation.h"

namespace cunzhang::domain::internal {
namespace {

// What one contribution is worth, and the goods appraisal it consumes.
struct Valued {
  int64_t value_fen = 0;
  std::string appraisal_id;
};

using ValueFn = Result<Valued> (*)(const State& state, const Entry& entry, const std::string& date);

struct KindSpec {
  const char* type;
  ContributionKind kind;
  const char* default_account;  // debited with the value
  const char* value_field;      // the field the value follows from, named in errors
  ValueFn value;
};

Result<Valued> LandValue(const State& state, const Entry& entry, const std::string& date) {
  CZ_ASSIGN_OR_RETURN(int64_t mu, PositiveDecimal(entry, "mu", Mu::kScale));
  CZ_ASSIGN_OR_RETURN(std::string grade, Str(entry, "grade"));
  CZ_ASSIGN_OR_RETURN(std::string parcel, Str(entry, "parcel"));
  if (parcel.empty())
    return Violation(entry, "parcel", "承包合同号或地块号不能为空", "must not be empty");
  CZ_ASSIGN_OR_RETURN(std::string rule_id, Str(entry, "rule_id"));
  CZ_ASSIGN_OR_RETURN(const ValuationRule* rule,
                      NamedRuleInForce(state, entry, "rule_id", rule_id, "land", grade, date));
  CZ_ASSIGN_OR_RETURN(int64_t value, MulDivAt(entry, "mu", mu, rule->fen_per_unit, Mu::kOne));
  return Valued{.value_fen = value};
}

Result<Valued> CapitalValue(const State&, const Entry& entry, const std::string&) {
  CZ_ASSIGN_OR_RETURN(int64_t amount, Int(entry, "amount_fen"));
  if (amount <= 0) {
    return Violation(entry, "amount_fen", "金额须大于 0 分，实为 " + std::to_string(amount),
                     "must be more than 0 fen, found " + std::to_string(amount));
  }
  return Valued{.value_fen = amount};
}

Result<Valued> GoodsValue(const State& state, const Entry& entry, const std::string& date) {
  CZ_ASSIGN_OR_RETURN(std::string rule_id, Str(entry, "rule_id"));
  CZ_ASSIGN_OR_RETURN(
      const ValuationRule* rule,
      NamedRuleInForce(state, entry, "rule_id", rule_id, "goods_appraisal", rule_id, date));
  return Valued{.value_fen = rule->fen_per_unit, .appraisal_id = rule_id};
}

Result<Valued> LabourValue(const State& state, const Entry& entry, const std::string& date) {
  CZ_ASSIGN_OR_RETURN(int64_t days, PositiveDecimal(entry, "workdays", Workdays::kScale));
  CZ_ASSIGN_OR_RETURN(std::string category, Str(entry, "category"));
  CZ_ASSIGN_OR_RETURN(std::string rule_id, Str(entry, "rule_id"));
  CZ_ASSIGN_OR_RETURN(const ValuationRule* rule,
                      NamedRuleInForce(state, entry, "rule_id", rule_id, "labour", category, date));
  CZ_ASSIGN_OR_RETURN(int64_t value,
                      MulDivAt(entry, "workdays", days, rule->fen_per_unit, Workdays::kOne));
  return Valued{.value_fen = value};
}

constexpr KindSpec kLand = {"contribution.land", ContributionKind::kLand, "161", "mu", LandValue};
constexpr KindSpec kCapital = {"contribution.capital", ContributionKind::kCapital, "102",
                               "amount_fen", CapitalValue};
constexpr KindSpec kGoods = {"contribution.goods", ContributionKind::kGoods, "151", "rule_id",
                             GoodsValue};
constexpr KindSpec kLabour = {"contribution.labour", ContributionKind::kLabour, "401", "workdays",
                              LabourValue};

// The debited account must be an asset or a cost account of the chart
// (bank, fixed asset, intangible asset for land rights, production cost).
Status DebitAccountFits(const State& state, const Entry& entry, const std::string& code) {
  const books::Account* account = books::FindAccount(state.org.chart, code);
  if (account == nullptr) {
    return Violation(entry, "debit_account",
                     "科目 " + code + " 不在 " + state.org.chart + " 科目表中",
                     "account " + code + " is not in the " + state.org.chart + " chart");
  }
  if (account->category != books::Category::kAsset && account->category != books::Category::kCost) {
    return Violation(entry, "debit_account",
                     "科目 " + code + "（" + account->name + "）不是资产或成本类科目",
                     "account " + code + " is not an asset or cost account");
  }
  return Status::Ok();
}

Result<int64_t> ShareUnits(const State& state, const Entry& entry, const KindSpec& spec,
                           const std::string& date, int64_t value) {
  if (value <= 0) {
    return Violation(entry, spec.value_field, "折算金额为 0 分，须大于 0",
                     "the contribution is worth 0 fen; it must be worth more");
  }
  CZ_ASSIGN_OR_RETURN(int64_t price, SharePriceOn(state, entry, "date", date));
  CZ_ASSIGN_OR_RETURN(int64_t units, MulDivAt(entry, spec.value_field, value, Shares::kOne, price));
  if (units <= 0) {
    return Violation(entry, spec.value_field,
                     "价值 " + FormatYuan(Fen{value}) + " 元，按每股 " + FormatYuan(Fen{price}) +
                         " 元折不到 0.0001 股",
                     "worth " + FormatYuan(Fen{value}) + " yuan, less than 0.0001 share at " +
                         FormatYuan(Fen{price}) + " yuan per share");
  }
  return units;
}

Status Contribute(State* state, const Entry& entry, const KindSpec& spec) {
  CZ_RETURN_IF_ERROR(NeedOrg(*state, entry));
  CZ_ASSIGN_OR_RETURN(std::string member_id, Str(entry, "member_id"));
  CZ_ASSIGN_OR_RETURN(std::string date, Date(entry, "date"));
  CZ_RETURN_IF_ERROR(ActiveMember(*state, entry, "member_id", member_id).status());
  CZ_ASSIGN_OR_RETURN(Valued valued, spec.value(*state, entry, date));
  int64_t value = valued.value_fen;
  CZ_ASSIGN_OR_RETURN(int64_t units, ShareUnits(*state, entry, spec, date, value));
  std::string debit = StrOr(entry, "debit_account", spec.default_account);
  CZ_RETURN_IF_ERROR(DebitAccountFits(*state, entry, debit));
  std::vector<HoldingDelta> deltas = {{member_id, static_cast<uint8_t>(spec.kind), units, value}};
  std::vector<Posting> postings = {{debit, value, 0, ""},
                                   {books::kContributedCapital, 0, value, member_id}};
  CZ_RETURN_IF_ERROR(CheckDeltas(*state, entry, spec.value_field, deltas));
  CZ_RETURN_IF_ERROR(CheckCapAfter(*state, entry, "member_id", deltas));
  CZ_RETURN_IF_ERROR(CheckPostingsAt(*state, entry, spec.value_field, postings));
  ApplyDeltas(state, deltas);
  books::Post(state, postings);
  if (!valued.appraisal_id.empty()) state->valuation_rules[valued.appraisal_id].used = true;
  RecordEffect(state, entry,
               Effect{.type = entry.type,
                      .deltas = std::move(deltas),
                      .postings = std::move(postings),
                      .valuation_rule_id = valued.appraisal_id});
  return Status::Ok();
}

Status Land(State* state, const Entry& entry) { return Contribute(state, entry, kLand); }
Status Capital(State* state, const Entry& entry) { return Contribute(state, entry, kCapital); }
Status Goods(State* state, const Entry& entry) { return Contribute(state, entry, kGoods); }
Status Labour(State* state, const Entry& entry) { return Contribute(state, entry, kLabour); }

void MemberOf(const json::Value& body, MemberIds* out) { MembersAt(body, {"member_id"}, out); }

}  // namespace

std::vector<TypeSpec> ContributionTypes() {
  return {{kLand.type, Land, MemberOf},
          {kCapital.type, Capital, MemberOf},
          {kGoods.type, Goods, MemberOf},
          {kLabour.type, Labour, MemberOf}};
}

}  // namespace cunzhang::domain::internal
