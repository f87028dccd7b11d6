// Reading the accountant's input files: one JSON entry request, or a batch as
// JSON Lines. Every bad line is reported, with file, line, column and field.
#ifndef CUNZHANG_CLI_INPUT_H_
#define CUNZHANG_CLI_INPUT_H_

#include <string>
#include <string_view>
#include <vector>

#include "cunzhang/entry.h"
#include "cunzhang/status.h"

namespace cunzhang::cli {

enum class InputFormat { kAuto, kJson, kJsonl };

struct RequestBatch {
  std::vector<EntryRequest> requests;
  std::vector<int64_t> lines;   // line where each request starts
  std::vector<Status> errors;   // every problem found; nothing may be written if non-empty
};

// Reads a whole file ("-" = standard input), at most limits::kInputDocumentBytesMax.
Result<std::string> ReadInput(const std::string& path);

// Parses requests. kAuto: a single JSON value (which may span lines) when the
// text holds exactly one, otherwise JSON Lines. A UTF-8 byte order mark is
// skipped. `display_name` names the file in errors. Operators missing from a
// request are filled from `default_operator` when its name is set.
RequestBatch ParseRequests(std::string_view text, InputFormat format, const std::string& display_name,
                           const Operator& default_operator);

}  // namespace cunzhang::cli

#endif  // CUNZHANG_CLI_INPUT_H_
