// entry.reverse through Apply: a reversal undoes exactly what a contribution
// or a transfer did, once, and only while the shares are still there to take
// back; plus a seeded random walk of contributions, transfers and reversals
// that must never lose a fen.
#include <catch2/catch.hpp>
#include <random>

#include "coop_test_util.h"

namespace cunzhang::domain::testing {
namespace {

const std::string kM1 = MemberId(1);
const std::string kM2 = MemberId(2);
const std::string kM3 = MemberId(3);

TEST_CASE("reversing a contribution restores the state before it exactly", "[correction]") {
  struct Case {
    const char* type;
    Json body;
  };
  const Case cases[] = {
      {"contribution.land", LandBody(kM1, "11.1234")},
      {"contribution.capital", CapitalBody(kM1, 123456)},
      {"contribution.goods", GoodsBody(kM1, "tractor-1")},
      {"contribution.labour", LabourBody(kM1, "3.33", "女工", "labour-f")},
  };
  for (const Case& k : cases) {
    DYNAMIC_SECTION(k.type) {
      Coop c = Founded({.share_price_fen = 300});
      c.Accept("contribution.capital", CapitalBody(kM2, 50000));
      State before = c.state;
      uint64_t seq = c.Accept(k.type, k.body);
      REQUIRE(Substance(c.state) != Substance(before));
      c.Accept("entry.reverse", ReverseBody(seq));
      CHECK(Substance(c.state) == Substance(before));
      CHECK(c.state.reversed.contains(seq));
      CHECK(c.state.type_counts.at("entry.reverse") == 1);
    }
  }
}

TEST_CASE("a reversed goods contribution releases its appraisal for use again", "[correction]") {
  Coop c = Founded();
  uint64_t seq = c.Accept("contribution.goods", GoodsBody(kM1, "tractor-1"));
  c.Accept("entry.reverse", ReverseBody(seq));
  CHECK_FALSE(c.state.valuation_rules.at("tractor-1").used);
  c.Accept("contribution.goods", GoodsBody(kM2, "tractor-1"));
  CHECK(c.holding(kM2, ContributionKind::kGoods).capital_fen == 5'000'000);
}

TEST_CASE("reversing an entry that does not exist or cannot be reversed is refused",
          "[correction]") {
  Coop c = Founded();
  Status unknown = c.Refuse("entry.reverse", ReverseBody(999));
  CHECK(unknown.code() == Code::kRuleViolation);
  CHECK(unknown.where().field == "body.seq");
  CHECK(unknown.en() == "there is no entry 999 in the ledger");
  Status join = c.Refuse("entry.reverse", ReverseBody(2));  // member.join of M001
  CHECK(join.en() == "entry 2 is not a contribution or share transfer and cannot be reversed");
  c.Accept("resolution.record", Resolution("R2021-06", "2021-06-01"));
  c.Accept("contribution.capital", CapitalBody(kM1, 100000));
  uint64_t exit = c.Accept(
      "share.exit", {{"member_id", kM1}, {"date", "2021-06-10"}, {"resolution_id", "R2021-06"}});
  Status not_reversible = c.Refuse("entry.reverse", ReverseBody(exit));
  CHECK(not_reversible.en() ==
        "entry " + std::to_string(exit) + " (share.exit) cannot be reversed");
}

TEST_CASE("reversing the same entry twice is refused", "[correction]") {
  Coop c = Founded();
  uint64_t seq = c.Accept("contribution.capital", CapitalBody(kM1, 100000));
  c.Accept("entry.reverse", ReverseBody(seq));
  Status twice = c.Refuse("entry.reverse", ReverseBody(seq));
  CHECK(twice.where().field == "body.seq");
  CHECK(twice.en() == "entry " + std::to_string(seq) + " was already reversed");
}

TEST_CASE("reversing a transfer puts the shares and capital back", "[correction][transfer]") {
  Coop c = Founded({.share_price_fen = 300});
  c.Accept("contribution.capital", CapitalBody(kM1, 100000));
  State before = c.state;
  uint64_t seq = c.Accept("share.transfer", TransferBody(kM1, kM2, "capital", "1"));
  c.Accept("entry.reverse", ReverseBody(seq));
  CHECK(Substance(c.state) == Substance(before));
}

TEST_CASE("reversing a transfer whose shares moved on is refused", "[correction][transfer]") {
  Coop c = Founded();
  c.Accept("contribution.capital", CapitalBody(kM1, 100000));
  uint64_t seq = c.Accept("share.transfer", TransferBody(kM1, kM2, "capital", "600"));
  c.Accept("share.transfer", TransferBody(kM2, kM3, "capital", "200"));
  Status s = c.Refuse("entry.reverse", ReverseBody(seq));
  CHECK(s.where().field == "body.seq");
  CHECK(s.en() == "cannot reverse entry " + std::to_string(seq) +
                      ": member M002 holds 400.0000 capital shares (400.00 yuan), fewer than the "
                      "600.0000 shares (600.00 yuan) to take away (the shares moved on since)");
  // Once the shares are back, the reversal goes through.
  c.Accept("share.transfer", TransferBody(kM3, kM2, "capital", "200"));
  c.Accept("entry.reverse", ReverseBody(seq));
  CHECK(c.holding(kM1, ContributionKind::kCapital) == Holding{10'000'000, 100'000});
}

TEST_CASE("reversing a contribution whose shares were transferred away is refused",
          "[correction]") {
  Coop c = Founded();
  uint64_t seq = c.Accept("contribution.land", LandBody(kM1, "2"));
  c.Accept("share.transfer", TransferBody(kM1, kM2, "land", "1"));
  CHECK(c.Refuse("entry.reverse", ReverseBody(seq)).where().field == "body.seq");
}

TEST_CASE("a reversal needs a reason", "[correction][schema]") {
  Coop c = Founded();
  uint64_t seq = c.Accept("contribution.capital", CapitalBody(kM1, 100));
  Json body = ReverseBody(seq);
  body.erase("reason");
  CHECK(c.Refuse("entry.reverse", body).code() == Code::kInvalidInput);
}

// An archive as the writer and the verifier keep one, in memory: effects
// stored in their encoding and read back through it.
class MapArchive final : public EffectArchive {
 public:
  // Moves every effect out of `state` into the archive.
  void Take(State* state) {
    for (const auto& [seq, effect] : state->effects) rows_[seq] = SerializeEffect(effect);
    state->effects.clear();
  }
  Result<std::optional<Effect>> Find(uint64_t seq) const override {
    auto it = rows_.find(seq);
    if (it == rows_.end()) return std::optional<Effect>();
    CZ_ASSIGN_OR_RETURN(Effect effect, DeserializeEffect(it->second));
    return std::optional<Effect>(std::move(effect));
  }
  size_t size() const { return rows_.size(); }

 private:
  std::map<uint64_t, std::string> rows_;
};

TEST_CASE("an effect survives its encoding, and a damaged one is refused", "[correction]") {
  Effect effect{.type = "contribution.capital",
                .deltas = {{.member_id = "M-1", .kind = 1, .share_units = 30000, .capital_fen = 300}},
                .postings = {{.account = "102", .debit_fen = 300}, {.account = "301", .credit_fen = 300, .member_id = "M-1"}},
                .valuation_rule_id = "goods-7"};
  std::string bytes = SerializeEffect(effect);
  // Written by hand, read by cereal: the bytes are cereal's own.
  CHECK(bytes == SerializeEffectWithCereal(effect));
  for (const Effect& other :
       {Effect{}, Effect{.type = std::string(300, 'x')},
        Effect{.type = "share.transfer",
               .deltas = {{.member_id = "M-1", .kind = 255, .share_units = -1, .capital_fen = -9007199254740991},
                          {.member_id = "成员二", .kind = 0, .share_units = 1, .capital_fen = 0}}}}) {
    CHECK(SerializeEffect(other) == SerializeEffectWithCereal(other));
    Result<Effect> read = DeserializeEffect(SerializeEffect(other));
    REQUIRE(read.ok());
    CHECK(*read == other);
  }
  Result<Effect> back = DeserializeEffect(bytes);
  REQUIRE(back.ok());
  CHECK(*back == effect);
  CHECK(DeserializeEffect(bytes.substr(0, bytes.size() - 1)).status().code() == Code::kCorruption);
  CHECK(DeserializeEffect(bytes + "x").status().code() == Code::kCorruption);
}

// A seeded random walk: contributions of every kind, transfers of random
// amounts and reversals of random earlier entries. Refused entries must leave
// the state unchanged (Coop::Refuse checks it); accepted ones must keep the
// books whole. The money contributed and not reversed is tracked here on the
// side and must equal the members' capital, 301 and the assets debited. With
// an archive, every effect leaves the state after its entry, as the writer
// and the verifier do, and reversals find them there.
TEST_CASE("random contributions, transfers and reversals never lose a fen",
          "[correction][property]") {
  const uint64_t seed = GENERATE(1u, 7u, 2024u);
  const bool archived = GENERATE(false, true);
  CAPTURE(seed, archived);
  MapArchive archive;
  std::mt19937_64 rng(seed);
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  Coop c = Founded({.share_price_fen = 300, .registered_capital_fen = 40'000'000, .members = 8});
  c.Accept("valuation.rule", {{"rule_id", "price-2"},
                              {"kind", "share_price"},
                              {"effective_from", "2021-05-01"},
                              {"resolution_id", "R2021-01"},
                              {"fen_per_share", 700}});
  if (archived) c.state.archive.archive = &archive;
  std::map<uint64_t, int64_t> contributed;  // seq -> value, while not reversed
  std::vector<uint64_t> reversible;
  static const char* kKinds[] = {"land", "capital", "goods", "labour"};
  int accepted = 0;
  for (int step = 0; step < 400; ++step) {
    std::string member = MemberId(static_cast<int>(pick(1, 8)));
    std::string date = pick(0, 1) == 0 ? "2021-04-01" : "2021-06-01";
    int action = static_cast<int>(pick(0, 5));
    std::string type;
    Json body;
    if (action == 0) {
      type = "contribution.land";
      body = LandBody(member, std::to_string(pick(0, 3)) + "." + std::to_string(pick(1000, 9999)),
                      date);
    } else if (action == 1) {
      type = "contribution.capital";
      body = CapitalBody(member, pick(1, 3'000'000), date);
    } else if (action == 2) {
      type = "contribution.labour";
      body = LabourBody(member, std::to_string(pick(0, 40)) + "." + std::to_string(pick(10, 99)),
                        "女工", "labour-f", date);
    } else if (action == 3 && !reversible.empty()) {
      type = "entry.reverse";
      body = ReverseBody(
          reversible[static_cast<size_t>(pick(0, static_cast<int64_t>(reversible.size()) - 1))]);
    } else {
      type = "share.transfer";
      const char* kind = kKinds[pick(0, 3)];
      int64_t held = c.member(member).holdings[static_cast<size_t>(pick(0, 3))].share_units;
      body = TransferBody(member, MemberId(static_cast<int>(pick(1, 8))), kind,
                          FormatFixedUnits(pick(0, held + 20000), 4), "2021-07-01");
    }
    State before = c.state;
    uint64_t seq = c.state.entries;
    Status s = c.Add(type, body);
    INFO("step " << step << " " << type << " " << body.dump() << ": " << s.ToString());
    REQUIRE(s.code() != Code::kInternal);
    if (!s.ok()) {
      REQUIRE(c.state == before);
      continue;
    }
    ++accepted;
    if (type.starts_with("contribution.")) {
      Result<std::optional<Effect>> effect = FindEffect(c.state, seq);
      REQUIRE((effect.ok() && effect->has_value()));
      contributed[seq] = (*effect)->postings[0].debit_fen;
    }
    if (archived) {
      archive.Take(&c.state);
      REQUIRE(c.state.effects.empty());
    }
    if (type == "entry.reverse") contributed.erase(body["seq"].get<uint64_t>());
    if (type != "entry.reverse") reversible.push_back(seq);
    int64_t expected = 0;
    for (const auto& [q, fen] : contributed) expected += fen;
    int64_t members = 0;
    for (const auto& [id, m] : c.state.members) {
      members += m.total_capital_fen();
      for (const Holding& h : m.holdings) REQUIRE((h.share_units >= 0 && h.capital_fen >= 0));
      // The cap binds whoever gained capital in this step.
      if (m.total_capital_fen() > before.members.at(id).total_capital_fen()) {
        REQUIRE(m.total_capital_fen() * 10000 <= 2000 * std::max<int64_t>(40'000'000, expected));
      }
    }
    REQUIRE(members == expected);
    REQUIRE(c.state.members_capital_fen == expected);  // Apply's running sum
    REQUIRE(CheckInvariants(c.state).ok());
    REQUIRE(c.balance("301") == -expected);
    REQUIRE(c.balance("161") + c.balance("102") + c.balance("401") == expected);
  }
  CHECK(accepted > 100);
  CHECK(c.state.type_counts["entry.reverse"] > 0);
  CHECK(c.state.type_counts["share.transfer"] > 0);
  if (archived) CHECK(archive.size() > 100);
}

TEST_CASE("the full invariant check catches capital that the running sum does not",
          "[correction][invariant]") {
  Coop c = Founded({.share_price_fen = 100, .registered_capital_fen = 40'000'000, .members = 3});
  c.Accept("contribution.capital", CapitalBody(MemberId(1), 500'000, "2021-04-01"));
  REQUIRE(CheckInvariants(c.state).ok());
  SECTION("a member's capital changed behind the rules' back") {
    c.state.members.at(MemberId(2)).holdings[1].capital_fen += 1;
  }
  SECTION("the running sum changed") { c.state.members_capital_fen -= 1; }
  SECTION("account 301 changed, and 102 with it so the trial balance still balances") {
    c.state.account_balances.at("301") += 1;
    c.state.account_balances.at("102") -= 1;
  }
  Status s = CheckInvariants(c.state);
  CHECK(s.code() == Code::kInternal);
  CHECK(s.en() == "members' capital does not add up to account 301");
}

}  // namespace
}  // namespace cunzhang::domain::testing
