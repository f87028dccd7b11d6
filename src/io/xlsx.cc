// XLSX through libxlsxwriter. Rows go out in order (constant-memory mode, so
// strings are written inline in the sheet). Every cell is a string: amounts
// and shares are exact decimal text, never a double.
#include <xlsxwriter.h>

#include <cstdio>

#include "cunzhang/report.h"
#include "text.h"

namespace cunzhang::report {
namespace {

constexpr double kColumnWidthMin = 8;
constexpr double kColumnWidthMax = 40;

Status XlsxError(const std::string& path, lxw_error error) {
  return Status(Code::kIo, "无法写入 XLSX 文件：" + path,
                "cannot write the XLSX file " + path + ": " + lxw_strerror(error));
}

lxw_error WriteRow(lxw_worksheet* sheet, lxw_row_t r, const std::vector<std::string>& cells,
                   lxw_format* format, lxw_format* numeric_format,
                   const std::vector<bool>& numeric) {
  for (size_t j = 0; j < cells.size(); ++j) {
    lxw_format* f =
        j < numeric.size() && numeric[j] && numeric_format != nullptr ? numeric_format : format;
    lxw_error e = worksheet_write_string(sheet, r, static_cast<lxw_col_t>(j), cells[j].c_str(), f);
    if (e != LXW_NO_ERROR) return e;
  }
  return LXW_NO_ERROR;
}

void SetWidths(lxw_worksheet* sheet, const Table& table, const std::vector<std::string>& header) {
  for (size_t j = 0; j < header.size(); ++j) {
    size_t w = text::DisplayWidth(header[j]);
    for (const auto& row : table.rows) {
      if (j < row.size()) w = std::max(w, text::DisplayWidth(row[j]));
    }
    double width = std::min(kColumnWidthMax, std::max(kColumnWidthMin, static_cast<double>(w) + 2));
    worksheet_set_column(sheet, static_cast<lxw_col_t>(j), static_cast<lxw_col_t>(j), width,
                         nullptr);
  }
}

lxw_error Fill(lxw_workbook* book, const Table& table, bool english) {
  const std::vector<std::string>& header = english ? table.header_en : table.header_zh;
  lxw_worksheet* sheet =
      workbook_add_worksheet(book, (english ? table.title_en : table.title_zh).c_str());
  if (sheet == nullptr) return LXW_ERROR_MEMORY_MALLOC_FAILED;
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  lxw_format* right = workbook_add_format(book);
  format_set_align(right, LXW_ALIGN_RIGHT);
  SetWidths(sheet, table, header);
  worksheet_freeze_panes(sheet, 1, 0);
  lxw_error e = WriteRow(sheet, 0, header, bold, nullptr, {});
  for (size_t r = 0; e == LXW_NO_ERROR && r < table.rows.size(); ++r) {
    std::vector<std::string> safe = table.rows[r];
    for (size_t j = 0; j < safe.size(); ++j) {
      if (j >= table.numeric.size() || !table.numeric[j]) safe[j] = SafeCell(safe[j]);
    }
    e = WriteRow(sheet, static_cast<lxw_row_t>(r + 1), safe, nullptr, right, table.numeric);
  }
  return e;
}

}  // namespace

Status WriteXlsx(const Table& table, bool english, const std::string& path) {
  CZ_ASSIGN_OR_RETURN(const std::string temporary, text::CreateTemporary(path));
  lxw_workbook_options options{
      .constant_memory = LXW_TRUE, .tmpdir = nullptr, .use_zip64 = LXW_FALSE};
  lxw_workbook* book = workbook_new_opt(temporary.c_str(), &options);
  if (book == nullptr) {
    std::remove(temporary.c_str());
    return XlsxError(path, LXW_ERROR_CREATING_XLSX_FILE);
  }
  const std::string title = english ? table.title_en : table.title_zh;
  lxw_doc_properties properties{};
  properties.title = const_cast<char*>(title.c_str());
  properties.author = const_cast<char*>("cunzhang");
  workbook_set_properties(book, &properties);
  lxw_error filled = Fill(book, table, english);
  lxw_error closed = workbook_close(book);  // frees the workbook in every case
  if (filled != LXW_NO_ERROR || closed != LXW_NO_ERROR) {
    std::remove(temporary.c_str());
    return XlsxError(path, filled != LXW_NO_ERROR ? filled : closed);
  }
  return text::CommitTemporary(temporary, path);
}

}  // namespace cunzhang::report
