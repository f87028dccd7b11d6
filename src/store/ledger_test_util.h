// Helpers for the store's tests (ledger_test.cc, ledger_layout_test.cc):
// requests, ledgers created and opened or the test fails, and raw access to
// the RocksDB underneath.
#ifndef CUNZHANG_STORE_LEDGER_TEST_UTIL_H_
#define CUNZHANG_STORE_LEDGER_TEST_UTIL_H_

#include <rocksdb/db.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "cunzhang/store.h"
#include "store/keys.h"
#include "test_util.h"
#include "typed_history.h"

namespace cunzhang::store_testing {

using testing::TempDir;

// Sets one of the store's test hooks (store_impl::Set...ForTesting) for the
// scope and puts it back to 0, the store's own value, when the scope ends,
// a failed REQUIRE included.
template <class T>
class ScopedTestHook {
 public:
  ScopedTestHook(void (*set)(T), T value) : set_(set) { set_(value); }
  ~ScopedTestHook() { set_(T{0}); }
  ScopedTestHook(const ScopedTestHook&) = delete;
  ScopedTestHook& operator=(const ScopedTestHook&) = delete;

 private:
  void (*set_)(T);
};

inline constexpr const char* kOrigin = "cunzhang.example/daxinjing";

// A note: the one entry type without business rules, allowed anywhere, so
// these tests pin the store alone. Its text varies with `amount_fen` so that
// two requests can differ in content.
inline EntryRequest Request(const std::string& id, int64_t amount_fen = 1200) {
  EntryRequest r;
  r.type = "note";
  r.op = Operator{.name = "王会计", .role = "accountant"};
  r.idempotency_id = id;
  r.body = json::Value::Object(
      {{"text", json::Value::String("买化肥 " + std::to_string(amount_fen) + " 分")}});
  return r;
}

// Entry `seq` of the typed history (tests/typed_history.h), so that the
// ledger's rule state has members, holdings and balances to keep.
inline EntryRequest Typed(uint64_t seq) {
  testing::TypedBody typed = testing::HistoryEntry(seq);
  return EntryRequest{.type = typed.type,
                      .op = Operator{.name = "王会计", .role = "accountant"},
                      .idempotency_id = "id-" + std::to_string(seq),
                      .body = std::move(typed.body)};
}

// Entries [first, last) of the typed history in batches of `size` (the last
// may be shorter), with `time` when given, so that two ledgers built from
// them at different seconds are equal.
inline std::vector<std::vector<EntryRequest>> TypedBatches(uint64_t first, uint64_t last,
                                                           uint64_t size,
                                                           const std::string& time = "") {
  std::vector<std::vector<EntryRequest>> batches;
  for (uint64_t seq = first; seq < last; ++seq) {
    if ((seq - first) % size == 0) batches.emplace_back();
    batches.back().push_back(Typed(seq));
    batches.back().back().time = time;
  }
  return batches;
}

inline std::unique_ptr<Ledger> MustCreate(const std::string& path) {
  auto ledger = Ledger::Create(path, kOrigin);
  REQUIRE(ledger.status().ToString() == "OK");
  return std::move(ledger).value();
}

inline std::unique_ptr<Ledger> MustOpen(const std::string& path, Ledger::Mode mode) {
  auto ledger = Ledger::Open(path, mode);
  REQUIRE(ledger.status().ToString() == "OK");
  return std::move(ledger).value();
}

inline std::vector<AppendOutcome> MustAppend(Ledger& ledger, const std::vector<EntryRequest>& requests) {
  auto outcomes = ledger.Append(requests);
  REQUIRE(outcomes.status().ToString() == "OK");
  return std::move(outcomes).value();
}

// Appends the next `count` entries of the typed history, one batch each of
// `batch` (the last may be shorter).
inline void AppendFresh(Ledger& ledger, uint64_t count, uint64_t batch = 1) {
  while (count > 0) {
    std::vector<EntryRequest> requests;
    for (uint64_t i = 0; i < batch && i < count; ++i) requests.push_back(Typed(ledger.size() + i));
    MustAppend(ledger, requests);
    count -= requests.size();
  }
}

inline std::vector<std::string> AllEntries(Ledger& ledger) {
  std::vector<std::string> all;
  Status s = ledger.Scan(0, ledger.size(), [&](uint64_t, std::string_view bytes) {
    all.emplace_back(bytes);
    return true;
  });
  REQUIRE(s.ok());
  return all;
}

// A closed ledger opened with raw RocksDB, both column families.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
        {std::string(store::kEntriesColumnFamily), rocksdb::ColumnFamilyOptions()},
        {std::string(store::kStateColumnFamily), rocksdb::ColumnFamilyOptions()},
        {std::string(store::kEffectsColumnFamily), rocksdb::ColumnFamilyOptions()}};
    std::vector<std::string> names;
    REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
    if (std::find(names.begin(), names.end(), store::kEffectsColumnFamily) == names.end()) {
      families.pop_back();  // a ledger made before the effects' column family
    }
    rocksdb::DB* db = nullptr;
    REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), path, families, &handles_, &db).ok());
    db_.reset(db);
  }
  ~RawDb() {
    for (rocksdb::ColumnFamilyHandle* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
  }
  // The column family of `key`: entries for 'e' keys, state for the state,
  // effects for 'x' keys, default for the rest.
  rocksdb::ColumnFamilyHandle* FamilyOf(const std::string& key) const {
    if (key == store::MetaKey(store::kMetaState)) return handles_[2];
    if (key[0] == store::kEffectPrefix) return handles_.at(3);
    return handles_[key[0] == store::kEntryPrefix ? 1 : 0];
  }
  // Drops the effects' column family, as in a ledger made before it existed.
  void DropEffects() {
    REQUIRE(handles_.size() == 4);
    REQUIRE(db_->DropColumnFamily(handles_[3]).ok());
    REQUIRE(db_->DestroyColumnFamilyHandle(handles_[3]).ok());
    handles_.pop_back();
  }
  void Put(const std::string& key, const std::string& value) {
    REQUIRE(db_->Put(rocksdb::WriteOptions(), FamilyOf(key), key, value).ok());
  }
  void Delete(const std::string& key) {
    REQUIRE(db_->Delete(rocksdb::WriteOptions(), FamilyOf(key), key).ok());
  }
  // Every key and value of one column family (0 default, 1 entries, 2 state,
  // 3 effects).
  std::vector<std::pair<std::string, std::string>> All(size_t family) {
    std::vector<std::pair<std::string, std::string>> all;
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), handles_[family]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      all.emplace_back(it->key().ToString(), it->value().ToString());
    }
    REQUIRE(it->status().ok());
    return all;
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

// Overwrites one key of a closed ledger with raw RocksDB.
inline void PutRaw(const std::string& path, const std::string& key, const std::string& value) {
  RawDb(path).Put(key, value);
}

inline EntryRequest Reversal(uint64_t seq, const std::string& id) {
  return EntryRequest{
      .type = "entry.reverse",
      .op = Operator{.name = "王会计", .role = "accountant"},
      .idempotency_id = id,
      .body = json::Value::Object({{"date", json::Value::String("2026-04-01")},
                                   {"reason", json::Value::String("录入错误，冲销")},
                                   {"seq", json::Value::Int(static_cast<int64_t>(seq))}})};
}

}  // namespace cunzhang::store_testing

#endif  // CUNZHANG_STORE_LEDGER_TEST_UTIL_H_
