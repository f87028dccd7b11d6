// Exact quantities: money in fen, and fixed-scale decimals for land (mu),
// shares and workdays. No floating point anywhere an amount flows. Every
// operation that could overflow is checked and returns an error instead.
#ifndef CUNZHANG_MONEY_H_
#define CUNZHANG_MONEY_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cunzhang/status.h"

namespace cunzhang {

// An amount of money as an integer count of fen (分; 100 fen = 1 yuan).
struct Fen {
  int64_t value = 0;
  friend auto operator<=>(const Fen&, const Fen&) = default;
};

// "1234.56" (yuan with two decimals; a leading '-' when negative).
std::string FormatYuan(Fen fen);

// A decimal with exactly `Scale` fractional digits, held as an integer count
// of 10^-Scale units. `Tag` keeps mu, shares and workdays apart.
template <int Scale, typename Tag>
struct Fixed {
  static constexpr int kScale = Scale;
  static constexpr int64_t kOne = [] {
    int64_t one = 1;
    for (int i = 0; i < Scale; ++i) one *= 10;
    return one;
  }();
  int64_t units = 0;
  friend auto operator<=>(const Fixed&, const Fixed&) = default;
};

struct MuTag {};
struct ShareTag {};
struct WorkdayTag {};
using Mu = Fixed<4, MuTag>;              // land area, 0.0001 mu
using Shares = Fixed<4, ShareTag>;       // share quantity, 0.0001 share
using Workdays = Fixed<2, WorkdayTag>;   // labour, 0.01 workday

// Parses a non-negative decimal string with at most `scale` fractional digits
// ("11", "11.5", "11.5000"); no sign, no exponent, no leading zeros ("011"),
// at most 15 integer digits. Errors name `field`.
Result<int64_t> ParseFixedUnits(std::string_view text, int scale, const std::string& field);
// The decimal string with exactly `scale` fractional digits.
std::string FormatFixedUnits(int64_t units, int scale);

template <typename T>
Result<T> ParseFixed(std::string_view text, const std::string& field) {
  CZ_ASSIGN_OR_RETURN(int64_t units, ParseFixedUnits(text, T::kScale, field));
  return T{units};
}
template <typename T>
std::string FormatFixed(T value) {
  return FormatFixedUnits(value.units, T::kScale);
}

// Checked integer arithmetic (kInvalidInput naming `field` on overflow).
Result<int64_t> CheckedAdd(int64_t a, int64_t b, const std::string& field);
Result<int64_t> CheckedSub(int64_t a, int64_t b, const std::string& field);
// floor(a * b / c) computed exactly (128-bit intermediate). REQUIRES c > 0.
Result<int64_t> MulDivFloor(int64_t a, int64_t b, int64_t c, const std::string& field);

}  // namespace cunzhang

#endif  // CUNZHANG_MONEY_H_
