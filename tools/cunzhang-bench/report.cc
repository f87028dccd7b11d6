#include "report.h"

#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

namespace cunzhang::bench {
namespace {

double Ratio(double a, double b) { return b > 0 ? a / b : 0; }
double Mib(int64_t kib) { return static_cast<double>(kib) / 1024.0; }
const char* Verdict(bool pass) { return pass ? "PASS" : "FAIL"; }

// printf into a std::string.
__attribute__((format(printf, 2, 3))) void Appendf(std::string* out, const char* format, ...) {
  char buf[512];
  va_list args;
  va_start(args, format);
  int n = std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  if (n > 0) out->append(buf, std::min(static_cast<size_t>(n), sizeof buf - 1));
}

// "4.710, 6.099"
std::string Seconds(const std::vector<double>& runs) {
  std::string out;
  for (double s : runs) Appendf(&out, "%s%.3f", out.empty() ? "" : ", ", s);
  return out;
}

void RateRows(std::string* out, const Rate& ours, const Rate& base, double target, bool pass,
              bool ratio_on_bytes) {
  const double entries_ratio = Ratio(ours.EntriesPerSecond(), base.EntriesPerSecond());
  const double bytes_ratio = Ratio(ours.MegabytesPerSecond(), base.MegabytesPerSecond());
  Appendf(out, "  %-10s %16.3f %18.3f\n", "seconds", ours.seconds, base.seconds);
  Appendf(out, "  %-10s %16.3f %18.3f\n", "CPU s", ours.cpu_seconds, base.cpu_seconds);
  Appendf(out, "  %-10s %16.3f %18.3f\n", "all CPU s", ours.process_cpu_seconds,
          base.process_cpu_seconds);
  Appendf(out, "  %-10s %16.0f %18.0f %8.3f", "entries/s", ours.EntriesPerSecond(),
          base.EntriesPerSecond(), entries_ratio);
  if (!ratio_on_bytes) Appendf(out, "   >= %.2f  %s", target, Verdict(pass));
  Appendf(out, "\n  %-10s %16.1f %18.1f %8.3f", "MB/s", ours.MegabytesPerSecond(),
          base.MegabytesPerSecond(), bytes_ratio);
  if (ratio_on_bytes) Appendf(out, "   >= %.2f  %s", target, Verdict(pass));
  out->append("\n");
}

nlohmann::json RateJson(const Rate& rate) {
  return {{"seconds", rate.seconds},
          {"cpu_seconds", rate.cpu_seconds},
          {"process_cpu_seconds", rate.process_cpu_seconds},
          {"entries", rate.entries},
          {"bytes", rate.bytes},
          {"entries_per_s", rate.EntriesPerSecond()},
          {"mb_per_s", rate.MegabytesPerSecond()}};
}

}  // namespace

Machine DescribeMachine() {
  Machine machine;
  machine.cpus = static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN));
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos || colon + 2 > line.size()) continue;
    if (machine.cpu_model.empty() && line.rfind("model name", 0) == 0) {
      machine.cpu_model = line.substr(colon + 2);
    } else if (line.rfind("flags", 0) == 0) {
      machine.sha_ni = machine.sha_ni || (line + " ").find(" sha_ni ") != std::string::npos;
    }
  }
  return machine;
}

std::string LoadAverage() {
  std::ifstream loadavg("/proc/loadavg");
  std::string one_minute;
  loadavg >> one_minute;
  return one_minute.empty() ? "?" : one_minute;
}

double Figures::MeanEntryBytes() const {
  return ledger_append.entries > 0
             ? static_cast<double>(ledger_append.bytes) / static_cast<double>(ledger_append.entries)
             : 0;
}
double Figures::AppendRatio() const {
  return Ratio(ledger_append.EntriesPerSecond(), raw_rocksdb.EntriesPerSecond());
}
double Figures::AppendRatioOverlapped() const {
  return Ratio(ledger_append.EntriesPerSecond(), raw_rocksdb_overlapped.EntriesPerSecond());
}
double Figures::VerifyRatio() const {
  return Ratio(verify.MegabytesPerSecond(), sha256.MegabytesPerSecond());
}

std::string FiguresToText(const Figures& f) {
  std::string out;
  Appendf(&out, "cunzhang-bench: %llu entries, batches of %llu, seed %llu\n",
          static_cast<unsigned long long>(f.entries),
          static_cast<unsigned long long>(f.batch_entries),
          static_cast<unsigned long long>(f.seed));
  Appendf(&out, "machine: %d CPUs, %s, SHA-NI %s; load average %s before, %s after\n",
          f.machine.cpus, f.machine.cpu_model.c_str(), f.machine.sha_ni ? "yes" : "no",
          f.load_before.c_str(), f.load_after.c_str());
  Appendf(&out, "mean canonical entry: %.1f bytes; %.1f MB of entries; export file %.1f MB\n\n",
          f.MeanEntryBytes(), static_cast<double>(f.ledger_append.bytes) / 1e6,
          static_cast<double>(f.sha256.bytes) / 1e6);
  Appendf(&out, "%-12s %16s %18s %8s   %s\n", "append", "AppendBatches", "raw RocksDB", "ratio",
          "target");
  RateRows(&out, f.ledger_append, f.raw_rocksdb, kAppendRatioTarget, f.AppendPass(), false);
  Appendf(&out, "  (the fastest of %zu runs each, alternated: ledger %s s; raw %s s)\n",
          f.ledger_append_runs.size(), Seconds(f.ledger_append_runs).c_str(),
          Seconds(f.raw_rocksdb_runs).c_str());
  Appendf(&out,
          "  (for information: raw RocksDB with each batch's sync overlapping the next batch, as\n"
          "   AppendBatches does: %.3f s, %.0f entries/s; ratio %.3f)\n",
          f.raw_rocksdb_overlapped.seconds, f.raw_rocksdb_overlapped.EntriesPerSecond(),
          f.AppendRatioOverlapped());
  Appendf(&out, "\n%-12s %16s %18s %8s   %s\n", "verify", "VerifyBundle", "OpenSSL SHA-256",
          "ratio", "target");
  RateRows(&out, f.verify, f.sha256, kVerifyRatioTarget, f.VerifyPass(), true);
  Appendf(&out,
          "\nverifier peak RSS: %.1f MiB at %llu entries, %.1f MiB at %llu entries; "
          "growth %.1f MiB (target < %.0f MiB) %s\n",
          Mib(f.small_rss_kib), static_cast<unsigned long long>(f.small_entries),
          Mib(f.full_rss_kib), static_cast<unsigned long long>(f.entries), Mib(f.RssGrowthKib()),
          Mib(kVerifierGrowthKibMax), Verdict(f.MemoryPass()));
  Appendf(&out, "  (the same program doing nothing peaks at %.1f MiB)\n", Mib(f.idle_rss_kib));
  Appendf(&out, "export of all entries (ExportBundle, for information): %.3f s\n",
          f.export_seconds);
  return out;
}

std::string FiguresToJson(const Figures& f) {
  nlohmann::json j = {
      {"entries", f.entries},
      {"batch", f.batch_entries},
      {"seed", f.seed},
      {"machine",
       {{"cpus", f.machine.cpus},
        {"cpu_model", f.machine.cpu_model},
        {"sha_ni", f.machine.sha_ni},
        {"load_average_before", f.load_before},
        {"load_average_after", f.load_after}}},
      {"mean_entry_bytes", f.MeanEntryBytes()},
      {"append",
       {{"ledger", RateJson(f.ledger_append)},
        {"baseline", RateJson(f.raw_rocksdb)},
        {"baseline_name", "raw RocksDB WriteBatch, sync"},
        {"ratio", f.AppendRatio()},
        {"ledger_runs_seconds", f.ledger_append_runs},
        {"baseline_runs_seconds", f.raw_rocksdb_runs},
        {"baseline_overlapped", RateJson(f.raw_rocksdb_overlapped)},
        {"baseline_overlapped_name",
         "raw RocksDB WriteBatch, synced by SyncWAL overlapping the next batch (for information)"},
        {"ratio_overlapped", f.AppendRatioOverlapped()},
        {"target_ratio_min", kAppendRatioTarget},
        {"pass", f.AppendPass()}}},
      {"verify",
       {{"verifier", RateJson(f.verify)},
        {"baseline", RateJson(f.sha256)},
        {"baseline_name", "OpenSSL SHA-256 over entries.jsonl"},
        {"ratio", f.VerifyRatio()},
        {"target_ratio_min", kVerifyRatioTarget},
        {"pass", f.VerifyPass()}}},
      {"verifier_memory",
       {{"small_entries", f.small_entries},
        {"small_peak_rss_kib", f.small_rss_kib},
        {"full_entries", f.entries},
        {"full_peak_rss_kib", f.full_rss_kib},
        {"growth_kib", f.RssGrowthKib()},
        {"idle_peak_rss_kib", f.idle_rss_kib},
        {"target_growth_kib_max", kVerifierGrowthKibMax},
        {"pass", f.MemoryPass()}}},
      {"export_seconds", f.export_seconds},
  };
  return j.dump(2) + "\n";
}

}  // namespace cunzhang::bench
