// The benchmark runs end to end at a small size and reports every figure
// next to its baseline. Performance itself is measured by the benchmark
// (docs/PERFORMANCE.md), never asserted by a timed test.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "schema_check.h"
#include "test_util.h"

namespace {

using cunzhang::testing::ReadFile;
using cunzhang::testing::Run;
using cunzhang::testing::RunResult;
using cunzhang::testing::TempDir;
using nlohmann::json;

const std::string kBench = std::string(CUNZHANG_BIN_DIR) + "/cunzhang-bench";
constexpr int kSmokeEntries = 2000;

RunResult RunBench(const std::string& dir, const std::string& seed = "7") {
  return Run({kBench, "--entries", std::to_string(kSmokeEntries), "--batch", "500", "--seed", seed,
              "--json", "--dir", dir});
}

void RequirePositiveRate(const json& rate) {
  CHECK(rate.at("seconds").get<double>() > 0);
  CHECK(rate.at("entries").get<int64_t>() == kSmokeEntries);
  CHECK(rate.at("bytes").get<int64_t>() > 0);
  CHECK(rate.at("entries_per_s").get<double>() > 0);
  CHECK(rate.at("mb_per_s").get<double>() > 0);
  // Every thread's CPU time includes the measuring thread's (the two clocks
  // are read a few nanoseconds apart).
  CHECK(rate.at("cpu_seconds").get<double>() > 0);
  CHECK(rate.at("process_cpu_seconds").get<double>() >=
        rate.at("cpu_seconds").get<double>() - 1e-3);
}

}  // namespace

TEST_CASE("bench --json reports each figure beside its baseline as positive numbers", "[bench]") {
  TempDir tmp;
  RunResult r = RunBench(tmp / "work");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json report = json::parse(r.out);
  CHECK(cunzhang::testing::SchemaErrors("bench-figures.schema.json", report) == "");

  CHECK(report.at("entries").get<int>() == kSmokeEntries);
  CHECK(report.at("batch").get<int>() == 500);
  // The synthetic village entries are of realistic size.
  const double mean = report.at("mean_entry_bytes").get<double>();
  CHECK(mean >= 400);
  CHECK(mean <= 700);

  const json& append = report.at("append");
  RequirePositiveRate(append.at("ledger"));
  RequirePositiveRate(append.at("baseline"));
  // Both sides of the append comparison wrote the same bytes.
  CHECK(append.at("ledger").at("bytes") == append.at("baseline").at("bytes"));
  CHECK(append.at("ratio").get<double>() > 0);
  CHECK(append.at("pass").is_boolean());
  // Each side ran twice, alternately, and its fastest run is the one judged.
  for (const auto& [side, runs] : {std::pair{"ledger", "ledger_runs_seconds"},
                                   std::pair{"baseline", "baseline_runs_seconds"}}) {
    INFO(side);
    const std::vector<double> seconds = append.at(runs).get<std::vector<double>>();
    REQUIRE(seconds.size() == 2);
    CHECK(append.at(side).at("seconds").get<double>() ==
          *std::min_element(seconds.begin(), seconds.end()));
  }
  // The second baseline, for information: the same bytes, its syncs overlapped.
  RequirePositiveRate(append.at("baseline_overlapped"));
  CHECK(append.at("baseline_overlapped").at("bytes") == append.at("baseline").at("bytes"));
  CHECK(append.at("ratio_overlapped").get<double>() > 0);

  const json& verify = report.at("verify");
  RequirePositiveRate(verify.at("verifier"));
  RequirePositiveRate(verify.at("baseline"));
  // The verifier and SHA-256 read the same export file.
  CHECK(verify.at("verifier").at("bytes") == verify.at("baseline").at("bytes"));
  CHECK(verify.at("ratio").get<double>() > 0);
  CHECK(verify.at("pass").is_boolean());

  const json& memory = report.at("verifier_memory");
  CHECK(memory.at("small_entries").get<int>() > 0);
  CHECK(memory.at("small_entries").get<int>() < kSmokeEntries);
  CHECK(memory.at("small_peak_rss_kib").get<int64_t>() > 0);
  CHECK(memory.at("full_peak_rss_kib").get<int64_t>() > 0);
  CHECK(memory.at("idle_peak_rss_kib").get<int64_t>() > 0);
  CHECK(memory.at("pass").is_boolean());
}

TEST_CASE("bench writes the same synthetic history for the same seed", "[bench]") {
  TempDir tmp;
  RunResult first = RunBench(tmp / "a");
  RunResult second = RunBench(tmp / "b");
  RunResult other_seed = RunBench(tmp / "c", "8");
  REQUIRE(first.exit_code == 0);
  REQUIRE(second.exit_code == 0);
  REQUIRE(other_seed.exit_code == 0);
  const std::string a = ReadFile(tmp / "a/bundle/entries.jsonl");
  CHECK(a.size() > 400u * kSmokeEntries);
  CHECK(a == ReadFile(tmp / "b/bundle/entries.jsonl"));
  CHECK(a != ReadFile(tmp / "c/bundle/entries.jsonl"));
}

TEST_CASE("bench refuses a work directory that is not empty", "[bench]") {
  TempDir tmp;
  cunzhang::testing::WriteFile(tmp / "keep.txt", "mine");
  RunResult r = Run({kBench, "--entries", "10", "--dir", tmp.path()});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("not empty") != std::string::npos);
  CHECK(ReadFile(tmp / "keep.txt") == "mine");
}
