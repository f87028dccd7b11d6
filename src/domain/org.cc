// org.register: the organisation, its chart of accounts, share price and cap.
// resolution.record: a meeting's decision, with quorum and threshold computed
// here from the recorded numbers (DOMAIN.md): two thirds of the members
// present; a cooperative adopts with more than half of all members (two
// thirds for a special matter); a collective with two thirds of all members.
#include "books.h"
#include "internal.h"
#include "valuation.h"

namespace cunzhang::domain::internal {
namespace {

Status RegisterOrg(State* state, const Entry& entry) {
  if (state->org.registered) {
    return Violation(entry, "", "组织已登记，不能再次登记", "the organisation is already registered");
  }
  Org org;
  org.registered = true;
  CZ_ASSIGN_OR_RETURN(org.kind, Str(entry, "kind"));
  CZ_ASSIGN_OR_RETURN(org.name, Str(entry, "name"));
  CZ_ASSIGN_OR_RETURN(org.founded, Date(entry, "founded"));
  org.chart = StrOr(entry, "chart", org.kind == "cooperative" ? "coop-2021" : "collective-2023");
  if (books::Chart(org.chart).empty()) {
    return Violation(entry, "chart", "未知的科目表“" + org.chart + "”", "unknown chart \"" + org.chart + "\"");
  }
  bool chart_fits = (org.kind == "cooperative") == (org.chart == "coop-2021");
  if (!chart_fits) {
    return Violation(entry, "chart", "科目表与组织类型不符", "the chart does not fit the kind of organisation");
  }
  org.registered_capital_fen = IntOr(entry, "registered_capital_fen", 0);
  org.member_cap_bp = IntOr(entry, "member_cap_bp", 2000);
  if (org.member_cap_bp <= 0 || org.member_cap_bp > 10000) {
    return Violation(entry, "member_cap_bp", "持股上限须在 1 到 10000（万分之）之间",
                     "the member cap must be 1 to 10000 basis points");
  }
  CZ_ASSIGN_OR_RETURN(int64_t price, Int(entry, "share_price_fen"));
  if (price <= 0) {
    return Violation(entry, "share_price_fen", "每股价格须为正", "the share price must be positive");
  }
  // The founding share price is the first valuation rule, in force from the founding date.
  ValuationRule rule{.id = "founding-share-price",
                     .kind = "share_price",
                     .effective_from = org.founded,
                     .fen_per_unit = price,
                     .seq = entry.seq};
  state->org = std::move(org);
  AddValuationRule(state, std::move(rule));
  return Status::Ok();
}

bool Adopted(const Org& org, int64_t total, int64_t in_favour, bool special) {
  if (org.kind == "collective" || special) return in_favour * 3 >= total * 2;
  return in_favour * 2 > total;
}

Status RecordResolution(State* state, const Entry& entry) {
  CZ_RETURN_IF_ERROR(NeedOrg(*state, entry));
  Resolution r;
  CZ_ASSIGN_OR_RETURN(r.id, Str(entry, "resolution_id"));
  if (state->resolutions.count(r.id) != 0) {
    return Violation(entry, "resolution_id", "决议编号“" + r.id + "”已存在",
                     "resolution id \"" + r.id + "\" already recorded");
  }
  CZ_ASSIGN_OR_RETURN(r.date, Date(entry, "date"));
  CZ_ASSIGN_OR_RETURN(r.body, Str(entry, "body"));
  CZ_ASSIGN_OR_RETURN(r.members_total, Int(entry, "members_total"));
  CZ_ASSIGN_OR_RETURN(r.present, Int(entry, "present"));
  CZ_ASSIGN_OR_RETURN(r.in_favour, Int(entry, "in_favour"));
  r.special = BoolOr(entry, "special", false);
  if (r.members_total <= 0 || r.present < 0 || r.present > r.members_total || r.in_favour < 0 ||
      r.in_favour > r.present) {
    return Violation(entry, "present",
                     "人数不合理：须 0 ≤ 赞成 ≤ 出席 ≤ 应到，且应到 > 0",
                     "counts must satisfy 0 <= in_favour <= present <= members_total, members_total > 0");
  }
  if (r.present * 3 < r.members_total * 2) {
    return Violation(entry, "present",
                     "未达法定人数：应到 " + std::to_string(r.members_total) + " 人，出席 " +
                         std::to_string(r.present) + " 人，须至少三分之二",
                     "no quorum: " + std::to_string(r.present) + " of " + std::to_string(r.members_total) +
                         " present, at least two thirds needed");
  }
  r.adopted = Adopted(state->org, r.members_total, r.in_favour, r.special);
  std::string claimed = StrOr(entry, "outcome", "adopted");
  if ((claimed == "adopted") != r.adopted) {
    return Violation(entry, "outcome",
                     "表决结果与票数不符：赞成 " + std::to_string(r.in_favour) + " / 应到 " +
                         std::to_string(r.members_total) + " 应为" + (r.adopted ? "通过" : "未通过"),
                     "outcome does not follow from the votes: " + std::to_string(r.in_favour) + " of " +
                         std::to_string(r.members_total) + " means " +
                         (r.adopted ? "adopted" : "rejected"));
  }
  r.seq = entry.seq;
  state->resolutions[r.id] = std::move(r);
  return Status::Ok();
}

}  // namespace

std::vector<TypeSpec> OrgTypes() {
  return {{"org.register", RegisterOrg, nullptr}, {"resolution.record", RecordResolution, nullptr}};
}

}  // namespace cunzhang::domain::internal
