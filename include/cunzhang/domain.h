// The ledger's business rules as one pure state machine, shared by the writer
// (before it appends) and the verifier (when it replays an export).
//
// Apply(state, entry) either accepts the entry and advances the state, or
// rejects it with a rule violation and leaves the state exactly as it was.
// The state holds only what later rules need; it is derived from the entries
// and can always be rebuilt by replaying them.
#ifndef CUNZHANG_DOMAIN_H_
#define CUNZHANG_DOMAIN_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "cunzhang/entry.h"
#include "cunzhang/status.h"

namespace cunzhang::domain {

// Version of the serialized State; bump when its layout changes so stored
// snapshots are rebuilt from the entries instead of misread.
inline constexpr uint32_t kStateVersion = 1;

struct State {
  uint64_t entries = 0;                         // entries applied so far
  std::map<std::string, uint64_t> type_counts;  // entries per type

  template <class Archive>
  void serialize(Archive& ar) {
    ar(entries, type_counts);
  }
  friend bool operator==(const State&, const State&) = default;
};

// Checks `entry` against the rules given everything before it. On success the
// state advances; on failure it is unchanged and the Status (kRuleViolation)
// names the entry and the field.
//
// REQUIRES: the envelope was already checked (DecodeEntry or DecodeEntryLazy:
// so the body is a JSON object), entry.seq == state.entries (the chain is the
// format's business, not the domain's), and entry.body is parsed when
// NeedsBody(entry.type); for other types the body may be left null and is
// not read.
Status Apply(State* state, const Entry& entry);

// True when the rules for entries of `type` read the body. The verifier
// decodes entries without building their body and builds it only for these
// types. The generic rules of this release read no body.
bool NeedsBody(std::string_view type);

// Binary snapshot of a state (cereal portable binary, prefixed by the version).
std::string SerializeState(const State& state);
Result<State> DeserializeState(std::string_view bytes);

}  // namespace cunzhang::domain

#endif  // CUNZHANG_DOMAIN_H_
