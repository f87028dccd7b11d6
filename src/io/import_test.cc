// Planning an import: headers, every bad row in one pass, keys, the ID number
// kept out of the entry, and rule errors mapped back to the CSV.
#include "cunzhang/import.h"

#include <catch2/catch.hpp>

#include "test_util.h"

namespace cunzhang::io {
namespace {

constexpr const char* kId1 = "11010519491231002X";
constexpr const char* kId2 = "150402196503120026";

ImportPlan Plan(const std::string& text, Sheet sheet) {
  return PlanImport(text, ImportOptions{.sheet = sheet,
                                        .file = "sheet.csv",
                                        .op = Operator{.name = "李会计", .role = "accountant"}});
}

bool HasErrorAt(const ImportPlan& plan, int64_t line, int64_t column, const std::string& en_part) {
  for (const Status& s : plan.errors) {
    if (s.where().line == line && s.where().column == column &&
        s.en().find(en_part) != std::string::npos && s.where().file == "sheet.csv") {
      return true;
    }
  }
  return false;
}

std::string Errors(const ImportPlan& plan) {
  std::string out;
  for (const Status& s : plan.errors) out += s.ToString() + "\n";
  return out;
}

}  // namespace

TEST_CASE("a members row becomes member.join without the ID number", "[import]") {
  ImportPlan plan =
      Plan(std::string("成员编号,姓名,类型,户号,身份证号,入社日期\r\nM001,王秀英,农户,1组01,") +
               kId1 + ",2022/3/5\r\n",
           Sheet::kMembers);
  INFO(Errors(plan));
  REQUIRE(plan.errors.empty());
  REQUIRE(plan.rows.size() == 1);
  const ImportRow& row = plan.rows[0];
  CHECK(row.line == 2);
  CHECK(row.member_id == "M001");
  CHECK(row.id_number == kId1);
  CHECK(row.request.type == "member.join");
  CHECK(row.request.idempotency_id == "csv/members/M001");
  CHECK(row.request.op.name == "李会计");
  CHECK(
      json::Canonical(row.request.body) ==
      R"({"date":"2022-03-05","household":"1组01","kind":"household","member_id":"M001","name":"王秀英"})");
  CHECK(json::Canonical(row.request.body).find(kId1) == std::string::npos);
}

TEST_CASE("English aliases and any column order are accepted", "[import]") {
  ImportPlan plan = Plan("date,amount_fen,member_id\n2022-03-12,500000,M001\n", Sheet::kCapital);
  INFO(Errors(plan));
  REQUIRE(plan.errors.empty());
  CHECK(json::Canonical(plan.rows[0].request.body) ==
        R"({"amount_fen":500000,"date":"2022-03-12","member_id":"M001"})");
}

TEST_CASE("amounts in yuan become exact fen", "[import]") {
  ImportPlan plan =
      Plan("成员编号,日期,金额(元),凭证号\nM001,2022-03-12,\"5,000.50\",记-1\n", Sheet::kCapital);
  INFO(Errors(plan));
  REQUIRE(plan.errors.empty());
  CHECK(plan.rows[0].request.body.Find("amount_fen")->as_int() == 500050);
  CHECK(plan.rows[0].request.idempotency_id == "csv/capital/M001/2022-03-12/记-1");
}

TEST_CASE("header errors: unknown, duplicate, missing, and a money column without its unit",
          "[import]") {
  ImportPlan plan =
      Plan("成员编号,日期,金额,成员编号,备注\nM001,2022-03-12,5000,M001,x\n", Sheet::kCapital);
  CHECK(plan.rows.empty());
  CHECK(HasErrorAt(plan, 1, 3, "must give the unit"));
  CHECK(HasErrorAt(plan, 1, 4, "appears twice"));
  CHECK(HasErrorAt(plan, 1, 5, "is not a column of the capital sheet"));
  CHECK(HasErrorAt(plan, 1, 0, "amount_yuan or amount_fen\" is missing"));
}

TEST_CASE("every bad row is reported with line and column in one pass", "[import]") {
  const std::string text =
      "成员编号,日期,亩数,地块等级,地块编号,估值规则\n"
      "M001,2022-03-10,11,一等,P-01,land-1\n"          // good
      "M002,2022-02-30,8.5,一等,P-02,land-1\n"         // no such day
      "M003,2022-03-10,8.12345,一等,P-03,land-1\n"     // too many decimals
      "M004,2022-03-10,5,一等,P-04\n"                  // a cell missing
      "M005,2022-03-10,0,,P-05,land-1\n"               // zero mu and an empty grade
      "M006,2022-03-10,abc,一等,P-06,land-1,extra\n";  // a cell too many
  ImportPlan plan = Plan(text, Sheet::kLand);
  INFO(Errors(plan));
  CHECK(plan.rows.size() == 1);
  CHECK(plan.errors.size() == 6);
  CHECK(HasErrorAt(plan, 3, 2, "not a real date"));
  CHECK(HasErrorAt(plan, 4, 3, "more than 4 decimals"));
  CHECK(HasErrorAt(plan, 5, 6, "has 5 cells; the header has 6"));
  CHECK(HasErrorAt(plan, 6, 3, "greater than zero"));
  CHECK(HasErrorAt(plan, 6, 4, "must not be empty"));
  CHECK(HasErrorAt(plan, 7, 7, "has 7 cells; the header has 6"));
}

TEST_CASE("cell errors name the column's header as the field", "[import]") {
  ImportPlan plan = Plan("成员编号,日期,金额（元）\nM001,2022-03-12,5000.001\n", Sheet::kCapital);
  REQUIRE(plan.errors.size() == 1);
  CHECK(plan.errors[0].where().field == "金额（元）");
  CHECK(plan.errors[0].zh().find("两位") != std::string::npos);
}

TEST_CASE("ID numbers: a wrong check digit, a unit with a number, a person without", "[import]") {
  const std::string text = std::string("成员编号,姓名,类型,身份证号,入社日期\n") +
                           "M001,王秀英,农户,110105194912310021,2022-03-05\n" + "U01,村集体,单位," +
                           kId2 + ",2022-03-05\n" + "M002,李建国,个人,,2022-03-05\n" +
                           "M003,张三,村民," + kId2 + ",2022-03-05\n";
  ImportPlan plan = Plan(text, Sheet::kMembers);
  INFO(Errors(plan));
  CHECK(plan.rows.empty());
  CHECK(HasErrorAt(plan, 2, 4, "wrong check character"));
  CHECK(HasErrorAt(plan, 3, 4, "a unit member has no ID number"));
  CHECK(HasErrorAt(plan, 4, 4, "needs the ID number"));
  CHECK(HasErrorAt(plan, 5, 3, "is not one of"));
}

TEST_CASE("two rows with the same key are refused; a voucher number tells them apart", "[import]") {
  ImportPlan same =
      Plan("成员编号,日期,金额（元）\nM001,2022-03-12,100\nM001,2022-03-12,200\n", Sheet::kCapital);
  REQUIRE(same.errors.size() == 1);
  CHECK(same.errors[0].where().line == 3);
  CHECK(same.errors[0].en().find("repeats line 2") != std::string::npos);
  ImportPlan apart =
      Plan("成员编号,日期,金额（元）,凭证号\nM001,2022-03-12,100,1\nM001,2022-03-12,200,2\n",
           Sheet::kCapital);
  CHECK(apart.errors.empty());
  CHECK(apart.rows.size() == 2);
}

TEST_CASE("the idempotency id depends on the key columns only", "[import]") {
  ImportPlan a =
      Plan("成员编号,日期,工日,工种,估值规则\nM001,2022-04-01,10,男工,lab-1\n", Sheet::kLabour);
  ImportPlan b =
      Plan("成员编号,日期,工日,工种,估值规则\nM001,2022/4/1,12.5,男工,lab-1\n", Sheet::kLabour);
  REQUIRE(a.rows.size() == 1);
  REQUIRE(b.rows.size() == 1);
  CHECK(a.rows[0].request.idempotency_id == b.rows[0].request.idempotency_id);
  CHECK_FALSE(a.rows[0].request.body == b.rows[0].request.body);
  ImportPlan slash = Plan("成员编号,日期,工日,工种,估值规则\nM001,2022-04-01,10,机手/司机,lab-1\n",
                          Sheet::kLabour);
  REQUIRE(slash.rows.size() == 1);
  CHECK(slash.rows[0].request.idempotency_id.rfind("csv/labour/sha256-", 0) == 0);
  CHECK(slash.rows[0].request.idempotency_id.size() ==
        std::string("csv/labour/sha256-").size() + 32);
}

TEST_CASE("valuation rows put the price and key into the fields of their kind", "[import]") {
  ImportPlan plan = Plan(
      "规则编号,类型,生效日期,决议编号,等级或工种,单价（元）,说明\n"
      "price,股价,2022-03-01,R1,,1,\n"
      "land-1,土地,2022-03-01,R1,一等,1000,\n"
      "lab-m,劳动,2022-03-01,R1,男工,120.00,\n"
      "tractor,实物评估,2022-03-01,R1,,35000,拖拉机\n"
      "bad,土地,2022-03-01,R1,,1000,\n",
      Sheet::kValuation);
  INFO(Errors(plan));
  REQUIRE(plan.rows.size() == 4);
  CHECK(
      json::Canonical(plan.rows[0].request.body) ==
      R"({"effective_from":"2022-03-01","fen_per_share":100,"kind":"share_price","resolution_id":"R1","rule_id":"price"})");
  CHECK(plan.rows[1].request.body.Find("grade")->as_string() == "一等");
  CHECK(plan.rows[1].request.body.Find("fen_per_mu")->as_int() == 100000);
  CHECK(plan.rows[2].request.body.Find("category")->as_string() == "男工");
  CHECK(plan.rows[3].request.body.Find("value_fen")->as_int() == 3500000);
  CHECK(plan.rows[3].request.body.Find("description")->as_string() == "拖拉机");
  REQUIRE(plan.errors.size() == 1);
  CHECK(HasErrorAt(plan, 6, 5, "needs the land grade"));
  CHECK(plan.field_columns.at("body.fen_per_mu") == 6);
}

TEST_CASE("an empty file and a header without rows are errors", "[import]") {
  CHECK(Plan("", Sheet::kMembers).errors.size() == 1);
  ImportPlan header_only =
      Plan("决议编号,日期,会议,事项,应到人数,出席人数,赞成人数\n", Sheet::kResolutions);
  REQUIRE(header_only.errors.size() == 1);
  CHECK(header_only.errors[0].en().find("no rows") != std::string::npos);
}

TEST_CASE("blank rows and trailing empty cells from Excel are ignored", "[import]") {
  ImportPlan plan =
      Plan("成员编号,日期,金额（分）,,\nM001,2022-03-12,500,,\n,,,,\n\nM002,2022-03-12,700,,\n",
           Sheet::kCapital);
  INFO(Errors(plan));
  CHECK(plan.errors.empty());
  CHECK(plan.rows.size() == 2);
  CHECK(plan.rows[1].line == 5);
}

TEST_CASE("an append error is mapped back to the CSV line and the field's column", "[import]") {
  ImportPlan plan =
      Plan("成员编号,日期,金额（元）,凭证号\nM001,2022-03-12,100,1\nM002,2022-03-12,200,2\n",
           Sheet::kCapital);
  REQUIRE(plan.rows.size() == 2);
  Status s(Code::kRuleViolation, "没有这个成员", "no such member",
           Where{.line = 2, .field = "body.member_id", .entry = 9});
  Status mapped = MapAppendError(plan, s);
  CHECK(mapped.where().file == "sheet.csv");
  CHECK(mapped.where().line == 3);
  CHECK(mapped.where().column == 1);
  CHECK(mapped.where().entry == -1);
  Status amount(Code::kInvalidInput, "x", "x", Where{.line = 1, .field = "body.amount_fen"});
  CHECK(MapAppendError(plan, amount).where().column == 3);
}

TEST_CASE("identities: a commitment from the registry, the same one on a second run", "[import]") {
  testing::TempDir dir;
  const std::string text = std::string("成员编号,姓名,类型,身份证号,入社日期\nM001,王秀英,个人,") +
                           kId1 + ",2022-03-05\nM002,李建国,个人," + kId2 + ",2022-03-05\n";
  std::string first;
  {
    ImportPlan plan = Plan(text, Sheet::kMembers);
    auto registry = IdRegistry::Open(dir.path());
    REQUIRE(registry.ok());
    ResolveIdentities(&plan, &*registry, domain::State{});
    REQUIRE(plan.errors.empty());
    first = plan.rows[0].request.body.Find("id_commitment")->as_string();
    CHECK(first == registry->FindByIdNumber(kId1)->Commitment());
    REQUIRE(registry->Flush().ok());
  }
  ImportPlan again = Plan(text, Sheet::kMembers);
  auto registry = IdRegistry::Open(dir.path());
  REQUIRE(registry.ok());
  ResolveIdentities(&again, &*registry, domain::State{});
  REQUIRE(again.errors.empty());
  CHECK(again.rows[0].request.body.Find("id_commitment")->as_string() == first);
  CHECK(registry->pending() == 0);
  CHECK(testing::ReadFile(dir / kIdRegistryFile).find(kId1) != std::string::npos);
}

TEST_CASE("identities: one number on two rows, or held by another member, is refused", "[import]") {
  testing::TempDir dir;
  auto registry = IdRegistry::Open(dir.path());
  REQUIRE(registry.ok());
  auto held = registry->Create("M009", kId2);
  REQUIRE(held.ok());
  domain::State state;
  state.members["M009"] =
      domain::Member{.id = "M009", .name = "赵六", .id_commitment = held->Commitment()};
  state.id_commitments.insert(held->Commitment());
  ImportPlan plan = Plan(std::string("成员编号,姓名,类型,身份证号,入社日期\n") +
                             "M001,王秀英,个人," + kId1 + ",2022-03-05\nM002,王秀英,个人," + kId1 +
                             ",2022-03-05\nM003,孙七,个人," + kId2 + ",2022-03-05\n",
                         Sheet::kMembers);
  ResolveIdentities(&plan, &*registry, state);
  INFO(Errors(plan));
  REQUIRE(plan.errors.size() == 2);
  CHECK(HasErrorAt(plan, 3, 4, "the same ID number as line 2"));
  CHECK(HasErrorAt(plan, 4, 4, "already belongs to member \"M009\""));
}

}  // namespace cunzhang::io
