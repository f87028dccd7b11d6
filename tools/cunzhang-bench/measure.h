// The benchmark's measurements, each paired with the baseline it is judged
// against: the ledger's durable batched append against raw RocksDB batched
// puts of the same bytes, and the verifier against raw SHA-256 of the same
// export file. Timing uses std::chrono::steady_clock; rates are reported as
// doubles (they are measurements, never amounts).
#ifndef CUNZHANG_TOOLS_BENCH_MEASURE_H_
#define CUNZHANG_TOOLS_BENCH_MEASURE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "cunzhang/status.h"

namespace cunzhang::bench {

// Work done in some seconds. MB are 10^6 bytes.
struct Rate {
  double seconds = 0;      // wall clock
  double cpu_seconds = 0;  // CPU of the measuring thread (not RocksDB's background threads)
  double process_cpu_seconds = 0;  // CPU of every thread of the process while measuring
  uint64_t entries = 0;
  uint64_t bytes = 0;
  double EntriesPerSecond() const {
    return seconds > 0 ? static_cast<double>(entries) / seconds : 0;
  }
  double MegabytesPerSecond() const {
    return seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0;
  }
};

struct AppendPlan {
  std::string ledger_dir;        // must not exist
  std::string bundle_dir;        // export of all entries; "" for none (bytes then 0)
  std::string small_bundle_dir;  // export of the first `small_entries`; "" for none
  uint64_t entries = 0;
  uint64_t batch_entries = 0;
  uint64_t small_entries = 0;  // a multiple of batch_entries, or `entries`
  uint64_t seed = 0;
};

struct AppendFigures {
  Rate append;                // Ledger::AppendBatches calls only; bytes = canonical entry bytes
  double export_seconds = 0;  // ExportBundle of all entries (for information)
};

// Creates a ledger, appends the synthetic history in batches (each one
// synced write of its own, given to Ledger::AppendBatches a hundred batches
// at a time), exports the first small_entries when the ledger reaches that
// size and everything at the end. Only the AppendBatches calls are timed.
Result<AppendFigures> MeasureLedgerAppend(const AppendPlan& plan);

// The baseline: a fresh RocksDB with default options (create_if_missing
// only) takes the canonical entry bytes of `entries_file` (one per line)
// under 8-byte big-endian keys, `batch_entries` per WriteBatch, each written
// with WriteOptions::sync. The file is read a hundred batches at a time,
// untimed; building and writing the batches is timed.
//
// With `overlap_syncs` (a second baseline, for information): each batch is
// written unsynced, then the sync of the batch before (DB::SyncWAL on a
// thread of its own) is waited for, and this batch's sync started — what
// Ledger::AppendBatches does around its own work. Each batch still gets a
// sync that began after its write; the timing ends when the last is done.
Result<Rate> MeasureRawRocksDb(const std::string& db_dir, const std::string& entries_file,
                               uint64_t batch_entries, bool overlap_syncs);

// The baseline: OpenSSL SHA-256 (Sha256Stream) over `file` read in 1 MiB
// chunks. One untimed read warms the page cache first; the fastest of
// `passes` timed passes is returned.
Result<Rate> MeasureSha256(const std::string& file, int passes);

// One run of the verifier in a child process (this program re-executed), so
// its peak resident set is its own and not the benchmark's. The page cache
// is as warm as MeasureSha256 left it.
struct VerifyRun {
  Rate verify;      // VerifyBundle alone, timed in the child
  bool ok = false;  // the report had no fault
  uint64_t faults_total = 0;
  int64_t peak_rss_kib = 0;  // the child's VmHWM at the end of the run
};
Result<VerifyRun> RunVerifierChild(const std::string& bundle_dir);
// Peak RSS of this program re-executed doing nothing: the floor under the
// verifier's figure (executable, shared libraries, allocator).
Result<int64_t> IdleChildPeakRssKib();

// MeasureLedgerAppend and MeasureRawRocksDb, each in a child process (this
// program re-executed with `args`, which must make it call AppendChildMain
// or RawChildMain). Each side then starts from a fresh process: run one
// after the other in one process, the second reused the memory the first
// had faulted in and freed (glibc raises its mmap threshold after large
// frees), which made raw RocksDB's loop twice as fast as in a fresh process
// and the ratio depend on which ran first.
Result<AppendFigures> RunAppendChild(const std::vector<std::string>& args);
Result<Rate> RunRawChild(const std::vector<std::string>& args);

// The children's side: each prints one JSON line on stdout and returns the
// process exit code (1 after printing an error on stderr).
int VerifierChildMain(const std::string& bundle_dir);
int IdleChildMain();
int AppendChildMain(const AppendPlan& plan);
int RawChildMain(const std::string& db_dir, const std::string& entries_file, uint64_t batch_entries,
                 bool overlap_syncs);

}  // namespace cunzhang::bench

#endif  // CUNZHANG_TOOLS_BENCH_MEASURE_H_
