// The ascending memtable (ascending_memtable.h) against RocksDB's own: the
// same writes to two column families of one database, one with each, and
// every read compared, before and after a flush, with keys in order and out
// of it (the fall-back to the skip list), overwrites, deletes and snapshots;
// readers beside a writer; and the ledger's own column families never
// falling back.
#include "store/ascending_memtable.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ledger_test_util.h"
#include "test_util.h"

namespace cunzhang {
namespace {

using testing::TempDir;

std::string Key(uint64_t n) { return store::EncodeU64(n); }

// A database with the column family "asc" on the ascending memtable and
// "ref" on RocksDB's skip list; writes go to both alike.
class Twin {
 public:
  explicit Twin(const std::string& path) {
    rocksdb::DBOptions db_options;
    db_options.create_if_missing = true;
    db_options.create_missing_column_families = true;
    db_options.allow_concurrent_memtable_write = false;
    rocksdb::ColumnFamilyOptions asc;
    asc.memtable_factory = store_impl::AscendingMemTableFactory();
    const std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
        {"asc", asc},
        {"ref", rocksdb::ColumnFamilyOptions()}};
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    const rocksdb::Status s = rocksdb::DB::Open(db_options, path, families, &handles, &raw);
    REQUIRE(s.ok());
    db_.reset(raw);
    for (rocksdb::ColumnFamilyHandle* h : handles) handles_.emplace_back(h);
  }
  ~Twin() {
    for (auto& h : handles_) db_->DestroyColumnFamilyHandle(h.release());
  }
  Twin(const Twin&) = delete;
  Twin& operator=(const Twin&) = delete;

  rocksdb::DB& db() { return *db_; }
  rocksdb::ColumnFamilyHandle* asc() { return handles_[1].get(); }
  rocksdb::ColumnFamilyHandle* ref() { return handles_[2].get(); }

  void Put(const std::string& key, const std::string& value) {
    rocksdb::WriteBatch batch;
    REQUIRE(batch.Put(asc(), key, value).ok());
    REQUIRE(batch.Put(ref(), key, value).ok());
    REQUIRE(db_->Write(rocksdb::WriteOptions(), &batch).ok());
  }
  void Delete(const std::string& key) {
    rocksdb::WriteBatch batch;
    REQUIRE(batch.Delete(asc(), key).ok());
    REQUIRE(batch.Delete(ref(), key).ok());
    REQUIRE(db_->Write(rocksdb::WriteOptions(), &batch).ok());
  }
  void Flush() {
    REQUIRE(db_->Flush(rocksdb::FlushOptions(), asc()).ok());
    REQUIRE(db_->Flush(rocksdb::FlushOptions(), ref()).ok());
  }

  // What a family holds, read every way, as one text to compare.
  std::string Reads(rocksdb::ColumnFamilyHandle* family, uint64_t key_max,
                    const rocksdb::Snapshot* snapshot = nullptr) {
    rocksdb::ReadOptions read;
    read.snapshot = snapshot;
    std::string out;
    for (uint64_t n = 0; n <= key_max + 1; ++n) {  // every key and one past the last
      std::string value;
      const rocksdb::Status s = db_->Get(read, family, Key(n), &value);
      out += s.ok() ? "get " + std::to_string(n) + "=" + value + "\n"
                    : (s.IsNotFound() ? "" : "error " + s.ToString() + "\n");
    }
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, family));
    for (it->SeekToFirst(); it->Valid(); it->Next()) out += "fwd " + it->value().ToString() + "\n";
    for (it->SeekToLast(); it->Valid(); it->Prev()) out += "back " + it->value().ToString() + "\n";
    std::mt19937_64 random(key_max);
    for (int i = 0; i < 40; ++i) {
      const uint64_t target = random() % (key_max + 2);
      it->Seek(Key(target));
      out += "seek " + std::to_string(target) + (it->Valid() ? ":" + it->value().ToString() : ":-");
      if (it->Valid()) it->Prev();
      out += it->Valid() ? " prev " + it->value().ToString() : " prev -";
      it->SeekForPrev(Key(target));
      out += it->Valid() ? " floor " + it->value().ToString() + "\n" : " floor -\n";
    }
    REQUIRE(it->status().ok());
    return out;
  }

  void CheckSame(uint64_t key_max, const rocksdb::Snapshot* snapshot = nullptr) {
    const std::string ours = Reads(asc(), key_max, snapshot);
    const std::string theirs = Reads(ref(), key_max, snapshot);
    CHECK(ours == theirs);
    CHECK_FALSE(ours.empty());
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<std::unique_ptr<rocksdb::ColumnFamilyHandle>> handles_;
};

TEST_CASE("The ascending memtable reads like RocksDB's own, keys in order", "[store][memtable]") {
  TempDir dir;
  Twin twin(dir / "db");
  const uint64_t fallbacks = store_impl::FallBacksForTesting();
  const uint64_t misreads = store_impl::LookupKeyMisreadsForTesting();
  twin.CheckSame(0);  // empty
  for (uint64_t n = 0; n < 300; ++n) twin.Put(Key(2 * n), "v" + std::to_string(2 * n));
  twin.CheckSame(600);  // gaps between the keys: every look-up between two
  const rocksdb::Snapshot* snapshot = twin.db().GetSnapshot();
  for (uint64_t n = 300; n < 9000; ++n)
    twin.Put(Key(2 * n), "v" + std::to_string(2 * n));  // three chunks
  twin.CheckSame(18000);
  twin.CheckSame(18000, snapshot);  // the first 300 only
  // The memtable counts the entries of a range exactly (keys 2n: 50 in [1000, 1100)).
  uint64_t count = 0;
  uint64_t bytes = 0;
  const std::string from = Key(1000);
  const std::string to = Key(1100);
  twin.db().GetApproximateMemTableStats(twin.asc(), rocksdb::Range(from, to), &count, &bytes);
  CHECK(count == 50);
  twin.Flush();
  for (uint64_t n = 9000; n < 9100; ++n) twin.Put(Key(2 * n), "w" + std::to_string(2 * n));
  twin.CheckSame(18200);  // a table file and a new memtable
  twin.CheckSame(18200, snapshot);
  twin.db().ReleaseSnapshot(snapshot);
  CHECK(store_impl::FallBacksForTesting() == fallbacks);
  // Every Get read RocksDB's look-up key itself (RocksDB's own Get would
  // have leaked an iterator each time).
  CHECK(store_impl::LookupKeyMisreadsForTesting() == misreads);
}

TEST_CASE(
    "The ascending memtable reads like RocksDB's own when keys come out of order, are "
    "written again or deleted",
    "[store][memtable]") {
  TempDir dir;
  Twin twin(dir / "db");
  for (uint64_t n = 100; n < 400; ++n) twin.Put(Key(n), "a" + std::to_string(n));
  const rocksdb::Snapshot* snapshot = twin.db().GetSnapshot();
  const uint64_t fallbacks = store_impl::FallBacksForTesting();
  SECTION("a key before the last") { twin.Put(Key(50), "early"); }
  SECTION("the last key again") { twin.Put(Key(399), "again"); }
  SECTION("a key deleted") { twin.Delete(Key(200)); }
  // Either way the memtable is a skip list now, holding every key.
  CHECK(store_impl::FallBacksForTesting() == fallbacks + 1);
  for (uint64_t n = 400; n < 500; ++n) twin.Put(Key(n), "b" + std::to_string(n));
  twin.Put(Key(10), "earliest");
  twin.CheckSame(500);
  twin.CheckSame(500, snapshot);
  twin.Flush();
  twin.CheckSame(500);
  twin.CheckSame(500, snapshot);
  twin.db().ReleaseSnapshot(snapshot);
}

// The keys a family's iterator sees from its first, as text.
std::string Scan(rocksdb::Iterator* it) {
  std::string out;
  for (it->SeekToFirst(); it->Valid(); it->Next()) out += it->value().ToString() + " ";
  return out;
}

TEST_CASE("Refreshed and tailing iterators over the ascending memtable see later keys",
          "[store][memtable]") {
  TempDir dir;
  Twin twin(dir / "db");
  for (uint64_t n = 10; n < 20; ++n) twin.Put(Key(n), "a" + std::to_string(n));
  rocksdb::ReadOptions tailing;
  tailing.tailing = true;
  std::unique_ptr<rocksdb::Iterator> ours(
      twin.db().NewIterator(rocksdb::ReadOptions(), twin.asc()));
  std::unique_ptr<rocksdb::Iterator> theirs(
      twin.db().NewIterator(rocksdb::ReadOptions(), twin.ref()));
  std::unique_ptr<rocksdb::Iterator> ours_tail(twin.db().NewIterator(tailing, twin.asc()));
  std::unique_ptr<rocksdb::Iterator> theirs_tail(twin.db().NewIterator(tailing, twin.ref()));
  CHECK(Scan(ours.get()) == Scan(theirs.get()));
  CHECK(Scan(ours_tail.get()) == Scan(theirs_tail.get()));
  auto check_all = [&](const std::string& when) {
    INFO(when);
    REQUIRE(ours->Refresh().ok());
    REQUIRE(theirs->Refresh().ok());
    CHECK(Scan(ours.get()) == Scan(theirs.get()));
    CHECK(Scan(ours_tail.get()) == Scan(theirs_tail.get()));
    ours_tail->Seek(Key(25));
    theirs_tail->Seek(Key(25));
    CHECK(ours_tail->Valid() == theirs_tail->Valid());
    if (ours_tail->Valid() && theirs_tail->Valid())
      CHECK(ours_tail->value() == theirs_tail->value());
  };
  for (uint64_t n = 20; n < 30; ++n) twin.Put(Key(n), "b" + std::to_string(n));
  check_all("keys added in order");
  CHECK(Scan(ours.get()).find("b29") != std::string::npos);
  twin.Put(Key(5), "early");  // the memtable becomes a skip list
  for (uint64_t n = 30; n < 40; ++n) twin.Put(Key(n), "c" + std::to_string(n));
  check_all("after the fall-back");
  CHECK(Scan(ours_tail.get()).find("early") != std::string::npos);
  CHECK(Scan(ours_tail.get()).find("c39") != std::string::npos);
}

TEST_CASE("The ascending memtable reads long keys like RocksDB's own", "[store][memtable]") {
  // 150-byte keys: a two-byte length before the look-up key, still in the
  // look-up key's own buffer; 300-byte keys: in a buffer of their own.
  for (const size_t prefix : {142u, 292u}) {
    INFO("key bytes " << prefix + 8);
    TempDir dir;
    Twin twin(dir / "db");
    const uint64_t misreads = store_impl::LookupKeyMisreadsForTesting();
    const std::string head(prefix, 'k');
    for (uint64_t n = 0; n < 500; n += 2) twin.Put(head + Key(n), "v" + std::to_string(n));
    for (uint64_t n = 0; n <= 500; ++n) {
      std::string ours;
      std::string theirs;
      const rocksdb::Status a =
          twin.db().Get(rocksdb::ReadOptions(), twin.asc(), head + Key(n), &ours);
      const rocksdb::Status b =
          twin.db().Get(rocksdb::ReadOptions(), twin.ref(), head + Key(n), &theirs);
      CHECK(a.code() == b.code());
      CHECK(ours == theirs);
    }
    CHECK(store_impl::LookupKeyMisreadsForTesting() == misreads);
  }
}

TEST_CASE("Readers beside the writer see every key written before they looked",
          "[store][memtable]") {
  TempDir dir;
  Twin twin(dir / "db");
  constexpr uint64_t kKeys = 20000;
  std::atomic<uint64_t> written{0};  // keys [0, written) are in
  std::atomic<bool> done{false};
  std::vector<std::string> failures;
  std::thread reader([&] {
    std::mt19937_64 random(7);
    while (!done.load()) {
      const uint64_t known = written.load();
      if (known == 0) continue;
      std::string value;
      const uint64_t n = random() % known;
      if (!twin.db().Get(rocksdb::ReadOptions(), twin.asc(), Key(n), &value).ok() ||
          value != "v" + std::to_string(n)) {
        failures.push_back("get " + std::to_string(n));
      }
      std::unique_ptr<rocksdb::Iterator> it(
          twin.db().NewIterator(rocksdb::ReadOptions(), twin.asc()));
      uint64_t expected = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next(), ++expected) {
        if (it->key() != Key(expected)) {
          failures.push_back("scan at " + std::to_string(expected));
          break;
        }
      }
      if (expected < known) failures.push_back("scan ended at " + std::to_string(expected));
    }
  });
  for (uint64_t n = 0; n < kKeys; ++n) {
    rocksdb::WriteBatch batch;
    REQUIRE(batch.Put(twin.asc(), Key(n), "v" + std::to_string(n)).ok());
    REQUIRE(twin.db().Write(rocksdb::WriteOptions(), &batch).ok());
    written.store(n + 1);
  }
  done = true;
  reader.join();
  std::string failed;
  for (const std::string& f : failures) failed += f + "\n";
  CHECK(failed == "");
}

TEST_CASE("A ledger's entries and effects never leave the ascending memtable",
          "[store][memtable]") {
  TempDir dir;
  const std::string path = dir / "village";
  const uint64_t fallbacks = store_impl::FallBacksForTesting();
  {
    auto ledger = store_testing::MustCreate(path);
    std::vector<EntryRequest> batch;
    for (uint64_t seq = 0; seq < 600; ++seq) {  // contributions, and so effects, among them
      batch.push_back(store_testing::Typed(seq));
      if (batch.size() == 100) {
        REQUIRE(ledger->Append(batch).ok());
        batch.clear();
      }
    }
  }
  auto reopened = store_testing::MustOpen(path, Ledger::Mode::kWrite);  // the log replayed
  CHECK(reopened->size() == 600);
  REQUIRE(reopened->Append({store_testing::Typed(600)}).ok());
  CHECK(store_impl::FallBacksForTesting() == fallbacks);
}

}  // namespace
}  // namespace cunzhang
