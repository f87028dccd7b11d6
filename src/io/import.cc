// Planning an import: header, rows, cells, keys. Nothing here touches the
// ledger; every problem is collected so that one run reports them all.
#include "cunzhang/import.h"

#include <set>

#include "cells.h"
#include "cunzhang/hash.h"
#include "sheets.h"

namespace cunzhang::io {
namespace {

using internal::Cell;
using internal::CellKind;
using internal::ColumnSpec;
using internal::RowContext;
using internal::SheetSpec;

// One header cell matched to its column.
struct HeaderColumn {
  const ColumnSpec* spec = nullptr;
  bool fen = false;  // a money column in fen rather than yuan
  std::string header;
  int64_t column = 0;
};

Status InputError(Where where, std::string zh, std::string en) {
  return Status(Code::kInvalidInput, std::move(zh), std::move(en), std::move(where));
}

std::string ExpectedHeaders(const SheetSpec& spec, bool english) {
  std::string out;
  for (const ColumnSpec& c : spec.columns) {
    if (!out.empty()) out += english ? ", " : "、";
    std::string name = english ? c.id : c.zh;
    if (c.kind == CellKind::kMoney) name += english ? "_yuan" : "（元）";
    out += name;
  }
  return out;
}

// Matches a header cell to a column; nullopt (with an error) when it is none.
std::optional<HeaderColumn> MatchHeader(const SheetSpec& spec, const csv::Field& field,
                                        const Where& where, std::vector<Status>* errors) {
  const std::string folded = cells::Fold(field.text);
  for (const ColumnSpec& c : spec.columns) {
    HeaderColumn hc{.spec = &c, .header = cells::Trim(field.text), .column = field.column};
    if (c.kind != CellKind::kMoney) {
      if (folded == cells::Fold(c.zh) || folded == c.id) return hc;
      continue;
    }
    const std::string id = c.id;
    if (folded == cells::Fold(std::string(c.zh) + "（元）") || folded == id + "_yuan") return hc;
    hc.fen = true;
    if (folded == cells::Fold(std::string(c.zh) + "（分）") || folded == id + "_fen") return hc;
    if (folded == cells::Fold(c.zh) || folded == id) {
      errors->push_back(
          InputError(where, std::string("列名须注明单位：") + c.zh + "（元）或 " + c.zh + "（分）",
                     "the header must give the unit: " + id + "_yuan or " + id + "_fen"));
      return std::nullopt;
    }
  }
  errors->push_back(InputError(where,
                               "“" + cells::Trim(field.text) + "”不是 " + spec.name +
                                   " 表的列；应有的列：" + ExpectedHeaders(spec, false),
                               "\"" + cells::Trim(field.text) + "\" is not a column of the " +
                                   spec.name +
                                   " sheet; its columns are: " + ExpectedHeaders(spec, true)));
  return std::nullopt;
}

// Trailing empty header cells (left by Excel) do not count.
size_t HeaderWidth(const csv::Record& header) {
  size_t width = header.fields.size();
  while (width > 0 && cells::Trim(header.fields[width - 1].text).empty()) --width;
  return width;
}

std::vector<HeaderColumn> ReadHeader(const SheetSpec& spec, const csv::Record& header,
                                     const std::string& file, std::vector<Status>* errors) {
  std::vector<HeaderColumn> columns;
  std::set<const ColumnSpec*> seen;
  const size_t width = HeaderWidth(header);
  for (size_t j = 0; j < width; ++j) {
    const csv::Field& f = header.fields[j];
    Where where{.file = file, .line = f.line, .column = f.column};
    if (cells::Trim(f.text).empty()) {
      errors->push_back(InputError(where, "表头有空列", "an empty header cell"));
      continue;
    }
    std::optional<HeaderColumn> hc = MatchHeader(spec, f, where, errors);
    if (!hc) continue;
    if (!seen.insert(hc->spec).second) {
      errors->push_back(InputError(where, "“" + hc->header + "”列重复",
                                   "column \"" + hc->header + "\" appears twice"));
      continue;
    }
    columns.push_back(*hc);
  }
  for (const ColumnSpec& c : spec.columns) {
    if (!c.header_required || seen.count(&c) != 0) continue;
    std::string zh = c.zh, en = c.id;
    if (c.kind == CellKind::kMoney) {
      zh += "（元）或（分）";
      en += "_yuan or " + std::string(c.id) + "_fen";
    }
    errors->push_back(InputError(Where{.file = file, .line = header.line}, "缺少“" + zh + "”列",
                                 "the column \"" + en + "\" is missing"));
  }
  return columns;
}

bool HasControl(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  }
  return false;
}

Status CellError(const Status& cause, const Where& where) {
  return Status(Code::kInvalidInput, cause.zh(), cause.en(), where);
}

Result<json::Value> PositiveUnits(int64_t units, json::Value value, std::string_view text) {
  if (units > 0) return value;
  return Status(Code::kInvalidInput, "“" + std::string(text) + "”须大于零",
                "\"" + std::string(text) + "\" must be greater than zero");
}

Result<json::Value> ConvertChoice(const ColumnSpec& spec, const std::string& text) {
  const std::string folded = cells::Fold(text);
  std::string zh, en;
  for (const internal::Choice& choice : spec.choices) {
    for (const char* name : choice.names) {
      if (folded == cells::Fold(name)) return json::Value::String(choice.value);
      zh += (zh.empty() ? "" : "、") + std::string(name);
      en += (en.empty() ? "" : ", ") + std::string(name);
    }
  }
  return Status(Code::kInvalidInput, "“" + text + "”不是可选值之一：" + zh,
                "\"" + text + "\" is not one of: " + en);
}

Result<json::Value> ConvertMoney(const HeaderColumn& hc, const std::string& text) {
  CZ_ASSIGN_OR_RETURN(int64_t fen, hc.fen ? cells::ParseFen(text) : cells::ParseYuan(text));
  if (fen > limits::kJsonIntegerMax) {
    return Status(Code::kInvalidInput, "“" + text + "”金额过大",
                  "\"" + text + "\" is too large an amount");
  }
  return PositiveUnits(fen, json::Value::Int(fen), text);
}

// The cell's value as the body holds it; `text` is replaced by the normal form.
Result<json::Value> Convert(const HeaderColumn& hc, std::string* text) {
  int64_t units = 0;
  switch (hc.spec->kind) {
    case CellKind::kText:
      if (HasControl(*text)) {
        return Status(Code::kInvalidInput, "单元格内有换行或控制字符",
                      "the cell holds a line break or a control character");
      }
      return json::Value::String(*text);
    case CellKind::kDate: {
      CZ_ASSIGN_OR_RETURN(*text, cells::ParseDate(*text));
      return json::Value::String(*text);
    }
    case CellKind::kMoney:
      return ConvertMoney(hc, *text);
    case CellKind::kMu:
    case CellKind::kWorkdays: {
      std::string original = *text;
      CZ_ASSIGN_OR_RETURN(
          *text, cells::ParseDecimal(*text, hc.spec->kind == CellKind::kMu ? 4 : 2, &units));
      return PositiveUnits(units, json::Value::String(*text), original);
    }
    case CellKind::kCount: {
      CZ_ASSIGN_OR_RETURN(int64_t n, cells::ParseCount(*text));
      return json::Value::Int(n);
    }
    case CellKind::kYesNo: {
      CZ_ASSIGN_OR_RETURN(bool b, cells::ParseYesNo(*text));
      return json::Value::Bool(b);
    }
    case CellKind::kChoice:
      return ConvertChoice(*hc.spec, *text);
    case CellKind::kIdNumber: {
      CZ_ASSIGN_OR_RETURN(*text, CheckIdNumber(*text));
      return json::Value::String(*text);
    }
  }
  return Status(Code::kInternal, "未知的列类型", "unknown column kind");
}

bool AllEmpty(const csv::Record& record) {
  for (const csv::Field& f : record.fields) {
    if (!cells::Trim(f.text).empty()) return false;
  }
  return true;
}

// Checks the row's width against the header's; false (with an error) when it differs.
bool CheckWidth(const csv::Record& record, size_t width, const std::string& file,
                std::vector<Status>* errors) {
  const size_t n = record.fields.size();
  size_t extra = width;
  while (extra < n && cells::Trim(record.fields[extra].text).empty()) ++extra;
  if (n >= width && extra == n) return true;
  // Point at the first missing cell, or at the first cell beyond the header.
  const int64_t column = static_cast<int64_t>(n < width ? n + 1 : extra + 1);
  errors->push_back(InputError(
      Where{.file = file, .line = record.line, .column = column},
      "这一行有 " + std::to_string(n) + " 列，表头有 " + std::to_string(width) + " 列",
      "this row has " + std::to_string(n) + " cells; the header has " + std::to_string(width)));
  return false;
}

// Reads every cell of a row into `row`; false when any is bad.
bool ReadCells(const std::vector<HeaderColumn>& columns, const csv::Record& record,
               RowContext* row) {
  const size_t before = row->errors->size();
  for (size_t j = 0; j < columns.size(); ++j) {
    const HeaderColumn& hc = columns[j];
    const csv::Field& field = record.fields[j];
    Where where{
        .file = row->where.file, .line = field.line, .column = field.column, .field = hc.header};
    Cell cell{.text = cells::Trim(field.text), .header = hc.header, .column = field.column};
    if (cell.text.empty()) {
      if (hc.spec->value_required)
        row->errors->push_back(InputError(where, "不能为空", "must not be empty"));
    } else {
      Result<json::Value> value = Convert(hc, &cell.text);
      if (value.ok()) {
        cell.value = std::move(value).value();
      } else {
        row->errors->push_back(CellError(value.status(), where));
      }
    }
    row->cells[hc.spec->id] = std::move(cell);
  }
  return row->errors->size() == before;
}

std::string IdempotencyId(const SheetSpec& spec, const RowContext& row) {
  std::vector<std::string> parts;
  for (const char* id : spec.key) {
    const Cell* cell = row.Get(id);
    parts.push_back(cell == nullptr ? "" : cell->text);
  }
  std::string readable = std::string("csv/") + spec.name;
  std::string joined;
  bool plain = true;
  for (const std::string& p : parts) {
    readable += "/" + p;
    joined += p + '\x1f';
    plain = plain && p.find('/') == std::string::npos && !HasControl(p);
  }
  if (plain && readable.size() <= limits::kIdempotencyIdBytesMax) return readable;
  return std::string("csv/") + spec.name + "/sha256-" + Sha256(joined).Hex().substr(0, 32);
}

void MapColumns(const SheetSpec& spec, const std::vector<HeaderColumn>& columns, ImportPlan* plan) {
  std::map<std::string, int64_t> by_id;
  for (const HeaderColumn& hc : columns) {
    by_id[hc.spec->id] = hc.column;
    if (hc.spec->field != nullptr)
      plan->field_columns[std::string("body.") + hc.spec->field] = hc.column;
  }
  for (const auto& [field, column_id] : spec.finish_fields) {
    auto it = by_id.find(column_id);
    if (it != by_id.end()) plan->field_columns[std::string("body.") + field] = it->second;
  }
}

void AddRow(const SheetSpec& spec, const std::vector<HeaderColumn>& columns,
            const csv::Record& record, const ImportOptions& options,
            std::map<std::string, int64_t>* ids, ImportPlan* plan) {
  RowContext row{.where = Where{.file = options.file, .line = record.line},
                 .errors = &plan->errors};
  if (!ReadCells(columns, record, &row)) return;
  for (const HeaderColumn& hc : columns) {
    const Cell* cell = row.Get(hc.spec->id);
    if (hc.spec->field != nullptr && cell != nullptr) row.body.Set(hc.spec->field, cell->value);
  }
  const size_t before = plan->errors.size();
  if (spec.finish != nullptr) spec.finish(&row);
  if (plan->errors.size() != before) return;
  std::string id = IdempotencyId(spec, row);
  auto [it, fresh] = ids->emplace(id, record.line);
  if (!fresh) {
    plan->errors.push_back(
        InputError(row.where,
                   "这一行与第 " + std::to_string(it->second) + " 行是同一笔（" + id +
                       "）；如确是两笔，请填不同的凭证号",
                   "this row repeats line " + std::to_string(it->second) + " (" + id +
                       "); if they are two records, give each its own voucher number"));
    return;
  }
  const Cell* member = row.Get("member_id");
  plan->rows.push_back(ImportRow{.line = record.line,
                                 .request = EntryRequest{.type = spec.type,
                                                         .op = options.op,
                                                         .idempotency_id = id,
                                                         .body = std::move(row.body)},
                                 .member_id = member == nullptr ? "" : member->text,
                                 .id_number = row.id_number});
}

}  // namespace

const char* SheetName(Sheet sheet) { return internal::SpecOf(sheet).name; }
const char* SheetEntryType(Sheet sheet) { return internal::SpecOf(sheet).type; }

std::optional<Sheet> SheetFromName(std::string_view name) {
  for (const SheetSpec& spec : internal::AllSheets()) {
    if (name == spec.name) return spec.sheet;
  }
  return std::nullopt;
}

ImportPlan PlanImport(std::string_view bytes, const ImportOptions& options) {
  ImportPlan plan{.sheet = options.sheet, .file = options.file};
  csv::DecodeResult decoded = csv::Decode(bytes, options.encoding, options.file);
  plan.encoding = decoded.text.encoding;
  if (!decoded.errors.empty()) {
    plan.errors = std::move(decoded.errors);
    return plan;
  }
  csv::Table table = csv::Parse(decoded.text.utf8, options.file);
  plan.errors = std::move(table.errors);
  if (table.records.empty()) {
    plan.errors.push_back(InputError(Where{.file = options.file, .line = 1},
                                     "文件是空的：第一行应是表头",
                                     "the file is empty: the first row must be the header"));
    return plan;
  }
  const SheetSpec& spec = internal::SpecOf(options.sheet);
  const size_t header_errors = plan.errors.size();
  std::vector<HeaderColumn> columns =
      ReadHeader(spec, table.records[0], options.file, &plan.errors);
  if (plan.errors.size() != header_errors) return plan;  // the columns cannot be trusted
  MapColumns(spec, columns, &plan);
  const size_t width = HeaderWidth(table.records[0]);
  std::map<std::string, int64_t> ids;
  for (size_t r = 1; r < table.records.size(); ++r) {
    const csv::Record& record = table.records[r];
    if (AllEmpty(record) || !CheckWidth(record, width, options.file, &plan.errors)) continue;
    AddRow(spec, columns, record, options, &ids, &plan);
  }
  if (plan.rows.empty() && plan.errors.empty()) {
    plan.errors.push_back(InputError(Where{.file = options.file}, "文件只有表头，没有数据行",
                                     "the file has a header but no rows"));
  }
  return plan;
}

std::vector<EntryRequest> Requests(const ImportPlan& plan) {
  std::vector<EntryRequest> out;
  out.reserve(plan.rows.size());
  for (const ImportRow& row : plan.rows) out.push_back(row.request);
  return out;
}

Status MapAppendError(const ImportPlan& plan, Status status) {
  Where& w = status.mutable_where();
  const int64_t index = w.line - 1;
  if (w.line > 0 && static_cast<size_t>(index) < plan.rows.size()) {
    w.line = plan.rows[static_cast<size_t>(index)].line;
    w.entry = -1;  // the entry was not written; the line is what the accountant can find
    std::string field = w.field.substr(0, w.field.find_first_of("[", 5));
    field = field.substr(0, field.find('.', 5));
    auto it = plan.field_columns.find(field);
    if (it != plan.field_columns.end()) w.column = it->second;
  } else {
    w.line = 0;
  }
  w.file = plan.file;
  return status;
}

}  // namespace cunzhang::io
