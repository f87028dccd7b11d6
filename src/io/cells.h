// Reading one cell of an imported sheet: dates as Chinese Excel writes them,
// yuan with at most two decimals converted exactly to fen, fixed-scale
// decimals, counts, yes/no. Errors (kInvalidInput) say what is wrong with the
// text; the caller adds the file, line, column and column name.
// Private to src/io.
#ifndef CUNZHANG_IO_CELLS_H_
#define CUNZHANG_IO_CELLS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "cunzhang/status.h"

namespace cunzhang::io::cells {

inline constexpr int64_t kCountMax = 1'000'000'000;

// Without leading and trailing white space (ASCII, U+3000 ideographic space,
// U+00A0 no-break space).
std::string Trim(std::string_view text);

// "2022-03-05", "2022-3-5", "2022/3/5", "2022.3.5", "2022年3月5日", "20220305"
// -> "2022-03-05". Years 1900 to 2999; the day must exist.
Result<std::string> ParseDate(std::string_view text);

// Yuan -> fen, exactly: "5000", "5000.5", "5000.00", "5,000.00", "¥5000".
// At most two decimals; no sign.
Result<int64_t> ParseYuan(std::string_view text);

// Whole fen: "500000" (digits only, no leading zero).
Result<int64_t> ParseFen(std::string_view text);

// A non-negative decimal with at most `scale` decimals, returned with exactly
// `scale` decimals ("11" -> "11.0000" for scale 4). `units` receives its value
// in 10^-scale units when given.
Result<std::string> ParseDecimal(std::string_view text, int scale, int64_t* units = nullptr);

// A whole count 0..kCountMax.
Result<int64_t> ParseCount(std::string_view text);

// 是/否, yes/no, true/false, y/n, 1/0.
Result<bool> ParseYesNo(std::string_view text);

// A header or choice name folded for comparison: trimmed, full-width
// parentheses as ASCII, ASCII letters lower-cased, spaces removed.
std::string Fold(std::string_view text);

}  // namespace cunzhang::io::cells

#endif  // CUNZHANG_IO_CELLS_H_
