#include "measure.h"

#include <fcntl.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <future>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "cunzhang/bundle.h"
#include "cunzhang/export.h"
#include "cunzhang/hash.h"
#include "cunzhang/limits.h"
#include "cunzhang/store.h"
#include "cunzhang/verify.h"
#include "synth.h"

namespace cunzhang::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kReadChunkBytes = 1u << 20;
// Both appends take their batches a hundred at a time, built or read untimed.
constexpr uint64_t kRunBatches = 100;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double CpuSeconds(clockid_t clock) {
  struct timespec ts {};
  ::clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Adds up the wall time (steady_clock), this thread's CPU time and the whole
// process's (every thread: the ledger's helpers, RocksDB's flushes) of the
// stretches between Start and Stop.
class Stopwatch {
 public:
  void Start() {
    start_ = Clock::now();
    cpu_start_ = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
    process_cpu_start_ = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
  }
  void Stop() {
    wall_ += Clock::now() - start_;
    cpu_ += CpuSeconds(CLOCK_THREAD_CPUTIME_ID) - cpu_start_;
    process_cpu_ += CpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - process_cpu_start_;
  }
  double wall_seconds() const { return Seconds(wall_); }
  double cpu_seconds() const { return cpu_; }
  double process_cpu_seconds() const { return process_cpu_; }

 private:
  Clock::time_point start_;
  Clock::duration wall_{};
  double cpu_start_ = 0;
  double cpu_ = 0;
  double process_cpu_start_ = 0;
  double process_cpu_ = 0;
};

Status Failed(const std::string& what, const std::string& detail) {
  return Status(Code::kIo, "基准测试失败：" + what, "benchmark failed: " + what + ": " + detail);
}

Status FromErrno(const std::string& what) { return Failed(what, std::strerror(errno)); }

std::string BigEndianKey(uint64_t seq) {
  std::string key(8, '\0');
  for (int i = 7; i >= 0; --i, seq >>= 8)
    key[static_cast<size_t>(i)] = static_cast<char>(seq & 0xFF);
  return key;
}

// Appends entries [first, last) in batches of `batch_entries`: generated
// untimed, then given to AppendBatches in one timed call, which syncs each
// batch on its own and returns once the last is durable.
Status AppendBatchRun(Ledger& ledger, const Village& village, uint64_t first, uint64_t last,
                      uint64_t batch_entries, Stopwatch* timed) {
  std::vector<std::vector<EntryRequest>> batches;
  for (uint64_t at = first; at < last; at += batch_entries) {
    batches.push_back(village.Batch(at, std::min(batch_entries, last - at)));
  }
  size_t acknowledged = 0;
  Status wrong;
  timed->Start();
  Status appended = ledger.AppendBatches(
      batches, [&](size_t index, std::vector<AppendOutcome> outcomes) {
        if (index != acknowledged++ || outcomes.size() != batches[index].size()) {
          wrong = Failed("append", "batch " + std::to_string(index) + " acknowledged out of turn");
        }
        for (const AppendOutcome& outcome : outcomes) {
          if (outcome.already_recorded && wrong.ok()) {
            wrong = Failed("append",
                           "entry " + std::to_string(outcome.seq) + " was already recorded");
          }
        }
      });
  timed->Stop();
  CZ_RETURN_IF_ERROR(appended);
  if (acknowledged != batches.size()) return Failed("append", "a batch was not acknowledged");
  return wrong;
}

}  // namespace

Result<AppendFigures> MeasureLedgerAppend(const AppendPlan& plan) {
  CZ_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger,
                      Ledger::Create(plan.ledger_dir, kBenchOrigin));
  const Village village(plan.seed);
  Stopwatch timed;
  // Runs of kRunBatches batches (about 75 MB of requests at 1,000 entries a
  // batch), ending where the small bundle is exported.
  const uint64_t run_entries = kRunBatches * plan.batch_entries;
  for (uint64_t first = 0; first < plan.entries;) {
    uint64_t last = std::min(first + run_entries, plan.entries);
    if (first < plan.small_entries) last = std::min(last, plan.small_entries);
    CZ_RETURN_IF_ERROR(
        AppendBatchRun(*ledger, village, first, last, plan.batch_entries, &timed));
    first = last;
    if (ledger->size() == plan.small_entries && !plan.small_bundle_dir.empty()) {
      Result<bundle::Manifest> small = ExportBundle(*ledger, plan.small_bundle_dir);
      if (!small.ok()) return small.status();
    }
  }
  if (ledger->size() != plan.entries) {
    return Failed("append", "ledger holds " + std::to_string(ledger->size()) + " entries");
  }
  AppendFigures figures;
  if (plan.bundle_dir.empty()) {  // a later round: the bytes are round 0's
    figures.append = Rate{.seconds = timed.wall_seconds(),
                          .cpu_seconds = timed.cpu_seconds(),
                          .process_cpu_seconds = timed.process_cpu_seconds(),
                          .entries = ledger->size()};
    return figures;
  }
  const Clock::time_point start = Clock::now();
  CZ_ASSIGN_OR_RETURN(bundle::Manifest manifest, ExportBundle(*ledger, plan.bundle_dir));
  figures.export_seconds = Seconds(Clock::now() - start);
  // Every exported line is the canonical entry plus '\n'.
  figures.append = Rate{.seconds = timed.wall_seconds(),
                        .cpu_seconds = timed.cpu_seconds(),
                        .process_cpu_seconds = timed.process_cpu_seconds(),
                        .entries = manifest.size,
                        .bytes = manifest.entries_bytes - manifest.size};
  return figures;
}

Result<Rate> MeasureRawRocksDb(const std::string& db_dir, const std::string& entries_file,
                               uint64_t batch_entries, bool overlap_syncs) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.error_if_exists = true;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status opened = rocksdb::DB::Open(options, db_dir, &raw);
  if (!opened.ok()) return Failed("open raw RocksDB", opened.ToString());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(entries_file.c_str(), "rb"),
                                                       &std::fclose);
  if (file == nullptr) return FromErrno("open " + entries_file);
  bundle::LineReader reader(file.get(), limits::kEntryBytesMax);
  rocksdb::WriteOptions sync;
  sync.sync = !overlap_syncs;
  std::future<rocksdb::Status> syncing;  // overlap_syncs: the last batch's
  auto finish_sync = [&]() -> Status {
    if (!syncing.valid()) return Status::Ok();
    rocksdb::Status synced = syncing.get();
    return synced.ok() ? Status::Ok() : Failed("raw RocksDB sync", synced.ToString());
  };
  Rate rate;
  Stopwatch timed;
  // Runs of kRunBatches batches, as the ledger's: read untimed, then written
  // (timed) with nothing else going on, so that a sync overlaps only timed
  // work; an overlapped run's last sync is waited for within it.
  std::vector<std::vector<std::string>> run;
  bool more = true;
  while (more) {
    run.clear();
    bundle::LineReader::Line line;
    Status status;
    while (run.size() < kRunBatches && more) {
      std::vector<std::string>& values = run.emplace_back();
      while (values.size() < batch_entries && (more = reader.Next(&line, &status))) {
        if (!status.ok()) return status;
        values.emplace_back(line.bytes);
      }
      if (!status.ok()) return status;
      if (values.empty()) run.pop_back();
    }
    if (run.empty()) break;
    timed.Start();
    for (const std::vector<std::string>& values : run) {
      rocksdb::WriteBatch batch;
      for (const std::string& value : values) {
        batch.Put(BigEndianKey(rate.entries++), value);
        rate.bytes += value.size();
      }
      rocksdb::Status written = db->Write(sync, &batch);
      if (!written.ok()) return Failed("raw RocksDB write", written.ToString());
      if (overlap_syncs) {
        CZ_RETURN_IF_ERROR(finish_sync());
        syncing = std::async(std::launch::async, [&db] { return db->SyncWAL(); });
      }
    }
    CZ_RETURN_IF_ERROR(finish_sync());
    timed.Stop();
  }
  rate.seconds = timed.wall_seconds();
  rate.cpu_seconds = timed.cpu_seconds();
  rate.process_cpu_seconds = timed.process_cpu_seconds();
  rocksdb::Status closed = db->Close();
  if (!closed.ok()) return Failed("close raw RocksDB", closed.ToString());
  return rate;
}

namespace {

// Reads `file` to the end in 1 MiB chunks, handing each chunk to `sink`.
template <typename Sink>
Result<uint64_t> ReadAll(const std::string& path, std::vector<char>* buf, Sink sink) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FromErrno("open " + path);
  uint64_t total = 0;
  for (;;) {
    ssize_t n = ::read(fd, buf->data(), buf->size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status s = FromErrno("read " + path);
      ::close(fd);
      return s;
    }
    if (n == 0) break;
    sink(std::string_view(buf->data(), static_cast<size_t>(n)));
    total += static_cast<uint64_t>(n);
  }
  ::close(fd);
  return total;
}

}  // namespace

Result<Rate> MeasureSha256(const std::string& file, int passes) {
  std::vector<char> buf(kReadChunkBytes);
  CZ_ASSIGN_OR_RETURN(uint64_t warm_bytes, ReadAll(file, &buf, [](std::string_view) {}));
  Rate best;
  for (int pass = 0; pass < passes; ++pass) {
    Stopwatch timed;
    timed.Start();
    Sha256Stream sha;
    CZ_ASSIGN_OR_RETURN(uint64_t bytes,
                        ReadAll(file, &buf, [&sha](std::string_view chunk) { sha.Update(chunk); }));
    Hash256 digest = sha.Finish();
    timed.Stop();
    if (bytes != warm_bytes || digest == Hash256()) return Failed("sha256", "file changed");
    if (pass == 0 || timed.wall_seconds() < best.seconds) {
      best =
          Rate{.seconds = timed.wall_seconds(),
               .cpu_seconds = timed.cpu_seconds(),
               .process_cpu_seconds = timed.process_cpu_seconds(),
               .bytes = bytes};
    }
  }
  return best;
}

namespace {

struct ChildOutput {
  std::string out;
  int exit_code = -1;
};

// This process's peak resident set (VmHWM), in KiB; -1 when unreadable.
// Not the child's ru_maxrss: Linux carries into it the high-water mark of
// the memory the child had before exec, a copy of the benchmark's own.
int64_t OwnPeakRssKib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtoll(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

// Runs this executable again with `args`; captures its stdout.
Result<ChildOutput> RunSelf(const std::vector<std::string>& args) {
  std::vector<std::string> argv_storage = {"/proc/self/exe"};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return FromErrno("pipe");
  std::cout.flush();
  std::cerr.flush();
  const pid_t pid = ::fork();
  if (pid < 0) return FromErrno("fork");
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  ChildOutput child;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    child.out.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return FromErrno("waitpid");
  }
  if (WIFEXITED(status)) child.exit_code = WEXITSTATUS(status);
  return child;
}

}  // namespace

Result<VerifyRun> RunVerifierChild(const std::string& bundle_dir) {
  CZ_ASSIGN_OR_RETURN(ChildOutput child, RunSelf({"--verifier-child", bundle_dir}));
  if (child.exit_code != 0) {
    return Failed("verifier child", "exit code " + std::to_string(child.exit_code));
  }
  VerifyRun run;
  try {
    nlohmann::json j = nlohmann::json::parse(child.out);
    run.verify = Rate{.seconds = j.at("seconds").get<double>(),
                      .cpu_seconds = j.at("cpu_seconds").get<double>(),
                      .process_cpu_seconds = j.at("process_cpu_seconds").get<double>(),
                      .entries = j.at("entries_checked").get<uint64_t>(),
                      .bytes = j.at("bytes_checked").get<uint64_t>()};
    run.faults_total = j.at("faults_total").get<uint64_t>();
    run.peak_rss_kib = j.at("peak_rss_kib").get<int64_t>();
  } catch (const nlohmann::json::exception& e) {
    return Failed("verifier child output", e.what());
  }
  run.ok = run.faults_total == 0;
  return run;
}

namespace {

nlohmann::json RateToJson(const Rate& rate) {
  return {{"seconds", rate.seconds},
          {"cpu_seconds", rate.cpu_seconds},
          {"process_cpu_seconds", rate.process_cpu_seconds},
          {"entries", rate.entries},
          {"bytes", rate.bytes}};
}

Rate RateFromJson(const nlohmann::json& j) {
  return Rate{.seconds = j.at("seconds").get<double>(),
              .cpu_seconds = j.at("cpu_seconds").get<double>(),
              .process_cpu_seconds = j.at("process_cpu_seconds").get<double>(),
              .entries = j.at("entries").get<uint64_t>(),
              .bytes = j.at("bytes").get<uint64_t>()};
}

// Runs a child that prints one JSON object; `what` names it in errors.
Result<nlohmann::json> RunJsonChild(const std::vector<std::string>& args, const std::string& what) {
  CZ_ASSIGN_OR_RETURN(ChildOutput child, RunSelf(args));
  if (child.exit_code != 0) return Failed(what, "exit code " + std::to_string(child.exit_code));
  try {
    return nlohmann::json::parse(child.out);
  } catch (const nlohmann::json::exception& e) {
    return Failed(what + " output", e.what());
  }
}

int PrintJson(const nlohmann::json& j) {
  std::cout << j.dump() << "\n";
  return std::cout.good() ? 0 : 1;
}

int PrintError(const Status& status) {
  std::cerr << "cunzhang-bench: " << status.ToString() << "\n";
  return 1;
}

}  // namespace

Result<AppendFigures> RunAppendChild(const std::vector<std::string>& args) {
  CZ_ASSIGN_OR_RETURN(nlohmann::json j, RunJsonChild(args, "append child"));
  try {
    return AppendFigures{.append = RateFromJson(j.at("append")),
                         .export_seconds = j.at("export_seconds").get<double>()};
  } catch (const nlohmann::json::exception& e) {
    return Failed("append child output", e.what());
  }
}

Result<Rate> RunRawChild(const std::vector<std::string>& args) {
  CZ_ASSIGN_OR_RETURN(nlohmann::json j, RunJsonChild(args, "raw RocksDB child"));
  try {
    return RateFromJson(j);
  } catch (const nlohmann::json::exception& e) {
    return Failed("raw RocksDB child output", e.what());
  }
}

int AppendChildMain(const AppendPlan& plan) {
  Result<AppendFigures> figures = MeasureLedgerAppend(plan);
  if (!figures.ok()) return PrintError(figures.status());
  return PrintJson({{"append", RateToJson(figures->append)},
                    {"export_seconds", figures->export_seconds}});
}

int RawChildMain(const std::string& db_dir, const std::string& entries_file, uint64_t batch_entries,
                 bool overlap_syncs) {
  Result<Rate> rate = MeasureRawRocksDb(db_dir, entries_file, batch_entries, overlap_syncs);
  if (!rate.ok()) return PrintError(rate.status());
  return PrintJson(RateToJson(*rate));
}

Result<int64_t> IdleChildPeakRssKib() {
  CZ_ASSIGN_OR_RETURN(ChildOutput child, RunSelf({"--idle-child"}));
  if (child.exit_code != 0)
    return Failed("idle child", "exit code " + std::to_string(child.exit_code));
  try {
    return nlohmann::json::parse(child.out).at("peak_rss_kib").get<int64_t>();
  } catch (const nlohmann::json::exception& e) {
    return Failed("idle child output", e.what());
  }
}

int IdleChildMain() {
  std::cout << nlohmann::json{{"peak_rss_kib", OwnPeakRssKib()}}.dump() << "\n";
  return std::cout.good() ? 0 : 1;
}

int VerifierChildMain(const std::string& bundle_dir) {
  Stopwatch timed;
  timed.Start();
  verify::Report report = verify::VerifyBundle(bundle_dir, verify::Options{});
  timed.Stop();
  nlohmann::json j = {
      {"seconds", timed.wall_seconds()},
      {"cpu_seconds", timed.cpu_seconds()},
      {"process_cpu_seconds", timed.process_cpu_seconds()},
      {"entries_checked", report.entries_checked}, {"bytes_checked", report.bytes_checked},
      {"faults_total", report.faults_total},       {"peak_rss_kib", OwnPeakRssKib()}};
  std::cout << j.dump() << "\n";
  return std::cout.good() ? 0 : 1;
}

}  // namespace cunzhang::bench
