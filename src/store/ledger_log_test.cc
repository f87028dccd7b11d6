// The write-ahead log through a long import (kept near its limit, old
// files deleted) and readers that open the ledger while the writer cuts and
// deletes its files.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cunzhang/store.h"
#include "store/ledger_test_util.h"
#include "store/rocks_ledger.h"
#include "test_util.h"

namespace cunzhang {
namespace {

using namespace store_testing;  // NOLINT: the helpers of these tests

// The bytes of write-ahead log (RocksDB's *.log files) in a ledger directory.
// RocksDB's flush thread deletes old ones meanwhile: a file gone between
// the listing and its size counts nothing.
uint64_t LogBytes(const std::string& path) {
  uint64_t bytes = 0;
  for (const auto& file : std::filesystem::directory_iterator(path)) {
    std::error_code gone;
    const uint64_t size = file.path().extension() == ".log" ? file.file_size(gone) : 0;
    if (!gone) bytes += size;
  }
  return bytes;
}

// LogBytes once the flushes the log's size asked for have had time to end
// (up to a second): they run on RocksDB's own thread, after the append that
// passed the limit returned. A log that is never cut stays as large.
uint64_t SettledLogBytes(const std::string& path, uint64_t limit) {
  uint64_t bytes = LogBytes(path);
  for (int i = 0; i < 100 && bytes > limit; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    bytes = LogBytes(path);
  }
  return bytes;
}

TEST_CASE(
    "The write-ahead log stays near its limit however long the import, and the ledger "
    "reopens whole",
    "[store]") {
  // With a limit of 1 MiB, the small column families are flushed as the log
  // passes it and the old log files go; without it the log would keep every
  // byte appended here (about 8 MB), as RocksDB's default allows gigabytes.
  constexpr uint64_t kLimit = 1u << 20;
  const ScopedTestHook<uint64_t> hook(store_impl::SetWalBytesMaxForTesting, kLimit);
  TempDir dir;
  const std::string path = dir / "village";
  Hash256 root;
  uint64_t appended_log_bytes = 0;
  {
    auto ledger = MustCreate(path);
    for (int round = 0; round < 20; ++round) {
      const uint64_t before = ledger->size();
      AppendFresh(*ledger, 1000, 1000);
      for (uint64_t seq = before; seq < ledger->size(); ++seq) {
        appended_log_bytes += ledger->EntryBytes(seq)->size();
      }
      CHECK(SettledLogBytes(path, 3 * kLimit) <= 3 * kLimit);
    }
    root = ledger->root();
  }
  REQUIRE(appended_log_bytes > 6 * kLimit);  // the limit was passed many times over
  auto reopened = MustOpen(path, Ledger::Mode::kReadOnly);
  CHECK(reopened->size() == 20000);
  CHECK(reopened->root() == root);
}

TEST_CASE(
    "Readers that open while a long import cuts and deletes log files see a whole ledger "
    "or are told to try again, never a damaged one",
    "[store]") {
  // A 256 KiB log limit: a log file is flushed and deleted every few
  // batches, while a reader opens the ledger again and again. A read-only
  // open reads the list of table files, then the log files; a log deleted
  // in between would leave the reader without its entries.
  const ScopedTestHook<uint64_t> hook(store_impl::SetWalBytesMaxForTesting, 256u << 10);
  TempDir dir;
  const std::string path = dir / "village";
  auto writer = MustCreate(path);
  AppendFresh(*writer, 100, 100);
  std::atomic<bool> done{false};
  std::vector<std::string> failures;
  int opened = 0;
  int busy = 0;
  std::thread reader([&] {
    while (!done.load()) {
      Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(path, Ledger::Mode::kReadOnly);
      if (ledger.ok()) {
        ++opened;
        const uint64_t size = (*ledger)->size();
        // Every entry it counts is there and links to the one before.
        Result<Hash256> root = (*ledger)->RootAt(size);
        Result<std::string> last = (*ledger)->EntryBytes(size - 1);
        if (!root.ok() || !last.ok()) failures.push_back("size " + std::to_string(size));
      } else if (ledger.status().code() == Code::kBusy) {
        ++busy;
      } else {
        failures.push_back(ledger.status().ToString());
      }
    }
  });
  for (int round = 0; round < 40; ++round) AppendFresh(*writer, 500, 500);
  done = true;
  reader.join();
  INFO("opened " << opened << " times, told to try again " << busy << " times");
  std::string failed;
  for (const std::string& failure : failures) failed += failure + "\n";
  CHECK(failed == "");
  CHECK(opened > 0);
}

TEST_CASE(
    "A reader whose open keeps seeing the files change tries again, and after eight tries "
    "is told to try again later, writing nothing",
    "[store]") {
  TempDir dir;
  const std::string path = dir / "village";
  Hash256 root;
  {
    auto writer = MustCreate(path);
    AppendFresh(*writer, 30, 10);
    root = writer->root();
  }
  SECTION("a few changes: retried, then opened whole") {
    const ScopedTestHook<int> hook(store_impl::SetReadOnlyOpenChangesForTesting, 3);
    Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(path, Ledger::Mode::kReadOnly);
    REQUIRE(ledger.ok());
    CHECK((*ledger)->size() == 30);
    CHECK((*ledger)->root() == root);
  }
  SECTION("changes at every try: busy, in both languages") {
    {
      const ScopedTestHook<int> hook(store_impl::SetReadOnlyOpenChangesForTesting, 8);
      Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(path, Ledger::Mode::kReadOnly);
      REQUIRE_FALSE(ledger.ok());
      CHECK(ledger.status().code() == Code::kBusy);
      CHECK_THAT(ledger.status().en(), Catch::Contains("try again later") && Catch::Contains(path));
      CHECK_THAT(ledger.status().zh(), Catch::Contains("请稍后再试"));
    }
    // Nothing was written: the ledger is as it was.
    auto writer = MustOpen(path, Ledger::Mode::kWrite);
    CHECK(writer->size() == 30);
    CHECK(writer->root() == root);
  }
  SECTION("one change fewer than the limit: the eighth try opens") {
    const ScopedTestHook<int> hook(store_impl::SetReadOnlyOpenChangesForTesting, 7);
    Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(path, Ledger::Mode::kReadOnly);
    REQUIRE(ledger.ok());
    CHECK((*ledger)->root() == root);
  }
}

}  // namespace
}  // namespace cunzhang
