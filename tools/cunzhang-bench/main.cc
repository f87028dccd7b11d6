// cunzhang-bench: measures the ledger against baselines taken in the same run
// on the same bytes, and states each figure next to its target.
//
//   cunzhang-bench [--entries N] [--batch B] [--dir D] [--json] [--seed S]
//
// Durable batched append is compared with raw RocksDB batched puts of the
// same canonical entry bytes; verification with raw OpenSSL SHA-256 over the
// same export file; the verifier's peak memory is taken at two sizes. The
// exit code is 0 whether or not a target is met (this is a measurement, not
// a test); it is 1 only when something failed. docs/PERFORMANCE.md records
// the figures and how to reproduce them.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cunzhang/bundle.h"
#include "cunzhang/limits.h"
#include "measure.h"
#include "report.h"
#include "synth.h"

namespace {

namespace fs = std::filesystem;
using cunzhang::Result;
using cunzhang::Status;
namespace bench = cunzhang::bench;

// The size the targets are set at; a run takes one to two minutes on the
// 2-core machine and needs about 1.3 GB of disk under the work directory.
constexpr uint64_t kDefaultEntries = 1'000'000;
constexpr uint64_t kDefaultBatchEntries = 1000;
// SHA-256 and the verifier are each timed this many times over the same
// file and the fastest pass is kept, so a burst of other work on the
// machine does not decide the ratio.
constexpr int kShaPasses = 3;
constexpr int kVerifyPasses = 3;
// The ledger's append and the raw loop run alternately this many times each
// (ledger, raw, ledger, raw) and each side's fastest run is kept. On the
// virtual machine the kernel reports freed memory to the host, which takes
// it back (page_reporting), so a page the kernel hands out again costs a
// fault in the host the first time it is written: 2 GB written to files took
// 0.44 s at one moment and 6 s at another. A run that follows one which freed
// much memory (a child's exit, a deleted database) gets recycled pages at
// first; alternating gives each side its turn after the other.
constexpr int kAppendRounds = 2;
constexpr int kExitFailed = 1;

struct Args {
  uint64_t entries = kDefaultEntries;
  uint64_t batch = kDefaultBatchEntries;
  std::string dir;
  bool json = false;
  uint64_t seed = 1;
  std::string verifier_child;  // internal: run as the verifier child
  bool idle_child = false;     // internal: measure the floor of peak RSS
  std::string append_child;    // internal: the ledger append, in this work directory
  std::string raw_child;       // internal: the raw RocksDB baseline, in this work directory
  std::string raw_overlapped_child;  // internal: the same with its syncs overlapped
  int round = 0;  // internal: which of the kAppendRounds runs a child is (0 exports)
};

void AddOptions(CLI::App* app, Args* args) {
  app->add_option("--entries", args->entries, "number of synthetic entries (default 1000000)")
      ->check(CLI::Range(uint64_t{1}, cunzhang::bench::kSynthEntriesMax));
  app->add_option("--batch", args->batch, "entries per append batch (default 1000)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{cunzhang::limits::kBatchEntriesMax}));
  app->add_option("--dir", args->dir,
                  "work directory, must not exist or be empty; kept afterwards "
                  "(default: a new directory under $TMPDIR, removed afterwards)");
  app->add_flag("--json", args->json, "print the figures as JSON");
  app->add_option("--seed", args->seed, "seed of the synthetic history (default 1)");
  app->add_option("--verifier-child", args->verifier_child)->group("");
  app->add_flag("--idle-child", args->idle_child)->group("");
  app->add_option("--append-child", args->append_child)->group("");
  app->add_option("--raw-child", args->raw_child)->group("");
  app->add_option("--raw-overlapped-child", args->raw_overlapped_child)->group("");
  app->add_option("--round", args->round)->group("")->check(CLI::Range(0, kAppendRounds - 1));
}

Result<std::string> MakeWorkDir(const std::string& requested) {
  std::error_code ec;
  if (!requested.empty()) {
    if (fs::exists(requested, ec) && !fs::is_empty(requested, ec)) {
      return Status(cunzhang::Code::kConflict, "工作目录已存在且不为空",
                    "work directory exists and is not empty: " + requested);
    }
    fs::create_directories(requested, ec);
    if (ec) return Status(cunzhang::Code::kIo, "无法创建工作目录", ec.message());
    return requested;
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp != nullptr ? tmp : "/tmp") + "/cunzhang-bench-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Status(cunzhang::Code::kIo, "无法创建临时目录", "cannot create a temporary directory");
  }
  return pattern;
}

// The smaller size the verifier's memory is also measured at: a tenth of the
// run, rounded up to whole batches so the ledger passes through it exactly.
uint64_t SmallEntries(uint64_t entries, uint64_t batch) {
  const uint64_t tenth = std::max<uint64_t>(entries / 10, 1);
  return std::min(entries, (tenth + batch - 1) / batch * batch);
}

void Progress(const std::string& what) { std::cerr << "cunzhang-bench: " << what << std::endl; }

Result<bench::VerifyRun> VerifyClean(const std::string& bundle_dir, uint64_t entries) {
  CZ_ASSIGN_OR_RETURN(bench::VerifyRun run, bench::RunVerifierChild(bundle_dir));
  if (!run.ok || run.verify.entries != entries) {
    return Status(cunzhang::Code::kInternal, "校验器报告了错误",
                  "the verifier found " + std::to_string(run.faults_total) + " faults in " +
                      bundle_dir + " and checked " + std::to_string(run.verify.entries) + " of " +
                      std::to_string(entries) + " entries");
  }
  return run;
}

// A later round's own directory, removed once measured; "" for round 0.
std::string RoundSuffix(int round) {
  return round == 0 ? "" : "-round-" + std::to_string(round + 1);
}

// Round 0 exports the bundles; later rounds only append, to a ledger of
// their own.
bench::AppendPlan Plan(const Args& args, const std::string& work) {
  const bool exports = args.round == 0;
  return bench::AppendPlan{.ledger_dir = work + "/ledger" + RoundSuffix(args.round),
                           .bundle_dir = exports ? work + "/bundle" : "",
                           .small_bundle_dir = exports ? work + "/bundle-small" : "",
                           .entries = args.entries,
                           .batch_entries = args.batch,
                           .small_entries = SmallEntries(args.entries, args.batch),
                           .seed = args.seed};
}

// The file every raw loop reads: round 0's export.
std::string EntriesFile(const std::string& work) {
  return work + "/bundle/" + std::string(cunzhang::bundle::kEntriesFile);
}

std::string RawDbDir(const std::string& work, int round) {
  return work + "/raw-rocksdb" + RoundSuffix(round);
}
// Removed once measured: it is the raw database again.
std::string RawOverlappedDbDir(const std::string& work) { return work + "/raw-rocksdb-overlapped"; }

Result<bench::Figures> Measure(const Args& args, const std::string& work) {
  bench::Figures f{.entries = args.entries, .batch_entries = args.batch, .seed = args.seed};
  f.machine = bench::DescribeMachine();
  f.load_before = bench::LoadAverage();
  const bench::AppendPlan plan = Plan(args, work);
  f.small_entries = plan.small_entries;
  const std::string entries_file = EntriesFile(work);
  // Each append runs in a fresh process of its own (RunAppendChild).
  const std::vector<std::string> sizes = {"--entries", std::to_string(args.entries), "--batch",
                                          std::to_string(args.batch), "--seed",
                                          std::to_string(args.seed)};
  auto child_args = [&sizes](const char* flag, const std::string& value, int round) {
    std::vector<std::string> out = {flag, value, "--round", std::to_string(round)};
    out.insert(out.end(), sizes.begin(), sizes.end());
    return out;
  };
  std::error_code removed;
  for (int round = 0; round < kAppendRounds; ++round) {
    const std::string of = " (" + std::to_string(round + 1) + " of " +
                           std::to_string(kAppendRounds) + ")";
    Progress("appending " + std::to_string(args.entries) + " entries to a ledger" + of);
    CZ_ASSIGN_OR_RETURN(bench::AppendFigures appended,
                        bench::RunAppendChild(child_args("--append-child", work, round)));
    Progress("writing the same bytes to raw RocksDB" + of);
    CZ_ASSIGN_OR_RETURN(bench::Rate raw,
                        bench::RunRawChild(child_args("--raw-child", work, round)));
    f.ledger_append_runs.push_back(appended.append.seconds);
    f.raw_rocksdb_runs.push_back(raw.seconds);
    if (round == 0) {
      f.ledger_append = appended.append;
      f.export_seconds = appended.export_seconds;
      f.raw_rocksdb = raw;
      continue;
    }
    // A later round appended the same requests and wrote the same bytes.
    fs::remove_all(work + "/ledger" + RoundSuffix(round), removed);
    fs::remove_all(RawDbDir(work, round), removed);
    appended.append.bytes = f.ledger_append.bytes;
    if (appended.append.seconds < f.ledger_append.seconds) f.ledger_append = appended.append;
    if (raw.seconds < f.raw_rocksdb.seconds) f.raw_rocksdb = raw;
  }
  Progress("again, with each batch's sync overlapping the next batch (for information)");
  CZ_ASSIGN_OR_RETURN(f.raw_rocksdb_overlapped,
                      bench::RunRawChild(child_args("--raw-overlapped-child", work, 0)));
  fs::remove_all(RawOverlappedDbDir(work), removed);
  Progress("hashing the export with SHA-256");
  CZ_ASSIGN_OR_RETURN(f.sha256, bench::MeasureSha256(entries_file, kShaPasses));
  f.sha256.entries = args.entries;
  Progress("verifying the export");
  for (int pass = 0; pass < kVerifyPasses; ++pass) {
    CZ_ASSIGN_OR_RETURN(bench::VerifyRun full, VerifyClean(plan.bundle_dir, args.entries));
    if (pass == 0 || full.verify.seconds < f.verify.seconds) f.verify = full.verify;
    f.full_rss_kib = std::max(f.full_rss_kib, full.peak_rss_kib);
  }
  CZ_ASSIGN_OR_RETURN(bench::VerifyRun small, VerifyClean(plan.small_bundle_dir, f.small_entries));
  f.small_rss_kib = small.peak_rss_kib;
  CZ_ASSIGN_OR_RETURN(f.idle_rss_kib, bench::IdleChildPeakRssKib());
  f.load_after = bench::LoadAverage();
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "cunzhang-bench: the ledger's throughput and the verifier's memory, each next to "
      "a baseline measured in the same run"};
  Args args;
  AddOptions(&app, &args);
  CLI11_PARSE(app, argc, argv);
  if (args.idle_child) return bench::IdleChildMain();
  if (!args.verifier_child.empty()) return bench::VerifierChildMain(args.verifier_child);
  if (!args.append_child.empty()) return bench::AppendChildMain(Plan(args, args.append_child));
  if (!args.raw_child.empty()) {
    return bench::RawChildMain(RawDbDir(args.raw_child, args.round), EntriesFile(args.raw_child),
                               args.batch, false);
  }
  if (!args.raw_overlapped_child.empty()) {
    const std::string& work = args.raw_overlapped_child;
    return bench::RawChildMain(RawOverlappedDbDir(work), EntriesFile(work), args.batch, true);
  }

  Result<std::string> work = MakeWorkDir(args.dir);
  if (!work.ok()) {
    std::cerr << "cunzhang-bench: " << work.status().ToString() << "\n";
    return kExitFailed;
  }
  Result<bench::Figures> figures = Measure(args, *work);
  if (args.dir.empty()) {
    std::error_code ec;
    fs::remove_all(*work, ec);
  }
  if (!figures.ok()) {
    std::cerr << "cunzhang-bench: " << figures.status().ToString() << "\n";
    return kExitFailed;
  }
  std::cout << (args.json ? bench::FiguresToJson(*figures) : bench::FiguresToText(*figures));
  return 0;
}
