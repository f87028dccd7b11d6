// The ledger on RocksDB. store/keys.h documents the key layout.
//
// The writer keeps in memory what every append needs: the size, the derived
// state, the Merkle peaks and the last leaf hash. An append builds the new
// values on copies, writes everything in one synced WriteBatch, and only then
// swaps the copies in, so a failed append leaves both disk and memory as they
// were. Not thread-safe: one caller at a time.
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include "cunzhang/limits.h"
#include "cunzhang/merkle.h"
#include "cunzhang/store.h"
#include "keys.h"
#include "request_check.h"

namespace cunzhang {
namespace {

namespace fs = std::filesystem;
using store::EncodeU64;

constexpr size_t kWriteBufferBytes = 64u << 20;
constexpr size_t kIndexWriteBufferBytes = 16u << 20;
constexpr size_t kBlockCacheBytes = 32u << 20;
constexpr int kBloomBitsPerKey = 10;
constexpr uint64_t kBytesPerSync = 1u << 20;
constexpr int kReadOnlyOpenAttemptsMax = 5;
// Batch buffer reserved per entry beyond its bytes: its key, its idempotency
// key and value, and its share of the Merkle nodes.
constexpr size_t kKeysPerEntryBytes = 160;
constexpr size_t kBatchReserveBytesMax = 64u << 20;
// Keys per MultiGet: RocksDB's MultiGetContext::MAX_BATCH_SIZE. Beyond it,
// MultiGet moves its per-key context to a heap vector grown key by key.
constexpr size_t kMultiGetKeysMax = 32;
// A batch buffer larger than this is freed after its write, not kept.
constexpr size_t kBatchKeptBytesMax = 8u << 20;
// The rule state is stored (as a snapshot, with the seq it reached) when the
// writer closes the ledger, and in a batch that takes the ledger at least
// kSnapshotEntriesMin entries past the last snapshot, and at least one entry
// per kSnapshotBytesPerEntry bytes of the last snapshot: storing it costs
// O(state), which this spreads over the entries at a bounded cost each. The
// state grows with the village (members, rules), not with the entries (their
// effects are rows of their own), so after a crash opening replays a few
// thousand entries: 4,096 for a village of a thousand members.
constexpr uint64_t kSnapshotEntriesMin = 4096;
constexpr uint64_t kSnapshotBytesPerEntry = 64;

bool SnapshotDue(uint64_t snapshot_seq, uint64_t snapshot_bytes, uint64_t size) {
  return size - snapshot_seq >= std::max(kSnapshotEntriesMin, snapshot_bytes / kSnapshotBytesPerEntry);
}

// ---- RocksDB plumbing ----

rocksdb::Slice ToSlice(std::string_view s) { return {s.data(), s.size()}; }

bool Supported(rocksdb::CompressionType type) {
  static const std::vector<rocksdb::CompressionType> kSupported =
      rocksdb::GetSupportedCompressions();
  return std::find(kSupported.begin(), kSupported.end(), type) != kSupported.end();
}

rocksdb::CompressionType FastestCompression() {
  if (Supported(rocksdb::kLZ4Compression)) return rocksdb::kLZ4Compression;
  if (Supported(rocksdb::kSnappyCompression)) return rocksdb::kSnappyCompression;
  return rocksdb::kNoCompression;
}

// Tuned for the ledger: small sequential appends, ranges of entries read in
// order, and point look-ups of idempotency ids that are nearly always absent.
rocksdb::DBOptions LedgerDbOptions() {
  rocksdb::DBOptions options;
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  // Readers open every table file at open, so a writer's compaction that
  // deletes files cannot pull them from under a reader.
  options.max_open_files = -1;
  options.keep_log_file_num = 4;
  // Flushes and compactions write back as they go, so a synced append does
  // not wait behind one large burst of table writes.
  options.bytes_per_sync = kBytesPerSync;
  return options;
}

// The entries column family holds only 'e' keys, which every append adds in
// ascending order: its table files never overlap, so they move down the
// levels without being rewritten (no compaction CPU), as in a plain log. It
// needs no bloom filters: entries are only read at seqs below the size.
// Nor ZSTD at the bottom: its files arrive there by moves, not rewrites.
rocksdb::ColumnFamilyOptions EntriesOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions options;
  options.write_buffer_size = kWriteBufferBytes;
  options.max_write_buffer_number = 3;
  options.level_compaction_dynamic_level_bytes = true;
  options.compression = FastestCompression();
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

// The default column family holds the rest: idempotency ids (random order,
// looked up before every append: the memtable and table bloom filters answer
// an absent id without reading a block), Merkle nodes and metadata.
rocksdb::ColumnFamilyOptions IndexOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions options;
  options.write_buffer_size = kIndexWriteBufferBytes;
  options.max_write_buffer_number = 3;
  options.level_compaction_dynamic_level_bytes = true;
  options.memtable_prefix_bloom_size_ratio = 0.02;
  options.memtable_whole_key_filtering = true;
  options.compression = FastestCompression();
  if (Supported(rocksdb::kZSTD)) options.bottommost_compression = rocksdb::kZSTD;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(kBloomBitsPerKey));
  table.whole_key_filtering = true;
  table.optimize_filters_for_memory = true;
  table.block_cache = cache;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

// The state column family holds the snapshot, rewritten now and then and
// read when a ledger opens, and the effects, added in ascending order like
// the entries and read only by a reversal.
rocksdb::ColumnFamilyOptions StateOptions() {
  rocksdb::ColumnFamilyOptions options;
  options.write_buffer_size = kIndexWriteBufferBytes;
  options.level_compaction_dynamic_level_bytes = true;
  options.compression = FastestCompression();
  return options;
}

Status FromRocks(const rocksdb::Status& s, std::string zh, std::string_view en_what) {
  Code code = s.IsCorruption() ? Code::kCorruption : Code::kIo;
  return Status(code, std::move(zh), std::string(en_what) + ": RocksDB: " + s.ToString());
}

// RocksDB reports a held LOCK file as an I/O error naming the lock.
bool IsLockHeld(const rocksdb::Status& s) {
  if (!s.IsIOError()) return false;
  const std::string text = s.ToString();
  return text.find("LOCK") != std::string::npos || text.find("lock") != std::string::npos;
}

bool LedgerExists(const std::string& path) {
  std::error_code ec;
  return fs::exists(fs::path(path) / "CURRENT", ec);
}

Status Corrupt(std::string zh, std::string en) {
  return Status(Code::kCorruption, std::move(zh), std::move(en));
}

Status NotALedger(const std::string& path) {
  return Status(Code::kNotFound, "这里没有账本：" + path,
                "no ledger at " + path + " (create one first)");
}

// The database and its column families (keys.h). The handles are closed
// before the database: members are destroyed in reverse order.
struct LedgerDb {
  std::unique_ptr<rocksdb::DB> db;
  std::unique_ptr<rocksdb::ColumnFamilyHandle> index;    // the default column family
  std::unique_ptr<rocksdb::ColumnFamilyHandle> entries;  // store::kEntriesColumnFamily
  std::unique_ptr<rocksdb::ColumnFamilyHandle> state;    // store::kStateColumnFamily
};

// ---- The ledger ----

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

// The new values an append builds before anything is written.
//
// The memtable inserts a batch's keys in the batch's order, and its skip list
// starts each insert from where the previous one ended; keys in order cost a
// third of keys interleaved. So entries go into the batch as they are built
// (their keys rise), and the other keys are collected and added sorted.
struct PendingAppend {
  rocksdb::WriteBatch* batch = nullptr;  // the ledger's, cleared
  domain::State* state = nullptr;  // the ledger's own (Append) or a copy (Check)
  bool snapshot = false;           // store the state with the batch
  size_t snapshot_bytes = 0;       // its size, when stored
  rocksdb::ColumnFamilyHandle* state_family = nullptr;
  merkle::CompactRange range;
  Hash256 last_leaf;
  uint64_t size = 0;
  size_t requests_total = 0;
  std::string time;  // the stamp for requests without a time, taken once
  std::unordered_map<std::string_view, size_t> ids;  // id -> request index, this batch
  std::vector<AppendOutcome> outcomes;
  // What the index keys are made of; the strings are the requests'.
  std::vector<std::pair<std::string_view, uint64_t>> ids_written;  // id -> seq
  std::vector<std::pair<merkle::NodeId, Hash256>> nodes;  // at the stored levels only
  // Each request as an entry (all but seq and prev), and what the rules say
  // of it alone (domain::CheckEntryAlone), prepared on two threads.
  std::vector<Entry> entries;
  std::vector<Status> alone;
  std::vector<std::string> bodies;  // each entry's body in canonical form
};

// Adds the keys collected beside the entries, each kind sorted, so that the
// batch holds its keys in order: 'e' < 'i' < 'm' < 'n'.
void AddIndexKeys(PendingAppend* pending) {
  rocksdb::WriteBatch& batch = *pending->batch;
  std::string key;
  std::sort(pending->ids_written.begin(), pending->ids_written.end());
  for (const auto& [id, seq] : pending->ids_written) {
    store::SetIdempotencyKey(id, &key);
    batch.Put(ToSlice(key), ToSlice(EncodeU64(seq)));
  }
  batch.Put(ToSlice(store::MetaKey(store::kMetaSize)), EncodeU64(pending->size));
  // The batch's effects become rows and leave the state, before a snapshot
  // of it is taken (StoredEffects finds them once the batch is written; if
  // the write fails, Append restores the state from the stored one).
  for (const auto& [seq, effect] : pending->state->effects) {
    batch.Put(pending->state_family, ToSlice(store::EffectKey(seq)), domain::SerializeEffect(effect));
  }
  pending->state->effects.clear();
  if (pending->snapshot) {
    std::string snapshot = domain::SerializeState(*pending->state);
    pending->snapshot_bytes = snapshot.size();
    batch.Put(pending->state_family, ToSlice(store::MetaKey(store::kMetaState)), snapshot);
  }
  std::sort(pending->nodes.begin(), pending->nodes.end(), [](const auto& a, const auto& b) {
    return std::pair(a.first.level, a.first.index) < std::pair(b.first.level, b.first.index);
  });
  for (const auto& [id, hash] : pending->nodes) {
    store::SetNodeKey(id.level, id.index, &key);
    batch.Put(ToSlice(key), ToSlice(hash.view()));
  }
}

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
  // A writer stores the state it ends with, so that the next open replays
  // nothing. Derived data: a failure only means the next open replays more.
  void StoreSnapshotOnClose();
  Status CheckTreeSize(uint64_t size, std::string_view what);
  // REQUIRES: store::IsStoredNodeLevel(level), node inside the tree.
  Result<Hash256> StoredNode(unsigned level, uint64_t index);
  // The node over `count` consecutive hashes, `count` a power of two.
  Result<Hash256> NodeFromLeaves(uint64_t first, uint64_t count);
  Result<Hash256> NodeFromStored(unsigned level, uint64_t first, uint64_t count);

  Result<std::vector<std::optional<uint64_t>>> RecordedSeqs(
      const std::vector<EntryRequest>& requests);
  Result<std::vector<AppendOutcome>> AppendOrCheck(const std::vector<EntryRequest>& requests,
                                                   bool commit, domain::State* state);
  Status AddRequest(const EntryRequest& request, size_t index,
                    const std::optional<uint64_t>& recorded, PendingAppend* pending);
  Status CheckRetry(const EntryRequest& request, size_t index, uint64_t seq);
  Status AddDuplicate(const std::vector<EntryRequest>& requests, size_t index, size_t first,
                      PendingAppend* pending);
  Status AddNewEntry(const EntryRequest& request, size_t index, PendingAppend* pending);
  std::vector<Status> PrepareEntries(const std::vector<EntryRequest>& requests,
                                     const std::string& stamp, PendingAppend* pending) const;
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
  merkle::CompactRange range_;
  Hash256 last_leaf_;  // leaf hash of entry size_-1; all zero while empty
  // Reused by every append, so that its buffer is not allocated and faulted
  // in again for each batch; replaced when a batch leaves it large.
  rocksdb::WriteBatch batch_;
  size_t batch_reserved_bytes_ = 0;
};

Result<Hash256> StoredNodes::PerfectNode(merkle::NodeId id) { return ledger_->PerfectNode(id); }

Result<std::optional<domain::Effect>> StoredEffects::Find(uint64_t seq) const {
  return ledger_->StoredEffect(seq);
}

// The root of a perfect subtree from its hashes at one level, left to right.
// REQUIRES: hashes->size() is a power of two.
Hash256 FoldPerfect(std::vector<Hash256>* hashes) {
  assert(!hashes->empty() && (hashes->size() & (hashes->size() - 1)) == 0);
  for (size_t n = hashes->size(); n > 1; n /= 2) {
    for (size_t i = 0; i < n / 2; ++i) {
      (*hashes)[i] = NodeHash((*hashes)[2 * i], (*hashes)[2 * i + 1]);
    }
  }
  return hashes->front();
}

// ---- Opening ----

Status RocksLedger::InitializeNew(const std::string& origin) {
  rocksdb::WriteBatch batch;
  batch.Put(ToSlice(store::MetaKey(store::kMetaFormat)), std::to_string(limits::kFormatVersion));
  batch.Put(ToSlice(store::MetaKey(store::kMetaOrigin)), origin);
  batch.Put(ToSlice(store::MetaKey(store::kMetaSize)), EncodeU64(0));
  batch.Put(db_.state.get(), ToSlice(store::MetaKey(store::kMetaState)),
            domain::SerializeState(domain::State{}));
  rocksdb::WriteOptions write;
  write.sync = true;
  rocksdb::Status s = db_.db->Write(write, &batch);
  if (!s.ok())
    return FromRocks(s, "无法写入新账本的元数据", "cannot write the new ledger's metadata");
  origin_ = origin;
  return Status::Ok();
}

Status RocksLedger::Load() {
  CZ_RETURN_IF_ERROR(LoadMetadata());
  CZ_RETURN_IF_ERROR(LoadTree());
  return LoadState();
}

Status RocksLedger::LoadMetadata() {
  CZ_ASSIGN_OR_RETURN(std::optional<std::string> format, GetIndex(store::MetaKey(store::kMetaFormat)));
  if (!format) {
    return Corrupt("目录 " + path_ + " 不是完整的村账账本（缺少格式版本）",
                   path_ + " is not a complete cunzhang ledger: the format version is missing");
  }
  if (*format != std::to_string(limits::kFormatVersion)) {
    return Corrupt(
        "账本格式版本为 " + *format + "，本程序只支持 " + std::to_string(limits::kFormatVersion),
        "the ledger has format version " + *format + "; this program reads only " +
            std::to_string(limits::kFormatVersion));
  }
  CZ_ASSIGN_OR_RETURN(origin_, GetRequired(store::MetaKey(store::kMetaOrigin), "origin"));
  CZ_ASSIGN_OR_RETURN(std::string size_bytes,
                      GetRequired(store::MetaKey(store::kMetaSize), "size"));
  std::optional<uint64_t> size = store::DecodeU64(size_bytes);
  if (!size) return Corrupt("账本记录的条目数无法读取", "the stored ledger size is unreadable");
  size_ = *size;
  return Status::Ok();
}

void RocksLedger::StoreSnapshotOnClose() {
  if (mode_ != Mode::kWrite || state_broken_ || snapshot_seq_ == size_ || db_.db == nullptr) return;
  if (state_.entries != size_) return;
  rocksdb::WriteOptions write;
  write.sync = true;
  std::string snapshot = domain::SerializeState(state_);
  rocksdb::Status s = db_.db->Put(write, db_.state.get(), ToSlice(store::MetaKey(store::kMetaState)),
                                  snapshot);
  if (s.ok()) {
    snapshot_seq_ = size_;
    snapshot_bytes_ = snapshot.size();
  }
}

Status RocksLedger::LoadState() {
  CZ_ASSIGN_OR_RETURN(std::optional<std::string> state_bytes,
                      Get(db_.state.get(), store::MetaKey(store::kMetaState)));
  if (!state_bytes) {
    return Corrupt("账本缺少派生状态", "the stored ledger has no derived state");
  }
  CZ_ASSIGN_OR_RETURN(domain::State state, domain::DeserializeState(*state_bytes));
  state.archive.archive = &effects_;
  if (state.entries > size_) {
    return Corrupt("派生状态与账本条目数不符",
                   "the derived state covers " + std::to_string(state.entries) +
                       " entries but the ledger holds " + std::to_string(size_));
  }
  snapshot_seq_ = state.entries;
  snapshot_bytes_ = state_bytes->size();
  if (state.entries < size_) {
    Status replayed = Status::Ok();
    CZ_RETURN_IF_ERROR(Scan(state.entries, size_, [&](uint64_t seq, std::string_view bytes) {
      Result<Entry> entry = DecodeEntry(bytes);
      replayed = entry.ok() ? domain::Apply(&state, *entry) : entry.status();
      if (replayed.ok()) return true;
      replayed = Status(Code::kCorruption, "重放第 " + std::to_string(seq) +
                                               " 条以恢复派生状态失败：" + replayed.zh(),
                        "cannot replay entry " + std::to_string(seq) +
                            " to rebuild the derived state: " + replayed.en(),
                        Where{.entry = static_cast<int64_t>(seq)});
      return false;
    }));
    CZ_RETURN_IF_ERROR(replayed);
  }
  // The replayed entries are all stored, with their effects.
  state.effects.clear();
  state_ = std::move(state);
  state_broken_ = false;
  return Status::Ok();
}

// Resumes the Merkle peaks and the last leaf hash, and checks that entry
// size-1 exists and entry size does not. Each peak is read as a reader would
// read it: a stored node, or recomputed from the stored nodes or entries
// beneath it, so a missing or damaged one fails the open.
Status RocksLedger::LoadTree() {
  CZ_ASSIGN_OR_RETURN(std::optional<std::string> beyond, Get(db_.entries.get(), store::EntryKey(size_)));
  if (beyond) {
    return Corrupt(
        "账本中存在超出记录条目数的条目",
        "an entry exists at seq " + std::to_string(size_) + ", beyond the recorded size");
  }
  if (size_ > 0) {
    CZ_ASSIGN_OR_RETURN(std::string last, EntryBytes(size_ - 1));
    last_leaf_ = LeafHash(last);
  }
  StoredNodes nodes(this);
  std::vector<Hash256> peaks;
  for (merkle::NodeId id : merkle::CompactRange::PeakIds(size_)) {
    CZ_ASSIGN_OR_RETURN(Hash256 peak, nodes.PerfectNode(id));
    peaks.push_back(peak);
  }
  CZ_ASSIGN_OR_RETURN(range_, merkle::CompactRange::FromPeaks(size_, std::move(peaks)));
  return Status::Ok();
}

// ---- Reading ----

Result<std::optional<std::string>> RocksLedger::Get(rocksdb::ColumnFamilyHandle* family,
                                                    std::string_view key) {
  std::string value;
  rocksdb::Status s = db_.db->Get(rocksdb::ReadOptions(), family, ToSlice(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "读取账本失败", "cannot read the ledger");
  return std::optional<std::string>(std::move(value));
}

Result<std::optional<domain::Effect>> RocksLedger::StoredEffect(uint64_t seq) {
  CZ_ASSIGN_OR_RETURN(std::optional<std::string> bytes, Get(db_.state.get(), store::EffectKey(seq)));
  if (!bytes) return std::optional<domain::Effect>();
  Result<domain::Effect> effect = domain::DeserializeEffect(*bytes);
  if (!effect.ok()) return Status(effect.status()).AddContext(Where{.entry = static_cast<int64_t>(seq)});
  return std::optional<domain::Effect>(std::move(*effect));
}

Result<std::string> RocksLedger::GetRequired(std::string_view key, std::string_view what) {
  CZ_ASSIGN_OR_RETURN(std::optional<std::string> value, GetIndex(key));
  if (!value) {
    return Corrupt("账本缺少 " + std::string(what) + " 记录",
                   "the ledger's " + std::string(what) + " record is missing");
  }
  return std::move(*value);
}

Result<std::string> RocksLedger::EntryBytes(uint64_t seq) {
  if (seq >= size_) {
    return Status(
        Code::kNotFound, "账本中没有第 " + std::to_string(seq) + " 条记录",
        "no entry " + std::to_string(seq) + " (the ledger holds " + std::to_string(size_) + ")",
        Where{.entry = static_cast<int64_t>(seq)});
  }
  CZ_ASSIGN_OR_RETURN(std::optional<std::string> bytes, Get(db_.entries.get(), store::EntryKey(seq)));
  if (!bytes) {
    return Status(Code::kCorruption, "账本缺少第 " + std::to_string(seq) + " 条记录",
                  "entry " + std::to_string(seq) + " is missing from the store",
                  Where{.entry = static_cast<int64_t>(seq)});
  }
  return std::move(*bytes);
}

// Level 0 and the stored levels are one read; a level L in between is
// recomputed from the 2^(L - base) <= 8 hashes at base = the stored level
// below it (or the leaves).
Result<Hash256> RocksLedger::PerfectNode(merkle::NodeId id) {
  if (id.level >= 64 || id.index >= (size_ >> id.level)) {
    return Status(Code::kInternal, "请求的默克尔节点超出账本范围",
                  "Merkle node (level " + std::to_string(id.level) + ", index " +
                      std::to_string(id.index) + ") is outside a tree of " +
                      std::to_string(size_) + " leaves");
  }
  if (store::IsStoredNodeLevel(id.level)) return StoredNode(id.level, id.index);
  const unsigned base = id.level - id.level % store::kNodeLevelStep;
  const unsigned below = id.level - base;
  const uint64_t first = id.index << below;
  const uint64_t count = uint64_t{1} << below;
  if (base == 0) return NodeFromLeaves(first, count);
  return NodeFromStored(base, first, count);
}

Result<Hash256> RocksLedger::StoredNode(unsigned level, uint64_t index) {
  assert(store::IsStoredNodeLevel(level) && index < (size_ >> level));
  CZ_ASSIGN_OR_RETURN(std::optional<std::string> bytes, GetIndex(store::NodeKey(level, index)));
  std::optional<Hash256> hash = bytes ? Hash256::FromBytes(*bytes) : std::nullopt;
  if (!hash) {
    return Corrupt("默克尔树节点缺失或损坏", "Merkle node (level " + std::to_string(level) +
                                                 ", index " + std::to_string(index) +
                                                 ") is missing or not 32 bytes");
  }
  return *hash;
}

Result<Hash256> RocksLedger::NodeFromLeaves(uint64_t first, uint64_t count) {
  std::vector<Hash256> leaves;
  leaves.reserve(count);
  CZ_RETURN_IF_ERROR(Scan(first, first + count, [&leaves](uint64_t, std::string_view bytes) {
    leaves.push_back(LeafHash(bytes));
    return true;
  }));
  return FoldPerfect(&leaves);
}

Result<Hash256> RocksLedger::NodeFromStored(unsigned level, uint64_t first, uint64_t count) {
  std::vector<Hash256> nodes;
  nodes.reserve(count);
  for (uint64_t index = first; index < first + count; ++index) {
    CZ_ASSIGN_OR_RETURN(Hash256 node, StoredNode(level, index));
    nodes.push_back(node);
  }
  return FoldPerfect(&nodes);
}

Status RocksLedger::Scan(uint64_t first, uint64_t last,
                         const std::function<bool(uint64_t, std::string_view)>& fn) {
  if (first > last) {
    return Status(
        Code::kInvalidInput, "范围起点大于终点",
        "range start " + std::to_string(first) + " is after its end " + std::to_string(last));
  }
  last = std::min(last, size_);
  if (first >= last) return Status::Ok();
  const std::string lower = store::EntryKey(first);
  const std::string upper = store::EntryKey(last);
  rocksdb::Slice upper_slice = ToSlice(upper);
  rocksdb::ReadOptions read;
  read.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_.db->NewIterator(read, db_.entries.get()));
  uint64_t expected = first;
  for (it->Seek(ToSlice(lower)); it->Valid(); it->Next()) {
    std::optional<uint64_t> seq =
        store::SeqOfEntryKey(std::string_view(it->key().data(), it->key().size()));
    if (!seq || *seq != expected) {
      return Status(Code::kCorruption, "账本条目不连续",
                    "entry " + std::to_string(expected) + " is missing from the store",
                    Where{.entry = static_cast<int64_t>(expected)});
    }
    ++expected;
    if (!fn(*seq, std::string_view(it->value().data(), it->value().size()))) return Status::Ok();
  }
  if (!it->status().ok()) return FromRocks(it->status(), "读取账本失败", "cannot read the ledger");
  if (expected != last) {
    return Status(Code::kCorruption, "账本条目不连续",
                  "entry " + std::to_string(expected) + " is missing from the store",
                  Where{.entry = static_cast<int64_t>(expected)});
  }
  return Status::Ok();
}

// A scan of every entry: there is no type index (keys.h says why).
Result<std::vector<uint64_t>> RocksLedger::SeqsOfType(const std::string& type) {
  CZ_RETURN_IF_ERROR(CheckType(type));
  std::vector<uint64_t> seqs;
  Status decoded = Status::Ok();
  CZ_RETURN_IF_ERROR(Scan(0, size_, [&](uint64_t seq, std::string_view bytes) {
    Result<Entry> entry = DecodeEntry(bytes);
    if (!entry.ok()) {
      decoded = Status(Code::kCorruption, "账本中第 " + std::to_string(seq) + " 条记录无法读取",
                       "stored entry " + std::to_string(seq) + " does not decode: " +
                           entry.status().en(),
                       Where{.entry = static_cast<int64_t>(seq)});
      return false;
    }
    if (entry->type == type) seqs.push_back(seq);
    return true;
  }));
  CZ_RETURN_IF_ERROR(decoded);
  return seqs;
}

Result<std::optional<uint64_t>> RocksLedger::FindIdempotencyId(const std::string& id) {
  CZ_ASSIGN_OR_RETURN(std::optional<std::string> value, GetIndex(store::IdempotencyKey(id)));
  if (!value) return std::optional<uint64_t>();
  std::optional<uint64_t> seq = store::DecodeU64(*value);
  if (!seq || *seq >= size_) {
    return Corrupt("幂等编号索引损坏", "the index entry of idempotency id \"" + id + "\" is bad");
  }
  return seq;
}

// ---- Roots and proofs ----

Status RocksLedger::CheckTreeSize(uint64_t size, std::string_view what) {
  if (size <= size_) return Status::Ok();
  return Status(
      Code::kNotFound,
      "账本只有 " + std::to_string(size_) + " 条记录，没有大小为 " + std::to_string(size) + " 的树",
      std::string(what) + ": the ledger holds " + std::to_string(size_) +
          " entries, so there is no tree of size " + std::to_string(size));
}

Result<Hash256> RocksLedger::RootAt(uint64_t size) {
  CZ_RETURN_IF_ERROR(CheckTreeSize(size, "root"));
  if (size == size_) return range_.Root();
  StoredNodes nodes(this);
  return merkle::RootAt(nodes, size);
}

Result<std::vector<Hash256>> RocksLedger::InclusionProof(uint64_t index, uint64_t size) {
  CZ_RETURN_IF_ERROR(CheckTreeSize(size, "inclusion proof"));
  if (index >= size) {
    return Status(
        Code::kInvalidInput,
        "第 " + std::to_string(index) + " 条不在大小为 " + std::to_string(size) + " 的树中",
        "entry " + std::to_string(index) + " is not in a tree of size " + std::to_string(size));
  }
  StoredNodes nodes(this);
  return merkle::InclusionProof(nodes, index, size);
}

Result<std::vector<Hash256>> RocksLedger::ConsistencyProof(uint64_t size1, uint64_t size2) {
  CZ_RETURN_IF_ERROR(CheckTreeSize(size2, "consistency proof"));
  if (size1 > size2) {
    return Status(Code::kInvalidInput, "一致性证明要求前一个大小不大于后一个",
                  "consistency proof from size " + std::to_string(size1) + " to the smaller " +
                      std::to_string(size2));
  }
  StoredNodes nodes(this);
  return merkle::ConsistencyProof(nodes, size1, size2);
}

// ---- Appending ----

Where RequestWhere(size_t index, std::optional<uint64_t> seq = std::nullopt) {
  Where where;
  where.line = static_cast<int64_t>(index) + 1;
  if (seq) where.entry = static_cast<int64_t>(*seq);
  return where;
}

// The same idempotency id asking for something else than `recorded`, which
// differs first in the field `differs` (RequestDifference): the error says what differs,
// since a retry that only changed the operator (an import run by someone
// else) looks identical in the file.
Status ConflictError(const Entry& recorded, const EntryRequest& request, std::string_view differs,
                     size_t index) {
  Where where = RequestWhere(index, recorded.seq);
  where.field = std::string(differs);
  std::string zh_what = "内容不同";
  std::string en_what = "different content";
  auto op_text = [](const Operator& op) { return op.name + " (" + op.role + ")"; };
  if (differs == field::kType) {
    zh_what = "类型不同（已记录 " + recorded.type + "，这次 " + request.type + "）";
    en_what = "a different type (recorded " + recorded.type + ", now " + request.type + ")";
  } else if (differs == field::kOperator) {
    zh_what = "操作人不同（已记录 " + op_text(recorded.op) + "，这次 " + op_text(request.op) + "）";
    en_what = "a different operator (recorded " + op_text(recorded.op) + ", now " +
              op_text(request.op) + ")";
  } else if (differs == field::kBody) {
    zh_what = "内容（body）不同";
    en_what = "a different body";
  } else if (differs == field::kTime) {
    zh_what = "时间不同（已记录 " + recorded.time + "，这次 " + request.time + "）";
    en_what = "a different time (recorded " + recorded.time + ", now " + request.time + ")";
  }
  const std::string& id = request.idempotency_id;
  return Status(Code::kConflict,
                "幂等编号 “" + id + "” 已用于第 " + std::to_string(recorded.seq) + " 条记录，但这次" +
                    zh_what + "；整批未写入",
                "idempotency id \"" + id + "\" is already recorded as entry " +
                    std::to_string(recorded.seq) + " with " + en_what + "; nothing was written",
                std::move(where));
}

// Assigns every field, so a reused `entry` keeps only its buffers.
void RocksLedger::FillEntry(const EntryRequest& request, uint64_t seq, const Hash256& prev,
                            const std::string& stamp, Entry* entry) const {
  entry->version = limits::kFormatVersion;
  entry->seq = seq;
  entry->origin = origin_;
  entry->time = request.time.empty() ? stamp : request.time;
  entry->type = request.type;
  entry->op = request.op;
  entry->idempotency_id = request.idempotency_id;
  entry->body = request.body;
  entry->prev = prev;
}

// The seq already recorded for each request's idempotency id, by MultiGet in
// chunks of kMultiGetKeysMax.
Result<std::vector<std::optional<uint64_t>>> RocksLedger::RecordedSeqs(
    const std::vector<EntryRequest>& requests) {
  std::vector<std::optional<uint64_t>> seqs(requests.size());
  std::string keys;  // one chunk's keys, end to end: one buffer, not one per key
  std::array<rocksdb::Slice, kMultiGetKeysMax> slices;
  std::array<rocksdb::PinnableSlice, kMultiGetKeysMax> values;
  std::array<rocksdb::Status, kMultiGetKeysMax> statuses;
  for (size_t first = 0; first < requests.size(); first += kMultiGetKeysMax) {
    const size_t n = std::min(kMultiGetKeysMax, requests.size() - first);
    keys.clear();
    for (size_t i = 0; i < n; ++i) {
      keys.push_back(store::kIdempotencyPrefix);
      keys.append(requests[first + i].idempotency_id);
    }
    for (size_t i = 0, begin = 0; i < n; ++i) {
      const size_t length = 1 + requests[first + i].idempotency_id.size();
      slices[i] = rocksdb::Slice(keys.data() + begin, length);
      begin += length;
      values[i].Reset();
    }
    db_.db->MultiGet(rocksdb::ReadOptions(), db_.index.get(), n, slices.data(), values.data(),
                     statuses.data());
    for (size_t i = 0; i < n; ++i) {
      if (statuses[i].IsNotFound()) continue;
      const EntryRequest& request = requests[first + i];
      if (!statuses[i].ok()) {
        return FromRocks(statuses[i], "查找幂等编号失败", "cannot look up idempotency ids");
      }
      seqs[first + i] = store::DecodeU64(std::string_view(values[i].data(), values[i].size()));
      if (!seqs[first + i] || *seqs[first + i] >= size_) {
        return Corrupt("幂等编号索引损坏", "the index entry of idempotency id \"" +
                                               request.idempotency_id + "\" is bad");
      }
    }
  }
  return seqs;
}

Result<std::vector<AppendOutcome>> RocksLedger::Append(const std::vector<EntryRequest>& requests) {
  if (mode_ != Mode::kWrite) {
    return Status(Code::kInternal, "账本以只读方式打开，不能追加",
                  "the ledger was opened read-only; it cannot append");
  }
  if (state_broken_) {
    CZ_RETURN_IF_ERROR(LoadState());
  }
  Result<std::vector<AppendOutcome>> outcomes = AppendOrCheck(requests, true, &state_);
  if (!outcomes.ok() && state_.entries != size_) {
    // Entries of the failed batch were applied to state_: back to size_.
    Status restored = LoadState();
    if (!restored.ok()) state_broken_ = true;
  }
  return outcomes;
}

Result<std::vector<AppendOutcome>> RocksLedger::Check(const std::vector<EntryRequest>& requests) {
  if (state_broken_) {
    return Status(Code::kCorruption, "账本的派生状态无法恢复", "the derived state cannot be rebuilt");
  }
  domain::State copy = state_;
  return AppendOrCheck(requests, false, &copy);
}

Result<std::vector<AppendOutcome>> RocksLedger::AppendOrCheck(
    const std::vector<EntryRequest>& requests, bool commit, domain::State* state) {
  if (requests.size() > limits::kBatchEntriesMax) {
    return Status(Code::kInvalidInput,
                  "一批最多 " + std::to_string(limits::kBatchEntriesMax) + " 条，这批有 " +
                      std::to_string(requests.size()) + " 条",
                  "a batch holds at most " + std::to_string(limits::kBatchEntriesMax) +
                      " entries; this one has " + std::to_string(requests.size()));
  }
  PendingAppend pending;
  for (const EntryRequest& request : requests) {
    if (request.time.empty()) {
      pending.time = NowRfc3339();
      break;
    }
  }
  std::vector<Status> checked = PrepareEntries(requests, pending.time, &pending);
  for (Status& s : checked) CZ_RETURN_IF_ERROR(std::move(s));
  CZ_ASSIGN_OR_RETURN(std::vector<std::optional<uint64_t>> recorded, RecordedSeqs(requests));

  pending.batch = &batch_;
  pending.state = state;
  pending.range = range_;
  pending.last_leaf = last_leaf_;
  pending.size = size_;
  pending.requests_total = requests.size();
  pending.outcomes.reserve(requests.size());
  pending.ids.reserve(requests.size());
  pending.ids_written.reserve(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    auto earlier = pending.ids.find(requests[i].idempotency_id);
    if (earlier != pending.ids.end()) {
      CZ_RETURN_IF_ERROR(AddDuplicate(requests, i, earlier->second, &pending));
    } else {
      CZ_RETURN_IF_ERROR(AddRequest(requests[i], i, recorded[i], &pending));
    }
  }
  if (!commit || pending.size == size_) return std::move(pending.outcomes);

  pending.snapshot = SnapshotDue(snapshot_seq_, snapshot_bytes_, pending.size);
  pending.state_family = db_.state.get();
  AddIndexKeys(&pending);
  rocksdb::WriteOptions write;
  write.sync = true;
  rocksdb::Status s = db_.db->Write(write, &batch_);
  batch_reserved_bytes_ = std::max(batch_reserved_bytes_, batch_.GetDataSize());
  if (batch_reserved_bytes_ > kBatchKeptBytesMax) {
    batch_ = rocksdb::WriteBatch();
    batch_reserved_bytes_ = 0;
  }
  if (!s.ok()) return FromRocks(s, "写入账本失败，本批未写入", "cannot write the batch");

  size_ = pending.size;
  if (pending.snapshot) {
    snapshot_seq_ = pending.size;
    snapshot_bytes_ = pending.snapshot_bytes;
  }
  range_ = std::move(pending.range);
  last_leaf_ = pending.last_leaf;
  return std::move(pending.outcomes);
}

Status RocksLedger::AddRequest(const EntryRequest& request, size_t index,
                               const std::optional<uint64_t>& recorded, PendingAppend* pending) {
  pending->ids.emplace(request.idempotency_id, index);
  if (recorded) {
    CZ_RETURN_IF_ERROR(CheckRetry(request, index, *recorded));
    pending->outcomes.push_back(AppendOutcome{.seq = *recorded, .already_recorded = true});
    return Status::Ok();
  }
  return AddNewEntry(request, index, pending);
}

// A request whose id is already in the ledger must ask for what is there.
Status RocksLedger::CheckRetry(const EntryRequest& request, size_t index, uint64_t seq) {
  CZ_ASSIGN_OR_RETURN(std::string bytes, EntryBytes(seq));
  Result<Entry> existing = DecodeEntry(bytes);
  if (!existing.ok()) {
    return Status(existing.status()).AddContext(Where{.entry = static_cast<int64_t>(seq)});
  }
  if (std::optional<std::string_view> differs = RequestDifference(*existing, request)) {
    return ConflictError(*existing, request, *differs, index);
  }
  return Status::Ok();
}

// A request repeating an id used earlier in the same batch.
Status RocksLedger::AddDuplicate(const std::vector<EntryRequest>& requests, size_t index,
                                 size_t first, PendingAppend* pending) {
  const AppendOutcome& original = pending->outcomes[first];
  if (original.already_recorded) {
    CZ_RETURN_IF_ERROR(CheckRetry(requests[index], index, original.seq));
  } else if (std::optional<std::string_view> differs =
                 RequestDifference(pending->entries[first], requests[index])) {
    // The first request's entry, built and numbered by AddNewEntry.
    return ConflictError(pending->entries[first], requests[index], *differs, index);
  }
  pending->outcomes.push_back(AppendOutcome{.seq = original.seq, .already_recorded = true});
  return Status::Ok();
}

// Empties the batch, sized from the first entry so that its buffer rarely
// grows: `entries_max` entries like the first, with their keys.
void RocksLedger::ResetBatch(size_t entry_bytes, size_t entries_max) {
  const size_t estimate =
      std::min((entry_bytes + kKeysPerEntryBytes) * entries_max, kBatchReserveBytesMax);
  if (estimate > batch_reserved_bytes_) {
    batch_ = rocksdb::WriteBatch(estimate);
    batch_reserved_bytes_ = estimate;
  } else {
    batch_.Clear();
  }
}

// Checks every request's envelope and builds its entry, and runs the rules
// that need no state on it; the upper half of a large batch on a second
// thread. Returns each request's envelope check, in order.
std::vector<Status> RocksLedger::PrepareEntries(const std::vector<EntryRequest>& requests,
                                                const std::string& stamp,
                                                PendingAppend* pending) const {
  const size_t n = requests.size();
  std::vector<Status> checked(n);
  pending->entries.resize(n);
  pending->alone.resize(n);
  pending->bodies.resize(n);
  auto prepare = [&](size_t first, size_t last) {
    for (size_t i = first; i < last; ++i) {
      checked[i] = store::CheckRequest(requests[i]).AddContext(RequestWhere(i));
      if (!checked[i].ok()) continue;
      Entry& entry = pending->entries[i];
      FillEntry(requests[i], 0, Hash256(), stamp, &entry);
      pending->alone[i] = domain::CheckEntryAlone(entry);
      json::AppendCanonical(entry.body, &pending->bodies[i]);
    }
  };
  constexpr size_t kParallelEntriesMin = 64;
  if (n < kParallelEntriesMin) {
    prepare(0, n);
  } else {
    std::thread upper(prepare, n / 2, n);
    prepare(0, n / 2);
    upper.join();
  }
  return checked;
}

Status RocksLedger::AddNewEntry(const EntryRequest& request, size_t index, PendingAppend* pending) {
  const uint64_t seq = pending->size;
  Entry& entry = pending->entries[index];
  entry.seq = seq;
  entry.prev = pending->last_leaf;
  std::string bytes = EncodeEntryWithBody(entry, pending->bodies[index]);
  if (bytes.size() > limits::kEntryBytesMax) {
    return Status(Code::kInvalidInput,
                  "条目编码后有 " + std::to_string(bytes.size()) + " 字节，超过上限 " +
                      std::to_string(limits::kEntryBytesMax) + " 字节",
                  "the entry is " + std::to_string(bytes.size()) +
                      " bytes when encoded; the limit is " + std::to_string(limits::kEntryBytesMax),
                  RequestWhere(index, seq));
  }
  assert(DecodeEntry(bytes).ok());
  // A refusal found before the seq was known is found again with it, so that
  // the error names the entry.
  const Status& alone = pending->alone[index];
  CZ_RETURN_IF_ERROR(
      domain::ApplyChecked(pending->state, entry, alone.ok() ? alone : domain::CheckEntryAlone(entry))
          .AddContext(RequestWhere(index, seq)));

  const Hash256 leaf = LeafHash(bytes);
  auto& nodes = pending->nodes;
  pending->range.Append(leaf, [&nodes](merkle::NodeId id, const Hash256& hash) {
    if (store::IsStoredNodeLevel(id.level)) nodes.emplace_back(id, hash);
  });
  if (seq == size_) ResetBatch(bytes.size(), pending->requests_total - index);
  pending->batch->Put(db_.entries.get(), ToSlice(store::EntryKey(seq)), ToSlice(bytes));
  pending->ids_written.emplace_back(request.idempotency_id, seq);
  pending->last_leaf = leaf;
  pending->size = seq + 1;
  pending->outcomes.push_back(AppendOutcome{.seq = seq, .already_recorded = false});
  return Status::Ok();
}

// ---- Creating and opening ----

Result<LedgerDb> OpenDb(const std::string& path, Ledger::Mode mode, bool create) {
  rocksdb::DBOptions options = LedgerDbOptions();
  options.create_if_missing = create;
  options.create_missing_column_families = create;
  options.error_if_exists = create;
  const std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  const std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, IndexOptions(cache)},
      {std::string(store::kEntriesColumnFamily), EntriesOptions(cache)},
      {std::string(store::kStateColumnFamily), StateOptions()}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (mode == Ledger::Mode::kWrite) {
    s = rocksdb::DB::Open(options, path, families, &handles, &raw);
  } else {
    // A writer may delete a log file while a reader opens; try again then.
    for (int attempt = 1; attempt <= kReadOnlyOpenAttemptsMax; ++attempt) {
      s = rocksdb::DB::OpenForReadOnly(options, path, families, &handles, &raw);
      if (s.ok() || !(s.IsIOError() || s.IsPathNotFound())) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt));
    }
  }
  if (s.ok()) {
    assert(handles.size() == families.size());
    LedgerDb db;
    db.db.reset(raw);
    db.index.reset(handles[0]);
    db.entries.reset(handles[1]);
    db.state.reset(handles[2]);
    return db;
  }
  if (IsLockHeld(s)) {
    return Status(
        Code::kBusy, "账本正由另一个写入进程使用：" + path,
        "the ledger is in use by another writer: " + path + " (RocksDB: " + s.ToString() + ")");
  }
  if (create && s.IsInvalidArgument()) {
    return Status(Code::kConflict, "这里已有账本：" + path,
                  "a ledger already exists at " + path + " (RocksDB: " + s.ToString() + ")");
  }
  return FromRocks(s, "无法打开账本：" + path, "cannot open the ledger at " + path);
}

}  // namespace

Result<std::unique_ptr<Ledger>> Ledger::Create(const std::string& path, const std::string& origin) {
  CZ_RETURN_IF_ERROR(CheckOrigin(origin));
  if (LedgerExists(path)) {
    return Status(Code::kConflict, "这里已有账本：" + path, "a ledger already exists at " + path);
  }
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) {
    return Status(Code::kIo, "无法创建账本目录：" + path,
                  "cannot create the ledger directory " + path + ": " + ec.message());
  }
  CZ_ASSIGN_OR_RETURN(LedgerDb db, OpenDb(path, Mode::kWrite, true));
  auto ledger = std::make_unique<RocksLedger>(std::move(db), Mode::kWrite, path);
  CZ_RETURN_IF_ERROR(ledger->InitializeNew(origin));
  return std::unique_ptr<Ledger>(std::move(ledger));
}

Result<std::unique_ptr<Ledger>> Ledger::Open(const std::string& path, Mode mode) {
  if (!LedgerExists(path)) return NotALedger(path);
  CZ_ASSIGN_OR_RETURN(LedgerDb db, OpenDb(path, mode, false));
  auto ledger = std::make_unique<RocksLedger>(std::move(db), mode, path);
  CZ_RETURN_IF_ERROR(ledger->Load());
  return std::unique_ptr<Ledger>(std::move(ledger));
}

}  // namespace cunzhang
