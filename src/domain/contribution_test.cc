// The four kinds of contribution through Apply: each converted exactly (value
// in fen rounded down once, shares rounded down at 0.0001, capital = value),
// posted Dr asset / Cr 301, and refused with the field named when a member,
// a quantity, a rule or the cap does not allow it.
#include <catch2/catch.hpp>

#include "coop_test_util.h"

namespace cunzhang::domain::testing {
namespace {

const std::string kM1 = MemberId(1);
const std::string kM2 = MemberId(2);
const std::string kM3 = MemberId(3);

TEST_CASE("11 mu at 8,000 yuan/mu is 88,000 yuan and 88000.0000 shares at 1 yuan/share",
          "[contribution]") {
  Coop c = Founded();
  uint64_t seq = c.Accept("contribution.land", LandBody(kM1, "11"));
  const Holding& h = c.holding(kM1, ContributionKind::kLand);
  CHECK(h.capital_fen == 8'800'000);
  CHECK(h.share_units == 880'000'000);
  CHECK(FormatFixedUnits(h.share_units, 4) == "88000.0000");
  CHECK(c.balance("161") == 8'800'000);
  CHECK(c.balance("301") == -8'800'000);
  const Effect& effect = c.state.effects.at(seq);
  CHECK(effect.type == "contribution.land");
  REQUIRE(effect.deltas.size() == 1);
  CHECK(effect.deltas[0] == HoldingDelta{kM1, 0, 880'000'000, 8'800'000});
  REQUIRE(effect.postings.size() == 2);
  CHECK(effect.postings[0] == Posting{"161", 8'800'000, 0, ""});
  CHECK(effect.postings[1] == Posting{"301", 0, 8'800'000, kM1});
  CHECK_FALSE(c.state.reversed.contains(seq));
}

TEST_CASE("land value is floor(mu units * fen per mu / 10^4)", "[contribution]") {
  Coop c = Founded();
  // 2.5 mu at 8,000 yuan = 20,000 yuan; 0.0003 mu at 8,000 yuan = 2.4 yuan -> 240 fen.
  c.Accept("contribution.land", LandBody(kM1, "2.5"));
  CHECK(c.holding(kM1, ContributionKind::kLand).capital_fen == 2'000'000);
  c.Accept("contribution.land", LandBody(kM2, "0.0003"));
  CHECK(c.holding(kM2, ContributionKind::kLand).capital_fen == 240);
  CHECK(c.holding(kM2, ContributionKind::kLand).share_units == 24'000);  // 2.4000 shares
  c.Accept("valuation.rule", {{"rule_id", "land-odd"},
                              {"kind", "land"},
                              {"effective_from", "2021-03-01"},
                              {"resolution_id", "R2021-01"},
                              {"grade", "坡地"},
                              {"fen_per_mu", 333333}});
  // 1.2345 mu * 3333.33 yuan = 4114.995885 yuan: 411499 fen, rounded down.
  c.Accept("contribution.land", LandBody(kM3, "1.2345", "2021-04-01", "land-odd", "坡地"));
  CHECK(c.holding(kM3, ContributionKind::kLand).capital_fen == 411'499);
  CHECK(c.holding(kM3, ContributionKind::kLand).share_units == 41'149'900);
}

TEST_CASE("capital at 3 yuan a share: shares rounded down, capital exactly the amount",
          "[contribution]") {
  Coop c = Founded({.share_price_fen = 300});
  c.Accept("contribution.capital", CapitalBody(kM1, 100));
  const Holding& h = c.holding(kM1, ContributionKind::kCapital);
  CHECK(h.share_units == 3333);  // 0.3333 share for 1 yuan
  CHECK(h.capital_fen == 100);
  CHECK(c.balance("102") == 100);
  CHECK(c.balance("301") == -100);
}

TEST_CASE("labour value is floor(workday units * fen per day / 100)", "[contribution]") {
  Coop c = Founded();
  c.Accept("contribution.labour", LabourBody(kM1, "10.5"));
  CHECK(c.holding(kM1, ContributionKind::kLabour).capital_fen == 126'000);
  CHECK(c.holding(kM1, ContributionKind::kLabour).share_units == 12'600'000);
  c.Accept("contribution.labour", LabourBody(kM2, "0.01", "女工", "labour-f"));
  CHECK(c.holding(kM2, ContributionKind::kLabour).capital_fen == 80);
  CHECK(c.balance("401") == 126'080);
}

TEST_CASE("goods are valued at their appraisal, which can be used once", "[contribution]") {
  Coop c = Founded();
  c.Accept("contribution.goods", GoodsBody(kM1, "tractor-1"));
  CHECK(c.holding(kM1, ContributionKind::kGoods).capital_fen == 5'000'000);
  CHECK(c.holding(kM1, ContributionKind::kGoods).share_units == 500'000'000);
  CHECK(c.balance("151") == 5'000'000);
  CHECK(c.state.valuation_rules.at("tractor-1").used);
  Status twice = c.Refuse("contribution.goods", GoodsBody(kM2, "tractor-1"));
  CHECK(twice.code() == Code::kRuleViolation);
  CHECK(twice.where().field == "body.rule_id");
  CHECK(twice.en() == "goods appraisal \"tractor-1\" was already used by another contribution");
  Status not_goods = c.Refuse("contribution.goods", GoodsBody(kM2, "land-1"));
  CHECK(not_goods.where().field == "body.rule_id");
}

TEST_CASE("a contribution may name the asset account it debits", "[contribution]") {
  Coop c = Founded();
  Json cash = CapitalBody(kM1, 5000);
  cash["debit_account"] = "101";
  c.Accept("contribution.capital", cash);
  CHECK(c.balance("101") == 5000);
  Json equity = CapitalBody(kM1, 5000);
  equity["debit_account"] = "301";
  Status s = c.Refuse("contribution.capital", equity);
  CHECK(s.where().field == "body.debit_account");
  Json unknown = CapitalBody(kM1, 5000);
  unknown["debit_account"] = "999";
  Status u = c.Refuse("contribution.capital", unknown);
  CHECK(u.where().field == "body.debit_account");
  CHECK(u.en() == "account 999 is not in the coop-2021 chart");
}

TEST_CASE("zero and negative quantities are refused", "[contribution]") {
  Coop c = Founded();
  Status zero_mu = c.Refuse("contribution.land", LandBody(kM1, "0.0000"));
  CHECK(zero_mu.code() == Code::kRuleViolation);
  CHECK(zero_mu.where().field == "body.mu");
  CHECK(zero_mu.en() == "\"0.0000\" must be more than 0");
  Status negative_mu = c.Refuse("contribution.land", LandBody(kM1, "-1"));
  CHECK(negative_mu.where().field == "body.mu");
  Status zero_days = c.Refuse("contribution.labour", LabourBody(kM1, "0"));
  CHECK(zero_days.where().field == "body.workdays");
  Status zero_fen = c.Refuse("contribution.capital", CapitalBody(kM1, 0));
  CHECK(zero_fen.where().field == "body.amount_fen");
  Status negative_fen = c.Refuse("contribution.capital", CapitalBody(kM1, -500));
  CHECK(negative_fen.where().field == "body.amount_fen");
}

TEST_CASE("a contribution worth less than 0.0001 share is refused", "[contribution]") {
  Coop c = Founded({.share_price_fen = 100'000});
  Status s = c.Refuse("contribution.capital", CapitalBody(kM1, 5));
  CHECK(s.where().field == "body.amount_fen");
  CHECK(s.en() == "worth 0.05 yuan, less than 0.0001 share at 1000.00 yuan per share");
  // 0.0001 mu at 8,000 yuan/mu is 80 fen: 0.0008 of a 1,000 yuan share.
  c.Accept("contribution.land", LandBody(kM1, "0.0001"));
  CHECK(c.holding(kM1, ContributionKind::kLand).share_units == 8);
}

TEST_CASE("land with more than 4 decimals, labour with more than 2, are refused",
          "[contribution]") {
  Coop c = Founded();
  Status land = c.Refuse("contribution.land", LandBody(kM1, "11.12345"));
  CHECK(land.code() == Code::kRuleViolation);
  CHECK(land.where().field == "body.mu");
  CHECK(land.zh() == "“11.12345”的小数位数超过 4 位");
  CHECK(land.en() == "\"11.12345\" has more than 4 decimals");
  Status labour = c.Refuse("contribution.labour", LabourBody(kM1, "1.005"));
  CHECK(labour.where().field == "body.workdays");
  CHECK(labour.en() == "\"1.005\" has more than 2 decimals");
  c.Accept("contribution.land", LandBody(kM1, "11.1234"));
}

TEST_CASE("an unknown, suspended or exited member cannot contribute", "[contribution]") {
  Coop c = Founded();
  Status unknown = c.Refuse("contribution.capital", CapitalBody("M999", 100));
  CHECK(unknown.where().field == "body.member_id");
  CHECK(unknown.en() == "no member with id \"M999\"");
  c.Accept("resolution.record", Resolution("R2021-03", "2021-03-15"));
  c.Accept("member.status", {{"member_id", kM2},
                             {"status", "exited"},
                             {"date", "2021-03-20"},
                             {"resolution_id", "R2021-03"}});
  Status exited = c.Refuse("contribution.land", LandBody(kM2, "1"));
  CHECK(exited.where().field == "body.member_id");
  CHECK(exited.en() == "member \"M002\" is exited, not active");
  c.Accept("member.status", {{"member_id", kM3},
                             {"status", "suspended"},
                             {"date", "2021-03-20"},
                             {"resolution_id", "R2021-03"}});
  Status suspended = c.Refuse("contribution.capital", CapitalBody(kM3, 100));
  CHECK(suspended.where().field == "body.member_id");
}

TEST_CASE("a member over the cap is refused; the base is at least the registered capital",
          "[contribution][cap]") {
  // 1,000,000 yuan registered: 200,000 yuan is the most one member may hold.
  Coop c = Founded();
  c.Accept("contribution.capital", CapitalBody(kM3, 20'000'000));
  Status over = c.Refuse("contribution.capital", CapitalBody(kM3, 5'000'000));
  CHECK(over.code() == Code::kRuleViolation);
  CHECK(over.where().field == "body.member_id");
  CHECK(over.en() == "member M003 would hold 25.00% of capital, over the cap of 20.00%");
  CHECK(over.zh() == "成员 M003 将持有股金的 25.00%，超过上限 20.00%");
  // One fen over is refused, and not reported as exactly 20.00%.
  Status fen = c.Refuse("contribution.capital", CapitalBody(kM3, 1));
  CHECK(fen.en() == "member M003 would hold 20.01% of capital, over the cap of 20.00%");
  // Once the paid-in capital exceeds the registered capital, it is the base.
  for (int n = 4; n <= 8; ++n)
    c.Accept("contribution.capital", CapitalBody(MemberId(n), 20'000'000));
  c.Accept("contribution.capital", CapitalBody(kM3, 4'000'000));  // 24/124 = 19.35%
  CHECK(c.member(kM3).total_capital_fen() == 24'000'000);
}

TEST_CASE("without registered capital the first contributor holds 100% and is refused",
          "[contribution][cap]") {
  Coop c = Founded({.registered_capital_fen = 0});
  Status s = c.Refuse("contribution.capital", CapitalBody(kM1, 100));
  CHECK(s.en() == "member M001 would hold 100.00% of capital, over the cap of 20.00%");
}

TEST_CASE("the cap counts every kind a member holds", "[contribution][cap]") {
  Coop c = Founded();
  c.Accept("contribution.land", LandBody(kM1, "11"));             // 88,000 yuan
  c.Accept("contribution.goods", GoodsBody(kM1, "tractor-1"));    // 50,000 yuan
  c.Accept("contribution.capital", CapitalBody(kM1, 6'200'000));  // 62,000: exactly 20%
  CHECK(c.member(kM1).total_capital_fen() == 20'000'000);
  Status s = c.Refuse("contribution.labour", LabourBody(kM1, "1"));
  CHECK(s.where().field == "body.member_id");
}

TEST_CASE("contributions name the member they concern", "[contribution]") {
  Entry entry{.type = "contribution.land", .body = ToValue(LandBody(kM1, "1"))};
  CHECK(MembersTouched(entry) == std::vector<std::string>{kM1});
  entry.type = "contribution.goods";
  entry.body = ToValue(GoodsBody(kM2, "tractor-1"));
  CHECK(MembersTouched(entry) == std::vector<std::string>{kM2});
}

TEST_CASE("contribution bodies are held to their schemas", "[contribution][schema]") {
  Coop c = Founded();
  Json extra = CapitalBody(kM1, 100);
  extra["shares"] = "1";
  CHECK(c.Refuse("contribution.capital", extra).code() == Code::kInvalidInput);
  Json no_parcel = LandBody(kM1, "1");
  no_parcel.erase("parcel");
  CHECK(c.Refuse("contribution.land", no_parcel).code() == Code::kInvalidInput);
  Json float_mu = LandBody(kM1, "1");
  float_mu["mu"] = 1;
  CHECK(c.Refuse("contribution.land", float_mu).where().field == "body.mu");
}

}  // namespace
}  // namespace cunzhang::domain::testing
