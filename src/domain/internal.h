// Shared by the rule handlers: the handler table, field accessors that name
// the failing field, and the violation constructor. Private to src/domain.
#ifndef CUNZHANG_DOMAIN_INTERNAL_H_
#define CUNZHANG_DOMAIN_INTERNAL_H_

#include <boost/container/small_vector.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cunzhang/domain.h"
#include "cunzhang/json.h"

namespace cunzhang::domain::internal {

// Applies one entry type. Contract: either return an error having changed
// nothing, or succeed having made every change. Check first, mutate last.
// The body has already passed the type's JSON Schema.
using Handler = Status (*)(State* state, const Entry& entry);
// Member ids, as views: into an entry's body, which outlives them.
using MemberIds = boost::container::small_vector<std::string_view, 4>;
// Adds `id` to *ids unless it is there already.
inline void AddMemberOnce(std::string_view id, MemberIds* ids) {
  for (std::string_view seen : *ids) {
    if (seen == id) return;
  }
  ids->push_back(id);
}
// Appends the members named by an entry of this type (for the member index
// and the capital invariant), each once, in body order.
using MembersFn = void (*)(const json::Value& body, MemberIds* out);

struct TypeSpec {
  const char* type;     // e.g. "member.join"
  Handler apply;
  MembersFn members;    // may be nullptr: the type names no member
};

// Every handler file exports its specs through one of these.
std::vector<TypeSpec> OrgTypes();           // org.register, resolution.record
std::vector<TypeSpec> MemberTypes();        // member.join, member.status
std::vector<TypeSpec> ValuationTypes();     // valuation.rule
std::vector<TypeSpec> ContributionTypes();  // contribution.{land,capital,goods,labour}
std::vector<TypeSpec> ShareTypes();         // share.transfer, share.inherit, share.exit
std::vector<TypeSpec> CorrectionTypes();    // entry.reverse
std::vector<TypeSpec> BookTypes();          // books.journal
std::vector<TypeSpec> NoteTypes();          // note

// A rule violation at `field` of the body (pass "" for the whole entry).
Status Violation(const Entry& entry, std::string_view field, std::string zh, std::string en);

// Body accessors. A missing member or the wrong type is a violation naming
// "body.<key>" (the schema normally catches these first).
Result<std::string> Str(const Entry& entry, std::string_view key);
// The same check as Str without copying the text out.
Status HasStr(const Entry& entry, std::string_view key);
Result<int64_t> Int(const Entry& entry, std::string_view key);
std::string StrOr(const Entry& entry, std::string_view key, std::string fallback);
int64_t IntOr(const Entry& entry, std::string_view key, int64_t fallback);
bool BoolOr(const Entry& entry, std::string_view key, bool fallback);
// A calendar date "YYYY-MM-DD".
Result<std::string> Date(const Entry& entry, std::string_view key);
bool IsDate(std::string_view text);

// Records `effect` as the effect of `entry`, the entry being applied: the
// newest, so it goes at the map's end without a search from the root.
void RecordEffect(State* state, const Entry& entry, Effect effect);

// A member by id, or null. While ApplyChecked applies an entry on this
// thread (a MemberLookups is alive), the member found last is remembered:
// an entry looks its member up five or six times (the member check, the
// holdings, the cap, applying, the capital invariant), each a search of a
// map of strings. Only members found are remembered (an entry may create
// one), and members are never erased, so a remembered node stays valid for
// the whole entry. Otherwise (no entry being applied, another State) these
// are the map's find. Not for use across threads.
const Member* FindMember(const State& state, std::string_view id);
Member* FindMember(State* state, std::string_view id);

// Remembers look-ups of `state`'s members on this thread while it lives.
class MemberLookups {
 public:
  explicit MemberLookups(const State* state);
  ~MemberLookups();
  MemberLookups(const MemberLookups&) = delete;
  MemberLookups& operator=(const MemberLookups&) = delete;

 private:
  friend const Member* FindMember(const State& state, std::string_view id);
  const State* state_;
  MemberLookups* outer_;  // the one this replaced on this thread, restored after
  std::string id_;        // of `member_`, when set
  const Member* member_ = nullptr;
};

// Look-ups that fail with a violation naming `field`.
Result<const Member*> ActiveMember(const State& state, const Entry& entry, std::string_view field,
                                   const std::string& member_id);
// The resolution must exist, be adopted, and be dated on or before `date`.
Status AdoptedResolution(const State& state, const Entry& entry, std::string_view field,
                         const std::string& resolution_id, const std::string& date);

// The organisation must be registered before anything else.
Status NeedOrg(const State& state, const Entry& entry);

// MembersFn helper: the string at each of `keys` that is present, each once.
void MembersAt(const json::Value& body, std::initializer_list<const char*> keys, MemberIds* out);

}  // namespace cunzhang::domain::internal

#endif  // CUNZHANG_DOMAIN_INTERNAL_H_
