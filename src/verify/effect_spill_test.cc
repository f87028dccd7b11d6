// The verifier's effect archive: what goes in comes back, by any seq, across
// index strides; what never went in is absent; a taken state is emptied.
#include "effect_spill.h"

#include <catch2/catch.hpp>

namespace cunzhang::verify {
namespace {

domain::Effect EffectFor(uint64_t seq) {
  const std::string member = "M-" + std::to_string(seq % 97);
  const int64_t fen = static_cast<int64_t>(seq * 100 + 1);
  return domain::Effect{
      .type = seq % 5 == 0 ? "share.transfer" : "contribution.capital",
      .deltas = {{.member_id = member, .kind = 1, .share_units = fen * 100, .capital_fen = fen}},
      .postings = {{.account = "102", .debit_fen = fen},
                   {.account = "301", .credit_fen = fen, .member_id = member}},
      .valuation_rule_id = seq % 7 == 0 ? "goods-" + std::to_string(seq) : ""};
}

TEST_CASE("spilled effects are found again by seq, and only those", "[verify][effects]") {
  std::unique_ptr<SpilledEffects> archive = SpilledEffects::Create();
  REQUIRE(archive != nullptr);
  domain::State state;
  state.archive.archive = archive.get();
  // Seqs 0, 3, 6, ... in batches of uneven size: 1,000 effects over four strides.
  uint64_t seq = 0;
  for (size_t batch : {1u, 255u, 2u, 300u, 442u}) {
    for (size_t i = 0; i < batch; ++i, seq += 3) state.effects[seq] = EffectFor(seq);
    REQUIRE(archive->Take(&state));
    CHECK(state.effects.empty());
  }
  CHECK(archive->count() == 1000);
  for (uint64_t q = 0; q < seq + 5; ++q) {
    Result<std::optional<domain::Effect>> found = domain::FindEffect(state, q);
    REQUIRE(found.ok());
    if (q % 3 == 0 && q < seq) {
      REQUIRE(found->has_value());
      CHECK(**found == EffectFor(q));
    } else {
      CHECK_FALSE(found->has_value());
    }
  }
  // Effects still in the state are found there first.
  state.effects[seq] = EffectFor(seq);
  CHECK(domain::FindEffect(state, seq)->value() == EffectFor(seq));
}

TEST_CASE("an empty spill archive finds nothing", "[verify][effects]") {
  std::unique_ptr<SpilledEffects> archive = SpilledEffects::Create();
  REQUIRE(archive != nullptr);
  domain::State state;
  REQUIRE(archive->Take(&state));
  Result<std::optional<domain::Effect>> found = archive->Find(0);
  REQUIRE(found.ok());
  CHECK_FALSE(found->has_value());
}

}  // namespace
}  // namespace cunzhang::verify
