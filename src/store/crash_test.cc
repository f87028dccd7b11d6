// Kills a writer with SIGKILL at random moments and checks, after each kill,
// that the ledger opens, holds every entry the writer had been told was
// durable, and replays from nothing to exactly its stored root and state.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cunzhang/hash.h"
#include "cunzhang/merkle.h"
#include "cunzhang/store.h"
#include "store/ledger_test_util.h"
#include "store/rocks_ledger.h"
#include "test_util.h"

namespace cunzhang {
namespace {

constexpr int kRounds = 16;
constexpr size_t kBatchEntriesMax = 50;
constexpr int kKillAfterMillisMax = 250;
constexpr int kChildStartMillisMax = 10'000;

// One request of the history, the same every time it is asked for, so a
// restarted writer can retry a batch of an earlier life. Valid wherever the
// batch lands: in every four, a household joins, then contributes capital
// three times; a batch starts with a join and is atomic, so each
// contribution's member exists. 350 to 550 bytes.
EntryRequest CrashRequest(int round, uint64_t batch, size_t index) {
  const std::string id =
      "r" + std::to_string(round) + "-b" + std::to_string(batch) + "-" + std::to_string(index);
  const auto n = static_cast<int64_t>(batch * kBatchEntriesMax + index);
  const std::string member =
      "r" + std::to_string(round) + "-b" + std::to_string(batch) + "-m" + std::to_string(index / 4);
  EntryRequest r;
  r.op = Operator{.name = "李出纳", .role = "clerk"};
  r.idempotency_id = id;
  if (index % 4 == 0) {
    r.type = "member.join";
    r.body = json::Value::Object({
        {"member_id", json::Value::String(member)},
        {"kind", json::Value::String("household")},
        {"name", json::Value::String("张秀英")},
        {"household", json::Value::String("大新井村三组 " + std::to_string(n % 90) + " 号")},
        {"date", json::Value::String("2026-02-01")},
        {"id_commitment", json::Value::String(Sha256("crash-" + member).Hex())},
    });
    return r;
  }
  r.type = "contribution.capital";
  r.body = json::Value::Object({
      {"member_id", json::Value::String(member)},
      {"date", json::Value::String("2026-03-01")},
      {"amount_fen", json::Value::Int(1000 + n * 37)},
  });
  return r;
}

// The cooperative every round appends to: registered once, before the
// first writer starts.
EntryRequest RegisterRequest() {
  return EntryRequest{.type = "org.register",
                      .op = Operator{.name = "李出纳", .role = "clerk"},
                      .idempotency_id = "org",
                      .body = json::Value::Object({
                          {"kind", json::Value::String("cooperative")},
                          {"name", json::Value::String("大新井村兴农农机专业合作社")},
                          {"founded", json::Value::String("2026-01-01")},
                          {"share_price_fen", json::Value::Int(100)},
                          {"registered_capital_fen", json::Value::Int(1'000'000'000)},
                      })};
}

std::vector<EntryRequest> CrashBatch(int round, uint64_t batch, size_t count) {
  std::vector<EntryRequest> requests;
  for (size_t i = 0; i < count; ++i) requests.push_back(CrashRequest(round, batch, i));
  return requests;
}

size_t BatchLength(int round, uint64_t batch) {
  std::mt19937_64 rng(static_cast<uint64_t>(round) * 1'000'003 + batch);
  return 1 + static_cast<size_t>(rng() % kBatchEntriesMax);
}

// One write(2) per line: a pipe keeps writes up to PIPE_BUF whole.
void WriteLine(int fd, const std::string& line) {
  std::string text = line.substr(0, PIPE_BUF - 1) + "\n";
  while (::write(fd, text.data(), text.size()) < 0 && errno == EINTR) {
  }
}

// The writer: retries the first batch of the round before (answered, never
// written twice), then appends fresh batches until it is killed. Once a batch
// is acknowledged durable it reports "ack <first seq> <id>...". Never returns.
[[noreturn]] void WriterChild(const std::string& path, int round, int fd) {
  auto ledger = Ledger::Open(path, Ledger::Mode::kWrite);
  if (!ledger.ok()) {
    WriteLine(fd, "error open: " + ledger.status().ToString());
    ::_exit(2);
  }
  if (round > 0) {
    auto retried = (*ledger)->Append(CrashBatch(round - 1, 0, BatchLength(round - 1, 0)));
    if (!retried.ok()) {
      WriteLine(fd, "error retry: " + retried.status().ToString());
      ::_exit(3);
    }
    size_t answered = 0;
    for (const AppendOutcome& o : *retried) answered += o.already_recorded ? 1 : 0;
    WriteLine(fd, "retry " + std::to_string(answered) + " " + std::to_string(retried->size()));
  }
  WriteLine(fd, "ready");
  auto acknowledge = [&](uint64_t batch, const std::vector<AppendOutcome>& outcomes) {
    std::string line = "ack " + std::to_string(outcomes.front().seq);
    for (size_t i = 0; i < outcomes.size(); ++i) {
      const AppendOutcome& o = outcomes[i];
      if (o.already_recorded || o.seq != outcomes.front().seq + i) {
        WriteLine(fd, "error: fresh ids were not given dense new seqs");
        ::_exit(5);
      }
      line += " " + CrashRequest(round, batch, i).idempotency_id;
    }
    WriteLine(fd, line);
  };
  // Even rounds append batch by batch (Append); odd rounds in runs of four
  // (AppendBatches, which syncs one batch while it builds the next and
  // acknowledges each once it is synced).
  constexpr uint64_t kRun = 4;
  for (uint64_t batch = 0;;) {
    if (round % 2 == 0) {
      auto outcomes = (*ledger)->Append(CrashBatch(round, batch, BatchLength(round, batch)));
      if (!outcomes.ok()) {
        WriteLine(fd, "error append: " + outcomes.status().ToString());
        ::_exit(4);
      }
      acknowledge(batch++, *outcomes);
      continue;
    }
    std::vector<std::vector<EntryRequest>> run;
    for (uint64_t i = 0; i < kRun; ++i) {
      run.push_back(CrashBatch(round, batch + i, BatchLength(round, batch + i)));
    }
    Status appended = (*ledger)->AppendBatches(
        run, [&](size_t i, std::vector<AppendOutcome> outcomes) { acknowledge(batch + i, outcomes); });
    if (!appended.ok()) {
      WriteLine(fd, "error append: " + appended.ToString());
      ::_exit(4);
    }
    batch += kRun;
  }
}

// Reads whatever is available until `deadline` (or end of file when the
// deadline is empty); returns false at end of file.
bool ReadFor(int fd, std::string* out, int millis) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(millis);
  char buf[4096];
  while (millis < 0 || std::chrono::steady_clock::now() < deadline) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      out->append(buf, static_cast<size_t>(n));
    } else if (n == 0) {
      return false;
    } else if (errno == EAGAIN) {
      ::usleep(1000);
    } else if (errno != EINTR) {
      return false;
    }
  }
  return true;
}

struct RoundReport {
  bool ready = false;
  std::string error;
  std::optional<std::pair<size_t, size_t>> retry;  // answered, total
  std::map<uint64_t, std::string> acked;           // seq -> idempotency id
};

RoundReport ParseReport(const std::string& text) {
  RoundReport report;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (lines.eof()) break;  // a line cut short by the kill is not a report
    std::istringstream words(line);
    std::string word;
    words >> word;
    if (word == "ready") {
      report.ready = true;
    } else if (word == "retry") {
      size_t answered = 0, total = 0;
      words >> answered >> total;
      report.retry = {answered, total};
    } else if (word == "ack") {
      uint64_t seq = 0;
      words >> seq;
      for (std::string id; words >> id; ++seq) report.acked[seq] = id;
    } else {
      report.error = line;
    }
  }
  return report;
}

// Replays the whole ledger from nothing: every entry decodes, links to the
// one before, and passes the rules; the tree and state come out as stored.
std::string Replay(Ledger& ledger) {
  std::string failure;
  Hash256 prev;
  merkle::CompactRange range;
  domain::State state;
  Status scanned = ledger.Scan(0, ledger.size(), [&](uint64_t seq, std::string_view bytes) {
    auto entry = DecodeEntry(bytes);
    if (!entry.ok()) {
      failure = "entry " + std::to_string(seq) + " does not decode: " + entry.status().ToString();
    } else if (entry->seq != seq || entry->prev != prev) {
      failure = "entry " + std::to_string(seq) + " has the wrong seq or prev";
    } else if (Status applied = domain::Apply(&state, *entry); !applied.ok()) {
      failure = "entry " + std::to_string(seq) + " breaks the rules: " + applied.ToString();
    }
    prev = LeafHash(bytes);
    range.Append(prev);
    return failure.empty();
  });
  if (!scanned.ok()) return "scan failed: " + scanned.ToString();
  if (!failure.empty()) return failure;
  if (range.size() != ledger.size()) return "scan stopped early";
  if (range.Root() != ledger.root()) return "replayed root differs from the stored root";
  // The replay kept every effect in memory; the ledger keeps them as rows.
  for (const auto& [seq, effect] : state.effects) {
    Result<std::optional<domain::Effect>> stored = domain::FindEffect(ledger.state(), seq);
    if (!stored.ok() || !*stored || !(**stored == effect))
      return "the stored effect of entry " + std::to_string(seq) + " differs from the replayed one";
  }
  state.effects.clear();
  if (!ledger.state().effects.empty()) return "the ledger holds effects in memory";
  if (!(state == ledger.state())) return "replayed state differs from the stored state";
  return {};
}

std::string CheckAcknowledged(Ledger& ledger, const std::map<uint64_t, std::string>& acked) {
  for (const auto& [seq, id] : acked) {
    if (seq >= ledger.size()) return "acknowledged entry " + std::to_string(seq) + " is missing";
    auto found = ledger.FindIdempotencyId(id);
    if (!found.ok() || *found != std::optional<uint64_t>(seq)) {
      return "id " + id + " is not recorded at its acknowledged seq " + std::to_string(seq);
    }
    auto entry = DecodeEntry(*ledger.EntryBytes(seq));
    if (!entry.ok() || entry->idempotency_id != id) {
      return "entry " + std::to_string(seq) + " does not hold id " + id;
    }
  }
  return {};
}

TEST_CASE("A writer killed at random moments loses no acknowledged entry and replays",
          "[store][crash]") {
  // A small limit on the log (the writers are forked from here and keep
  // it), so that kills also land while a log file is cut, the column
  // families holding it are flushed and it is deleted.
  const store_testing::ScopedTestHook<uint64_t> hook(store_impl::SetWalBytesMaxForTesting,
                                                     64u << 10);
  testing::TempDir dir;
  const std::string path = dir / "village";
  {
    auto created = Ledger::Create(path, "cunzhang.example/daxinjing");
    REQUIRE(created.ok());
    REQUIRE((*created)->Append({RegisterRequest()}).ok());
  }

  std::mt19937_64 rng(20240301);
  std::map<uint64_t, std::string> acked;
  bool previous_first_batch_acked = false;
  for (int round = 0; round < kRounds; ++round) {
    INFO("round " << round);
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(fds[0]);
      WriterChild(path, round, fds[1]);  // never returns into Catch
    }
    ::close(fds[1]);
    REQUIRE(::fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0);

    std::string text;
    bool open = true;
    const auto started = std::chrono::steady_clock::now();
    while (open && text.find("ready\n") == std::string::npos &&
           std::chrono::steady_clock::now() - started <
               std::chrono::milliseconds(kChildStartMillisMax)) {
      open = ReadFor(fds[0], &text, 5);
    }
    if (open) ReadFor(fds[0], &text, static_cast<int>(rng() % kKillAfterMillisMax));
    ::kill(pid, SIGKILL);
    int wait_status = 0;
    REQUIRE(::waitpid(pid, &wait_status, 0) == pid);
    ::fcntl(fds[0], F_SETFL, 0);
    ReadFor(fds[0], &text, -1);
    ::close(fds[0]);

    RoundReport report = ParseReport(text);
    REQUIRE(report.error.empty());
    REQUIRE(report.ready);
    CHECK((WIFSIGNALED(wait_status) && WTERMSIG(wait_status) == SIGKILL));
    if (round > 0) {
      REQUIRE(report.retry.has_value());
      // A retried batch that was acknowledged is answered in full, not written again.
      if (previous_first_batch_acked) CHECK(report.retry->first == report.retry->second);
    }
    previous_first_batch_acked = false;
    for (const auto& [seq, id] : report.acked) {
      if (id == "r" + std::to_string(round) + "-b0-0") previous_first_batch_acked = true;
      acked[seq] = id;
    }

    auto ledger = Ledger::Open(path, Ledger::Mode::kReadOnly);
    REQUIRE(ledger.status().ToString() == "OK");
    CHECK(CheckAcknowledged(**ledger, acked) == std::string());
    CHECK(Replay(**ledger) == std::string());
  }
  // The kills must have landed on a writer that was appending.
  CHECK(acked.size() >= static_cast<size_t>(kRounds));
}

}  // namespace
}  // namespace cunzhang
