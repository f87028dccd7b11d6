// --dry-run: what each row would do to its member, found by applying the rows
// to a copy of the ledger's state with the same rules the writer runs.
#include "cunzhang/import.h"
#include "cunzhang/limits.h"
#include "text.h"

namespace cunzhang::io {
namespace {

void Quantity(const json::Value& body, PreviewRow* row) {
  if (const json::Value* mu = body.Find("mu"); mu != nullptr && mu->is_string()) {
    row->quantity = mu->as_string();
    row->unit = "mu";
  } else if (const json::Value* days = body.Find("workdays");
             days != nullptr && days->is_string()) {
    row->quantity = days->as_string();
    row->unit = "workday";
  } else if (const json::Value* fen = body.Find("amount_fen"); fen != nullptr && fen->is_int()) {
    row->quantity = FormatYuan(Fen{fen->as_int()});
    row->unit = "yuan";
  }
}

struct Totals {
  int64_t capital_fen = 0;
  int64_t share_units = 0;
};

Totals MemberTotals(const domain::State& state, const std::string& member_id) {
  auto it = state.members.find(member_id);
  if (it == state.members.end()) return {};
  return {it->second.total_capital_fen(), it->second.total_share_units()};
}

}  // namespace

Result<std::vector<PreviewRow>> Preview(const domain::State& state, const std::string& origin,
                                        const ImportPlan& plan,
                                        const std::vector<AppendOutcome>& outcomes) {
  domain::State copy = state;
  std::vector<PreviewRow> out;
  for (size_t i = 0; i < plan.rows.size(); ++i) {
    const ImportRow& row = plan.rows[i];
    PreviewRow p{.line = row.line, .type = row.request.type, .member_id = row.member_id};
    Quantity(row.request.body, &p);
    p.already_recorded = i < outcomes.size() && outcomes[i].already_recorded;
    if (!p.already_recorded) {
      Entry entry{.version = limits::kFormatVersion,
                  .seq = copy.entries,
                  .origin = origin,
                  .time = NowRfc3339(),
                  .type = row.request.type,
                  .op = row.request.op,
                  .idempotency_id = row.request.idempotency_id,
                  .body = row.request.body};
      const Totals before = MemberTotals(copy, row.member_id);
      Status s = domain::Apply(&copy, entry);
      if (!s.ok()) {
        s.mutable_where().line = static_cast<int64_t>(i) + 1;
        return MapAppendError(plan, std::move(s));
      }
      const Totals after = MemberTotals(copy, row.member_id);
      p.capital_fen = after.capital_fen - before.capital_fen;
      p.share_units = after.share_units - before.share_units;
    }
    out.push_back(std::move(p));
  }
  return out;
}

report::Table PreviewTable(const std::vector<PreviewRow>& rows, bool english) {
  report::Table t{
      .header_zh = {"行", "条目", "成员", "数量", "股金（元）", "股份", "状态"},
      .header_en = {"line", "entry", "member", "quantity", "capital (yuan)", "shares", "state"},
      .numeric = {true, false, false, true, true, true, false}};
  for (const PreviewRow& r : rows) {
    std::string quantity = r.quantity;
    if (!r.unit.empty()) quantity += " " + text::UnitName(r.unit, english);
    std::string state = r.already_recorded ? (english ? "already recorded" : "已记录过")
                                           : (english ? "new" : "新增");
    const bool moved = r.capital_fen != 0 || r.share_units != 0;
    t.rows.push_back({std::to_string(r.line), text::EntryTypeName(r.type, english), r.member_id,
                      quantity, moved ? FormatYuan(Fen{r.capital_fen}) : "",
                      moved ? FormatFixed(Shares{r.share_units}) : "", state});
  }
  return t;
}

}  // namespace cunzhang::io
