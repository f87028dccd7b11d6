// The share register. share.transfer moves shares of one kind, with the
// capital booked for them, between two active members; share.inherit moves
// everything a deceased member held to the heir; share.exit pays a leaving
// member's capital and reserve share back (Farmers' Cooperative Law art. 28).
// Capital follows shares pro rata, rounded down to the fen, so the fen a
// member keeps plus the fen that move always equal what was booked.
#include "shares.h"

#include <algorithm>

#include <boost/container/small_vector.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#include <map>
#include <utility>

#include "books.h"
#include "internal.h"
#include "valuation.h"

namespace cunzhang::domain::internal {
namespace {

using boost::multiprecision::int128_t;

std::string SharesText(int64_t units) { return FormatFixedUnits(units, Shares::kScale); }
std::string YuanText(int64_t fen) { return FormatYuan(Fen{fen}); }

Result<uint8_t> KindAt(const Entry& entry, std::string_view key) {
  CZ_ASSIGN_OR_RETURN(std::string name, Str(entry, key));
  for (uint8_t k = 0; k < kContributionKinds; ++k) {
    if (name == ContributionKindName(static_cast<ContributionKind>(k))) return k;
  }
  return Violation(entry, key, "未知的股份种类“" + name + "”",
                   "unknown kind of shares \"" + name + "\"");
}

Status NotSelf(const Entry& entry, const std::string& from, const std::string& to) {
  if (from != to) return Status::Ok();
  return Violation(entry, "to_member", "转出与转入是同一成员“" + to + "”",
                   "from_member and to_member are the same member \"" + to + "\"");
}

// Capital that q of `held`'s units carry: pro rata, rounded down; all of it
// when every unit moves.
Result<int64_t> CapitalFor(const Entry& entry, const Holding& held, int64_t units) {
  if (units == held.share_units) return held.capital_fen;
  return MulDivAt(entry, "shares", held.capital_fen, units, held.share_units);
}

Status Transfer(State* state, const Entry& entry) {
  CZ_RETURN_IF_ERROR(NeedOrg(*state, entry));
  CZ_ASSIGN_OR_RETURN(std::string from_id, Str(entry, "from_member"));
  CZ_ASSIGN_OR_RETURN(std::string to_id, Str(entry, "to_member"));
  CZ_ASSIGN_OR_RETURN(std::string date, Date(entry, "date"));
  CZ_ASSIGN_OR_RETURN(uint8_t kind, KindAt(entry, "kind"));
  CZ_RETURN_IF_ERROR(NotSelf(entry, from_id, to_id));
  CZ_ASSIGN_OR_RETURN(const Member* from, ActiveMember(*state, entry, "from_member", from_id));
  CZ_RETURN_IF_ERROR(ActiveMember(*state, entry, "to_member", to_id).status());
  std::string resolution = StrOr(entry, "resolution_id", "");
  if (entry.body.Find("resolution_id") != nullptr) {
    CZ_RETURN_IF_ERROR(AdoptedResolution(*state, entry, "resolution_id", resolution, date));
  }
  CZ_ASSIGN_OR_RETURN(int64_t units, PositiveDecimal(entry, "shares", Shares::kScale));
  const Holding& held = from->holdings[kind];
  if (units > held.share_units) {
    return Violation(entry, "shares",
                     "成员 " + from_id + " 持有" + KindZh(kind) + " " +
                         SharesText(held.share_units) + " 股，不能转让 " + SharesText(units) +
                         " 股",
                     "member " + from_id + " holds " + SharesText(held.share_units) + " " +
                         ContributionKindName(static_cast<ContributionKind>(kind)) +
                         " shares, cannot transfer " + SharesText(units));
  }
  CZ_ASSIGN_OR_RETURN(int64_t capital, CapitalFor(entry, held, units));
  if (capital <= 0) {
    return Violation(
        entry, "shares", SharesText(units) + " 股对应的股金不足 1 分，不能单独转让",
        SharesText(units) + " shares carry less than 1 fen of capital and cannot move alone");
  }
  std::vector<HoldingDelta> deltas = {{from_id, kind, -units, -capital},
                                      {to_id, kind, units, capital}};
  std::vector<Posting> postings = {{books::kContributedCapital, capital, 0, from_id},
                                   {books::kContributedCapital, 0, capital, to_id}};
  CZ_RETURN_IF_ERROR(CheckDeltas(*state, entry, "shares", deltas));
  CZ_RETURN_IF_ERROR(CheckCapAfter(*state, entry, "to_member", deltas));
  CZ_RETURN_IF_ERROR(CheckPostingsAt(*state, entry, "shares", postings));
  ApplyDeltas(state, deltas);
  books::Post(state, postings);
  RecordEffect(state, entry,
               Effect{.type = entry.type,
                      .deltas = std::move(deltas),
                      .postings = std::move(postings)});
  return Status::Ok();
}

// Every holding of `member` moving to `to_id`: deltas and the 301 lines.
void MoveAll(const Member& member, const std::string& to_id, std::vector<HoldingDelta>* deltas,
             std::vector<Posting>* postings) {
  for (uint8_t k = 0; k < kContributionKinds; ++k) {
    const Holding& h = member.holdings[k];
    if (h.share_units == 0 && h.capital_fen == 0) continue;
    deltas->push_back({member.id, k, -h.share_units, -h.capital_fen});
    deltas->push_back({to_id, k, h.share_units, h.capital_fen});
    if (h.capital_fen == 0) continue;
    postings->push_back({books::kContributedCapital, h.capital_fen, 0, member.id});
    postings->push_back({books::kContributedCapital, 0, h.capital_fen, to_id});
  }
}

// A member who still has a share account: active or suspended, not yet
// exited or deceased.
Result<const Member*> LivingMember(const State& state, const Entry& entry, std::string_view field,
                                   const std::string& id) {
  auto it = state.members.find(id);
  if (it == state.members.end()) {
    return Violation(entry, field, "没有编号为“" + id + "”的成员",
                     "no member with id \"" + id + "\"");
  }
  const std::string& status = it->second.status;
  if (status == "exited" || status == "deceased") {
    return Violation(entry, field, "成员“" + id + "”已" + (status == "exited" ? "退社" : "去世"),
                     "member \"" + id + "\" is already " + status);
  }
  return &it->second;
}

Status Inherit(State* state, const Entry& entry) {
  CZ_RETURN_IF_ERROR(NeedOrg(*state, entry));
  CZ_ASSIGN_OR_RETURN(std::string from_id, Str(entry, "from_member"));
  CZ_ASSIGN_OR_RETURN(std::string to_id, Str(entry, "to_member"));
  CZ_ASSIGN_OR_RETURN(std::string date, Date(entry, "date"));
  CZ_ASSIGN_OR_RETURN(std::string resolution, Str(entry, "resolution_id"));
  CZ_RETURN_IF_ERROR(NotSelf(entry, from_id, to_id));
  CZ_ASSIGN_OR_RETURN(const Member* from, LivingMember(*state, entry, "from_member", from_id));
  CZ_ASSIGN_OR_RETURN(const Member* to, ActiveMember(*state, entry, "to_member", to_id));
  CZ_RETURN_IF_ERROR(AdoptedResolution(*state, entry, "resolution_id", resolution, date));
  std::vector<HoldingDelta> deltas;
  std::vector<Posting> postings;
  MoveAll(*from, to_id, &deltas, &postings);
  if (deltas.empty() && from->reserve_fen == 0) {
    return Violation(
        entry, "from_member",
        "成员 " + from_id + " 没有股份或公积金份额可继承；去世请用 member.status 记录",
        "member " + from_id +
            " holds no shares or reserve to inherit; record the death with member.status");
  }
  CZ_ASSIGN_OR_RETURN(int64_t reserve,
                      AddAt(entry, "to_member", to->reserve_fen, from->reserve_fen));
  CZ_RETURN_IF_ERROR(CheckDeltas(*state, entry, "from_member", deltas));
  CZ_RETURN_IF_ERROR(CheckCapAfter(*state, entry, "to_member", deltas));
  CZ_RETURN_IF_ERROR(CheckPostingsAt(*state, entry, "from_member", postings));
  ApplyDeltas(state, deltas);
  books::Post(state, postings);
  state->members[to_id].reserve_fen = reserve;
  Member& deceased = state->members[from_id];
  deceased.reserve_fen = 0;
  deceased.status = "deceased";
  RecordEffect(state, entry,
               Effect{.type = entry.type,
                      .deltas = std::move(deltas),
                      .postings = std::move(postings)});
  return Status::Ok();
}

// What a leaving member is paid: Dr 301 capital, Dr the reserve account for
// the reserve share, Cr pay_account the total.
struct Payout {
  std::vector<HoldingDelta> deltas;
  std::vector<Posting> postings;
};

Result<Payout> ExitPayout(const State& state, const Entry& entry, const Member& m,
                          const std::string& pay_account) {
  Payout out;
  for (uint8_t k = 0; k < kContributionKinds; ++k) {
    const Holding& h = m.holdings[k];
    if (h.share_units != 0 || h.capital_fen != 0) {
      out.deltas.push_back({m.id, k, -h.share_units, -h.capital_fen});
    }
  }
  int64_t capital = m.total_capital_fen();
  int64_t reserve = m.reserve_fen > 0 ? m.reserve_fen : 0;
  CZ_ASSIGN_OR_RETURN(int64_t total, AddAt(entry, "member_id", capital, reserve));
  const char* reserve_account = state.org.kind == "cooperative" ? "322" : "311";
  if (capital > 0) out.postings.push_back({books::kContributedCapital, capital, 0, m.id});
  if (reserve > 0) out.postings.push_back({reserve_account, reserve, 0, m.id});
  if (total > 0) out.postings.push_back({pay_account, 0, total, m.id});
  return out;
}

Status PayAccountFits(const State& state, const Entry& entry, const std::string& account) {
  if (account == books::kContributedCapital) {
    return Violation(entry, "pay_account", "退股款不能记入 301 科目",
                     "the payout cannot be credited to 301");
  }
  if (books::FindAccount(state.org.chart, account) == nullptr) {
    return Violation(entry, "pay_account",
                     "科目 " + account + " 不在 " + state.org.chart + " 科目表中",
                     "account " + account + " is not in the " + state.org.chart + " chart");
  }
  return Status::Ok();
}

Status Exit(State* state, const Entry& entry) {
  CZ_RETURN_IF_ERROR(NeedOrg(*state, entry));
  CZ_ASSIGN_OR_RETURN(std::string id, Str(entry, "member_id"));
  CZ_ASSIGN_OR_RETURN(std::string date, Date(entry, "date"));
  CZ_ASSIGN_OR_RETURN(std::string resolution, Str(entry, "resolution_id"));
  CZ_ASSIGN_OR_RETURN(const Member* m, LivingMember(*state, entry, "member_id", id));
  CZ_RETURN_IF_ERROR(AdoptedResolution(*state, entry, "resolution_id", resolution, date));
  std::string pay = StrOr(entry, "pay_account", state->org.kind == "cooperative" ? "114" : "113");
  CZ_RETURN_IF_ERROR(PayAccountFits(*state, entry, pay));
  CZ_ASSIGN_OR_RETURN(Payout payout, ExitPayout(*state, entry, *m, pay));
  CZ_RETURN_IF_ERROR(CheckDeltas(*state, entry, "member_id", payout.deltas));
  CZ_RETURN_IF_ERROR(CheckPostingsAt(*state, entry, "member_id", payout.postings));
  ApplyDeltas(state, payout.deltas);
  books::Post(state, payout.postings);
  Member& leaving = state->members[id];
  leaving.reserve_fen = 0;
  leaving.status = "exited";
  RecordEffect(state, entry,
               Effect{.type = entry.type,
                      .deltas = std::move(payout.deltas),
                      .postings = std::move(payout.postings)});
  return Status::Ok();
}

void FromTo(const json::Value& body, MemberIds* out) { MembersAt(body, {"from_member", "to_member"}, out); }
void MemberOf(const json::Value& body, MemberIds* out) { MembersAt(body, {"member_id"}, out); }

}  // namespace

const char* KindZh(uint8_t kind) {
  static constexpr const char* kNames[kContributionKinds] = {"土地股", "资金股", "实物股",
                                                             "劳动股"};
  return kind < kContributionKinds ? kNames[kind] : "?";
}

Result<int64_t> AddAt(const Entry& entry, std::string_view field, int64_t a, int64_t b) {
  int64_t out = 0;
  if (!__builtin_add_overflow(a, b, &out)) return out;
  return Violation(entry, field, "金额或股数超出范围", "amount or share count out of range");
}

Result<int64_t> MulDivAt(const Entry& entry, std::string_view field, int64_t a, int64_t b,
                         int64_t c) {
  // The field is named by the violation below, not by MulDivFloor's error:
  // no name is built on the common path.
  Result<int64_t> out = MulDivFloor(a, b, c, std::string());
  if (out.ok()) return out;
  return Violation(entry, field, "金额或股数超出范围", "amount or share count out of range");
}

int64_t ContributedCapital(const State& state) {
  auto it = state.account_balances.find(books::kContributedCapital);
  return it == state.account_balances.end() ? 0 : -it->second;
}

Status CheckDeltas(const State& state, const Entry& entry, std::string_view field,
                   const std::vector<HoldingDelta>& deltas) {
  // Each (member, kind) holding after the deltas so far; an entry has one or
  // two deltas, so a vector searched in order, not a map.
  struct After {
    const std::string* member_id;
    uint8_t kind;
    Holding holding;
  };
  // On the stack for the one or two deltas of an entry (no allocation).
  boost::container::small_vector<After, 4> after;
  for (const HoldingDelta& d : deltas) {
    const Member* member = FindMember(state, d.member_id);
    if (member == nullptr || d.kind >= kContributionKinds) {
      return Violation(entry, field, "没有编号为“" + d.member_id + "”的成员",
                       "no member with id \"" + d.member_id + "\"");
    }
    auto it = std::find_if(after.begin(), after.end(), [&](const After& a) {
      return a.kind == d.kind && *a.member_id == d.member_id;
    });
    if (it == after.end()) {
      after.push_back(After{&d.member_id, d.kind, member->holdings[d.kind]});
      it = std::prev(after.end());
    }
    Holding before = it->holding;
    CZ_ASSIGN_OR_RETURN(it->holding.share_units,
                        AddAt(entry, field, before.share_units, d.share_units));
    CZ_ASSIGN_OR_RETURN(it->holding.capital_fen,
                        AddAt(entry, field, before.capital_fen, d.capital_fen));
    if (it->holding.share_units < 0 || it->holding.capital_fen < 0) {
      const char* kind_en = ContributionKindName(static_cast<ContributionKind>(d.kind));
      return Violation(entry, field,
                       "成员 " + d.member_id + " 持有" + KindZh(d.kind) + " " +
                           SharesText(before.share_units) + " 股（" + YuanText(before.capital_fen) +
                           " 元），不足以减少 " + SharesText(-d.share_units) + " 股（" +
                           YuanText(-d.capital_fen) + " 元）",
                       "member " + d.member_id + " holds " + SharesText(before.share_units) + " " +
                           kind_en + " shares (" + YuanText(before.capital_fen) +
                           " yuan), fewer than the " + SharesText(-d.share_units) + " shares (" +
                           YuanText(-d.capital_fen) + " yuan) to take away");
    }
  }
  return Status::Ok();
}

void ApplyDeltas(State* state, const std::vector<HoldingDelta>& deltas) {
  for (const HoldingDelta& d : deltas) {
    Member* member = FindMember(state, d.member_id);
    Holding& h = (member != nullptr ? *member : state->members[d.member_id]).holdings[d.kind];
    h.share_units += d.share_units;
    h.capital_fen += d.capital_fen;
  }
}

Status CheckCap(const State& state, const Entry& entry, std::string_view field,
                const std::string& member_id, int64_t member_capital_fen,
                int64_t total_capital_fen) {
  int64_t base = std::max(state.org.registered_capital_fen, total_capital_fen);
  int128_t held = int128_t(member_capital_fen) * 10000;
  if (member_capital_fen <= 0 || held <= int128_t(state.org.member_cap_bp) * base) {
    return Status::Ok();
  }
  // Rounded up, so an excess of a hair never prints as exactly the cap.
  int64_t held_bp = static_cast<int64_t>((held + base - 1) / base);
  std::string pct = FormatFixedUnits(held_bp, 2);
  std::string cap = FormatFixedUnits(state.org.member_cap_bp, 2);
  return Violation(
      entry, field, "成员 " + member_id + " 将持有股金的 " + pct + "%，超过上限 " + cap + "%",
      "member " + member_id + " would hold " + pct + "% of capital, over the cap of " + cap + "%");
}

Status CheckCapAfter(const State& state, const Entry& entry, std::string_view field,
                     const std::vector<HoldingDelta>& deltas) {
  // Each member's change in capital (a vector: one or two members), checked
  // in member id order.
  boost::container::small_vector<std::pair<const std::string*, int64_t>, 4> change;
  int64_t total = ContributedCapital(state);
  for (const HoldingDelta& d : deltas) {
    auto it = std::find_if(change.begin(), change.end(),
                           [&](const auto& c) { return *c.first == d.member_id; });
    if (it == change.end()) {
      change.emplace_back(&d.member_id, 0);
      it = std::prev(change.end());
    }
    CZ_ASSIGN_OR_RETURN(it->second, AddAt(entry, field, it->second, d.capital_fen));
    CZ_ASSIGN_OR_RETURN(total, AddAt(entry, field, total, d.capital_fen));
  }
  std::sort(change.begin(), change.end(),
            [](const auto& a, const auto& b) { return *a.first < *b.first; });
  for (const auto& [id, delta] : change) {
    if (delta <= 0) continue;
    const Member* member = FindMember(state, *id);
    if (member == nullptr) continue;
    CZ_ASSIGN_OR_RETURN(int64_t after, AddAt(entry, field, member->total_capital_fen(), delta));
    CZ_RETURN_IF_ERROR(CheckCap(state, entry, field, *id, after, total));
  }
  return Status::Ok();
}

Status CheckPostingsAt(const State& state, const Entry& entry, std::string_view field,
                       const std::vector<Posting>& postings) {
  Status status = books::CheckPostings(state, entry, field, postings);
  if (!status.ok()) status.mutable_where().field = "body." + std::string(field);
  return status;
}

std::vector<TypeSpec> ShareTypes() {
  return {{"share.transfer", Transfer, FromTo},
          {"share.inherit", Inherit, FromTo},
          {"share.exit", Exit, MemberOf}};
}

}  // namespace cunzhang::domain::internal
