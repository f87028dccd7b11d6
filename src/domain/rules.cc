// The dispatch: schema first, then the entry type's handler, then the
// invariants that must hold after every entry.
#include <algorithm>
#include <cassert>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "books.h"
#include "internal.h"
#include "schema.h"

namespace cunzhang::domain {
namespace {

using internal::TypeSpec;

const std::map<std::string, TypeSpec, std::less<>>& Registry() {
  static const auto* registry = [] {
    auto* r = new std::map<std::string, TypeSpec, std::less<>>();
    for (auto specs : {internal::OrgTypes(), internal::MemberTypes(), internal::ValuationTypes(),
                       internal::ContributionTypes(), internal::ShareTypes(),
                       internal::CorrectionTypes(), internal::BookTypes(), internal::NoteTypes()}) {
      for (const TypeSpec& spec : specs) r->emplace(spec.type, spec);
    }
    return r;
  }();
  return *registry;
}

// The registry again, hashed: every entry looks its type up several times
// (checked alone, dispatched, its members), and a map of strings that share
// their first dozen bytes ("contribution.", "journal.") compares them at
// every level. The map's order stays for EntryTypes.
const TypeSpec* FindType(std::string_view type) {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, const TypeSpec*>();
    for (const auto& [name, spec] : Registry()) m->emplace(name, &spec);
    return m;
  }();
  auto it = index->find(type);
  return it == index->end() ? nullptr : it->second;
}

Status InvariantBroken(const Entry& entry, const char* zh, const char* en) {
  return Status(Code::kInternal, zh, en, Where{.entry = static_cast<int64_t>(entry.seq)});
}

// The members whose capital `entry` may change, each once: those its body
// names, and for a reversal those the reversed entry changed (their ids kept
// in *reversed, which the views point into).
internal::MemberIds CapitalTouched(const State& state, const Entry& entry, const TypeSpec& spec,
                                   std::optional<Effect>* reversed) {
  internal::MemberIds ids;
  if (spec.members != nullptr) spec.members(entry.body, &ids);
  if (entry.type == "entry.reverse") {
    const json::Value* seq = entry.body.Find("seq");
    if (seq != nullptr && seq->is_int() && seq->as_int() >= 0) {
      // An unreadable archive is reported by the handler, which reads it too.
      Result<std::optional<Effect>> effect = FindEffect(state, static_cast<uint64_t>(seq->as_int()));
      if (effect.ok() && *effect) {
        *reversed = std::move(**effect);
        for (const HoldingDelta& d : (*reversed)->deltas) internal::AddMemberOnce(d.member_id, &ids);
      }
    }
  }
  return ids;
}

// The touched members as found before the handler runs: std::map nodes do
// not move, so after it each is read again through its pointer, and only
// those absent before (a member the entry created) are looked up again.
using Found = boost::container::small_vector<std::pair<std::string_view, const Member*>, 4>;

Found FindMembers(const State& state, const internal::MemberIds& ids) {
  Found found;
  for (std::string_view id : ids) found.emplace_back(id, internal::FindMember(state, id));
  return found;
}

// Σ capital_fen of the members found (those absent looked up again when
// `again`); false on overflow.
bool CapitalOf(const State& state, Found* found, bool again, int64_t* sum) {
  *sum = 0;
  for (auto& [id, member] : *found) {
    if (member == nullptr && again) member = internal::FindMember(state, id);
    if (member == nullptr) continue;
    if (__builtin_add_overflow(*sum, member->total_capital_fen(), sum)) return false;
  }
  return true;
}

}  // namespace

const char* ContributionKindName(ContributionKind kind) {
  switch (kind) {
    case ContributionKind::kLand: return "land";
    case ContributionKind::kCapital: return "capital";
    case ContributionKind::kGoods: return "goods";
    case ContributionKind::kLabour: return "labour";
  }
  return "?";
}

int64_t Member::total_share_units() const {
  int64_t sum = 0;
  for (const Holding& h : holdings) sum += h.share_units;
  return sum;
}

int64_t Member::total_capital_fen() const {
  int64_t sum = 0;
  for (const Holding& h : holdings) sum += h.capital_fen;
  return sum;
}

Status CheckEntryAlone(const Entry& entry, BodyText body_text) {
  if (FindType(entry.type) == nullptr) {
    return internal::Violation(entry, "", "未知的条目类型“" + entry.type + "”",
                               "unknown entry type \"" + entry.type + "\"");
  }
  const Where at{.entry = static_cast<int64_t>(entry.seq)};
  // A clear ID number first: pasted into id_commitment it must be refused as
  // what it is, not as a malformed hash. The envelope's free text too.
  // Most bodies give neither refusal below anything to find: one pass says so.
  const bool suspect_text =
      schema::TextNeedsRefusalCheck(entry.body, body_text != BodyText::kNoBackslash);
  Status clear = suspect_text ? schema::RefuseClearIdNumbers(entry.body) : Status::Ok();
  if (clear.ok()) clear = schema::RefuseClearIdNumberIn(entry.idempotency_id, "idempotency_id");
  if (clear.ok()) clear = schema::RefuseClearIdNumberIn(entry.op.name, "operator.name");
  if (!clear.ok()) return std::move(clear).AddContext(at);
  Status valid = suspect_text ? schema::RefuseControlCharacters(entry.body) : Status::Ok();
  if (valid.ok()) valid = schema::ValidateBody(entry.type, entry.body);
  if (!valid.ok()) return std::move(valid).AddContext(at);
  return Status::Ok();
}

Status Apply(State* state, const Entry& entry) {
  return ApplyChecked(state, entry, CheckEntryAlone(entry));
}

Status ApplyChecked(State* state, const Entry& entry, const Status& alone) {
  if (entry.seq != state->entries) {
    return Status(Code::kInternal, "规则引擎收到的条目序号与状态不符",
                  "rules applied out of order: entry " + std::to_string(entry.seq) + " after " +
                      std::to_string(state->entries) + " entries",
                  Where{.entry = static_cast<int64_t>(entry.seq)});
  }
  if (!alone.ok()) return alone;
  const TypeSpec* found_type = FindType(entry.type);
  if (found_type == nullptr) return CheckEntryAlone(entry);  // an unknown type: its refusal
  const TypeSpec& spec = *found_type;
  const internal::MemberLookups remember(state);
  std::optional<Effect> reversed;
  const internal::MemberIds touched = CapitalTouched(*state, entry, spec, &reversed);
  Found found = FindMembers(*state, touched);
  int64_t before = 0;
  int64_t after = 0;
  bool sums = CapitalOf(*state, &found, false, &before);
  CZ_RETURN_IF_ERROR(spec.apply(state, entry));
  // Paired assertions: what the handlers promise, checked after every entry.
  if (!books::TrialBalanceBalances(*state)) {
    return InvariantBroken(entry, "试算不平衡", "trial balance does not balance");
  }
  sums = sums && CapitalOf(*state, &found, true, &after) &&
         !__builtin_add_overflow(state->members_capital_fen, after - before,
                                 &state->members_capital_fen);
  if (!sums || !books::RunningCapitalMatchesEquity(*state)) {
    return InvariantBroken(entry, "成员股金合计与 301 科目余额不符",
                           "members' capital does not add up to account 301");
  }
  ++state->type_counts[entry.type];
  ++state->entries;
  return Status::Ok();
}

bool NeedsBody(std::string_view type) { return FindType(type) != nullptr; }

void PassOver(State* state, const Entry& entry) {
  assert(entry.seq == state->entries);
  (void)entry;
  ++state->entries;
}

Status CheckInvariants(const State& state) {
  const Where at{.entry = static_cast<int64_t>(state.entries) - 1};
  if (!books::TrialBalanceBalances(state)) {
    return Status(Code::kInternal, "试算不平衡", "trial balance does not balance", at);
  }
  if (!books::MemberCapitalMatchesEquity(state)) {
    return Status(Code::kInternal, "成员股金合计与 301 科目余额不符",
                  "members' capital does not add up to account 301", at);
  }
  return Status::Ok();
}

std::vector<std::string> EntryTypes() {
  std::vector<std::string> out;
  for (const auto& [type, spec] : Registry()) out.push_back(type);
  return out;
}

std::vector<std::string> MembersTouched(const Entry& entry) {
  const TypeSpec* spec = FindType(entry.type);
  if (spec == nullptr || spec->members == nullptr) return {};
  internal::MemberIds ids;
  spec->members(entry.body, &ids);
  return {ids.begin(), ids.end()};
}

namespace internal {

Status Violation(const Entry& entry, std::string_view field, std::string zh, std::string en) {
  std::string path = field.empty() ? std::string() : "body." + std::string(field);
  return Status(Code::kRuleViolation, std::move(zh), std::move(en),
                Where{.field = path, .entry = static_cast<int64_t>(entry.seq)});
}

Result<std::string> Str(const Entry& entry, std::string_view key) {
  const json::Value* v = entry.body.Find(key);
  if (v == nullptr || !v->is_string()) {
    return Violation(entry, key, "缺少文本字段", "missing string field");
  }
  return v->as_string();
}

Status HasStr(const Entry& entry, std::string_view key) {
  const json::Value* v = entry.body.Find(key);
  if (v == nullptr || !v->is_string()) {
    return Violation(entry, key, "缺少文本字段", "missing string field");
  }
  return Status::Ok();
}

Result<int64_t> Int(const Entry& entry, std::string_view key) {
  const json::Value* v = entry.body.Find(key);
  if (v == nullptr || !v->is_int()) {
    return Violation(entry, key, "缺少整数字段", "missing integer field");
  }
  return v->as_int();
}

std::string StrOr(const Entry& entry, std::string_view key, std::string fallback) {
  const json::Value* v = entry.body.Find(key);
  return v != nullptr && v->is_string() ? v->as_string() : std::move(fallback);
}

int64_t IntOr(const Entry& entry, std::string_view key, int64_t fallback) {
  const json::Value* v = entry.body.Find(key);
  return v != nullptr && v->is_int() ? v->as_int() : fallback;
}

bool BoolOr(const Entry& entry, std::string_view key, bool fallback) {
  const json::Value* v = entry.body.Find(key);
  return v != nullptr && v->is_bool() ? v->as_bool() : fallback;
}

bool IsDate(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
  int parts[3] = {0, 0, 0};
  size_t starts[3] = {0, 5, 8};
  size_t lens[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (size_t i = starts[p]; i < starts[p] + lens[p]; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      parts[p] = parts[p] * 10 + (t[i] - '0');
    }
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y = parts[0], m = parts[1], d = parts[2];
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= (m == 2 && leap ? 29 : kDays[m - 1]);
}

Result<std::string> Date(const Entry& entry, std::string_view key) {
  CZ_ASSIGN_OR_RETURN(std::string d, Str(entry, key));
  if (!IsDate(d)) {
    return Violation(entry, key, "日期“" + d + "”无效，应为 YYYY-MM-DD",
                     "date \"" + d + "\" is not a valid YYYY-MM-DD date");
  }
  return d;
}

void RecordEffect(State* state, const Entry& entry, Effect effect) {
  assert(state->effects.empty() || state->effects.rbegin()->first < entry.seq);
  state->effects.emplace_hint(state->effects.end(), entry.seq, std::move(effect));
}

namespace {
thread_local MemberLookups* current_lookups = nullptr;
}  // namespace

MemberLookups::MemberLookups(const State* state) : state_(state), outer_(current_lookups) {
  current_lookups = this;
}

MemberLookups::~MemberLookups() { current_lookups = outer_; }

const Member* FindMember(const State& state, std::string_view id) {
  MemberLookups* remembered = current_lookups;
  if (remembered == nullptr || remembered->state_ != &state) {
    auto it = state.members.find(id);
    return it == state.members.end() ? nullptr : &it->second;
  }
  if (remembered->member_ != nullptr && remembered->id_ == id) return remembered->member_;
  auto it = state.members.find(id);
  if (it == state.members.end()) return nullptr;
  remembered->id_ = id;
  remembered->member_ = &it->second;
  return remembered->member_;
}

Member* FindMember(State* state, std::string_view id) {
  // The node belongs to *state, which the caller may change.
  return const_cast<Member*>(FindMember(*static_cast<const State*>(state), id));
}

Result<const Member*> ActiveMember(const State& state, const Entry& entry, std::string_view field,
                                   const std::string& member_id) {
  const Member* member = FindMember(state, member_id);
  if (member == nullptr) {
    return Violation(entry, field, "没有编号为“" + member_id + "”的成员",
                     "no member with id \"" + member_id + "\"");
  }
  if (member->status != "active") {
    return Violation(entry, field, "成员“" + member_id + "”状态为 " + member->status + "，不能办理",
                     "member \"" + member_id + "\" is " + member->status + ", not active");
  }
  return member;
}

Status AdoptedResolution(const State& state, const Entry& entry, std::string_view field,
                         const std::string& resolution_id, const std::string& date) {
  auto it = state.resolutions.find(resolution_id);
  if (it == state.resolutions.end()) {
    return Violation(entry, field, "没有编号为“" + resolution_id + "”的决议",
                     "no resolution with id \"" + resolution_id + "\"");
  }
  if (!it->second.adopted) {
    return Violation(entry, field, "决议“" + resolution_id + "”未获通过",
                     "resolution \"" + resolution_id + "\" was not adopted");
  }
  if (it->second.date > date) {
    return Violation(entry, field,
                     "决议“" + resolution_id + "”的日期 " + it->second.date + " 晚于 " + date,
                     "resolution \"" + resolution_id + "\" is dated " + it->second.date +
                         ", after " + date);
  }
  return Status::Ok();
}

Status NeedOrg(const State& state, const Entry& entry) {
  if (state.org.registered) return Status::Ok();
  return Violation(entry, "", "须先登记组织（org.register）",
                   "the organisation must be registered first (org.register)");
}

void MembersAt(const json::Value& body, std::initializer_list<const char*> keys, MemberIds* out) {
  for (const char* key : keys) {
    const json::Value* v = body.Find(key);
    if (v == nullptr || !v->is_string()) continue;
    AddMemberOnce(v->as_string(), out);
  }
}

}  // namespace internal
}  // namespace cunzhang::domain
