#include "books.h"

#include <algorithm>
#include <array>

#include <boost/container/small_vector.hpp>

#include "internal.h"

namespace cunzhang::domain::books {
namespace {

using C = Category;

// Farmers' cooperatives, 财会〔2021〕37号 (the accounts this ledger posts to;
// DOMAIN.md lists the codes it relies on).
const std::vector<Account> kCoop2021 = {
    {"101", "库存现金", C::kAsset},        {"102", "银行存款", C::kAsset},
    {"113", "应收款", C::kAsset},          {"114", "成员往来", C::kAsset},
    {"121", "产品物资", C::kAsset},        {"131", "对外投资", C::kAsset},
    {"141", "牲畜（禽）资产", C::kAsset},  {"142", "林木资产", C::kAsset},
    {"151", "固定资产", C::kAsset},        {"152", "累计折旧", C::kAsset},
    {"153", "在建工程", C::kAsset},        {"161", "无形资产", C::kAsset},
    {"201", "短期借款", C::kLiability},    {"211", "应付款", C::kLiability},
    {"212", "应付工资", C::kLiability},    {"221", "应付盈余返还", C::kLiability},
    {"222", "应付剩余盈余", C::kLiability}, {"231", "长期借款", C::kLiability},
    {"235", "专项应付款", C::kLiability},  {"301", "股金", C::kEquity},
    {"311", "专项基金", C::kEquity},       {"321", "资本公积", C::kEquity},
    {"322", "盈余公积", C::kEquity},       {"331", "本年盈余", C::kEquity},
    {"332", "盈余分配", C::kEquity},       {"401", "生产成本", C::kCost},
    {"501", "经营收入", C::kIncome},       {"502", "其他收入", C::kIncome},
    {"511", "投资收益", C::kIncome},       {"521", "经营支出", C::kExpense},
    {"522", "管理费用", C::kExpense},      {"529", "其他支出", C::kExpense},
};

// Village collective economic organisations, 财会〔2023〕14号.
const std::vector<Account> kCollective2023 = {
    {"101", "库存现金", C::kAsset},         {"102", "银行存款", C::kAsset},
    {"112", "应收款", C::kAsset},           {"113", "内部往来", C::kAsset},
    {"121", "库存物资", C::kAsset},         {"131", "消耗性生物资产", C::kAsset},
    {"132", "生产性生物资产", C::kAsset},   {"151", "固定资产", C::kAsset},
    {"152", "累计折旧", C::kAsset},         {"153", "在建工程", C::kAsset},
    {"161", "无形资产", C::kAsset},         {"201", "短期借款", C::kLiability},
    {"211", "应付款", C::kLiability},       {"212", "应付工资", C::kLiability},
    {"241", "专项应付款", C::kLiability},   {"301", "资本", C::kEquity},
    {"311", "公积公益金", C::kEquity},      {"321", "本年收益", C::kEquity},
    {"322", "收益分配", C::kEquity},        {"401", "生产（劳务）成本", C::kCost},
    {"501", "经营收入", C::kIncome},        {"502", "经营支出", C::kExpense},
    {"511", "管理费用", C::kExpense},       {"522", "补助收入", C::kIncome},
    {"531", "其他收入", C::kIncome},        {"541", "其他支出", C::kExpense},
};

const std::vector<Account> kNone;

}  // namespace

const std::vector<Account>& Chart(std::string_view chart) {
  if (chart == "coop-2021") return kCoop2021;
  if (chart == "collective-2023") return kCollective2023;
  return kNone;
}

namespace {

// A chart's accounts by their three-digit code: every posting looks one up.
class ChartIndex {
 public:
  explicit ChartIndex(const std::vector<Account>& accounts) : accounts_(accounts) {
    slots_.fill(-1);
    for (size_t i = 0; i < accounts.size(); ++i) {
      int n = Number(accounts[i].code);
      if (n >= 0) slots_[static_cast<size_t>(n)] = static_cast<int16_t>(i);
    }
  }
  const Account* Find(std::string_view code) const {
    int n = Number(code);
    if (n < 0 || slots_[static_cast<size_t>(n)] < 0) return nullptr;
    return &accounts_[static_cast<size_t>(slots_[static_cast<size_t>(n)])];
  }

 private:
  // The value of a code of exactly three ASCII digits; -1 for anything else.
  static int Number(std::string_view code) {
    if (code.size() != 3) return -1;
    int n = 0;
    for (char c : code) {
      if (c < '0' || c > '9') return -1;
      n = n * 10 + (c - '0');
    }
    return n;
  }

  const std::vector<Account>& accounts_;
  std::array<int16_t, 1000> slots_;
};

}  // namespace

const Account* FindAccount(std::string_view chart, std::string_view code) {
  static const ChartIndex coop(kCoop2021);
  static const ChartIndex collective(kCollective2023);
  if (chart == "coop-2021") return coop.Find(code);
  if (chart == "collective-2023") return collective.Find(code);
  return nullptr;
}

Status CheckPostings(const State& state, const Entry& entry, std::string_view field,
                     const std::vector<Posting>& postings) {
  int64_t debits = 0;
  int64_t credits = 0;
  // Each account's balance after the lines so far (few lines: a vector).
  // On the stack for the few lines of an entry (no allocation).
  boost::container::small_vector<std::pair<std::string_view, int64_t>, 8> balances;
  for (size_t i = 0; i < postings.size(); ++i) {
    const Posting& p = postings[i];
    auto where = [&] { return std::string(field) + "[" + std::to_string(i) + "]"; };
    if (FindAccount(state.org.chart, p.account) == nullptr) {
      return internal::Violation(entry, where(), "科目 " + p.account + " 不在 " + state.org.chart + " 科目表中",
                                 "account " + p.account + " is not in the " + state.org.chart + " chart");
    }
    bool one_side = (p.debit_fen > 0 && p.credit_fen == 0) || (p.credit_fen > 0 && p.debit_fen == 0);
    if (!one_side) {
      return internal::Violation(entry, where(), "每行须只有借方或只有贷方，且金额为正",
                                 "each line needs exactly one positive side, debit or credit");
    }
    // Sums without building the field's name unless one overflows.
    auto add = [&](int64_t* sum, int64_t a, int64_t b) -> Status {
      if (!__builtin_add_overflow(a, b, sum)) return Status::Ok();
      return CheckedAdd(a, b, where()).status();
    };
    auto sub = [&](int64_t* sum, int64_t a, int64_t b) -> Status {
      if (!__builtin_sub_overflow(a, b, sum)) return Status::Ok();
      return CheckedSub(a, b, where()).status();
    };
    CZ_RETURN_IF_ERROR(add(&debits, debits, p.debit_fen));
    CZ_RETURN_IF_ERROR(add(&credits, credits, p.credit_fen));
    auto it = std::find_if(balances.begin(), balances.end(),
                           [&](const auto& b) { return b.first == p.account; });
    if (it == balances.end()) {
      auto current = state.account_balances.find(p.account);
      balances.emplace_back(p.account, current == state.account_balances.end() ? 0 : current->second);
      it = std::prev(balances.end());
    }
    CZ_RETURN_IF_ERROR(add(&it->second, it->second, p.debit_fen));
    CZ_RETURN_IF_ERROR(sub(&it->second, it->second, p.credit_fen));
  }
  if (debits != credits) {
    return internal::Violation(entry, field,
                               "借贷不平衡：借方 " + FormatYuan(Fen{debits}) + " 元，贷方 " +
                                   FormatYuan(Fen{credits}) + " 元",
                               "debits " + FormatYuan(Fen{debits}) + " do not equal credits " +
                                   FormatYuan(Fen{credits}) + " (yuan)");
  }
  return Status::Ok();
}

void Post(State* state, const std::vector<Posting>& postings) {
  for (const Posting& p : postings) {
    int64_t& balance = state->account_balances[p.account];
    balance += p.debit_fen - p.credit_fen;
    if (balance == 0) state->account_balances.erase(p.account);
  }
}

std::vector<Posting> Reversed(const std::vector<Posting>& postings) {
  std::vector<Posting> out = postings;
  for (Posting& p : out) std::swap(p.debit_fen, p.credit_fen);
  return out;
}

bool TrialBalanceBalances(const State& state) {
  int64_t sum = 0;
  for (const auto& [code, balance] : state.account_balances) {
    if (__builtin_add_overflow(sum, balance, &sum)) return false;
  }
  return sum == 0;
}

namespace {
int64_t ContributedCapitalCredit(const State& state) {
  auto it = state.account_balances.find(kContributedCapital);
  return it == state.account_balances.end() ? 0 : -it->second;
}
}  // namespace

bool MemberCapitalMatchesEquity(const State& state) {
  int64_t members = 0;
  for (const auto& [id, m] : state.members) {
    if (__builtin_add_overflow(members, m.total_capital_fen(), &members)) return false;
  }
  return members == ContributedCapitalCredit(state) && members == state.members_capital_fen;
}

bool RunningCapitalMatchesEquity(const State& state) {
  return state.members_capital_fen == ContributedCapitalCredit(state);
}

}  // namespace cunzhang::domain::books
