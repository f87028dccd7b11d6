// Decoding imported files: UTF-8 with and without a BOM, GB18030 as Chinese
// Excel writes it (made here with the iconv program), and bad bytes named by
// line and column.
#include <catch2/catch.hpp>

#include "cunzhang/csv.h"
#include "test_util.h"

namespace cunzhang::csv {
namespace {

const std::string kSheet = "成员编号,姓名\r\nM001,王秀英\r\nM002,包·巴特尔\r\n";

// The text as GB18030 bytes, converted by the system's iconv program.
std::string ToGb18030(const std::string& utf8) {
  testing::RunResult r = testing::Run({"/usr/bin/iconv", "-f", "UTF-8", "-t", "GB18030"}, utf8);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE("UTF-8 without a BOM decodes to itself", "[decode]") {
  DecodeResult d = Decode(kSheet, Encoding::kAuto, "f.csv");
  REQUIRE(d.errors.empty());
  CHECK(d.text.utf8 == kSheet);
  CHECK(d.text.encoding == Encoding::kUtf8);
  CHECK_FALSE(d.text.had_bom);
}

TEST_CASE("a UTF-8 BOM is removed and remembered", "[decode]") {
  DecodeResult d = Decode("\xEF\xBB\xBF" + kSheet, Encoding::kAuto, "f.csv");
  REQUIRE(d.errors.empty());
  CHECK(d.text.utf8 == kSheet);
  CHECK(d.text.had_bom);
}

TEST_CASE("a GB18030 file made with iconv is detected and decoded", "[decode]") {
  const std::string gb = ToGb18030(kSheet);
  REQUIRE(gb != kSheet);
  DecodeResult d = Decode(gb, Encoding::kAuto, "f.csv");
  REQUIRE(d.errors.empty());
  CHECK(d.text.encoding == Encoding::kGb18030);
  CHECK(d.text.utf8 == kSheet);
  DecodeResult named = Decode(gb, Encoding::kGb18030, "f.csv");
  CHECK(named.text.utf8 == kSheet);
}

TEST_CASE("GB18030 four-byte characters outside GBK decode too", "[decode]") {
  const std::string rare = "𠀀,€\n";  // U+20000 and the euro sign
  DecodeResult d = Decode(ToGb18030(rare), Encoding::kGb18030, "f.csv");
  REQUIRE(d.errors.empty());
  CHECK(d.text.utf8 == rare);
}

TEST_CASE("bytes that are not GB18030 are reported with their line", "[decode]") {
  std::string gb = ToGb18030("a,b\n王,1\n");
  gb += "x,\xFF\n";
  DecodeResult d = Decode(gb, Encoding::kGb18030, "f.csv");
  REQUIRE(d.errors.size() == 1);
  CHECK(d.errors[0].where().line == 3);
  CHECK(d.errors[0].where().column == 3);
  CHECK(d.errors[0].en().find("0xFF") != std::string::npos);
  CHECK(d.text.utf8.empty());
}

TEST_CASE("GB18030 read as UTF-8 names every bad byte", "[decode]") {
  const std::string gb = ToGb18030("王\n李\n");
  DecodeResult d = Decode(gb, Encoding::kUtf8, "f.csv");
  REQUIRE(d.errors.size() >= 2);
  CHECK(d.errors.front().where().line == 1);
  CHECK(d.errors.back().where().line == 2);
  CHECK(d.errors.front().code() == Code::kInvalidInput);
}

TEST_CASE("UTF-8 overlongs and surrogates are not UTF-8", "[decode]") {
  for (const char* bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE4\xB8"}) {
    DecodeResult d = Decode(std::string("ok,") + bad, Encoding::kUtf8, "f.csv");
    CHECK(d.errors.size() >= 1);
    CHECK(d.errors[0].where().column == 4);
  }
}

TEST_CASE("UTF-16 is refused with advice", "[decode]") {
  DecodeResult d = Decode(std::string("\xFF\xFE"
                                      "a\0,\0",
                                      6),
                          Encoding::kAuto, "f.csv");
  REQUIRE(d.errors.size() == 1);
  CHECK(d.errors[0].en().find("UTF-16") != std::string::npos);
}

}  // namespace cunzhang::csv
