// Exit codes of cunzhang and cunzhang-verify. README.md documents them.
#ifndef CUNZHANG_CLI_EXIT_CODES_H_
#define CUNZHANG_CLI_EXIT_CODES_H_

#include "cunzhang/status.h"

namespace cunzhang::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitVerifyFailed = 1;  // the verifier found faults
inline constexpr int kExitUsage = 2;         // wrong command line
inline constexpr int kExitBadInput = 3;      // input rejected; nothing written
inline constexpr int kExitRule = 4;          // a business rule rejected the input; nothing written
inline constexpr int kExitNotFound = 5;      // no such ledger, entry or file
inline constexpr int kExitConflict = 6;      // idempotency conflict, or ledger already exists
inline constexpr int kExitBusy = 7;          // another writer holds the ledger
inline constexpr int kExitCorrupt = 8;       // the stored ledger is damaged
inline constexpr int kExitInternal = 10;     // I/O failure or a bug

int ExitCodeFor(Code code);

}  // namespace cunzhang::cli

#endif  // CUNZHANG_CLI_EXIT_CODES_H_
