// The ledger on RocksDB (rocks_ledger.h): opening and creating a ledger,
// its RocksDB options, and restoring the rule state from the stored snapshot.
#include <rocksdb/convenience.h>
#include <rocksdb/table.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string_view>
#include <thread>
#include <utility>

#include "ascending_memtable.h"
#include "cunzhang/limits.h"
#include "keys.h"
#include "rocks_ledger.h"

namespace cunzhang {
namespace store_impl {

Status FromRocks(const rocksdb::Status& s, std::string zh, std::string_view en_what) {
  Code code = s.IsCorruption() ? Code::kCorruption : Code::kIo;
  return Status(code, std::move(zh), std::string(en_what) + ": RocksDB: " + s.ToString());
}

Status Corrupt(std::string zh, std::string en) {
  return Status(Code::kCorruption, std::move(zh), std::move(en));
}

namespace {

namespace fs = std::filesystem;
using store::EncodeU64;

constexpr size_t kWriteBufferBytes = 64u << 20;
// The write-ahead log kept at most (about): see LedgerDbOptions.
constexpr uint64_t kWalBytesMax = 2 * kWriteBufferBytes;
// Blocks of the entries' table files: see EntriesOptions.
constexpr size_t kEntryBlockBytes = 32u << 10;
constexpr size_t kIndexWriteBufferBytes = 16u << 20;
constexpr size_t kBlockCacheBytes = 32u << 20;
constexpr uint64_t kBytesPerSync = 1u << 20;
constexpr int kReadOnlyOpenAttemptsMax = 8;

// ---- RocksDB plumbing ----

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

rocksdb::Env* test_env = nullptr;  // SetEnvForTesting
uint64_t test_wal_bytes_max = 0;   // SetWalBytesMaxForTesting
size_t test_migration_row_entries = 0;  // SetMigrationRowEntriesForTesting
int test_read_only_open_changes = 0;    // SetReadOnlyOpenChangesForTesting

// Tuned for the ledger: small sequential appends and ranges of entries read
// in order.
rocksdb::DBOptions LedgerDbOptions() {
  rocksdb::DBOptions options;
  if (test_env != nullptr) options.env = test_env;
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  // Readers open every table file at open, so a writer's compaction that
  // deletes files cannot pull them from under a reader.
  options.max_open_files = -1;
  options.keep_log_file_num = 4;
  // Flushes and compactions write back as they go, so a synced append does
  // not wait behind one large burst of table writes.
  options.bytes_per_sync = kBytesPerSync;
  // A log file can go only once every column family has flushed what it
  // holds, and the small ones (the nodes, the rows of ids, the effects, the
  // snapshot) fill their memtables slowly: by default RocksDB kept up to four
  // times the sum of all write buffers, and after a 1,000,000-entry import
  // 590 MB of log, which every later open (a reader's too) reads back:
  // 0.86 s for `cunzhang root`. Past this size the column families holding
  // the oldest log are flushed instead (small flushes): 77 MB left, 0.21 s.
  options.max_total_wal_size = test_wal_bytes_max != 0 ? test_wal_bytes_max : kWalBytesMax;
  // One writer at a time (the LOCK), and the entries' and effects' memtables
  // (AscendingMemTableFactory) take one insert at a time.
  options.allow_concurrent_memtable_write = false;
  return options;
}

// The entries column family holds only 'e' keys, which every append adds in
// ascending order: its table files never overlap, so they move down the
// levels without being rewritten (no compaction CPU), as in a plain log. It
// needs no bloom filters: entries are only read at seqs below the size.
// Nor ZSTD at the bottom: its files arrive there by moves, not rewrites.
// Blocks of 32 KiB, not 4: entries are mostly read in runs (export, the
// leaves under a proof's nodes, `log`), and LZ4 finds more to share in a
// larger block: the table files of 1,000,000 entries take 176 MB instead of
// 290 MB, which the flushes write and the export reads. An entry read alone
// decompresses its whole block, some microseconds.
// Its memtable is a sorted array (AscendingMemTableFactory): the keys arrive
// in order, and Debian's RocksDB checks each skip-list insert at every level.
rocksdb::ColumnFamilyOptions EntriesOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions options;
  options.write_buffer_size = kWriteBufferBytes;
  options.max_write_buffer_number = 3;
  options.level_compaction_dynamic_level_bytes = true;
  options.compression = FastestCompression();
  options.memtable_factory = AscendingMemTableFactory();
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.block_size = kEntryBlockBytes;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

// The default column family holds the rest: the rows of idempotency ids
// (one per append, read whole once by a writer), Merkle nodes (one per 16
// entries, read by proofs, always present) and metadata. No bloom filters:
// nothing is looked up that is usually absent.
rocksdb::ColumnFamilyOptions IndexOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions options;
  options.write_buffer_size = kIndexWriteBufferBytes;
  options.max_write_buffer_number = 3;
  options.level_compaction_dynamic_level_bytes = true;
  options.compression = FastestCompression();
  if (Supported(rocksdb::kZSTD)) options.bottommost_compression = rocksdb::kZSTD;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

// The state column family holds the snapshot, rewritten now and then and
// read when a ledger opens. No compression: reading it back at open would
// otherwise decompress it whole.
rocksdb::ColumnFamilyOptions StateOptions() {
  rocksdb::ColumnFamilyOptions options;
  options.write_buffer_size = kIndexWriteBufferBytes;
  options.compression = rocksdb::kNoCompression;
  return options;
}

// The effects column family, like the entries': keys added in ascending
// order (never compacted, a sorted-array memtable), read only by a
// reversal, no bloom filters.
rocksdb::ColumnFamilyOptions EffectsOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions options;
  options.write_buffer_size = kIndexWriteBufferBytes;
  options.level_compaction_dynamic_level_bytes = true;
  options.compression = FastestCompression();
  options.memtable_factory = AscendingMemTableFactory();
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

// What a reader can see of the writer's changes to the ledger's files: the
// MANIFEST that CURRENT names, and its size. RocksDB appends to it before
// it deletes a log file a flush made obsolete, or a table file a compaction
// rewrote, so when it is the same before and after a read-only open, no
// file the open read about went away while it ran.
std::string ManifestMark(const std::string& path) {
  std::ifstream current(path + "/CURRENT");
  std::string name;
  std::getline(current, name);
  std::error_code ec;
  const uintmax_t bytes = fs::file_size(path + "/" + name, ec);
  return name + (ec ? std::string(" ?") : " " + std::to_string(bytes));
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


Status NotALedger(const std::string& path) {
  return Status(Code::kNotFound, "这里没有账本：" + path,
                "no ledger at " + path + " (create one first)");
}

}  // namespace

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

void PutEffects(const std::map<uint64_t, domain::Effect>& effects,
                rocksdb::ColumnFamilyHandle* family, rocksdb::WriteBatch* batch) {
  for (const auto& [seq, effect] : effects) {
    batch->Put(family, ToSlice(store::EffectKey(seq)), domain::SerializeEffect(effect));
  }
}

Status RocksLedger::StoreState() {
  std::map<uint64_t, domain::Effect> effects = std::exchange(state_.effects, {});
  rocksdb::WriteBatch batch;
  PutEffects(effects, db_.effects.get(), &batch);
  std::string snapshot = domain::SerializeState(state_);
  batch.Put(db_.state.get(), ToSlice(store::MetaKey(store::kMetaState)), snapshot);
  rocksdb::WriteOptions write;
  write.sync = true;
  rocksdb::Status s = db_.db->Write(write, &batch);
  if (!s.ok()) {
    state_.effects = std::move(effects);
    return FromRocks(s, "无法保存派生状态", "cannot store the derived state");
  }
  snapshot_seq_ = size_;
  snapshot_bytes_ = snapshot.size();
  return Status::Ok();
}

void RocksLedger::StoreSnapshotOnClose() {
  if (mode_ != Mode::kWrite || state_broken_ || snapshot_seq_ == size_ || db_.db == nullptr) return;
  if (state_.entries != size_) return;
  static_cast<void>(StoreState());
}

Status RocksLedger::LoadState() {
  CZ_ASSIGN_OR_RETURN(std::optional<std::string> state_bytes,
                      Get(db_.state.get(), store::MetaKey(store::kMetaState)));
  if (!state_bytes) {
    return Corrupt("账本缺少派生状态", "the stored ledger has no derived state");
  }
  // A snapshot of another layout (a ledger made by an earlier release, which
  // kept the effects inside it) is not read: the state is rebuilt from every
  // entry, its effects kept in memory, and a writer stores them as rows.
  const bool current = domain::StateVersionOf(*state_bytes) == domain::kStateVersion;
  domain::State state;
  if (current) {
    CZ_ASSIGN_OR_RETURN(state, domain::DeserializeState(*state_bytes));
  }
  state.archive.archive = &effects_;
  if (state.entries > size_) {
    return Corrupt("派生状态与账本条目数不符",
                   "the derived state covers " + std::to_string(state.entries) +
                       " entries but the ledger holds " + std::to_string(size_));
  }
  snapshot_seq_ = state.entries;
  snapshot_bytes_ = current ? state_bytes->size() : 0;
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
  // The replayed entries are all stored, with their effects (in this
  // release's layout).
  if (current) state.effects.clear();
  state_ = std::move(state);
  state_broken_ = false;
  if (!current && mode_ == Mode::kWrite) return StoreState();
  return Status::Ok();
}

Status RocksLedger::EnsureIds(bool store) {
  store = store && mode_ == Mode::kWrite;
  if (ids_loaded_ && (ids_stored_ || !store)) return Status::Ok();
  ids_loaded_ = false;
  Status loaded = LoadIds(store);
  if (!loaded.ok()) {
    ids_.Clear();
    return loaded;
  }
  ids_loaded_ = true;
  return Status::Ok();
}

Status RocksLedger::LoadIds(bool store) {
  ids_.Clear();
  ids_stored_ = false;
  ids_.Reserve(size_);
  auto damaged = [](uint64_t first, std::string_view what_zh, std::string_view what_en) {
    return Corrupt(
        "幂等编号索引损坏：从第 " + std::to_string(first) + " 条起的一行" + std::string(what_zh),
        "the index of idempotency ids is damaged: its row for entries from " +
            std::to_string(first) + " " + std::string(what_en));
  };
  uint64_t covered = 0;  // the rows so far cover entries [0, covered)
  std::unique_ptr<rocksdb::Iterator> it(
      db_.db->NewIterator(rocksdb::ReadOptions(), db_.index.get()));
  const rocksdb::Slice prefix(&store::kIdHashesPrefix, 1);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const std::string_view key(it->key().data(), it->key().size());
    const std::string_view value(it->value().data(), it->value().size());
    const std::optional<uint64_t> first = store::SeqOfIdHashesKey(key);
    if (!first) {
      return Corrupt("幂等编号索引中有无法识别的键",
                     "the index of idempotency ids has an unreadable key");
    }
    if (*first != covered && covered == 0) {
      return damaged(*first, "不是第一行应在的位置（应从第 0 条起）",
                     "is where the first row should be (it should start at 0)");
    }
    if (*first != covered) {
      return damaged(
          *first, "与前一行不相接（应从第 " + std::to_string(covered) + " 条起）",
          "does not follow the row before (it should start at " + std::to_string(covered) + ")");
    }
    const uint64_t count = value.size() / store::kSeqBytes;
    if (value.empty() || value.size() % store::kSeqBytes != 0 || count > size_ - covered) {
      return damaged(*first, "长度不对（" + std::to_string(value.size()) + " 字节）",
                     "has a wrong length (" + std::to_string(value.size()) + " bytes)");
    }
    for (uint64_t k = 0; k < count; ++k) {
      ids_.Add(*store::DecodeU64(value.substr(k * store::kSeqBytes, store::kSeqBytes)),
               covered + k);
    }
    covered += count;
  }
  if (!it->status().ok()) {
    return FromRocks(it->status(), "读取幂等编号索引失败",
                     "cannot read the index of idempotency ids");
  }
  it.reset();
  if (covered == size_) {
    ids_stored_ = true;
    return Status::Ok();
  }
  // Entries without a row: a ledger made by an earlier release, which kept
  // one 'i' key per id (or one whose last rows were lost). Their ids are read
  // from the entries.
  const uint64_t from = covered;
  std::string hashes;
  Status decoded;
  CZ_RETURN_IF_ERROR(Scan(from, size_, [&](uint64_t seq, std::string_view bytes) {
    Result<Entry> entry = DecodeEntry(bytes);
    if (!entry.ok()) {
      decoded = Status(entry.status()).AddContext(Where{.entry = static_cast<int64_t>(seq)});
      return false;
    }
    const uint64_t hash = IdHash(entry->idempotency_id);
    ids_.Add(hash, seq);
    store::AppendU64(hash, &hashes);
    return true;
  }));
  CZ_RETURN_IF_ERROR(decoded);
  if (!store) return Status::Ok();
  // A writer stores them as rows (the same rows as appends of at most
  // kBatchEntriesMax entries would have) and drops the 'i' keys, in one write.
  rocksdb::WriteBatch batch;
  const size_t row_entries =
      test_migration_row_entries != 0 ? test_migration_row_entries : limits::kBatchEntriesMax;
  const size_t row_bytes = row_entries * store::kSeqBytes;
  for (size_t begin = 0; begin < hashes.size(); begin += row_bytes) {
    batch.Put(ToSlice(store::IdHashesKey(from + begin / store::kSeqBytes)),
              rocksdb::Slice(hashes.data() + begin, std::min(row_bytes, hashes.size() - begin)));
  }
  const std::string legacy_begin(1, store::kLegacyIdempotencyPrefix);
  const std::string legacy_end(1, static_cast<char>(store::kLegacyIdempotencyPrefix + 1));
  batch.DeleteRange(db_.index.get(), legacy_begin, legacy_end);
  rocksdb::WriteOptions write;
  write.sync = true;
  rocksdb::Status s = db_.db->Write(write, &batch);
  if (!s.ok()) {
    return FromRocks(s, "无法保存幂等编号索引", "cannot store the index of idempotency ids");
  }
  ids_stored_ = true;
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

// ---- Creating and opening ----

Result<LedgerDb> OpenDb(const std::string& path, Ledger::Mode mode, bool create) {
  rocksdb::DBOptions options = LedgerDbOptions();
  options.create_if_missing = create;
  options.create_missing_column_families = create;
  options.error_if_exists = create;
  const std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, IndexOptions(cache)},
      {std::string(store::kEntriesColumnFamily), EntriesOptions(cache)},
      {std::string(store::kStateColumnFamily), StateOptions()}};
  // The effects' column family is newer than the others: a writer adds it to
  // a ledger made without it; a reader opens such a ledger without it.
  bool with_effects = create;
  if (!create) {
    std::vector<std::string> names;
    if (rocksdb::DB::ListColumnFamilies(options, path, &names).ok()) {
      with_effects = std::find(names.begin(), names.end(), store::kEffectsColumnFamily) != names.end();
    }
    if (!with_effects && mode == Ledger::Mode::kWrite) {
      options.create_missing_column_families = true;
      with_effects = true;
    }
  }
  if (with_effects) families.push_back({std::string(store::kEffectsColumnFamily), EffectsOptions(cache)});
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (mode == Ledger::Mode::kWrite) {
    s = rocksdb::DB::Open(options, path, families, &handles, &raw);
  } else {
    // A writer may delete a log or table file while a reader opens: the
    // reader then fails to find it, or (a log file) silently lacks its
    // writes. Either way the MANIFEST changed meanwhile: try again then, and
    // tell the caller to try later when the writer keeps changing it.
    bool changed = false;
    for (int attempt = 1; attempt <= kReadOnlyOpenAttemptsMax; ++attempt) {
      const std::string before = ManifestMark(path);
      s = rocksdb::DB::OpenForReadOnly(options, path, families, &handles, &raw);
      changed = ManifestMark(path) != before;
      if (test_read_only_open_changes > 0) {
        --test_read_only_open_changes;
        changed = true;
      }
      if (!changed) break;
      if (s.ok()) {
        for (rocksdb::ColumnFamilyHandle* handle : handles) raw->DestroyColumnFamilyHandle(handle);
        delete raw;
        handles.clear();
        raw = nullptr;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt));
    }
    if (changed) {
      return Status(Code::kBusy, "账本正在写入，打开时文件一直在变：请稍后再试：" + path,
                    "the ledger's files kept changing while it was opened (a writer is busy): "
                    "try again later: " +
                        path);
    }
  }
  if (s.ok()) {
    assert(handles.size() == families.size());
    LedgerDb db;
    db.db.reset(raw);
    db.index.reset(handles[0]);
    db.entries.reset(handles[1]);
    db.state.reset(handles[2]);
    if (with_effects) db.effects.reset(handles[3]);
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

void SetEnvForTesting(rocksdb::Env* env) { test_env = env; }
void SetWalBytesMaxForTesting(uint64_t bytes) { test_wal_bytes_max = bytes; }
void SetMigrationRowEntriesForTesting(size_t entries) { test_migration_row_entries = entries; }
void SetReadOnlyOpenChangesForTesting(int opens) { test_read_only_open_changes = opens; }

Status RocksLedger::Writable() {
  if (mode_ != Mode::kWrite) {
    return Status(Code::kInternal, "账本以只读方式打开，不能追加",
                  "the ledger was opened read-only; it cannot append");
  }
  if (write_failed_) {
    return Status(Code::kIo, "此前的一次写入失败，可能已部分到达磁盘：请重新打开账本后再追加",
                  "an earlier write failed and may or may not have reached the disk: reopen the "
                  "ledger before appending again");
  }
  if (state_broken_) CZ_RETURN_IF_ERROR(LoadState());
  return Status::Ok();
}

void RocksLedger::RestoreState() {
  if (state_.entries == size_) return;
  // Entries of the failed batch were applied to state_: back to size_.
  Status restored = LoadState();
  if (!restored.ok()) state_broken_ = true;
}

}  // namespace store_impl

namespace fs = std::filesystem;
using store_impl::LedgerDb;
using store_impl::LedgerExists;
using store_impl::NotALedger;
using store_impl::OpenDb;
using store_impl::RocksLedger;

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
