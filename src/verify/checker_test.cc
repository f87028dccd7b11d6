// The checks driven line by line, as the reading pipeline drives them, for
// what a bundle alone cannot bring about: the verifier's own failure. When
// its temporary file of effects cannot be read back, the entry that needed
// it is an `incomplete` fault, not a rule violation, and no later entry is
// judged against the rules.
#include "checker.h"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "cunzhang/limits.h"
#include "typed_history.h"

namespace cunzhang::verify {
namespace {

constexpr const char* kOrigin = "cunzhang.example/daxinjing";

Entry MakeEntry(uint64_t seq, std::string type, json::Value body) {
  Entry e;
  e.version = limits::kFormatVersion;
  e.seq = seq;
  e.origin = kOrigin;
  e.time = "2026-04-01T09:30:00+08:00";
  e.type = std::move(type);
  e.op = Operator{.name = "王会计", .role = "accountant"};
  e.idempotency_id = "req-" + std::to_string(seq);
  e.body = std::move(body);
  return e;
}

// The typed history up to member 2's capital contribution, then the
// reversal of member 1's, then a note: linked lines of entries.jsonl.
std::vector<std::string> HistoryWithReversal(uint64_t* reversal_seq) {
  std::vector<Entry> entries;
  const uint64_t last = testing::HistorySeq(2, 1);
  for (uint64_t seq = 0; seq <= last; ++seq) {
    testing::TypedBody typed = testing::HistoryEntry(seq);
    entries.push_back(MakeEntry(seq, typed.type, std::move(typed.body)));
  }
  *reversal_seq = entries.size();
  entries.push_back(MakeEntry(
      *reversal_seq, "entry.reverse",
      json::Value::Object(
          {{"date", json::Value::String("2026-04-01")},
           {"reason", json::Value::String("录入错误，冲销")},
           {"seq", json::Value::Int(static_cast<int64_t>(testing::HistorySeq(1, 1)))}})));
  testing::TypedBody note = testing::HistoryEntry(testing::HistorySeq(1, 3));
  entries.push_back(MakeEntry(entries.size(), note.type, std::move(note.body)));
  return testing::Link(std::move(entries));
}

// Feeds the lines to a checker one by one, spilling effects after each, and
// calls `before(seq)` before each line.
template <class Before>
Report CheckLines(const std::vector<std::string>& lines, Before before) {
  Report report;
  Options options;
  Checker checker(options, &report);
  Sha256Stream file_hash;
  uint64_t bytes = 0;
  DecodedLine decoded;
  for (size_t i = 0; i < lines.size(); ++i) {
    before(i);
    DecodeLine(lines[i], &decoded);
    checker.OnLine(bundle::LineReader::Line{.bytes = lines[i],
                                            .number = static_cast<int64_t>(i) + 1,
                                            .terminated = true},
                   LeafHash(lines[i]), &decoded);
    checker.EndBatch();
    file_hash.Update(lines[i] + "\n");
    bytes += lines[i].size() + 1;
  }
  checker.Finish(bytes, file_hash.Finish());
  return report;
}

// Points this process's descriptor of the verifier's (unlinked) temporary
// file at /dev/null: every later read of it ends at once. True if found.
bool BreakTemporaryFile() {
  bool found = false;
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const std::string target = std::filesystem::read_symlink(fd.path(), ec).string();
    if (ec || target.find("cunzhang-verify-effects-") == std::string::npos) continue;
    int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    REQUIRE(null >= 0);
    REQUIRE(::dup2(null, std::stoi(fd.path().filename().string())) >= 0);
    ::close(null);
    found = true;
  }
  return found;
}

}  // namespace

TEST_CASE("a reversal whose target's effect cannot be read back is an incomplete fault",
          "[verify][effects]") {
  uint64_t reversal = 0;
  const std::vector<std::string> lines = HistoryWithReversal(&reversal);

  // Untouched, the history is clean: the reversal finds its target's effect
  // in the temporary file.
  Report clean = CheckLines(lines, [](size_t) {});
  INFO((clean.faults.empty() ? std::string() : clean.faults[0].en));
  CHECK(clean.ok());
  CHECK(clean.notes.empty());

  Report broken = CheckLines(lines, [&](size_t seq) {
    if (seq == reversal) REQUIRE(BreakTemporaryFile());
  });
  REQUIRE(broken.faults_total == 1);
  const Fault& fault = broken.faults[0];
  CHECK(fault.kind == kind::kIncomplete);
  CHECK(fault.entry == static_cast<int64_t>(reversal));
  CHECK(fault.line == static_cast<int64_t>(reversal) + 1);
  CHECK(fault.en.find("temporary file cannot be read") != std::string::npos);
  CHECK(fault.zh.find("此后的条目未按业务规则检查") != std::string::npos);
  // The chain and the tree were still checked to the end.
  CHECK(broken.entries_checked == lines.size());
  CHECK(broken.root == clean.root);
}

}  // namespace cunzhang::verify
