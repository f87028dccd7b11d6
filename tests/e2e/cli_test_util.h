// Helpers of the CLI's end-to-end tests (cli_test.cc, cli_schema_test.cc):
// running `cunzhang`, request lines, and a fresh ledger.
#ifndef CUNZHANG_TESTS_E2E_CLI_TEST_UTIL_H_
#define CUNZHANG_TESTS_E2E_CLI_TEST_UTIL_H_

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_util.h"
#include "typed_history.h"

namespace cli_testing {

using cunzhang::testing::Run;
using cunzhang::testing::RunResult;
using cunzhang::testing::TempDir;

inline const std::string kBin = CUNZHANG_BIN_DIR;
inline const std::string kOrigin = "cunzhang.example/test-village";

inline RunResult Cz(std::vector<std::string> args, const std::string& input = {}) {
  args.insert(args.begin(), kBin + "/cunzhang");
  args.push_back("--lang=en");
  return Run(args, input);
}

inline std::string Request(const std::string& type, const std::string& id, const std::string& body) {
  return R"({"type":")" + type + R"(","idempotency_id":")" + id +
         R"(","operator":{"name":"李红梅","role":"accountant"},"body":)" + body + "}";
}

// A note: a remark without business rules, for cases about the format and
// the command line rather than the rules.
inline std::string Note(const std::string& id, const std::string& text = "年终盘点") {
  return Request("note", id, R"({"text":")" + text + R"("})");
}

// Entries [first, first + count) of the typed history of tests/typed_history.h:
// the cooperative registered, households joining and contributing.
inline std::string History(uint64_t first, uint64_t count) {
  std::string out;
  for (uint64_t seq = first; seq < first + count; ++seq) {
    out += cunzhang::testing::HistoryRequestLine(seq) + "\n";
  }
  return out;
}

struct Village {
  TempDir tmp;
  std::string ledger = tmp / "ledger";
  Village() { REQUIRE(Cz({"init", ledger, "--origin", kOrigin}).exit_code == 0); }

  nlohmann::json Root() {
    RunResult r = Cz({"root", ledger, "--json"});
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
  }
};

}  // namespace cli_testing

#endif  // CUNZHANG_TESTS_E2E_CLI_TEST_UTIL_H_
