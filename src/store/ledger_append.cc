// The ledger on RocksDB (rocks_ledger.h): appending. A batch is checked and
// built in memory on two threads (AppendPipeline: the state-free part shared,
// the hash chain on one, the rules on the other), then written in one atomic,
// synced WriteBatch (or, in AppendBatches, one written at once and synced
// while the next batch is built).
#include <algorithm>
#include <bit>
#include <cassert>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "append_pipeline.h"
#include "cunzhang/limits.h"
#include "keys.h"
#include "request_check.h"
#include "rocks_ledger.h"

namespace cunzhang::store_impl {

using store::EncodeU64;

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
  rocksdb::ColumnFamilyHandle* effects_family = nullptr;
  merkle::CompactRange range;
  Hash256 last_leaf;
  uint64_t size = 0;
  size_t requests_total = 0;
  std::string time;  // the stamp for requests without a time, taken once
  std::vector<AppendOutcome> outcomes;
  uint64_t first_seq = 0;  // of the batch's first new entry (the size before it)
  // Each request's IdHash (FinishBatch); and those of the new entries, in
  // seq order: the batch's 'j' row.
  std::vector<uint64_t> id_hashes;
  std::vector<uint64_t> new_id_hashes;
  std::vector<std::pair<merkle::NodeId, Hash256>> nodes;  // at the stored levels only
  // The effects the rules left (State::effects), each serialized by the
  // rules' thread as it left it: the seq and where its bytes are in
  // effect_bytes. Effects are never changed once made.
  struct EffectRow {
    uint64_t seq;
    size_t begin;
    size_t end;
  };
  std::vector<EffectRow> effect_rows;
  std::string effect_bytes;
  // Each request as an entry (all but seq and prev), and what the rules say
  // of it alone (domain::CheckEntryAlone), prepared on two threads.
  std::vector<Entry> entries;
  std::vector<Status> alone;
  // Each entry's canonical bytes: the head (AppendEntryHead) when prepared,
  // the whole entry once AddNewEntry has added the link and the end, which
  // is prepared too (AppendEntryEnd).
  std::vector<std::string> bytes;
  std::vector<std::string> ends;
  // Each a SHA-256 stream that has taken the 0x00 prefix and the head of
  // bytes[i] (RFC 9162's leaf hash, begun ahead of the chain).
  std::vector<std::unique_ptr<Sha256Stream>> leaf_hashes;
};

// The idempotency ids of a batch's requests, for finding a repeat: open
// addressing over the request indexes (no node per id, as a hash map of
// strings would allocate and free for every request).
class BatchIds {
 public:
  explicit BatchIds(const std::vector<EntryRequest>& requests)
      : requests_(requests), slots_(std::bit_ceil(std::max<size_t>(2 * requests.size(), 16)), 0),
        mask_(slots_.size() - 1) {}

  // The first request before i with request i's id; or nullopt, when i is
  // the first and is recorded as such.
  std::optional<size_t> FirstOrAdd(size_t i) {
    const std::string_view id = requests_[i].idempotency_id;
    for (size_t slot = std::hash<std::string_view>{}(id) & mask_;; slot = (slot + 1) & mask_) {
      if (slots_[slot] == 0) {
        slots_[slot] = i + 1;
        return std::nullopt;
      }
      const size_t first = slots_[slot] - 1;
      if (requests_[first].idempotency_id == id) return first;
    }
  }

 private:
  const std::vector<EntryRequest>& requests_;
  std::vector<size_t> slots_;  // a request's index + 1; 0 for none
  const size_t mask_;
};

namespace {

// Batch buffer reserved per entry beyond its bytes: its key, its id's hash,
// and its share of the Merkle nodes and effects.
constexpr size_t kKeysPerEntryBytes = 160;
constexpr size_t kBatchReserveBytesMax = 64u << 20;
// How many requests ahead of the one being settled its id's slot in the
// index is fetched.
constexpr size_t kIdLookAhead = 8;
// A batch buffer larger than this is freed after its write, not kept.
constexpr size_t kBatchKeptBytesMax = 8u << 20;
// The entries of a batch larger than this are freed after it, not kept.
constexpr size_t kKeptEntriesMax = 4096;
// RFC 9162 §2.1.1: a leaf hash is SHA-256(0x00 || entry).
constexpr std::string_view kLeafHashPrefix("\0", 1);
// The rule state is stored (as a snapshot, with the seq it reached) when the
// writer closes the ledger, and in a batch that takes the ledger at least
// kSnapshotEntriesMin entries past the last snapshot, and at least one entry
// per kSnapshotBytesPerEntry bytes of the last snapshot: storing it costs
// O(state), which this spreads over the entries at a bounded cost each. The
// state grows with the village (members, rules), not with the entries (their
// effects are rows of their own): a snapshot of about a megabyte for 2,000
// households, stored every 65,000 entries or so, adds about 16 bytes to each
// entry's write (3% of an entry; at one per 64 bytes the snapshots were 12%
// of the bytes written), and after a crash opening replays at most that many
// entries (about a quarter of a second).
constexpr uint64_t kSnapshotEntriesMin = 4096;
constexpr uint64_t kSnapshotBytesPerEntry = 16;

bool SnapshotDue(uint64_t snapshot_seq, uint64_t snapshot_bytes, uint64_t size) {
  return size - snapshot_seq >= std::max(kSnapshotEntriesMin, snapshot_bytes / kSnapshotBytesPerEntry);
}

// Adds the keys the appending thread collected beside the entries, in order,
// so that the default column family gets its keys in order: 'j' < 'm' < 'n'
// (the entries, 'e', went in as they were built). Needs nothing from the
// rules: it runs while they finish.
void AddChainKeys(PendingAppend* pending) {
  rocksdb::WriteBatch& batch = *pending->batch;
  std::string key;
  std::string hashes;
  hashes.reserve(pending->new_id_hashes.size() * store::kSeqBytes);
  for (uint64_t hash : pending->new_id_hashes) store::AppendU64(hash, &hashes);
  batch.Put(ToSlice(store::IdHashesKey(pending->first_seq)), hashes);
  batch.Put(ToSlice(store::MetaKey(store::kMetaSize)), EncodeU64(pending->size));
  std::sort(pending->nodes.begin(), pending->nodes.end(), [](const auto& a, const auto& b) {
    return std::pair(a.first.level, a.first.index) < std::pair(b.first.level, b.first.index);
  });
  for (const auto& [id, hash] : pending->nodes) {
    store::SetNodeKey(id.level, id.index, &key);
    batch.Put(ToSlice(key), ToSlice(hash.view()));
  }
}

// Adds what the rules left, once they are done: the batch's effects become
// rows (their own column family) and leave the state, before a snapshot of
// it is taken (StoredEffects finds them once the batch is written; if the
// write fails, Append restores the state from the stored one).
void AddStateKeys(PendingAppend* pending) {
  rocksdb::WriteBatch& batch = *pending->batch;
  // The state holds no effect from before the batch (opening stores or drops
  // those of the replayed entries), so the rows are all of them; were it
  // otherwise, every effect would be serialized here instead.
  assert(pending->effect_rows.size() == pending->state->effects.size());
  if (pending->effect_rows.size() == pending->state->effects.size()) {
    for (const PendingAppend::EffectRow& row : pending->effect_rows) {
      batch.Put(pending->effects_family, ToSlice(store::EffectKey(row.seq)),
                rocksdb::Slice(pending->effect_bytes.data() + row.begin, row.end - row.begin));
    }
  } else {
    PutEffects(pending->state->effects, pending->effects_family, &batch);
  }
  pending->state->effects.clear();
  if (pending->snapshot) {
    std::string snapshot = domain::SerializeState(*pending->state);
    pending->snapshot_bytes = snapshot.size();
    batch.Put(pending->state_family, ToSlice(store::MetaKey(store::kMetaState)), snapshot);
  }
}

}  // namespace

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

// OK when `request` asks for what `recorded` (the entry with its id) holds;
// otherwise the conflict.
Status SameRequest(const Entry& recorded, const EntryRequest& request, size_t index) {
  std::optional<std::string_view> differs = RequestDifference(recorded, request);
  return differs ? ConflictError(recorded, request, *differs, index) : Status::Ok();
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

// Each entry indexed under `hash` is read back: a hash may be shared.
Result<std::optional<Entry>> RocksLedger::RecordedEntry(std::string_view id, uint64_t hash) {
  std::optional<Entry> found;
  Status failed;
  ids_.AnyOf(hash, [&](uint64_t seq) {
    Result<Entry> entry = StoredEntry(seq);
    if (!entry.ok()) {
      failed = entry.status();
      return true;
    }
    if (entry->idempotency_id != id) return false;
    found = std::move(*entry);
    return true;
  });
  CZ_RETURN_IF_ERROR(failed);
  return found;
}

Result<std::vector<AppendOutcome>> RocksLedger::Append(const std::vector<EntryRequest>& requests) {
  CZ_RETURN_IF_ERROR(Writable());
  Result<std::vector<AppendOutcome>> outcomes = AppendOrCheck(requests, true, &state_);
  if (!outcomes.ok()) RestoreState();
  return outcomes;
}

Result<std::vector<AppendOutcome>> RocksLedger::Check(const std::vector<EntryRequest>& requests) {
  if (state_broken_) {
    return Status(Code::kCorruption, "账本的派生状态无法恢复", "the derived state cannot be rebuilt");
  }
  domain::State copy = state_;
  return AppendOrCheck(requests, false, &copy);
}

// A batch between BeginBatch and the end of FinishBatch: its requests, what
// is built from them, and the pipeline building it.
struct BatchWork {
  BatchWork(RocksLedger* l, const std::vector<EntryRequest>& r) : ledger(l), requests(r) {}
  ~BatchWork() {
    pipeline.reset();  // its helper uses `pending`: stopped first
    ledger->KeepBuffers(&pending);
  }
  BatchWork(const BatchWork&) = delete;
  BatchWork& operator=(const BatchWork&) = delete;

  RocksLedger* ledger;
  const std::vector<EntryRequest>& requests;
  PendingAppend pending;
  std::vector<Status> checked;  // each request's envelope, once prepared
  std::unique_ptr<AppendPipeline> pipeline;  // null for a batch over the limit
};

void BatchWorkDeleter::operator()(BatchWork* work) const { delete work; }

// The entries of an earlier batch are reused, buffers and all (their
// destruction was a tenth of the appending thread); a large batch's are
// given back to the allocator. Two sets are kept: AppendBatches has two
// batches in hand at a time.
void RocksLedger::TakeBuffers(PendingAppend* pending) {
  if (kept_.empty()) return;
  EntryBuffers& kept = kept_.back();
  pending->entries.swap(kept.entries);
  pending->bytes.swap(kept.bytes);
  pending->ends.swap(kept.ends);
  pending->leaf_hashes.swap(kept.leaf_hashes);
  kept_.pop_back();
}

void RocksLedger::KeepBuffers(PendingAppend* pending) {
  if (pending->entries.empty() || pending->entries.size() > kKeptEntriesMax || kept_.size() >= 2) {
    return;
  }
  EntryBuffers& kept = kept_.emplace_back();
  kept.entries.swap(pending->entries);
  kept.bytes.swap(pending->bytes);
  kept.ends.swap(pending->ends);
  kept.leaf_hashes.swap(pending->leaf_hashes);
}

Result<std::vector<AppendOutcome>> RocksLedger::AppendOrCheck(
    const std::vector<EntryRequest>& requests, bool commit, domain::State* state,
    const BatchWrite& how) {
  BatchWorkPtr work = BeginBatch(requests, state);
  return FinishBatch(work.get(), commit, how);
}

BatchWorkPtr RocksLedger::BeginBatch(const std::vector<EntryRequest>& requests,
                                     domain::State* state) {
  BatchWorkPtr work(new BatchWork(this, requests));
  if (requests.size() > limits::kBatchEntriesMax) return work;  // FinishBatch says so
  PendingAppend& pending = work->pending;
  for (const EntryRequest& request : requests) {
    if (request.time.empty()) {
      pending.time = NowRfc3339();
      break;
    }
  }
  TakeBuffers(&pending);
  pending.batch = &batch_;
  pending.state = state;
  pending.requests_total = requests.size();
  work->checked.resize(requests.size());
  work->pipeline = StartPipeline(requests, pending.time, &work->checked, &pending);
  return work;
}

Result<std::vector<AppendOutcome>> RocksLedger::FinishBatch(BatchWork* work, bool commit,
                                                            const BatchWrite& how) {
  const std::vector<EntryRequest>& requests = work->requests;
  if (requests.size() > limits::kBatchEntriesMax) {
    return Status(Code::kInvalidInput,
                  "一批最多 " + std::to_string(limits::kBatchEntriesMax) + " 条，这批有 " +
                      std::to_string(requests.size()) + " 条",
                  "a batch holds at most " + std::to_string(limits::kBatchEntriesMax) +
                      " entries; this one has " + std::to_string(requests.size()));
  }
  PendingAppend& pending = work->pending;
  std::vector<Status>& checked = work->checked;
  AppendPipeline& pipeline = *work->pipeline;
  // The chain goes on from the ledger as it is now: a batch begun while the
  // one before it was written is settled after.
  pending.range = range_;
  pending.last_leaf = last_leaf_;
  pending.size = size_;
  // Every request's envelope is judged before anything else about the batch:
  // when a later step fails, an envelope error still takes precedence.
  auto envelope_first = [&](Status later) -> Status {
    pipeline.All();
    for (Status& s : checked) CZ_RETURN_IF_ERROR(std::move(s));
    return later;
  };
  pending.first_seq = size_;
  // Only an append stores rows the ledger lacks (Check writes nothing).
  if (Status loaded = EnsureIds(commit); !loaded.ok()) return envelope_first(std::move(loaded));

  pending.outcomes.reserve(requests.size());
  pending.new_id_hashes.clear();
  pending.new_id_hashes.reserve(requests.size());
  BatchIds ids(requests);
  // Each id's hash is taken kIdLookAhead requests ahead of settling it, and
  // the slot it will be looked up in fetched into the cache meanwhile (the
  // index is larger than the cache: a miss per id otherwise).
  std::vector<uint64_t>& hashes = pending.id_hashes;
  hashes.resize(requests.size());
  auto hash_ahead = [&](size_t i) {
    hashes[i] = IdHash(requests[i].idempotency_id);
    ids_.Prefetch(hashes[i]);
  };
  for (size_t i = 0; i < std::min(kIdLookAhead, requests.size()); ++i) hash_ahead(i);
  Status failed;  // the first request this thread could not settle
  for (size_t i = 0; i < requests.size() && !pipeline.RulesFailed(); ++i) {
    if (i + kIdLookAhead < requests.size()) hash_ahead(i + kIdLookAhead);
    pipeline.Ready(i);
    if (!checked[i].ok()) return envelope_first(Status::Ok());
    const std::optional<size_t> earlier = ids.FirstOrAdd(i);
    failed = earlier ? AddDuplicate(requests, i, *earlier, &pending)
                     : AddRequest(requests[i], i, &pending);
    if (!failed.ok()) break;
    pipeline.Settled(i, !pending.outcomes.back().already_recorded);
  }
  const bool writes = failed.ok() && commit && pending.size != size_;
  if (writes) AddChainKeys(&pending);  // while the rules finish
  // The rules stopped at or before the request this thread stopped at: a
  // violation is of an earlier request, so it comes first.
  Status violation = pipeline.FinishRules();
  if (!violation.ok()) return envelope_first(std::move(violation));
  if (!failed.ok()) return envelope_first(std::move(failed));
  if (!writes) return std::move(pending.outcomes);

  pending.snapshot = SnapshotDue(snapshot_seq_, snapshot_bytes_, pending.size);
  pending.state_family = db_.state.get();
  pending.effects_family = db_.effects.get();
  AddStateKeys(&pending);
  if (how.before_write) CZ_RETURN_IF_ERROR(how.before_write());
  // Room for the new ids before the write: once it is durable, nothing may
  // fail before the ledger in memory catches up with it.
  ids_.Reserve(ids_.size() + pending.new_id_hashes.size());
  rocksdb::WriteOptions write;
  write.sync = how.sync;
  rocksdb::Status s = db_.db->Write(write, &batch_);
  batch_reserved_bytes_ = std::max(batch_reserved_bytes_, batch_.GetDataSize());
  if (batch_reserved_bytes_ > kBatchKeptBytesMax) {
    batch_ = rocksdb::WriteBatch();
    batch_reserved_bytes_ = 0;
  }
  if (!s.ok()) {
    // RocksDB may have put the batch in its log before failing: after a
    // reopen it may be there, whole. Retrying it then is answered, not doubled.
    write_failed_ = true;
    return FromRocks(s, "写入账本失败（本批可能已写入，也可能没有：请重新打开账本后重试，重复提交同一批是安全的）",
                     "cannot write the batch (it may or may not be in the ledger: reopen the "
                     "ledger and retry; the same batch again is answered, not doubled)");
  }

  // The write pushed the slots out of the cache: fetched again, ids ahead.
  const std::vector<uint64_t>& added = pending.new_id_hashes;
  for (size_t k = 0; k < added.size() + kIdLookAhead; ++k) {
    if (k < added.size()) ids_.Prefetch(added[k]);
    if (k >= kIdLookAhead) ids_.Add(added[k - kIdLookAhead], pending.first_seq + k - kIdLookAhead);
  }
  size_ = pending.size;
  if (pending.snapshot) {
    snapshot_seq_ = pending.size;
    snapshot_bytes_ = pending.snapshot_bytes;
  }
  range_ = std::move(pending.range);
  last_leaf_ = pending.last_leaf;
  return std::move(pending.outcomes);
}

Status RocksLedger::AddRequest(const EntryRequest& request, size_t index, PendingAppend* pending) {
  CZ_ASSIGN_OR_RETURN(std::optional<Entry> recorded,
                      RecordedEntry(request.idempotency_id, pending->id_hashes[index]));
  if (!recorded) return AddNewEntry(index, pending);
  CZ_RETURN_IF_ERROR(SameRequest(*recorded, request, index));
  pending->outcomes.push_back(AppendOutcome{.seq = recorded->seq, .already_recorded = true});
  return Status::Ok();
}

// A request whose id is already in the ledger as entry `seq` must ask for
// what is there.
Status RocksLedger::CheckRetry(const EntryRequest& request, size_t index, uint64_t seq) {
  CZ_ASSIGN_OR_RETURN(Entry existing, StoredEntry(seq));
  return SameRequest(existing, request, index);
}

Result<Entry> RocksLedger::StoredEntry(uint64_t seq) {
  CZ_ASSIGN_OR_RETURN(std::string bytes, EntryBytes(seq));
  Result<Entry> entry = DecodeEntry(bytes);
  if (!entry.ok()) {
    return Status(entry.status()).AddContext(Where{.entry = static_cast<int64_t>(seq)});
  }
  return entry;
}

// A request repeating an id used earlier in the same batch.
Status RocksLedger::AddDuplicate(const std::vector<EntryRequest>& requests, size_t index,
                                 size_t first, PendingAppend* pending) {
  const AppendOutcome& original = pending->outcomes[first];
  if (original.already_recorded) {
    CZ_RETURN_IF_ERROR(CheckRetry(requests[index], index, original.seq));
  } else {
    // The first request's entry, built and numbered by AddNewEntry.
    CZ_RETURN_IF_ERROR(SameRequest(pending->entries[first], requests[index], index));
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

// Starts the pipeline of an append (AppendPipeline): checking every
// request's envelope (into `checked`) and building its entry, with the rules
// that need no state run on it and its body put in canonical form; and the
// rules that need the state, on each new entry once it is settled.
std::unique_ptr<AppendPipeline> RocksLedger::StartPipeline(
    const std::vector<EntryRequest>& requests, const std::string& stamp,
    std::vector<Status>* checked, PendingAppend* pending) const {
  const size_t n = requests.size();
  pending->entries.resize(n);
  pending->alone.resize(n);
  pending->bytes.resize(n);
  pending->ends.resize(n);
  pending->leaf_hashes.reserve(n);
  while (pending->leaf_hashes.size() < n) pending->leaf_hashes.push_back(std::make_unique<Sha256Stream>());
  pending->effect_rows.clear();
  pending->effect_bytes.clear();
  auto rules = [pending](size_t i) -> Status {
    const Entry& entry = pending->entries[i];
    // A refusal found before the seq was known is found again with it, so
    // that the error names the entry.
    const Status& alone = pending->alone[i];
    CZ_RETURN_IF_ERROR(domain::ApplyChecked(pending->state, entry,
                                            alone.ok() ? alone : domain::CheckEntryAlone(entry))
                           .AddContext(RequestWhere(i, entry.seq)));
    // The entries come in seq order, so an effect of this one is the last.
    const auto& effects = pending->state->effects;
    if (!effects.empty() && effects.rbegin()->first == entry.seq) {
      const size_t begin = pending->effect_bytes.size();
      domain::AppendSerializedEffect(effects.rbegin()->second, &pending->effect_bytes);
      pending->effect_rows.push_back({entry.seq, begin, pending->effect_bytes.size()});
    }
    return Status::Ok();
  };
  auto prepare = [this, &requests, &stamp, checked, pending](size_t first, size_t last) {
    for (size_t i = first; i < last; ++i) {
      (*checked)[i] = store::CheckRequest(requests[i]).AddContext(RequestWhere(i));
      if (!(*checked)[i].ok()) continue;
      Entry& entry = pending->entries[i];
      FillEntry(requests[i], 0, Hash256(), stamp, &entry);
      pending->alone[i] = domain::CheckEntryAlone(entry);
      std::string& bytes = pending->bytes[i];
      bytes.clear();
      AppendEntryHead(entry, &bytes);
      pending->ends[i].clear();
      AppendEntryEnd(entry, &pending->ends[i]);
      Sha256Stream& leaf = *pending->leaf_hashes[i];
      leaf.Reset();  // a failed batch may have left it part-way
      leaf.Update(kLeafHashPrefix);
      leaf.Update(bytes);
    }
  };
  return std::make_unique<AppendPipeline>(n, std::move(prepare), std::move(rules));
}

Status RocksLedger::AddNewEntry(size_t index, PendingAppend* pending) {
  const uint64_t seq = pending->size;
  Entry& entry = pending->entries[index];
  entry.seq = seq;
  entry.prev = pending->last_leaf;
  std::string& bytes = pending->bytes[index];
  const size_t head = bytes.size();
  AppendEntryLink(entry, &bytes);
  bytes.append(pending->ends[index]);
  if (bytes.size() > limits::kEntryBytesMax) {
    return Status(Code::kInvalidInput,
                  "条目编码后有 " + std::to_string(bytes.size()) + " 字节，超过上限 " +
                      std::to_string(limits::kEntryBytesMax) + " 字节",
                  "the entry is " + std::to_string(bytes.size()) +
                      " bytes when encoded; the limit is " + std::to_string(limits::kEntryBytesMax),
                  RequestWhere(index, seq));
  }
  assert(DecodeEntry(bytes).ok());
  Sha256Stream& leaf_hash = *pending->leaf_hashes[index];
  leaf_hash.Update(std::string_view(bytes).substr(head));
  const Hash256 leaf = leaf_hash.Finish();
  assert(leaf == LeafHash(bytes));
  auto& nodes = pending->nodes;
  pending->range.Append(leaf, [&nodes](merkle::NodeId id, const Hash256& hash) {
    if (store::IsStoredNodeLevel(id.level)) nodes.emplace_back(id, hash);
  });
  if (seq == size_) ResetBatch(bytes.size(), pending->requests_total - index);
  pending->batch->Put(db_.entries.get(), ToSlice(store::EntryKey(seq)), ToSlice(bytes));
  pending->new_id_hashes.push_back(pending->id_hashes[index]);
  pending->last_leaf = leaf;
  pending->size = seq + 1;
  pending->outcomes.push_back(AppendOutcome{.seq = seq, .already_recorded = false});
  return Status::Ok();
}

}  // namespace cunzhang::store_impl
