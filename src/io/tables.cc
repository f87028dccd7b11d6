// The member roll and the share register, from the derived state.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cunzhang/csv.h"
#include "cunzhang/money.h"
#include "cunzhang/report.h"
#include "text.h"

namespace cunzhang::report {
namespace {

constexpr int64_t kPercentScale = 4;
constexpr int64_t kHundredPercentUnits = 100 * 10000;  // 100 at scale 4

std::string Shares(int64_t units) { return FormatFixed(cunzhang::Shares{units}); }
std::string Yuan(int64_t fen) { return FormatYuan(Fen{fen}); }

std::string Percent(int64_t units, int64_t total) {
  if (total <= 0) return FormatFixedUnits(0, kPercentScale);
  Result<int64_t> p = MulDivFloor(units, kHundredPercentUnits, total, "percent");
  return p.ok() ? FormatFixedUnits(*p, kPercentScale) : "?";
}

int64_t TotalShareUnits(const domain::State& state) {
  int64_t total = 0;
  for (const auto& [id, m] : state.members) total += m.total_share_units();
  return total;
}

}  // namespace

Table MemberRoll(const domain::State& state, bool english) {
  Table t{.title_zh = "成员名册",
          .title_en = "Member roll",
          .header_zh = {"成员编号", "姓名", "类型", "户号", "状态", "入社日期"},
          .header_en = {"member_id", "name", "kind", "household", "status", "joined"},
          .numeric = {false, false, false, false, false, false}};
  for (const auto& [id, m] : state.members) {
    t.rows.push_back({m.id, m.name, text::MemberKind(m.kind, english), m.household,
                      text::MemberStatus(m.status, english), m.joined});
  }
  return t;
}

Table ShareRegister(const domain::State& state, bool english) {
  Table t{.title_zh = "股权登记簿",
          .title_en = "Share register",
          .header_zh = {"成员编号", "姓名", "状态", "土地股", "资金股", "实物股", "劳动股",
                        "合计股数", "股金（元）", "公积金份额（元）", "占总股份（%）"},
          .header_en = {"member_id", "name", "status", "land_shares", "capital_shares",
                        "goods_shares", "labour_shares", "total_shares", "capital_yuan",
                        "reserve_yuan", "percent_of_shares"},
          .numeric = {false, false, false, true, true, true, true, true, true, true, true}};
  const int64_t total_units = TotalShareUnits(state);
  std::array<int64_t, domain::kContributionKinds> by_kind{};
  int64_t capital = 0, reserve = 0;
  for (const auto& [id, m] : state.members) {
    std::vector<std::string> row = {m.id, m.name, text::MemberStatus(m.status, english)};
    for (size_t k = 0; k < domain::kContributionKinds; ++k) {
      row.push_back(Shares(m.holdings[k].share_units));
      by_kind[k] += m.holdings[k].share_units;
    }
    row.push_back(Shares(m.total_share_units()));
    row.push_back(Yuan(m.total_capital_fen()));
    row.push_back(Yuan(m.reserve_fen));
    row.push_back(Percent(m.total_share_units(), total_units));
    capital += m.total_capital_fen();
    reserve += m.reserve_fen;
    t.rows.push_back(std::move(row));
  }
  std::vector<std::string> total = {english ? "Total" : "合计", "", ""};
  for (int64_t units : by_kind) total.push_back(Shares(units));
  total.push_back(Shares(total_units));
  total.push_back(Yuan(capital));
  total.push_back(Yuan(reserve));
  total.push_back(Percent(total_units, total_units));
  t.rows.push_back(std::move(total));
  return t;
}

std::string SafeCell(const std::string& cell) {
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@')) {
    return "'" + cell;
  }
  return cell;
}

std::string ToCsv(const Table& table, bool english) {
  std::string out = "\xEF\xBB\xBF";
  out += csv::EncodeRecord(english ? table.header_en : table.header_zh);
  for (const std::vector<std::string>& row : table.rows) {
    std::vector<std::string> safe;
    for (size_t j = 0; j < row.size(); ++j)
      safe.push_back(table.numeric[j] ? row[j] : SafeCell(row[j]));
    out += csv::EncodeRecord(safe);
  }
  return out;
}

Status WriteCsv(const Table& table, bool english, const std::string& path) {
  return text::WriteFileAtomically(path, ToCsv(table, english));
}

std::string ToText(const Table& table, bool english) {
  const std::vector<std::string>& header = english ? table.header_en : table.header_zh;
  std::vector<size_t> widths(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t j = 0; j < row.size() && j < widths.size(); ++j) {
      widths[j] = std::max(widths[j], text::DisplayWidth(row[j]));
    }
  };
  measure(header);
  for (const auto& row : table.rows) measure(row);
  auto line = [&](const std::vector<std::string>& row) {
    std::string out;
    for (size_t j = 0; j < row.size() && j < widths.size(); ++j) {
      if (j > 0) out += "  ";
      out += text::Pad(row[j], widths[j], table.numeric[j]);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header);
  for (const auto& row : table.rows) out += line(row);
  return out;
}

}  // namespace cunzhang::report
