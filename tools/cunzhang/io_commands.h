// The accountant's sheets and the villager's statement on the command line:
// import, lookup, roll, register, statement. Each returns the process exit
// code (src/cli/exit_codes.h) and prints errors in both languages.
#ifndef CUNZHANG_TOOLS_CUNZHANG_IO_COMMANDS_H_
#define CUNZHANG_TOOLS_CUNZHANG_IO_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <string>

#include "commands.h"

namespace cunzhang::tool {

struct ImportArgs {
  std::string ledger;
  std::string file;
  std::string sheet;
  std::string encoding = "auto";
  std::string op_name;  // default: $USER, else "accountant"
  std::string op_role = "accountant";
  bool dry_run = false;
};

struct TableArgs {
  std::string ledger;
  std::string csv_path;
  std::string xlsx_path;
};

struct IoArgs {
  ImportArgs import;
  TableArgs table;
  std::string ledger;
  std::string member_id;
  std::string id_number;
};

int CmdImport(const Context& ctx, const ImportArgs& args);
int CmdLookup(const Context& ctx, const std::string& ledger, const std::string& id_number);
int CmdRoll(const Context& ctx, const TableArgs& args);
int CmdRegister(const Context& ctx, const TableArgs& args);
int CmdStatement(const Context& ctx, const std::string& ledger, const std::string& member_id);

// Adds the subcommands above to `app`; their callbacks set `*result`.
void AddIoCommands(CLI::App& app, IoArgs& args, const Context& ctx, int& result, cli::Lang lang);

}  // namespace cunzhang::tool

#endif  // CUNZHANG_TOOLS_CUNZHANG_IO_COMMANDS_H_
