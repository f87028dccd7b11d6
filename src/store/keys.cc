#include "keys.h"

#include <cassert>

namespace cunzhang::store {
namespace {

std::string Prefixed(char prefix, std::string_view rest) {
  std::string key;
  key.reserve(1 + rest.size() + kSeqBytes);
  key.push_back(prefix);
  key.append(rest);
  return key;
}

}  // namespace

void AppendU64(uint64_t value, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

std::string EncodeU64(uint64_t value) {
  std::string out;
  out.reserve(kSeqBytes);
  AppendU64(value, &out);
  return out;
}

std::optional<uint64_t> DecodeU64(std::string_view bytes) {
  if (bytes.size() != kSeqBytes) return std::nullopt;
  uint64_t value = 0;
  for (char c : bytes) value = (value << 8) | static_cast<uint8_t>(c);
  return value;
}

std::string EntryKey(uint64_t seq) {
  std::string key(1, kEntryPrefix);
  AppendU64(seq, &key);
  return key;
}

std::string EffectKey(uint64_t seq) {
  std::string key(1, kEffectPrefix);
  AppendU64(seq, &key);
  return key;
}

std::optional<uint64_t> SeqOfEntryKey(std::string_view key) {
  if (key.size() != 1 + kSeqBytes || key[0] != kEntryPrefix) return std::nullopt;
  return DecodeU64(key.substr(1));
}

std::string NodeKey(unsigned level, uint64_t index) {
  std::string key;
  SetNodeKey(level, index, &key);
  return key;
}

void SetNodeKey(unsigned level, uint64_t index, std::string* key) {
  assert(IsStoredNodeLevel(level) && level < 64);
  key->assign(1, kNodePrefix);
  key->push_back(static_cast<char>(level));
  AppendU64(index, key);
}

std::string IdHashesKey(uint64_t first_seq) {
  std::string key(1, kIdHashesPrefix);
  AppendU64(first_seq, &key);
  return key;
}

std::optional<uint64_t> SeqOfIdHashesKey(std::string_view key) {
  if (key.size() != 1 + kSeqBytes || key[0] != kIdHashesPrefix) return std::nullopt;
  return DecodeU64(key.substr(1));
}

std::string MetaKey(std::string_view name) { return Prefixed(kMetaPrefix, name); }

}  // namespace cunzhang::store
