// cunzhang-verify: the auditor's offline verifier. Reads an export bundle,
// replays it and prints every fault found. Links the format and the rules,
// never the storage engine.
//
//   cunzhang-verify BUNDLE [--json] [--origin NAME]
//                   [--trusted-size N --trusted-root HEX] [--lang zh|en]
#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "cunzhang/bundle.h"
#include "cunzhang/verify.h"
#include "exit_codes.h"
#include "i18n.h"
#include "usage.h"

namespace {

using cunzhang::cli::Lang;
using cunzhang::cli::Tr;

struct Args {
  std::string bundle;
  bool json = false;
  std::string origin;
  uint64_t trusted_size = 0;
  bool has_trusted = false;
  std::string trusted_root;
  std::string lang;
};

void AddOptions(CLI::App* app, Args* args, Lang lang) {
  app->add_option("BUNDLE", args->bundle,
                  Tr(lang, "导出包目录（含 manifest.json 和 entries.jsonl）",
                     "export bundle directory (holding manifest.json and entries.jsonl)"))
      ->required();
  app->add_flag("--json", args->json,
                Tr(lang, "以 JSON 输出报告（schemas/verify-report.schema.json）",
                   "print the report as JSON (schemas/verify-report.schema.json)"));
  app->add_option("--origin", args->origin,
                  Tr(lang, "期望的账本来源名称；不给则采用清单中的",
                     "expected ledger origin; default: the manifest's"));
  CLI::Option* size =
      app->add_option("--trusted-size", args->trusted_size,
                      Tr(lang, "上次审计记录的条目数", "entry count recorded at an earlier audit"));
  CLI::Option* root = app->add_option("--trusted-root", args->trusted_root,
                                      Tr(lang, "上次审计记录的根哈希（64 位十六进制）",
                                         "root hash recorded at an earlier audit (64 hex digits)"));
  size->needs(root);
  root->needs(size);
  app->add_option("--lang", args->lang, Tr(lang, "报告语言：zh 或 en", "report language: zh or en"))
      ->check(CLI::IsMember({"zh", "en"}));
}

int UsageError(Lang lang, const std::string& zh, const std::string& en) {
  std::cerr << cunzhang::cli::FormatError(cunzhang::Status(cunzhang::Code::kInvalidInput, zh, en),
                                          lang);
  return cunzhang::cli::kExitUsage;
}

// A bundle is a directory holding at least one of the two bundle files.
bool LooksLikeBundle(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return false;
  return fs::exists(fs::path(path) / cunzhang::bundle::kManifestFile, ec) ||
         fs::exists(fs::path(path) / cunzhang::bundle::kEntriesFile, ec);
}

int Verify(const Args& args, Lang lang) {
  cunzhang::verify::Options options;
  options.expected_origin = args.origin;
  if (args.has_trusted) {
    std::optional<cunzhang::Hash256> root = cunzhang::Hash256::FromHex(args.trusted_root);
    if (!root) {
      return UsageError(lang, "--trusted-root 必须是 64 位小写十六进制",
                        "--trusted-root must be 64 lowercase hex digits");
    }
    options.trusted = std::make_pair(args.trusted_size, *root);
  }
  if (!LooksLikeBundle(args.bundle)) {
    std::cerr << cunzhang::cli::FormatError(
        cunzhang::Status(cunzhang::Code::kNotFound, "找不到导出包", "bundle not found",
                         cunzhang::Where{.file = args.bundle}),
        lang);
    return cunzhang::cli::kExitNotFound;
  }
  cunzhang::verify::Report report = cunzhang::verify::VerifyBundle(args.bundle, options);
  if (args.json) {
    std::cout << cunzhang::verify::ReportToJson(report);
  } else {
    std::cout << cunzhang::verify::ReportToText(report, cunzhang::cli::LangCode(lang));
  }
  std::cout.flush();
  return report.ok() ? cunzhang::cli::kExitOk : cunzhang::cli::kExitVerifyFailed;
}

}  // namespace

int main(int argc, char** argv) {
  Lang lang = cunzhang::cli::DetectLang(argc, argv);
  CLI::App app(Tr(lang, "村账审计校验：离线检查导出包的每一条记录、哈希链和默克尔根",
                  "Cunzhang audit verifier: checks every entry, hash link and Merkle root of "
                  "an export bundle, offline"),
               "cunzhang-verify");
  app.set_help_flag("-h,--help", Tr(lang, "显示帮助并退出", "print this help and exit"));
  app.footer(Tr(lang, "退出码：0 无问题，1 发现问题，2 用法错误，5 找不到导出包",
                "exit codes: 0 clean, 1 faults found, 2 usage error, 5 bundle not found"));
  Args args;
  AddOptions(&app, &args, lang);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cunzhang::cli::ExitForParseError(app, e, lang);
  }
  args.has_trusted = app.count("--trusted-size") > 0;
  return Verify(args, lang);
}
