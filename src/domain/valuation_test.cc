// valuation.rule through Apply: each kind is recorded with its key and price,
// only under an adopted resolution dated on or before it takes effect, and the
// rule in force on a date is the latest of its kind and key.
#include <catch2/catch.hpp>

#include "coop_test_util.h"

namespace cunzhang::domain::testing {
namespace {

Json Rule(const std::string& id, const std::string& kind, const std::string& from,
          const Json& fields, const std::string& resolution = "R2021-01") {
  Json r = {
      {"rule_id", id}, {"kind", kind}, {"effective_from", from}, {"resolution_id", resolution}};
  r.update(fields);
  return r;
}

TEST_CASE("valuation.rule records each kind with its key and price", "[valuation]") {
  Coop c = Founded();
  const ValuationRule& land = c.state.valuation_rules.at("land-1");
  CHECK(land.kind == "land");
  CHECK(land.key == "一等");
  CHECK(land.fen_per_unit == 800000);
  CHECK(land.effective_from == "2021-03-01");
  CHECK(land.resolution_id == "R2021-01");
  CHECK(c.state.valuation_rules.at("labour-f").key == "女工");
  const ValuationRule& tractor = c.state.valuation_rules.at("tractor-1");
  CHECK(tractor.kind == "goods_appraisal");
  CHECK(tractor.description == "东方红拖拉机一台");
  CHECK(tractor.fen_per_unit == 5'000'000);
  CHECK_FALSE(tractor.used);
  c.Accept("valuation.rule",
           Rule("price-2022", "share_price", "2022-01-01", {{"fen_per_share", 300}}));
  CHECK(c.state.valuation_rules.at("price-2022").fen_per_unit == 300);
  CHECK(c.state.valuation_rules.at("price-2022").key.empty());
}

TEST_CASE("valuation.rule needs an adopted resolution dated on or before it takes effect",
          "[valuation]") {
  Coop c = Founded();
  Json land2 = {{"grade", "二等"}, {"fen_per_mu", 600000}};
  Status missing =
      c.Refuse("valuation.rule", Rule("land-2", "land", "2021-03-01", land2, "R-none"));
  CHECK(missing.code() == Code::kRuleViolation);
  CHECK(missing.where().field == "body.resolution_id");

  Json rejected = Resolution("R2021-02", "2021-02-15", 10);
  rejected["outcome"] = "rejected";
  c.Accept("resolution.record", rejected);
  Status not_adopted =
      c.Refuse("valuation.rule", Rule("land-2", "land", "2021-03-01", land2, "R2021-02"));
  CHECK(not_adopted.where().field == "body.resolution_id");
  CHECK(not_adopted.en().find("not adopted") != std::string::npos);

  c.Accept("resolution.record", Resolution("R2021-05", "2021-05-01"));
  Status later =
      c.Refuse("valuation.rule", Rule("land-2", "land", "2021-03-01", land2, "R2021-05"));
  CHECK(later.where().field == "body.resolution_id");
  c.Accept("valuation.rule", Rule("land-2", "land", "2021-05-01", land2, "R2021-05"));
}

TEST_CASE("valuation.rule refuses a rule id already recorded", "[valuation]") {
  Coop c = Founded();
  Status s = c.Refuse("valuation.rule",
                      Rule("land-1", "land", "2022-01-01", {{"grade", "一等"}, {"fen_per_mu", 1}}));
  CHECK(s.where().field == "body.rule_id");
  Status founding = c.Refuse("valuation.rule", Rule("founding-share-price", "share_price",
                                                    "2022-01-01", {{"fen_per_share", 1}}));
  CHECK(founding.where().field == "body.rule_id");
}

TEST_CASE("valuation.rule fields must fit its kind", "[valuation][schema]") {
  Coop c = Founded();
  Status no_grade =
      c.Refuse("valuation.rule", Rule("land-2", "land", "2022-01-01", {{"fen_per_mu", 1}}));
  CHECK(no_grade.code() == Code::kInvalidInput);
  Status foreign = c.Refuse("valuation.rule", Rule("p", "share_price", "2022-01-01",
                                                   {{"fen_per_share", 300}, {"grade", "一等"}}));
  CHECK(foreign.code() == Code::kInvalidInput);
  Status zero = c.Refuse("valuation.rule", Rule("p", "labour", "2022-01-01",
                                                {{"category", "男工"}, {"fen_per_day", 0}}));
  CHECK(zero.where().field == "body.fen_per_day");
  Status kind =
      c.Refuse("valuation.rule", Rule("p", "water", "2022-01-01", {{"fen_per_share", 1}}));
  CHECK(kind.where().field == "body.kind");
}

TEST_CASE("a newer rule from a later date supersedes the older one from that date", "[valuation]") {
  Coop c = Founded();
  c.Accept("valuation.rule",
           Rule("land-1b", "land", "2022-01-01", {{"grade", "一等"}, {"fen_per_mu", 900000}}));
  // Before the new rule takes effect, the old one is still the rule in force.
  c.Accept("contribution.land", LandBody(MemberId(1), "1", "2021-12-31", "land-1"));
  CHECK(c.holding(MemberId(1), ContributionKind::kLand).capital_fen == 800000);
  Status early = c.Refuse("contribution.land", LandBody(MemberId(2), "1", "2021-12-31", "land-1b"));
  CHECK(early.where().field == "body.rule_id");
  CHECK(
      early.en() ==
      "valuation rule \"land-1b\" takes effect on 2022-01-01, after 2021-12-31; the rule in force "
      "then is \"land-1\"");
  // From its date, naming the superseded rule is refused.
  Status superseded =
      c.Refuse("contribution.land", LandBody(MemberId(2), "1", "2022-01-01", "land-1"));
  CHECK(superseded.where().field == "body.rule_id");
  CHECK(superseded.en() ==
        "valuation rule \"land-1\" was superseded by \"land-1b\" in force from 2022-01-01");
  c.Accept("contribution.land", LandBody(MemberId(2), "1", "2022-01-01", "land-1b"));
  CHECK(c.holding(MemberId(2), ContributionKind::kLand).capital_fen == 900000);
}

TEST_CASE("two rules from the same date: the one recorded later is in force", "[valuation]") {
  Coop c = Founded();
  c.Accept("valuation.rule",
           Rule("land-x", "land", "2022-01-01", {{"grade", "一等"}, {"fen_per_mu", 700000}}));
  c.Accept("valuation.rule",
           Rule("land-y", "land", "2022-01-01", {{"grade", "一等"}, {"fen_per_mu", 710000}}));
  Status s = c.Refuse("contribution.land", LandBody(MemberId(1), "1", "2022-02-01", "land-x"));
  CHECK(s.en().find("superseded by \"land-y\"") != std::string::npos);
  c.Accept("contribution.land", LandBody(MemberId(1), "1", "2022-02-01", "land-y"));
}

TEST_CASE("a contribution before any rule of its kind is in force is refused", "[valuation]") {
  Coop c = Founded();
  Status s = c.Refuse("contribution.land", LandBody(MemberId(1), "11", "2021-02-15", "land-1"));
  CHECK(s.code() == Code::kRuleViolation);
  CHECK(s.where().field == "body.rule_id");
  CHECK(s.en() ==
        "no valuation rule of kind land for grade 一等 in force on 2021-02-15; \"land-1\" takes "
        "effect on 2021-03-01");
  CHECK(s.zh().find("2021-02-15 没有生效的土地估值规则（等级 一等）") == 0);
  c.Accept("valuation.rule",
           Rule("land-3", "land", "2021-03-01", {{"grade", "三等"}, {"fen_per_mu", 400000}}));
  // Naming a rule of another grade, even one in force, is refused.
  Status grade =
      c.Refuse("contribution.land", LandBody(MemberId(1), "1", "2021-04-01", "land-1", "三等"));
  CHECK(grade.where().field == "body.rule_id");
  CHECK(grade.en() ==
        "valuation rule \"land-1\" is of kind land for grade 一等, expected kind land for grade "
        "三等");
}

TEST_CASE("no share price in force before the founding date", "[valuation]") {
  Coop c = Founded();
  c.Accept("resolution.record", Resolution("R2020", "2020-12-01"));
  c.Accept("valuation.rule", Rule("land-old", "land", "2020-12-01",
                                  {{"grade", "老"}, {"fen_per_mu", 100000}}, "R2020"));
  Status s =
      c.Refuse("contribution.land", LandBody(MemberId(1), "1", "2020-12-15", "land-old", "老"));
  CHECK(s.where().field == "body.date");
  CHECK(s.en() == "no valuation rule of kind share_price in force on 2020-12-15");
}

TEST_CASE("a later share price converts at the new price; capital is the value exactly",
          "[valuation][contribution]") {
  Coop c = Founded();
  c.Accept("valuation.rule",
           Rule("price-2022", "share_price", "2022-01-01", {{"fen_per_share", 300}}));
  c.Accept("contribution.capital", CapitalBody(MemberId(1), 100000, "2021-12-31"));
  c.Accept("contribution.capital", CapitalBody(MemberId(2), 100000, "2022-01-01"));
  CHECK(c.holding(MemberId(1), ContributionKind::kCapital).share_units == 10'000'000);  // 1000.0000
  // 1000 yuan at 3 yuan a share: 333.3333 shares, rounded down; 1000 yuan credited.
  const Holding& h = c.holding(MemberId(2), ContributionKind::kCapital);
  CHECK(h.share_units == 3'333'333);
  CHECK(FormatFixedUnits(h.share_units, 4) == "333.3333");
  CHECK(h.capital_fen == 100000);
}

}  // namespace
}  // namespace cunzhang::domain::testing
