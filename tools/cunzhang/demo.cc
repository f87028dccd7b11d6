// `cunzhang demo`: the whole flow on built-in data, modelled on the Xingnong
// farm-machinery cooperative of Daxinjing village (../shared/DOMAIN.md):
// create a ledger, append a batch, retry it, prove, export, verify, and show
// the verifier catching a one-byte change.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "cunzhang/export.h"
#include "cunzhang/json.h"
#include "cunzhang/merkle.h"
#include "cunzhang/store.h"
#include "cunzhang/verify.h"
#include "exit_codes.h"

namespace cunzhang::tool {
namespace {

constexpr const char* kOrigin = "cunzhang.example/wengniute/daxinjing";

struct Household {
  const char* head;
  int members;
  const char* land_mu;  // fixed scale, 4 decimals
  int64_t capital_fen;
};

// Thirty households; the first holds the 11 mu of the reported case.
constexpr Household kHouseholds[] = {
    {"王秀英", 4, "11.0000", 500000}, {"李建国", 5, "8.5000", 300000},  {"张桂兰", 3, "6.2500", 0},
    {"刘志强", 6, "12.0000", 1000000}, {"陈淑珍", 2, "4.0000", 0},      {"杨振华", 4, "9.7500", 200000},
    {"赵凤英", 3, "7.0000", 0},       {"黄海军", 5, "10.5000", 800000}, {"周玉兰", 4, "5.2500", 0},
    {"吴国庆", 3, "6.0000", 150000},  {"徐春梅", 2, "3.5000", 0},      {"孙德胜", 6, "13.2500", 600000},
    {"胡秀云", 4, "8.0000", 0},       {"朱永福", 3, "7.5000", 100000},  {"高丽华", 5, "9.0000", 0},
    {"林宝山", 4, "10.0000", 400000}, {"何桂芝", 2, "2.7500", 0},      {"郭明亮", 5, "11.5000", 250000},
    {"马淑兰", 3, "6.5000", 0},       {"罗长青", 4, "8.2500", 0},       {"梁玉珍", 3, "5.0000", 120000},
    {"宋宝林", 6, "14.0000", 900000}, {"郑翠花", 2, "3.0000", 0},      {"谢文华", 4, "7.7500", 0},
    {"韩金山", 5, "9.5000", 300000},  {"唐秀芳", 3, "6.7500", 0},      {"冯志刚", 4, "8.7500", 0},
    {"于凤兰", 2, "4.5000", 80000},   {"董振国", 5, "10.2500", 0},      {"包·巴特尔", 4, "12.5000", 500000},
};

json::Value Str(const std::string& s) { return json::Value::String(s); }
json::Value Int(int64_t i) { return json::Value::Int(i); }

std::string Line(const std::string& type, const std::string& id, json::Value body, const std::string& time) {
  return json::Canonical(json::Value::Object({{"body", std::move(body)},
                                              {"idempotency_id", Str(id)},
                                              {"time", Str(time)},
                                              {"type", Str(type)}})) +
         "\n";
}

// The demo's input, as an accountant's JSON Lines import file.
std::string DemoInput() {
  std::string out;
  out += Line("org.register", "daxinjing-2022-org",
              json::Value::Object({{"kind", Str("cooperative")},
                                   {"name", Str("大新井村兴农农机专业合作社")},
                                   {"share_price_fen", Int(100)}}),
              "2022-03-01T09:00:00+08:00");
  int n = 0;
  for (const Household& h : kHouseholds) {
    ++n;
    char id[32];
    std::snprintf(id, sizeof id, "M%03d", n);
    out += Line("member.join", std::string("join-") + id,
                json::Value::Object({{"household_size", Int(h.members)},
                                     {"kind", Str("household")},
                                     {"member_id", Str(id)},
                                     {"name", Str(h.head)}}),
                "2022-03-05T10:00:00+08:00");
    out += Line("contribution.land", std::string("land-") + id,
                json::Value::Object({{"grade", Str("一等")}, {"member_id", Str(id)}, {"mu", Str(h.land_mu)}}),
                "2022-03-10T10:00:00+08:00");
    if (h.capital_fen > 0) {
      out += Line("contribution.capital", std::string("capital-") + id,
                  json::Value::Object({{"amount_fen", Int(h.capital_fen)}, {"member_id", Str(id)}}),
                  "2022-03-10T11:00:00+08:00");
    }
  }
  return out;
}

void Heading(const Context& ctx, const char* zh, const char* en) {
  std::cout << "\n== " << cli::Tr(ctx.lang, zh, en) << " ==\n";
}

Result<std::string> DemoDir(const std::string& requested) {
  if (!requested.empty()) {
    std::error_code ec;
    if (std::filesystem::exists(requested, ec) && !std::filesystem::is_empty(requested, ec)) {
      return Status(Code::kConflict, "演示目录已存在且不为空", "the demo directory exists and is not empty",
                    Where{.file = requested});
    }
    std::filesystem::create_directories(requested, ec);
    if (ec) {
      return Status(Code::kIo, "无法创建演示目录", "cannot create the demo directory: " + ec.message(),
                    Where{.file = requested});
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

}  // namespace

int CmdDemo(const Context& ctx, const std::string& requested_dir) {
  auto dir = DemoDir(requested_dir);
  if (!dir.ok()) return Fail(ctx, dir.status());
  std::string ledger_dir = *dir + "/ledger";
  std::string input_file = *dir + "/daxinjing-2022.jsonl";
  std::string bundle_dir = *dir + "/bundle";
  std::ofstream(input_file) << DemoInput();

  Heading(ctx, "1. 新建账本", "1. Create the ledger");
  if (int rc = CmdInit(ctx, ledger_dir, kOrigin); rc != cli::kExitOk) return rc;

  Heading(ctx, "2. 导入大新井村兴农农机专业合作社的成员与出资（一批，原子写入）",
          "2. Import the Daxinjing Xingnong cooperative's members and contributions (one atomic batch)");
  AppendArgs append{.ledger = ledger_dir, .input = input_file, .op = {"会计 李红梅", "accountant"}};
  if (int rc = CmdAppend(ctx, append); rc != cli::kExitOk) return rc;

  Heading(ctx, "3. 重复导入同一文件：幂等，不会重复记账", "3. Import the same file again: idempotent, nothing doubled");
  if (int rc = CmdAppend(ctx, append); rc != cli::kExitOk) return rc;

  Heading(ctx, "4. 王秀英（11 亩）的条目", "4. Wang Xiuying's entries (11 mu)");
  if (int rc = CmdLog(ctx, LogArgs{.ledger = ledger_dir, .from = 1, .to = 4}); rc != cli::kExitOk) return rc;

  Heading(ctx, "5. 根哈希与证明", "5. Root hash and proofs");
  if (int rc = CmdRoot(ctx, ledger_dir, std::nullopt); rc != cli::kExitOk) return rc;
  std::cout << cli::Tr(ctx.lang, "条目 2 的包含证明：\n", "inclusion proof of entry 2:\n");
  if (int rc = CmdProveInclusion(ctx, ledger_dir, 2, std::nullopt); rc != cli::kExitOk) return rc;
  std::cout << cli::Tr(ctx.lang, "前 10 条与全账本的一致性证明：\n", "consistency proof from 10 entries to all:\n");
  if (int rc = CmdProveConsistency(ctx, ledger_dir, 10, std::nullopt); rc != cli::kExitOk) return rc;

  Heading(ctx, "6. 导出审计包", "6. Export the bundle for the township auditor");
  if (int rc = CmdExport(ctx, ledger_dir, bundle_dir); rc != cli::kExitOk) return rc;

  Heading(ctx, "7. 审计员离线校验", "7. The auditor verifies it offline");
  verify::Report report = verify::VerifyBundle(bundle_dir, verify::Options{.expected_origin = kOrigin});
  std::cout << verify::ReportToText(report, cli::LangCode(ctx.lang));
  if (!report.ok()) return cli::kExitVerifyFailed;

  Heading(ctx, "8. 有人改了一个字节：校验器当场发现", "8. Someone changes one byte: the verifier catches it");
  std::string tampered_dir = *dir + "/bundle-tampered";
  std::filesystem::copy(bundle_dir, tampered_dir);
  std::string entries_path = tampered_dir + "/entries.jsonl";
  std::string bytes;
  {
    std::ifstream in(entries_path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    bytes = ss.str();
  }
  // Wang Xiuying's capital: 500000 fen becomes 900000 fen.
  size_t at = bytes.find("\"amount_fen\":500000");
  if (at != std::string::npos) bytes[at + 13] = '9';
  std::ofstream(entries_path, std::ios::binary | std::ios::trunc) << bytes;
  std::cout << cli::Tr(ctx.lang, "在包的副本里把条目 3（王秀英的出资）的 500000 分改成 900000 分：\n",
                       "in a copy of the bundle, entry 3 (Wang Xiuying's capital) goes from 500000 to "
                       "900000 fen:\n");
  verify::Report bad = verify::VerifyBundle(tampered_dir, verify::Options{.expected_origin = kOrigin});
  std::cout << verify::ReportToText(bad, cli::LangCode(ctx.lang));
  if (bad.ok()) return cli::kExitInternal;  // the demo must show the fault being caught

  std::cout << "\n" << cli::Tr(ctx.lang, "演示完成。文件在 ", "Demo complete. Files are in ") << *dir << "\n";
  return cli::kExitOk;
}

}  // namespace cunzhang::tool
