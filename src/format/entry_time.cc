// RFC 3339 date-time with a numeric offset or Z (docs/FORMAT.md §3.2):
//   YYYY-MM-DDTHH:MM:SS[.F{1,9}](Z|+HH:MM|-HH:MM)
// 'T' and 'Z' upper case; seconds 00-59 (no leap second).
#include <ctime>

#include "cunzhang/entry.h"

namespace cunzhang {
namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

Status TimeError(std::string_view value, const char* zh_detail, const char* en_detail) {
  return Status(Code::kInvalidInput,
                std::string("时间“") + std::string(value) + "”不是带时区的 RFC 3339 时间：" +
                    zh_detail + "（例：2026-11-25T09:30:00+08:00）",
                "time \"" + std::string(value) + "\" is not an RFC 3339 date-time with offset: " +
                    en_detail + " (e.g. 2026-11-25T09:30:00+08:00)",
                Where{.field = "time"});
}

}  // namespace

Status CheckTime(std::string_view t) {
  int year, month, day, hour, minute, second;
  if (t.size() > 64) return TimeError(t.substr(0, 64), "过长", "too long");
  if (!Digits(t, 0, 4, &year) || t.size() < 20 || t[4] != '-' || !Digits(t, 5, 2, &month) ||
      t[7] != '-' || !Digits(t, 8, 2, &day) || t[10] != 'T' || !Digits(t, 11, 2, &hour) ||
      t[13] != ':' || !Digits(t, 14, 2, &minute) || t[16] != ':' || !Digits(t, 17, 2, &second)) {
    return TimeError(t, "格式不对", "wrong layout");
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) ||
      hour > 23 || minute > 59 || second > 59) {
    return TimeError(t, "日期或时刻超出范围", "date or time of day out of range");
  }
  size_t pos = 19;
  if (pos < t.size() && t[pos] == '.') {
    size_t start = ++pos;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') ++pos;
    if (pos == start || pos - start > 9) {
      return TimeError(t, "秒的小数部分须为 1 到 9 位", "fraction of a second must have 1 to 9 digits");
    }
  }
  if (pos < t.size() && t[pos] == 'Z') {
    if (pos + 1 == t.size()) return Status::Ok();
    return TimeError(t, "时区之后有多余字符", "characters after the offset");
  }
  int oh, om;
  if (pos + 6 != t.size() || (t[pos] != '+' && t[pos] != '-') || !Digits(t, pos + 1, 2, &oh) ||
      t[pos + 3] != ':' || !Digits(t, pos + 4, 2, &om)) {
    return TimeError(t, "缺少时区（Z 或 ±HH:MM）", "missing or malformed offset (Z or ±HH:MM)");
  }
  if (oh > 23 || om > 59) return TimeError(t, "时区超出范围", "offset out of range");
  return Status::Ok();
}

std::string NowRfc3339() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buf[40];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &local);
  std::string out(buf, n);
  // strftime's %z is "+0800"; RFC 3339 wants "+08:00".
  if (out.size() >= 5) out.insert(out.size() - 2, ":");
  return out;
}

}  // namespace cunzhang
