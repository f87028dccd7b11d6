// RFC 4180 reading and writing. The reader walks the text once, keeping the
// line and the cell number of every field, so that each error and each bad
// cell can be named where the accountant will look for it in Excel.
#include "cunzhang/csv.h"

#include <string>

namespace cunzhang::csv {
namespace {

bool IsBreak(char c) { return c == '\n' || c == '\r'; }

Status SyntaxError(const std::string& file, int64_t line, int64_t column, std::string zh,
                   std::string en) {
  return Status(Code::kInvalidInput, std::move(zh), std::move(en),
                Where{.file = file, .line = line, .column = column});
}

class Parser {
 public:
  Parser(std::string_view text, const std::string& file, Table* out)
      : s_(text), file_(file), out_(out) {}

  void Run() {
    while (i_ < s_.size()) {
      if (out_->records.size() >= kRecordsMax) {
        Error(line_, 1, "行数超过上限 " + std::to_string(kRecordsMax),
              "more than " + std::to_string(kRecordsMax) + " rows");
        return;
      }
      if (!ParseRecord()) return;
    }
  }

 private:
  // Moves past one character that is not a line break.
  void Step() {
    ++i_;
    while (i_ < s_.size() && (static_cast<unsigned char>(s_[i_]) & 0xC0) == 0x80) ++i_;
  }
  // Moves past one line break: CRLF, LF or a lone CR.
  void Break() {
    if (s_[i_] == '\r' && i_ + 1 < s_.size() && s_[i_ + 1] == '\n') ++i_;
    ++i_;
    ++line_;
  }
  void SkipLine() {
    while (i_ < s_.size() && !IsBreak(s_[i_])) Step();
    if (i_ < s_.size()) Break();
  }
  void Error(int64_t line, int64_t column, std::string zh, std::string en) {
    if (out_->errors.size() < kErrorsMax) {
      out_->errors.push_back(SyntaxError(file_, line, column, std::move(zh), std::move(en)));
    }
  }

  // Returns false when nothing after it can be read (an unclosed quote).
  bool ParseRecord() {
    Record record{.line = line_};
    while (true) {
      Field field{.line = line_, .column = static_cast<int64_t>(record.fields.size()) + 1};
      bool ok = i_ < s_.size() && s_[i_] == '"' ? ParseQuoted(&field) : ParseBare(&field);
      if (!ok) return Abandon(record);
      if (field.text.size() > kFieldBytesMax) {
        Error(field.line, field.column, "单元格超过 " + std::to_string(kFieldBytesMax) + " 字节",
              "a cell longer than " + std::to_string(kFieldBytesMax) + " bytes");
        SkipLine();
        return true;
      }
      record.fields.push_back(std::move(field));
      if (i_ < s_.size() && s_[i_] == ',') {
        Step();
        continue;
      }
      if (i_ < s_.size()) Break();
      break;
    }
    return Keep(std::move(record));
  }

  bool Abandon(const Record&) {
    if (unclosed_) return false;
    SkipLine();
    return true;
  }

  bool Keep(Record record) {
    bool blank = record.fields.size() == 1 && record.fields[0].text.empty() && !quoted_last_;
    if (blank) return true;
    if (record.fields.size() > kFieldsPerRecordMax) {
      Error(record.line, 1, "一行超过 " + std::to_string(kFieldsPerRecordMax) + " 列",
            "a row with more than " + std::to_string(kFieldsPerRecordMax) + " columns");
      return true;
    }
    out_->records.push_back(std::move(record));
    return true;
  }

  bool ParseBare(Field* field) {
    quoted_last_ = false;
    size_t start = i_;
    while (i_ < s_.size() && s_[i_] != ',' && !IsBreak(s_[i_])) {
      if (s_[i_] == '"') {
        Error(line_, field->column,
              "未加引号的单元格中有引号；含引号的单元格须整个用引号括起，引号写两遍",
              "a quote inside an unquoted cell; quote the whole cell and double the quote");
        return false;
      }
      Step();
    }
    field->text.assign(s_.substr(start, i_ - start));
    return true;
  }

  bool ParseQuoted(Field* field) {
    quoted_last_ = true;
    Step();  // the opening quote
    while (true) {
      if (i_ >= s_.size()) {
        Error(field->line, field->column, "引号没有闭合（从这里开始的单元格一直到文件末尾）",
              "unclosed quote: the cell starting here runs to the end of the file");
        unclosed_ = true;
        return false;
      }
      char c = s_[i_];
      if (c == '"' && i_ + 1 < s_.size() && s_[i_ + 1] == '"') {
        field->text.push_back('"');
        Step();
        Step();
      } else if (c == '"') {
        Step();
        break;
      } else if (IsBreak(c)) {
        field->text.push_back('\n');
        Break();
      } else {
        size_t start = i_;
        Step();
        field->text.append(s_.substr(start, i_ - start));
      }
    }
    if (i_ < s_.size() && s_[i_] != ',' && !IsBreak(s_[i_])) {
      Error(line_, field->column, "闭合引号后应是逗号或换行",
            "a comma or a line break must follow the closing quote");
      return false;
    }
    return true;
  }

  std::string_view s_;
  const std::string& file_;
  Table* out_;
  size_t i_ = 0;
  int64_t line_ = 1;
  bool quoted_last_ = false;
  bool unclosed_ = false;
};

bool NeedsQuotes(std::string_view field) {
  if (field.empty()) return false;
  if (field.front() == ' ' || field.back() == ' ') return true;
  return field.find_first_of(",\"\r\n") != std::string_view::npos;
}

}  // namespace

Table Parse(std::string_view utf8, const std::string& file) {
  Table table;
  Parser(utf8, file, &table).Run();
  return table;
}

std::string EncodeRecord(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    if (!NeedsQuotes(fields[i])) {
      out += fields[i];
      continue;
    }
    out.push_back('"');
    for (char c : fields[i]) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out += "\r\n";
  return out;
}

}  // namespace cunzhang::csv
