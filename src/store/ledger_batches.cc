// The ledger on RocksDB (rocks_ledger.h): appending many batches in turn,
// each durable before it is acknowledged, with the wait for one batch's sync
// spent building the next.
//
// Append does one batch at a time: build it (two threads), write it with
// sync = true (RocksDB appends it to the log, inserts it into the memtable,
// then waits for fdatasync with both cores idle). Here, for batch k:
//   - batch k+1 is begun just before batch k is written, so the pipeline's
//     helper prepares it (the work that needs no state) during the write;
//   - batch k is written unsynced (the same log record, the same memtable),
//     while the sync of batch k-1 may still be running: RocksDB lets writes
//     go on during DB::SyncWAL;
//   - then the sync of batch k-1 is waited for, batch k-1 acknowledged, and
//     the sync of batch k started on a thread of its own, to run while batch
//     k+1 is settled, checked by the rules and written.
// Every batch gets a sync that began after its write ended, one sync per
// batch as with Append, and is acknowledged only after it. A crash before
// that loses at most unacknowledged batches, each whole, since the log is
// replayed up to the last complete record (kPointInTimeRecovery).
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "rocks_ledger.h"

namespace cunzhang::store_impl {
namespace {

// The error of batch `index` (from 0), named for the reader (from 1).
Status InBatch(const Status& s, size_t index) {
  const std::string n = std::to_string(index + 1);
  return Status(s.code(), "第 " + n + " 批：" + s.zh(), "batch " + n + ": " + s.en(), s.where());
}

// DB::SyncWAL on a thread of its own, one sync at a time.
class LogSync {
 public:
  explicit LogSync(rocksdb::DB* db) : db_(db) {}
  ~LogSync() {
    if (running_.valid()) running_.wait();
  }
  void Start() {
    try {
      running_ = std::async(std::launch::async, [db = db_] { return db->SyncWAL(); });
    } catch (const std::system_error&) {  // no thread to be had: sync here
      std::promise<rocksdb::Status> done;
      done.set_value(db_->SyncWAL());
      running_ = done.get_future();
    }
  }
  rocksdb::Status Wait() { return running_.get(); }

 private:
  rocksdb::DB* db_;
  std::future<rocksdb::Status> running_;
};

}  // namespace

Status RocksLedger::AppendBatches(std::span<const std::vector<EntryRequest>> batches,
                                  const BatchDurable& durable) {
  CZ_RETURN_IF_ERROR(Writable());
  LogSync sync(db_.db.get());
  // The batch written and not yet synced, with the outcomes it waits to give.
  std::optional<std::pair<size_t, std::vector<AppendOutcome>>> syncing;
  Status sync_failed;
  auto finish_sync = [&]() -> Status {
    if (!syncing) return sync_failed;
    auto [index, outcomes] = std::move(*syncing);
    syncing.reset();
    rocksdb::Status s = sync.Wait();
    if (!s.ok()) {
      // The batch is in the memtable and perhaps not on disk: in memory the
      // ledger is ahead of what is durable, so it appends no more.
      write_failed_ = true;
      sync_failed = InBatch(FromRocks(s, "写入账本后同步到磁盘失败", "cannot sync the batch"), index);
      return sync_failed;
    }
    durable(index, std::move(outcomes));
    return Status::Ok();
  };
  // Batch k+1 is begun (its state-free preparation starts on the pipeline's
  // helper) just before batch k is written, and finished after.
  BatchWorkPtr work;
  for (size_t k = 0; k < batches.size(); ++k) {
    if (work == nullptr) work = BeginBatch(batches[k], &state_);
    BatchWorkPtr next;
    auto before_write = [&]() -> Status {
      if (k + 1 < batches.size()) next = BeginBatch(batches[k + 1], &state_);
      return Status::Ok();
    };
    const uint64_t size_before = size_;
    Result<std::vector<AppendOutcome>> outcomes =
        FinishBatch(work.get(), true, BatchWrite{.sync = false, .before_write = before_write});
    work = std::move(next);
    if (!outcomes.ok()) {
      work.reset();  // the next batch's preparation is stopped
      RestoreState();
      // The batch before this one is acknowledged, or its failed sync
      // reported, first: it came first.
      CZ_RETURN_IF_ERROR(finish_sync());
      return InBatch(outcomes.status(), k);
    }
    if (size_ == size_before) {  // every request already recorded: nothing to sync
      CZ_RETURN_IF_ERROR(finish_sync());
      durable(k, std::move(outcomes).value());
      continue;
    }
    // Batch k went in while batch k-1's sync ran (RocksDB lets writes go on
    // during SyncWAL); k-1 is acknowledged once that sync returns, and then
    // k's own begins.
    CZ_RETURN_IF_ERROR(finish_sync());
    syncing.emplace(k, std::move(outcomes).value());
    sync.Start();
  }
  return finish_sync();
}

}  // namespace cunzhang::store_impl
