// The ledger's business rules as one pure state machine, shared by the writer
// (before it appends) and the verifier (when it replays an export).
//
// Apply(state, entry) either accepts the entry and advances the state, or
// rejects it with a rule violation and leaves the state exactly as it was.
// The state holds only what later rules and statements need; it is derived
// from the entries and can always be rebuilt by replaying them.
// docs/RULES.md describes every entry type and rule.
#ifndef CUNZHANG_DOMAIN_H_
#define CUNZHANG_DOMAIN_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cunzhang/entry.h"
#include "cunzhang/money.h"
#include "cunzhang/status.h"

namespace cunzhang::domain {

// Version of the serialized State; bump when its layout changes so stored
// snapshots are rebuilt from the entries instead of misread.
inline constexpr uint32_t kStateVersion = 3;

// The four kinds of contribution (入股), in this order everywhere.
enum class ContributionKind : uint8_t { kLand = 0, kCapital = 1, kGoods = 2, kLabour = 3 };
inline constexpr size_t kContributionKinds = 4;
const char* ContributionKindName(ContributionKind kind);  // "land", "capital", "goods", "labour"

struct Org {
  bool registered = false;
  std::string kind;   // "cooperative" | "collective"
  std::string name;
  std::string chart;  // "coop-2021" | "collective-2023"
  std::string founded;                 // YYYY-MM-DD
  int64_t registered_capital_fen = 0;  // 出资总额 / registered capital
  int64_t member_cap_bp = 2000;        // one member's capital at most this many 1/10000 of capital

  template <class A>
  void serialize(A& ar) {
    ar(registered, kind, name, chart, founded, registered_capital_fen, member_cap_bp);
  }
  friend bool operator==(const Org&, const Org&) = default;
};

// A members' (or representatives') meeting decision, as recorded.
struct Resolution {
  std::string id;
  std::string date;        // YYYY-MM-DD
  std::string body;        // "members_meeting" | "representatives_meeting"
  int64_t members_total = 0;
  int64_t present = 0;
  int64_t in_favour = 0;
  bool special = false;    // a matter that needs two thirds of all members
  bool adopted = false;    // computed by the rules, never taken from input
  uint64_t seq = 0;

  template <class A>
  void serialize(A& ar) {
    ar(id, date, body, members_total, present, in_favour, special, adopted, seq);
  }
  friend bool operator==(const Resolution&, const Resolution&) = default;
};

// A valuation rule in force from a date (share price, land price per mu by
// grade, labour day rate by category, or one goods appraisal).
struct ValuationRule {
  std::string id;
  std::string kind;            // "share_price" | "land" | "labour" | "goods_appraisal"
  std::string key;             // land grade, labour category; "" otherwise
  std::string effective_from;  // YYYY-MM-DD
  std::string resolution_id;
  int64_t fen_per_unit = 0;    // per share, per mu, per workday; the appraised value for goods
  std::string description;     // goods appraisals: what was appraised
  bool used = false;           // goods appraisals are used by one contribution only
  uint64_t seq = 0;

  template <class A>
  void serialize(A& ar) {
    ar(id, kind, key, effective_from, resolution_id, fen_per_unit, description, used, seq);
  }
  friend bool operator==(const ValuationRule&, const ValuationRule&) = default;
};

// One member's holding of one contribution kind.
struct Holding {
  int64_t share_units = 0;  // Shares units (0.0001 share)
  int64_t capital_fen = 0;  // 股金/资本 credited for these shares

  template <class A>
  void serialize(A& ar) {
    ar(share_units, capital_fen);
  }
  friend bool operator==(const Holding&, const Holding&) = default;
};

struct Member {
  std::string id;
  std::string kind;           // "person" | "household" | "unit"
  std::string name;
  std::string household;      // household number or head, as the village writes it
  std::string id_commitment;  // hex SHA-256 commitment to the ID number; "" for units
  std::string status = "active";  // "active" | "exited" | "deceased" | "suspended"
  std::string joined;         // YYYY-MM-DD
  std::array<Holding, kContributionKinds> holdings{};
  int64_t reserve_fen = 0;    // allocated share of the reserve (公积金 份额)
  uint64_t join_seq = 0;

  int64_t total_share_units() const;
  int64_t total_capital_fen() const;

  template <class A>
  void serialize(A& ar) {
    ar(id, kind, name, household, id_commitment, status, joined, holdings, reserve_fen, join_seq);
  }
  friend bool operator==(const Member&, const Member&) = default;
};

// One line of a double-entry posting; exactly one of debit/credit is non-zero.
struct Posting {
  std::string account;  // official code, e.g. "102"
  int64_t debit_fen = 0;
  int64_t credit_fen = 0;
  std::string member_id;  // for member sub-accounts; may be empty

  template <class A>
  void serialize(A& ar) {
    ar(account, debit_fen, credit_fen, member_id);
  }
  friend bool operator==(const Posting&, const Posting&) = default;
};

// A change to one member's holding of one kind.
struct HoldingDelta {
  std::string member_id;
  uint8_t kind = 0;  // ContributionKind
  int64_t share_units = 0;
  int64_t capital_fen = 0;

  template <class A>
  void serialize(A& ar) {
    ar(member_id, kind, share_units, capital_fen);
  }
  friend bool operator==(const HoldingDelta&, const HoldingDelta&) = default;
};

// What a reversible entry did, so that a reversal can undo exactly that.
// Written once, when the entry is applied, and never changed: whether it was
// reversed is State::reversed.
struct Effect {
  std::string type;
  std::vector<HoldingDelta> deltas;
  std::vector<Posting> postings;
  std::string valuation_rule_id;  // a goods appraisal consumed, to release on reversal

  template <class A>
  void serialize(A& ar) {
    ar(type, deltas, postings, valuation_rule_id);
  }
  friend bool operator==(const Effect&, const Effect&) = default;
};

// Where the effects of older entries are kept when they are not in memory:
// one Effect per reversible entry would make the state grow with the ledger,
// not with the village. The writer keeps them as RocksDB rows written with
// their entries; the verifier in a temporary file. Effects are immutable, so
// an archive that holds the effects of entries [0, n) answers correctly for
// any state of at most n entries.
class EffectArchive {
 public:
  virtual ~EffectArchive() = default;
  // The effect entry `seq` left, or nullopt when it left none (it is not a
  // reversible entry, or it is not archived).
  virtual Result<std::optional<Effect>> Find(uint64_t seq) const = 0;
};

// The state's link to its archive: not part of the state's value (not
// serialized, and equal whatever it points to).
struct ArchiveLink {
  const EffectArchive* archive = nullptr;
  friend bool operator==(const ArchiveLink&, const ArchiveLink&) { return true; }
};

struct State {
  uint64_t entries = 0;                         // entries applied so far
  std::map<std::string, uint64_t> type_counts;  // entries per type
  Org org;
  std::map<std::string, Resolution> resolutions;
  std::map<std::string, ValuationRule> valuation_rules;
  // The ids of the rules of each kind and key ("land\x1f一等"), in the order
  // recorded, so the rule in force is found without scanning every rule;
  // goods appraisals, each its own key, are not listed.
  std::map<std::string, std::vector<std::string>> rule_ids_by_kind_key;
  std::map<std::string, Member, std::less<>> members;  // transparent: found by string_view
  std::map<std::string, int64_t> account_balances;  // debit − credit, fen, by account code
  // The effects of reversible entries, by seq: all of them when `archive` is
  // not set; otherwise those its owner has not yet stored in the archive
  // (and then removed from here). Look one up with FindEffect.
  std::map<uint64_t, Effect> effects;
  std::set<uint64_t> reversed;                       // entries a reversal has undone
  std::set<std::string> id_commitments;              // to refuse one person joining twice
  // Σ members' capital_fen, kept by Apply from the members each entry touches
  // (not by the handlers), so the capital invariant costs O(members touched).
  int64_t members_capital_fen = 0;
  ArchiveLink archive;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(entries, type_counts, org, resolutions, valuation_rules, rule_ids_by_kind_key, members, account_balances,
       effects, reversed, id_commitments, members_capital_fen);
  }
  friend bool operator==(const State&, const State&) = default;
};

// The effect entry `seq` left: from state.effects, else from the archive.
// nullopt when it left none. An error only when the archive cannot be read.
Result<std::optional<Effect>> FindEffect(const State& state, uint64_t seq);

// Checks `entry` against the rules given everything before it. On success the
// state advances; on failure it is unchanged and the Status (kRuleViolation,
// or kInvalidInput for a body that breaks its schema) names the entry and the
// field.
//
// REQUIRES: the envelope was already checked (DecodeEntry or DecodeEntryLazy:
// so the body is a JSON object), entry.seq == state.entries (the chain is the
// format's business, not the domain's), and entry.body is parsed when
// NeedsBody(entry.type); for other types the body may be left null and is
// not read.
Status Apply(State* state, const Entry& entry);

// Apply in two steps, for callers that check entries on another thread than
// the one that applies them: CheckEntryAlone judges what needs no state (the
// type is known, no clear ID number, the body fits its schema) and may run
// on any thread, in any order; ApplyChecked(state, entry, status) with the
// status it returned is exactly Apply(state, entry).
//
// `body_text`: what the caller knows of the JSON text entry.body was read
// from. kNoBackslash (the verifier, from the line it decoded): the text has
// no backslash, so no string of the body holds a control character and that
// search is skipped. The verdict is the same either way.
enum class BodyText : uint8_t { kUnknown, kNoBackslash };
Status CheckEntryAlone(const Entry& entry, BodyText body_text = BodyText::kUnknown);
Status ApplyChecked(State* state, const Entry& entry, const Status& alone);

// True when the rules for entries of `type` read the body. The verifier
// decodes entries without building their body and builds it only for these
// types. Every known type's body is checked against its schema, so this is
// true for all of them; an unknown type is refused before its body is read.
bool NeedsBody(std::string_view type);

// Passes over `entry`, which Apply refused, as if it were absent: the state
// only counts it, so that the verifier can go on judging the entries after
// it and report every violation in one run. Not for writers: they refuse.
// REQUIRES: entry.seq == state->entries.
void PassOver(State* state, const Entry& entry);

// The invariants Apply checks after every entry, checked in full: the trial
// balance balances, Σ members' capital_fen over every member equals the
// credit balance of 301 and the running sum Apply keeps. O(members); the
// verifier runs it once at the end of a bundle.
Status CheckInvariants(const State& state);

// The entry types this release knows, sorted.
std::vector<std::string> EntryTypes();

// Members an entry concerns (for the store's member index), in body order.
std::vector<std::string> MembersTouched(const Entry& entry);

// Binary snapshot of a state (cereal portable binary, prefixed by the version).
// The archive link is not part of it.
std::string SerializeState(const State& state);
Result<State> DeserializeState(std::string_view bytes);
// The version a snapshot was written with (kStateVersion for this release),
// or nullopt when the bytes do not start like a snapshot.
std::optional<uint32_t> StateVersionOf(std::string_view bytes);

// One Effect in the same encoding, for archives (no version prefix: an
// archive belongs to one state version).
std::string SerializeEffect(const Effect& effect);
// SerializeEffect's bytes appended to *out.
void AppendSerializedEffect(const Effect& effect, std::string* out);
// The same bytes made by cereal itself, which SerializeEffect writes by hand
// for speed: for the test that holds the two to the same bytes.
std::string SerializeEffectWithCereal(const Effect& effect);
Result<Effect> DeserializeEffect(std::string_view bytes);

}  // namespace cunzhang::domain

#endif  // CUNZHANG_DOMAIN_H_
