// The share register's arithmetic, shared by contributions, share movements
// and reversals: changing holdings, and the cap on one member's capital.
// Private to src/domain; implemented in shares.cc.
#ifndef CUNZHANG_DOMAIN_SHARES_H_
#define CUNZHANG_DOMAIN_SHARES_H_

#include <string>
#include <string_view>
#include <vector>

#include "cunzhang/domain.h"

namespace cunzhang::domain::internal {

// "土地股" ... for messages.
const char* KindZh(uint8_t kind);

// Checked a + b and floor(a * b / c) whose overflow is a violation naming
// body.<field> (an amount too large for the register).
Result<int64_t> AddAt(const Entry& entry, std::string_view field, int64_t a, int64_t b);
Result<int64_t> MulDivAt(const Entry& entry, std::string_view field, int64_t a, int64_t b,
                         int64_t c);

// The credit balance of 301 股金/资本: all members' contributed capital.
int64_t ContributedCapital(const State& state);

// Checks that every delta names an existing member and that applying them
// all, in order, leaves every holding's share_units and capital_fen >= 0 and
// in range. The violation names `field` and the member, kind and amounts.
Status CheckDeltas(const State& state, const Entry& entry, std::string_view field,
                   const std::vector<HoldingDelta>& deltas);
// REQUIRES: CheckDeltas passed.
void ApplyDeltas(State* state, const std::vector<HoldingDelta>& deltas);

// The cap (org.member_cap_bp): after the change the member would hold
// member_capital_fen out of total_capital_fen in 301; refused when
// member_capital_fen * 10000 > member_cap_bp * max(registered_capital_fen,
// total_capital_fen). The violation names `field`.
Status CheckCap(const State& state, const Entry& entry, std::string_view field,
                const std::string& member_id, int64_t member_capital_fen,
                int64_t total_capital_fen);

// Checks the cap for every member whose capital `deltas` raise on balance,
// against 301 as it will be after them (301 moves by the sum of the deltas).
Status CheckCapAfter(const State& state, const Entry& entry, std::string_view field,
                     const std::vector<HoldingDelta>& deltas);

// books::CheckPostings, with any violation naming body.<field>: the amount
// the postings were computed from.
Status CheckPostingsAt(const State& state, const Entry& entry, std::string_view field,
                       const std::vector<Posting>& postings);

}  // namespace cunzhang::domain::internal

#endif  // CUNZHANG_DOMAIN_SHARES_H_
