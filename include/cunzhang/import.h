// Importing the accountant's sheets (CSV) as ledger entries. Each sheet kind
// has a fixed header (Chinese, with English aliases) and maps one row to one
// entry request; docs/IMPORT.md lists the columns. An import is planned first
// (every bad row is found, all in one pass), then the members' clear ID numbers
// are turned into commitments through the local registry, and only then is
// the whole plan appended as one atomic batch.
#ifndef CUNZHANG_IMPORT_H_
#define CUNZHANG_IMPORT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cunzhang/csv.h"
#include "cunzhang/domain.h"
#include "cunzhang/entry.h"
#include "cunzhang/registry.h"
#include "cunzhang/report.h"
#include "cunzhang/status.h"
#include "cunzhang/store.h"

namespace cunzhang::io {

enum class Sheet { kMembers, kLand, kCapital, kGoods, kLabour, kResolutions, kValuation };

// "members", "land", ...; and back (nullopt for an unknown name).
const char* SheetName(Sheet sheet);
std::optional<Sheet> SheetFromName(std::string_view name);
// The entry type one row of the sheet becomes, e.g. "contribution.land".
const char* SheetEntryType(Sheet sheet);

struct ImportOptions {
  Sheet sheet = Sheet::kMembers;
  csv::Encoding encoding = csv::Encoding::kAuto;
  std::string file;  // named in errors
  Operator op;       // written into every entry
};

struct ImportRow {
  int64_t line = 0;       // the CSV line the row starts on
  EntryRequest request;   // idempotency id derived from the sheet and the row's key
  std::string member_id;  // the member the row concerns ("" for resolutions and rules)
  std::string
      id_number;  // members sheet only: the clear number, for the registry; never in `request`
};

struct ImportPlan {
  Sheet sheet = Sheet::kMembers;
  std::string file;
  csv::Encoding encoding = csv::Encoding::kUtf8;  // as decoded
  std::vector<ImportRow> rows;
  std::vector<Status> errors;  // every problem found; nothing may be written when non-empty
  // Where a body field came from: "body.mu" -> its column (1-based), for rule errors.
  std::map<std::string, int64_t> field_columns;
};

// Decodes, parses and checks the file; builds one request per data row.
ImportPlan PlanImport(std::string_view bytes, const ImportOptions& options);

// Members sheet: puts each row's ID commitment into its request, looking the
// number up in the registry or creating a record (held until the registry is
// flushed). Refuses a number used by another row or by another member on the
// ledger, and a member already on the ledger under a different number. Errors
// go to plan->errors naming the row's line and the ID column.
void ResolveIdentities(ImportPlan* plan, IdRegistry* registry, const domain::State& state);

// The requests of the plan, in row order.
std::vector<EntryRequest> Requests(const ImportPlan& plan);

// Turns an error from Ledger::Append/Check (which names the request by
// Where::line = index + 1) into one naming the CSV file, line and column.
Status MapAppendError(const ImportPlan& plan, Status status);

// What one row would do, for --dry-run.
struct PreviewRow {
  int64_t line = 0;
  std::string type;
  std::string member_id;
  std::string quantity;     // as written into the entry: "11.0000" mu, "3.50" workdays, ...
  std::string unit;         // "mu", "workday", "yuan", "" when none
  int64_t capital_fen = 0;  // change in the member's capital
  int64_t share_units = 0;  // change in the member's shares (0.0001 share)
  bool already_recorded = false;
};

// Applies the plan's new requests to a copy of `state` (rows whose outcome is
// already_recorded are skipped) and reports each row's effect on its member.
// REQUIRES: outcomes come from Ledger::Check of Requests(plan).
Result<std::vector<PreviewRow>> Preview(const domain::State& state, const std::string& origin,
                                        const ImportPlan& plan,
                                        const std::vector<AppendOutcome>& outcomes);

// The preview as a table: line, entry, member, quantity, capital and shares
// the row adds, and whether it is new or already recorded.
report::Table PreviewTable(const std::vector<PreviewRow>& rows, bool english);

}  // namespace cunzhang::io

#endif  // CUNZHANG_IMPORT_H_
