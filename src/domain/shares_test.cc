// share.transfer, share.inherit and share.exit through Apply: shares move with
// their capital pro rata, rounded down to the fen, posted through 301 member
// lines; the heir takes everything; a leaving member is paid capital plus
// reserve share. Apply itself checks the trial balance and that members'
// capital equals 301 after each entry.
#include <catch2/catch.hpp>

#include "coop_test_util.h"

namespace cunzhang::domain::testing {
namespace {

const std::string kM1 = MemberId(1);
const std::string kM2 = MemberId(2);
const std::string kM3 = MemberId(3);

Coop WithDecision(const CoopOptions& o = {}) {
  Coop c = Founded(o);
  c.Accept("resolution.record", Resolution("R2021-06", "2021-06-01"));
  return c;
}

Json InheritBody(const std::string& from, const std::string& to,
                 const std::string& resolution = "R2021-06") {
  return {{"from_member", from},
          {"to_member", to},
          {"date", "2021-06-10"},
          {"resolution_id", resolution}};
}

Json ExitBody(const std::string& member, const std::string& resolution = "R2021-06") {
  return {{"member_id", member}, {"date", "2021-06-10"}, {"resolution_id", resolution}};
}

TEST_CASE("a transfer moves shares and their capital pro rata, rounded down to the fen",
          "[shares][transfer]") {
  Coop c = Founded({.share_price_fen = 300});
  c.Accept("contribution.capital", CapitalBody(kM1, 100000));  // 333.3333 shares
  uint64_t seq = c.Accept("share.transfer", TransferBody(kM1, kM2, "capital", "1"));
  // 1 of 333.3333 shares carries floor(1000 yuan / 333.3333) = 3.00 yuan.
  CHECK(c.holding(kM1, ContributionKind::kCapital) == Holding{3'323'333, 99'700});
  CHECK(c.holding(kM2, ContributionKind::kCapital) == Holding{10'000, 300});
  CHECK(c.balance("301") == -100000);
  const Effect& effect = c.state.effects.at(seq);
  REQUIRE(effect.postings.size() == 2);
  CHECK(effect.postings[0] == Posting{"301", 300, 0, kM1});
  CHECK(effect.postings[1] == Posting{"301", 0, 300, kM2});
  // Moving every remaining share moves every remaining fen.
  c.Accept("share.transfer", TransferBody(kM1, kM2, "capital", "332.3333"));
  CHECK(c.holding(kM1, ContributionKind::kCapital) == Holding{0, 0});
  CHECK(c.holding(kM2, ContributionKind::kCapital) == Holding{3'333'333, 100'000});
}

TEST_CASE("pro-rata capital is rounded down, and the fen left over stay with the sender",
          "[shares][transfer]") {
  Coop c = Founded();
  c.Accept("valuation.rule", {{"rule_id", "price-3"},
                              {"kind", "share_price"},
                              {"effective_from", "2021-05-01"},
                              {"resolution_id", "R2021-01"},
                              {"fen_per_share", 300}});
  c.Accept("contribution.capital", CapitalBody(kM1, 100, "2021-04-01"));  // 1.0000 share
  c.Accept("contribution.capital", CapitalBody(kM1, 100, "2021-06-01"));  // 0.3333 share
  REQUIRE(c.holding(kM1, ContributionKind::kCapital) == Holding{13'333, 200});
  // 200 fen × 6666 / 13333 = 99.99 fen: 99 move, 101 stay.
  c.Accept("share.transfer", TransferBody(kM1, kM2, "capital", "0.6666"));
  CHECK(c.holding(kM2, ContributionKind::kCapital) == Holding{6'666, 99});
  CHECK(c.holding(kM1, ContributionKind::kCapital) == Holding{6'667, 101});
}

TEST_CASE("transferring more shares than held is refused", "[shares][transfer]") {
  Coop c = Founded({.share_price_fen = 300});
  c.Accept("contribution.capital", CapitalBody(kM1, 100000));
  Status s = c.Refuse("share.transfer", TransferBody(kM1, kM2, "capital", "333.3334"));
  CHECK(s.code() == Code::kRuleViolation);
  CHECK(s.where().field == "body.shares");
  CHECK(s.en() == "member M001 holds 333.3333 capital shares, cannot transfer 333.3334");
  CHECK(s.zh() == "成员 M001 持有资金股 333.3333 股，不能转让 333.3334 股");
  Status other_kind = c.Refuse("share.transfer", TransferBody(kM1, kM2, "land", "1"));
  CHECK(other_kind.where().field == "body.shares");
  Status zero = c.Refuse("share.transfer", TransferBody(kM1, kM2, "capital", "0"));
  CHECK(zero.where().field == "body.shares");
  Status places = c.Refuse("share.transfer", TransferBody(kM1, kM2, "capital", "1.00001"));
  CHECK(places.en() == "\"1.00001\" has more than 4 decimals");
}

TEST_CASE("a transfer too small to carry one fen is refused", "[shares][transfer]") {
  Coop c = Founded({.share_price_fen = 300});
  c.Accept("contribution.capital", CapitalBody(kM1, 100));  // 0.3333 share
  Status s = c.Refuse("share.transfer", TransferBody(kM1, kM2, "capital", "0.0001"));
  CHECK(s.where().field == "body.shares");
}

TEST_CASE("a transfer needs two different active members and an adopted resolution if named",
          "[shares][transfer]") {
  Coop c = WithDecision();
  c.Accept("contribution.capital", CapitalBody(kM1, 100000));
  CHECK(c.Refuse("share.transfer", TransferBody(kM1, kM1, "capital", "1")).where().field ==
        "body.to_member");
  CHECK(c.Refuse("share.transfer", TransferBody(kM1, "M404", "capital", "1")).where().field ==
        "body.to_member");
  CHECK(c.Refuse("share.transfer", TransferBody("M404", kM2, "capital", "1")).where().field ==
        "body.from_member");
  Json unknown = TransferBody(kM1, kM2, "capital", "1");
  unknown["resolution_id"] = "R-none";
  CHECK(c.Refuse("share.transfer", unknown).where().field == "body.resolution_id");
  Json decided = TransferBody(kM1, kM2, "capital", "1");
  decided["resolution_id"] = "R2021-06";
  c.Accept("share.transfer", decided);
  c.Accept("member.status", {{"member_id", kM3},
                             {"status", "exited"},
                             {"date", "2021-06-02"},
                             {"resolution_id", "R2021-06"}});
  CHECK(c.Refuse("share.transfer", TransferBody(kM1, kM3, "capital", "1")).en() ==
        "member \"M003\" is exited, not active");
}

TEST_CASE("a transfer that would put the recipient over the cap is refused",
          "[shares][transfer][cap]") {
  Coop c = Founded();
  c.Accept("contribution.capital", CapitalBody(kM1, 20'000'000));
  c.Accept("contribution.capital", CapitalBody(kM2, 20'000'000));
  Status s = c.Refuse("share.transfer", TransferBody(kM1, kM2, "capital", "100"));
  CHECK(s.where().field == "body.to_member");
  CHECK(s.en() == "member M002 would hold 20.01% of capital, over the cap of 20.00%");
  c.Accept("share.transfer", TransferBody(kM2, kM3, "capital", "100"));
}

TEST_CASE("an heir takes every holding of every kind; the member is marked deceased",
          "[shares][inherit]") {
  Coop c = WithDecision();
  c.Accept("contribution.land", LandBody(kM1, "11"));
  c.Accept("contribution.capital", CapitalBody(kM1, 150000));
  c.Accept("contribution.labour", LabourBody(kM2, "2"));
  uint64_t seq = c.Accept("share.inherit", InheritBody(kM1, kM2));
  CHECK(c.member(kM1).status == "deceased");
  CHECK(c.member(kM1).total_capital_fen() == 0);
  CHECK(c.member(kM1).total_share_units() == 0);
  CHECK(c.holding(kM2, ContributionKind::kLand) == Holding{880'000'000, 8'800'000});
  CHECK(c.holding(kM2, ContributionKind::kCapital) == Holding{15'000'000, 150'000});
  CHECK(c.holding(kM2, ContributionKind::kLabour) == Holding{2'400'000, 24'000});
  CHECK(c.balance("301") == -(8'800'000 + 150'000 + 24'000));
  const Effect& effect = c.state.effects.at(seq);
  CHECK(effect.postings.size() == 4);  // land and capital, a debit and a credit each
  CHECK(effect.deltas.size() == 4);
  Status again = c.Refuse("share.inherit", InheritBody(kM1, kM3));
  CHECK(again.where().field == "body.from_member");
  Status deceased = c.Refuse("contribution.capital", CapitalBody(kM1, 100));
  CHECK(deceased.en() == "member \"M001\" is deceased, not active");
}

TEST_CASE("inheritance is refused without a resolution, to oneself, of nothing, or over the cap",
          "[shares][inherit]") {
  Coop c = WithDecision();
  c.Accept("contribution.capital", CapitalBody(kM1, 15'000'000));
  c.Accept("contribution.capital", CapitalBody(kM2, 10'000'000));
  CHECK(c.Refuse("share.inherit", InheritBody(kM1, kM3, "R-none")).where().field ==
        "body.resolution_id");
  CHECK(c.Refuse("share.inherit", InheritBody(kM1, kM1)).where().field == "body.to_member");
  CHECK(c.Refuse("share.inherit", InheritBody(kM3, kM1)).where().field == "body.from_member");
  Status cap = c.Refuse("share.inherit", InheritBody(kM1, kM2));
  CHECK(cap.en() == "member M002 would hold 25.00% of capital, over the cap of 20.00%");
  c.Accept("share.inherit", InheritBody(kM1, kM3));
  CHECK(c.member(kM3).total_capital_fen() == 15'000'000);
}

TEST_CASE("an heir also takes the deceased member's reserve share", "[shares][inherit]") {
  Coop c = WithDecision();
  c.Accept("contribution.capital", CapitalBody(kM1, 100000));
  c.state.members.at(kM1).reserve_fen = 7000;  // as a year's distribution would allocate
  c.Accept("share.inherit", InheritBody(kM1, kM2));
  CHECK(c.member(kM2).reserve_fen == 7000);
  CHECK(c.member(kM1).reserve_fen == 0);
}

TEST_CASE("an exit pays capital plus reserve share and marks the member exited", "[shares][exit]") {
  Coop c = WithDecision();
  c.Accept("contribution.land", LandBody(kM1, "11"));
  c.Accept("contribution.capital", CapitalBody(kM1, 150000));
  // A reserve share of 500 yuan, allocated out of 盈余公积 (as a distribution would).
  c.state.members.at(kM1).reserve_fen = 50000;
  c.state.account_balances["322"] -= 50000;
  c.state.account_balances["102"] += 50000;
  uint64_t seq = c.Accept("share.exit", ExitBody(kM1));
  const Member& m = c.member(kM1);
  CHECK(m.status == "exited");
  CHECK(m.total_capital_fen() == 0);
  CHECK(m.total_share_units() == 0);
  CHECK(m.reserve_fen == 0);
  CHECK(c.balance("301") == 0);
  CHECK(c.balance("322") == 0);
  CHECK(c.balance("114") == -(8'800'000 + 150'000 + 50'000));
  const Effect& effect = c.state.effects.at(seq);
  REQUIRE(effect.postings.size() == 3);
  CHECK(effect.postings[0] == Posting{"301", 8'950'000, 0, kM1});
  CHECK(effect.postings[1] == Posting{"322", 50'000, 0, kM1});
  CHECK(effect.postings[2] == Posting{"114", 0, 9'000'000, kM1});
  Status twice = c.Refuse("share.exit", ExitBody(kM1));
  CHECK(twice.where().field == "body.member_id");
  CHECK(twice.en() == "member \"M001\" is already exited");
}

TEST_CASE("a suspended member can still be paid out and leave", "[shares][exit]") {
  Coop c = WithDecision();
  c.Accept("contribution.capital", CapitalBody(kM1, 100000));
  c.Accept("member.status", {{"member_id", kM1},
                             {"status", "suspended"},
                             {"date", "2021-06-02"},
                             {"resolution_id", "R2021-06"}});
  c.Accept("share.exit", ExitBody(kM1));
  CHECK(c.member(kM1).status == "exited");
  CHECK(c.balance("114") == -100000);
}

TEST_CASE("a collective's exit pays through 113 and 311", "[shares][exit]") {
  Coop c = WithDecision({.kind = "collective"});
  c.Accept("contribution.capital", CapitalBody(kM1, 100000));
  c.state.members.at(kM1).reserve_fen = 1000;
  c.state.account_balances["311"] -= 1000;
  c.state.account_balances["102"] += 1000;
  c.Accept("share.exit", ExitBody(kM1));
  CHECK(c.balance("113") == -101000);
  CHECK(c.balance("311") == 0);
}

TEST_CASE("an exit needs a resolution and a payout account other than 301", "[shares][exit]") {
  Coop c = WithDecision();
  c.Accept("contribution.capital", CapitalBody(kM1, 100000));
  CHECK(c.Refuse("share.exit", ExitBody(kM1, "R-none")).where().field == "body.resolution_id");
  Json into_capital = ExitBody(kM1);
  into_capital["pay_account"] = "301";
  CHECK(c.Refuse("share.exit", into_capital).where().field == "body.pay_account");
  Json unknown = ExitBody(kM1);
  unknown["pay_account"] = "999";
  CHECK(c.Refuse("share.exit", unknown).where().field == "body.pay_account");
  Json cash = ExitBody(kM1);
  cash["pay_account"] = "101";
  c.Accept("share.exit", cash);
  CHECK(c.balance("101") == -100000);
  // A member holding nothing simply leaves.
  c.Accept("share.exit", ExitBody(kM2));
  CHECK(c.member(kM2).status == "exited");
}

TEST_CASE("share entries name the members they concern", "[shares]") {
  Entry transfer{.type = "share.transfer", .body = ToValue(TransferBody(kM1, kM2, "land", "1"))};
  CHECK(MembersTouched(transfer) == std::vector<std::string>{kM1, kM2});
  Entry inherit{.type = "share.inherit", .body = ToValue(InheritBody(kM1, kM3))};
  CHECK(MembersTouched(inherit) == std::vector<std::string>{kM1, kM3});
  Entry leave{.type = "share.exit", .body = ToValue(ExitBody(kM2))};
  CHECK(MembersTouched(leave) == std::vector<std::string>{kM2});
}

}  // namespace
}  // namespace cunzhang::domain::testing
