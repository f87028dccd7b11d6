#include "i18n.h"

#include <cstdlib>
#include <cstring>
#include <optional>

#include "exit_codes.h"

namespace cunzhang::cli {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::optional<Lang> Parse(std::string_view v) {
  if (StartsWith(v, "zh")) return Lang::kZh;
  if (StartsWith(v, "en")) return Lang::kEn;
  return std::nullopt;
}

}  // namespace

Lang DetectLang(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (StartsWith(a, "--lang=")) {
      if (auto l = Parse(a.substr(7))) return *l;
    } else if (a == "--lang" && i + 1 < argc) {
      if (auto l = Parse(argv[i + 1])) return *l;
    }
  }
  if (const char* v = std::getenv("CUNZHANG_LANG"); v != nullptr && *v != '\0') {
    if (auto l = Parse(v)) return *l;
  }
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') continue;
    std::string_view sv = v;
    if (sv == "C" || sv == "POSIX" || StartsWith(sv, "C.")) return Lang::kEn;
    return Parse(sv).value_or(Lang::kEn);
  }
  return Lang::kZh;  // no locale at all: Chinese first
}

std::string_view LangCode(Lang lang) { return lang == Lang::kZh ? "zh" : "en"; }

std::string FormatError(const Status& status, Lang lang) {
  const std::string where_zh = status.where().ToStringZh();
  const std::string where_en = status.where().ToString();
  std::string zh = "错误：" + (where_zh.empty() ? "" : where_zh + "：") + status.zh() + "\n";
  std::string en = "error: " + (where_en.empty() ? "" : where_en + ": ") + status.en() + "\n";
  return lang == Lang::kZh ? zh + "  " + en : en + "  " + zh;
}

std::string Both(Lang lang, const std::string& zh, const std::string& en) {
  return lang == Lang::kZh ? zh + "\n  " + en + "\n" : en + "\n  " + zh + "\n";
}

int ExitCodeFor(Code code) {
  switch (code) {
    case Code::kOk: return kExitOk;
    case Code::kInvalidInput: return kExitBadInput;
    case Code::kRuleViolation: return kExitRule;
    case Code::kNotFound: return kExitNotFound;
    case Code::kConflict: return kExitConflict;
    case Code::kBusy: return kExitBusy;
    case Code::kCorruption: return kExitCorrupt;
    case Code::kIo:
    case Code::kInternal: return kExitInternal;
  }
  return kExitInternal;
}

}  // namespace cunzhang::cli
