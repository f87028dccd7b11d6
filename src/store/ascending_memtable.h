// A RocksDB memtable for column families whose keys arrive in ascending
// order: the entries ('e' seq) and the effects ('x' seq), each written once,
// in seq order (keys.h).
//
// Why: Debian's RocksDB is built with assertions on, and its skip list checks
// every insert against the node before it at each of its levels (about
// fifteen key comparisons per insert, where an insert at the end of the list
// needs one). That was about 3% of an append's CPU, all of it on the
// appending thread. Here an insert is one comparison (with the key before it)
// and a store at the end of an array: the keys are already in order, and a
// look-up is a binary search.
//
// Any key order stays correct: the first key that is not greater than the one
// before it (which the ledger never writes, but RocksDB allows) moves every
// key into a skip list, which takes that key and all later ones; from then on
// the memtable is the skip list. Every key is allocated by that skip list
// from the start (RocksDB's own allocation, in the memtable's arena), so
// moving a key into it copies nothing.
//
// Readers run beside the one writer without a lock, as with the skip list:
// the array only grows, a slot is written before the count that covers it is
// published (release), and readers read only below a count they loaded
// (acquire). An iterator reads the count again whenever it is positioned and
// when it reaches the last key it knew of, so a refreshed or tailing
// iterator finds keys added since; once the memtable is a skip list, an
// iterator goes on over that. The first key out of order pays for linking
// every key so far into the skip list, once, on the writing thread.
//
// RocksDB's look-up key (LookupKey) is not in its public headers and is read
// by its RocksDB 7 layout, checked (ascending_memtable.cc); another major
// version does not build until that is looked at again.
//
// Requires DBOptions::allow_concurrent_memtable_write = false (one writer at
// a time, which the ledger is).
#ifndef CUNZHANG_STORE_ASCENDING_MEMTABLE_H_
#define CUNZHANG_STORE_ASCENDING_MEMTABLE_H_

#include <rocksdb/memtablerep.h>

#include <memory>

namespace cunzhang::store_impl {

// One factory for every column family that uses it.
std::shared_ptr<rocksdb::MemTableRepFactory> AscendingMemTableFactory();

// For tests: how many times a look-up could not read RocksDB's LookupKey
// (ascending_memtable.cc) and used RocksDB's own Get instead; 0 with the
// RocksDB this was built for.
uint64_t LookupKeyMisreadsForTesting();
// For tests: how many memtables of this kind have become skip lists, in this
// process.
uint64_t FallBacksForTesting();

}  // namespace cunzhang::store_impl

#endif  // CUNZHANG_STORE_ASCENDING_MEMTABLE_H_
