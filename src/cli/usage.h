// Command-line usage errors (CLI11's ParseError) in both languages, like
// every other error the tools print: CLI11 writes its own in English only.
#ifndef CUNZHANG_CLI_USAGE_H_
#define CUNZHANG_CLI_USAGE_H_

#include <string>

#include <CLI/CLI.hpp>

#include "i18n.h"

namespace cunzhang::cli {

// "错误：<zh>\n  error: <en>\n" (the primary language first) and a line on
// --help, in both languages. The English is CLI11's own message; the Chinese
// says what kind of mistake it is and repeats the option or value CLI11
// names, since those are written the same in both.
std::string UsageError(const CLI::ParseError& error, Lang lang);

// Prints UsageError to stderr and returns kExitUsage; --help and --version
// are not errors and go to CLI11 (stdout, exit 0).
int ExitForParseError(CLI::App& app, const CLI::ParseError& error, Lang lang);

}  // namespace cunzhang::cli

#endif  // CUNZHANG_CLI_USAGE_H_
