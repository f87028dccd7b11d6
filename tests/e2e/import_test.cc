// End-to-end: the accountant's sheets in (CSV, UTF-8 or GB18030), the roll
// and register out (CSV, XLSX), and the villager's statement (text, JSON),
// all through the cunzhang command line.
#include <sys/stat.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "schema_check.h"
#include "test_util.h"

namespace {

using cunzhang::testing::SchemaErrors;

using cunzhang::testing::ReadFile;
using cunzhang::testing::Run;
using cunzhang::testing::RunResult;
using cunzhang::testing::TempDir;
using cunzhang::testing::WriteFile;

const std::string kBin = CUNZHANG_BIN_DIR;
constexpr const char* kId1 = "11010519491231002X";
constexpr const char* kId2 = "150402196503120026";

RunResult Cz(std::vector<std::string> args, const std::string& lang = "en") {
  args.insert(args.begin(), kBin + "/cunzhang");
  args.push_back("--lang=" + lang);
  return Run(args);
}

const std::string kOrg =
    R"({"type":"org.register","idempotency_id":"org","operator":{"name":"李会计","role":"accountant"},)"
    R"("body":{"kind":"cooperative","name":"大新井村兴农农机专业合作社","founded":"2022-01-01",)"
    R"("share_price_fen":100,"registered_capital_fen":100000000}})";

const std::string kMembers = std::string("成员编号,姓名,类型,户号,身份证号,入社日期\r\n") +
                             "M001,王秀英,农户,1组01," + kId1 + ",2022-03-05\r\n" +
                             "M002,李建国,个人,1组02," + kId2 + ",2022/3/5\r\n" +
                             "U01,大新井村股份经济合作社,单位,,,2022年3月5日\r\n";
const std::string kResolutions =
    "决议编号,日期,会议,事项,应到人数,出席人数,赞成人数\r\nR1,2022-02-01,成员大会,入股估值办法,30,"
    "25,20\r\n";
const std::string kValuation =
    "规则编号,类型,生效日期,决议编号,等级或工种,单价（元）,说明\r\n"
    "land-1,土地,2022-02-01,R1,一等,1000.00,\r\n"
    "lab-m,劳动,2022-02-01,R1,男工,120,\r\n"
    "tractor,实物评估,2022-02-01,R1,,\"35,000.00\",\"东方红拖拉机一台，\"\"九成新\"\"\"\r\n";
const std::string kLand =
    "成员编号,日期,亩数,地块等级,地块编号,估值规则\r\nM001,2022-03-10,11,一等,承包-0101,land-1\r\n"
    "M002,2022-03-10,8.5,一等,承包-0102,land-1\r\n";
const std::string kCapital =
    "成员编号,日期,金额（元）,凭证号\r\nM001,2022-03-12,5000.00,记-01\r\nM002,2022-03-12,\"3,000\","
    "记-02\r\n";
const std::string kLabour =
    "成员编号,日期,工日,工种,估值规则\r\nM002,2022-04-01,10.5,男工,lab-m\r\n";
const std::string kGoods = "成员编号,日期,估值规则\r\nM001,2022-03-15,tractor\r\n";

struct Village {
  TempDir tmp;
  std::string ledger = tmp / "ledger";

  Village() {
    REQUIRE(Cz({"init", ledger, "--origin", "cunzhang.example/daxinjing"}).exit_code == 0);
    WriteFile(tmp / "org.json", kOrg);
    REQUIRE(Cz({"append", ledger, tmp / "org.json"}).exit_code == 0);
  }

  RunResult Import(const std::string& sheet, const std::string& text,
                   std::vector<std::string> extra = {}) {
    const std::string file = tmp / (sheet + ".csv");
    WriteFile(file, text);
    std::vector<std::string> args = {"import", ledger,       file,    "--sheet",
                                     sheet,    "--operator", "李会计"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Cz(args);
  }

  void ImportAll() {
    for (const auto& [sheet, text] :
         std::vector<std::pair<std::string, std::string>>{{"members", kMembers},
                                                          {"resolutions", kResolutions},
                                                          {"valuation", kValuation},
                                                          {"land", kLand},
                                                          {"capital", kCapital},
                                                          {"labour", kLabour},
                                                          {"goods", kGoods}}) {
      RunResult r = Import(sheet, text);
      INFO(sheet << "\n" << r.out << r.err);
      REQUIRE(r.exit_code == 0);
    }
  }

  nlohmann::json Root() {
    RunResult r = Cz({"root", ledger, "--json"});
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
  }
};

// The uncompressed bytes of one member of a zip archive ("" when absent).
std::string ZipMember(const std::string& zip, const std::string& name) {
  auto u16 = [&](size_t at) {
    return static_cast<size_t>(static_cast<uint8_t>(zip[at]) | static_cast<uint8_t>(zip[at + 1])
                                                                   << 8);
  };
  auto u32 = [&](size_t at) { return u16(at) | u16(at + 2) << 16; };
  size_t eocd = zip.rfind(std::string("PK\x05\x06", 4));
  if (eocd == std::string::npos) return "";
  size_t at = u32(eocd + 16);
  for (size_t i = 0, n = u16(eocd + 10); i < n; ++i) {
    const size_t name_len = u16(at + 28), extra_len = u16(at + 30), comment_len = u16(at + 32);
    if (zip.compare(at + 46, name_len, name) == 0) {
      const size_t method = u16(at + 10), packed = u32(at + 20), size = u32(at + 24),
                   local = u32(at + 42);
      const size_t data = local + 30 + u16(local + 26) + u16(local + 28);
      if (method == 0) return zip.substr(data, size);
      std::string out(size, '\0');
      z_stream z{};
      inflateInit2(&z, -MAX_WBITS);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zip.data() + data));
      z.avail_in = static_cast<uInt>(packed);
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = static_cast<uInt>(size);
      int rc = inflate(&z, Z_FINISH);
      inflateEnd(&z);
      return rc == Z_STREAM_END ? out : "";
    }
    at += 46 + name_len + extra_len + comment_len;
  }
  return "";
}

bool ValidStatement(const nlohmann::json& doc, std::string* errors) {
  return cunzhang::testing::ConformsToSchema("statement.schema.json", doc, errors);
}

std::string AllFilesIn(const std::string& dir) {
  std::string all;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) all += ReadFile(e.path().string());
  }
  return all;
}

}  // namespace

TEST_CASE("the seven sheets import, and each row becomes one entry", "[import]") {
  Village v;
  v.ImportAll();
  CHECK(v.Root()["size"] == 1 + 3 + 1 + 3 + 2 + 2 + 1 + 1);
  RunResult log = Cz({"log", v.ledger, "--type", "contribution.capital", "--raw"});
  CHECK(log.out.find(R"("amount_fen":500000)") != std::string::npos);
  CHECK(log.out.find(R"("amount_fen":300000)") != std::string::npos);
  CHECK(log.out.find(R"("idempotency_id":"csv/capital/M001/2022-03-12/记-01")") !=
        std::string::npos);
  CHECK(log.out.find(R"("operator":{"name":"李会计","role":"accountant"})") != std::string::npos);
  RunResult goods = Cz({"log", v.ledger, "--type", "valuation.rule", "--raw"});
  CHECK(goods.out.find(R"("description":"东方红拖拉机一台，\"九成新\"")") != std::string::npos);
}

TEST_CASE("one import is atomic: a rule violation in row 3 writes nothing of the file",
          "[import]") {
  Village v;
  REQUIRE(v.Import("members", kMembers).exit_code == 0);
  const auto before = v.Root();
  RunResult r =
      v.Import("capital", "成员编号,日期,金额（元）\nM001,2022-03-12,100\nM404,2022-03-12,200\n");
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("capital.csv:3:1") != std::string::npos);
  CHECK(r.err.find("M404") != std::string::npos);
  CHECK(r.err.find("nothing of the file was written") != std::string::npos);
  CHECK(v.Root() == before);
}

TEST_CASE("every bad row is reported with file, line and column in one run, and nothing is written",
          "[import]") {
  Village v;
  const auto before = v.Root();
  RunResult r = v.Import(
      "members", std::string("成员编号,姓名,类型,户号,身份证号,入社日期\n") +
                     "M001,王秀英,农户,1组01,110105194912310021,2022-03-05\n" +  // check digit
                     "M002,李建国,个人,1组02," + kId2 + ",2022-02-30\n" +        // no such day
                     "M003,张三,个人\n" +                                        // short row
                     "M004,赵四,居民,,," + "2022-03-05\n");                      // kind
  INFO(r.err);
  CHECK(r.exit_code == 3);
  const std::string file = v.tmp / "members.csv";
  CHECK(r.err.find(file + ":2:5, field 身份证号") != std::string::npos);
  CHECK(r.err.find(file + ":3:6, field 入社日期") != std::string::npos);
  CHECK(r.err.find(file + ":4:4") != std::string::npos);
  CHECK(r.err.find(file + ":5:3, field 类型") != std::string::npos);
  CHECK(r.err.find("4 error(s); nothing was written") != std::string::npos);
  CHECK(v.Root() == before);
  CHECK_FALSE(std::filesystem::exists(v.ledger + "/id-registry.jsonl"));
}

TEST_CASE("a wrong header is reported with its column", "[import]") {
  Village v;
  RunResult r = v.Import(
      "land", "成员编号,日子,亩数,地块等级,地块编号,估值规则\nM001,2022-03-10,11,一等,P,land-1\n");
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("land.csv:1:2") != std::string::npos);
  CHECK(r.err.find("\"日子\" is not a column of the land sheet") != std::string::npos);
  CHECK(r.err.find("the column \"date\" is missing") != std::string::npos);
}

TEST_CASE("dry run shows what would be written, runs the rules, and writes nothing", "[import]") {
  Village v;
  const auto before = v.Root();
  RunResult r = v.Import("members", kMembers, {"--dry-run"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("M001") != std::string::npos);
  CHECK(r.out.find("joined") != std::string::npos);
  CHECK(r.out.find("nothing was written") != std::string::npos);
  CHECK(v.Root() == before);
  CHECK_FALSE(std::filesystem::exists(v.ledger + "/id-registry.jsonl"));

  v.ImportAll();
  const auto after = v.Root();
  RunResult more =
      v.Import("capital", "成员编号,日期,金额（元）,凭证号\nM001,2022-05-01,1000,记-09\n",
               {"--dry-run", "--json"});
  REQUIRE(more.exit_code == 0);
  auto out = nlohmann::json::parse(more.out);
  CHECK(out["dry_run"] == true);
  CHECK(out["rows"][0]["line"] == 2);
  CHECK(out["rows"][0]["capital_fen"] == 100000);
  CHECK(out["rows"][0]["shares"] == "1000.0000");
  CHECK(v.Root() == after);

  RunResult refused =
      v.Import("capital", "成员编号,日期,金额（元）\nM404,2022-05-01,1000\n", {"--dry-run"});
  CHECK(refused.exit_code == 4);
  CHECK(refused.err.find(":2:1") != std::string::npos);
}

TEST_CASE("importing the same file again writes nothing new; a changed row is a conflict",
          "[import]") {
  Village v;
  v.ImportAll();
  const auto before = v.Root();
  RunResult again = v.Import("members", kMembers);
  REQUIRE(again.exit_code == 0);
  CHECK(again.out.find("0 new entries, 3 already recorded") != std::string::npos);
  RunResult capital = v.Import("capital", kCapital);
  REQUIRE(capital.exit_code == 0);
  CHECK(v.Root() == before);
  RunResult changed =
      v.Import("capital", "成员编号,日期,金额（元）,凭证号\nM001,2022-03-12,5001.00,记-01\n");
  CHECK(changed.exit_code == 6);
  CHECK(changed.err.find("capital.csv:2") != std::string::npos);
  CHECK(v.Root() == before);
}

TEST_CASE("a GB18030 sheet from Chinese Excel imports exactly as its UTF-8 twin", "[import]") {
  RunResult gb = Run({"/usr/bin/iconv", "-f", "UTF-8", "-t", "GB18030"}, kMembers);
  REQUIRE(gb.exit_code == 0);
  Village utf8, gb18030;
  REQUIRE(utf8.Import("members", "\xEF\xBB\xBF" + kMembers).exit_code == 0);
  REQUIRE(gb18030.Import("members", gb.out, {"--encoding", "gb18030"}).exit_code == 0);
  RunResult a = Cz({"roll", utf8.ledger, "--json"});
  RunResult b = Cz({"roll", gb18030.ledger, "--json"});
  REQUIRE(a.exit_code == 0);
  CHECK(a.out == b.out);
  CHECK(a.out.find("王秀英") != std::string::npos);
  Village detected;
  REQUIRE(detected.Import("members", gb.out).exit_code == 0);  // --encoding auto
  CHECK(Cz({"roll", detected.ledger, "--json"}).out == a.out);
}

TEST_CASE("the roll and the register are written as CSV with a BOM and as XLSX", "[export]") {
  Village v;
  v.ImportAll();
  REQUIRE(Cz({"roll", v.ledger, "--csv", v.tmp / "roll.csv", "--xlsx", v.tmp / "roll.xlsx"}, "zh")
              .exit_code == 0);
  REQUIRE(Cz({"register", v.ledger, "--csv", v.tmp / "reg.csv", "--xlsx", v.tmp / "reg.xlsx"}, "zh")
              .exit_code == 0);
  const std::string roll = ReadFile(v.tmp / "roll.csv");
  CHECK(roll.rfind("\xEF\xBB\xBF成员编号,姓名,类型,户号,状态,入社日期\r\n", 0) == 0);
  CHECK(roll.find("M001,王秀英,农户,1组01,在册,2022-03-05\r\n") != std::string::npos);
  const std::string reg = ReadFile(v.tmp / "reg.csv");
  // M001: 11 mu at 1000 yuan, 5000 yuan, a 35000-yuan tractor.
  CHECK(reg.find(
            "M001,王秀英,在册,11000.0000,5000.0000,35000.0000,0.0000,51000.0000,51000.00,0.00,") !=
        std::string::npos);
  CHECK(
      reg.find("M002,李建国,在册,8500.0000,3000.0000,0.0000,1260.0000,12760.0000,12760.00,0.00,") !=
      std::string::npos);
  CHECK(reg.find("合计,,,19500.0000,8000.0000,35000.0000,1260.0000,63760.0000,63760.00,0.00,100."
                 "0000\r\n") != std::string::npos);
  for (const char* name : {"roll.xlsx", "reg.xlsx"}) {
    const std::string xlsx = ReadFile(v.tmp / name);
    REQUIRE(xlsx.rfind("PK\x03\x04", 0) == 0);
    const std::string sheet = ZipMember(xlsx, "xl/worksheets/sheet1.xml");
    INFO(name);
    CHECK(sheet.find("王秀英") != std::string::npos);
    CHECK(sheet.find("成员编号") != std::string::npos);
  }
  CHECK(ZipMember(ReadFile(v.tmp / "reg.xlsx"), "xl/worksheets/sheet1.xml").find("51000.00") !=
        std::string::npos);
  CHECK(ZipMember(ReadFile(v.tmp / "reg.xlsx"), "xl/workbook.xml").find("股权登记簿") !=
        std::string::npos);
}

TEST_CASE("a table that cannot be written says so in both languages, and only that", "[export]") {
  Village v;
  v.ImportAll();
  for (const char* flag : {"--csv", "--xlsx"}) {
    RunResult r = Cz({"roll", v.ledger, flag, v.tmp / "no-such-dir/roll.out"}, "zh");
    INFO(flag << "\n" << r.err);
    CHECK(r.exit_code == 10);
    CHECK(r.err.rfind("错误：无法创建文件：", 0) == 0);
    CHECK(r.err.find("error: cannot create ") != std::string::npos);
    CHECK(r.err.find("[ERROR]") == std::string::npos);  // libxlsxwriter's own complaint
  }
}

TEST_CASE("the statement in Chinese, in English, and as JSON valid against its schema",
          "[statement]") {
  Village v;
  v.ImportAll();
  const auto root = v.Root();
  RunResult zh = Cz({"statement", v.ledger, "M001"}, "zh");
  REQUIRE(zh.exit_code == 0);
  CHECK(zh.out.find("成员对账单") != std::string::npos);
  CHECK(zh.out.find("土地入股") != std::string::npos);
  CHECK(zh.out.find("11.0000 亩") != std::string::npos);
  CHECK(zh.out.find("东方红拖拉机一台") != std::string::npos);
  CHECK(zh.out.find(root["root"].get<std::string>()) != std::string::npos);
  RunResult en = Cz({"statement", v.ledger, "M002"});
  REQUIRE(en.exit_code == 0);
  CHECK(en.out.find("labour contribution") != std::string::npos);
  CHECK(en.out.find("10.50 workdays") != std::string::npos);

  RunResult js = Cz({"statement", v.ledger, "M001", "--json"});
  REQUIRE(js.exit_code == 0);
  auto doc = nlohmann::json::parse(js.out);
  std::string errors;
  CHECK(ValidStatement(doc, &errors));
  INFO(errors);
  CHECK(errors.empty());
  CHECK(doc["ledger"]["root"] == root["root"]);
  CHECK(doc["ledger"]["size"] == root["size"]);
  CHECK(doc["holdings"][0]["shares"] == "11000.0000");
  CHECK(doc["totals"]["capital_fen"] == 5100000);
  CHECK(js.out.find(kId1) == std::string::npos);

  auto bad = doc;
  bad["totals"]["capital_fen"] = "51000.00";
  std::string bad_errors;
  CHECK_FALSE(ValidStatement(bad, &bad_errors));

  CHECK(Cz({"statement", v.ledger, "M404"}).exit_code == 5);
}

TEST_CASE("ID numbers stay in the 0600 registry: lookup finds the member, exports hold no number",
          "[import]") {
  Village v;
  v.ImportAll();
  const std::string registry = v.ledger + "/id-registry.jsonl";
  struct stat st {};
  REQUIRE(::stat(registry.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(ReadFile(registry).find(kId1) != std::string::npos);

  RunResult found = Cz({"lookup", v.ledger, "--id-number", kId1, "--json"});
  REQUIRE(found.exit_code == 0);
  CHECK(nlohmann::json::parse(found.out)["member_id"] == "M001");
  // The counter reads the status in its own language, as the statement does.
  RunResult zh = Cz({"lookup", v.ledger, "--id-number", kId1}, "zh");
  CHECK(zh.out.find("状态：在册") != std::string::npos);
  CHECK(Cz({"lookup", v.ledger, "--id-number", kId1}).out.find("status: active") !=
        std::string::npos);
  CHECK(Cz({"lookup", v.ledger, "--id-number", "11010519491231003X"}).exit_code ==
        3);  // bad check digit
  CHECK(Cz({"lookup", v.ledger, "--id-number", "110101199003077790"}).exit_code == 5);

  REQUIRE(Cz({"export", v.ledger, v.tmp / "bundle"}).exit_code == 0);
  REQUIRE(Cz({"roll", v.ledger, "--csv", v.tmp / "bundle-roll.csv"}).exit_code == 0);
  const std::string exported = AllFilesIn(v.tmp / "bundle") + ReadFile(v.tmp / "bundle-roll.csv") +
                               Cz({"log", v.ledger, "--raw"}).out;
  CHECK(exported.find("id_commitment") != std::string::npos);  // the commitment is there...
  for (const char* id : {kId1, kId2})
    CHECK(exported.find(id) == std::string::npos);  // ...the number is not
}

TEST_CASE("import, lookup, roll and register print JSON valid against their schemas",
          "[import][schema]") {
  Village v;
  // The request that registers the cooperative is one `append` reads.
  CHECK(SchemaErrors("entry-request.schema.json", nlohmann::json::parse(kOrg)) == "");

  const std::string import_schema = "import-result.schema.json";
  auto imported = [&](const std::string& name, const std::string& csv, bool dry) {
    std::vector<std::string> extra = {"--json"};
    if (dry) extra.push_back("--dry-run");
    RunResult r = v.Import(name, csv, extra);
    INFO(name << (dry ? " (dry run)\n" : "\n") << r.err);
    REQUIRE(r.exit_code == 0);
    const nlohmann::json doc = nlohmann::json::parse(r.out);
    CHECK(SchemaErrors(import_schema, doc) == "");
    CHECK(doc["dry_run"] == dry);
    return doc;
  };
  // Each sheet in a dry run, then for real; rows with and without a member.
  for (const auto& [sheet, text] :
       std::vector<std::pair<std::string, std::string>>{{"members", kMembers},
                                                        {"resolutions", kResolutions},
                                                        {"valuation", kValuation},
                                                        {"land", kLand},
                                                        {"capital", kCapital},
                                                        {"labour", kLabour},
                                                        {"goods", kGoods}}) {
    const nlohmann::json would = imported(sheet, text, true);
    const nlohmann::json done = imported(sheet, text, false);
    REQUIRE(done["rows"].size() == would["rows"].size());
    CHECK(done["rows"][0]["seq"] == would["rows"][0]["seq"]);
    CHECK(done["rows"][0].contains("member_id") ==
          (sheet != "resolutions" && sheet != "valuation"));
  }
  // Rows already on the ledger, for real and in a dry run.
  const nlohmann::json again = imported("members", kMembers, false);
  CHECK(again["rows"][0]["already_recorded"] == true);
  const nlohmann::json recorded = imported("land", kLand, true);
  CHECK(recorded["rows"][0]["already_recorded"] == true);
  CHECK(recorded["rows"][0]["capital_fen"] == 0);
  // The schema tells the two kinds apart: a dry run has no root.
  nlohmann::json mixed = recorded;
  mixed["root"] = again["root"];
  CHECK(SchemaErrors(import_schema, mixed) != "");

  RunResult found = Cz({"lookup", v.ledger, "--id-number", kId1, "--json"});
  REQUIRE(found.exit_code == 0);
  const nlohmann::json member = nlohmann::json::parse(found.out);
  CHECK(SchemaErrors("lookup.schema.json", member) == "");
  CHECK(member["capital_fen"] == 5100000);

  // The tables in both languages: the keys are English, the cells are not.
  for (const char* lang : {"zh", "en"}) {
    INFO(lang);
    RunResult roll = Cz({"roll", v.ledger, "--json"}, lang);
    REQUIRE(roll.exit_code == 0);
    const nlohmann::json members = nlohmann::json::parse(roll.out);
    CHECK(SchemaErrors("roll.schema.json", members) == "");
    CHECK(members.size() == 3);
    RunResult reg = Cz({"register", v.ledger, "--json"}, lang);
    REQUIRE(reg.exit_code == 0);
    nlohmann::json shares = nlohmann::json::parse(reg.out);
    CHECK(SchemaErrors("register.schema.json", shares) == "");
    REQUIRE(shares.size() == 4);  // three members and the total row
    CHECK(shares[3]["percent_of_shares"] == "100.0000");
    shares.erase(size_t{3});  // without its total row the register is not one
    CHECK(SchemaErrors("register.schema.json", shares) != "");
  }
}
