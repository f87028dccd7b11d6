// org.register, resolution.record, member.join and member.status through
// Apply: what each accepts, what it refuses and why, and that a refused entry
// leaves the state exactly as it was.
#include <catch2/catch.hpp>
#include <string>

#include "cunzhang/domain.h"

namespace cunzhang::domain {
namespace {

const std::string kHexA(64, 'a');
const std::string kHexB(64, 'b');

json::Value Body(std::string_view text) {
  Result<json::Parsed> parsed = json::Parse(text);
  REQUIRE(parsed.ok());
  return parsed->value;
}

// A ledger's state driven entry by entry, as the writer does.
struct Books {
  State state;

  Status Add(std::string type, std::string_view body) {
    Entry entry{.seq = state.entries, .type = std::move(type), .body = Body(body)};
    return Apply(&state, entry);
  }
  void Accept(std::string type, std::string_view body) {
    Status s = Add(std::move(type), body);
    INFO(s.ToString());
    REQUIRE(s.ok());
  }
  // Applies an entry that must be refused; checks nothing changed.
  Status Refuse(std::string type, std::string_view body) {
    State before = state;
    Status s = Add(std::move(type), body);
    INFO(s.ToString());
    REQUIRE(!s.ok());
    CHECK(state == before);
    CHECK(s.where().entry == static_cast<int64_t>(state.entries));
    return s;
  }
  void RefuseAny(std::string type, std::string_view body) {
    static_cast<void>(Refuse(std::move(type), body));
  }
};

std::string Org(const std::string& kind, const std::string& extra = "") {
  return R"({"kind":")" + kind +
         R"(","name":"兴农合作社","founded":"2013-05-20","share_price_fen":100)" + extra + "}";
}

Books Registered(const std::string& kind = "cooperative") {
  Books b;
  b.Accept("org.register", Org(kind));
  return b;
}

std::string Vote(const std::string& id, int total, int present, int in_favour,
                 const std::string& extra = "", const std::string& date = "2024-03-01") {
  return R"({"resolution_id":")" + id + R"(","date":")" + date +
         R"(","body":"members_meeting","subject":"入股办法","members_total":)" +
         std::to_string(total) + R"(,"present":)" + std::to_string(present) + R"(,"in_favour":)" +
         std::to_string(in_favour) + extra + "}";
}

std::string Join(const std::string& id, const std::string& kind, const std::string& commitment,
                 const std::string& date = "2024-03-02") {
  std::string c = commitment.empty() ? "" : R"(,"id_commitment":")" + commitment + "\"";
  return R"({"member_id":")" + id + R"(","kind":")" + kind + R"(","name":"王德","date":")" + date +
         "\"" + c + "}";
}

std::string StatusChange(const std::string& id, const std::string& status,
                         const std::string& resolution, const std::string& date = "2024-06-01") {
  return R"({"member_id":")" + id + R"(","status":")" + status + R"(","date":")" + date +
         R"(","resolution_id":")" + resolution + "\"}";
}

// ---- org.register ------------------------------------------------------------

TEST_CASE("org.register sets the organisation and the founding share price", "[org]") {
  Books b = Registered();
  CHECK(b.state.org.registered);
  CHECK(b.state.org.chart == "coop-2021");
  CHECK(b.state.org.member_cap_bp == 2000);
  const ValuationRule& price = b.state.valuation_rules.at("founding-share-price");
  CHECK(price.kind == "share_price");
  CHECK(price.fen_per_unit == 100);
  CHECK(price.effective_from == "2013-05-20");
  CHECK(Registered("collective").state.org.chart == "collective-2023");
}

TEST_CASE("org.register twice is refused", "[org]") {
  Books b = Registered();
  CHECK(b.Refuse("org.register", Org("cooperative")).code() == Code::kRuleViolation);
}

TEST_CASE("org.register with an unknown chart is refused naming the chart", "[org]") {
  Books b;
  Status s = b.Refuse("org.register", Org("cooperative", R"(,"chart":"coop-1997")"));
  CHECK(s.code() == Code::kInvalidInput);
  CHECK(s.where().field == "body.chart");
}

TEST_CASE("org.register with a chart of the other kind of organisation is refused", "[org]") {
  Books b;
  Status s = b.Refuse("org.register", Org("cooperative", R"(,"chart":"collective-2023")"));
  CHECK(s.code() == Code::kRuleViolation);
  CHECK(s.where().field == "body.chart");
  s = b.Refuse("org.register", Org("collective", R"(,"chart":"coop-2021")"));
  CHECK(s.where().field == "body.chart");
}

TEST_CASE("the member cap must be 1 to 10000 basis points", "[org]") {
  for (const char* bad : {R"(,"member_cap_bp":0)", R"(,"member_cap_bp":10001)"}) {
    Books b;
    CHECK(b.Refuse("org.register", Org("cooperative", bad)).where().field == "body.member_cap_bp");
  }
  for (int good : {1, 10000}) {
    Books b;
    b.Accept("org.register", Org("cooperative", R"(,"member_cap_bp":)" + std::to_string(good)));
    CHECK(b.state.org.member_cap_bp == good);
  }
}

TEST_CASE("org.register with a share price of zero is refused", "[org]") {
  Books b;
  std::string body =
      R"({"kind":"cooperative","name":"n","founded":"2013-05-20","share_price_fen":0})";
  CHECK(b.Refuse("org.register", body).where().field == "body.share_price_fen");
}

// ---- resolution.record ---------------------------------------------------------

TEST_CASE("a resolution before the organisation is registered is refused", "[resolution]") {
  Books b;
  CHECK(b.Refuse("resolution.record", Vote("R1", 30, 30, 30)).code() == Code::kRuleViolation);
}

TEST_CASE("a meeting needs two thirds of the members present", "[resolution]") {
  Books b = Registered();
  Status s = b.Refuse("resolution.record", Vote("R1", 30, 19, 19));
  CHECK(s.where().field == "body.present");
  CHECK(s.en().find("no quorum") != std::string::npos);
  b.Accept("resolution.record", Vote("R1", 30, 20, 20));
  CHECK(b.state.resolutions.at("R1").adopted);
}

TEST_CASE("a cooperative adopts with more than half of all members", "[resolution]") {
  Books b = Registered();
  // 15 of 30 is half, not more: rejected, and the entry must say so.
  CHECK(b.Refuse("resolution.record", Vote("R1", 30, 20, 15)).where().field == "body.outcome");
  b.Accept("resolution.record", Vote("R1", 30, 20, 15, R"(,"outcome":"rejected")"));
  CHECK_FALSE(b.state.resolutions.at("R1").adopted);
  b.Accept("resolution.record", Vote("R2", 30, 20, 16));
  CHECK(b.state.resolutions.at("R2").adopted);
}

TEST_CASE("a collective adopts with two thirds of all members", "[resolution]") {
  Books b = Registered("collective");
  b.Accept("resolution.record", Vote("R1", 30, 25, 19, R"(,"outcome":"rejected")"));
  CHECK_FALSE(b.state.resolutions.at("R1").adopted);
  b.Accept("resolution.record", Vote("R2", 30, 25, 20));
  CHECK(b.state.resolutions.at("R2").adopted);
}

TEST_CASE("a special matter in a cooperative needs two thirds of all members", "[resolution]") {
  Books b = Registered();
  b.Accept("resolution.record", Vote("R1", 30, 25, 19, R"(,"special":true,"outcome":"rejected")"));
  CHECK_FALSE(b.state.resolutions.at("R1").adopted);
  b.Accept("resolution.record", Vote("R2", 30, 25, 20, R"(,"special":true)"));
  CHECK(b.state.resolutions.at("R2").adopted);
}

TEST_CASE("a claimed outcome that does not follow from the votes is refused", "[resolution]") {
  Books b = Registered();
  Status s = b.Refuse("resolution.record", Vote("R1", 30, 30, 30, R"(,"outcome":"rejected")"));
  CHECK(s.code() == Code::kRuleViolation);
  CHECK(s.where().field == "body.outcome");
}

TEST_CASE("a resolution id can be recorded once", "[resolution]") {
  Books b = Registered();
  b.Accept("resolution.record", Vote("R1", 30, 30, 30));
  CHECK(b.Refuse("resolution.record", Vote("R1", 30, 30, 30)).where().field ==
        "body.resolution_id");
}

TEST_CASE("vote counts must be consistent", "[resolution]") {
  Books b = Registered();
  b.RefuseAny("resolution.record", Vote("R1", 30, 25, 26));  // more in favour than present
  b.RefuseAny("resolution.record", Vote("R1", 30, 31, 20));  // more present than members
  b.RefuseAny("resolution.record", Vote("R1", 0, 0, 0));     // nobody to vote
}

// ---- member.join -----------------------------------------------------------------

TEST_CASE("member.join records a person with the commitment only", "[member]") {
  Books b = Registered();
  b.Accept("member.join", Join("M1", "person", kHexA));
  const Member& m = b.state.members.at("M1");
  CHECK(m.status == "active");
  CHECK(m.id_commitment == kHexA);
  CHECK(b.state.id_commitments.count(kHexA) == 1);
}

TEST_CASE("a member id can join once", "[member]") {
  Books b = Registered();
  b.Accept("member.join", Join("M1", "person", kHexA));
  CHECK(b.Refuse("member.join", Join("M1", "person", kHexB)).where().field == "body.member_id");
}

TEST_CASE("a person or household without a commitment is refused", "[member]") {
  Books b = Registered();
  CHECK(b.Refuse("member.join", Join("M1", "person", "")).where().field == "body.id_commitment");
  CHECK(b.Refuse("member.join", Join("M1", "household", "")).where().field == "body.id_commitment");
}

TEST_CASE("a unit joins without a commitment", "[member]") {
  Books b = Registered();
  b.Accept("member.join", Join("V", "unit", ""));
  CHECK(b.state.members.at("V").id_commitment.empty());
  b.Accept("member.join", Join("V2", "unit", ""));  // two units: no commitment clash
  CHECK(b.state.id_commitments.empty());
}

TEST_CASE("the same ID commitment cannot join twice", "[member]") {
  Books b = Registered();
  b.Accept("member.join", Join("M1", "person", kHexA));
  Status s = b.Refuse("member.join", Join("M2", "household", kHexA));
  CHECK(s.code() == Code::kRuleViolation);
  CHECK(s.where().field == "body.id_commitment");
}

TEST_CASE("a member cannot join before the organisation is registered", "[member]") {
  Books b;
  b.RefuseAny("member.join", Join("M1", "person", kHexA));
}

TEST_CASE("a clear ID number in a member's name is refused before anything is written",
          "[member]") {
  Books b = Registered();
  std::string body = R"({"member_id":"M1","kind":"person","name":"王德 11010519491231002X",)"
                     R"("date":"2024-03-02","id_commitment":")" +
                     kHexA + "\"}";
  Status s = b.Refuse("member.join", body);
  CHECK(s.code() == Code::kRuleViolation);
  CHECK(s.where().field == "body.name");
}

// ---- member.status -----------------------------------------------------------------

Books WithMember() {
  Books b = Registered();
  b.Accept("member.join", Join("M1", "person", kHexA));
  b.Accept("resolution.record", Vote("R-exit", 30, 30, 30, "", "2024-05-01"));
  return b;
}

TEST_CASE("a status change needs an adopted resolution dated on or before it", "[member]") {
  Books b = WithMember();
  CHECK(b.Refuse("member.status", StatusChange("M1", "exited", "R-none")).where().field ==
        "body.resolution_id");
  b.Accept("resolution.record", Vote("R-no", 30, 30, 10, R"(,"outcome":"rejected")", "2024-05-01"));
  CHECK(b.Refuse("member.status", StatusChange("M1", "exited", "R-no")).where().field ==
        "body.resolution_id");
  CHECK(b.Refuse("member.status", StatusChange("M1", "exited", "R-exit", "2024-04-30"))
            .where()
            .field == "body.resolution_id");
  b.Accept("member.status", StatusChange("M1", "exited", "R-exit", "2024-05-01"));
  CHECK(b.state.members.at("M1").status == "exited");
}

TEST_CASE("a status change for an unknown member is refused", "[member]") {
  Books b = WithMember();
  CHECK(b.Refuse("member.status", StatusChange("M9", "suspended", "R-exit")).where().field ==
        "body.member_id");
}

TEST_CASE("a status that does not change is refused", "[member]") {
  Books b = WithMember();
  CHECK(b.Refuse("member.status", StatusChange("M1", "active", "R-exit")).where().field ==
        "body.status");
}

TEST_CASE("an exited or deceased member cannot change status", "[member]") {
  Books b = WithMember();
  b.Accept("member.status", StatusChange("M1", "exited", "R-exit"));
  CHECK(b.Refuse("member.status", StatusChange("M1", "active", "R-exit")).where().field ==
        "body.member_id");
  b.Accept("member.join", Join("M2", "person", kHexB));
  b.Accept("member.status", StatusChange("M2", "deceased", "R-exit"));
  b.RefuseAny("member.status", StatusChange("M2", "suspended", "R-exit"));
}

TEST_CASE("a suspended member can be made active again", "[member]") {
  Books b = WithMember();
  b.Accept("member.status", StatusChange("M1", "suspended", "R-exit"));
  b.Accept("member.status", StatusChange("M1", "active", "R-exit"));
  CHECK(b.state.members.at("M1").status == "active");
}

TEST_CASE("a member holding shares cannot exit or be recorded deceased by a status change",
          "[member]") {
  Books b = WithMember();
  b.state.members.at("M1").holdings[static_cast<size_t>(ContributionKind::kLand)].share_units =
      10000;
  for (const char* status : {"exited", "deceased"}) {
    Status s = b.Refuse("member.status", StatusChange("M1", status, "R-exit"));
    CHECK(s.where().field == "body.status");
    CHECK(s.en().find("share.exit") != std::string::npos);
  }
  b.Accept("member.status",
           StatusChange("M1", "suspended", "R-exit"));  // suspension keeps the shares
}

}  // namespace
}  // namespace cunzhang::domain
