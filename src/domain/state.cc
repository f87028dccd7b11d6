#include <bit>
#include <cereal/archives/portable_binary.hpp>
#include <cereal/types/array.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/set.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "cunzhang/domain.h"

namespace cunzhang::domain {

std::string SerializeState(const State& state) {
  std::ostringstream out(std::ios::binary);
  {
    cereal::PortableBinaryOutputArchive ar(out);
    ar(kStateVersion, state);
  }
  return out.str();
}

namespace {

// The bytes cereal's PortableBinaryOutputArchive writes (little-endian
// integers, strings and vectors as a 64-bit count and their contents), written
// directly: an effect is stored with every contribution, transfer and journal
// voucher, and cereal's stream writes cost more than the encoding itself.
// DeserializeEffect reads them back with cereal; a test holds the two
// encoders to the same bytes.
// Writes `bytes` little-endian bytes of v at *at and moves past them.
void PutLittle(uint64_t v, size_t bytes, char** at) {
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(*at, &v, bytes);  // the low bytes come first
  } else {
    for (size_t i = 0; i < bytes; ++i) (*at)[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  }
  *at += bytes;
}

void PutString(const std::string& s, char** at) {
  PutLittle(s.size(), 8, at);
  if (!s.empty()) std::memcpy(*at, s.data(), s.size());
  *at += s.size();
}

constexpr size_t kCountBytes = 8;
// A delta: its member id's length, kind, units and fen; a posting: its two
// strings' lengths, debit and credit.
constexpr size_t kDeltaFixedBytes = kCountBytes + 1 + 8 + 8;
constexpr size_t kPostingFixedBytes = kCountBytes + 8 + 8 + kCountBytes;

size_t SerializedEffectBytes(const Effect& effect) {
  // The flag, two strings' and two vectors' lengths, the two strings.
  size_t n = 1 + 4 * kCountBytes + effect.type.size() + effect.valuation_rule_id.size();
  for (const HoldingDelta& d : effect.deltas) n += kDeltaFixedBytes + d.member_id.size();
  for (const Posting& p : effect.postings) {
    n += kPostingFixedBytes + p.account.size() + p.member_id.size();
  }
  return n;
}

}  // namespace

// The size is counted first and the bytes written in place: appending them
// piece by piece (a capacity check and a call each) cost more than the rest.
void AppendSerializedEffect(const Effect& effect, std::string* out) {
  const size_t begin = out->size();
  out->resize(begin + SerializedEffectBytes(effect));
  char* at = out->data() + begin;
  *at++ = 1;  // cereal's flag: the archive is little-endian
  PutString(effect.type, &at);
  PutLittle(effect.deltas.size(), 8, &at);
  for (const HoldingDelta& d : effect.deltas) {
    PutString(d.member_id, &at);
    PutLittle(d.kind, 1, &at);
    PutLittle(static_cast<uint64_t>(d.share_units), 8, &at);
    PutLittle(static_cast<uint64_t>(d.capital_fen), 8, &at);
  }
  PutLittle(effect.postings.size(), 8, &at);
  for (const Posting& p : effect.postings) {
    PutString(p.account, &at);
    PutLittle(static_cast<uint64_t>(p.debit_fen), 8, &at);
    PutLittle(static_cast<uint64_t>(p.credit_fen), 8, &at);
    PutString(p.member_id, &at);
  }
  PutString(effect.valuation_rule_id, &at);
  // The count and the writes must agree (a field added to one and not the
  // other; the test against cereal's bytes catches it first): never go on
  // from bytes written past the end.
  if (at != out->data() + out->size()) std::abort();
}

std::string SerializeEffect(const Effect& effect) {
  std::string out;
  AppendSerializedEffect(effect, &out);
  return out;
}

std::string SerializeEffectWithCereal(const Effect& effect) {
  std::ostringstream out(std::ios::binary);
  {
    cereal::PortableBinaryOutputArchive ar(out);
    ar(effect);
  }
  return out.str();
}

Result<Effect> DeserializeEffect(std::string_view bytes) {
  std::istringstream in(std::string(bytes), std::ios::binary);
  Effect effect;
  try {
    cereal::PortableBinaryInputArchive ar(in);
    ar(effect);
  } catch (const std::exception& e) {
    return Status(Code::kCorruption, "存档的条目效果无法读取",
                  std::string("archived effect unreadable: ") + e.what());
  }
  if (in.peek() != std::char_traits<char>::eof()) {
    return Status(Code::kCorruption, "存档的条目效果末尾有多余字节", "archived effect has trailing bytes");
  }
  return effect;
}

Result<std::optional<Effect>> FindEffect(const State& state, uint64_t seq) {
  auto it = state.effects.find(seq);
  if (it != state.effects.end()) return std::optional<Effect>(it->second);
  if (state.archive.archive == nullptr) return std::optional<Effect>();
  return state.archive.archive->Find(seq);
}

std::optional<uint32_t> StateVersionOf(std::string_view bytes) {
  std::istringstream in(std::string(bytes.substr(0, 16)), std::ios::binary);
  try {
    cereal::PortableBinaryInputArchive ar(in);
    uint32_t version = 0;
    ar(version);
    return version;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

Result<State> DeserializeState(std::string_view bytes) {
  std::istringstream in(std::string(bytes), std::ios::binary);
  State state;
  uint32_t version = 0;
  try {
    cereal::PortableBinaryInputArchive ar(in);
    ar(version);
    if (version != kStateVersion) {
      return Status(Code::kCorruption, "派生状态的版本不符，需要重放账本重建",
                    "derived state has version " + std::to_string(version) + ", expected " +
                        std::to_string(kStateVersion) + "; rebuild it by replaying the ledger");
    }
    ar(state);
  } catch (const std::exception& e) {
    return Status(Code::kCorruption, "派生状态无法读取", std::string("derived state unreadable: ") + e.what());
  }
  if (in.peek() != std::char_traits<char>::eof()) {
    return Status(Code::kCorruption, "派生状态末尾有多余字节", "derived state has trailing bytes");
  }
  return state;
}

}  // namespace cunzhang::domain
