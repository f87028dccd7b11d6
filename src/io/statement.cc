// Building a statement: replay the ledger through the rules, keep every entry
// that names the member or changes their record.
#include "cunzhang/statement.h"

#include <algorithm>

#include "cunzhang/money.h"

namespace cunzhang::statement {
namespace {

std::string BodyString(const Entry& entry, const char* key) {
  const json::Value* v = entry.body.Find(key);
  return v != nullptr && v->is_string() ? v->as_string() : "";
}

std::optional<domain::ContributionKind> KindOf(const Entry& entry) {
  static const std::pair<const char*, domain::ContributionKind> kTypes[] = {
      {"contribution.land", domain::ContributionKind::kLand},
      {"contribution.capital", domain::ContributionKind::kCapital},
      {"contribution.goods", domain::ContributionKind::kGoods},
      {"contribution.labour", domain::ContributionKind::kLabour}};
  for (const auto& [type, kind] : kTypes) {
    if (entry.type == type) return kind;
  }
  if (entry.type == "share.transfer") {
    const std::string kind = BodyString(entry, "kind");
    for (size_t k = 0; k < domain::kContributionKinds; ++k) {
      auto ck = static_cast<domain::ContributionKind>(k);
      if (kind == domain::ContributionKindName(ck)) return ck;
    }
  }
  return std::nullopt;
}

void Quantity(const Entry& entry, const domain::State& state, HistoryItem* item) {
  if (entry.type == "contribution.land") {
    item->quantity = BodyString(entry, "mu");
    item->unit = "mu";
  } else if (entry.type == "contribution.labour") {
    item->quantity = BodyString(entry, "workdays");
    item->unit = "workday";
  } else if (const json::Value* fen = entry.body.Find("amount_fen");
             fen != nullptr && fen->is_int()) {
    item->quantity = FormatYuan(Fen{fen->as_int()});
    item->unit = "yuan";
  } else if (entry.type == "share.transfer") {
    item->quantity = BodyString(entry, "shares");
    item->unit = "share";
  } else if (entry.type == "contribution.goods") {
    auto rule = state.valuation_rules.find(BodyString(entry, "rule_id"));
    if (rule != state.valuation_rules.end()) item->quantity = rule->second.description;
  }
}

std::string Counterpart(const Entry& entry, const std::string& member_id) {
  const std::string from = BodyString(entry, "from_member");
  const std::string to = BodyString(entry, "to_member");
  if (from.empty() && to.empty()) return "";
  return from == member_id ? to : from;
}

class Replay {
 public:
  // With `archive` (the ledger's stored effects, complete for every entry it
  // holds), each effect is dropped from memory once applied and read back
  // from the archive if a reversal needs it: the replay's memory does not
  // grow with the ledger.
  Replay(const std::string& member_id, const domain::EffectArchive* archive)
      : member_id_(member_id) {
    state_.archive.archive = archive;
  }

  Status Step(uint64_t seq, std::string_view bytes) {
    Result<Entry> entry = DecodeEntry(bytes);
    if (!entry.ok())
      return Status(entry.status()).AddContext(Where{.entry = static_cast<int64_t>(seq)});
    const domain::Member before = Current();
    Status applied = domain::Apply(&state_, *entry);
    if (!applied.ok()) {
      return Status(Code::kCorruption,
                    "重放账本时第 " + std::to_string(seq) + " 条不符合规则：" + applied.zh(),
                    "entry " + std::to_string(seq) + " breaks the rules on replay: " + applied.en(),
                    applied.where());
    }
    const domain::Member after = Current();
    if (Concerns(*entry) || !(before == after)) Record(*entry, before, after);
    if (state_.archive.archive != nullptr) state_.effects.clear();
    return Status::Ok();
  }

  const domain::State& state() const { return state_; }
  std::vector<HistoryItem> TakeHistory() { return std::move(history_); }

 private:
  domain::Member Current() const {
    auto it = state_.members.find(member_id_);
    return it == state_.members.end() ? domain::Member{} : it->second;
  }

  bool Concerns(const Entry& entry) const {
    std::vector<std::string> touched = domain::MembersTouched(entry);
    if (std::find(touched.begin(), touched.end(), member_id_) != touched.end()) return true;
    return entry.type == "entry.reverse" && TargetIndex(entry).has_value();
  }

  // The history index of the entry a reversal names, when it is the member's.
  std::optional<size_t> TargetIndex(const Entry& entry) const {
    const json::Value* target = entry.body.Find("seq");
    if (target == nullptr || !target->is_int()) return std::nullopt;
    for (size_t i = 0; i < history_.size(); ++i) {
      if (static_cast<int64_t>(history_[i].seq) == target->as_int()) return i;
    }
    return std::nullopt;
  }

  void Record(const Entry& entry, const domain::Member& before, const domain::Member& after) {
    HistoryItem item{.seq = entry.seq,
                     .date = BodyString(entry, "date"),
                     .type = entry.type,
                     .kind = KindOf(entry)};
    Quantity(entry, state_, &item);
    item.capital_fen_delta = after.total_capital_fen() - before.total_capital_fen();
    item.share_units_delta = after.total_share_units() - before.total_share_units();
    item.reserve_fen_delta = after.reserve_fen - before.reserve_fen;
    item.counterpart = Counterpart(entry, member_id_);
    if (before.status != after.status || entry.type == "member.join") item.status = after.status;
    if (entry.type == "entry.reverse") {
      if (std::optional<size_t> target = TargetIndex(entry)) {
        item.reverses = history_[*target].seq;
        item.kind = history_[*target].kind;
        history_[*target].reversed_by = entry.seq;
      }
    }
    history_.push_back(std::move(item));
  }

  std::string member_id_;
  domain::State state_;
  std::vector<HistoryItem> history_;
};

}  // namespace

Result<Statement> Build(Ledger& ledger, const std::string& member_id) {
  const domain::State& stored = ledger.state();
  auto member = stored.members.find(member_id);
  if (member == stored.members.end()) {
    return Status(Code::kNotFound, "账本中没有编号为“" + member_id + "”的成员",
                  "no member with id \"" + member_id + "\" in the ledger");
  }
  Statement st{.origin = ledger.origin(),
               .size = ledger.size(),
               .root = ledger.root(),
               .org_name = stored.org.name,
               .org_kind = stored.org.kind,
               .member = member->second};
  for (const auto& [id, m] : stored.members) st.all_share_units += m.total_share_units();
  // The ledger's own state holds effects only when they have no rows yet (a
  // ledger of an older layout, opened read-only): then the replay keeps its own.
  const bool archived = stored.archive.archive != nullptr && stored.effects.empty();
  Replay replay(member_id, archived ? stored.archive.archive : nullptr);
  Status failed;
  CZ_RETURN_IF_ERROR(ledger.Scan(0, st.size, [&](uint64_t seq, std::string_view bytes) {
    failed = replay.Step(seq, bytes);
    return failed.ok();
  }));
  CZ_RETURN_IF_ERROR(failed);
  auto replayed = replay.state().members.find(member_id);
  if (replayed == replay.state().members.end() || !(replayed->second == st.member)) {
    return Status(
        Code::kCorruption, "重放账本得到的成员记录与账本保存的不一致",
        "replaying the ledger gives a different record of the member than the stored state");
  }
  st.history = replay.TakeHistory();
  return st;
}

std::string PercentOfShares(const Statement& st) {
  constexpr int64_t kHundredAtScale4 = 100 * 10000;
  if (st.all_share_units <= 0) return FormatFixedUnits(0, 4);
  Result<int64_t> p =
      MulDivFloor(st.member.total_share_units(), kHundredAtScale4, st.all_share_units, "");
  return FormatFixedUnits(p.ok() ? *p : 0, 4);
}

}  // namespace cunzhang::statement
