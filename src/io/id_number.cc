// GB 11643-1999 resident ID numbers and their salted commitments.
#include <string>

#include "cunzhang/hash.h"
#include "cunzhang/registry.h"

namespace cunzhang {
namespace {

constexpr size_t kIdNumberChars = 18;
constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheckChars[] = "10X98765432";

Status Bad(std::string_view text, const std::string& zh, const std::string& en) {
  return Status(Code::kInvalidInput, "身份证号“" + std::string(text) + "”" + zh,
                "ID number \"" + std::string(text) + "\" " + en);
}

bool RealBirthDate(std::string_view digits8) {
  int y = std::stoi(std::string(digits8.substr(0, 4)));
  int m = std::stoi(std::string(digits8.substr(4, 2)));
  int d = std::stoi(std::string(digits8.substr(6, 2)));
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1880 || m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= (m == 2 && leap ? 29 : kDays[m - 1]);
}

}  // namespace

Result<std::string> CheckIdNumber(std::string_view text) {
  if (text.size() == 15) {
    return Bad(text, "是旧的 15 位号码；请填写 18 位身份证号",
               "is an old 15-digit number; give the 18-character number");
  }
  if (text.size() != kIdNumberChars) {
    return Bad(text, "应为 18 位（17 位数字加 1 位校验码）",
               "must be 18 characters (17 digits and a check character)");
  }
  std::string id(text);
  if (id[17] == 'x') id[17] = 'X';
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    if (id[i] < '0' || id[i] > '9')
      return Bad(text, "前 17 位须是数字", "must start with 17 digits");
    sum += (id[i] - '0') * kWeights[i];
  }
  if (!((id[17] >= '0' && id[17] <= '9') || id[17] == 'X')) {
    return Bad(text, "第 18 位须是数字或 X", "must end in a digit or X");
  }
  if (!RealBirthDate(std::string_view(id).substr(6, 8))) {
    return Bad(text, "中的出生日期（第 7 至 14 位）不是有效日期",
               "holds no real birth date in characters 7 to 14");
  }
  char expected = kCheckChars[sum % 11];
  if (id[17] != expected) {
    return Bad(text, std::string("的校验码不对（应为 ") + expected + "），请核对是否抄错",
               std::string("has the wrong check character (expected ") + expected +
                   "); check for a copying mistake");
  }
  return id;
}

std::string IdCommitment(std::string_view salt_bytes, std::string_view id_number) {
  std::string data(salt_bytes);
  data.append(id_number);
  return Sha256(data).Hex();
}

}  // namespace cunzhang
