#include "io_commands.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "cunzhang/import.h"
#include "cunzhang/json.h"
#include "cunzhang/money.h"
#include "cunzhang/registry.h"
#include "cunzhang/report.h"
#include "cunzhang/statement.h"
#include "cunzhang/store.h"
#include "exit_codes.h"
#include "input.h"

namespace cunzhang::tool {
namespace {

using cli::Tr;
using json::Value;

bool English(const Context& ctx) { return ctx.lang == cli::Lang::kEn; }

void PrintJson(const Value& v) { std::cout << json::Canonical(v) << "\n"; }

csv::Encoding EncodingFrom(const std::string& name) {
  if (name == "utf-8") return csv::Encoding::kUtf8;
  if (name == "gb18030") return csv::Encoding::kGb18030;
  return csv::Encoding::kAuto;
}

Operator ImportOperator(const ImportArgs& args) {
  std::string name = args.op_name;
  if (name.empty()) {
    const char* user = std::getenv("USER");
    name = user != nullptr && *user != '\0' ? user : "accountant";
  }
  return Operator{.name = name, .role = args.op_role};
}

// Every error of a plan, in file order, then the count.
int ReportPlanErrors(const Context& ctx, std::vector<Status> errors) {
  std::stable_sort(errors.begin(), errors.end(), [](const Status& a, const Status& b) {
    return std::pair(a.where().line, a.where().column) <
           std::pair(b.where().line, b.where().column);
  });
  for (const Status& s : errors) std::cerr << cli::FormatError(s, ctx.lang);
  const std::string n = std::to_string(errors.size());
  std::cerr << cli::Both(ctx.lang, "共 " + n + " 处错误，未写入任何条目。",
                         n + " error(s); nothing was written.");
  int code = cli::kExitBadInput;
  for (const Status& s : errors) {
    if (s.code() != Code::kInvalidInput) code = cli::ExitCodeFor(s.code());
  }
  return code;
}

Value RowsJson(const io::ImportPlan& plan, const std::vector<AppendOutcome>& outcomes,
               const std::vector<io::PreviewRow>* preview) {
  std::vector<Value> rows;
  for (size_t i = 0; i < plan.rows.size() && i < outcomes.size(); ++i) {
    Value row = Value::Object({{"already_recorded", Value::Bool(outcomes[i].already_recorded)},
                               {"line", Value::Int(plan.rows[i].line)},
                               {"seq", Value::Int(static_cast<int64_t>(outcomes[i].seq))},
                               {"type", Value::String(plan.rows[i].request.type)}});
    if (!plan.rows[i].member_id.empty())
      row.Set("member_id", Value::String(plan.rows[i].member_id));
    if (preview != nullptr) {
      row.Set("capital_fen", Value::Int((*preview)[i].capital_fen));
      row.Set("shares", Value::String(FormatFixed(Shares{(*preview)[i].share_units})));
    }
    rows.push_back(std::move(row));
  }
  return Value::Array(std::move(rows));
}

int DryRun(const Context& ctx, Ledger& ledger, const io::ImportPlan& plan) {
  auto outcomes = ledger.Check(io::Requests(plan));
  if (!outcomes.ok()) return Fail(ctx, io::MapAppendError(plan, outcomes.status()));
  auto preview = io::Preview(ledger.state(), ledger.origin(), plan, *outcomes);
  if (!preview.ok()) return Fail(ctx, preview.status());
  if (ctx.json) {
    PrintJson(Value::Object({{"dry_run", Value::Bool(true)},
                             {"file", Value::String(plan.file)},
                             {"rows", RowsJson(plan, *outcomes, &*preview)},
                             {"size", Value::Int(static_cast<int64_t>(ledger.size()))}}));
    return cli::kExitOk;
  }
  std::cout << report::ToText(io::PreviewTable(*preview, English(ctx)), English(ctx));
  std::cout << Tr(ctx.lang, "试运行：以上 ", "dry run: the ") << plan.rows.size()
            << Tr(ctx.lang, " 行均符合规则；未写入任何条目。\n",
                  " rows above pass every rule; nothing was written.\n");
  return cli::kExitOk;
}

int Commit(const Context& ctx, Ledger& ledger, IdRegistry& registry, const io::ImportPlan& plan) {
  // The registry first: a commitment on the ledger must never lack its number.
  if (Status s = registry.Flush(); !s.ok()) return Fail(ctx, s);
  auto outcomes = ledger.Append(io::Requests(plan));
  if (!outcomes.ok()) {
    int code = Fail(ctx, io::MapAppendError(plan, outcomes.status()));
    std::cerr << cli::Both(ctx.lang, "整个文件未写入任何条目。", "nothing of the file was written.");
    return code;
  }
  size_t fresh = 0;
  for (const AppendOutcome& o : *outcomes) fresh += !o.already_recorded;
  if (ctx.json) {
    PrintJson(Value::Object({{"dry_run", Value::Bool(false)},
                             {"file", Value::String(plan.file)},
                             {"root", Value::String(ledger.root().Hex())},
                             {"rows", RowsJson(plan, *outcomes, nullptr)},
                             {"size", Value::Int(static_cast<int64_t>(ledger.size()))}}));
    return cli::kExitOk;
  }
  std::cout << Tr(ctx.lang, "已导入 ", "imported ") << plan.rows.size()
            << Tr(ctx.lang, " 行：新记录 ", " row(s): ") << fresh
            << Tr(ctx.lang, " 条，已记录过 ", " new entries, ") << plan.rows.size() - fresh
            << Tr(ctx.lang, " 条（未重复写入）\n", " already recorded (not written again)\n")
            << Tr(ctx.lang, "账本条数 ", "ledger size ") << ledger.size()
            << Tr(ctx.lang, "，根哈希 ", ", root ") << ledger.root().Hex() << "\n";
  return cli::kExitOk;
}

Result<std::unique_ptr<Ledger>> OpenReadOnly(const std::string& path) {
  return Ledger::Open(path, Ledger::Mode::kReadOnly);
}

const domain::Member* MemberWithCommitment(const domain::State& state,
                                           const std::string& commitment) {
  for (const auto& [id, m] : state.members) {
    if (m.id_commitment == commitment) return &m;
  }
  return nullptr;
}

int WriteTable(const Context& ctx, const report::Table& table, const TableArgs& args) {
  const bool en = English(ctx);
  for (const auto& [path, xlsx] :
       {std::pair(args.csv_path, false), std::pair(args.xlsx_path, true)}) {
    if (path.empty()) continue;
    Status s = xlsx ? report::WriteXlsx(table, en, path) : report::WriteCsv(table, en, path);
    if (!s.ok()) return Fail(ctx, s);
    std::cout << Tr(ctx.lang, "已写入 ", "wrote ") << path << "\n";
  }
  if (!args.csv_path.empty() || !args.xlsx_path.empty()) return cli::kExitOk;
  if (!ctx.json) {
    std::cout << report::ToText(table, en);
    return cli::kExitOk;
  }
  std::vector<Value> rows;
  for (const auto& row : table.rows) {
    std::vector<json::Member> members;
    for (size_t j = 0; j < row.size(); ++j)
      members.emplace_back(table.header_en[j], Value::String(row[j]));
    rows.push_back(Value::Object(std::move(members)));
  }
  PrintJson(Value::Array(std::move(rows)));
  return cli::kExitOk;
}

}  // namespace

int CmdImport(const Context& ctx, const ImportArgs& args) {
  auto bytes = cli::ReadInput(args.file);
  if (!bytes.ok()) return Fail(ctx, bytes.status());
  auto opened =
      Ledger::Open(args.ledger, args.dry_run ? Ledger::Mode::kReadOnly : Ledger::Mode::kWrite);
  if (!opened.ok()) return Fail(ctx, opened.status());
  Ledger& ledger = **opened;
  auto registry = IdRegistry::Open(args.ledger);
  if (!registry.ok()) return Fail(ctx, registry.status());
  io::ImportPlan plan =
      io::PlanImport(*bytes, io::ImportOptions{.sheet = *io::SheetFromName(args.sheet),
                                               .encoding = EncodingFrom(args.encoding),
                                               .file = args.file == "-" ? "<stdin>" : args.file,
                                               .op = ImportOperator(args)});
  io::ResolveIdentities(&plan, &*registry, ledger.state());
  if (!plan.errors.empty()) return ReportPlanErrors(ctx, plan.errors);
  return args.dry_run ? DryRun(ctx, ledger, plan) : Commit(ctx, ledger, *registry, plan);
}

int CmdLookup(const Context& ctx, const std::string& ledger_path, const std::string& id_number) {
  auto id = CheckIdNumber(id_number);
  if (!id.ok()) return Fail(ctx, id.status());
  auto opened = OpenReadOnly(ledger_path);
  if (!opened.ok()) return Fail(ctx, opened.status());
  auto registry = IdRegistry::Open(ledger_path);
  if (!registry.ok()) return Fail(ctx, registry.status());
  const IdRecord* record = registry->FindByIdNumber(*id);
  const domain::Member* m =
      record == nullptr ? nullptr : MemberWithCommitment((*opened)->state(), record->Commitment());
  if (m == nullptr) {
    return Fail(ctx, Status(Code::kNotFound, "本账本没有持这个身份证号的成员",
                            "no member of this ledger holds this ID number"));
  }
  if (ctx.json) {
    PrintJson(Value::Object({{"capital_fen", Value::Int(m->total_capital_fen())},
                             {"member_id", Value::String(m->id)},
                             {"name", Value::String(m->name)},
                             {"shares", Value::String(FormatFixed(Shares{m->total_share_units()}))},
                             {"status", Value::String(m->status)}}));
    return cli::kExitOk;
  }
  std::cout << Tr(ctx.lang, "成员编号：", "member: ") << m->id << "\n"
            << Tr(ctx.lang, "姓名：", "name: ") << m->name << "\n"
            << Tr(ctx.lang, "状态：", "status: ")
            << statement::StatusText(m->status, ctx.lang == cli::Lang::kEn) << "\n"
            << Tr(ctx.lang, "合计股数：", "shares: ") << FormatFixed(Shares{m->total_share_units()})
            << "\n"
            << Tr(ctx.lang, "股金（元）：", "capital (yuan): ")
            << FormatYuan(Fen{m->total_capital_fen()}) << "\n";
  return cli::kExitOk;
}

int CmdRoll(const Context& ctx, const TableArgs& args) {
  auto opened = OpenReadOnly(args.ledger);
  if (!opened.ok()) return Fail(ctx, opened.status());
  return WriteTable(ctx, report::MemberRoll((*opened)->state(), English(ctx)), args);
}

int CmdRegister(const Context& ctx, const TableArgs& args) {
  auto opened = OpenReadOnly(args.ledger);
  if (!opened.ok()) return Fail(ctx, opened.status());
  return WriteTable(ctx, report::ShareRegister((*opened)->state(), English(ctx)), args);
}

int CmdStatement(const Context& ctx, const std::string& ledger_path, const std::string& member_id) {
  auto opened = OpenReadOnly(ledger_path);
  if (!opened.ok()) return Fail(ctx, opened.status());
  auto st = statement::Build(**opened, member_id);
  if (!st.ok()) return Fail(ctx, st.status());
  if (ctx.json) {
    PrintJson(statement::ToJson(*st));
  } else {
    std::cout << statement::ToText(*st, English(ctx));
  }
  return cli::kExitOk;
}

void AddIoCommands(CLI::App& app, IoArgs& a, const Context& ctx, int& result, cli::Lang lang) {
  auto* imp = app.add_subcommand(
      "import",
      Tr(lang, "从 CSV 表导入（整个文件原子写入；列见 docs/IMPORT.md）",
         "import a CSV sheet (the whole file is one atomic append; columns in docs/IMPORT.md)"));
  imp->add_option("ledger", a.import.ledger, Tr(lang, "账本目录", "ledger directory"))->required();
  imp->add_option("file", a.import.file,
                  Tr(lang, "CSV 文件，- 表示标准输入", "CSV file, - for standard input"))
      ->required();
  imp->add_option(
         "--sheet", a.import.sheet,
         Tr(lang, "表的种类：members、land、capital、goods、labour、resolutions、valuation",
            "kind of sheet: members, land, capital, goods, labour, resolutions, valuation"))
      ->required()
      ->check(CLI::IsMember(
          {"members", "land", "capital", "goods", "labour", "resolutions", "valuation"}));
  imp->add_option("--encoding", a.import.encoding,
                  Tr(lang, "文件编码：auto（默认）、utf-8、gb18030",
                     "file encoding: auto (default), utf-8, gb18030"))
      ->check(CLI::IsMember({"auto", "utf-8", "gb18030"}));
  imp->add_flag("--dry-run", a.import.dry_run,
                Tr(lang, "只检查并列出将写入的条目，不写入",
                   "check and list what would be written; write nothing"));
  imp->add_option(
      "--operator", a.import.op_name,
      Tr(lang, "操作人姓名（默认登录用户名）", "operator name (default: the login name)"));
  imp->add_option("--role", a.import.op_role,
                  Tr(lang, "操作人角色（默认 accountant）", "operator role (default accountant)"));
  imp->callback([&] { result = CmdImport(ctx, a.import); });

  auto* lookup = app.add_subcommand("lookup", Tr(lang, "柜台查询：凭身份证号找到成员",
                                                 "counter look-up: find a member by ID number"));
  lookup->add_option("ledger", a.ledger, Tr(lang, "账本目录", "ledger directory"))->required();
  lookup
      ->add_option("--id-number", a.id_number,
                   Tr(lang, "身份证号（18 位）", "ID number (18 characters)"))
      ->required();
  lookup->callback([&] { result = CmdLookup(ctx, a.ledger, a.id_number); });

  for (bool shares : {false, true}) {
    auto* cmd =
        shares ? app.add_subcommand(
                     "register", Tr(lang, "股权登记簿：每位成员各类股数、股金与占比",
                                    "share register: each member's shares by kind, capital, part"))
               : app.add_subcommand("roll", Tr(lang, "成员名册", "member roll"));
    cmd->add_option("ledger", a.table.ledger, Tr(lang, "账本目录", "ledger directory"))->required();
    cmd->add_option("--csv", a.table.csv_path,
                    Tr(lang, "写成 CSV 文件（UTF-8，Excel 可直接打开）",
                       "write a CSV file (UTF-8 with BOM, opens in Excel)"));
    cmd->add_option("--xlsx", a.table.xlsx_path, Tr(lang, "写成 XLSX 文件", "write an XLSX file"));
    cmd->callback(
        [&, shares] { result = shares ? CmdRegister(ctx, a.table) : CmdRoll(ctx, a.table); });
  }

  auto* st =
      app.add_subcommand("statement", Tr(lang, "成员对账单：持股、入股与变动明细",
                                         "member statement: holdings, contributions, movements"));
  st->add_option("ledger", a.ledger, Tr(lang, "账本目录", "ledger directory"))->required();
  st->add_option("member_id", a.member_id, Tr(lang, "成员编号", "member id"))->required();
  st->callback([&] { result = CmdStatement(ctx, a.ledger, a.member_id); });
}

}  // namespace cunzhang::tool
