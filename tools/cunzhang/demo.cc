// `cunzhang demo`: the whole flow on built-in data, modelled on the Xingnong
// farm-machinery cooperative of Daxinjing village (../shared/DOMAIN.md): the
// cooperative registered with its share price, the founding members' meeting
// and the valuation rules it adopted (land per mu by grade, labour day rates,
// appraisals of a tractor and a tiller), thirty households joining with their
// ID numbers kept in the local registry, contributions of all four kinds, one
// household with 11 mu of land. Then: retry the import (nothing doubled), look
// a villager up at the counter and print her statement, prove, export, verify,
// and show the verifier catching a one-byte change.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "commands.h"
#include "cunzhang/json.h"
#include "cunzhang/registry.h"
#include "cunzhang/verify.h"
#include "exit_codes.h"
#include "io_commands.h"

namespace cunzhang::tool {
namespace {

constexpr const char* kOrigin = "cunzhang.example/wengniute/daxinjing";
constexpr const char* kFounded = "2022-03-01";
constexpr const char* kRulesFrom = "2022-03-05";    // valuation rules in force, members join
constexpr const char* kContributed = "2022-03-10";  // land and capital handed in
constexpr const char* kAppraised = "2022-03-20";    // the second meeting appraises the machines
constexpr const char* kLabourDone = "2022-04-30";   // the machinery shed built with members' labour
constexpr const char* kRegion = "150426";           // Wengniute Banner, Chifeng (GB/T 2260)

struct Household {
  const char* head;
  bool female;
  const char* group;    // 村民小组
  const char* land_mu;  // fixed scale, 4 decimals
  int grade;            // land grade 1..3
  int64_t capital_fen;
};

// Thirty households; the first holds the 11 mu of the reported case.
constexpr Household kHouseholds[] = {
    {"王秀英", true, "一组", "11.0000", 1, 500000},
    {"李建国", false, "一组", "8.5000", 1, 300000},
    {"张桂兰", true, "一组", "6.2500", 2, 0},
    {"刘志强", false, "一组", "12.0000", 1, 1000000},
    {"陈淑珍", true, "一组", "4.0000", 3, 0},
    {"杨振华", false, "二组", "9.7500", 1, 200000},
    {"赵凤英", true, "二组", "7.0000", 2, 0},
    {"黄海军", false, "二组", "10.5000", 1, 800000},
    {"周玉兰", true, "二组", "5.2500", 2, 0},
    {"吴国庆", false, "二组", "6.0000", 2, 150000},
    {"徐春梅", true, "三组", "3.5000", 3, 0},
    {"孙德胜", false, "三组", "13.2500", 1, 600000},
    {"胡秀云", true, "三组", "8.0000", 1, 0},
    {"朱永福", false, "三组", "7.5000", 2, 100000},
    {"高丽华", true, "三组", "9.0000", 1, 0},
    {"林宝山", false, "四组", "10.0000", 1, 400000},
    {"何桂芝", true, "四组", "2.7500", 3, 0},
    {"郭明亮", false, "四组", "11.5000", 1, 250000},
    {"马淑兰", true, "四组", "6.5000", 2, 0},
    {"罗长青", false, "四组", "8.2500", 2, 0},
    {"梁玉珍", true, "五组", "5.0000", 2, 120000},
    {"宋宝林", false, "五组", "14.0000", 1, 900000},
    {"郑翠花", true, "五组", "3.0000", 3, 0},
    {"谢文华", false, "五组", "7.7500", 2, 0},
    {"韩金山", false, "五组", "9.5000", 1, 300000},
    {"唐秀芳", true, "六组", "6.7500", 2, 0},
    {"冯志刚", false, "六组", "8.7500", 1, 0},
    {"于凤兰", true, "六组", "4.5000", 3, 80000},
    {"董振国", false, "六组", "10.2500", 1, 0},
    {"包·巴特尔", false, "六组", "12.5000", 1, 500000},
};
constexpr int kHouseholdCount = static_cast<int>(std::size(kHouseholds));

// Land price per mu by grade, as the founding meeting adopted it.
constexpr int64_t kFenPerMu[] = {800000, 650000, 500000};

// Machines appraised by the second meeting (no receipt: DOMAIN.md), each
// contributed by one household.
struct Appraisal {
  int household;  // 1-based
  const char* rule_id;
  const char* description;
  int64_t value_fen;
};
constexpr Appraisal kAppraisals[] = {
    {4, "goods-tractor-M004", "东方红 LX904 拖拉机一台（2019 年购，九成新）", 6'800'000},
    {12, "goods-tiller-M012", "1GQN-200 旋耕机一台（2020 年购）", 1'200'000},
};

// Workdays on the machinery shed, by work ticket (工票).
struct LabourDays {
  int household;  // 1-based; the category follows the worker
  const char* workdays;
};
constexpr LabourDays kLabour[] = {
    {2, "30.00"}, {3, "25.50"}, {5, "18.00"}, {8, "42.50"}, {21, "12.00"}};

json::Value Str(const std::string& s) { return json::Value::String(s); }
json::Value Int(int64_t i) { return json::Value::Int(i); }

std::string MemberId(int n) {
  char id[16];
  std::snprintf(id, sizeof id, "M%03d", n);
  return id;
}

std::string GradeName(int grade) { return grade == 1 ? "一等" : grade == 2 ? "二等" : "三等"; }
std::string LandRule(int grade) { return "land-" + std::to_string(grade) + "-2022"; }
const char* LabourCategory(bool female) { return female ? "女工" : "男工"; }
const char* LabourRule(bool female) { return female ? "labour-f-2022" : "labour-m-2022"; }

// A fictitious resident ID number that passes the GB 11643 check: region,
// birth date, a sequence number (odd for men, even for women), check digit.
std::string FakeIdNumber(int n, bool female) {
  char body[64];
  std::snprintf(body, sizeof body, "%s%04d%02d%02d%02d%d", kRegion, 1948 + (n * 7) % 30, 1 + n % 12,
                1 + (n * 5) % 28, n % 100, female ? 2 * (n % 5) : 2 * (n % 5) + 1);
  static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
  return std::string(body, 17) + "10X98765432"[sum % 11];
}

std::string Line(const std::string& type, const std::string& id, json::Value body,
                 const std::string& date, const char* clock = "10:00:00") {
  return json::Canonical(json::Value::Object({{"body", std::move(body)},
                                              {"idempotency_id", Str(id)},
                                              {"time", Str(date + "T" + clock + "+08:00")},
                                              {"type", Str(type)}})) +
         "\n";
}

json::Value Resolution(const std::string& id, const std::string& date, const std::string& subject,
                       int present, int in_favour) {
  return json::Value::Object({{"body", Str("members_meeting")},
                              {"date", Str(date)},
                              {"in_favour", Int(in_favour)},
                              {"members_total", Int(kHouseholdCount)},
                              {"present", Int(present)},
                              {"resolution_id", Str(id)},
                              {"subject", Str(subject)}});
}

json::Value Rule(const std::string& id, const std::string& kind, const std::string& from,
                 const std::string& resolution, std::vector<json::Member> fields) {
  fields.emplace_back("effective_from", Str(from));
  fields.emplace_back("kind", Str(kind));
  fields.emplace_back("resolution_id", Str(resolution));
  fields.emplace_back("rule_id", Str(id));
  return json::Value::Object(std::move(fields));
}

// The cooperative, its founding meeting and the valuation rules it adopted.
std::string Founding() {
  std::string out = Line("org.register", "daxinjing-2022-org",
                         json::Value::Object({{"chart", Str("coop-2021")},
                                              {"founded", Str(kFounded)},
                                              {"kind", Str("cooperative")},
                                              {"member_cap_bp", Int(2000)},
                                              {"name", Str("大新井村兴农农机专业合作社")},
                                              {"registered_capital_fen", Int(300'000'000)},
                                              {"share_price_fen", Int(100)}}),
                         kFounded, "09:00:00");
  out += Line(
      "resolution.record", "daxinjing-2022-R01",
      Resolution("R2022-01", kFounded,
                 "设立大会：通过章程、每股 1 元、土地按等级每亩作价、义务工按工日单价折股", 29, 28),
      kFounded, "11:00:00");
  for (int grade = 1; grade <= 3; ++grade) {
    out += Line("valuation.rule", "daxinjing-2022-" + LandRule(grade),
                Rule(LandRule(grade), "land", kRulesFrom, "R2022-01",
                     {{"fen_per_mu", Int(kFenPerMu[grade - 1])}, {"grade", Str(GradeName(grade))}}),
                kRulesFrom, "08:00:00");
  }
  // The day rates as the village's own table has them (DOMAIN.md): recorded, not endorsed.
  for (bool female : {false, true}) {
    out += Line("valuation.rule", std::string("daxinjing-2022-") + LabourRule(female),
                Rule(LabourRule(female), "labour", kRulesFrom, "R2022-01",
                     {{"category", Str(LabourCategory(female))},
                      {"fen_per_day", Int(female ? 8000 : 12000)}}),
                kRulesFrom, "08:00:00");
  }
  return out;
}

// Each household joins (only the commitment to its head's ID number), then
// hands in its land and, for some, capital.
std::string Households(const std::vector<std::string>& commitments) {
  std::string out;
  for (int n = 1; n <= kHouseholdCount; ++n) {
    const Household& h = kHouseholds[n - 1];
    const std::string id = MemberId(n);
    out += Line("member.join", "join-" + id,
                json::Value::Object({{"date", Str(kRulesFrom)},
                                     {"farmer", json::Value::Bool(true)},
                                     {"household", Str(std::string("大新井村") + h.group)},
                                     {"id_commitment", Str(commitments[n - 1])},
                                     {"kind", Str("household")},
                                     {"member_id", Str(id)},
                                     {"name", Str(h.head)}}),
                kRulesFrom);
    out += Line("contribution.land", "land-" + id,
                json::Value::Object({{"date", Str(kContributed)},
                                     {"grade", Str(GradeName(h.grade))},
                                     {"member_id", Str(id)},
                                     {"mu", Str(h.land_mu)},
                                     {"parcel", Str("1504260012" + std::to_string(100 + n) + "J")},
                                     {"rule_id", Str(LandRule(h.grade))}}),
                kContributed);
    if (h.capital_fen > 0) {
      out += Line("contribution.capital", "capital-" + id,
                  json::Value::Object({{"amount_fen", Int(h.capital_fen)},
                                       {"date", Str(kContributed)},
                                       {"member_id", Str(id)}}),
                  kContributed, "11:00:00");
    }
  }
  return out;
}

// The second meeting appraises two machines; their owners contribute them.
std::string Machines() {
  std::string out =
      Line("resolution.record", "daxinjing-2022-R02",
           Resolution("R2022-02", kAppraised, "评估成员以农机入股的作价", 26, 25), kAppraised);
  for (const Appraisal& a : kAppraisals) {
    out += Line("valuation.rule", std::string("daxinjing-2022-") + a.rule_id,
                Rule(a.rule_id, "goods_appraisal", kAppraised, "R2022-02",
                     {{"description", Str(a.description)}, {"value_fen", Int(a.value_fen)}}),
                kAppraised, "11:00:00");
  }
  for (const Appraisal& a : kAppraisals) {
    out += Line("contribution.goods", "goods-" + MemberId(a.household),
                json::Value::Object({{"date", Str("2022-03-25")},
                                     {"member_id", Str(MemberId(a.household))},
                                     {"rule_id", Str(a.rule_id)}}),
                "2022-03-25");
  }
  return out;
}

// Members' workdays on the machinery shed, converted at the day rates.
std::string Labour() {
  std::string out;
  for (const LabourDays& l : kLabour) {
    const bool female = kHouseholds[l.household - 1].female;
    out += Line("contribution.labour", "labour-" + MemberId(l.household),
                json::Value::Object({{"category", Str(LabourCategory(female))},
                                     {"date", Str(kLabourDone)},
                                     {"member_id", Str(MemberId(l.household))},
                                     {"rule_id", Str(LabourRule(female))},
                                     {"workdays", Str(l.workdays)}}),
                kLabourDone, "17:00:00");
  }
  out += Line("note", "daxinjing-2022-note-shed",
              json::Value::Object(
                  {{"ref", Str("R2022-01")},
                   {"text", Str("农机库房完工，义务工按工票（男工 120 元/日，女工 80 元/日，"
                                "照录村里原表）折股入账")}}),
              kLabourDone, "18:00:00");
  return out;
}

// The heads' fictitious ID numbers go into the local registry beside the
// ledger; the entries carry only the salted commitments it returns.
Result<std::vector<std::string>> RegisterIdNumbers(const std::string& ledger_dir) {
  CZ_ASSIGN_OR_RETURN(IdRegistry registry, IdRegistry::Open(ledger_dir));
  std::vector<std::string> commitments;
  for (int n = 1; n <= kHouseholdCount; ++n) {
    CZ_ASSIGN_OR_RETURN(std::string number,
                        CheckIdNumber(FakeIdNumber(n, kHouseholds[n - 1].female)));
    CZ_ASSIGN_OR_RETURN(IdRecord record, registry.Create(MemberId(n), number));
    commitments.push_back(record.Commitment());
  }
  CZ_RETURN_IF_ERROR(registry.Flush());
  return commitments;
}

void Heading(const Context& ctx, const char* zh, const char* en) {
  std::cout << "\n== " << cli::Tr(ctx.lang, zh, en) << " ==\n";
}

Result<std::string> DemoDir(const std::string& requested) {
  if (!requested.empty()) {
    std::error_code ec;
    if (std::filesystem::exists(requested, ec) && !std::filesystem::is_empty(requested, ec)) {
      return Status(Code::kConflict, "演示目录已存在且不为空",
                    "the demo directory exists and is not empty", Where{.file = requested});
    }
    std::filesystem::create_directories(requested, ec);
    if (ec) {
      return Status(Code::kIo, "无法创建演示目录",
                    "cannot create the demo directory: " + ec.message(), Where{.file = requested});
    }
    return requested;
  }
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/cunzhang-demo-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    return Status(Code::kIo, "无法创建演示目录", "cannot create the demo directory");
  }
  return tmpl;
}

// Line number (1-based) of the first line of `text` holding `needle`, or 0.
size_t LineOf(const std::string& text, const std::string& needle) {
  size_t at = text.find(needle);
  if (at == std::string::npos) return 0;
  return 1 +
         static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

// Raises Wang Xiuying's capital from 500000 to 900000 fen in a copy of the
// bundle and verifies the copy; the verifier must catch it.
int Tamper(const Context& ctx, const std::string& bundle_dir, const std::string& tampered_dir) {
  std::filesystem::copy(bundle_dir, tampered_dir);
  std::string entries_path = tampered_dir + "/entries.jsonl";
  std::string bytes;
  {
    std::ifstream in(entries_path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    bytes = ss.str();
  }
  const std::string target = "\"amount_fen\":500000,\"date\":\"2022-03-10\",\"member_id\":\"M001\"";
  size_t at = bytes.find(target);
  if (at == std::string::npos) return cli::kExitInternal;
  size_t line = LineOf(bytes, target);
  bytes[at + 13] = '9';
  std::ofstream(entries_path, std::ios::binary | std::ios::trunc) << bytes;
  std::cout << cli::Tr(ctx.lang, "在包的副本里把条目 ", "in a copy of the bundle, entry ")
            << line - 1
            << cli::Tr(ctx.lang, "（王秀英的股金）的 500000 分改成 900000 分：\n",
                       " (Wang Xiuying's capital) goes from 500000 to 900000 fen:\n");
  verify::Report bad =
      verify::VerifyBundle(tampered_dir, verify::Options{.expected_origin = kOrigin});
  std::cout << verify::ReportToText(bad, cli::LangCode(ctx.lang));
  return bad.ok() ? cli::kExitInternal : cli::kExitOk;  // the demo must show the fault being caught
}

// Steps 1 to 4: the ledger, the registry, the import and its retry.
int Record(const Context& ctx, const std::string& dir, const std::string& ledger_dir) {
  Heading(ctx, "1. 新建账本", "1. Create the ledger");
  if (int rc = CmdInit(ctx, ledger_dir, kOrigin); rc != cli::kExitOk) return rc;

  Heading(ctx, "2. 30 户户主的身份证号存入账本旁的本地登记簿（账本里只有加盐哈希承诺）",
          "2. The 30 household heads' ID numbers go into the local registry beside the ledger "
          "(the ledger holds only salted commitments)");
  auto commitments = RegisterIdNumbers(ledger_dir);
  if (!commitments.ok()) return Fail(ctx, commitments.status());
  std::cout << cli::Tr(ctx.lang, "已登记 ", "registered ") << commitments->size()
            << cli::Tr(ctx.lang, " 个身份证号（均为虚构，仅校验位有效）\n",
                       " ID numbers (fictitious; only their check digits are real)\n");
  std::string input_file = dir + "/daxinjing-2022.jsonl";
  std::ofstream(input_file) << Founding() << Households(*commitments) << Machines() << Labour();

  Heading(
      ctx,
      "3. 导入合作社登记、成立大会决议、作价规则、成员与四类入股（一批，原子写入，逐条过规则）",
      "3. Import the registration, the founding resolution, the valuation rules, the members and "
      "their four kinds of contribution (one atomic batch, every entry checked by the rules)");
  AppendArgs append{.ledger = ledger_dir, .input = input_file, .op = {"会计 李红梅", "accountant"}};
  if (int rc = CmdAppend(ctx, append); rc != cli::kExitOk) return rc;

  Heading(ctx, "4. 重复导入同一文件：幂等，不会重复记账",
          "4. Import the same file again: idempotent, nothing doubled");
  return CmdAppend(ctx, append);
}

// Steps 5 and 6: the counter, and the proofs.
int Counter(const Context& ctx, const std::string& ledger_dir) {
  Heading(
      ctx, "5. 便民服务中心：王秀英凭身份证号查询，打印她的对账单（11 亩一等地）",
      "5. At the service counter: Wang Xiuying is found by her ID number and gets her statement "
      "(11 mu of grade-1 land)");
  if (int rc = CmdLookup(ctx, ledger_dir, FakeIdNumber(1, kHouseholds[0].female));
      rc != cli::kExitOk)
    return rc;
  std::cout << "\n";
  if (int rc = CmdStatement(ctx, ledger_dir, MemberId(1)); rc != cli::kExitOk) return rc;

  Heading(ctx, "6. 根哈希与证明", "6. Root hash and proofs");
  if (int rc = CmdRoot(ctx, ledger_dir, std::nullopt); rc != cli::kExitOk) return rc;
  constexpr uint64_t kWangLand = 8;  // org, resolution, 5 rules, her join, then her land
  std::cout << cli::Tr(ctx.lang, "条目 8（王秀英的土地入股）的包含证明：\n",
                       "inclusion proof of entry 8 (Wang Xiuying's land):\n");
  if (int rc = CmdProveInclusion(ctx, ledger_dir, kWangLand, std::nullopt); rc != cli::kExitOk)
    return rc;
  std::cout << cli::Tr(ctx.lang, "前 10 条与全账本的一致性证明：\n",
                       "consistency proof from 10 entries to all:\n");
  return CmdProveConsistency(ctx, ledger_dir, 10, std::nullopt);
}

}  // namespace

int CmdDemo(const Context& ctx, const std::string& requested_dir) {
  auto dir = DemoDir(requested_dir);
  if (!dir.ok()) return Fail(ctx, dir.status());
  std::string ledger_dir = *dir + "/ledger";
  std::string bundle_dir = *dir + "/bundle";

  if (int rc = Record(ctx, *dir, ledger_dir); rc != cli::kExitOk) return rc;
  if (int rc = Counter(ctx, ledger_dir); rc != cli::kExitOk) return rc;

  Heading(ctx, "7. 导出审计包", "7. Export the bundle for the township auditor");
  if (int rc = CmdExport(ctx, ledger_dir, bundle_dir); rc != cli::kExitOk) return rc;

  Heading(ctx, "8. 审计员离线校验：哈希链、Merkle 树，并用同一套规则重放每一条",
          "8. The auditor verifies it offline: the hash chain, the Merkle tree, and every entry "
          "replayed through the same rules");
  verify::Report report =
      verify::VerifyBundle(bundle_dir, verify::Options{.expected_origin = kOrigin});
  std::cout << verify::ReportToText(report, cli::LangCode(ctx.lang));
  if (!report.ok()) return cli::kExitVerifyFailed;

  Heading(ctx, "9. 有人改了一个字节：校验器当场发现",
          "9. Someone changes one byte: the verifier catches it");
  if (int rc = Tamper(ctx, bundle_dir, *dir + "/bundle-tampered"); rc != cli::kExitOk) return rc;

  std::cout << "\n"
            << cli::Tr(ctx.lang, "演示完成。文件在 ", "Demo complete. Files are in ") << *dir
            << "\n";
  return cli::kExitOk;
}

}  // namespace cunzhang::tool
