// The organisation's registers as tables: the member roll (成员名册) and the
// share register (股权登记簿), built from the ledger's derived state, and
// written as CSV (UTF-8 with a byte order mark, so Excel reads the Chinese)
// or XLSX. Amounts and share counts are formatted from integers, never
// through floating point, and written as text cells in XLSX: a fen count
// divided by 100 is not exact as a double.
#ifndef CUNZHANG_REPORT_H_
#define CUNZHANG_REPORT_H_

#include <string>
#include <vector>

#include "cunzhang/domain.h"
#include "cunzhang/status.h"

namespace cunzhang::report {

struct Table {
  std::string title_zh;  // also the XLSX sheet name (at most 31 characters)
  std::string title_en;
  std::vector<std::string> header_zh;
  std::vector<std::string> header_en;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;  // per column: right-aligned
};

// One row per member in member-id order: id, name, kind, household, status,
// joined. Kinds and statuses in the table's language.
Table MemberRoll(const domain::State& state, bool english);

// One row per member: shares of each kind and in total, capital (yuan),
// reserve share (yuan), and the member's part of all shares in percent
// (rounded down at 4 decimals); then a total row.
Table ShareRegister(const domain::State& state, bool english);

// A cell that Excel would read as a formula (=, +, -, @ first) gets a leading
// apostrophe, so that a name cannot run code when the file is opened.
std::string SafeCell(const std::string& text);

// The CSV file's bytes: BOM, header in the given language, rows, CRLF.
std::string ToCsv(const Table& table, bool english);

// Writes the table to `path` atomically (a temporary file, then a rename).
Status WriteCsv(const Table& table, bool english, const std::string& path);
Status WriteXlsx(const Table& table, bool english, const std::string& path);

// Aligned columns for a terminal (CJK characters count two columns).
std::string ToText(const Table& table, bool english);

}  // namespace cunzhang::report

#endif  // CUNZHANG_REPORT_H_
