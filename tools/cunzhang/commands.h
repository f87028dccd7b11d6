// The accountant's commands. Each returns the process exit code
// (src/cli/exit_codes.h) and prints errors in both languages.
#ifndef CUNZHANG_TOOLS_CUNZHANG_COMMANDS_H_
#define CUNZHANG_TOOLS_CUNZHANG_COMMANDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "cunzhang/entry.h"
#include "i18n.h"
#include "input.h"

namespace cunzhang::tool {

struct Context {
  cli::Lang lang = cli::Lang::kZh;
  bool json = false;  // machine-readable output
};

struct AppendArgs {
  std::string ledger;
  std::string input = "-";
  cli::InputFormat format = cli::InputFormat::kAuto;
  Operator op;               // fills requests that name no operator
  size_t commit_every = 0;   // 0 = the whole input is one atomic append
  bool dry_run = false;
};

struct LogArgs {
  std::string ledger;
  std::optional<uint64_t> seq;
  std::optional<uint64_t> from;
  std::optional<uint64_t> to;  // exclusive
  std::string type;
  bool raw = false;  // exact canonical bytes, one per line
};

int CmdInit(const Context& ctx, const std::string& ledger, const std::string& origin);
int CmdAppend(const Context& ctx, const AppendArgs& args);
int CmdLog(const Context& ctx, const LogArgs& args);
int CmdRoot(const Context& ctx, const std::string& ledger, std::optional<uint64_t> size);
int CmdProveInclusion(const Context& ctx, const std::string& ledger, uint64_t seq,
                      std::optional<uint64_t> size);
int CmdProveConsistency(const Context& ctx, const std::string& ledger, uint64_t size1,
                        std::optional<uint64_t> size2);
int CmdExport(const Context& ctx, const std::string& ledger, const std::string& out_dir);
int CmdDemo(const Context& ctx, const std::string& dir);

// Prints a Status to stderr in both languages and returns its exit code.
int Fail(const Context& ctx, const Status& status);

}  // namespace cunzhang::tool

#endif  // CUNZHANG_TOOLS_CUNZHANG_COMMANDS_H_
