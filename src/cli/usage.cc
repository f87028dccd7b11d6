#include "usage.h"

#include <iostream>
#include <string_view>

#include "exit_codes.h"

namespace cunzhang::cli {
namespace {

// The words CLI11 puts after a known prefix, or the whole message.
std::string After(std::string_view message, std::string_view prefix) {
  size_t at = message.find(prefix);
  if (at == std::string_view::npos) return std::string(message);
  std::string_view rest = message.substr(at + prefix.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return std::string(rest);
}

std::string Chinese(const CLI::ParseError& error) {
  const std::string_view what = error.what();
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr) {
    constexpr std::string_view kIsRequired = " is required";
    if (what.ends_with(kIsRequired) && what.find(' ') == what.size() - kIsRequired.size()) {
      return "缺少必需的参数 " + std::string(what.substr(0, what.size() - kIsRequired.size()));
    }
    if (what.find("subcommand") != std::string_view::npos) return "缺少子命令";
    return "缺少必需的参数：" + std::string(what);
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    return "多余或无法识别的参数：" + After(what, ":");
  }
  if (dynamic_cast<const CLI::ConversionError*>(&error) != nullptr ||
      dynamic_cast<const CLI::ValidationError*>(&error) != nullptr) {
    return "参数的值无效：" + std::string(what);
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr) {
    return "参数个数不对：" + std::string(what);
  }
  if (dynamic_cast<const CLI::ExcludesError*>(&error) != nullptr) {
    return "这些选项不能同时使用：" + std::string(what);
  }
  if (dynamic_cast<const CLI::RequiresError*>(&error) != nullptr) {
    return "此选项还需要另一个选项：" + std::string(what);
  }
  return "命令行用法错误：" + std::string(what);
}

}  // namespace

std::string UsageError(const CLI::ParseError& error, Lang lang) {
  std::string zh = "错误：" + Chinese(error) + "\n";
  std::string en = "error: " + std::string(error.what()) + "\n";
  std::string out = lang == Lang::kZh ? zh + "  " + en : en + "  " + zh;
  return out + Both(lang, "用 --help 查看用法。", "Run with --help for more information.");
}

int ExitForParseError(CLI::App& app, const CLI::ParseError& error, Lang lang) {
  if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(error);
  std::cerr << UsageError(error, lang);
  return kExitUsage;
}

}  // namespace cunzhang::cli
