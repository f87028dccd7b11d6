// The ledger on RocksDB (rocks_ledger.h): reading entries, perfect subtrees,
// roots and proofs.
#include <cassert>
#include <string_view>
#include <vector>

#include "keys.h"
#include "rocks_ledger.h"

namespace cunzhang::store_impl {
namespace {

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

}  // namespace

Result<Hash256> StoredNodes::PerfectNode(merkle::NodeId id) { return ledger_->PerfectNode(id); }

Result<std::optional<domain::Effect>> StoredEffects::Find(uint64_t seq) const {
  return ledger_->StoredEffect(seq);
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
  if (db_.effects == nullptr) return std::optional<domain::Effect>();  // an older ledger, read-only
  CZ_ASSIGN_OR_RETURN(std::optional<std::string> bytes, Get(db_.effects.get(), store::EffectKey(seq)));
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
  CZ_RETURN_IF_ERROR(EnsureIds(false));
  CZ_ASSIGN_OR_RETURN(std::optional<Entry> entry, RecordedEntry(id, IdHash(id)));
  if (!entry) return std::optional<uint64_t>();
  return std::optional<uint64_t>(entry->seq);
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

}  // namespace cunzhang::store_impl
