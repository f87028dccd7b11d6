// RFC 4180 reading and writing: the edge cases Excel and hand-made sheets
// produce, and the line and column of every field and error.
#include "cunzhang/csv.h"

#include <catch2/catch.hpp>

namespace cunzhang::csv {
namespace {

std::vector<std::string> Texts(const Record& r) {
  std::vector<std::string> out;
  for (const Field& f : r.fields) out.push_back(f.text);
  return out;
}

}  // namespace

TEST_CASE("plain rows split on commas, with LF, CRLF or a lone CR between them", "[csv]") {
  for (const char* text :
       {"a,b,c\n1,2,3\n", "a,b,c\r\n1,2,3\r\n", "a,b,c\r1,2,3", "a,b,c\n1,2,3"}) {
    Table t = Parse(text, "f.csv");
    INFO(text);
    REQUIRE(t.errors.empty());
    REQUIRE(t.records.size() == 2);
    CHECK(Texts(t.records[0]) == std::vector<std::string>{"a", "b", "c"});
    CHECK(Texts(t.records[1]) == std::vector<std::string>{"1", "2", "3"});
    CHECK(t.records[1].line == 2);
  }
}

TEST_CASE("quoted fields hold commas, doubled quotes and line breaks", "[csv]") {
  Table t = Parse("名称,备注\r\n\"王\"\"大\"\"山\",\"一,二\r\n三\"\r\nx,\"\"\r\n", "f.csv");
  REQUIRE(t.errors.empty());
  REQUIRE(t.records.size() == 3);
  CHECK(Texts(t.records[1]) == std::vector<std::string>{"王\"大\"山", "一,二\n三"});
  CHECK(Texts(t.records[2]) == std::vector<std::string>{"x", ""});
  CHECK(t.records[2].line == 4);  // the line break inside the quotes counts
}

TEST_CASE("empty fields are kept, including a trailing one", "[csv]") {
  Table t = Parse("a,,c,\n", "f.csv");
  REQUIRE(t.records.size() == 1);
  CHECK(Texts(t.records[0]) == std::vector<std::string>{"a", "", "c", ""});
}

TEST_CASE("blank lines are skipped but keep the line count", "[csv]") {
  Table t = Parse("a\n\n\r\nb\n", "f.csv");
  REQUIRE(t.records.size() == 2);
  CHECK(t.records[1].line == 4);
}

TEST_CASE("a quoted empty line is a record, not a blank line", "[csv]") {
  Table t = Parse("a\n\"\"\n", "f.csv");
  REQUIRE(t.records.size() == 2);
  CHECK(Texts(t.records[1]) == std::vector<std::string>{""});
}

TEST_CASE("columns number the cells of a row, as Excel does", "[csv]") {
  Table t = Parse("王秀英,\"李,建国\",x\n", "f.csv");
  REQUIRE(t.records.size() == 1);
  CHECK(t.records[0].fields[0].column == 1);
  CHECK(t.records[0].fields[1].column == 2);
  CHECK(t.records[0].fields[2].column == 3);
}

TEST_CASE("an unclosed quote is reported where the cell starts", "[csv]") {
  Table t = Parse("a,b\n1,\"open\n2,3\n", "f.csv");
  REQUIRE(t.errors.size() == 1);
  CHECK(t.errors[0].where().line == 2);
  CHECK(t.errors[0].where().column == 2);
  CHECK(t.errors[0].where().file == "f.csv");
  CHECK(t.records.size() == 1);
}

TEST_CASE("every bad record is reported and the good ones after it are read", "[csv]") {
  Table t = Parse("a,b\n\"x\"y,1\nok,2\n王\"五,3\nfine,4\n", "f.csv");
  REQUIRE(t.errors.size() == 2);
  CHECK(t.errors[0].where().line == 2);
  CHECK(t.errors[0].where().column == 1);  // the y after the closing quote, in the first cell
  CHECK(t.errors[1].where().line == 4);
  CHECK(t.errors[1].where().column == 1);  // the bare quote
  REQUIRE(t.records.size() == 3);
  CHECK(t.records[1].fields[0].text == "ok");
  CHECK(t.records[2].fields[0].text == "fine");
}

TEST_CASE("a row with too many columns is refused", "[csv]") {
  std::string row;
  for (size_t i = 0; i <= kFieldsPerRecordMax; ++i) row += "x,";
  Table t = Parse(row + "\n", "f.csv");
  CHECK(t.records.empty());
  REQUIRE(t.errors.size() == 1);
}

TEST_CASE("EncodeRecord quotes only what needs it and reads back the same", "[csv]") {
  std::vector<std::string> fields = {"王秀英", "a,b", "say \"hi\"", "two\nlines", "", " pad"};
  std::string line = EncodeRecord(fields);
  CHECK(line == "王秀英,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\" pad\"\r\n");
  Table t = Parse(line, "f.csv");
  REQUIRE(t.records.size() == 1);
  CHECK(Texts(t.records[0]) == fields);
}

}  // namespace cunzhang::csv
