// The roll and the register as tables and files.
#include "cunzhang/report.h"

#include <catch2/catch.hpp>

#include "test_util.h"

namespace cunzhang::report {
namespace {

domain::State TwoMembers() {
  domain::State s;
  domain::Member a{.id = "M001",
                   .kind = "household",
                   .name = "王秀英",
                   .household = "1组01",
                   .joined = "2022-03-05"};
  a.holdings[0] = {.share_units = 110000000, .capital_fen = 1100000};  // 11000 land shares
  a.holdings[1] = {.share_units = 50000000, .capital_fen = 500000};
  domain::Member b{.id = "M002",
                   .kind = "person",
                   .name = "=HYPERLINK(\"x\")",
                   .status = "exited",
                   .joined = "2022-03-06"};
  b.holdings[3] = {.share_units = 1, .capital_fen = 1};
  b.reserve_fen = 250;
  s.members[a.id] = a;
  s.members[b.id] = b;
  return s;
}

}  // namespace

TEST_CASE("the register sums each kind exactly and rounds the percentage down", "[report]") {
  Table t = ShareRegister(TwoMembers(), false);
  REQUIRE(t.rows.size() == 3);
  CHECK(t.rows[0] == std::vector<std::string>{"M001", "王秀英", "在册", "11000.0000", "5000.0000",
                                              "0.0000", "0.0000", "16000.0000", "16000.00", "0.00",
                                              "99.9999"});
  CHECK(t.rows[1][7] == "0.0001");
  CHECK(t.rows[1][8] == "0.01");
  CHECK(t.rows[1][9] == "2.50");
  CHECK(t.rows[1][10] == "0.0000");
  CHECK(t.rows[2] == std::vector<std::string>{"合计", "", "", "11000.0000", "5000.0000", "0.0000",
                                              "0.0001", "16000.0001", "16000.01", "2.50",
                                              "100.0000"});
  CHECK(ShareRegister(TwoMembers(), true).header_en[10] == "percent_of_shares");
}

TEST_CASE("the roll names kinds and statuses in the table's language", "[report]") {
  Table zh = MemberRoll(TwoMembers(), false);
  CHECK(zh.rows[0] ==
        std::vector<std::string>{"M001", "王秀英", "农户", "1组01", "在册", "2022-03-05"});
  CHECK(zh.rows[1][4] == "已退社");
  Table en = MemberRoll(TwoMembers(), true);
  CHECK(en.rows[1][2] == "person");
  CHECK(en.rows[1][4] == "exited");
}

TEST_CASE("CSV exports start with a BOM, end rows with CRLF and defuse formulas", "[report]") {
  std::string csv = ToCsv(MemberRoll(TwoMembers(), false), false);
  CHECK(csv.rfind("\xEF\xBB\xBF成员编号,姓名,类型,户号,状态,入社日期\r\n", 0) == 0);
  CHECK(csv.find("M001,王秀英,农户,1组01,在册,2022-03-05\r\n") != std::string::npos);
  CHECK(csv.find("\"'=HYPERLINK(\"\"x\"\")\"") != std::string::npos);
  CHECK(SafeCell("-5") == "'-5");
  CHECK(SafeCell("王") == "王");
}

TEST_CASE("files are written whole, and XLSX is a zip", "[report]") {
  testing::TempDir dir;
  Table t = ShareRegister(TwoMembers(), false);
  REQUIRE(WriteCsv(t, false, dir / "r.csv").ok());
  CHECK(testing::ReadFile(dir / "r.csv") == ToCsv(t, false));
  REQUIRE(WriteXlsx(t, false, dir / "r.xlsx").ok());
  CHECK(testing::ReadFile(dir / "r.xlsx").rfind("PK\x03\x04", 0) == 0);
  Status bad = WriteCsv(t, false, dir / "missing-dir/r.csv");
  CHECK(bad.code() == Code::kIo);
}

TEST_CASE("text tables align wide characters", "[report]") {
  std::string text = ToText(MemberRoll(TwoMembers(), false), false);
  std::vector<std::string> lines = testing::SplitLines(text);
  REQUIRE(lines.size() == 3);
  // "成员编号" is 8 columns wide, as is "M001" padded by 4 spaces; both are followed by 2 spaces.
  CHECK(lines[1].rfind("M001      王秀英", 0) == 0);
}

}  // namespace cunzhang::report
