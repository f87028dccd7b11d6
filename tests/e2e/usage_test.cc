// Usage errors — a wrong command line — are errors like any other: both
// languages, the primary first, exit code 2, and nothing else done.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "test_util.h"

namespace cunzhang {
namespace {

using cunzhang::testing::Run;
using cunzhang::testing::RunResult;

const std::string kBin = CUNZHANG_BIN_DIR;

struct Case {
  std::vector<std::string> args;
  const char* zh;  // the Chinese line must say this
  const char* en;  // and the English line this
};

TEST_CASE("usage errors are given in Chinese and English, the primary language first",
          "[cli][i18n]") {
  const std::vector<Case> cases = {
      {{kBin + "/cunzhang", "log", "ledger-dir", "--bogus"}, "错误：多余或无法识别的参数：--bogus",
       "error: The following argument was not expected: --bogus"},
      {{kBin + "/cunzhang", "log"}, "错误：缺少必需的参数 ledger", "error: ledger is required"},
      {{kBin + "/cunzhang"}, "错误：缺少子命令", "error: A subcommand is required"},
      {{kBin + "/cunzhang", "log", "ledger-dir", "--seq", "seven"}, "错误：参数的值无效：",
       "--seq"},
      {{kBin + "/cunzhang-verify", "bundle-dir", "--trusted-size", "abc"}, "错误：参数的值无效：",
       "--trusted-size"},
      {{kBin + "/cunzhang-verify"}, "错误：缺少必需的参数 BUNDLE", "error: BUNDLE is required"},
  };
  for (const Case& c : cases) {
    for (const char* lang : {"zh", "en"}) {
      std::vector<std::string> args = c.args;
      args.insert(args.end(), {"--lang", lang});
      RunResult r = Run(args);
      INFO(args[0] << " " << (args.size() > 1 ? args[1] : "") << " --lang " << lang << "\n" << r.err);
      CHECK(r.exit_code == 2);
      CHECK(r.out.empty());
      const size_t zh = r.err.find(c.zh);
      const size_t en = r.err.find(c.en);
      REQUIRE(zh != std::string::npos);
      REQUIRE(en != std::string::npos);
      CHECK((zh < en) == (std::string(lang) == "zh"));
      CHECK(r.err.find("用 --help 查看用法。") != std::string::npos);
      CHECK(r.err.find("Run with --help for more information.") != std::string::npos);
    }
  }
}

TEST_CASE("help is not a usage error", "[cli][i18n]") {
  for (const char* bin : {"/cunzhang", "/cunzhang-verify"}) {
    RunResult r = Run({kBin + bin, "--help", "--lang", "zh"});
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK_FALSE(r.out.empty());
  }
}

}  // namespace
}  // namespace cunzhang
