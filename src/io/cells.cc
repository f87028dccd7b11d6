#include "cells.h"

#include <array>

#include "cunzhang/money.h"

namespace cunzhang::io::cells {
namespace {

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";  // U+3000
constexpr std::string_view kNoBreakSpace = "\xC2\xA0";          // U+00A0

Status Bad(std::string_view text, const std::string& zh, const std::string& en) {
  return Status(Code::kInvalidInput, "“" + std::string(text) + "”" + zh,
                "\"" + std::string(text) + "\" " + en);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

bool RealDate(int y, int m, int d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= (m == 2 && leap ? 29 : kDays[m - 1]);
}

// Splits "2022/3/5", "2022年3月5日" etc. into three digit runs.
bool SplitDate(std::string_view t, std::array<std::string_view, 3>* parts) {
  static constexpr std::string_view kSeparators[] = {"-", "/", ".", "年", "月"};
  size_t i = 0;
  for (size_t p = 0; p < 3; ++p) {
    size_t start = i;
    while (i < t.size() && IsDigit(t[i])) ++i;
    (*parts)[p] = t.substr(start, i - start);
    if ((*parts)[p].empty()) return false;
    if (p == 2) break;
    bool found = false;
    for (std::string_view sep : kSeparators) {
      if (t.substr(i, sep.size()) == sep) {
        i += sep.size();
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  std::string_view rest = t.substr(i);
  return rest.empty() || rest == "日";
}

// "5,000,000.00" -> "5000000.00"; nullopt when the commas do not group by three.
std::optional<std::string> Ungroup(std::string_view t) {
  size_t dot = t.find('.');
  std::string_view whole = t.substr(0, dot);
  std::string out;
  size_t group = 0;
  bool first = true;
  for (size_t i = 0; i <= whole.size(); ++i) {
    if (i == whole.size() || whole[i] == ',') {
      if ((first && (group == 0 || group > 3)) || (!first && group != 3)) return std::nullopt;
      first = false;
      group = 0;
      continue;
    }
    out.push_back(whole[i]);
    ++group;
  }
  if (dot != std::string_view::npos) out.append(t.substr(dot));
  return out;
}

}  // namespace

std::string Trim(std::string_view t) {
  bool changed = true;
  while (changed && !t.empty()) {
    changed = false;
    for (std::string_view space : {std::string_view(" "), std::string_view("\t"),
                                   std::string_view("\n"), kIdeographicSpace, kNoBreakSpace}) {
      if (t.substr(0, space.size()) == space) {
        t.remove_prefix(space.size());
        changed = true;
      }
      if (t.size() >= space.size() && t.substr(t.size() - space.size()) == space) {
        t.remove_suffix(space.size());
        changed = true;
      }
    }
  }
  return std::string(t);
}

Result<std::string> ParseDate(std::string_view t) {
  std::array<std::string_view, 3> parts;
  bool split = t.size() == 8 && AllDigits(t);
  if (split) {
    parts = {t.substr(0, 4), t.substr(4, 2), t.substr(6, 2)};
  } else {
    split = SplitDate(t, &parts);
  }
  if (!split || parts[0].size() != 4 || parts[1].size() > 2 || parts[2].size() > 2) {
    return Bad(t, "不是日期（例：2022-03-05 或 2022/3/5）",
               "is not a date (e.g. 2022-03-05 or 2022/3/5)");
  }
  int y = std::stoi(std::string(parts[0]));
  int m = std::stoi(std::string(parts[1]));
  int d = std::stoi(std::string(parts[2]));
  if (!RealDate(y, m, d)) return Bad(t, "不是存在的日期", "is not a real date");
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
  return std::string(out);
}

Result<int64_t> ParseYuan(std::string_view t) {
  std::string_view text = t;
  for (std::string_view sign : {std::string_view("¥"), std::string_view("￥")}) {
    if (text.substr(0, sign.size()) == sign) text.remove_prefix(sign.size());
  }
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    return Bad(t, "不能带正负号；金额须为正数", "must have no sign; amounts are positive");
  }
  std::string plain(text);
  if (plain.find(',') != std::string::npos) {
    std::optional<std::string> ungrouped = Ungroup(text);
    if (!ungrouped) return Bad(t, "的千位分隔符位置不对", "has misplaced thousands separators");
    plain = *ungrouped;
  }
  Result<int64_t> fen = ParseFixedUnits(plain, 2, "");
  if (!fen.ok()) {
    if (plain.find('.') != std::string::npos && plain.size() - plain.find('.') > 3 &&
        AllDigits(plain.substr(plain.find('.') + 1))) {
      return Bad(t, "的小数超过两位：金额以元计最多到分（两位小数）",
                 "has more than two decimals: yuan go down to the fen (two decimals)");
    }
    return Bad(t, "不是金额（例：5000 或 5000.00，以元计）",
               "is not an amount (e.g. 5000 or 5000.00, in yuan)");
  }
  return fen;
}

Result<int64_t> ParseFen(std::string_view t) {
  if (!AllDigits(t) || (t.size() > 1 && t[0] == '0') || t.size() > 15) {
    return Bad(t, "不是以分计的整数金额（例：500000 表示 5000 元）",
               "is not a whole amount in fen (e.g. 500000 for 5000 yuan)");
  }
  return static_cast<int64_t>(std::stoll(std::string(t)));
}

Result<std::string> ParseDecimal(std::string_view t, int scale, int64_t* units) {
  Result<int64_t> parsed = ParseFixedUnits(t, scale, "");
  if (!parsed.ok()) {
    Status s = std::move(parsed).status();
    return Status(s.code(), s.zh(), s.en());
  }
  if (units != nullptr) *units = *parsed;
  return FormatFixedUnits(*parsed, scale);
}

Result<int64_t> ParseCount(std::string_view t) {
  if (!AllDigits(t) || (t.size() > 1 && t[0] == '0') || t.size() > 10 ||
      std::stoll(std::string(t)) > kCountMax) {
    return Bad(t, "不是人数（非负整数）", "is not a count (a whole number, 0 or more)");
  }
  return static_cast<int64_t>(std::stoll(std::string(t)));
}

Result<bool> ParseYesNo(std::string_view t) {
  std::string f = Fold(t);
  for (const char* yes : {"是", "yes", "y", "true", "1"}) {
    if (f == yes) return true;
  }
  for (const char* no : {"否", "no", "n", "false", "0"}) {
    if (f == no) return false;
  }
  return Bad(t, "应为“是”或“否”", "must be yes or no (是/否)");
}

std::string Fold(std::string_view text) {
  std::string t = Trim(text);
  std::string out;
  for (size_t i = 0; i < t.size(); ++i) {
    std::string_view rest = std::string_view(t).substr(i);
    if (rest.substr(0, 3) == "（") {
      out.push_back('(');
      i += 2;
    } else if (rest.substr(0, 3) == "）") {
      out.push_back(')');
      i += 2;
    } else if (t[i] >= 'A' && t[i] <= 'Z') {
      out.push_back(static_cast<char>(t[i] - 'A' + 'a'));
    } else if (t[i] != ' ') {
      out.push_back(t[i]);
    }
  }
  return out;
}

}  // namespace cunzhang::io::cells
