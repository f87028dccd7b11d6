// entry.reverse: the only way to correct the register. Nothing is edited in
// place; a reversal names the entry it undoes and undoes exactly what that
// entry did (its recorded Effect): the holdings, the postings (debit and
// credit swapped), and a goods appraisal it consumed. Contributions and share
// transfers can be reversed, each once; inheritance and exit cannot.
#include <string>

#include "books.h"
#include "internal.h"
#include "shares.h"

namespace cunzhang::domain::internal {
namespace {

bool Reversible(const std::string& type) {
  return type.starts_with("contribution.") || type == "share.transfer";
}

Result<Effect> Target(const State& state, const Entry& entry, int64_t seq) {
  std::string n = std::to_string(seq);
  if (seq < 0 || static_cast<uint64_t>(seq) >= state.entries) {
    return Violation(entry, "seq", "账本中没有第 " + n + " 号条目",
                     "there is no entry " + n + " in the ledger");
  }
  CZ_ASSIGN_OR_RETURN(std::optional<Effect> found, FindEffect(state, static_cast<uint64_t>(seq)));
  if (!found) {
    return Violation(
        entry, "seq", "第 " + n + " 号条目不是入股或股份转让，不能撤销",
        "entry " + n + " is not a contribution or share transfer and cannot be reversed");
  }
  if (!Reversible(found->type)) {
    return Violation(entry, "seq", "第 " + n + " 号条目（" + found->type + "）不能撤销",
                     "entry " + n + " (" + found->type + ") cannot be reversed");
  }
  if (state.reversed.contains(static_cast<uint64_t>(seq))) {
    return Violation(entry, "seq", "第 " + n + " 号条目已经撤销过",
                     "entry " + n + " was already reversed");
  }
  return std::move(*found);
}

std::vector<HoldingDelta> Negated(const std::vector<HoldingDelta>& deltas) {
  std::vector<HoldingDelta> out = deltas;
  for (HoldingDelta& d : out) {
    d.share_units = -d.share_units;
    d.capital_fen = -d.capital_fen;
  }
  return out;
}

// The holdings the target added must still be there to take back.
Status StillHeld(const State& state, const Entry& entry, int64_t seq,
                 const std::vector<HoldingDelta>& undo) {
  Status held = CheckDeltas(state, entry, "seq", undo);
  if (held.ok()) return held;
  std::string n = std::to_string(seq);
  return Violation(entry, "seq", "不能撤销第 " + n + " 号条目：" + held.zh() + "（股份此后已转出）",
                   "cannot reverse entry " + n + ": " + held.en() + " (the shares moved on since)");
}

Status Reverse(State* state, const Entry& entry) {
  CZ_RETURN_IF_ERROR(NeedOrg(*state, entry));
  CZ_ASSIGN_OR_RETURN(int64_t seq, Int(entry, "seq"));
  CZ_RETURN_IF_ERROR(Date(entry, "date").status());
  CZ_ASSIGN_OR_RETURN(std::string reason, Str(entry, "reason"));
  if (reason.empty()) return Violation(entry, "reason", "须写明撤销原因", "a reason is required");
  CZ_ASSIGN_OR_RETURN(Effect effect, Target(*state, entry, seq));
  std::vector<HoldingDelta> undo = Negated(effect.deltas);
  std::vector<Posting> postings = books::Reversed(effect.postings);
  CZ_RETURN_IF_ERROR(StillHeld(*state, entry, seq, undo));
  CZ_RETURN_IF_ERROR(CheckCapAfter(*state, entry, "seq", undo));
  CZ_RETURN_IF_ERROR(CheckPostingsAt(*state, entry, "seq", postings));
  ApplyDeltas(state, undo);
  books::Post(state, postings);
  if (!effect.valuation_rule_id.empty()) state->valuation_rules[effect.valuation_rule_id].used = false;
  state->reversed.insert(static_cast<uint64_t>(seq));
  return Status::Ok();
}

}  // namespace

std::vector<TypeSpec> CorrectionTypes() { return {{"entry.reverse", Reverse, nullptr}}; }

}  // namespace cunzhang::domain::internal
