#include "synth.h"

#include <array>
#include <cstdio>
#include <string_view>
#include <utility>

namespace cunzhang::bench {
namespace {

using json::Value;

// The first entry is stamped at 2024-01-01T08:00:00+08:00; each later one
// kEntryIntervalSeconds after the one before.
constexpr int64_t kFirstDayCivil = 19723;  // days from 1970-01-01 to 2024-01-01
constexpr int64_t kFirstSecondOfDay = 8 * 3600;
constexpr uint64_t kEntryIntervalSeconds = 37;
constexpr uint64_t kMembersPerHousehold = 4;

// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose output is the
// same on every platform, unlike the standard library's distributions.
class Rng {
 public:
  explicit Rng(uint64_t state) : state_(state) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, n) for synthetic data; REQUIRES n > 0.
  uint64_t Below(uint64_t n) { return Next() % n; }
  uint64_t Between(uint64_t lo, uint64_t hi) { return lo + Below(hi - lo + 1); }
  template <typename T, size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[Below(N)];
  }

 private:
  uint64_t state_;
};

constexpr std::array<std::string_view, 24> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
    "胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "欧阳"};
constexpr std::array<std::string_view, 32> kGiven = {
    "秀", "英", "建", "国", "明", "华", "玉", "兰", "志", "强", "春", "梅", "海", "军", "丽", "芳",
    "伟", "红", "平", "桂", "金", "凤", "德", "福", "永", "生", "文", "霞", "宝", "成", "婷", "勇"};
constexpr std::array<std::string_view, 6> kGroups = {"一组", "二组", "三组",
                                                     "四组", "五组", "六组"};
constexpr std::array<std::string_view, 8> kParcels = {
    "东坡地", "河湾田", "老井旁", "后山林地", "西洼水田", "村口菜地", "南岗旱地", "柿子园"};
constexpr std::array<std::string_view, 4> kGrades = {"一等", "二等", "三等", "四等"};
constexpr std::array<std::string_view, 6> kProjects = {"修建村道（二期）", "水渠清淤",
                                                       "猕猴桃园剪枝",     "合作社仓库翻新",
                                                       "茶园除草施肥",     "光伏板清洁维护"};
constexpr std::array<std::string_view, 8> kTasks = {"清理路基", "铺设碎石", "搬运水泥", "挖沟排水",
                                                    "修剪枝条", "施有机肥", "登记工具", "看护工地"};
constexpr std::array<std::string_view, 3> kMethods = {"bank_transfer", "cash", "wechat_pay"};
constexpr std::array<std::string_view, 4> kPurposes = {"合作社启动资金", "购置冷库设备",
                                                       "修建晾晒场", "采购有机肥"};
constexpr std::array<std::string_view, 4> kOperators = {"张会计", "李出纳", "王文书", "陈主任"};
constexpr std::array<std::string_view, 4> kOperatorRoleOf = {"accountant", "clerk", "clerk",
                                                             "admin"};

Value Str(std::string s) { return Value::String(std::move(s)); }
Value Int(uint64_t i) { return Value::Int(static_cast<int64_t>(i)); }

std::string Padded(uint64_t n, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llu", width, static_cast<unsigned long long>(n));
  return buf;
}

std::string PersonName(Rng& rng) {
  std::string name(rng.Pick(kSurnames));
  name += rng.Pick(kGiven);
  if (rng.Below(4) != 0) name += rng.Pick(kGiven);
  return name;
}

// Howard Hinnant's civil_from_days: a day count since 1970-01-01 as y-m-d.
struct Civil {
  int64_t year;
  unsigned month;
  unsigned day;
};
Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const uint64_t doe = static_cast<uint64_t>(z - era * 146097);
  const uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const uint64_t mp = (5 * doy + 2) / 153;
  const unsigned d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const unsigned m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

std::string Date(int64_t days) {
  Civil c = CivilFromDays(days);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month,
                c.day);
  return buf;
}

// The local (UTC+8) time of entry `index`, and its day number.
std::string EntryTime(uint64_t index, int64_t* day) {
  const uint64_t seconds = static_cast<uint64_t>(kFirstSecondOfDay) + index * kEntryIntervalSeconds;
  *day = kFirstDayCivil + static_cast<int64_t>(seconds / 86400);
  const uint64_t s = seconds % 86400;
  char buf[16];
  std::snprintf(
      buf, sizeof buf, "T%02llu:%02llu:%02llu+08:00", static_cast<unsigned long long>(s / 3600),
      static_cast<unsigned long long>(s / 60 % 60), static_cast<unsigned long long>(s % 60));
  return Date(*day) + buf;
}

// Land in mu with four decimals, as the ledger writes it: "11.0000".
std::string Mu(uint64_t ten_thousandths) {
  return std::to_string(ten_thousandths / 10000) + "." + Padded(ten_thousandths % 10000, 4);
}

std::string MemberId(uint64_t n) { return "M-" + Padded(n, 6); }

// A member who has joined before entry `index` (about one entry in seven is a join).
uint64_t KnownMember(Rng& rng, uint64_t index) { return rng.Below(index / 7 + 1); }

Value MemberJoin(Rng& rng, uint64_t index, int64_t day) {
  const uint64_t member = index / 7;
  const uint64_t household = member / kMembersPerHousehold;
  std::string head = PersonName(rng);
  return Value::Object({
      {"household", Value::Object({{"address", Str("大新井村" + std::string(rng.Pick(kGroups)) +
                                                   std::to_string(rng.Between(1, 80)) + "号")},
                                   {"head", Str(head)},
                                   {"id", Str("H-" + Padded(household, 5))},
                                   {"members", Int(rng.Between(1, 7))}})},
      {"id_card_tail", Str(Padded(rng.Below(10000), 4))},
      {"joined_on", Str(Date(day))},
      {"member_id", Str(MemberId(member))},
      {"name", Str(rng.Below(3) == 0 ? head : PersonName(rng))},
      {"phone_tail", Str(Padded(rng.Below(10000), 4))},
      {"qualification", Str(rng.Below(5) == 0 ? "新增成员" : "原始成员")},
      {"shares", Value::Object({{"count", Int(rng.Between(1, 3))}, {"kind", Str("成员股")}})},
      {"witness", Str(PersonName(rng))},
  });
}

Value LandContribution(Rng& rng, uint64_t index, int64_t day) {
  const uint64_t mu = rng.Between(5000, 150000);  // 0.5 to 15 mu
  const uint64_t fen_per_mu = rng.Between(60000, 150000);
  return Value::Object({
      {"certificate", Str("农村土地承包经营权证 " + Padded(rng.Between(2016, 2019), 4) + "-" +
                          Padded(rng.Below(10000), 4))},
      {"contract_from", Str(Date(day))},
      {"grade", Str(std::string(rng.Pick(kGrades)))},
      {"member_id", Str(MemberId(KnownMember(rng, index)))},
      {"mu", Str(Mu(mu))},
      {"parcel", Value::Object({{"id", Str("P-" + Padded(rng.Between(1, 6), 2) + "-" +
                                           Padded(rng.Below(1000), 4))},
                                {"location", Str(std::string(rng.Pick(kGroups)) + "，靠水渠")},
                                {"name", Str(std::string(rng.Pick(kParcels)))}})},
      {"term_years", Int(rng.Pick(std::array<uint64_t, 3>{10, 15, 30}))},
      {"valuation_fen", Int(mu * fen_per_mu / 10000)},
      {"witness", Str(PersonName(rng))},
  });
}

Value CapitalContribution(Rng& rng, uint64_t index, int64_t day) {
  return Value::Object({
      {"account", Str("农信社 6217 **** " + Padded(rng.Below(10000), 4))},
      {"amount_fen", Int(rng.Between(1, 2000) * 10000 + rng.Below(100) * 100)},
      {"member_id", Str(MemberId(KnownMember(rng, index)))},
      {"method", Str(std::string(rng.Pick(kMethods)))},
      {"purpose", Str(std::string(rng.Pick(kPurposes)))},
      {"receipt", Str("R-" + Date(day).substr(0, 4) + "-" + Padded(index, 7))},
      {"received_on", Str(Date(day))},
      {"witness", Str(PersonName(rng))},
  });
}

Value LabourRecord(Rng& rng, uint64_t index, int64_t day) {
  const uint64_t days = rng.Between(1, 20);
  const uint64_t points_per_day = rng.Pick(std::array<uint64_t, 3>{8, 10, 12});
  std::vector<Value> tasks;
  for (uint64_t i = rng.Between(1, 3); i > 0; --i)
    tasks.push_back(Str(std::string(rng.Pick(kTasks))));
  return Value::Object({
      {"date_from", Str(Date(day - static_cast<int64_t>(days)))},
      {"date_to", Str(Date(day))},
      {"days", Int(days)},
      {"member_id", Str(MemberId(KnownMember(rng, index)))},
      {"points", Int(days * points_per_day)},
      {"points_per_day", Int(points_per_day)},
      {"project", Str(std::string(rng.Pick(kProjects)))},
      {"supervisor", Str(PersonName(rng))},
      {"tasks", Value::Array(std::move(tasks))},
  });
}

Value DividendPayment(Rng& rng, uint64_t index, int64_t day) {
  const uint64_t capital_fen = rng.Between(1, 500) * 10000;
  const uint64_t land = rng.Between(5000, 150000);
  const uint64_t points = rng.Between(10, 3000);
  return Value::Object({
      {"amount_fen", Int(capital_fen / 20 + land * 3 + points * 150)},
      {"approved_by", Str("成员大会决议 " + Date(day - 30))},
      {"basis", Value::Object({{"capital_fen", Int(capital_fen)},
                               {"labour_points", Int(points)},
                               {"land_mu", Str(Mu(land))}})},
      {"fiscal_year", Int(static_cast<uint64_t>(CivilFromDays(day).year) - 1)},
      {"member_id", Str(MemberId(KnownMember(rng, index)))},
      {"method", Str(std::string(rng.Pick(kMethods)))},
      {"paid_on", Str(Date(day))},
  });
}

}  // namespace

EntryRequest Village::Request(uint64_t index) const {
  Rng rng(seed_ * 0x9E3779B97F4A7C15ULL ^ (index + 1) * 0xD1B54A32D192ED03ULL);
  EntryRequest request;
  int64_t day = 0;
  request.time = EntryTime(index, &day);
  request.idempotency_id = "bench-" + std::to_string(seed_) + "-" + Padded(index, 9);
  const size_t who = rng.Below(kOperators.size());
  request.op =
      Operator{.name = std::string(kOperators[who]), .role = std::string(kOperatorRoleOf[who])};
  // Every seventh entry is a join, so the member count grows with the ledger.
  const uint64_t slot = index % 7;
  if (slot == 0) {
    request.type = "member.join";
    request.body = MemberJoin(rng, index, day);
  } else if (slot == 1) {
    request.type = "land.contribute";
    request.body = LandContribution(rng, index, day);
  } else if (slot <= 3) {
    request.type = "capital.contribute";
    request.body = CapitalContribution(rng, index, day);
  } else if (slot <= 5) {
    request.type = "labour.record";
    request.body = LabourRecord(rng, index, day);
  } else {
    request.type = "dividend.pay";
    request.body = DividendPayment(rng, index, day);
  }
  return request;
}

std::vector<EntryRequest> Village::Batch(uint64_t first, uint64_t count) const {
  std::vector<EntryRequest> batch;
  batch.reserve(count);
  for (uint64_t i = first; i < first + count; ++i) batch.push_back(Request(i));
  return batch;
}

}  // namespace cunzhang::bench
