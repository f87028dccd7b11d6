// For the domain's tests: a cooperative built entry by entry through Apply,
// as the writer and the verifier build it. Bodies are written as nlohmann
// JSON and handed to the rules in the ledger's own JSON form.
#ifndef CUNZHANG_DOMAIN_COOP_TEST_UTIL_H_
#define CUNZHANG_DOMAIN_COOP_TEST_UTIL_H_

#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "cunzhang/domain.h"

namespace cunzhang::domain::testing {

using Json = nlohmann::json;

inline json::Value ToValue(const Json& body) {
  Result<json::Parsed> parsed = json::Parse(body.dump());
  REQUIRE(parsed.ok());
  return parsed->value;
}

// A ledger's state driven entry by entry.
struct Coop {
  State state;

  Status Add(const std::string& type, const Json& body) {
    Entry entry{.seq = state.entries, .type = type, .body = ToValue(body)};
    return Apply(&state, entry);
  }
  // Applies an entry that must be accepted; returns its seq.
  uint64_t Accept(const std::string& type, const Json& body) {
    uint64_t seq = state.entries;
    Status s = Add(type, body);
    INFO(type << " " << body.dump() << ": " << s.ToString());
    REQUIRE(s.ok());
    return seq;
  }
  // Applies an entry that must be refused; checks that nothing changed.
  Status Refuse(const std::string& type, const Json& body) {
    State before = state;
    Status s = Add(type, body);
    INFO(type << " " << body.dump());
    REQUIRE(!s.ok());
    CHECK(state == before);
    CHECK(s.code() != Code::kInternal);
    return s;
  }

  const Member& member(const std::string& id) const { return state.members.at(id); }
  const Holding& holding(const std::string& id, ContributionKind kind) const {
    return member(id).holdings[static_cast<size_t>(kind)];
  }
  int64_t balance(const std::string& account) const {
    auto it = state.account_balances.find(account);
    return it == state.account_balances.end() ? 0 : it->second;
  }
};

inline std::string MemberId(int n) {
  char id[16];  // "M" and any int
  std::snprintf(id, sizeof id, "M%03d", n);
  return id;
}

inline std::string Commitment(int n) {
  char hex[65];
  std::snprintf(hex, sizeof hex, "%064x", static_cast<unsigned>(n) + 0xc0ffeeu);
  return hex;
}

inline Json Resolution(const std::string& id, const std::string& date, int in_favour = 30) {
  return {{"resolution_id", id},       {"date", date},        {"body", "members_meeting"},
          {"subject", "入股作价办法"}, {"members_total", 40}, {"present", 36},
          {"in_favour", in_favour}};
}

inline Json JoinBody(int n, const std::string& date = "2021-02-01") {
  return {{"member_id", MemberId(n)},
          {"kind", "household"},
          {"name", "社员" + std::to_string(n)},
          {"date", date},
          {"household", "大新井村" + std::to_string(n) + "户"},
          {"id_commitment", Commitment(n)}};
}

struct CoopOptions {
  std::string kind = "cooperative";
  int64_t share_price_fen = 100;
  int64_t registered_capital_fen = 100'000'000;  // 1,000,000 yuan: 20% is 200,000 yuan
  int members = 10;
};

// 兴农农机合作社, founded 2021-01-01: resolution R2021-01 adopted on
// 2021-01-10; members M001.. joined on 2021-02-01; rules from 2021-03-01:
// land-1 (一等, 8,000 yuan/mu), labour-m (男工, 120 yuan/day), labour-f (女工,
// 80 yuan/day) and the appraisal tractor-1 (a tractor, 50,000 yuan).
inline Coop Founded(const CoopOptions& o = {}) {
  Coop c;
  c.Accept("org.register", {{"kind", o.kind},
                            {"name", "大新井村兴农农机专业合作社"},
                            {"founded", "2021-01-01"},
                            {"share_price_fen", o.share_price_fen},
                            {"registered_capital_fen", o.registered_capital_fen}});
  c.Accept("resolution.record", Resolution("R2021-01", "2021-01-10"));
  for (int n = 1; n <= o.members; ++n) c.Accept("member.join", JoinBody(n));
  auto rule = [](const std::string& id, const std::string& kind) {
    return Json{{"rule_id", id},
                {"kind", kind},
                {"effective_from", "2021-03-01"},
                {"resolution_id", "R2021-01"}};
  };
  Json land = rule("land-1", "land");
  land.update({{"grade", "一等"}, {"fen_per_mu", 800000}});
  Json men = rule("labour-m", "labour");
  men.update({{"category", "男工"}, {"fen_per_day", 12000}});
  Json women = rule("labour-f", "labour");
  women.update({{"category", "女工"}, {"fen_per_day", 8000}});
  Json tractor = rule("tractor-1", "goods_appraisal");
  tractor.update({{"description", "东方红拖拉机一台"}, {"value_fen", 5'000'000}});
  for (const Json& r : {land, men, women, tractor}) c.Accept("valuation.rule", r);
  return c;
}

inline Json LandBody(const std::string& member, const std::string& mu,
                     const std::string& date = "2021-04-01", const std::string& rule = "land-1",
                     const std::string& grade = "一等") {
  return {{"member_id", member},
          {"date", date},
          {"mu", mu},
          {"grade", grade},
          {"parcel", "1504260012-" + member},
          {"rule_id", rule}};
}

inline Json CapitalBody(const std::string& member, int64_t fen,
                        const std::string& date = "2021-04-01") {
  return {{"member_id", member}, {"date", date}, {"amount_fen", fen}};
}

inline Json GoodsBody(const std::string& member, const std::string& rule,
                      const std::string& date = "2021-04-01") {
  return {{"member_id", member}, {"date", date}, {"rule_id", rule}};
}

inline Json LabourBody(const std::string& member, const std::string& days,
                       const std::string& category = "男工", const std::string& rule = "labour-m",
                       const std::string& date = "2021-04-01") {
  return {{"member_id", member},
          {"date", date},
          {"workdays", days},
          {"category", category},
          {"rule_id", rule}};
}

inline Json TransferBody(const std::string& from, const std::string& to, const std::string& kind,
                         const std::string& shares, const std::string& date = "2021-06-01") {
  return {
      {"from_member", from}, {"to_member", to}, {"date", date}, {"kind", kind}, {"shares", shares}};
}

inline Json ReverseBody(uint64_t seq, const std::string& date = "2021-07-01") {
  return {{"seq", seq}, {"date", date}, {"reason", "录入错误，冲销"}};
}

// The state without what every entry changes (counts) and what a reversal
// leaves behind on purpose (the reversed Effect and its mark), to compare holdings,
// balances and rules.
inline State Substance(State s) {
  s.entries = 0;
  s.type_counts.clear();
  s.effects.clear();
  s.reversed.clear();
  return s;
}

}  // namespace cunzhang::domain::testing

#endif  // CUNZHANG_DOMAIN_COOP_TEST_UTIL_H_
