// End-to-end tests of the accountant's CLI: the commands as a user runs them.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "cunzhang/hash.h"
#include "cunzhang/merkle.h"
#include "schema_check.h"
#include "test_util.h"
#include "typed_history.h"

namespace {

using namespace cli_testing;  // NOLINT: the helpers of these tests
using cunzhang::testing::SchemaErrors;

using cunzhang::testing::ReadFile;
using cunzhang::testing::Run;
using cunzhang::testing::RunResult;
using cunzhang::testing::SplitLines;
using cunzhang::testing::TempDir;
using cunzhang::testing::WriteFile;

}  // namespace

TEST_CASE("init creates a ledger and refuses to create it twice", "[cli]") {
  Village v;
  CHECK(v.Root()["size"] == 0);
  CHECK(v.Root()["root"] == cunzhang::Sha256("").Hex());
  RunResult again = Cz({"init", v.ledger, "--origin", kOrigin});
  CHECK(again.exit_code == 6);
  CHECK(again.err.find("error:") != std::string::npos);
}

TEST_CASE("init refuses an origin with a space or a plus sign", "[cli]") {
  TempDir tmp;
  CHECK(Cz({"init", tmp / "a", "--origin", "bad origin"}).exit_code == 3);
  CHECK(Cz({"init", tmp / "b", "--origin", "bad+origin"}).exit_code == 3);
}

TEST_CASE("append one entry from stdin, then log, root and proofs agree", "[cli]") {
  Village v;
  RunResult r = Cz({"append", v.ledger, "--json"}, History(0, 1));
  REQUIRE(r.exit_code == 0);
  auto out = nlohmann::json::parse(r.out);
  CHECK(out["entries"][0]["seq"] == 0);
  CHECK(out["entries"][0]["already_recorded"] == false);
  CHECK(out["size"] == 1);

  RunResult raw = Cz({"log", v.ledger, "--raw"});
  REQUIRE(raw.exit_code == 0);
  auto lines = SplitLines(raw.out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("\"type\":\"org.register\"") != std::string::npos);
  // UTF-8 kept as is.
  CHECK(lines[0].find("\"name\":\"大新井村兴农农机专业合作社\"") != std::string::npos);
  CHECK(v.Root()["root"] == cunzhang::LeafHash(lines[0]).Hex());  // one leaf: root = leaf
}

TEST_CASE("a JSON Lines batch is appended atomically with dense sequence numbers", "[cli]") {
  Village v;
  WriteFile(v.tmp / "batch.jsonl", History(0, 25));
  REQUIRE(Cz({"append", v.ledger, v.tmp / "batch.jsonl"}).exit_code == 0);
  CHECK(v.Root()["size"] == 25);

  // Every entry links to the one before; the root is the RFC 9162 root of the leaves.
  auto lines = SplitLines(Cz({"log", v.ledger, "--raw"}).out);
  REQUIRE(lines.size() == 25);
  cunzhang::merkle::CompactRange range;
  std::string prev(64, '0');
  for (size_t i = 0; i < lines.size(); ++i) {
    auto e = nlohmann::json::parse(lines[i]);
    CHECK(e["seq"] == i);
    CHECK(e["prev"] == prev);
    prev = cunzhang::LeafHash(lines[i]).Hex();
    range.Append(cunzhang::LeafHash(lines[i]));
  }
  CHECK(v.Root()["root"] == range.Root().Hex());

  SECTION("log selects by seq, range and type") {
    CHECK(SplitLines(Cz({"log", v.ledger, "--raw", "--seq", "3"}).out).size() == 1);
    CHECK(SplitLines(Cz({"log", v.ledger, "--raw", "--from", "5", "--to", "9"}).out).size() == 4);
    // Joins at 3, 7, ..., 23; notes at 6, 10, ..., 22.
    CHECK(SplitLines(Cz({"log", v.ledger, "--raw", "--type", "member.join"}).out).size() == 6);
    CHECK(SplitLines(Cz({"log", v.ledger, "--raw", "--type", "note"}).out).size() == 5);
    CHECK(Cz({"log", v.ledger, "--raw", "--type", "no.such"}).out.empty());
    CHECK(Cz({"log", v.ledger, "--seq", "99"}).exit_code == 5);
  }
}

TEST_CASE("retrying an append with the same ids writes nothing; different content is refused", "[cli]") {
  Village v;
  std::string one = Note("note-1", "王秀英交来入社申请");
  REQUIRE(Cz({"append", v.ledger}, one).exit_code == 0);
  auto before = v.Root();
  RunResult retry = Cz({"append", v.ledger, "--json"}, one);
  REQUIRE(retry.exit_code == 0);
  CHECK(nlohmann::json::parse(retry.out)["entries"][0]["already_recorded"] == true);
  CHECK(v.Root() == before);

  RunResult conflict = Cz({"append", v.ledger}, Note("note-1", "李建国交来入社申请"));
  CHECK(conflict.exit_code == 6);
  CHECK(conflict.err.find("note-1") != std::string::npos);
  CHECK(v.Root() == before);
}

TEST_CASE("a retried typed batch is answered without running the rules again", "[cli]") {
  Village v;
  std::string batch = History(0, 9);
  REQUIRE(Cz({"append", v.ledger}, batch).exit_code == 0);
  auto before = v.Root();
  // Run again, org.register would be refused as a second registration and
  // each join as a second member with the same id: the retry is recognised
  // first, so nothing is judged or written twice.
  RunResult retry = Cz({"append", v.ledger, "--json"}, batch);
  INFO(retry.err);
  REQUIRE(retry.exit_code == 0);
  const nlohmann::json out = nlohmann::json::parse(retry.out);
  REQUIRE(out["entries"].size() == 9);
  for (const auto& e : out["entries"]) CHECK(e["already_recorded"] == true);
  CHECK(v.Root() == before);
}

TEST_CASE("bad input gets an error naming the place and writes nothing", "[cli][bad-input]") {
  Village v;
  // The cooperative and member M0001, so that each bad line below would be
  // accepted but for the one thing wrong with it.
  REQUIRE(Cz({"append", v.ledger}, History(0, 4)).exit_code == 0);
  auto before = v.Root();
  struct Case {
    const char* name;
    std::string input;
    std::string where;  // must appear in stderr
    std::string what;   // so must this part of the English message
  };
  const std::string capital = R"({"member_id":"M0001","date":"2026-03-01","amount_fen":)";
  std::string good = History(4, 1);
  std::vector<Case> cases = {
      {"malformed JSON", good + "{\"type\":\"note\",\n", "batch.jsonl:2", "expected an object key"},
      {"floating-point amount",
       good + Request("contribution.capital", "f", capital + "5000.5}") + "\n",
       "field body.amount_fen", "floating-point numbers are not allowed"},
      {"oversized integer",
       good + Request("contribution.capital", "big", capital + "9007199254740992}") + "\n",
       "field body.amount_fen", "integer out of range"},
      {"control character", good + Note("c", "a\x01") + "\n", "batch.jsonl:2",
       "unescaped control character"},
      {"invalid UTF-8", good + Note("u", "\xC3\x28") + "\n", "batch.jsonl:2", "invalid UTF-8"},
      {"missing field", good + R"({"type":"note","body":{"text":"x"}})" + "\n",
       "field idempotency_id", "idempotency_id"},
      {"wrong type", good + R"({"type":"note","idempotency_id":7,"body":{"text":"x"}})" + "\n",
       "field idempotency_id", "idempotency_id"},
      {"body not an object", good + R"({"type":"note","idempotency_id":"x","body":[]})" + "\n",
       "field body", "object"},
      {"duplicate key",
       good + R"({"type":"note","type":"note","idempotency_id":"x","body":{"text":"x"}})" + "\n",
       "field type", "duplicate key"},
      {"unknown role",
       good +
           R"({"type":"note","idempotency_id":"x","operator":{"name":"n","role":"boss"},"body":{"text":"x"}})" +
           "\n",
       "field operator.role", "role must be one of"},
      {"body over the size limit", good + Note("huge", std::string(70000, 'x')) + "\n",
       "batch.jsonl:2", "65536"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    WriteFile(v.tmp / "batch.jsonl", c.input);
    RunResult r = Cz({"append", v.ledger, v.tmp / "batch.jsonl"});
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find(c.where) != std::string::npos);
    CHECK(r.err.find(c.what) != std::string::npos);
    CHECK(r.err.find("错误") != std::string::npos);  // both languages
    CHECK(v.Root() == before);
  }
}

TEST_CASE("an entry that breaks a business rule exits 4 naming the field and writes nothing",
          "[cli][bad-input][rules]") {
  Village v;
  REQUIRE(Cz({"append", v.ledger}, History(0, 4)).exit_code == 0);  // the cooperative and M0001
  auto before = v.Root();
  struct Case {
    const char* name;
    std::string line;
    std::string field;  // must appear in stderr, with the batch's line
    std::string what;   // so must this part of the English message
  };
  std::vector<Case> cases = {
      {"a contribution by a member who never joined",
       Request("contribution.capital", "c-1",
               R"({"member_id":"M0099","date":"2026-03-01","amount_fen":500000})"),
       "field body.member_id", "M0099"},
      {"land with too many decimals",
       Request("contribution.land", "l-1",
               R"({"member_id":"M0001","date":"2026-03-01","mu":"2.12345","grade":"一等",)"
               R"("parcel":"1504260012-M0001","rule_id":"land-1"})"),
       "field body.mu", "decimal"},
      {"no valuation rule in force on the date",
       Request("contribution.land", "l-2",
               R"({"member_id":"M0001","date":"2026-01-05","mu":"2.0000","grade":"一等",)"
               R"("parcel":"1504260012-M0001","rule_id":"land-1"})"),
       "field body.rule_id", "land-1"},
      {"a member joining twice",
       Request("member.join", "j-again",
               R"({"member_id":"M0001","kind":"household","name":"张三","date":"2026-02-01",)"
               R"("id_commitment":")" +
                   cunzhang::testing::HistoryCommitment(99) + R"("})"),
       "field body.member_id", "M0001"},
      {"a type outside the catalogue", Request("payment.record", "p-1", R"({"amount_fen":100})"),
       "", "payment.record"},
      {"a clear ID number in a note", Note("n-1", "王秀英 身份证 150426195803120024"),
       "field body.text", "ID number"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    WriteFile(v.tmp / "batch.jsonl", History(4, 1) + c.line + "\n");
    RunResult r = Cz({"append", v.ledger, v.tmp / "batch.jsonl"});
    INFO(r.err);
    CHECK(r.exit_code == 4);
    CHECK(r.err.find("batch.jsonl:2") != std::string::npos);
    CHECK(r.err.find(c.field) != std::string::npos);
    CHECK(r.err.find(c.what) != std::string::npos);
    CHECK(r.err.find("错误") != std::string::npos);
    CHECK(v.Root() == before);
  }
}

TEST_CASE("append --dry-run runs the rules on the ledger as it is and writes nothing",
          "[cli][rules]") {
  Village v;
  REQUIRE(Cz({"append", v.ledger}, History(0, 4)).exit_code == 0);  // the cooperative and M0001
  auto before = v.Root();

  SECTION("a batch that would be accepted: what it would write, and nothing written") {
    WriteFile(v.tmp / "batch.jsonl", History(2, 4));  // two retries, two new entries
    RunResult r = Cz({"append", v.ledger, v.tmp / "batch.jsonl", "--dry-run", "--json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto out = nlohmann::json::parse(r.out);
    CHECK(out["dry_run"] == true);
    CHECK(out["new_entries"] == 2);
    CHECK(out["already_recorded"] == 2);
  }
  SECTION("a rule violation is found, named by its line, and nothing written") {
    WriteFile(v.tmp / "batch.jsonl",
              History(4, 1) + Request("contribution.capital", "c-1",
                                      R"({"member_id":"M0099","date":"2026-03-01","amount_fen":5})") +
                  "\n");
    RunResult r = Cz({"append", v.ledger, v.tmp / "batch.jsonl", "--dry-run"});
    CHECK(r.exit_code == 4);
    CHECK(r.err.find("batch.jsonl:2") != std::string::npos);
    CHECK(r.err.find("field body.member_id") != std::string::npos);
    CHECK(r.err.find("dry run: nothing was written") != std::string::npos);
  }
  CHECK(v.Root() == before);
}

TEST_CASE("a body that breaks its type's schema exits 3 naming the path",
          "[cli][bad-input][rules]") {
  Village v;
  REQUIRE(Cz({"append", v.ledger}, History(0, 4)).exit_code == 0);
  auto before = v.Root();
  struct Case {
    const char* name;
    std::string line;
    std::string field;
  };
  std::vector<Case> cases = {
      {"a required field missing",
       Request("member.join", "j-1", R"({"member_id":"M0002","kind":"unit","date":"2026-02-01"})"),
       "body.name"},
      {"a value outside its enum",
       Request("member.join", "j-2",
               R"({"member_id":"M0002","kind":"company","name":"农机站","date":"2026-02-01"})"),
       "body.kind"},
      {"a field the type does not have",
       Request("contribution.capital", "c-2",
               R"({"member_id":"M0001","date":"2026-03-01","amount_fen":100,"shares":"1.0000"})"),
       "body.shares"},
      {"a date in another form",
       Request("contribution.capital", "c-3",
               R"({"member_id":"M0001","date":"2026/03/01","amount_fen":100})"),
       "body.date"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    WriteFile(v.tmp / "batch.jsonl", History(4, 1) + c.line + "\n");
    RunResult r = Cz({"append", v.ledger, v.tmp / "batch.jsonl"});
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("batch.jsonl:2") != std::string::npos);
    CHECK(r.err.find(c.field) != std::string::npos);
    CHECK(v.Root() == before);
  }
}

TEST_CASE("every bad line of a batch is reported in one run", "[cli][bad-input]") {
  Village v;
  std::string input = Note("a") + "\n" + "not json\n" +
                      Request("contribution.capital", "b",
                              R"({"member_id":"M0001","date":"2026-03-01","amount_fen":1.5})") +
                      "\n" + Note("c") + "\n" + "[1]\n";
  WriteFile(v.tmp / "in.jsonl", input);
  RunResult r = Cz({"append", v.ledger, v.tmp / "in.jsonl"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("in.jsonl:2") != std::string::npos);
  CHECK(r.err.find("in.jsonl:3") != std::string::npos);
  CHECK(r.err.find("in.jsonl:5") != std::string::npos);
  CHECK(v.Root()["size"] == 0);
}

TEST_CASE("append to a ledger that does not exist is refused", "[cli][bad-input]") {
  TempDir tmp;
  RunResult r = Cz({"append", tmp / "nowhere"}, Note("a"));
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("nowhere") != std::string::npos);
  CHECK(Cz({"root", tmp / "nowhere"}).exit_code == 5);
}

TEST_CASE("a second writer is refused with exit 7 while readers still read", "[cli]") {
  Village v;
  REQUIRE(Cz({"append", v.ledger}, History(0, 2)).exit_code == 0);
  const nlohmann::json before = v.Root();
  // The lock a writer holds is RocksDB's: a POSIX record lock on LOCK.
  const int fd = ::open((v.ledger + "/LOCK").c_str(), O_RDWR);
  REQUIRE(fd >= 0);
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  REQUIRE(::fcntl(fd, F_SETLK, &lock) == 0);
  RunResult second = Cz({"append", v.ledger}, History(2, 1));
  CHECK(second.exit_code == 7);
  CHECK(second.err.find("in use by another writer") != std::string::npos);
  CHECK(second.err.find("另一个写入进程") != std::string::npos);
  CHECK(Cz({"root", v.ledger}).exit_code == 0);  // readers take no lock
  CHECK(v.Root() == before);
  ::close(fd);  // the writer is gone
  CHECK(Cz({"append", v.ledger}, History(2, 1)).exit_code == 0);
  CHECK(v.Root()["size"] == 3);
}

TEST_CASE("a pretty-printed single entry spanning lines is one entry", "[cli]") {
  Village v;
  std::string pretty = "{\n  \"type\": \"note\",\n  \"idempotency_id\": \"n1\",\n"
                       "  \"body\": {\"text\": \"年终盘点\"},\n  \"time\": \"2026-01-05T08:00:00+08:00\"\n}\n";
  RunResult r = Cz({"append", v.ledger, "--operator", "李红梅"}, pretty);
  REQUIRE(r.exit_code == 0);
  auto e = nlohmann::json::parse(Cz({"log", v.ledger, "--raw"}).out);
  CHECK(e["time"] == "2026-01-05T08:00:00+08:00");
  CHECK(e["operator"]["name"] == "李红梅");
  CHECK(e["operator"]["role"] == "accountant");
}

TEST_CASE("proofs printed by prove verify against the printed root", "[cli][proof]") {
  Village v;
  std::string batch;
  for (int i = 0; i < 13; ++i)
    batch += Note("e" + std::to_string(i), "第 " + std::to_string(i) + " 张凭证") + "\n";
  REQUIRE(Cz({"append", v.ledger}, batch).exit_code == 0);
  auto to_hashes = [](const nlohmann::json& arr) {
    std::vector<cunzhang::Hash256> out;
    for (const auto& h : arr) out.push_back(*cunzhang::Hash256::FromHex(h.get<std::string>()));
    return out;
  };
  for (int seq : {0, 6, 12}) {
    RunResult r = Cz({"prove", "inclusion", v.ledger, std::to_string(seq)});
    REQUIRE(r.exit_code == 0);
    auto p = nlohmann::json::parse(r.out);
    CHECK(p["type"] == "inclusion");
    std::string errors;
    const bool conforms = cunzhang::testing::ConformsToSchema("proof.schema.json", p, &errors);
    INFO(errors);
    CHECK(conforms);
    CHECK(cunzhang::merkle::VerifyInclusion(
              p["index"], p["size"], *cunzhang::Hash256::FromHex(p["leaf_hash"].get<std::string>()),
              to_hashes(p["proof"]), *cunzhang::Hash256::FromHex(p["root"].get<std::string>()))
              .ok());
  }
  RunResult r = Cz({"prove", "consistency", v.ledger, "5"});
  REQUIRE(r.exit_code == 0);
  auto c = nlohmann::json::parse(r.out);
  std::string errors;
  const bool conforms = cunzhang::testing::ConformsToSchema("proof.schema.json", c, &errors);
  INFO(errors);
  CHECK(conforms);
  CHECK(cunzhang::merkle::VerifyConsistency(
            c["size1"], c["size2"], to_hashes(c["proof"]),
            *cunzhang::Hash256::FromHex(c["root1"].get<std::string>()),
            *cunzhang::Hash256::FromHex(c["root2"].get<std::string>()))
            .ok());
  auto root5 = nlohmann::json::parse(Cz({"root", v.ledger, "--json", "--size", "5"}).out);
  CHECK(root5["root"] == c["root1"]);
  // No entry 13: not found, as for log; entry 4 beyond a tree of size 3: a bad request.
  CHECK(Cz({"prove", "inclusion", v.ledger, "13"}).exit_code == 5);
  CHECK(Cz({"log", v.ledger, "--seq", "13"}).exit_code == 5);
  CHECK(Cz({"prove", "inclusion", v.ledger, "4", "--size", "3"}).exit_code == 3);
  CHECK(Cz({"prove", "consistency", v.ledger, "0"}).exit_code == 3);
}

TEST_CASE("export writes a bundle the verifier accepts", "[cli][export]") {
  Village v;
  // A typed history in batches of 7: each batch is judged after the ones before.
  REQUIRE(Cz({"append", v.ledger, "--commit-every", "7"}, History(0, 40)).exit_code == 0);
  REQUIRE(Cz({"export", v.ledger, v.tmp / "bundle"}).exit_code == 0);
  auto manifest = nlohmann::json::parse(ReadFile(v.tmp / "bundle/manifest.json"));
  CHECK(manifest["size"] == 40);
  std::string errors;
  const bool conforms =
      cunzhang::testing::ConformsToSchema("bundle-manifest.schema.json", manifest, &errors);
  INFO(errors);
  CHECK(conforms);
  CHECK(manifest["root"] == v.Root()["root"]);
  CHECK(SplitLines(ReadFile(v.tmp / "bundle/entries.jsonl")).size() == 40);
  RunResult verify = Run({kBin + "/cunzhang-verify", v.tmp / "bundle", "--origin", kOrigin, "--lang=en"});
  CHECK(verify.exit_code == 0);
  // Exporting over a non-empty directory is refused.
  CHECK(Cz({"export", v.ledger, v.tmp / "bundle"}).exit_code == 6);
}

TEST_CASE("help follows --lang", "[cli][i18n]") {
  RunResult zh = Run({kBin + "/cunzhang", "--help", "--lang", "zh"});
  RunResult en = Run({kBin + "/cunzhang", "--help", "--lang", "en"});
  CHECK(zh.exit_code == 0);
  CHECK(en.exit_code == 0);
  CHECK(zh.out.find("新建账本") != std::string::npos);
  CHECK(en.out.find("create a new ledger") != std::string::npos);
  RunResult env_zh = Run({kBin + "/cunzhang", "--help"}, "", {"CUNZHANG_LANG=zh"});
  CHECK(env_zh.out.find("退出码") != std::string::npos);
  CHECK(Run({kBin + "/cunzhang", "no-such-command"}).exit_code == 2);
  // A language it does not have is a usage error, not a silent fallback.
  CHECK(Run({kBin + "/cunzhang", "root", "no-ledger", "--lang", "fr"}).exit_code == 2);
}

TEST_CASE("an error names its place in each language, and says in both that nothing was written",
          "[cli][i18n]") {
  Village v;
  const std::string bad = R"({"type":"note","idempotency_id":"n-1","body":{"text":""}})";
  for (const char* lang : {"zh", "en"}) {
    RunResult r = Run({kBin + "/cunzhang", "append", v.ledger, "--operator", "李红梅", "--lang", lang},
                      bad + "\n");
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("错误：<stdin>:1，第 0 条，字段 body.text：") != std::string::npos);
    CHECK(r.err.find("error: <stdin>:1, entry 0, field body.text: ") != std::string::npos);
    CHECK(r.err.find("此批未写入任何条目") != std::string::npos);
    CHECK(r.err.find("nothing of this batch was written") != std::string::npos);
    // The primary language first.
    const bool zh_first = r.err.find("错误") < r.err.find("error");
    CHECK(zh_first == (std::string(lang) == "zh"));
  }
  RunResult missing = Run({kBin + "/cunzhang", "log", v.ledger, "--seq", "9", "--lang", "zh"});
  CHECK(missing.exit_code == 5);
  CHECK(missing.err.find("没有序号为 9 的条目（账本共 0 条）") != std::string::npos);
}

TEST_CASE("the demo runs end to end and shows the tampering caught", "[cli][demo]") {
  TempDir tmp;
  RunResult r = Run({kBin + "/cunzhang", "demo", tmp / "demo", "--lang=en"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("already recorded") != std::string::npos);
  // Wang Xiuying's statement: her 11 mu of grade-1 land at 8,000 yuan a mu
  // and her 5,000 yuan of capital, at 1 yuan a share.
  size_t statement = r.out.find("member statement");
  REQUIRE(statement != std::string::npos);
  std::string shown = r.out.substr(statement);
  CHECK(shown.find("王秀英") != std::string::npos);
  CHECK(shown.find("11.0000") != std::string::npos);
  CHECK(shown.find("88000.00") != std::string::npos);
  CHECK(shown.find("93000.0000") != std::string::npos);
  // Verified clean, then the one-byte change caught.
  CHECK(r.out.find("OK: ") != std::string::npos);
  CHECK(r.out.find("FAILED: ") != std::string::npos);

  // What the demo built is a ledger like any other: all four kinds of
  // contribution, thirty households, and no clear ID number in any entry.
  RunResult log = Cz({"log", tmp / "demo/ledger", "--raw"});
  REQUIRE(log.exit_code == 0);
  for (const char* type :
       {"contribution.land", "contribution.capital", "contribution.goods", "contribution.labour"}) {
    INFO(type);
    CHECK_FALSE(Cz({"log", tmp / "demo/ledger", "--raw", "--type", type}).out.empty());
  }
  CHECK(SplitLines(Cz({"log", tmp / "demo/ledger", "--raw", "--type", "member.join"}).out).size() ==
        30);
  // Its input and its entries conform to their schemas.
  for (const std::string& line : SplitLines(ReadFile(tmp / "demo/daxinjing-2022.jsonl"))) {
    CHECK(SchemaErrors("entry-request.schema.json", nlohmann::json::parse(line)) == "");
  }
  for (const std::string& line : SplitLines(log.out)) {
    CHECK(SchemaErrors("entry.schema.json", nlohmann::json::parse(line)) == "");
  }
  auto registry = SplitLines(ReadFile(tmp / "demo/ledger/id-registry.jsonl"));
  CHECK(registry.size() == 30);
  for (const std::string& line : registry) {
    std::string number = nlohmann::json::parse(line).at("id_number");
    INFO(number);
    CHECK(number.size() == 18);
    CHECK(log.out.find(number) == std::string::npos);
  }
}
