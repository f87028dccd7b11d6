// cunzhang: the village accountant's command line.
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.h"
#include "exit_codes.h"
#include "i18n.h"
#include "io_commands.h"
#include "usage.h"

namespace {

using cunzhang::cli::Lang;
using cunzhang::cli::Tr;
namespace tool = cunzhang::tool;

struct Args {
  tool::Context ctx;
  std::string lang;
  std::string ledger;
  std::string origin;
  std::string out;
  std::string format = "auto";
  std::string op_name;
  std::string op_role = "accountant";
  tool::AppendArgs append;
  tool::LogArgs log;
  uint64_t seq = 0;
  std::optional<uint64_t> size;
  uint64_t size1 = 0;
  std::optional<uint64_t> size2;
  std::string demo_dir;
  tool::IoArgs io;
  int result = 0;
};

const char* kExitCodes[2] = {
    "退出码：0 成功；1 校验发现问题；2 命令行用法错误；3 输入有误（未写入）；4 违反业务规则（未写入）；"
    "5 账本、条目或文件不存在；6 幂等冲突或账本已存在；7 账本被另一个写入进程占用；8 账本损坏；10 读写失败或内部错误",
    "Exit codes: 0 success; 1 verification found faults; 2 usage error; 3 bad input (nothing written); "
    "4 business rule violated (nothing written); 5 no such ledger, entry or file; 6 idempotency conflict "
    "or ledger exists; 7 ledger in use by another writer; 8 ledger damaged; 10 I/O failure or internal error"};

void AddLedger(CLI::App* cmd, Args* a, Lang lang) {
  cmd->add_option("ledger", a->ledger, Tr(lang, "账本目录", "ledger directory"))->required();
}

void BuildApp(CLI::App& app, Args& a, Lang lang) {
  app.description(Tr(lang,
                      "村账：村集体与合作社的防篡改账本（只追加、哈希链、Merkle 证明）",
                      "Cunzhang: a tamper-evident ledger for village collectives and cooperatives "
                      "(append-only, hash-chained, Merkle proofs)"));
  app.footer(kExitCodes[lang == Lang::kZh ? 0 : 1]);
  app.set_help_flag("-h,--help", Tr(lang, "显示帮助", "show help"));
  app.add_option("--lang", a.lang, Tr(lang, "界面语言：zh 或 en（默认随系统语言环境）",
                                      "language: zh or en (default: from the locale)"))
      ->check(CLI::IsMember({"zh", "en"}));
  app.add_flag("--json", a.ctx.json, Tr(lang, "输出 JSON", "print JSON"));
  app.require_subcommand(1);
  app.fallthrough();  // --lang and --json may follow the subcommand

  auto* init = app.add_subcommand("init", Tr(lang, "新建账本", "create a new ledger"));
  AddLedger(init, &a, lang);
  init->add_option("--origin", a.origin,
                   Tr(lang, "账本名（如 cunzhang.example/daxinjing）",
                      "origin name (e.g. cunzhang.example/daxinjing)"))->required();
  init->callback([&] { a.result = (tool::CmdInit(a.ctx, a.ledger, a.origin)); });

  auto* append = app.add_subcommand(
      "append", Tr(lang, "追加条目：一个 JSON 条目，或一批 JSON Lines（整批原子写入）",
                   "append entries: one JSON entry, or a JSON Lines batch (atomic)"));
  AddLedger(append, &a, lang);
  append->add_option("input", a.append.input, Tr(lang, "输入文件，- 表示标准输入（默认）",
                                                  "input file, - for standard input (default)"));
  append->add_option("--format", a.format, Tr(lang, "输入格式：auto、json、jsonl", "input format: auto, json, jsonl"))
      ->check(CLI::IsMember({"auto", "json", "jsonl"}));
  append->add_option("--operator", a.op_name, Tr(lang, "操作人姓名（条目未写时使用）",
                                                  "operator name (for entries that name none)"));
  append->add_option("--role", a.op_role, Tr(lang, "操作人角色（默认 accountant）",
                                              "operator role (default accountant)"));
  append->add_option("--commit-every", a.append.commit_every,
                     Tr(lang, "每 N 条提交一次（默认整批一次提交）",
                        "commit every N entries (default: the whole input at once)"));
  append->add_flag("--dry-run", a.append.dry_run, Tr(lang, "只检查，不写入", "check only, write nothing"));
  append->callback([&] {
    a.append.ledger = a.ledger;
    a.append.format = a.format == "json"    ? cunzhang::cli::InputFormat::kJson
                      : a.format == "jsonl" ? cunzhang::cli::InputFormat::kJsonl
                                            : cunzhang::cli::InputFormat::kAuto;
    if (!a.op_name.empty()) a.append.op = {a.op_name, a.op_role};
    a.result = (tool::CmdAppend(a.ctx, a.append));
  });

  auto* log = app.add_subcommand("log", Tr(lang, "查看条目：按序号、范围或类型", "show entries by seq, range or type"));
  AddLedger(log, &a, lang);
  log->add_option("--seq", a.log.seq, Tr(lang, "一个序号", "one sequence number"));
  log->add_option("--from", a.log.from, Tr(lang, "起始序号（含）", "first seq (inclusive)"));
  log->add_option("--to", a.log.to, Tr(lang, "结束序号（不含）", "last seq (exclusive)"));
  log->add_option("--type", a.log.type, Tr(lang, "只看此类型", "only this entry type"));
  log->add_flag("--raw", a.log.raw, Tr(lang, "输出原始规范字节，每行一条", "print the exact canonical bytes, one per line"));
  log->callback([&] {
    a.log.ledger = a.ledger;
    a.result = (tool::CmdLog(a.ctx, a.log));
  });

  auto* root = app.add_subcommand("root", Tr(lang, "显示条数与根哈希", "show the size and root hash"));
  AddLedger(root, &a, lang);
  root->add_option("--size", a.size, Tr(lang, "某一历史大小时的根", "root at an earlier size"));
  root->callback([&] { a.result = (tool::CmdRoot(a.ctx, a.ledger, a.size)); });

  auto* prove = app.add_subcommand("prove", Tr(lang, "生成证明（JSON）", "produce a proof (JSON)"));
  prove->require_subcommand(1);
  auto* incl = prove->add_subcommand("inclusion", Tr(lang, "包含证明：某条目在树中", "inclusion proof of one entry"));
  AddLedger(incl, &a, lang);
  incl->add_option("seq", a.seq, Tr(lang, "条目序号", "entry seq"))->required();
  incl->add_option("--size", a.size, Tr(lang, "树的大小（默认当前）", "tree size (default: current)"));
  incl->callback([&] { a.result = (tool::CmdProveInclusion(a.ctx, a.ledger, a.seq, a.size)); });
  auto* cons = prove->add_subcommand("consistency", Tr(lang, "一致性证明：大树只是小树的追加",
                                                      "consistency proof: the larger tree extends the smaller"));
  AddLedger(cons, &a, lang);
  cons->add_option("size1", a.size1, Tr(lang, "较早的大小", "earlier size"))->required();
  cons->add_option("size2", a.size2, Tr(lang, "较晚的大小（默认当前）", "later size (default: current)"));
  cons->callback([&] { a.result = (tool::CmdProveConsistency(a.ctx, a.ledger, a.size1, a.size2)); });

  auto* exp = app.add_subcommand("export", Tr(lang, "导出审计包（条目 JSON Lines + 清单）",
                                             "export a bundle for the auditor (entries as JSON Lines + manifest)"));
  AddLedger(exp, &a, lang);
  exp->add_option("out", a.out, Tr(lang, "输出目录（须不存在或为空）", "output directory (must not exist or be empty)"))
      ->required();
  exp->callback([&] { a.result = (tool::CmdExport(a.ctx, a.ledger, a.out)); });

  auto* demo = app.add_subcommand("demo", Tr(lang, "用内置示例数据演示全流程", "run the whole flow on built-in demo data"));
  demo->add_option("dir", a.demo_dir, Tr(lang, "演示目录（默认新建临时目录）", "demo directory (default: a new temporary one)"));
  demo->callback([&] { a.result = (tool::CmdDemo(a.ctx, a.demo_dir)); });

  tool::AddIoCommands(app, a.io, a.ctx, a.result, lang);
}

}  // namespace

int main(int argc, char** argv) {
  Lang lang = cunzhang::cli::DetectLang(argc, argv);
  CLI::App app{"cunzhang"};
  Args a;
  a.ctx.lang = lang;
  BuildApp(app, a, lang);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cunzhang::cli::ExitForParseError(app, e, lang);
  }
  return a.result;
}
