// Checks docs/FORMAT.md against the code: the worked example's entry bytes,
// that the rules accept them, its ID commitment, hashes, links, roots,
// manifest and proof documents (§8), the shell commands that reproduce them,
// and the limits table (§1.1).
//
// The document marks what this test reads:
//   ```json entry-0        one line: the canonical bytes of entry 0
//   ```json manifest       one line: manifest.json without its newline
//   ```json proof-inclusion / ```json proof-consistency
//   ```sh NAME             a command whose output starts with the value of NAME
//   NAME: value            a line inside a ```text block (leaf-0, root-3, ...)
//   | `kName` | 123 |      a row of the limits table
#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cunzhang/bundle.h"
#include "cunzhang/domain.h"
#include "cunzhang/entry.h"
#include "cunzhang/json.h"
#include "cunzhang/limits.h"
#include "cunzhang/merkle.h"
#include "cunzhang/money.h"
#include "cunzhang/registry.h"
#include "cunzhang/verify.h"
#include "test_util.h"

namespace cunzhang {
namespace {

struct Doc {
  std::map<std::string, std::string> blocks;  // "json entry-0" -> content
  std::map<std::string, std::string> values;  // "leaf-0" -> hex
  std::map<std::string, std::string> limits;  // "kEntryBytesMax" -> "65536"
};

Doc ReadDoc() {
  std::istringstream in(testing::ReadFile(std::string(CUNZHANG_SOURCE_DIR) + "/docs/FORMAT.md"));
  static const std::regex kValue("^([a-z0-9-]+): (\\S+)$");
  static const std::regex kLimit("^\\| `(k[A-Za-z0-9]+)` \\| ([0-9]+) \\|.*");
  Doc doc;
  std::string line, info, content;
  bool in_block = false;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!in_block && line.starts_with("```")) {
      in_block = true;
      info = line.substr(3);
      content.clear();
    } else if (in_block && line == "```") {
      in_block = false;
      if (!info.empty()) doc.blocks[info] = content;
    } else if (in_block) {
      if (!content.empty()) content += "\n";
      content += line;
      if (info == "text" && std::regex_match(line, m, kValue)) doc.values[m[1]] = m[2];
    } else if (std::regex_match(line, m, kLimit)) {
      doc.limits[m[1]] = m[2];
    }
  }
  REQUIRE_FALSE(in_block);
  return doc;
}

const std::string& Block(const Doc& doc, const std::string& info) {
  auto it = doc.blocks.find(info);
  INFO("block ```" << info);
  REQUIRE(it != doc.blocks.end());
  return it->second;
}

Hash256 Value(const Doc& doc, const std::string& name) {
  auto it = doc.values.find(name);
  INFO("value " << name);
  REQUIRE(it != doc.values.end());
  std::optional<Hash256> h = Hash256::FromHex(it->second);
  REQUIRE(h.has_value());
  return *h;
}

std::vector<std::string> Entries(const Doc& doc) {
  std::vector<std::string> out;
  for (int i = 0; i < 3; ++i) out.push_back(Block(doc, "json entry-" + std::to_string(i)));
  CHECK(doc.blocks.count("json entry-3") == 0);
  return out;
}

std::string EntriesFile(const std::vector<std::string>& entries) {
  std::string file;
  for (const std::string& e : entries) file += e + "\n";
  return file;
}

Hash256 HashField(const json::Value& v, std::string_view key) {
  const json::Value* f = v.Find(key);
  REQUIRE(f != nullptr);
  REQUIRE(f->is_string());
  std::optional<Hash256> h = Hash256::FromHex(f->as_string());
  REQUIRE(h.has_value());
  return *h;
}

int64_t IntField(const json::Value& v, std::string_view key) {
  const json::Value* f = v.Find(key);
  REQUIRE(f != nullptr);
  REQUIRE(f->is_int());
  return f->as_int();
}

std::vector<Hash256> ProofField(const json::Value& v) {
  const json::Value* f = v.Find("proof");
  REQUIRE(f != nullptr);
  REQUIRE(f->is_array());
  std::vector<Hash256> out;
  for (const json::Value& item : f->items()) {
    REQUIRE(item.is_string());
    std::optional<Hash256> h = Hash256::FromHex(item.as_string());
    REQUIRE(h.has_value());
    out.push_back(*h);
  }
  return out;
}

// A proof document: canonical JSON of the subset.
json::Value ProofDoc(const Doc& doc, const std::string& name) {
  Result<json::Parsed> parsed = json::Parse(Block(doc, "json " + name));
  INFO(name << ": " << parsed.status().ToString());
  REQUIRE(parsed.ok());
  CHECK(parsed->canonical);
  return parsed->value;
}

TEST_CASE("FORMAT.md: the worked example's entries are canonical and decode", "[format_doc]") {
  Doc doc = ReadDoc();
  std::vector<std::string> entries = Entries(doc);
  for (size_t i = 0; i < entries.size(); ++i) {
    INFO("entry-" << i << ": " << entries[i]);
    EntryFault fault = EntryFault::kJson;
    Result<Entry> e = DecodeEntry(entries[i], &fault);
    REQUIRE(e.ok());
    CHECK(fault == EntryFault::kNone);
    CHECK(EncodeEntry(*e) == entries[i]);
    CHECK(e->seq == i);
    CHECK(e->origin == "cunzhang.example/daxinjing");
  }
  // What §8.1 promises about the example's contents.
  CHECK(entries[0].find("\"type\":\"org.register\"") != std::string::npos);
  CHECK(entries[0].find("\"name\":\"大新井村\\\"兴农\\\"农机专业合作社\"") != std::string::npos);
  CHECK(entries[1].find("\"type\":\"member.join\"") != std::string::npos);
  CHECK(entries[1].find("\"name\":\"王秀英\"") != std::string::npos);
  CHECK(entries[1].find("\"household\":\"第二村民小组\\n17 号\"") != std::string::npos);
  CHECK(entries[2].find("\"type\":\"contribution.capital\"") != std::string::npos);
  CHECK(entries[2].find("\"amount_fen\":500000") != std::string::npos);
  for (const std::string& e : entries)
    CHECK(e.find('\'') == std::string::npos);  // the commands quote with '
  // §3.3 quotes entry 0 as the envelope example.
  CHECK(testing::ReadFile(std::string(CUNZHANG_SOURCE_DIR) + "/docs/FORMAT.md")
            .find("```\n" + entries[0] + "\n```") != std::string::npos);
}

TEST_CASE("FORMAT.md: the worked example is a history the rules accept", "[format_doc]") {
  Doc doc = ReadDoc();
  domain::State state;
  for (const std::string& bytes : Entries(doc)) {
    Result<Entry> e = DecodeEntry(bytes);
    REQUIRE(e.ok());
    Status applied = domain::Apply(&state, *e);
    INFO("entry " << e->seq << ": " << applied.ToString());
    CHECK(applied.ok());
  }
  // §8: 5000 yuan of capital at the founding share price of 1 yuan.
  REQUIRE(state.members.count("M-0042") == 1);
  const domain::Member& wang = state.members.at("M-0042");
  CHECK(wang.total_capital_fen() == 500000);
  CHECK(FormatFixed(Shares{wang.total_share_units()}) == "5000.0000");
}

TEST_CASE("FORMAT.md: the worked example's ID commitment is the registry's", "[format_doc]") {
  Doc doc = ReadDoc();
  const std::string& salt_hex = doc.values.at("id-salt");
  const std::string& number = doc.values.at("id-number");
  REQUIRE(CheckIdNumber(number).ok());
  std::string salt;
  for (size_t i = 0; i + 1 < salt_hex.size(); i += 2) {
    salt.push_back(static_cast<char>(std::stoi(salt_hex.substr(i, 2), nullptr, 16)));
  }
  REQUIRE(salt.size() == kIdSaltBytes);
  CHECK(IdCommitment(salt, number) == Value(doc, "id-commitment").Hex());
  CHECK(Entries(doc)[1].find("\"id_commitment\":\"" + Value(doc, "id-commitment").Hex() + "\"") !=
        std::string::npos);
  // The clear number is never in the example's entries.
  for (const std::string& e : Entries(doc)) CHECK(e.find(number) == std::string::npos);
}

TEST_CASE("FORMAT.md: the worked example's leaf hashes, links and roots match", "[format_doc]") {
  Doc doc = ReadDoc();
  std::vector<std::string> entries = Entries(doc);
  std::vector<Hash256> leaves;
  merkle::MemoryTree tree;
  CHECK(Value(doc, "root-0") == Sha256(""));
  CHECK(Value(doc, "root-0") == tree.Root());
  Hash256 prev;  // all zero before entry 0
  for (size_t i = 0; i < entries.size(); ++i) {
    INFO("entry " << i);
    Result<Entry> e = DecodeEntry(entries[i]);
    REQUIRE(e.ok());
    CHECK(e->prev == prev);
    Hash256 leaf = LeafHash(entries[i]);
    CHECK(Value(doc, "leaf-" + std::to_string(i)) == leaf);
    leaves.push_back(leaf);
    tree.Append(leaf);
    CHECK(Value(doc, "root-" + std::to_string(i + 1)) == tree.Root());
    prev = leaf;
  }
  CHECK(Value(doc, "root-1") == leaves[0]);
  CHECK(Value(doc, "root-2") == NodeHash(leaves[0], leaves[1]));
  CHECK(Value(doc, "root-3") == NodeHash(NodeHash(leaves[0], leaves[1]), leaves[2]));
}

TEST_CASE("FORMAT.md: the worked example's manifest matches the entries", "[format_doc]") {
  Doc doc = ReadDoc();
  std::vector<std::string> entries = Entries(doc);
  std::string file = EntriesFile(entries);
  std::string manifest_bytes = Block(doc, "json manifest") + "\n";
  Result<bundle::Manifest> m = bundle::DecodeManifest(manifest_bytes, "manifest.json");
  INFO(m.status().ToString());
  REQUIRE(m.ok());
  CHECK(bundle::EncodeManifest(*m) == manifest_bytes);
  CHECK(m->origin == "cunzhang.example/daxinjing");
  CHECK(m->size == entries.size());
  CHECK(m->root == Value(doc, "root-3"));
  CHECK(m->last_leaf == LeafHash(entries.back()));
  CHECK(m->entries_bytes == file.size());
  CHECK(std::to_string(file.size()) == doc.values.at("entries-bytes"));
  CHECK_FALSE(m->entries_sha256.has_value());  // the exporter writes none (§5)

  verify::Report report = verify::VerifyBundleBytes(manifest_bytes, file, verify::Options{});
  CHECK(report.ok());
  CHECK(report.entries_checked == 3);
  CHECK(report.root == Value(doc, "root-3"));
}

TEST_CASE("FORMAT.md: the worked example's proof documents verify", "[format_doc]") {
  Doc doc = ReadDoc();
  std::vector<std::string> entries = Entries(doc);
  std::vector<Hash256> leaves;
  for (const std::string& e : entries) leaves.push_back(LeafHash(e));

  json::Value inclusion = ProofDoc(doc, "proof-inclusion");
  CHECK(inclusion.members().size() == 7);
  CHECK(inclusion.Find("type")->as_string() == "inclusion");
  CHECK(inclusion.Find("origin")->as_string() == "cunzhang.example/daxinjing");
  int64_t index = IntField(inclusion, "index");
  int64_t size = IntField(inclusion, "size");
  REQUIRE(index == 1);
  REQUIRE(size == 3);
  CHECK(HashField(inclusion, "leaf_hash") == leaves[1]);
  CHECK(HashField(inclusion, "root") == Value(doc, "root-3"));
  std::vector<Hash256> path = ProofField(inclusion);
  CHECK(path == std::vector<Hash256>{leaves[0], leaves[2]});
  CHECK(merkle::VerifyInclusion(1, 3, leaves[1], path, Value(doc, "root-3")).ok());

  json::Value consistency = ProofDoc(doc, "proof-consistency");
  CHECK(consistency.members().size() == 7);
  CHECK(consistency.Find("type")->as_string() == "consistency");
  CHECK(consistency.Find("origin")->as_string() == "cunzhang.example/daxinjing");
  REQUIRE(IntField(consistency, "size1") == 1);
  REQUIRE(IntField(consistency, "size2") == 3);
  CHECK(HashField(consistency, "root1") == Value(doc, "root-1"));
  CHECK(HashField(consistency, "root2") == Value(doc, "root-3"));
  std::vector<Hash256> proof = ProofField(consistency);
  CHECK(proof == std::vector<Hash256>{leaves[1], leaves[2]});
  CHECK(merkle::VerifyConsistency(1, 3, proof, Value(doc, "root-1"), Value(doc, "root-3")).ok());
}

TEST_CASE("FORMAT.md: the limits table equals limits.h", "[format_doc]") {
  Doc doc = ReadDoc();
  const std::map<std::string, uint64_t> expected = {
      {"kFormatVersion", limits::kFormatVersion},
      {"kJsonIntegerMax", limits::kJsonIntegerMax},
      {"kEntryBytesMax", limits::kEntryBytesMax},
      {"kJsonDepthMax", limits::kJsonDepthMax},
      {"kInputDocumentBytesMax", limits::kInputDocumentBytesMax},
      {"kBatchEntriesMax", limits::kBatchEntriesMax},
      {"kOriginBytesMax", limits::kOriginBytesMax},
      {"kTypeBytesMax", limits::kTypeBytesMax},
      {"kIdempotencyIdBytesMax", limits::kIdempotencyIdBytesMax},
      {"kOperatorNameBytesMax", limits::kOperatorNameBytesMax},
      {"kManifestBytesMax", limits::kManifestBytesMax},
      {"kVerifyFaultsMax", limits::kVerifyFaultsMax},
  };
  CHECK(doc.limits.size() == expected.size());
  for (const auto& [name, value] : expected) {
    INFO(name);
    REQUIRE(doc.limits.count(name) == 1);
    CHECK(doc.limits.at(name) == std::to_string(value));
  }
}

TEST_CASE("FORMAT.md: the shell commands print the stated values", "[format_doc]") {
  Doc doc = ReadDoc();
  testing::RunResult tools = testing::Run({"/bin/sh", "-c", "command -v sha256sum && command -v xxd"});
  if (tools.exit_code != 0) {
    WARN("sha256sum or xxd not installed: the document's commands were not run");
    return;
  }
  int commands = 0;
  for (const auto& [info, command] : doc.blocks) {
    if (!info.starts_with("sh ")) continue;
    std::string name = info.substr(3);
    INFO("```" << info);
    REQUIRE(doc.values.count(name) == 1);
    testing::RunResult r = testing::Run({"/bin/sh", "-c", command});
    CHECK(r.exit_code == 0);
    std::istringstream out(r.out);
    std::string first;
    out >> first;
    CHECK(first == doc.values.at(name));
    ++commands;
  }
  // The ID commitment, every leaf, the computed roots, and the bundle's length.
  CHECK(commands == 8);
}

}  // namespace
}  // namespace cunzhang
