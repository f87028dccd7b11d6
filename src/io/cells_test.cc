// Cell values: yuan to fen exactly, dates as Excel writes them, decimals.
#include "cells.h"

#include <catch2/catch.hpp>

namespace cunzhang::io::cells {

TEST_CASE("yuan convert to fen exactly, with at most two decimals", "[cells]") {
  CHECK(*ParseYuan("5000.00") == 500000);
  CHECK(*ParseYuan("5000") == 500000);
  CHECK(*ParseYuan("5000.5") == 500050);
  CHECK(*ParseYuan("0.01") == 1);
  CHECK(*ParseYuan("0.10") == 10);
  CHECK(*ParseYuan("5,000.00") == 500000);
  CHECK(*ParseYuan("1,234,567.89") == 123456789);
  CHECK(*ParseYuan("¥12.50") == 1250);
  CHECK(*ParseYuan("￥12") == 1200);
}

TEST_CASE("large yuan amounts stay exact where a double would not", "[cells]") {
  // 90071992547409.93 yuan: as a double times 100 it would not be this integer.
  CHECK(*ParseYuan("90071992547409.93") == 9007199254740993);
  CHECK(*ParseYuan("123456789012345.67") == 12345678901234567);
}

TEST_CASE("yuan with three decimals are refused as too many decimals", "[cells]") {
  Result<int64_t> r = ParseYuan("5000.001");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().en().find("more than two decimals") != std::string::npos);
  CHECK(r.status().zh().find("两位") != std::string::npos);
}

TEST_CASE("malformed amounts are refused", "[cells]") {
  for (const char* bad :
       {"-5", "+5", "5,00", "50,0000", ",500", "1e3", "5.", ".5", "五千", "05", "5 000", ""}) {
    INFO(bad);
    CHECK_FALSE(ParseYuan(bad).ok());
  }
}

TEST_CASE("fen cells take whole numbers only", "[cells]") {
  CHECK(*ParseFen("500000") == 500000);
  CHECK(*ParseFen("0") == 0);
  CHECK_FALSE(ParseFen("5000.00").ok());
  CHECK_FALSE(ParseFen("007").ok());
  CHECK_FALSE(ParseFen("-1").ok());
}

TEST_CASE("dates in the forms Chinese Excel writes become YYYY-MM-DD", "[cells]") {
  for (const char* text : {"2022-03-05", "2022-3-5", "2022/3/5", "2022/03/05", "2022.3.5",
                           "2022年3月5日", "2022年03月05日", "20220305"}) {
    INFO(text);
    CHECK(*ParseDate(text) == "2022-03-05");
  }
  CHECK(*ParseDate("2024-02-29") == "2024-02-29");
}

TEST_CASE("impossible or unreadable dates are refused", "[cells]") {
  for (const char* bad : {"2022-02-29", "2022-13-01", "2022-04-31", "22-3-5", "2022-3", "3/5/2022",
                          "2022-03-05 10:00", "44621", "", "1899-12-31"}) {
    INFO(bad);
    CHECK_FALSE(ParseDate(bad).ok());
  }
}

TEST_CASE("decimals are written with the full scale", "[cells]") {
  int64_t units = 0;
  CHECK(*ParseDecimal("11", 4, &units) == "11.0000");
  CHECK(units == 110000);
  CHECK(*ParseDecimal("8.5", 4) == "8.5000");
  CHECK(*ParseDecimal("10.5", 2) == "10.50");
  Result<std::string> r = ParseDecimal("11.12345", 4);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().en().find("more than 4 decimals") != std::string::npos);
  CHECK_FALSE(ParseDecimal("-1", 4).ok());
}

TEST_CASE("counts and yes/no", "[cells]") {
  CHECK(*ParseCount("30") == 30);
  CHECK(*ParseCount("0") == 0);
  CHECK_FALSE(ParseCount("3.0").ok());
  CHECK_FALSE(ParseCount("-3").ok());
  CHECK_FALSE(ParseCount("99999999999").ok());
  CHECK(*ParseYesNo("是"));
  CHECK_FALSE(*ParseYesNo("否"));
  CHECK(*ParseYesNo("YES"));
  CHECK_FALSE(ParseYesNo("maybe").ok());
}

TEST_CASE("trimming removes ASCII, ideographic and no-break spaces", "[cells]") {
  CHECK(Trim("  王秀英\t") == "王秀英");
  CHECK(Trim("\xE3\x80\x80M001\xC2\xA0") == "M001");
  CHECK(Trim("   ").empty());
}

TEST_CASE("headers fold full-width parentheses, case and spaces", "[cells]") {
  CHECK(Fold("金额（元）") == Fold("金额(元)"));
  CHECK(Fold(" Member_ID ") == "member_id");
  CHECK(Fold("amount yuan") == "amountyuan");
}

}  // namespace cunzhang::io::cells
