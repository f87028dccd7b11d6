// cunzhang-verify as an auditor runs it: on a bundle directory, in Chinese or
// English, as text or as JSON that conforms to the published schema, with
// the documented exit codes.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cunzhang/bundle.h"
#include "cunzhang/entry.h"
#include "cunzhang/limits.h"
#include "cunzhang/merkle.h"
#include "schema_check.h"
#include "test_util.h"
#include "typed_history.h"

namespace cunzhang {
namespace {

using testing::Run;
using testing::RunResult;
using testing::Link;
using testing::TempDir;

constexpr const char* kOrigin = "cunzhang.example/daxinjing";

std::string Verifier() { return std::string(CUNZHANG_BIN_DIR) + "/cunzhang-verify"; }

// The typed history of tests/typed_history.h, as a clerk recorded it.
std::vector<Entry> MakeEntries(uint64_t n) {
  std::vector<Entry> entries;
  for (uint64_t seq = 0; seq < n; ++seq) {
    testing::TypedBody typed = testing::HistoryEntry(seq);
    Entry e;
    e.version = limits::kFormatVersion;
    e.seq = seq;
    e.origin = kOrigin;
    e.time = "2026-03-0" + std::to_string(1 + seq % 9) + "T09:30:00+08:00";
    e.type = typed.type;
    e.op = Operator{.name = "李出纳", .role = "clerk"};
    e.idempotency_id = "req-" + std::to_string(seq);
    e.body = std::move(typed.body);
    entries.push_back(std::move(e));
  }
  return entries;
}

Hash256 RootOf(const std::vector<std::string>& lines, size_t count) {
  merkle::CompactRange range;
  for (size_t i = 0; i < count; ++i) range.Append(LeafHash(lines[i]));
  return range.Root();
}

// Writes a bundle whose manifest describes `manifest_lines`, with
// `entry_lines` as its entries file.
void WriteBundle(const std::string& dir, const std::vector<std::string>& manifest_lines,
                 const std::vector<std::string>& entry_lines) {
  auto join = [](const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& l : lines) out += l + "\n";
    return out;
  };
  std::string described = join(manifest_lines);
  bundle::Manifest m;
  m.origin = kOrigin;
  m.size = manifest_lines.size();
  m.root = RootOf(manifest_lines, manifest_lines.size());
  m.last_leaf = manifest_lines.empty() ? Hash256() : LeafHash(manifest_lines.back());
  m.entries_bytes = described.size();
  m.entries_sha256 = Sha256(described);
  m.exported_at = "2026-04-01T09:00:00+08:00";
  testing::WriteFile(dir + "/manifest.json", bundle::EncodeManifest(m));
  testing::WriteFile(dir + "/entries.jsonl", join(entry_lines));
}

bool ConformsToSchema(const std::string& report, std::string* errors) {
  return testing::ConformsToSchema("verify-report.schema.json", nlohmann::json::parse(report),
                                   errors);
}

TEST_CASE("cunzhang-verify exits 0 on a clean bundle and prints the root") {
  TempDir dir;
  std::vector<std::string> lines = Link(MakeEntries(10));
  WriteBundle(dir.path(), lines, lines);
  std::string root = RootOf(lines, 10).Hex();

  RunResult zh = Run({Verifier(), dir.path(), "--lang", "zh"});
  INFO(zh.out << zh.err);
  CHECK(zh.exit_code == 0);
  CHECK(zh.out == "校验通过：10 条，根哈希 " + root + "\n");

  RunResult en = Run({Verifier(), dir.path(), "--lang=en"});
  CHECK(en.exit_code == 0);
  CHECK(en.out == "OK: 10 entries, root " + root + "\n");
}

TEST_CASE("cunzhang-verify exits 1 and names the entry after a deletion") {
  TempDir dir;
  std::vector<std::string> lines = Link(MakeEntries(10));
  std::vector<std::string> damaged = lines;
  damaged.erase(damaged.begin() + 6);
  WriteBundle(dir.path(), lines, damaged);

  RunResult zh = Run({Verifier(), dir.path(), "--lang", "zh"});
  INFO(zh.out << zh.err);
  CHECK(zh.exit_code == 1);
  CHECK(zh.out.find("校验失败：9 条") == 0);
  CHECK(zh.out.find("条目 7（第 7 行） [sequence]") != std::string::npos);
  CHECK(zh.out.find("    期望 6\n    实际 7\n") != std::string::npos);
  CHECK(zh.out.find("条目 7（第 7 行） [link]") != std::string::npos);
  CHECK(zh.out.find("    期望 " + LeafHash(lines[5]).Hex()) != std::string::npos);

  RunResult en = Run({Verifier(), dir.path(), "--lang", "en"});
  CHECK(en.exit_code == 1);
  CHECK(en.out.find("FAILED: 9 entries") == 0);
  CHECK(en.out.find("entry 7 (line 7) [sequence] gap: entry 6 missing") != std::string::npos);
  CHECK(en.out.find("    expected 6\n    found    7\n") != std::string::npos);
}

TEST_CASE("cunzhang-verify --json prints a report that conforms to the schema") {
  TempDir dir;
  std::vector<std::string> lines = Link(MakeEntries(6));
  WriteBundle(dir.path(), lines, lines);
  RunResult clean = Run({Verifier(), dir.path(), "--json"});
  std::string errors;
  INFO(clean.out << errors);
  CHECK(clean.exit_code == 0);
  CHECK(ConformsToSchema(clean.out, &errors));
  CHECK(nlohmann::json::parse(clean.out)["ok"] == true);

  std::vector<std::string> damaged = lines;
  std::swap(damaged[2], damaged[3]);
  damaged[5] = "{\"seq\":5";
  WriteBundle(dir.path(), lines, damaged);
  RunResult bad = Run({Verifier(), dir.path(), "--json", "--origin", "cunzhang.example/other"});
  INFO(bad.out << errors);
  CHECK(bad.exit_code == 1);
  CHECK(ConformsToSchema(bad.out, &errors));
  nlohmann::json report = nlohmann::json::parse(bad.out);
  CHECK(report["ok"] == false);
  CHECK(report["faults_total"] == report["faults"].size());
  bool named = false;
  for (const auto& f : report["faults"])
    named = named || (f["kind"] == "sequence" && f["entry"] == 3);
  CHECK(named);
}

TEST_CASE("cunzhang-verify without a usable temporary directory still verifies, and says so") {
  // The effects of contributions go to a temporary file under $TMPDIR; when
  // none can be made they stay in memory: the same result, and a note.
  TempDir dir;
  std::vector<std::string> lines = Link(MakeEntries(12));  // contributions from seq 4 on
  WriteBundle(dir.path(), lines, lines);
  const std::vector<std::string> no_tmp = {"TMPDIR=" + dir.path() + "/no-such-directory"};

  RunResult zh = Run({Verifier(), dir.path(), "--lang", "zh"}, {}, no_tmp);
  INFO(zh.out << zh.err);
  CHECK(zh.exit_code == 0);
  CHECK(zh.out.find("校验通过：12 条") == 0);
  CHECK(zh.out.find("注意：无法在临时目录") != std::string::npos);

  RunResult json = Run({Verifier(), dir.path(), "--json"}, {}, no_tmp);
  std::string errors;
  INFO(json.out << errors);
  CHECK(json.exit_code == 0);
  CHECK(ConformsToSchema(json.out, &errors));
  nlohmann::json report = nlohmann::json::parse(json.out);
  CHECK(report["ok"] == true);
  REQUIRE(report["notes"].size() == 1);
  CHECK(report["notes"][0]["en"].get<std::string>().find("kept in memory") != std::string::npos);

  // With a usable one, no note.
  RunResult usual = Run({Verifier(), dir.path(), "--json"});
  CHECK(nlohmann::json::parse(usual.out)["notes"].empty());
}

TEST_CASE("cunzhang-verify with the auditor's trusted root catches a rewritten history") {
  TempDir dir;
  std::vector<std::string> original = Link(MakeEntries(8));
  std::vector<Entry> entries = MakeEntries(8);
  const uint64_t edited = testing::HistorySeq(1, 1);  // member 1's capital, within every rule
  REQUIRE(edited == 4);
  entries[edited].body.Set("amount_fen", json::Value::Int(999'999));
  std::vector<std::string> forged = Link(entries);
  WriteBundle(dir.path(), forged, forged);
  CHECK(Run({Verifier(), dir.path()}).exit_code == 0);

  RunResult r = Run({Verifier(), dir.path(), "--lang", "en", "--trusted-size", "5",
                     "--trusted-root", RootOf(original, 5).Hex()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("[trusted]") != std::string::npos);
  CHECK(r.out.find("    expected " + RootOf(original, 5).Hex()) != std::string::npos);
  CHECK(Run({Verifier(), dir.path(), "--trusted-size", "2", "--trusted-root",
             RootOf(original, 2).Hex()})
            .exit_code == 0);
}

TEST_CASE("cunzhang-verify exits 1 on a broken business rule and names the entry and field") {
  TempDir dir;
  std::vector<Entry> entries = MakeEntries(10);
  const uint64_t seq = testing::HistorySeq(2, 1);
  REQUIRE(entries[seq].type == "contribution.capital");
  entries[seq].body.Set("member_id", json::Value::String("M0099"));  // never joined
  std::vector<std::string> forged = Link(entries);                   // every hash recomputed
  WriteBundle(dir.path(), forged, forged);

  RunResult json = Run({Verifier(), dir.path(), "--json"});
  std::string errors;
  INFO(json.out << json.err << errors);
  CHECK(json.exit_code == 1);
  CHECK(ConformsToSchema(json.out, &errors));
  nlohmann::json report = nlohmann::json::parse(json.out);
  REQUIRE(report["faults"].size() == 1);
  CHECK(report["faults"][0]["kind"] == "rule");
  CHECK(report["faults"][0]["entry"] == seq);
  CHECK(report["faults"][0]["line"] == seq + 1);
  CHECK(report["faults"][0]["field"] == "body.member_id");

  RunResult en = Run({Verifier(), dir.path(), "--lang", "en"});
  CHECK(en.exit_code == 1);
  CHECK(en.out.find("entry " + std::to_string(seq)) != std::string::npos);
  CHECK(en.out.find("M0099") != std::string::npos);
}

TEST_CASE("cunzhang-verify checks the manifest's optional file checksum when it is there") {
  TempDir dir;
  std::vector<std::string> lines = Link(MakeEntries(6));
  WriteBundle(dir.path(), lines, lines);
  const std::string manifest = dir.path() + "/manifest.json";
  Result<bundle::Manifest> m = bundle::DecodeManifest(testing::ReadFile(manifest), manifest);
  REQUIRE(m.ok());

  // Without it (as the exporter writes bundles): clean.
  bundle::Manifest without = *m;
  without.entries_sha256.reset();
  testing::WriteFile(manifest, bundle::EncodeManifest(without));
  CHECK(Run({Verifier(), dir.path(), "--lang", "en"}).exit_code == 0);

  // A wrong value: exit 1, the field named, expected and found.
  bundle::Manifest wrong = *m;
  wrong.entries_sha256 = Sha256("not the file");
  testing::WriteFile(manifest, bundle::EncodeManifest(wrong));
  RunResult en = Run({Verifier(), dir.path(), "--lang", "en"});
  INFO(en.out << en.err);
  CHECK(en.exit_code == 1);
  CHECK(en.out.find("[checksum]") != std::string::npos);
  CHECK(en.out.find("entries_sha256") != std::string::npos);
  CHECK(en.out.find("    expected " + Sha256("not the file").Hex()) != std::string::npos);
  RunResult zh = Run({Verifier(), dir.path(), "--lang", "zh"});
  CHECK(zh.exit_code == 1);
  CHECK(zh.out.find("条目文件的 SHA-256 与清单不符") != std::string::npos);

  // The wrong type: the manifest is unusable, and the report says which field.
  std::string text = bundle::EncodeManifest(without);
  text.insert(1, "\"entries_sha256\":5,");
  testing::WriteFile(manifest, text);
  RunResult typed = Run({Verifier(), dir.path(), "--lang", "en"});
  INFO(typed.out << typed.err);
  CHECK(typed.exit_code == 1);
  CHECK(typed.out.find("[manifest]") != std::string::npos);
  CHECK(typed.out.find("entries_sha256") != std::string::npos);
  CHECK(typed.out.find("must be of type string, found integer") != std::string::npos);
  // Only where it was found: there is no expected value to show.
  CHECK(typed.out.find("    found    " + manifest) != std::string::npos);
  CHECK(typed.out.find("    expected") == std::string::npos);
}

TEST_CASE("cunzhang-verify exits 5 when the bundle does not exist") {
  TempDir dir;
  RunResult r = Run({Verifier(), dir / "no-such-bundle", "--lang", "en"});
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("bundle not found") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("cunzhang-verify exits 2 on a wrong command line") {
  TempDir dir;
  CHECK(Run({Verifier()}).exit_code == 2);
  CHECK(Run({Verifier(), dir.path(), "--lang", "fr"}).exit_code == 2);
  CHECK(Run({Verifier(), dir.path(), "--trusted-size", "3"}).exit_code == 2);
  CHECK(Run({Verifier(), dir.path(), "--trusted-size", "3", "--trusted-root", "xyz"}).exit_code ==
        2);
  CHECK(Run({Verifier(), dir.path(), "--bogus"}).exit_code == 2);
}

TEST_CASE("cunzhang-verify help follows the chosen language") {
  RunResult zh = Run({Verifier(), "--help", "--lang", "zh"});
  CHECK(zh.exit_code == 0);
  CHECK(zh.out.find("村账审计校验") != std::string::npos);
  CHECK(zh.out.find("退出码") != std::string::npos);
  RunResult en = Run({Verifier(), "--help"}, {}, {"CUNZHANG_LANG=en"});
  CHECK(en.exit_code == 0);
  CHECK(en.out.find("Cunzhang audit verifier") != std::string::npos);
  CHECK(en.out.find("exit codes") != std::string::npos);
}

}  // namespace
}  // namespace cunzhang
