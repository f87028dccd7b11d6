// A disk that fails to sync: AppendBatches acknowledges nothing it could not
// sync, names the batch, refuses further appends until the ledger is
// reopened, and the reopened ledger holds every acknowledged entry in a
// chain that still links.
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cunzhang/hash.h"
#include "cunzhang/store.h"
#include "store/ledger_test_util.h"
#include "store/rocks_ledger.h"
#include "test_util.h"

namespace cunzhang {
namespace {

using namespace store_testing;  // NOLINT: the helpers of these tests

// RocksDB's own file system, but the write-ahead log's syncs fail while
// `fail` is set, and each takes `delay_ms` longer.
class FailingSyncFs : public rocksdb::FileSystemWrapper {
 public:
  FailingSyncFs() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "FailingSyncFs"; }

  std::atomic<bool> fail{false};
  std::atomic<int> failed{0};  // syncs refused
  std::atomic<int> delay_ms{0};
  std::atomic<int> completed{0};  // syncs that returned OK

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* file,
                                    rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewWritableFile(name, options, file, dbg);
    if (s.ok() && name.ends_with(".log")) *file = std::make_unique<Log>(std::move(*file), this);
    return s;
  }

 private:
  class Log : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    Log(std::unique_ptr<rocksdb::FSWritableFile> file, FailingSyncFs* fs)
        : FSWritableFileOwnerWrapper(std::move(file)), fs_(fs) {}
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* d) override {
      return Done(Refused() ? Injected() : FSWritableFileOwnerWrapper::Sync(o, d));
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* d) override {
      return Done(Refused() ? Injected() : FSWritableFileOwnerWrapper::Fsync(o, d));
    }

   private:
    rocksdb::IOStatus Done(rocksdb::IOStatus s) {
      std::this_thread::sleep_for(std::chrono::milliseconds(fs_->delay_ms.load()));
      if (s.ok()) ++fs_->completed;
      return s;
    }
    bool Refused() {
      if (!fs_->fail) return false;
      ++fs_->failed;
      return true;
    }
    static rocksdb::IOStatus Injected() { return rocksdb::IOStatus::IOError("injected sync failure"); }
    FailingSyncFs* fs_;
  };
};

// Installs the environment for the ledgers a test opens, and removes it.
class TestEnv {
 public:
  explicit TestEnv(const std::shared_ptr<rocksdb::FileSystem>& fs)
      : env_(rocksdb::NewCompositeEnv(fs)) {
    store_impl::SetEnvForTesting(env_.get());
  }
  ~TestEnv() { store_impl::SetEnvForTesting(nullptr); }

 private:
  std::unique_ptr<rocksdb::Env> env_;
};

// Every entry decodes, is numbered in order and links to the one before,
// and the tree over them has the ledger's root.
void CheckChain(Ledger& ledger) {
  const std::vector<std::string> entries = AllEntries(ledger);
  REQUIRE(entries.size() == ledger.size());
  Hash256 prev;
  merkle::CompactRange range;
  for (size_t seq = 0; seq < entries.size(); ++seq) {
    Result<Entry> entry = DecodeEntry(entries[seq]);
    REQUIRE(entry.ok());
    CHECK(entry->seq == seq);
    CHECK(entry->prev == prev);
    prev = LeafHash(entries[seq]);
    range.Append(prev);
  }
  CHECK(range.Root() == ledger.root());
}

TEST_CASE("AppendBatches acknowledges a batch only once a sync has completed for it", "[store]") {
  // Slow syncs: were a batch acknowledged before its own sync returned, the
  // acknowledgements would run ahead of the syncs completed.
  auto fs = std::make_shared<FailingSyncFs>();
  TestEnv env(fs);
  TempDir dir;
  auto ledger = MustCreate(dir / "village");
  fs->delay_ms = 5;
  const int before = fs->completed;
  int acks = 0;
  REQUIRE(ledger->AppendBatches(TypedBatches(0, 800, 100), [&](size_t, std::vector<AppendOutcome>) {
                  ++acks;
                  CHECK(fs->completed - before >= acks);
                }).ok());
  CHECK(acks == 8);
}

TEST_CASE("A sync that fails acknowledges nothing, stops appends, and the reopened ledger holds "
          "every acknowledged entry",
          "[store]") {
  auto fs = std::make_shared<FailingSyncFs>();
  TestEnv env(fs);
  TempDir dir;
  const std::string path = dir / "village";
  auto ledger = MustCreate(path);
  uint64_t acknowledged = 0;  // entries
  auto count = [&](size_t, std::vector<AppendOutcome> outcomes) { acknowledged += outcomes.size(); };
  REQUIRE(ledger->AppendBatches(TypedBatches(0, 200, 100), count).ok());
  REQUIRE(acknowledged == 200);

  fs->fail = true;
  Status s = ledger->AppendBatches(TypedBatches(200, 500, 100), count);
  INFO(s.ToString());
  CHECK(fs->failed > 0);
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == Code::kIo);
  CHECK(s.en().rfind("batch 1: ", 0) == 0);  // the first batch of the call is not durable
  CHECK(s.zh().rfind("第 1 批：", 0) == 0);
  CHECK(acknowledged == 200);                 // nothing of this call acknowledged

  // Until it is reopened, this ledger appends no more, whichever way.
  fs->fail = false;
  auto refused = ledger->Append(TypedBatches(500, 510, 10).front());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Code::kIo);
  CHECK(refused.status().en().find("reopen") != std::string::npos);
  CHECK_FALSE(ledger->AppendBatches(TypedBatches(500, 510, 10), count).ok());
  ledger.reset();

  // Reopened: every acknowledged entry, and a chain that links. The batches
  // written but never acknowledged may or may not be there, each whole.
  ledger = MustOpen(path, Ledger::Mode::kWrite);
  INFO("reopened with " << ledger->size() << " entries");
  REQUIRE(ledger->size() >= acknowledged);
  CHECK((ledger->size() - acknowledged) % 100 == 0);
  CheckChain(*ledger);
  // And it appends again: the rest of the history after whatever it holds.
  const uint64_t size = ledger->size();
  REQUIRE(ledger->AppendBatches(TypedBatches(size, size + 200, 100), count).ok());
  CHECK(ledger->size() == size + 200);
}

TEST_CASE("Append whose sync fails reports it, and the reopened ledger links", "[store]") {
  auto fs = std::make_shared<FailingSyncFs>();
  TestEnv env(fs);
  TempDir dir;
  const std::string path = dir / "village";
  auto ledger = MustCreate(path);
  AppendFresh(*ledger, 100, 50);
  fs->fail = true;
  auto failed = ledger->Append(TypedBatches(100, 150, 50).front());
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().code() == Code::kIo);
  CHECK(ledger->size() == 100);  // not acknowledged, not counted
  fs->fail = false;
  // This ledger appends no more: what is on disk is not known.
  auto refused = ledger->Append(TypedBatches(100, 150, 50).front());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().en().find("reopen") != std::string::npos);
  ledger.reset();
  // The failed batch was written to the log before its sync failed: after
  // reopening it may be there, whole, or not at all. Either way the chain
  // links and the ledger appends on (a retry of the same batch is answered
  // or written, never doubled).
  ledger = MustOpen(path, Ledger::Mode::kWrite);
  INFO("reopened with " << ledger->size() << " entries");
  CHECK((ledger->size() == 100 || ledger->size() == 150));
  CheckChain(*ledger);
  auto retried = ledger->Append(TypedBatches(100, 150, 50).front());
  REQUIRE(retried.ok());
  CHECK(ledger->size() == 150);
  CheckChain(*ledger);
}

}  // namespace
}  // namespace cunzhang
