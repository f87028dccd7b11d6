// A statement as text for the counter's printer, and as JSON.
#include "cunzhang/money.h"
#include "cunzhang/report.h"
#include "cunzhang/statement.h"
#include "text.h"

namespace cunzhang::statement {
namespace {

using json::Value;

std::string Shares(int64_t units) { return FormatFixed(cunzhang::Shares{units}); }

std::string Signed(std::string formatted, int64_t value) {
  return value > 0 ? "+" + formatted : formatted;
}

const char* W(bool english, const char* zh, const char* en) { return english ? en : zh; }

std::string Holdings(const Statement& st, bool english) {
  report::Table t{.header_zh = {"股别", "股数", "股金（元）"},
                  .header_en = {"kind", "shares", "capital (yuan)"},
                  .numeric = {false, true, true}};
  for (size_t k = 0; k < domain::kContributionKinds; ++k) {
    const domain::Holding& h = st.member.holdings[k];
    t.rows.push_back(
        {text::ShareKindName(k, english), Shares(h.share_units), FormatYuan(Fen{h.capital_fen})});
  }
  t.rows.push_back({W(english, "合计", "total"), Shares(st.member.total_share_units()),
                    FormatYuan(Fen{st.member.total_capital_fen()})});
  return report::ToText(t, english);
}

std::string Describe(const HistoryItem& item, bool english) {
  std::string what = text::EntryTypeName(item.type, english);
  if (item.type == "member.status" && !item.status.empty()) {
    what += W(english, "：", ": ") + text::MemberStatus(item.status, english);
  }
  if (!item.counterpart.empty())
    what +=
        std::string(W(english, "（对方 ", " (with ")) + item.counterpart + W(english, "）", ")");
  if (item.reverses)
    what += std::string(W(english, "（冲销 #", " (reverses #")) + std::to_string(*item.reverses) +
            W(english, "）", ")");
  if (item.reversed_by)
    what += std::string(W(english, "（已被 #", " (reversed by #")) +
            std::to_string(*item.reversed_by) + W(english, " 冲销）", ")");
  return what;
}

std::string History(const Statement& st, bool english) {
  report::Table t{.header_zh = {"序号", "日期", "事项", "数量", "股金变动（元）", "股份变动"},
                  .header_en = {"seq", "date", "what", "quantity", "capital (yuan)", "shares"},
                  .numeric = {true, false, false, true, true, true}};
  for (const HistoryItem& item : st.history) {
    std::string quantity = item.quantity;
    if (!item.unit.empty()) quantity += " " + text::UnitName(item.unit, english);
    // An entry that moved no capital and no share (joining, a status change) shows no amounts.
    const bool moved = item.capital_fen_delta != 0 || item.share_units_delta != 0;
    t.rows.push_back(
        {"#" + std::to_string(item.seq), item.date, Describe(item, english), quantity,
         moved ? Signed(FormatYuan(Fen{item.capital_fen_delta}), item.capital_fen_delta) : "",
         moved ? Signed(Shares(item.share_units_delta), item.share_units_delta) : ""});
  }
  return report::ToText(t, english);
}

Value HoldingJson(size_t kind, const domain::Holding& h) {
  return Value::Object({{"capital_fen", Value::Int(h.capital_fen)},
                        {"kind", Value::String(domain::ContributionKindName(
                                     static_cast<domain::ContributionKind>(kind)))},
                        {"shares", Value::String(Shares(h.share_units))}});
}

Value ItemJson(const HistoryItem& item) {
  Value v = Value::Object({{"capital_fen_delta", Value::Int(item.capital_fen_delta)},
                           {"date", Value::String(item.date)},
                           {"reserve_fen_delta", Value::Int(item.reserve_fen_delta)},
                           {"seq", Value::Int(static_cast<int64_t>(item.seq))},
                           {"shares_delta", Value::String(Shares(item.share_units_delta))},
                           {"type", Value::String(item.type)}});
  if (item.kind) v.Set("kind", Value::String(domain::ContributionKindName(*item.kind)));
  if (!item.quantity.empty()) v.Set("quantity", Value::String(item.quantity));
  if (!item.unit.empty()) v.Set("unit", Value::String(item.unit));
  if (!item.counterpart.empty()) v.Set("counterpart", Value::String(item.counterpart));
  if (!item.status.empty()) v.Set("status", Value::String(item.status));
  if (item.reverses) v.Set("reverses", Value::Int(static_cast<int64_t>(*item.reverses)));
  if (item.reversed_by) v.Set("reversed_by", Value::Int(static_cast<int64_t>(*item.reversed_by)));
  return v;
}

}  // namespace

std::string ToText(const Statement& st, bool english) {
  const domain::Member& m = st.member;
  std::string out;
  out += st.org_name + W(english, " · 成员对账单\n", " · member statement\n");
  out += std::string(W(english, "成员编号：", "Member: ")) + m.id +
         W(english, "    姓名：", "    Name: ") + m.name + "\n";
  out += std::string(W(english, "类型：", "Kind: ")) + text::MemberKind(m.kind, english);
  if (!m.household.empty())
    out += std::string(W(english, "    户号：", "    Household: ")) + m.household;
  out +=
      std::string(W(english, "    状态：", "    Status: ")) + text::MemberStatus(m.status, english);
  out += std::string(W(english, "    入社日期：", "    Joined: ")) + m.joined + "\n\n";
  out += std::string(W(english, "持股\n", "Holdings\n")) + Holdings(st, english);
  out += std::string(W(english, "公积金份额（元）：", "Reserve share (yuan): ")) +
         FormatYuan(Fen{m.reserve_fen}) + "\n";
  out += std::string(W(english, "占全部股份：", "Part of all shares: ")) + PercentOfShares(st) +
         "%\n\n";
  out += std::string(W(english, "往来明细\n", "History\n")) + History(st, english) + "\n";
  out += std::string(W(english, "账本：", "Ledger: ")) + st.origin +
         W(english, "    条数：", "    size: ") + std::to_string(st.size) + "\n" +
         W(english, "根哈希：", "root: ") + st.root.Hex() + "\n";
  out += W(english, "（凭条数与根哈希可与审计后的账本核对）\n",
           "(the size and root hash let anyone check this statement against the audited ledger)\n");
  return out;
}

Value ToJson(const Statement& st) {
  const domain::Member& m = st.member;
  std::vector<Value> holdings;
  for (size_t k = 0; k < domain::kContributionKinds; ++k)
    holdings.push_back(HoldingJson(k, m.holdings[k]));
  std::vector<Value> history;
  for (const HistoryItem& item : st.history) history.push_back(ItemJson(item));
  Value member = Value::Object({{"joined", Value::String(m.joined)},
                                {"kind", Value::String(m.kind)},
                                {"member_id", Value::String(m.id)},
                                {"name", Value::String(m.name)},
                                {"status", Value::String(m.status)}});
  if (!m.household.empty()) member.Set("household", Value::String(m.household));
  return Value::Object(
      {{"format", Value::String(kFormat)},
       {"history", Value::Array(std::move(history))},
       {"holdings", Value::Array(std::move(holdings))},
       {"ledger", Value::Object({{"origin", Value::String(st.origin)},
                                 {"root", Value::String(st.root.Hex())},
                                 {"size", Value::Int(static_cast<int64_t>(st.size))}})},
       {"member", std::move(member)},
       {"organisation", Value::Object({{"kind", Value::String(st.org_kind)},
                                       {"name", Value::String(st.org_name)}})},
       {"percent_of_shares", Value::String(PercentOfShares(st))},
       {"reserve_fen", Value::Int(m.reserve_fen)},
       {"totals", Value::Object({{"capital_fen", Value::Int(m.total_capital_fen())},
                                 {"shares", Value::String(Shares(m.total_share_units()))}})}});
}

std::string StatusText(const std::string& status, bool english) {
  return text::MemberStatus(status, english);
}

}  // namespace cunzhang::statement
