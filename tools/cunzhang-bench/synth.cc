#include "synth.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string_view>
#include <utility>

#include "cunzhang/hash.h"

namespace cunzhang::bench {
namespace {

using json::Value;

// The first entry is stamped at 2024-01-01T08:00:00+08:00; each later one
// kEntryIntervalSeconds after the one before.
constexpr int64_t kFirstDayCivil = 19723;  // days from 1970-01-01 to 2024-01-01
constexpr int64_t kFirstSecondOfDay = 8 * 3600;
constexpr uint64_t kEntryIntervalSeconds = 37;

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
    "东坡地", "河湾田", "老井旁", "后山坡地", "西洼水浇地", "村口菜地", "南岗旱地", "北滩地"};
// Land grades and the founding meeting's price per mu for each (fen).
constexpr std::array<std::string_view, 4> kGrades = {"一等", "二等", "三等", "四等"};
constexpr std::array<int64_t, 4> kFenPerMu = {800000, 650000, 500000, 350000};
constexpr std::array<std::string_view, 6> kProjects = {
    "修建农机库房", "水渠清淤", "机耕路平整", "晾晒场硬化", "玉米秸秆打捆", "育苗大棚搭建"};
constexpr std::array<std::string_view, 6> kMachines = {
    "东方红 LX904 拖拉机一台",   "1GQN-200 旋耕机一台",     "2BMYF-4 玉米免耕播种机一台",
    "4YZP-3 玉米联合收获机一台", "9YFQ-1.9 秸秆打捆机一台", "7CBX-5 农用三轮车一辆"};
constexpr std::array<std::string_view, 6> kNotes = {
    "本月入股凭证已按编号装订成册，原件存合作社档案柜，复印件张贴于村务公开栏，成员如有疑问可到便民"
    "服务中心查询核对。",
    "理事会核对了本批土地承包经营权证与二轮延包台账，地块四至与面积一致，已由成员本人签字按手印确认"
    "。",
    "农机作业服务收入暂存银行账户，待年终盈余分配方案经成员大会表决通过后再行分配，期间不得挪作他用"
    "。",
    "监事会抽查本月义务工工票二十张，出工日期、工种与带工人签字齐全，与考勤表一致，未发现重复记工"
    "。",
    "成员股金收据第二联已交本人，第三联随记账凭证归档；现金当日存入农信社，存款回单附后备查。",
    "根据成员大会决议，实物入股的农机由合作社统一调度、统一维护，评估报告与交接清单复印件附后。"};
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
  char buf[48];
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

// The shape of the history (synth.h): entries [0, kPreamble) found the
// cooperative; [kPreamble, kStream) are the kHouseholds households joining,
// each with its land; from kStream on, turns of kTurn entries of the
// village's business: contributions of labour, capital and now and then a
// machine, journal vouchers, notes, members' meetings, and reversals.
constexpr uint64_t kPreamble = 8;
constexpr uint64_t kHouseholds = 2000;
constexpr uint64_t kStream = kPreamble + 2 * kHouseholds;
constexpr uint64_t kTurn = 8;
constexpr uint64_t kFoundingMembers = 30;
// Members' meetings are held every kMeetingTurns turns; a machine is
// appraised and contributed every kMachineTurns turns (not in a meeting's
// turn); every kReversalTurns turns the capital contribution of the turn
// before is reversed (when neither happens in that turn).
constexpr uint64_t kMeetingTurns = 50;
constexpr uint64_t kMachineTurns = 64;
constexpr uint64_t kReversalTurns = 16;
// Contributions go to the households in turn (each slot from its own
// starting household), so over T turns each household receives at most
// ceil(T / kHouseholds) contributions of each slot: that bounds every
// member's capital, and so the history stays valid up to kSynthEntriesMax.
constexpr int64_t kRegisteredCapitalFen = 1'000'000'000;
constexpr uint64_t kCapitalYuanMax = 5'000;
constexpr uint64_t kLabourDaysMax = 20;
constexpr uint64_t kLabourYuanPerDayMax = 120;
constexpr uint64_t kMachineYuanMax = 80'000;
constexpr uint64_t kTurnsPerHouseholdMax = (kSynthEntriesMax / kTurn + kHouseholds - 1) / kHouseholds;
constexpr int64_t kMemberCapitalFenMax =
    15 * 800000 +  // the largest land contribution: 15 mu of grade 1
    static_cast<int64_t>(kTurnsPerHouseholdMax *
                             (2 * kLabourDaysMax * kLabourYuanPerDayMax + kCapitalYuanMax) * 100 +
                         (kTurnsPerHouseholdMax / kMachineTurns + 1) * kMachineYuanMax * 100);
static_assert(kMemberCapitalFenMax * 5 <= kRegisteredCapitalFen,
              "a member could pass the 20% cap of the registered capital");

constexpr const char* kFoundingResolution = "R-2024-001";

std::string LandRule(size_t grade) { return "land-" + std::to_string(grade + 1); }
std::string LabourRule(bool female) { return female ? "labour-f" : "labour-m"; }
std::string LabourCategory(bool female) { return female ? "女工" : "男工"; }
bool MeetingTurn(uint64_t turn) { return turn > 0 && turn % kMeetingTurns == 0; }
bool MachineTurn(uint64_t turn) { return turn % kMachineTurns == 0 && !MeetingTurn(turn); }
bool ReversalTurn(uint64_t turn) {
  return turn > 0 && turn % kReversalTurns == 1 && !MeetingTurn(turn) && !MachineTurn(turn);
}
std::string MeetingId(uint64_t turn) {
  return turn < kMeetingTurns ? kFoundingResolution : "R-" + Padded(turn - turn % kMeetingTurns, 6);
}
// The seq of entry `slot` of turn `turn`.
uint64_t StreamSeq(uint64_t turn, uint64_t slot) { return kStream + turn * kTurn + slot; }

// The household that makes the contribution in `slot` of `turn` (1-based).
uint64_t Household(uint64_t turn, uint64_t slot) {
  return 1 + (turn + slot * (kHouseholds / kTurn)) % kHouseholds;
}

Value Rule(const std::string& id, const std::string& kind, const std::string& from,
           const std::string& resolution, std::vector<json::Member> fields) {
  fields.emplace_back("effective_from", Str(from));
  fields.emplace_back("kind", Str(kind));
  fields.emplace_back("resolution_id", Str(resolution));
  fields.emplace_back("rule_id", Str(id));
  return Value::Object(std::move(fields));
}

Value Meeting(const std::string& id, const std::string& date, const std::string& subject,
              uint64_t members) {
  return Value::Object({{"body", Str("members_meeting")},
                        {"date", Str(date)},
                        {"in_favour", Int(members * 3 / 5 + 1)},
                        {"members_total", Int(members)},
                        {"present", Int(members * 3 / 4 + 1)},
                        {"resolution_id", Str(id)},
                        {"subject", Str(subject)}});
}

void Founding(uint64_t index, const std::string& date, EntryRequest* request) {
  if (index == 0) {
    request->type = "org.register";
    request->body = Value::Object({{"chart", Str("coop-2021")},
                                   {"founded", Str(date)},
                                   {"kind", Str("cooperative")},
                                   {"member_cap_bp", Int(2000)},
                                   {"name", Str("大新井村兴农农机专业合作社")},
                                   {"registered_capital_fen", Value::Int(kRegisteredCapitalFen)},
                                   {"share_price_fen", Int(100)}});
  } else if (index == 1) {
    request->type = "resolution.record";
    request->body =
        Meeting(kFoundingResolution, date,
                "设立大会：通过章程，每股 1 元，土地按等级每亩作价，义务工按工日单价折股",
                kFoundingMembers);
  } else if (index < 2 + kGrades.size()) {
    const size_t grade = index - 2;
    request->type = "valuation.rule";
    request->body = Rule(LandRule(grade), "land", date, kFoundingResolution,
                         {{"fen_per_mu", Value::Int(kFenPerMu[grade])},
                          {"grade", Str(std::string(kGrades[grade]))}});
  } else {
    const bool female = index == 2 + kGrades.size() + 1;
    request->type = "valuation.rule";
    request->body = Rule(
        LabourRule(female), "labour", date, kFoundingResolution,
        {{"category", Str(LabourCategory(female))}, {"fen_per_day", Int(female ? 8000 : 12000)}});
  }
}

Value MemberJoin(Rng& rng, uint64_t seed, uint64_t household, const std::string& date) {
  std::string head = PersonName(rng);
  return Value::Object({
      {"date", Str(date)},
      {"farmer", Value::Bool(rng.Below(20) != 0)},
      {"household", Str("大新井村" + std::string(rng.Pick(kGroups)) +
                        Padded(rng.Between(1, 80), 2) + "号 户主" + head)},
      {"id_commitment", Str(Sha256("bench/" + std::to_string(seed) + "/" + MemberId(household)).Hex())},
      {"kind", Str("household")},
      {"member_id", Str(MemberId(household))},
      {"name", Str(rng.Below(3) == 0 ? head : PersonName(rng))},
  });
}

Value LandContribution(Rng& rng, uint64_t household, const std::string& date) {
  const size_t grade = rng.Below(kGrades.size());
  return Value::Object({
      {"date", Str(date)},
      {"debit_account", Str("161")},  // 无形资产: the land management right
      {"grade", Str(std::string(kGrades[grade]))},
      {"member_id", Str(MemberId(household))},
      {"mu", Str(Mu(rng.Between(5000, 150000)))},  // 0.5 to 15 mu
      {"parcel", Str("1504260" + Padded(rng.Between(1, 6), 2) + Padded(rng.Below(100000), 5) +
                     "J " + std::string(rng.Pick(kParcels)))},
      {"rule_id", Str(LandRule(grade))},
  });
}

Value CapitalContribution(Rng& rng, uint64_t household, const std::string& date) {
  return Value::Object({
      {"amount_fen", Int(rng.Between(1, kCapitalYuanMax / 100 - 1) * 10000 + rng.Below(100) * 100)},
      {"date", Str(date)},
      {"debit_account", Str(rng.Below(4) == 0 ? "101" : "102")},  // cash or bank
      {"member_id", Str(MemberId(household))},
  });
}

Value LabourContribution(Rng& rng, uint64_t household, const std::string& date) {
  const bool female = rng.Below(2) == 0;
  return Value::Object({
      {"category", Str(LabourCategory(female))},
      {"date", Str(date)},
      {"debit_account", Str("401")},  // 生产成本: work on the cooperative's projects
      {"member_id", Str(MemberId(household))},
      {"rule_id", Str(LabourRule(female))},
      {"workdays", Str(std::to_string(rng.Between(1, kLabourDaysMax - 1)) + "." +
                       (rng.Below(2) == 0 ? "00" : "50"))},
  });
}

std::string MachineRule(uint64_t turn) { return "goods-" + Padded(turn, 6); }

Value MachineAppraisal(Rng& rng, uint64_t turn, const std::string& date) {
  return Rule(MachineRule(turn), "goods_appraisal", date, MeetingId(turn),
              {{"description",
                Str(std::string(rng.Pick(kMachines)) + "（" + Padded(rng.Between(2012, 2023), 4) +
                    " 年购，评估小组三人现场查验，成员大会授权作价）")},
               {"value_fen", Int(rng.Between(5, kMachineYuanMax / 1000) * 100000)}});
}

Value MachineContribution(uint64_t turn, uint64_t household, const std::string& date) {
  return Value::Object({{"date", Str(date)},
                        {"debit_account", Str("151")},  // 固定资产
                        {"member_id", Str(MemberId(household))},
                        {"rule_id", Str(MachineRule(turn))}});
}

// Two different remarks of kNotes, then who handled and checked them.
Value Note(Rng& rng, uint64_t household, const std::string& date) {
  const size_t first = rng.Below(kNotes.size());
  const size_t second = (first + 1 + rng.Below(kNotes.size() - 1)) % kNotes.size();
  return Value::Object(
      {{"ref",
        Str("记-" + date.substr(0, 7) + "-" + Padded(rng.Below(1000), 4) + " " + MemberId(household))},
       {"text", Str(std::string(kNotes[first]) + std::string(kNotes[second]) + "（经办：" +
                    PersonName(rng) + "，复核：" + PersonName(rng) + "，监事：" + PersonName(rng) +
                    "；项目：" + std::string(rng.Pick(kProjects)) + "）")}});
}

Value Line(const char* account, const char* side, uint64_t fen) {
  return Value::Object({{"account", Str(account)}, {side, Int(fen)}});
}

// A journal voucher of the cooperative's own business: machine-work income
// into the bank, or fuel and repairs, or office costs paid out.
Value Journal(Rng& rng, uint64_t kind, uint64_t household, const std::string& date) {
  const uint64_t fen = rng.Between(50, 3000) * 100 + rng.Below(100);
  std::string memo;
  const char* debit = "102";
  const char* credit = "501";
  if (kind == 0) {
    memo = "农机作业服务收入：为" + std::string(rng.Pick(kGroups)) + MemberId(household) + "户" +
           std::string(rng.Pick(kProjects)) + "，机耕 " + std::to_string(rng.Between(2, 60)) +
           " 亩，款已转入农信社账户";
  } else if (kind == 1) {
    memo = "经营支出：购柴油 " + std::to_string(rng.Between(50, 800)) + " 升、更换旋耕刀片，发票 " +
           Padded(rng.Below(100000000), 8) + " 号，经办" + PersonName(rng);
    debit = "521";
    credit = "101";
  } else {
    memo = "管理费用：" + std::string(rng.Pick(kProjects)) + "期间办公用品及会议误餐，经理事会审批";
    debit = "522";
    credit = "102";
  }
  return Value::Object({{"date", Str(date)},
                        {"lines", Value::Array({Line(debit, "debit_fen", fen),
                                                Line(credit, "credit_fen", fen)})},
                        {"memo", Str(memo)}});
}

Value Reversal(uint64_t turn, const std::string& date) {
  return Value::Object({{"date", Str(date)},
                        {"reason", Str("成员申请撤回第 " + std::to_string(turn - 1) +
                                       " 轮的现金入股，经理事会同意，款已退回")},
                        {"seq", Int(StreamSeq(turn - 1, 2))}});
}

// Entry `slot` of turn `turn` (synth.h).
void TurnEntry(Rng& rng, uint64_t turn, uint64_t slot, const std::string& date,
               EntryRequest* request) {
  auto set = [request](const char* type, Value body) {
    request->type = type;
    request->body = std::move(body);
  };
  const uint64_t household = Household(turn, slot);
  switch (slot) {
    case 0:
    case 5:
      return set("contribution.labour", LabourContribution(rng, household, date));
    case 1:
      return set("books.journal", Journal(rng, 0, household, date));
    case 2:
      return set("contribution.capital", CapitalContribution(rng, household, date));
    case 3:
      return set("note", Note(rng, household, date));
    case 4:
      return set("books.journal", Journal(rng, 1, household, date));
    case 6:
      if (MeetingTurn(turn)) {
        return set("resolution.record",
                   Meeting(MeetingId(turn), date,
                           "成员大会：审议本季度入股情况，授权评估小组对成员入股农机作价",
                           kHouseholds));
      }
      if (MachineTurn(turn)) return set("valuation.rule", MachineAppraisal(rng, turn, date));
      if (ReversalTurn(turn)) return set("entry.reverse", Reversal(turn, date));
      return set("note", Note(rng, household, date));
    default:
      if (MachineTurn(turn))
        return set("contribution.goods", MachineContribution(turn, Household(turn / kMachineTurns, slot), date));
      return set("books.journal", Journal(rng, 2, household, date));
  }
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
  const std::string date = Date(day);
  if (index < kPreamble) {
    Founding(index, date, &request);
  } else if (index < kStream) {
    const uint64_t household = (index - kPreamble) / 2 + 1;
    if ((index - kPreamble) % 2 == 0) {
      request.type = "member.join";
      request.body = MemberJoin(rng, seed_, household, date);
    } else {
      request.type = "contribution.land";
      request.body = LandContribution(rng, household, date);
    }
  } else {
    const uint64_t j = index - kStream;
    TurnEntry(rng, j / kTurn, j % kTurn, date, &request);
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
