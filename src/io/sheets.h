// The sheets an accountant imports: each sheet's columns, what kind of value
// each holds, which body field it fills, and which columns make a row's key.
// docs/IMPORT.md documents this table for the accountant; sheets_test.cc
// checks that every header named here appears there.
// Private to src/io.
#ifndef CUNZHANG_IO_SHEETS_H_
#define CUNZHANG_IO_SHEETS_H_

#include <map>
#include <string>
#include <vector>

#include "cunzhang/import.h"
#include "cunzhang/json.h"

namespace cunzhang::io::internal {

enum class CellKind {
  kText,
  kDate,      // -> "YYYY-MM-DD"
  kMoney,     // header says （元） or （分）; -> integer fen
  kMu,        // -> decimal string, 4 places
  kWorkdays,  // -> decimal string, 2 places
  kCount,     // -> integer
  kYesNo,     // -> boolean
  kChoice,    // -> one of `choices`
  kIdNumber,  // members: checked, kept out of the body
};

struct Choice {
  const char* value;               // what the body holds
  std::vector<const char*> names;  // what a cell may say (folded comparison)
};

struct ColumnSpec {
  const char* id;  // English header; for kMoney the base of "<id>_yuan" / "<id>_fen"
  const char* zh;  // Chinese header; for kMoney the base of "<zh>（元）" / "<zh>（分）"
  CellKind kind = CellKind::kText;
  bool header_required = true;
  bool value_required = true;
  const char* field = nullptr;  // the body member it fills; nullptr: the sheet's Finish decides
  std::vector<Choice> choices = {};
};

// A row's cells after conversion, by column id.
struct Cell {
  json::Value value;   // null when the cell was empty
  std::string text;    // the trimmed text (the normalized form for dates and decimals)
  std::string header;  // the header as the file wrote it
  int64_t column = 0;
};

// One data row while it is being turned into a request.
struct RowContext {
  std::map<std::string, Cell> cells;  // by column id; only columns the header has
  json::Value body = json::Value::Object();
  std::string id_number;  // members: the clear number, kept out of the body
  Where where;            // file and line of the row
  std::vector<Status>* errors = nullptr;

  // The cell of a column, or nullptr when the header lacks it or it is empty.
  const Cell* Get(const std::string& id) const;
  // Records an error at the column's cell (or the row when it has none).
  void Fail(const std::string& id, const std::string& zh, const std::string& en);
};

// Per-sheet work after the cells are read: fields that depend on other fields.
using FinishFn = void (*)(RowContext* row);

struct SheetSpec {
  Sheet sheet;
  const char* name;
  const char* type;
  std::vector<ColumnSpec> columns;
  std::vector<const char*> key;  // column ids whose values identify the row
  FinishFn finish = nullptr;
  // Body fields set by `finish`, and the column each comes from.
  std::vector<std::pair<const char*, const char*>> finish_fields = {};
};

const SheetSpec& SpecOf(Sheet sheet);
const std::vector<SheetSpec>& AllSheets();

}  // namespace cunzhang::io::internal

#endif  // CUNZHANG_IO_SHEETS_H_
