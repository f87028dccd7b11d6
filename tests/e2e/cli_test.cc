// End-to-end tests of the accountant's CLI: the commands as a user runs them.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "cunzhang/hash.h"
#include "cunzhang/merkle.h"
#include "test_util.h"

namespace {

using cunzhang::testing::ReadFile;
using cunzhang::testing::Run;
using cunzhang::testing::RunResult;
using cunzhang::testing::SplitLines;
using cunzhang::testing::TempDir;
using cunzhang::testing::WriteFile;

const std::string kBin = CUNZHANG_BIN_DIR;
const std::string kOrigin = "cunzhang.example/test-village";

RunResult Cz(std::vector<std::string> args, const std::string& input = {}) {
  args.insert(args.begin(), kBin + "/cunzhang");
  args.push_back("--lang=en");
  return Run(args, input);
}

std::string Request(const std::string& id, const std::string& body) {
  return R"({"type":"member.join","idempotency_id":")" + id +
         R"(","operator":{"name":"李红梅","role":"accountant"},"body":)" + body + "}";
}

struct Village {
  TempDir tmp;
  std::string ledger = tmp / "ledger";
  Village() { REQUIRE(Cz({"init", ledger, "--origin", kOrigin}).exit_code == 0); }

  nlohmann::json Root() {
    RunResult r = Cz({"root", ledger, "--json"});
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
  }
};

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
  RunResult r = Cz({"append", v.ledger, "--json"},
                   Request("join-1", R"({"member_id":"M001","name":"王秀英"})"));
  REQUIRE(r.exit_code == 0);
  auto out = nlohmann::json::parse(r.out);
  CHECK(out["entries"][0]["seq"] == 0);
  CHECK(out["entries"][0]["already_recorded"] == false);
  CHECK(out["size"] == 1);

  RunResult raw = Cz({"log", v.ledger, "--raw"});
  REQUIRE(raw.exit_code == 0);
  auto lines = SplitLines(raw.out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("\"name\":\"王秀英\"") != std::string::npos);  // UTF-8 kept as is
  CHECK(v.Root()["root"] == cunzhang::LeafHash(lines[0]).Hex());     // one leaf: root = leaf
}

TEST_CASE("a JSON Lines batch is appended atomically with dense sequence numbers", "[cli]") {
  Village v;
  std::string batch;
  for (int i = 0; i < 25; ++i) {
    batch += Request("join-" + std::to_string(i), R"({"member_id":"M)" + std::to_string(i) + R"("})") + "\n";
  }
  WriteFile(v.tmp / "batch.jsonl", batch);
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
    CHECK(SplitLines(Cz({"log", v.ledger, "--raw", "--type", "member.join"}).out).size() == 25);
    CHECK(Cz({"log", v.ledger, "--raw", "--type", "no.such"}).out.empty());
    CHECK(Cz({"log", v.ledger, "--seq", "99"}).exit_code == 5);
  }
}

TEST_CASE("retrying an append with the same ids writes nothing; different content is refused", "[cli]") {
  Village v;
  std::string one = Request("join-1", R"({"member_id":"M001"})");
  REQUIRE(Cz({"append", v.ledger}, one).exit_code == 0);
  auto before = v.Root();
  RunResult retry = Cz({"append", v.ledger, "--json"}, one);
  REQUIRE(retry.exit_code == 0);
  CHECK(nlohmann::json::parse(retry.out)["entries"][0]["already_recorded"] == true);
  CHECK(v.Root() == before);

  RunResult conflict = Cz({"append", v.ledger}, Request("join-1", R"({"member_id":"M002"})"));
  CHECK(conflict.exit_code == 6);
  CHECK(conflict.err.find("join-1") != std::string::npos);
  CHECK(v.Root() == before);
}

TEST_CASE("bad input gets an error naming the place and writes nothing", "[cli][bad-input]") {
  Village v;
  REQUIRE(Cz({"append", v.ledger}, Request("seed", R"({"member_id":"M000"})")).exit_code == 0);
  auto before = v.Root();
  struct Case {
    const char* name;
    std::string input;
    std::string where;  // must appear in stderr
  };
  std::string good = Request("ok-1", R"({"member_id":"M001"})") + "\n";
  std::vector<Case> cases = {
      {"malformed JSON", good + "{\"type\":\"member.join\",\n", "batch.jsonl:2"},
      {"floating-point amount", good + Request("f", R"({"amount":12.5})") + "\n", "field body.amount"},
      {"oversized integer", good + Request("big", R"({"amount_fen":9007199254740992})") + "\n",
       "field body.amount_fen"},
      {"control character", good + Request("c", "{\"name\":\"a\x01\"}") + "\n", "batch.jsonl:2"},
      {"invalid UTF-8", good + Request("u", "{\"name\":\"\xC3\x28\"}") + "\n", "batch.jsonl:2"},
      {"missing field", good + R"({"type":"member.join","body":{}})" + "\n", "field idempotency_id"},
      {"wrong type", good + R"({"type":"member.join","idempotency_id":7,"body":{}})" + "\n",
       "field idempotency_id"},
      {"body not an object", good + R"({"type":"member.join","idempotency_id":"x","body":[]})" + "\n",
       "field body"},
      {"duplicate key", good + R"({"type":"a","type":"b","idempotency_id":"x","body":{}})" + "\n",
       "field type"},
      {"unknown role", good + R"({"type":"a","idempotency_id":"x","operator":{"name":"n","role":"boss"},"body":{}})" + "\n",
       "field operator.role"},
      {"body over the size limit", good + Request("huge", "{\"text\":\"" + std::string(70000, 'x') + "\"}") + "\n",
       "batch.jsonl:2"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    WriteFile(v.tmp / "batch.jsonl", c.input);
    RunResult r = Cz({"append", v.ledger, v.tmp / "batch.jsonl"});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find(c.where) != std::string::npos);
    CHECK(r.err.find("错误") != std::string::npos);  // both languages
    CHECK(v.Root() == before);
  }
}

TEST_CASE("every bad line of a batch is reported in one run", "[cli][bad-input]") {
  Village v;
  std::string input = Request("a", "{}") + "\n" + "not json\n" + Request("b", "{\"x\":1.5}") + "\n" +
                      Request("c", "{}") + "\n" + "[1]\n";
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
  RunResult r = Cz({"append", tmp / "nowhere"}, Request("a", "{}"));
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("nowhere") != std::string::npos);
  CHECK(Cz({"root", tmp / "nowhere"}).exit_code == 5);
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
  for (int i = 0; i < 13; ++i) batch += Request("e" + std::to_string(i), "{}") + "\n";
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
    CHECK(cunzhang::merkle::VerifyInclusion(
              p["index"], p["size"], *cunzhang::Hash256::FromHex(p["leaf_hash"].get<std::string>()),
              to_hashes(p["proof"]), *cunzhang::Hash256::FromHex(p["root"].get<std::string>()))
              .ok());
  }
  RunResult r = Cz({"prove", "consistency", v.ledger, "5"});
  REQUIRE(r.exit_code == 0);
  auto c = nlohmann::json::parse(r.out);
  CHECK(cunzhang::merkle::VerifyConsistency(
            c["size1"], c["size2"], to_hashes(c["proof"]),
            *cunzhang::Hash256::FromHex(c["root1"].get<std::string>()),
            *cunzhang::Hash256::FromHex(c["root2"].get<std::string>()))
            .ok());
  auto root5 = nlohmann::json::parse(Cz({"root", v.ledger, "--json", "--size", "5"}).out);
  CHECK(root5["root"] == c["root1"]);
  CHECK(Cz({"prove", "inclusion", v.ledger, "13"}).exit_code == 3);
  CHECK(Cz({"prove", "consistency", v.ledger, "0"}).exit_code == 3);
}

TEST_CASE("export writes a bundle the verifier accepts", "[cli][export]") {
  Village v;
  std::string batch;
  for (int i = 0; i < 40; ++i) batch += Request("e" + std::to_string(i), R"({"n":)" + std::to_string(i) + "}") + "\n";
  REQUIRE(Cz({"append", v.ledger, "--commit-every", "7"}, batch).exit_code == 0);
  REQUIRE(Cz({"export", v.ledger, v.tmp / "bundle"}).exit_code == 0);
  auto manifest = nlohmann::json::parse(ReadFile(v.tmp / "bundle/manifest.json"));
  CHECK(manifest["size"] == 40);
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
}

TEST_CASE("the demo runs end to end and shows the tampering caught", "[cli][demo]") {
  TempDir tmp;
  RunResult r = Run({kBin + "/cunzhang", "demo", tmp / "demo", "--lang=en"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("already recorded") != std::string::npos);
  CHECK(r.out.find("王秀英") != std::string::npos);
}
