// What one benchmark run found, judged against the targets of the issue, as a
// table for people or a JSON document for scripts.
#ifndef CUNZHANG_TOOLS_BENCH_REPORT_H_
#define CUNZHANG_TOOLS_BENCH_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "measure.h"

namespace cunzhang::bench {

// The targets at 1,000,000 entries on the 2-core machine (docs/PERFORMANCE.md).
inline constexpr double kVerifyRatioTarget = 0.25;           // verify MB/s ÷ SHA-256 MB/s
inline constexpr double kAppendRatioTarget = 0.50;           // ledger ÷ raw RocksDB entries/s
inline constexpr int64_t kVerifierGrowthKibMax = 16 * 1024;  // peak RSS, small → full size

struct Machine {
  int cpus = 0;
  std::string cpu_model;
  bool sha_ni = false;
};
Machine DescribeMachine();
// The 1-minute load average (/proc/loadavg): other work on the machine skews
// every figure, so the report states it.
std::string LoadAverage();

struct Figures {
  uint64_t entries = 0;
  uint64_t batch_entries = 0;
  uint64_t seed = 0;
  Machine machine;
  std::string load_before;
  std::string load_after;
  Rate ledger_append;  // the fastest of the alternated runs
  Rate raw_rocksdb;    // the fastest of the alternated runs
  std::vector<double> ledger_append_runs;  // seconds of every run, in order
  std::vector<double> raw_rocksdb_runs;
  Rate raw_rocksdb_overlapped;  // for information: the baseline with its syncs overlapped
  double export_seconds = 0;
  Rate verify;
  Rate sha256;
  int64_t idle_rss_kib = 0;
  uint64_t small_entries = 0;
  int64_t small_rss_kib = 0;
  int64_t full_rss_kib = 0;

  double MeanEntryBytes() const;
  double AppendRatio() const;  // entries/s; the same bytes, so MB/s gives the same ratio
  double AppendRatioOverlapped() const;  // against raw_rocksdb_overlapped
  double VerifyRatio() const;  // MB/s over the same file
  int64_t RssGrowthKib() const { return full_rss_kib - small_rss_kib; }
  bool AppendPass() const { return AppendRatio() >= kAppendRatioTarget; }
  bool VerifyPass() const { return VerifyRatio() >= kVerifyRatioTarget; }
  bool MemoryPass() const { return RssGrowthKib() < kVerifierGrowthKibMax; }
};

std::string FiguresToText(const Figures& figures);
std::string FiguresToJson(const Figures& figures);

}  // namespace cunzhang::bench

#endif  // CUNZHANG_TOOLS_BENCH_REPORT_H_
