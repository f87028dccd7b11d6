// The ledger's key layout in RocksDB.
//
// Every key starts with a one-byte prefix naming what it holds. Numbers in
// keys are 8-byte big-endian, so byte order is numeric order and a range of
// sequence numbers is a range of keys.
//
// The 'e' keys live in their own column family, kEntriesColumnFamily, the
// state snapshot in kStateColumnFamily, the effects in kEffectsColumnFamily;
// all the others in the default one. Appends add entries in ascending key order,
// so the entries' table files never overlap and RocksDB moves them down the
// levels without rewriting them, as it would a plain log; the rewritten
// metadata, which does need compaction, is kept apart from them. One write batch spans both column
// families and is atomic like any other (one write-ahead log).
//
//   key                                        value
//   'e' seq(8)                                 the entry's canonical bytes, exactly as hashed
//                                              (column family "entries")
//   'j' seq(8)                                 the idempotency ids of entries seq, seq+1, ...,
//                                              seq+k-1 (one row per append: its new
//                                              entries), as k 8-byte big-endian
//                                              hashes (store_impl::IdHash, XXH3-64)
//   'm' "origin"                               the ledger's origin
//   'm' "format"                               limits::kFormatVersion as decimal text
//   'm' "size"                                 number of entries, 8 bytes big-endian
//   'm' "state"                                domain::SerializeState of the state after
//                                              the entries it counts (a snapshot; column
//                                              family "state")
//   'x' seq(8)                                 domain::SerializeEffect of the Effect entry
//                                              seq left (contributions, share transfers,
//                                              inheritances, exits); written with the
//                                              entry, never changed (column family
//                                              "effects")
//   'n' level(1) index(8)                      32-byte hash of the perfect Merkle subtree at
//                                              `level` covering leaves
//                                              [index << level, (index + 1) << level);
//                                              only levels 4, 8, 12, ... (kNodeLevelStep)
//
// Only every fourth level of the Merkle tree is stored, so an append writes
// one node per 16 entries instead of about one per entry. A perfect subtree
// at any other level L is recomputed from at most 8 hashes: the stored nodes
// at level 4 * floor(L / 4) below it, or for L < 4 the leaf hashes of its
// entries (LeafHash of the entry bytes; leaves are never stored). Roots and
// proofs stay O(log n) reads, with a constant factor of at most 8; the writer
// keeps its peaks in memory and never reads nodes back while appending.
//
// The idempotency ids are kept as one 'j' row per append, not one key per
// id: the ledger reads the rows into memory (store_impl::IdIndex) at its
// first append, check or look-up of an id, and looks ids up there, reading a candidate entry back to
// compare ids, as a hash may be shared. One key per id ('i' id -> seq, as
// earlier releases kept them, kLegacyIdempotencyPrefix) cost a sixth of an
// append's CPU: a random key in the memtable, its compaction, a look-up. A
// row holds the ids of entries [seq, seq + k) for the k its value's length
// gives; the rows tile [0, size) with no gap or overlap, as each append
// writes the row of exactly the entries it adds. Entries past the last row
// (a ledger made by an earlier release, or lost rows) have their ids read
// from the entries, and a writer's next append stores those as rows (of at
// most limits::kBatchEntriesMax entries) and deletes the 'i' keys. Releases
// from before the rows must not open a migrated ledger: they would find no
// 'i' keys and record retries again.
//
// There is deliberately no index by entry type: it cost one more key per
// append, and a village ledger is small enough that SeqsOfType scans the
// entries instead.
//
// One append writes its entries, the nodes they complete, the row of their
// idempotency ids, their effects, the new size and, now and then, a state snapshot in a
// single atomic, synced write, so the keys always describe exactly `size`
// entries. The effects are kept out of the snapshot so that it is as large
// as the village (members, rules, balances), not as the ledger.
#ifndef CUNZHANG_STORE_KEYS_H_
#define CUNZHANG_STORE_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cunzhang::store {

inline constexpr char kEntryPrefix = 'e';
inline constexpr char kNodePrefix = 'n';
inline constexpr char kIdHashesPrefix = 'j';
// Earlier releases' index: 'i' id -> seq(8), one key per id. Deleted by a
// writer that finds it (keys.h above).
inline constexpr char kLegacyIdempotencyPrefix = 'i';
inline constexpr char kMetaPrefix = 'm';
inline constexpr char kEffectPrefix = 'x';

inline constexpr std::string_view kMetaOrigin = "origin";
inline constexpr std::string_view kMetaFormat = "format";
inline constexpr std::string_view kMetaSize = "size";
inline constexpr std::string_view kMetaState = "state";

// The column family of the 'e' keys.
inline constexpr std::string_view kEntriesColumnFamily = "entries";
// The column family of the 'm' "state" key, the rule-state snapshot: derived
// data, rewritten whole now and then, kept apart from the keys that grow.
inline constexpr std::string_view kStateColumnFamily = "state";
// The column family of the 'x' effect keys: added in ascending order like the
// entries, so their table files never overlap and are never compacted; read
// only by a reversal. Ledgers made before it existed gain it when a writer
// opens them. Every key not named here is in the default column family.
inline constexpr std::string_view kEffectsColumnFamily = "effects";

inline constexpr size_t kSeqBytes = 8;
// Merkle nodes are stored at the levels that are positive multiples of this.
inline constexpr unsigned kNodeLevelStep = 4;
static_assert(kNodeLevelStep >= 1 && kNodeLevelStep <= 4,
              "a node is recomputed from at most 2^(kNodeLevelStep - 1) hashes");

// True for the levels whose perfect subtrees have 'n' keys.
constexpr bool IsStoredNodeLevel(unsigned level) {
  return level > 0 && level % kNodeLevelStep == 0;
}

// 8-byte big-endian encoding of a number; nullopt unless exactly 8 bytes.
std::string EncodeU64(uint64_t value);
std::optional<uint64_t> DecodeU64(std::string_view bytes);

std::string EntryKey(uint64_t seq);
// The sequence number of an entry key; nullopt for any other key.
std::optional<uint64_t> SeqOfEntryKey(std::string_view key);

// REQUIRES: IsStoredNodeLevel(level).
std::string NodeKey(unsigned level, uint64_t index);

// Appends the 8-byte big-endian encoding of `value` to `out`.
void AppendU64(uint64_t value, std::string* out);

std::string IdHashesKey(uint64_t first_seq);
// The first seq of an id-hashes key; nullopt for any other key.
std::optional<uint64_t> SeqOfIdHashesKey(std::string_view key);

std::string MetaKey(std::string_view name);

std::string EffectKey(uint64_t seq);

// The same keys written over `*key`, reusing its buffer, for loops over a batch.
void SetNodeKey(unsigned level, uint64_t index, std::string* key);

}  // namespace cunzhang::store

#endif  // CUNZHANG_STORE_KEYS_H_
