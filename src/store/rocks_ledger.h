// The ledger on RocksDB, private to src/store: the class behind Ledger and
// what its three source files share. ledger.cc opens and creates a ledger and
// restores its state; ledger_read.cc reads entries, roots and proofs;
// ledger_append.cc appends. store/keys.h documents the key layout.
//
// The writer keeps in memory what every append needs: the size, the derived
// state, the Merkle peaks, the last leaf hash and the index of idempotency
// ids. An append builds the new values on copies, writes everything in one
// synced WriteBatch, and only then swaps the copies in, so a failed append
// leaves both disk and memory as they were. Not thread-safe: one caller at a
// time.
#ifndef CUNZHANG_STORE_ROCKS_LEDGER_H_
#define CUNZHANG_STORE_ROCKS_LEDGER_H_

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cunzhang/domain.h"
#include "cunzhang/merkle.h"
#include "cunzhang/store.h"
#include "id_index.h"

namespace cunzhang::store_impl {

inline rocksdb::Slice ToSlice(std::string_view s) { return {s.data(), s.size()}; }

// A RocksDB failure as a Status: kCorruption or kIo, `zh` and `en_what`
// followed by RocksDB's own words.
Status FromRocks(const rocksdb::Status& s, std::string zh, std::string_view en_what);
Status Corrupt(std::string zh, std::string en);

// For tests: the RocksDB environment of every ledger opened after the call
// (one whose file system injects faults); null for the default. Set it
// before opening, from one thread; it must outlive those ledgers.
void SetEnvForTesting(rocksdb::Env* env);
// For tests: the write-ahead log kept at most by ledgers opened after the
// call (RocksDB's max_total_wal_size); 0 for the ledger's own limit.
void SetWalBytesMaxForTesting(uint64_t bytes);
// For tests: the entries per row when a writer stores the ids of entries
// that have no row (migration); 0 for limits::kBatchEntriesMax.
void SetMigrationRowEntriesForTesting(size_t entries);
// For tests: the next `opens` read-only open attempts see the ledger's
// files change while they run, as beside a busy writer (each is then
// retried, up to the limit); 0 for none. From one thread, before opening.
void SetReadOnlyOpenChangesForTesting(int opens);

// Adds each effect as its 'x' row in `family` (keys.h), in seq order.
void PutEffects(const std::map<uint64_t, domain::Effect>& effects,
                rocksdb::ColumnFamilyHandle* family, rocksdb::WriteBatch* batch);

// The database and its column families (keys.h). The handles are closed
// before the database: members are destroyed in reverse order.
struct LedgerDb {
  std::unique_ptr<rocksdb::DB> db;
  std::unique_ptr<rocksdb::ColumnFamilyHandle> index;    // the default column family
  std::unique_ptr<rocksdb::ColumnFamilyHandle> entries;  // store::kEntriesColumnFamily
  std::unique_ptr<rocksdb::ColumnFamilyHandle> state;    // store::kStateColumnFamily
  // store::kEffectsColumnFamily; null only for a ledger made before it
  // existed, opened read-only (it has no effect rows).
  std::unique_ptr<rocksdb::ColumnFamilyHandle> effects;
};

class RocksLedger;

// Perfect subtree hashes read back from the store: the 'n' keys at the stored
// levels, everything else recomputed from at most 8 hashes (keys.h).
class StoredNodes final : public merkle::NodeSource {
 public:
  explicit StoredNodes(RocksLedger* ledger) : ledger_(ledger) {}
  Result<Hash256> PerfectNode(merkle::NodeId id) override;

 private:
  RocksLedger* ledger_;
};

// The effects of the ledger's entries, read back from their 'x' rows.
class StoredEffects final : public domain::EffectArchive {
 public:
  explicit StoredEffects(RocksLedger* ledger) : ledger_(ledger) {}
  Result<std::optional<domain::Effect>> Find(uint64_t seq) const override;

 private:
  RocksLedger* ledger_;
};

struct PendingAppend;   // ledger_append.cc
struct BatchWork;       // ledger_append.cc
struct BatchWorkDeleter {  // so that files without BatchWork's definition can hold one
  void operator()(BatchWork* work) const;
};
using BatchWorkPtr = std::unique_ptr<BatchWork, BatchWorkDeleter>;
class AppendPipeline;  // append_pipeline.h

// How RocksLedger::AppendOrCheck writes a batch it built: Append syncs the
// write; AppendBatches writes unsynced, once `before_write` (the wait for the
// previous batch's sync) is OK, and syncs it itself.
struct BatchWrite {
  bool sync = true;
  std::function<Status()> before_write;
};

class RocksLedger final : public Ledger {
 public:
  RocksLedger(LedgerDb db, Mode mode, std::string path)
      : db_(std::move(db)), mode_(mode), path_(std::move(path)) {
    state_.archive.archive = &effects_;
  }
  ~RocksLedger() override { StoreSnapshotOnClose(); }

  Status InitializeNew(const std::string& origin);
  Status Load();

  const std::string& origin() const override { return origin_; }
  uint64_t size() const override { return size_; }
  Hash256 root() const override { return range_.Root(); }
  const domain::State& state() const override { return state_; }

  Result<std::vector<AppendOutcome>> Append(const std::vector<EntryRequest>& requests) override;
  Status AppendBatches(std::span<const std::vector<EntryRequest>> batches,
                       const BatchDurable& durable) override;
  Result<std::vector<AppendOutcome>> Check(const std::vector<EntryRequest>& requests) override;
  Result<std::string> EntryBytes(uint64_t seq) override;
  Status Scan(uint64_t first, uint64_t last,
              const std::function<bool(uint64_t, std::string_view)>& fn) override;
  Result<std::vector<uint64_t>> SeqsOfType(const std::string& type) override;
  Result<std::optional<uint64_t>> FindIdempotencyId(const std::string& id) override;
  Result<Hash256> RootAt(uint64_t size) override;
  Result<std::vector<Hash256>> InclusionProof(uint64_t index, uint64_t size) override;
  Result<std::vector<Hash256>> ConsistencyProof(uint64_t size1, uint64_t size2) override;

  // Any perfect subtree inside the current tree, read or recomputed.
  Result<Hash256> PerfectNode(merkle::NodeId id);
  // The stored effect of entry `seq`, if it left one.
  Result<std::optional<domain::Effect>> StoredEffect(uint64_t seq);

 private:
  // The value at `key`, or nullopt when absent.
  Result<std::optional<std::string>> Get(rocksdb::ColumnFamilyHandle* family,
                                         std::string_view key);
  Result<std::optional<std::string>> GetIndex(std::string_view key) {
    return Get(db_.index.get(), key);
  }
  Result<std::string> GetRequired(std::string_view key, std::string_view what);
  Status LoadMetadata();
  Status LoadTree();
  // state_ from the stored snapshot and the entries after it.
  Status LoadState();
  // Stores state_ (after entry size_-1) in one synced write: the effects it
  // still holds as rows, then the snapshot; the effects leave it. On failure
  // state_ is as it was.
  Status StoreState();
  // A writer stores the state it ends with, so that the next open replays
  // nothing. Derived data: a failure only means the next open replays more.
  void StoreSnapshotOnClose();
  Status CheckTreeSize(uint64_t size, std::string_view what);
  // REQUIRES: store::IsStoredNodeLevel(level), node inside the tree.
  Result<Hash256> StoredNode(unsigned level, uint64_t index);
  // The node over `count` consecutive hashes, `count` a power of two.
  Result<Hash256> NodeFromLeaves(uint64_t first, uint64_t count);
  Result<Hash256> NodeFromStored(unsigned level, uint64_t first, uint64_t count);

  // ids_ from the 'j' rows (keys.h), once: the first append, check or
  // look-up of an id reads them. Entries past the last row (a ledger made by
  // an earlier release) are read for their ids; when `store` (an append, on
  // a writer) those are stored as rows and the earlier release's 'i' keys
  // deleted, in one synced write. Without `store` nothing is written, and
  // the next append with `store` reads them again and stores them.
  Status EnsureIds(bool store);
  Status LoadIds(bool store);
  // The entry recorded with idempotency id `id` (whose IdHash is `hash`),
  // if any: each entry indexed under the hash is read back and its id compared.
  Result<std::optional<Entry>> RecordedEntry(std::string_view id, uint64_t hash);
  // OK when this ledger may append now (reloading a state a failed restore
  // left broken).
  Status Writable();
  // After a failed append: state_ back to size_ (LoadState), or marked broken.
  void RestoreState();
  Result<std::vector<AppendOutcome>> AppendOrCheck(const std::vector<EntryRequest>& requests,
                                                   bool commit, domain::State* state,
                                                   const BatchWrite& how = {});
  Status AddRequest(const EntryRequest& request, size_t index, PendingAppend* pending);
  Status CheckRetry(const EntryRequest& request, size_t index, uint64_t seq);
  // Entry `seq` read back and decoded; an error names the entry.
  Result<Entry> StoredEntry(uint64_t seq);
  Status AddDuplicate(const std::vector<EntryRequest>& requests, size_t index, size_t first,
                      PendingAppend* pending);
  Status AddNewEntry(size_t index, PendingAppend* pending);
  // An append in two halves: BeginBatch starts building the batch (the
  // pipeline's state-free preparation, which needs nothing of the batches
  // before it); FinishBatch settles it against the ledger as it is then,
  // waits for the rules, and writes it. AppendOrCheck does both at once;
  // AppendBatches begins the next batch while writing one.
  BatchWorkPtr BeginBatch(const std::vector<EntryRequest>& requests,
                                        domain::State* state);
  Result<std::vector<AppendOutcome>> FinishBatch(BatchWork* work, bool commit,
                                                 const BatchWrite& how);
  std::unique_ptr<AppendPipeline> StartPipeline(const std::vector<EntryRequest>& requests,
                               const std::string& stamp, std::vector<Status>* checked,
                               PendingAppend* pending) const;
  void ResetBatch(size_t entry_bytes, size_t entries_max);
  void FillEntry(const EntryRequest& request, uint64_t seq, const Hash256& prev,
                 const std::string& stamp, Entry* entry) const;

  LedgerDb db_;
  const Mode mode_;
  const std::string path_;
  std::string origin_;
  uint64_t size_ = 0;
  // The rule state after entry size_-1. An append applies its entries to it
  // directly (a copy per batch would cost O(state) each time); a failed
  // append restores it with LoadState, and a failed restore leaves the
  // ledger refusing appends (`state_broken_`).
  domain::State state_;
  StoredEffects effects_{this};  // state_'s archive
  uint64_t snapshot_seq_ = 0;    // the entries the stored snapshot covers
  uint64_t snapshot_bytes_ = 0;  // and its size
  bool state_broken_ = false;
  // A write failed, or an unsynced write of AppendBatches failed to sync:
  // the batch may or may not be in the log (RocksDB replays what it wrote),
  // so what is in memory and what is on disk may differ, and the ledger
  // appends no more until reopened.
  bool write_failed_ = false;
  merkle::CompactRange range_;
  Hash256 last_leaf_;  // leaf hash of entry size_-1; all zero while empty
  // Every entry's idempotency id by hash (EnsureIds), once ids_loaded_;
  // an append adds its new entries' once it is written.
  IdIndex ids_;
  bool ids_loaded_ = false;
  bool ids_stored_ = false;  // the rows on disk cover every entry in ids_
  // Reused by every append, so that its buffer is not allocated and faulted
  // in again for each batch; replaced when a batch leaves it large.
  rocksdb::WriteBatch batch_;
  size_t batch_reserved_bytes_ = 0;
  // The entries (their bytes, their leaf hash streams) of the last batches
  // built, kept for the next ones to reuse their buffers (at most two).
  struct EntryBuffers {
    std::vector<Entry> entries;
    std::vector<std::string> bytes;
    std::vector<std::string> ends;
    std::vector<std::unique_ptr<Sha256Stream>> leaf_hashes;
  };
  std::vector<EntryBuffers> kept_;
  void TakeBuffers(PendingAppend* pending);
  void KeepBuffers(PendingAppend* pending);
  friend struct BatchWork;
};

}  // namespace cunzhang::store_impl

#endif  // CUNZHANG_STORE_ROCKS_LEDGER_H_
