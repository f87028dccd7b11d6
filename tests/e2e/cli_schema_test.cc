// End-to-end tests of the accountant's CLI against schemas/: the request
// lines it takes and refuses, the catalogue of types, and the JSON it prints.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "schema_check.h"
#include "test_util.h"
#include "typed_history.h"

namespace {

using namespace cli_testing;  // NOLINT: the helpers of these tests
using cunzhang::testing::ReadFile;
using cunzhang::testing::SchemaErrors;
using cunzhang::testing::SplitLines;

}  // namespace

TEST_CASE("entry-request.schema.json takes the lines the CLI takes, not those it refuses",
          "[cli][schema]") {
  const std::string schema = "entry-request.schema.json";
  // Every kind of line of the typed history the tests append: the preamble
  // and three turns of join, capital, land and note.
  for (uint64_t seq = 0; seq < 15; ++seq) {
    INFO("history line " << seq);
    CHECK(SchemaErrors(schema, nlohmann::json::parse(cunzhang::testing::HistoryRequestLine(seq))) ==
          "");
  }
  Village v;
  REQUIRE(Cz({"append", v.ledger}, History(0, 4)).exit_code == 0);  // the cooperative and M0001

  // Lines the CLI accepts, each checked alone with --dry-run.
  const std::vector<std::string> good = {
      Note("n-1"),
      cunzhang::testing::HistoryRequestLine(4),
      cunzhang::testing::HistoryRequestLine(5),
      Request("contribution.capital", "c-1",
              R"({"member_id":"M0001","date":"2026-03-01","amount_fen":500000})"),
      R"({"type":"note","idempotency_id":"n-2","body":{"text":"年终盘点"},"time":"2026-01-05T08:00:00.5+08:00"})",
      R"({"time":"2026-01-05T00:00:00Z","body":{"text":"年终盘点","ref":"M0001"},"idempotency_id":"n-3","type":"note"})",
  };
  for (const std::string& line : good) {
    INFO(line);
    CHECK(SchemaErrors(schema, nlohmann::json::parse(line)) == "");
    RunResult r = Cz({"append", v.ledger, "--dry-run", "--operator", "李红梅"}, line + "\n");
    INFO(r.err);
    CHECK(r.exit_code == 0);
  }

  // The operator is optional in the request: --operator supplies it, and
  // without either the CLI refuses the line.
  const std::string anonymous = R"({"type":"note","idempotency_id":"n-4","body":{"text":"年终盘点"}})";
  CHECK(SchemaErrors(schema, nlohmann::json::parse(anonymous)) == "");
  CHECK(Cz({"append", v.ledger, "--dry-run", "--operator", "李红梅"}, anonymous).exit_code == 0);
  CHECK(Cz({"append", v.ledger, "--dry-run"}, anonymous).exit_code == 3);

  struct Bad {
    const char* name;
    std::string line;
    int exit_code;  // what the CLI answers
  };
  const std::vector<Bad> bad = {
      {"an operator without a role",
       R"({"type":"note","idempotency_id":"b-1","operator":{"name":"李红梅"},"body":{"text":"x"}})", 3},
      {"an operator that is not an object",
       R"({"type":"note","idempotency_id":"b-2","operator":"clerk","body":{"text":"x"}})", 3},
      {"an operator with another member",
       R"({"type":"note","idempotency_id":"b-3","operator":{"name":"李红梅","role":"clerk","id":1},"body":{"text":"x"}})",
       3},
      {"a role outside the list",
       R"({"type":"note","idempotency_id":"b-4","operator":{"name":"李红梅","role":"boss"},"body":{"text":"x"}})",
       3},
      {"a member the writer sets", R"({"type":"note","idempotency_id":"b-5","seq":5,"body":{"text":"x"}})",
       3},
      {"an unknown member", R"({"type":"note","idempotency_id":"b-6","memo":"x","body":{"text":"x"}})", 3},
      {"a body that is an array", R"({"type":"note","idempotency_id":"b-7","body":[]})", 3},
      {"a body that is a string", R"({"type":"note","idempotency_id":"b-8","body":"x"})", 3},
      {"no body", R"({"type":"note","idempotency_id":"b-9"})", 3},
      {"no idempotency id", R"({"type":"note","body":{"text":"x"}})", 3},
      {"an empty idempotency id", R"({"type":"note","idempotency_id":"","body":{"text":"x"}})", 3},
      {"a type in upper case", R"({"type":"Note","idempotency_id":"b-10","body":{"text":"x"}})", 3},
      {"a type outside the catalogue", Request("payment.record", "b-11", R"({"amount_fen":100})"), 4},
      {"a time without offset",
       R"({"type":"note","idempotency_id":"b-12","body":{"text":"x"},"time":"2026-01-05T08:00:00"})", 3},
      {"a floating-point amount",
       Request("contribution.capital", "b-13",
               R"({"member_id":"M0001","date":"2026-03-01","amount_fen":5000.5})"),
       3},
  };
  for (const Bad& b : bad) {
    INFO(b.name << ": " << b.line);
    CHECK(SchemaErrors(schema, nlohmann::json::parse(b.line)) != "");
    RunResult r = Cz({"append", v.ledger, "--dry-run", "--operator", "李红梅"}, b.line + "\n");
    INFO(r.err);
    CHECK(r.exit_code == b.exit_code);
  }
  CHECK(v.Root()["size"] == 4);
}

TEST_CASE("the request and entry schemas list exactly the types of schemas/entries",
          "[cli][schema]") {
  const std::string dir = std::string(CUNZHANG_SOURCE_DIR) + "/schemas";
  const std::string suffix = ".schema.json";
  std::set<std::string> types;
  for (const auto& file : std::filesystem::directory_iterator(dir + "/entries")) {
    const std::string name = file.path().filename().string();
    REQUIRE(name.size() > suffix.size());
    REQUIRE(name.substr(name.size() - suffix.size()) == suffix);
    types.insert(name.substr(0, name.size() - suffix.size()));
  }
  CHECK(types.size() == 15);
  for (const char* schema : {"entry-request.schema.json", "entry.schema.json"}) {
    INFO(schema);
    const nlohmann::json doc = nlohmann::json::parse(ReadFile(dir + "/" + schema));
    std::set<std::string> listed;
    for (const auto& type : doc.at("definitions").at("type").at("enum")) {
      listed.insert(type.get<std::string>());
    }
    CHECK(listed == types);
  }
}

TEST_CASE("init, append, root, log and export print JSON valid against their schemas",
          "[cli][schema]") {
  TempDir tmp;
  const std::string ledger = tmp / "ledger";
  RunResult init = Cz({"init", ledger, "--origin", kOrigin, "--json"});
  REQUIRE(init.exit_code == 0);
  const nlohmann::json created = nlohmann::json::parse(init.out);
  CHECK(SchemaErrors("init-result.schema.json", created) == "");
  CHECK(created["ledger"] == ledger);
  CHECK(created["origin"] == kOrigin);

  // append: a dry run, the batch, then an overlapping batch committed in parts
  // (some lines already recorded), and a dry run of what is all recorded.
  const std::string append_schema = "append-result.schema.json";
  RunResult dry = Cz({"append", ledger, "--json", "--dry-run"}, History(0, 9));
  REQUIRE(dry.exit_code == 0);
  const nlohmann::json would = nlohmann::json::parse(dry.out);
  CHECK(SchemaErrors(append_schema, would) == "");
  CHECK(would["new_entries"] == 9);
  RunResult first = Cz({"append", ledger, "--json"}, History(0, 9));
  REQUIRE(first.exit_code == 0);
  CHECK(SchemaErrors(append_schema, nlohmann::json::parse(first.out)) == "");
  RunResult parts = Cz({"append", ledger, "--json", "--commit-every", "4"}, History(5, 10));
  INFO(parts.err);
  REQUIRE(parts.exit_code == 0);
  const nlohmann::json appended = nlohmann::json::parse(parts.out);
  CHECK(SchemaErrors(append_schema, appended) == "");
  REQUIRE(appended["entries"].size() == 10);
  CHECK(appended["entries"][0]["already_recorded"] == true);
  CHECK(appended["entries"][9]["already_recorded"] == false);
  CHECK(appended["size"] == 15);
  RunResult recorded = Cz({"append", ledger, "--json", "--dry-run"}, History(0, 15));
  REQUIRE(recorded.exit_code == 0);
  CHECK(SchemaErrors(append_schema, nlohmann::json::parse(recorded.out)) == "");
  // The schema tells the two kinds apart.
  nlohmann::json mixed = would;
  mixed["root"] = appended["root"];
  CHECK(SchemaErrors(append_schema, mixed) != "");
  nlohmann::json counted = appended;
  counted["entries"][0]["already_recorded"] = 1;
  CHECK(SchemaErrors(append_schema, counted) != "");

  // root, now and at earlier sizes.
  for (const char* at_size : {"0", "1", "15"}) {
    INFO("size " << at_size);
    RunResult r = Cz({"root", ledger, "--json", "--size", at_size});
    REQUIRE(r.exit_code == 0);
    CHECK(SchemaErrors("root.schema.json", nlohmann::json::parse(r.out)) == "");
  }
  const nlohmann::json root = nlohmann::json::parse(Cz({"root", ledger, "--json"}).out);
  CHECK(SchemaErrors("root.schema.json", root) == "");
  CHECK(root["root"] == appended["root"]);

  // log --json: one entry per line, the same bytes as --raw.
  RunResult log = Cz({"log", ledger, "--json"});
  REQUIRE(log.exit_code == 0);
  CHECK(log.out == Cz({"log", ledger, "--raw"}).out);
  const std::vector<std::string> lines = SplitLines(log.out);
  REQUIRE(lines.size() == 15);
  for (const std::string& line : lines) {
    CHECK(SchemaErrors("entry.schema.json", nlohmann::json::parse(line)) == "");
  }
  nlohmann::json entry = nlohmann::json::parse(lines[3]);
  entry["v"] = 2;
  CHECK(SchemaErrors("entry.schema.json", entry) != "");
  entry = nlohmann::json::parse(lines[3]);
  entry.erase("prev");
  CHECK(SchemaErrors("entry.schema.json", entry) != "");

  // export --json prints the manifest it wrote; the bundle's lines are entries.
  RunResult exported = Cz({"export", ledger, tmp / "bundle", "--json"});
  REQUIRE(exported.exit_code == 0);
  const nlohmann::json manifest = nlohmann::json::parse(exported.out);
  CHECK(SchemaErrors("bundle-manifest.schema.json", manifest) == "");
  CHECK(manifest == nlohmann::json::parse(ReadFile(tmp / "bundle/manifest.json")));
  for (const std::string& line : SplitLines(ReadFile(tmp / "bundle/entries.jsonl"))) {
    CHECK(SchemaErrors("entry.schema.json", nlohmann::json::parse(line)) == "");
  }
}

