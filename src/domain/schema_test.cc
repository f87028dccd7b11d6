// Entry schemas: valid bodies pass, each kind of failure is invalid input
// naming the exact body path; the embedded table is complete and strict; no
// clear national ID number gets into a body.
#include "domain/schema.h"

#include "cunzhang/domain.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace cunzhang::domain::schema {
namespace {

json::Value Body(std::string_view text) {
  Result<json::Parsed> parsed = json::Parse(text);
  REQUIRE(parsed.ok());
  return parsed->value;
}

Status Check(std::string_view type, std::string_view body) {
  return ValidateBody(type, Body(body));
}

const std::string kHex(64, 'a');

// Checks a body fails its schema at `path`, and returns the status for more checks.
Status RequireInvalidAt(std::string_view type, std::string_view body, const std::string& path) {
  Status s = Check(type, body);
  INFO(s.ToString());
  REQUIRE(s.code() == Code::kInvalidInput);
  CHECK(s.where().field == path);
  CHECK(s.zh().find("不符合") != std::string::npos);
  return s;
}

void ExpectInvalidAt(std::string_view type, std::string_view body, const std::string& path) {
  static_cast<void>(RequireInvalidAt(type, body, path));
}

TEST_CASE("valid bodies pass the schema of each type", "[schema]") {
  const std::pair<const char*, std::string> cases[] = {
      {"org.register",
       R"({"kind":"cooperative","name":"大新井兴农农机专业合作社","founded":"2013-05-20",)"
       R"("share_price_fen":100,"registered_capital_fen":5000000,"member_cap_bp":2000,"chart":"coop-2021"})"},
      {"org.register",
       R"({"kind":"collective","name":"某村股份经济合作社","founded":"2019-01-01","share_price_fen":1})"},
      {"resolution.record",
       R"({"resolution_id":"R-2024-01","date":"2024-03-01","body":"members_meeting","subject":"入股办法",)"
       R"("members_total":30,"present":25,"in_favour":20,"special":true,"outcome":"adopted"})"},
      {"member.join", R"({"member_id":"M001","kind":"person","name":"王德","date":"2024-03-02",)"
                      R"("household":"一组 12 号","farmer":true,"id_commitment":")" +
                          kHex + R"("})"},
      {"member.join",
       R"({"member_id":"V","kind":"unit","name":"大新井村股份经济合作社","date":"2024-03-02"})"},
      {"member.status",
       R"({"member_id":"M001","status":"exited","date":"2024-06-01","resolution_id":"R-2","reason":"迁出"})"},
      {"note", R"({"text":"扫描凭证见 2024-07 号","ref":"V-7"})"},
      {"books.journal",
       R"({"date":"2024-07-01","memo":"收农机作业费","lines":[)"
       R"({"account":"101","debit_fen":50000},{"account":"501","credit_fen":50000,"member_id":"M001"}]})"},
  };
  for (const auto& [type, body] : cases) {
    INFO(type << " " << body);
    Status s = Check(type, body);
    INFO(s.ToString());
    CHECK(s.ok());
  }
}

TEST_CASE("a missing required field is invalid input naming that field", "[schema]") {
  ExpectInvalidAt("member.status", R"({"member_id":"M1","status":"exited","date":"2024-01-01"})",
                  "body.resolution_id");
  Status s = RequireInvalidAt("note", "{}", "body.text");
  CHECK(s.zh().find("缺少必填字段") != std::string::npos);
  CHECK(s.en().find("required") != std::string::npos);
}

TEST_CASE("a field of the wrong type is invalid input saying the expected type", "[schema]") {
  Status s = RequireInvalidAt(
      "org.register",
      R"({"kind":"cooperative","name":"X","founded":"2024-01-01","share_price_fen":"100"})",
      "body.share_price_fen");
  CHECK(s.en().find("expected integer") != std::string::npos);
  ExpectInvalidAt(
      "resolution.record",
      R"({"resolution_id":"R","date":"2024-01-01","body":"members_meeting","subject":"s",)"
      R"("members_total":3,"present":3,"in_favour":3,"special":"yes"})",
      "body.special");
}

TEST_CASE("a field the type does not have is invalid input naming it", "[schema]") {
  Status s = RequireInvalidAt("note", R"({"text":"t","id_number":"x"})", "body.id_number");
  CHECK(s.en().find("not allowed") != std::string::npos);
}

TEST_CASE("a value outside the enum is invalid input listing the allowed values", "[schema]") {
  Status s = RequireInvalidAt(
      "member.join", R"({"member_id":"M1","kind":"company","name":"n","date":"2024-01-01"})",
      "body.kind");
  CHECK(s.en().find("person, household, unit") != std::string::npos);
  CHECK(s.zh().find("person、household、unit") != std::string::npos);
}

TEST_CASE("a date not written YYYY-MM-DD is invalid input naming the date field", "[schema]") {
  Status s = RequireInvalidAt(
      "member.status",
      R"({"member_id":"M1","status":"exited","date":"2024/01/01","resolution_id":"R"})",
      "body.date");
  CHECK(s.en().find(R"(^\d{4}-\d{2}-\d{2}$)") != std::string::npos);
}

TEST_CASE("a commitment that is not 64 lowercase hex digits is invalid input", "[schema]") {
  std::string upper(64, 'A');
  ExpectInvalidAt(
      "member.join",
      R"({"member_id":"M1","kind":"person","name":"n","date":"2024-01-01","id_commitment":")" +
          upper + R"("})",
      "body.id_commitment");
  ExpectInvalidAt(
      "member.join",
      R"({"member_id":"M1","kind":"person","name":"n","date":"2024-01-01","id_commitment":")" +
          kHex.substr(1) + R"("})",
      "body.id_commitment");
}

TEST_CASE("a person or household needs a commitment, a unit does not", "[schema]") {
  ExpectInvalidAt("member.join",
                  R"({"member_id":"M1","kind":"household","name":"n","date":"2024-01-01"})",
                  "body.id_commitment");
  CHECK(Check("member.join", R"({"member_id":"U","kind":"unit","name":"n","date":"2024-01-01"})")
            .ok());
}

TEST_CASE("a bad journal line is reported with its index in the body path", "[schema]") {
  ExpectInvalidAt("books.journal",
                  R"({"date":"2024-01-01","memo":"m","lines":[{"account":"101","debit_fen":1},)"
                  R"({"account":"cash","credit_fen":1}]})",
                  "body.lines[1].account");
  ExpectInvalidAt(
      "books.journal",
      R"({"date":"2024-01-01","memo":"m","lines":[{"debit_fen":1},{"account":"101","credit_fen":1}]})",
      "body.lines[0].account");
  ExpectInvalidAt(
      "books.journal",
      R"({"date":"2024-01-01","memo":"m","lines":[{"account":"101","debit_fen":1,"note":"x"},)"
      R"({"account":"102","credit_fen":1}]})",
      "body.lines[0].note");
  ExpectInvalidAt("books.journal",
                  R"({"date":"2024-01-01","memo":"m","lines":[{"account":"101","debit_fen":1},)"
                  R"({"account":"102","credit_fen":1,"debit_fen":1}]})",
                  "body.lines[1]");
  ExpectInvalidAt("books.journal",
                  R"({"date":"2024-01-01","memo":"m","lines":[{"account":"101","debit_fen":0},)"
                  R"({"account":"102","credit_fen":1}]})",
                  "body.lines[0].debit_fen");
  Status neither = RequireInvalidAt(
      "books.journal",
      R"({"date":"2024-01-01","memo":"m","lines":[{"account":"101"},{"account":"102","credit_fen":1}]})",
      "body.lines[0]");
  CHECK(neither.en().find("either debit_fen or credit_fen") != std::string::npos);
  ExpectInvalidAt("books.journal",
                  R"({"date":"2024-01-01","memo":"m","lines":[{"account":"101","debit_fen":1}]})",
                  "body.lines");
}

TEST_CASE("a body that is not an object is invalid input at body", "[schema]") {
  ExpectInvalidAt("note", R"(["text"])", "body");
}

TEST_CASE("a type without a schema is a rule violation", "[schema]") {
  Status s = Check("member.teleport", "{}");
  CHECK(s.code() == Code::kRuleViolation);
  CHECK(s.en().find("no schema") != std::string::npos);
}

TEST_CASE("every embedded schema is strict draft-07 and parses", "[schema]") {
  std::set<std::string> types;
  for (const EmbeddedSchema& s : EmbeddedSchemas()) {
    INFO(s.type);
    CHECK(types.insert(s.type).second);
    nlohmann::json doc = nlohmann::json::parse(s.text);
    CHECK(doc["$schema"] == "http://json-schema.org/draft-07/schema#");
    CHECK(doc["type"] == "object");
    CHECK(doc["additionalProperties"] == false);
    CHECK(doc["title"] == s.type);
    // An empty body fails on a missing field: the schema parsed (else kInternal).
    Status empty = ValidateBody(s.type, json::Value::Object());
    INFO(empty.ToString());
    CHECK(empty.code() == Code::kInvalidInput);
  }
  for (const char* type : {"org.register", "resolution.record", "member.join", "member.status",
                           "note", "books.journal"}) {
    CHECK(types.count(type) == 1);
  }
}

// ---- Clear ID numbers -----------------------------------------------------

// Valid GB 11643 numbers (check digits computed with ISO 7064 MOD 11-2).
constexpr const char* kId = "11010519491231002X";
constexpr const char* kId2 = "440308199003071235";

// An ID number in full-width digits (U+FF10 to U+FF19, and Ｘ), as an input method may type it.
std::string FullWidth(std::string_view id) {
  std::string out;
  for (char c : id) {
    out += c == 'X' ? std::string("Ｘ")
                    : std::string("\xEF\xBC") + static_cast<char>(0x90 + (c - '0'));
  }
  return out;
}

TEST_CASE("control characters other than tab, line feed and carriage return are refused in the body",
          "[schema]") {
  for (const char* text : {R"({"text":"\u0000"})", R"({"text":"a\u0001b"})", R"({"text":"x\u001f"})"}) {
    INFO(text);
    Status s = RefuseControlCharacters(Body(text));
    CHECK(s.code() == Code::kInvalidInput);
    CHECK(s.where().field == "body.text");
    CHECK(s.en().find("control characters") != std::string::npos);
  }
  Status deep = RefuseControlCharacters(
      Body(R"({"date":"2024-07-01","memo":"m","lines":[{"account":"101","debit_fen":1},{"account":"501","credit_fen":1,"member_id":"M\u0000"}]})"));
  CHECK(deep.where().field == "body.lines[1].member_id");
  CHECK(RefuseControlCharacters(Body(R"({"text":"一\t二\n三\r\n"})")).ok());
  // Through the rules: refused before the schema, which would count U+0000 differently.
  Entry entry{.type = "note", .body = Body(R"({"text":"\u0000"})")};
  Status alone = CheckEntryAlone(entry);
  CHECK(alone.code() == Code::kInvalidInput);
  CHECK(alone.where().field == "body.text");
}

TEST_CASE("a valid 18-character ID number is refused in any field, at any depth", "[schema][id]") {
  Status s = RefuseClearIdNumbers(Body(std::string(R"({"name":")") + kId2 + R"("})"));
  CHECK(s.code() == Code::kRuleViolation);
  CHECK(s.where().field == "body.name");
  CHECK(s.zh() == "不得在账本中写入身份证号明文，只能写入加盐哈希承诺");
  CHECK(s.en() ==
        "a clear national ID number must not enter the ledger; record only its salted commitment");

  s = RefuseClearIdNumbers(
      Body(std::string(R"({"lines":[{"memo":"ok"},{"memo":"x","who":[1,")") + kId + R"("]}]})"));
  CHECK(s.code() == Code::kRuleViolation);
  CHECK(s.where().field == "body.lines[1].who[1]");
}

TEST_CASE("an ID number inside a longer text is refused", "[schema][id]") {
  for (std::string text : {std::string("王德，身份证") + kId + "，一组",
                           std::string("id:") + kId2 + ";", std::string("11010519491231002x")}) {
    INFO(text);
    Status s = RefuseClearIdNumbers(Body(R"({"text":")" + text + R"("})"));
    CHECK(s.code() == Code::kRuleViolation);
    CHECK(s.where().field == "body.text");
  }
}

TEST_CASE("an ID number in full-width digits is refused", "[schema][id]") {
  // 11010519491231002Ｘ with full-width digits.
  const std::string wide = FullWidth(kId);
  CHECK(RefuseClearIdNumbers(Body(R"({"text":")" + wide + R"("})")).code() == Code::kRuleViolation);
}

TEST_CASE("an old 15-digit ID number with a real date is refused", "[schema][id]") {
  CHECK(RefuseClearIdNumbers(Body(R"({"household":"110105491231002"})")).code() ==
        Code::kRuleViolation);
  // Month 13: not a birth date, so not an ID number.
  CHECK(RefuseClearIdNumbers(Body(R"({"household":"110105491331002"})")).ok());
}

TEST_CASE("a digest is not searched for ID numbers, but a code beside a number is", "[schema][id]") {
  // A salted commitment is 64 hex digits; one in a few thousand holds a run
  // of decimal digits that passes for an ID number.
  const std::string commitment = "ab" + std::string(kId2) + std::string(44, 'e');
  REQUIRE(commitment.size() == 64);
  CHECK(RefuseClearIdNumbers(Body(R"({"id_commitment":")" + commitment + R"("})")).ok());
  const std::string old_style = "0f" + std::string("110105491231002") + std::string(47, 'c');
  CHECK(RefuseClearIdNumbers(Body(R"({"evidence_sha256":")" + old_style + R"("})")).ok());
  // Not digests: too short, or a letter that is not a hex digit.
  for (std::string text : {"ab" + std::string(kId2), "ID" + std::string(kId2),
                           "sfz" + std::string(kId2) + std::string(40, 'e')}) {
    INFO(text);
    CHECK(RefuseClearIdNumbers(Body(R"({"text":")" + text + R"("})")).code() ==
          Code::kRuleViolation);
  }
}

TEST_CASE("numbers that are not ID numbers are accepted", "[schema][id]") {
  const char* bodies[] = {
      R"({"text":"440308199003071231"})",   // wrong check digit
      R"({"text":"110105194913310021"})",   // right check digit, month 13
      R"({"phone":"13800138000"})",         // a mobile number, 11 digits
      R"({"card":"6110105194912310020"})",  // 19 digits: a bank card, not an ID number
      R"({"amount_fen":110105194912310})",  // integers are not strings
      R"({"ref":"R-2024-01","date":"2024-03-01"})",
  };
  for (const char* body : bodies) {
    INFO(body);
    Status s = RefuseClearIdNumbers(Body(body));
    INFO(s.ToString());
    CHECK(s.ok());
  }
}

TEST_CASE("the one-pass look at a body's text flags every body a refusal refuses", "[schema][id]") {
  const std::string wide_id = FullWidth(kId);
  const std::string refused[] = {
      R"({"text":"\u0000"})",
      R"({"a":"ok","lines":[{"memo":"x\u001f"}]})",
      std::string(R"({"name":")") + kId2 + R"("})",
      std::string(R"({"lines":[{"memo":"ok"},{"who":[1,")") + kId + R"("]}]})",
      std::string(R"({"text":"王德，身份证)") + kId + R"(，一组"})",
      R"({"household":"110105491231002"})",
      R"({"text":")" + wide_id + R"("})",
      // Long enough to be read sixteen bytes at a time, the fault past the first sixteen.
      R"({"memo":"一二三四五六七八九十 a control \u001e in a long memo"})",
      R"({"memo":"machine work for the second group, ref 110105491231002 paid"})",
  };
  size_t without_backslash = 0;
  // The full-width ID at every offset against the sixteen-byte blocks, amid
  // full-width punctuation (which also begins with EF).
  std::vector<std::string> shifted;
  for (size_t pad = 0; pad < 20; ++pad) {
    shifted.push_back(R"({"memo":"，：)" + std::string(pad, 'a') + wide_id + R"(：，"})");
    shifted.push_back(R"({"memo":")" + std::string(pad, 'a') + wide_id + R"("})");
  }
  for (const std::string& text : shifted) {
    INFO(text);
    CHECK(TextNeedsRefusalCheck(Body(text)));
    CHECK_FALSE(RefuseClearIdNumbers(Body(text)).ok());
  }
  for (const std::string& text : refused) {
    INFO(text);
    json::Value body = Body(text);
    CHECK((!RefuseClearIdNumbers(body).ok() || !RefuseControlCharacters(body).ok()));
    CHECK(TextNeedsRefusalCheck(body));
    // Told that the text has no backslash (so no control character), it
    // still flags every ID number.
    if (text.find('\\') == std::string::npos) {
      ++without_backslash;
      CHECK(TextNeedsRefusalCheck(body, /*controls_possible=*/false));
    }
  }
  CHECK(without_backslash >= 5);
  const char* clean[] = {
      R"({"text":"一\t二\n三\r\n","amount_fen":110105194912310})",
      R"({"phone":"13800138000","ref":"R-2024-01","date":"2024-03-01"})",
      R"({"memo":"机耕收入 2024 年 3 月","lines":[{"account":"101","debit_fen":12345}]})",
      R"({"id_commitment":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"})",
      R"({"memo":"a long memo with\ttabs,\nnew lines\r\n, , é, ０１２ and 12345678901234"})",
      // Full-width punctuation is not a digit: a memo full of it and of
      // fourteen digits is clean, and read sixteen bytes at a time.
      R"({"memo":"收入：一组，二组，三组；机耕 12 亩，收款 345678 元，凭证 901234 号。（已审）"})",
  };
  for (const char* text : clean) {
    INFO(text);
    json::Value body = Body(text);
    CHECK(RefuseClearIdNumbers(body).ok());
    CHECK(RefuseControlCharacters(body).ok());
    CHECK_FALSE(TextNeedsRefusalCheck(body));
    CHECK_FALSE(TextNeedsRefusalCheck(body, /*controls_possible=*/false));
  }
}

// The verifier tells CheckEntryAlone when a body's text has no backslash;
// the verdict must be the one it gives without being told.
TEST_CASE("CheckEntryAlone gives the same verdict when told the body's text has no backslash",
          "[schema][id]") {
  const std::string with_id = std::string(R"({"text":"身份证 )") + kId + R"( 一组","ref":"V-7"})";
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"note", R"({"text":"扫描凭证见 2024-07 号","ref":"V-7"})"},
      {"note", with_id},
      {"note", std::string(R"({"text":"ok","ref":")") + kId2 + R"("})"},
      {"note", R"({"text":"machine work for the second group, ref 110105491231002 paid"})"},
      {"note", R"({"text":"a long note of sixteen bytes and more, 12345678901234 digits"})"},
      {"member.join",
       R"({"member_id":"M001","kind":"person","name":"王德","date":"2024-03-02","household":"110105491231002","id_commitment":")" +
           std::string(64, 'b') + R"("})"},
      {"books.journal",
       R"({"date":"2024-07-01","memo":"收农机作业费","lines":[{"account":"101","debit_fen":50000},{"account":"501","credit_fen":50000}]})"},
      {"contribution.capital", R"({"member_id":"M001","date":"2024-03-05","amount_fen":120000})"},
  };
  size_t refused = 0;
  for (const auto& [type, text] : bodies) {
    INFO(type << " " << text);
    REQUIRE(text.find('\\') == std::string::npos);
    Entry entry;
    entry.type = type;
    entry.idempotency_id = "id-1";
    entry.op = Operator{.name = "李会计", .role = "accountant"};
    entry.body = Body(text);
    const Status told = CheckEntryAlone(entry, BodyText::kNoBackslash);
    const Status untold = CheckEntryAlone(entry);
    CHECK(told.ToString() == untold.ToString());
    refused += !told.ok();
  }
  CHECK(refused >= 3);
}

TEST_CASE("an ID number in the envelope's idempotency id or operator name is refused", "[schema][id]") {
  const std::string wide_id = FullWidth(kId);
  for (const std::string& text :
       {std::string(kId), std::string("import-") + kId2 + "-1", std::string("王德") + kId, wide_id}) {
    INFO(text);
    const Status s = RefuseClearIdNumberIn(text, "idempotency_id");
    CHECK(s.code() == Code::kRuleViolation);
    CHECK(s.where().field == "idempotency_id");
  }
  for (const std::string& text : {std::string("bench-1-000004999"), std::string("import-2024-03-01-0001"),
                                  std::string("张会计"), std::string("12345678901234"),
                                  std::string("ref 1234567890123 x 4567")}) {
    INFO(text);
    CHECK(RefuseClearIdNumberIn(text, "idempotency_id").ok());
  }
  // Through CheckEntryAlone, named by its field.
  Entry entry;
  entry.type = "note";
  entry.op = Operator{.name = "李会计", .role = "accountant"};
  entry.body = Body(R"({"text":"ok"})");
  entry.idempotency_id = std::string("note-") + kId2;
  CHECK(CheckEntryAlone(entry).where().field == "idempotency_id");
  entry.idempotency_id = "note-1";
  entry.op.name = std::string("李") + kId;
  CHECK(CheckEntryAlone(entry).where().field == "operator.name");
}

}  // namespace
}  // namespace cunzhang::domain::schema
