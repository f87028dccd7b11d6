// Double-entry books: the official charts of accounts and posting. Every money
// event posts balanced lines; the trial balance always balances; members'
// capital accounts add up to 股金/资本. Private to src/domain.
#ifndef CUNZHANG_DOMAIN_BOOKS_H_
#define CUNZHANG_DOMAIN_BOOKS_H_

#include <string>
#include <string_view>
#include <vector>

#include "cunzhang/domain.h"

namespace cunzhang::domain::books {

enum class Category { kAsset, kLiability, kEquity, kCost, kIncome, kExpense };

struct Account {
  const char* code;
  const char* name;
  Category category;
};

// The accounts of a chart ("coop-2021" or "collective-2023"); empty if unknown.
const std::vector<Account>& Chart(std::string_view chart);
const Account* FindAccount(std::string_view chart, std::string_view code);

// The equity account that holds members' contributions: 301 股金 (cooperative)
// or 301 资本 (collective).
inline constexpr const char* kContributedCapital = "301";

// Checks postings: each account in the organisation's chart, each line with
// exactly one positive side, debits equal credits, no overflow of balances.
// Errors are violations naming `field`.
Status CheckPostings(const State& state, const Entry& entry, std::string_view field,
                     const std::vector<Posting>& postings);
// Applies checked postings to the balances. REQUIRES: CheckPostings passed.
void Post(State* state, const std::vector<Posting>& postings);
// The same postings with debit and credit swapped (for a reversal).
std::vector<Posting> Reversed(const std::vector<Posting>& postings);

// Invariants the verifier checks after every entry.
bool TrialBalanceBalances(const State& state);
// Σ members' capital_fen, over every member == credit balance of 301 ==
// state.members_capital_fen. O(members).
bool MemberCapitalMatchesEquity(const State& state);
// state.members_capital_fen == credit balance of 301. O(1).
bool RunningCapitalMatchesEquity(const State& state);

}  // namespace cunzhang::domain::books

#endif  // CUNZHANG_DOMAIN_BOOKS_H_
