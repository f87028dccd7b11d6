#include <boost/multiprecision/cpp_int.hpp>
#include <limits>

#include "cunzhang/money.h"

namespace cunzhang {
namespace {

constexpr size_t kIntegerDigitsMax = 15;

Status Overflow(const std::string& field) {
  return Status(Code::kInvalidInput, "数值溢出", "amount out of range", Where{.field = field});
}

}  // namespace

std::string FormatYuan(Fen fen) {
  return FormatFixedUnits(fen.value, 2);
}

Result<int64_t> ParseFixedUnits(std::string_view text, int scale, const std::string& field) {
  auto bad = [&](const char* zh, const char* en) {
    return Status(Code::kInvalidInput,
                  "“" + std::string(text) + "”" + zh,
                  "\"" + std::string(text) + "\" " + en, Where{.field = field});
  };
  size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && frac.empty())) {
    return bad("不是十进制数（例：11.5000）", "is not a decimal number (e.g. 11.5000)");
  }
  for (std::string_view part : {whole, frac}) {
    for (char c : part) {
      if (c < '0' || c > '9') return bad("不是十进制数（例：11.5000）", "is not a decimal number (e.g. 11.5000)");
    }
  }
  if (whole.size() > 1 && whole[0] == '0') return bad("有前导零", "has a leading zero");
  if (whole.size() > kIntegerDigitsMax) return bad("整数部分过长", "has too many integer digits");
  if (frac.size() > static_cast<size_t>(scale)) {
    return Status(Code::kInvalidInput,
                  "“" + std::string(text) + "”的小数位数超过 " + std::to_string(scale) + " 位",
                  "\"" + std::string(text) + "\" has more than " + std::to_string(scale) + " decimals",
                  Where{.field = field});
  }
  int64_t units = 0;
  for (char c : whole) units = units * 10 + (c - '0');
  for (int i = 0; i < scale; ++i) {
    units = units * 10 + (static_cast<size_t>(i) < frac.size() ? frac[static_cast<size_t>(i)] - '0' : 0);
  }
  return units;
}

std::string FormatFixedUnits(int64_t units, int scale) {
  bool negative = units < 0;
  // Work in unsigned to format INT64_MIN too.
  uint64_t u = negative ? ~static_cast<uint64_t>(units) + 1 : static_cast<uint64_t>(units);
  std::string digits = std::to_string(u);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale)) {
      digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  }
  return negative ? "-" + digits : digits;
}

Result<int64_t> CheckedAdd(int64_t a, int64_t b, const std::string& field) {
  int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return Overflow(field);
  return out;
}

Result<int64_t> CheckedSub(int64_t a, int64_t b, const std::string& field) {
  int64_t out = 0;
  if (__builtin_sub_overflow(a, b, &out)) return Overflow(field);
  return out;
}

Result<int64_t> MulDivFloor(int64_t a, int64_t b, int64_t c, const std::string& field) {
  using boost::multiprecision::int128_t;
  if (c <= 0) {
    return Status(Code::kInternal, "除数必须为正", "divisor must be positive", Where{.field = field});
  }
  int128_t n = int128_t(a) * int128_t(b);
  int128_t q = n / c;
  if (n % c != 0 && n < 0) q -= 1;  // floor, not truncation
  if (q > std::numeric_limits<int64_t>::max() || q < std::numeric_limits<int64_t>::min()) {
    return Overflow(field);
  }
  return static_cast<int64_t>(q);
}

}  // namespace cunzhang
