// books.journal through Apply: balanced lines on the organisation's chart are
// posted; unbalanced lines, unknown accounts, unknown members and any line on
// 301 股金/资本 are refused with the line named.
#include <catch2/catch.hpp>

#include "books.h"
#include "coop_test_util.h"

namespace cunzhang::domain::testing {
namespace {

Json Line(const std::string& account, const char* side, int64_t fen,
          const std::string& member = "") {
  Json line = {{"account", account}, {side, fen}};
  if (!member.empty()) line["member_id"] = member;
  return line;
}

Json JournalBody(const Json& lines) {
  return {{"date", "2021-09-30"}, {"memo", "农机作业收入存入银行"}, {"lines", lines}};
}

TEST_CASE("a balanced journal posts its lines", "[journal]") {
  Coop c = Founded();
  c.Accept("books.journal",
           JournalBody({Line("102", "debit_fen", 1'700'000), Line("501", "credit_fen", 1'500'000),
                        Line("502", "credit_fen", 200'000)}));
  CHECK(c.balance("102") == 1'700'000);
  CHECK(c.balance("501") == -1'500'000);
  CHECK(c.balance("502") == -200'000);
  CHECK(c.state.effects.empty());
}

TEST_CASE("an unbalanced journal is refused", "[journal]") {
  Coop c = Founded();
  Status s = c.Refuse("books.journal",
                      JournalBody({Line("102", "debit_fen", 100), Line("501", "credit_fen", 99)}));
  CHECK(s.code() == Code::kRuleViolation);
  CHECK(s.where().field == "body.lines");
  CHECK(s.en() == "debits 1.00 do not equal credits 0.99 (yuan)");
}

TEST_CASE("a journal touching 301 is refused: capital moves only through share entries",
          "[journal]") {
  Coop c = Founded();
  Status s = c.Refuse("books.journal", JournalBody({Line("102", "debit_fen", 100),
                                                    Line("301", "credit_fen", 100, MemberId(1))}));
  CHECK(s.where().field == "body.lines[1].account");
  CHECK(s.en().find("cannot post to 301") != std::string::npos);
}

TEST_CASE("a journal line on an unknown account or member is refused", "[journal]") {
  Coop c = Founded();
  Status account =
      c.Refuse("books.journal",
               JournalBody({Line("102", "debit_fen", 100), Line("599", "credit_fen", 100)}));
  CHECK(account.where().field == "body.lines[1]");
  CHECK(account.en() == "account 599 is not in the coop-2021 chart");
  // 114 成员往来 exists in the cooperative chart but not in the collective one.
  Coop village = Founded({.kind = "collective"});
  Status chart =
      village.Refuse("books.journal",
                     JournalBody({Line("114", "debit_fen", 100), Line("501", "credit_fen", 100)}));
  CHECK(chart.where().field == "body.lines[0]");
  Status member = c.Refuse("books.journal", JournalBody({Line("114", "debit_fen", 100, "M404"),
                                                         Line("501", "credit_fen", 100)}));
  CHECK(member.where().field == "body.lines[0].member_id");
}

TEST_CASE("a journal line needs exactly one side", "[journal][schema]") {
  Coop c = Founded();
  Json both = Line("102", "debit_fen", 100);
  both["credit_fen"] = 100;
  Status s = c.Refuse("books.journal", JournalBody({both, Line("501", "credit_fen", 100)}));
  CHECK(s.code() == Code::kInvalidInput);
  Status one = c.Refuse("books.journal", JournalBody({Line("102", "debit_fen", 100)}));
  CHECK(one.code() == Code::kInvalidInput);
}

TEST_CASE("a journal names the members on its lines, once each", "[journal]") {
  Entry entry{.type = "books.journal",
              .body = ToValue(JournalBody({Line("114", "debit_fen", 100, MemberId(2)),
                                           Line("114", "debit_fen", 100, MemberId(2)),
                                           Line("501", "credit_fen", 200)}))};
  CHECK(MembersTouched(entry) == std::vector<std::string>{MemberId(2)});
}

}  // namespace
}  // namespace cunzhang::domain::testing

namespace cunzhang::domain::books {

TEST_CASE("Every account of both charts is found by its code, and nothing else is", "[books]") {
  for (const char* chart : {"coop-2021", "collective-2023"}) {
    INFO(chart);
    REQUIRE_FALSE(Chart(chart).empty());
    for (const Account& account : Chart(chart)) {
      INFO(account.code);
      CHECK(FindAccount(chart, account.code) == &account);
    }
    for (const char* code : {"", "1", "10", "1011", "999", "000", "10a", " 101", "１０１"}) {
      CHECK(FindAccount(chart, code) == nullptr);
    }
  }
  CHECK(FindAccount("coop-2021", "114") != nullptr);
  CHECK(FindAccount("collective-2023", "114") == nullptr);  // not in the 2023 chart
  CHECK(FindAccount("no-such-chart", "101") == nullptr);
}

}  // namespace cunzhang::domain::books
