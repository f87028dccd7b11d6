// The language of the tools' help and reports: Chinese or English, chosen by
// --lang, else CUNZHANG_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG).
// Error messages always carry both languages.
#ifndef CUNZHANG_CLI_I18N_H_
#define CUNZHANG_CLI_I18N_H_

#include <string>
#include <string_view>

#include "cunzhang/status.h"

namespace cunzhang::cli {

enum class Lang { kZh, kEn };

// Reads --lang=xx / --lang xx from argv (leaving argv intact) and the
// environment. Unknown values fall back to Chinese.
Lang DetectLang(int argc, const char* const* argv);
std::string_view LangCode(Lang lang);  // "zh" or "en"

inline const char* Tr(Lang lang, const char* zh, const char* en) {
  return lang == Lang::kZh ? zh : en;
}

// "错误：<where>：<zh>\n  error: <where>: <en>\n" — the primary language first,
// the place written in each language ("第 7 条，字段 body.mu" / "entry 7, field body.mu").
std::string FormatError(const Status& status, Lang lang);

// A line that goes with an error, in both languages, the primary first:
// "<zh>\n  <en>\n" or "<en>\n  <zh>\n".
std::string Both(Lang lang, const std::string& zh, const std::string& en);

}  // namespace cunzhang::cli

#endif  // CUNZHANG_CLI_I18N_H_
