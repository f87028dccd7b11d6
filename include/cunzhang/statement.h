// A member's statement (成员对账单): who they are (never an ID number), the
// shares and capital they hold by kind, their reserve share, and every entry
// that changed or named them, with the ledger's size and root hash at the time
// so that the printed statement can later be checked against the audited
// ledger. As text (Chinese or English) or as JSON
// (schemas/statement.schema.json).
#ifndef CUNZHANG_STATEMENT_H_
#define CUNZHANG_STATEMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cunzhang/domain.h"
#include "cunzhang/hash.h"
#include "cunzhang/json.h"
#include "cunzhang/status.h"
#include "cunzhang/store.h"

namespace cunzhang::statement {

inline constexpr const char* kFormat = "cunzhang-statement/1";

struct HistoryItem {
  uint64_t seq = 0;
  std::string date;  // the entry body's date; "" when it has none
  std::string type;
  std::optional<domain::ContributionKind> kind;  // contributions and transfers
  std::string quantity;  // as recorded: "11.0000" (mu), "3.50" (workdays), "5000.00" (yuan), ...
  std::string unit;      // "mu", "workday", "yuan", "share", or "" (then quantity is a description)
  int64_t capital_fen_delta = 0;
  int64_t share_units_delta = 0;
  int64_t reserve_fen_delta = 0;
  std::string counterpart;              // the other member of a transfer or an inheritance
  std::string status;                   // the member's status after the entry, when it changed
  std::optional<uint64_t> reverses;     // this entry reverses that one
  std::optional<uint64_t> reversed_by;  // a later entry reversed this one
};

struct Statement {
  std::string origin;
  uint64_t size = 0;
  Hash256 root;
  std::string org_name;
  std::string org_kind;
  domain::Member member;
  int64_t all_share_units = 0;  // every member's shares together, for the percentage
  std::vector<HistoryItem> history;
};

// Replays the ledger with the rules to find each entry's effect on the member,
// and checks the result against the ledger's stored state. kNotFound when the
// ledger has no such member; kCorruption when the replay disagrees.
Result<Statement> Build(Ledger& ledger, const std::string& member_id);

// The member's part of all shares, percent, rounded down at 4 decimals.
std::string PercentOfShares(const Statement& statement);

std::string ToText(const Statement& statement, bool english);

// A member's status as the statement writes it: "active" -> 在册 / active.
std::string StatusText(const std::string& status, bool english);
json::Value ToJson(const Statement& statement);

}  // namespace cunzhang::statement

#endif  // CUNZHANG_STATEMENT_H_
