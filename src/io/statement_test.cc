// Statements built from a real ledger: holdings, history with transfers and
// reversals, and the ledger's size and root.
#include "cunzhang/statement.h"

#include <catch2/catch.hpp>

#include "test_util.h"

namespace cunzhang::statement {
namespace {

using json::Value;

constexpr const char* kCommit1 = "1111111111111111111111111111111111111111111111111111111111111111";
constexpr const char* kCommit2 = "2222222222222222222222222222222222222222222222222222222222222222";

EntryRequest Req(const std::string& type, const std::string& id, std::vector<json::Member> body) {
  return EntryRequest{.type = type,
                      .op = Operator{.name = "李会计", .role = "accountant"},
                      .idempotency_id = id,
                      .body = Value::Object(std::move(body))};
}

Value S(const char* s) { return Value::String(s); }

// A cooperative with two members; M001 contributes land and capital, gives
// M002 1000 capital shares, and the capital contribution of M002 is reversed.
std::unique_ptr<Ledger> Village(const std::string& path) {
  auto ledger = Ledger::Create(path, "cunzhang.example/statement");
  REQUIRE(ledger.ok());
  std::vector<EntryRequest> r = {
      Req("org.register", "org",
          {{"kind", S("cooperative")},
           {"name", S("兴农合作社")},
           {"founded", S("2022-01-01")},
           {"share_price_fen", Value::Int(100)},
           {"registered_capital_fen", Value::Int(100000000)}}),
      Req("resolution.record", "r1",
          {{"resolution_id", S("R1")},
           {"date", S("2022-02-01")},
           {"body", S("members_meeting")},
           {"subject", S("估值")},
           {"members_total", Value::Int(30)},
           {"present", Value::Int(25)},
           {"in_favour", Value::Int(20)}}),
      Req("valuation.rule", "v1",
          {{"rule_id", S("land-1")},
           {"kind", S("land")},
           {"effective_from", S("2022-02-01")},
           {"resolution_id", S("R1")},
           {"grade", S("一等")},
           {"fen_per_mu", Value::Int(100000)}}),
      Req("member.join", "j1",
          {{"member_id", S("M001")},
           {"kind", S("household")},
           {"name", S("王秀英")},
           {"date", S("2022-03-05")},
           {"id_commitment", S(kCommit1)}}),
      Req("member.join", "j2",
          {{"member_id", S("M002")},
           {"kind", S("person")},
           {"name", S("李建国")},
           {"date", S("2022-03-05")},
           {"id_commitment", S(kCommit2)}}),
      Req("contribution.land", "l1",
          {{"member_id", S("M001")},
           {"date", S("2022-03-10")},
           {"mu", S("11.0000")},
           {"grade", S("一等")},
           {"parcel", S("P-1")},
           {"rule_id", S("land-1")}}),
      Req("contribution.capital", "c1",
          {{"member_id", S("M001")},
           {"date", S("2022-03-12")},
           {"amount_fen", Value::Int(500000)}}),
      Req("contribution.capital", "c2",
          {{"member_id", S("M002")},
           {"date", S("2022-03-12")},
           {"amount_fen", Value::Int(300000)}}),
      Req("share.transfer", "t1",
          {{"from_member", S("M001")},
           {"to_member", S("M002")},
           {"date", S("2022-04-01")},
           {"kind", S("capital")},
           {"shares", S("1000")}}),
      Req("entry.reverse", "x1",
          {{"seq", Value::Int(7)}, {"date", S("2022-04-02")}, {"reason", S("录入错误")}}),
  };
  auto appended = (*ledger)->Append(r);
  INFO(appended.status().ToString());
  REQUIRE(appended.ok());
  return std::move(ledger).value();
}

}  // namespace

TEST_CASE("a statement holds the member's shares by kind and every entry about them",
          "[statement]") {
  testing::TempDir dir;
  auto ledger = Village(dir / "ledger");
  auto st = Build(*ledger, "M001");
  REQUIRE(st.ok());
  CHECK(st->size == 10);
  CHECK(st->root == ledger->root());
  CHECK(st->member.holdings[0].share_units == 110000000);  // 11000 land shares
  CHECK(st->member.holdings[1].share_units == 40000000);   // 5000 - 1000 capital shares
  REQUIRE(st->history.size() == 4);                        // join, land, capital, transfer out
  CHECK(st->history[0].type == "member.join");
  CHECK(st->history[1].quantity == "11.0000");
  CHECK(st->history[1].unit == "mu");
  CHECK(st->history[1].capital_fen_delta == 1100000);
  CHECK(st->history[3].type == "share.transfer");
  CHECK(st->history[3].counterpart == "M002");
  CHECK(st->history[3].share_units_delta == -10000000);
  CHECK(st->history[3].capital_fen_delta == -100000);
  CHECK(st->history[3].kind == domain::ContributionKind::kCapital);
}

TEST_CASE("a reversed contribution and its reversal point at each other", "[statement]") {
  testing::TempDir dir;
  auto ledger = Village(dir / "ledger");
  auto st = Build(*ledger, "M002");
  REQUIRE(st.ok());
  REQUIRE(st->history.size() == 4);  // join, capital, transfer in, reversal
  CHECK(st->history[1].seq == 7);
  CHECK(st->history[1].reversed_by == 9u);
  CHECK(st->history[3].type == "entry.reverse");
  CHECK(st->history[3].reverses == 7u);
  CHECK(st->history[3].capital_fen_delta == -300000);
  CHECK(st->member.total_share_units() == 10000000);  // only the 1000 shares received
}

TEST_CASE("the statement as text and JSON carries no ID commitment", "[statement]") {
  testing::TempDir dir;
  auto ledger = Village(dir / "ledger");
  auto st = Build(*ledger, "M001");
  REQUIRE(st.ok());
  const std::string zh = ToText(*st, false);
  CHECK(zh.find("土地股") != std::string::npos);
  CHECK(zh.find("11.0000 亩") != std::string::npos);
  CHECK(zh.find(ledger->root().Hex()) != std::string::npos);
  const std::string en = ToText(*st, true);
  CHECK(en.find("share transfer (with M002)") != std::string::npos);
  const std::string js = json::Canonical(ToJson(*st));
  CHECK(js.find(kCommit1) == std::string::npos);
  CHECK(zh.find(kCommit1) == std::string::npos);
  CHECK(js.find("\"percent_of_shares\":\"93.7500\"") !=
        std::string::npos);  // 15000 of 16000 shares
}

TEST_CASE("a statement for an unknown member is not found", "[statement]") {
  testing::TempDir dir;
  auto ledger = Village(dir / "ledger");
  CHECK(Build(*ledger, "M999").status().code() == Code::kNotFound);
}

}  // namespace cunzhang::statement
