// The ledger's key layout in RocksDB (one column family, the default).
//
// Every key starts with a one-byte prefix naming what it holds. Numbers in
// keys are 8-byte big-endian, so byte order is numeric order and a range of
// sequence numbers is a range of keys.
//
//   key                                        value
//   'e' seq(8)                                 the entry's canonical bytes, exactly as hashed
//   'n' level(1) index(8)                      32-byte hash of the perfect Merkle subtree at
//                                              `level` >= 1 covering leaves
//                                              [index << level, (index + 1) << level)
//   'i' idempotency-id                         seq(8) of the entry recorded for that id
//   't' type '\0' seq(8)                       empty; lists the entries of one type in order
//   'm' "origin"                               the ledger's origin
//   'm' "format"                               limits::kFormatVersion as decimal text
//   'm' "size"                                 number of entries, 8 bytes big-endian
//   'm' "state"                                domain::SerializeState of the state after
//                                              the last entry
//
// Leaf hashes (level 0) are not stored: LeafHash(entry bytes) recomputes them.
// One append writes its entries, the nodes they complete, their index keys
// and the new size and state in a single atomic, synced write, so the keys
// always describe exactly `size` entries.
#ifndef CUNZHANG_STORE_KEYS_H_
#define CUNZHANG_STORE_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cunzhang::store {

inline constexpr char kEntryPrefix = 'e';
inline constexpr char kNodePrefix = 'n';
inline constexpr char kIdempotencyPrefix = 'i';
inline constexpr char kTypePrefix = 't';
inline constexpr char kMetaPrefix = 'm';

inline constexpr std::string_view kMetaOrigin = "origin";
inline constexpr std::string_view kMetaFormat = "format";
inline constexpr std::string_view kMetaSize = "size";
inline constexpr std::string_view kMetaState = "state";

inline constexpr size_t kSeqBytes = 8;

// 8-byte big-endian encoding of a number; nullopt unless exactly 8 bytes.
std::string EncodeU64(uint64_t value);
std::optional<uint64_t> DecodeU64(std::string_view bytes);

std::string EntryKey(uint64_t seq);
// The sequence number of an entry key; nullopt for any other key.
std::optional<uint64_t> SeqOfEntryKey(std::string_view key);

// REQUIRES: level >= 1 (leaves are not stored).
std::string NodeKey(unsigned level, uint64_t index);

std::string IdempotencyKey(std::string_view id);

// REQUIRES: `type` holds no '\0' (CheckType guarantees it).
std::string TypeKey(std::string_view type, uint64_t seq);
// Every key of one type starts with this prefix, and no key of another type does.
std::string TypePrefix(std::string_view type);
// The sequence number at the end of a type key that starts with `prefix`.
std::optional<uint64_t> SeqOfTypeKey(std::string_view key, std::string_view prefix);

std::string MetaKey(std::string_view name);

}  // namespace cunzhang::store

#endif  // CUNZHANG_STORE_KEYS_H_
