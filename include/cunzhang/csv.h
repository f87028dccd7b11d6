// Reading and writing CSV as village accountants have it: text in UTF-8 (with
// or without a byte order mark) or in GB18030 as Chinese Excel saves it, laid
// out per RFC 4180 (quoted fields, doubled quotes, CRLF or LF, line breaks
// inside quotes). Every problem is reported with its line and column (the
// cell's number in the row, as Excel counts columns), all of them in one pass,
// never only the first. docs/IMPORT.md is the user's guide.
#ifndef CUNZHANG_CSV_H_
#define CUNZHANG_CSV_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cunzhang/limits.h"
#include "cunzhang/status.h"

namespace cunzhang::csv {

inline constexpr size_t kFieldBytesMax = 16 * 1024;                  // one cell, after decoding
inline constexpr size_t kFieldsPerRecordMax = 64;                    // columns of one row
inline constexpr size_t kRecordsMax = limits::kBatchEntriesMax + 1;  // rows, with the header
inline constexpr size_t kErrorsMax = 200;                            // reported one by one

enum class Encoding { kAuto, kUtf8, kGb18030 };

// "auto", "utf-8", "gb18030".
const char* EncodingName(Encoding encoding);

struct Decoded {
  std::string utf8;                     // the text, without a byte order mark
  Encoding encoding = Encoding::kUtf8;  // what the bytes were (never kAuto)
  bool had_bom = false;
};

struct DecodeResult {
  Decoded text;
  std::vector<Status>
      errors;  // each bad byte sequence, with line and byte column; at most kErrorsMax
};

// Decodes a file's bytes to UTF-8. kAuto: valid UTF-8 is taken as UTF-8,
// anything else as GB18030. UTF-16 (as Excel's "Unicode text") is refused with
// advice. `file` names the file in errors.
DecodeResult Decode(std::string_view bytes, Encoding encoding, const std::string& file);

struct Field {
  std::string text;    // unquoted, doubled quotes undone
  int64_t line = 0;    // where the field starts, 1-based
  int64_t column = 0;  // the cell's place in its row, 1-based, as Excel counts columns (A = 1)
};

struct Record {
  int64_t line = 0;  // where the record starts
  std::vector<Field> fields;
};

struct Table {
  std::vector<Record> records;  // blank lines left out
  std::vector<Status> errors;   // syntax errors, at most kErrorsMax
};

// Parses RFC 4180 text (already UTF-8). A record whose syntax is wrong is
// reported and left out; parsing goes on with the next line. Records are
// separated by CRLF, LF or a lone CR; a line holding nothing is skipped.
Table Parse(std::string_view utf8, const std::string& file);

// One record with the fields quoted where needed, ended by CRLF (as Excel
// writes it).
std::string EncodeRecord(const std::vector<std::string>& fields);

}  // namespace cunzhang::csv

#endif  // CUNZHANG_CSV_H_
