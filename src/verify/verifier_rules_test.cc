// The verifier's replay of the business rules (docs/RULES.md) on bundles
// whose hashes were all recomputed, the fuzzer's seed corpus, and the
// reports it prints (JSON against the published schema, text in Chinese and
// English).
#include "verifier_test_util.h"

namespace cunzhang::verify {
namespace {

using namespace verifier_testing;  // NOLINT: the shared test vocabulary

// ---- Business rules ----

// The history with entry `seq` edited by `edit` and every hash, link and the
// manifest recomputed: only the rules can tell.
TestBundle ForgedBody(uint64_t n, uint64_t seq, void (*edit)(Entry*)) {
  std::vector<Entry> entries = MakeEntries(n);
  edit(&entries[seq]);
  return Consistent(Link(entries));
}

TEST_CASE("a contribution by a member who never joined is a rule fault naming entry and field") {
  const uint64_t seq = testing::HistorySeq(2, 1);
  REQUIRE(MakeEntry(seq).type == "contribution.capital");
  Report r = Verify(ForgedBody(
      12, seq, [](Entry* e) { e->body.Set("member_id", json::Value::String("M0099")); }));
  INFO(ReportToText(r, "en"));
  CHECK_FALSE(r.ok());
  // The refused entry is passed over; every later entry still holds.
  CHECK(r.faults_total == 1);
  REQUIRE(Has(r, kind::kRule, static_cast<int64_t>(seq), static_cast<int64_t>(seq) + 1));
  const Fault* rule = Find(r, kind::kRule);
  CHECK(rule->field == "body.member_id");
  CHECK(rule->en.find("M0099") != std::string::npos);
  CHECK(rule->zh.find("M0099") != std::string::npos);
  CHECK(r.size == 12);
  CHECK(r.entries_checked == 12);
}

TEST_CASE("a contribution before its member joined is a rule fault at the contribution") {
  // The join and the capital contribution of member 1 swapped, each re-numbered.
  std::vector<Entry> entries = MakeEntries(8);
  const uint64_t join = testing::HistorySeq(1, 0);
  std::swap(entries[join], entries[join + 1]);
  entries[join].seq = join;
  entries[join + 1].seq = join + 1;
  Report r = Verify(Consistent(Link(entries)));
  INFO(ReportToText(r, "en"));
  CHECK(r.faults_total == 1);
  CHECK(Has(r, kind::kRule, static_cast<int64_t>(join), static_cast<int64_t>(join) + 1));
  CHECK(Find(r, kind::kRule)->field == "body.member_id");
}

TEST_CASE("a body that breaks its type's schema is a rule fault naming the path") {
  const uint64_t seq = testing::HistorySeq(1, 2);
  REQUIRE(MakeEntry(seq).type == "contribution.land");
  Report r = Verify(
      ForgedBody(8, seq, [](Entry* e) { e->body.Set("mu", json::Value::String("两亩半")); }));
  INFO(ReportToText(r, "en"));
  CHECK(r.faults_total == 1);
  REQUIRE(Has(r, kind::kRule, static_cast<int64_t>(seq), static_cast<int64_t>(seq) + 1));
  CHECK(Find(r, kind::kRule)->field == "body.mu");
}

// The verifier tells the rules when a body's line has no backslash (no
// control character can be in it) and searches only the longer strings for
// ID numbers: a clear ID number there is still found, and a control
// character, which a canonical line can only carry escaped, still is too.
TEST_CASE("a clear ID number or a control character in a body is a rule fault naming the field") {
  const uint64_t seq = testing::HistorySeq(1, 2);
  REQUIRE(MakeEntry(seq).type == "contribution.land");
  SECTION("an ID number in full-width digits, in a line without a backslash") {
    Report r = Verify(ForgedBody(8, seq, [](Entry* e) {
      e->body.Set("parcel", json::Value::String("１１０１０５１９４９１２３１００２Ｘ 东坡地"));
    }));
    INFO(ReportToText(r, "en"));
    CHECK(r.faults_total == 1);
    REQUIRE(Has(r, kind::kRule, static_cast<int64_t>(seq), static_cast<int64_t>(seq) + 1));
    CHECK(Find(r, kind::kRule)->field == "body.parcel");
  }
  SECTION("an ASCII ID number in a short string") {
    Report r = Verify(ForgedBody(8, seq, [](Entry* e) {
      e->body.Set("parcel", json::Value::String("440308199003071235"));
    }));
    INFO(ReportToText(r, "en"));
    CHECK(r.faults_total == 1);
    REQUIRE(Has(r, kind::kRule, static_cast<int64_t>(seq), static_cast<int64_t>(seq) + 1));
    CHECK(Find(r, kind::kRule)->field == "body.parcel");
  }
  SECTION("a control character, escaped in the line") {
    Report r = Verify(ForgedBody(8, seq, [](Entry* e) {
      e->body.Set("parcel", json::Value::String(std::string("东坡地\x01")));
    }));
    INFO(ReportToText(r, "en"));
    CHECK(r.faults_total == 1);
    REQUIRE(Has(r, kind::kRule, static_cast<int64_t>(seq), static_cast<int64_t>(seq) + 1));
    CHECK(Find(r, kind::kRule)->field == "body.parcel");
  }
}

TEST_CASE("an entry type outside the catalogue is a rule fault") {
  Report r = Verify(ForgedBody(8, 6, [](Entry* e) { e->type = "payment.record"; }));
  INFO(ReportToText(r, "en"));
  CHECK(r.faults_total == 1);
  REQUIRE(Has(r, kind::kRule, 6, 7));
  CHECK(Find(r, kind::kRule)->en.find("payment.record") != std::string::npos);
}

TEST_CASE("a history that does not start by registering the organisation is a rule fault") {
  std::vector<Entry> entries = MakeEntries(5);
  entries.erase(entries.begin());
  for (uint64_t i = 0; i < entries.size(); ++i) entries[i].seq = i;
  Report r = Verify(Consistent(Link(entries)));
  INFO(ReportToText(r, "en"));
  // Each entry is refused on its own account: none has an organisation.
  CHECK(r.faults_total == 4);
  for (int64_t seq = 0; seq < 4; ++seq) CHECK(Has(r, kind::kRule, seq, seq + 1));
  CHECK(Find(r, kind::kRule)->en.find("org.register") != std::string::npos);
}

TEST_CASE("every rule violation is reported in one run, each at its entry") {
  // Two independent forgeries far apart: both are found.
  const uint64_t first = testing::HistorySeq(2, 1);
  const uint64_t second = testing::HistorySeq(5, 1);
  std::vector<Entry> entries = MakeEntries(testing::HistorySeq(6, 0));
  entries[first].body.Set("member_id", json::Value::String("M0099"));
  entries[second].body.Set("amount_fen", json::Value::Int(-5));
  Report r = Verify(Consistent(Link(entries)));
  INFO(ReportToText(r, "en"));
  CHECK(r.faults_total == 2);
  CHECK(Has(r, kind::kRule, static_cast<int64_t>(first), static_cast<int64_t>(first) + 1));
  CHECK(Has(r, kind::kRule, static_cast<int64_t>(second), static_cast<int64_t>(second) + 1));
}

// ---- The fuzzer's seed corpus ----

TEST_CASE("the fuzz corpus's seeds are what their names say") {
  // tests/fuzz/fuzz_bundle.cc: the manifest, a 0x00 byte, then entries.jsonl.
  size_t valid = 0, damaged = 0;
  for (const auto& file : std::filesystem::directory_iterator(std::string(CUNZHANG_SOURCE_DIR) +
                                                              "/tests/fuzz/corpus")) {
    const std::string name = file.path().filename().string();
    const std::string input = testing::ReadFile(file.path().string());
    size_t split = input.find('\0');
    if (split == std::string::npos) continue;  // a seed in the other layout
    Report r = VerifyBundleBytes(std::string_view(input).substr(0, split),
                                 std::string_view(input).substr(split + 1), {});
    INFO(name << "\n" << ReportToText(r, "en"));
    if (name.starts_with("valid-")) {
      ++valid;
      CHECK(r.ok());
    } else {
      ++damaged;
      CHECK_FALSE(r.ok());
      if (name.starts_with("rule-")) CHECK(Find(r, kind::kRule) != nullptr);
    }
  }
  CHECK(valid >= 3);
  CHECK(damaged >= 4);
}

// ---- Reports ----

nlohmann::json LoadSchema() {
  return nlohmann::json::parse(
      testing::ReadFile(std::string(CUNZHANG_SOURCE_DIR) + "/schemas/verify-report.schema.json"));
}

bool Conforms(const nlohmann::json& schema_doc, const nlohmann::json& doc, std::string* errors) {
  return testing::ConformsToSchemaDoc(schema_doc, doc, errors);
}

TEST_CASE("JSON reports conform to the published schema") {
  nlohmann::json schema = LoadSchema();
  std::vector<std::string> lines = Link(MakeEntries(6));
  TestBundle clean = Consistent(lines);
  TestBundle damaged = clean;
  std::vector<std::string> bad = lines;
  std::swap(bad[1], bad[2]);
  bad[4] = "not json";
  damaged.entries = Join(bad);
  damaged.entries.pop_back();
  Options options;
  options.expected_origin = "cunzhang.example/x";
  options.trusted = std::make_pair(uint64_t{3}, Sha256("old"));
  TestBundle rule_broken =
      ForgedBody(6, 4, [](Entry* e) { e->body.Set("member_id", json::Value::String("M0099")); });
  for (const Report& r : {Verify(clean), Verify(damaged, options), Verify(rule_broken)}) {
    std::string text = ReportToJson(r);
    REQUIRE(text.back() == '\n');
    nlohmann::json doc = nlohmann::json::parse(text);
    std::string errors;
    INFO(text << errors);
    CHECK(Conforms(schema, doc, &errors));
    CHECK(doc["ok"] == r.ok());
    CHECK(doc["faults"].size() == r.faults.size());
    CHECK(doc["root"] == r.root.Hex());
  }
}

TEST_CASE("the report schema rejects unknown fault kinds and malformed hashes") {
  nlohmann::json schema = LoadSchema();
  nlohmann::json doc =
      nlohmann::json::parse(ReportToJson(Verify(Consistent(Link(MakeEntries(2))))));
  std::string errors;
  REQUIRE(Conforms(schema, doc, &errors));
  nlohmann::json bad_root = doc;
  bad_root["root"] = "ABC";
  CHECK_FALSE(Conforms(schema, bad_root, &errors));
  nlohmann::json bad_kind = doc;
  bad_kind["faults"].push_back({{"kind", "mystery"},
                                {"entry", 1},
                                {"line", 2},
                                {"field", ""},
                                {"expected", ""},
                                {"found", ""},
                                {"zh", "?"},
                                {"en", "?"}});
  CHECK_FALSE(Conforms(schema, bad_kind, &errors));
  nlohmann::json extra = doc;
  extra["signed_by"] = "me";
  CHECK_FALSE(Conforms(schema, extra, &errors));
}

TEST_CASE("text reports summarise and list each fault in the chosen language") {
  std::vector<std::string> lines = Link(MakeEntries(10));
  TestBundle clean = Consistent(lines);
  std::string root = RootOf(lines, 10).Hex();
  CHECK(ReportToText(Verify(clean), "zh") == "校验通过：10 条，根哈希 " + root + "\n");
  CHECK(ReportToText(Verify(clean), "en") == "OK: 10 entries, root " + root + "\n");

  std::vector<Entry> entries = MakeEntries(10);
  entries.erase(entries.begin() + 4);
  Report r = Verify(Consistent(Link(entries)));
  std::string zh = ReportToText(r, "zh");
  std::string en = ReportToText(r, "en");
  CHECK(zh.find("校验失败：9 条") == 0);
  CHECK(zh.find("条目 5（第 5 行） [sequence] 序号不连续：缺少条目 4（字段 seq）\n"
                "    期望 4\n    实际 5\n") != std::string::npos);
  CHECK(en.find("FAILED: 9 entries") == 0);
  CHECK(en.find("entry 5 (line 5) [sequence] gap: entry 4 missing (field seq)\n"
                "    expected 4\n    found    5\n") != std::string::npos);
}

}  // namespace
}  // namespace cunzhang::verify
