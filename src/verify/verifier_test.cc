// The verifier against valid bundles and every kind of damage an export can
// suffer: flipped bytes, deleted, swapped, duplicated or forged entries,
// truncation, a lying manifest, another ledger's entries, a history
// rewritten with every hash recomputed. (Business rules, the fuzz corpus and
// the reports: verifier_rules_test.cc.)
#include "verifier_test_util.h"

namespace cunzhang::verify {
namespace {

using namespace verifier_testing;  // NOLINT: the shared test vocabulary

TEST_CASE("a valid bundle verifies clean with the recomputed root") {
  std::vector<std::string> lines = Link(MakeEntries(13));
  TestBundle b = Consistent(lines);
  Report r = Verify(b);
  INFO(ReportToText(r, "en"));
  CHECK(r.ok());
  CHECK(r.faults.empty());
  CHECK(r.size == 13);
  CHECK(r.entries_checked == 13);
  CHECK(r.bytes_checked == b.entries.size());
  CHECK(r.origin == kOrigin);
  merkle::MemoryTree tree;
  for (const std::string& line : lines) tree.Append(LeafHash(line));
  CHECK(r.root == tree.Root());
}

TEST_CASE("an empty bundle is valid when its manifest says zero entries") {
  Report r = Verify(Consistent({}));
  CHECK(r.ok());
  CHECK(r.size == 0);
  CHECK(r.root == Sha256(""));
}

TEST_CASE("an empty entries file is caught when the manifest promised entries") {
  TestBundle b = Consistent(Link(MakeEntries(3)));
  b.entries.clear();
  Report r = Verify(b);
  CHECK_FALSE(r.ok());
  const Fault* size = Find(r, kind::kSize);
  REQUIRE(size != nullptr);
  CHECK(size->expected == "3");
  CHECK(size->found == "0");
}

TEST_CASE("every single flipped byte of the entries is caught near the flipped line") {
  std::vector<std::string> lines = Link(MakeEntries(5));
  TestBundle good = Consistent(lines);
  for (size_t pos = 0; pos < good.entries.size(); ++pos) {
    int64_t line = 1 + std::count(good.entries.begin(), good.entries.begin() + pos, '\n');
    for (uint8_t mask : {0x01, 0x20, 0x80}) {
      TestBundle b = good;
      b.entries[pos] = static_cast<char>(b.entries[pos] ^ mask);
      Report r = Verify(b);
      INFO("byte " << pos << " (line " << line << ") ^ " << int{mask} << "\n"
                   << ReportToText(r, "en"));
      REQUIRE_FALSE(r.ok());
      if (good.entries[pos] == '\n') continue;  // lines merged: only the tree can tell
      bool located = std::any_of(r.faults.begin(), r.faults.end(), [&](const Fault& f) {
        return f.line == line || (f.line == line + 1 && f.kind == kind::kLink) ||
               f.field == "last_leaf";
      });
      CHECK(located);
    }
  }
}

TEST_CASE("every single flipped byte of the manifest is caught") {
  TestBundle good = Consistent(Link(MakeEntries(5)));
  // exported_at is informational: a flip can turn it into another valid time
  // that nothing in the bundle pins (a signed checkpoint would), so it is
  // the one part left out.
  size_t time_begin = good.manifest.find(kExportedAt);
  REQUIRE(time_begin != std::string::npos);
  size_t time_end = time_begin + std::string_view(kExportedAt).size();
  for (size_t pos = 0; pos < good.manifest.size(); ++pos) {
    if (pos >= time_begin && pos < time_end) continue;
    for (uint8_t mask : {0x01, 0x02, 0x20, 0x2a, 0x80}) {
      TestBundle b = good;
      b.manifest[pos] = static_cast<char>(b.manifest[pos] ^ mask);
      Report r = Verify(b);
      INFO("manifest byte " << pos << " ^ " << int{mask} << ": " << b.manifest);
      REQUIRE_FALSE(r.ok());
      // A flipped origin puts every entry at odds with the manifest instead.
      CHECK(std::any_of(r.faults.begin(), r.faults.end(),
                        [](const Fault& f) { return f.entry == -1 || f.kind == kind::kOrigin; }));
    }
  }
}

TEST_CASE("deleting the first entry is a gap before entry 1 and a broken first link") {
  std::vector<std::string> lines = Link(MakeEntries(10));
  TestBundle b = Consistent(lines);
  lines.erase(lines.begin());
  b.entries = Join(lines);
  Report r = Verify(b);
  INFO(ReportToText(r, "en"));
  CHECK(Has(r, kind::kSequence, 1, 1));
  CHECK(Find(r, kind::kSequence)->en.find("gap: entry 0 missing") != std::string::npos);
  CHECK(Has(r, kind::kLink, 1, 1));
  CHECK(Find(r, kind::kLink)->expected == Hash256().Hex());
  CHECK(Has(r, kind::kSize, -1, 0));
  CHECK(r.faults_total <= 7);
}

TEST_CASE("deleting a middle entry is one gap and one broken link, not a cascade") {
  std::vector<std::string> lines = Link(MakeEntries(200));
  TestBundle b = Consistent(lines);
  std::string deleted = lines[77];
  lines.erase(lines.begin() + 77);
  b.entries = Join(lines);
  Report r = Verify(b);
  INFO(ReportToText(r, "en"));
  CHECK(Has(r, kind::kSequence, 78, 78));
  const Fault* seq = Find(r, kind::kSequence);
  CHECK(seq->expected == "77");
  CHECK(seq->found == "78");
  CHECK(seq->en == "gap: entry 77 missing");
  CHECK(Has(r, kind::kLink, 78, 78));
  CHECK(Find(r, kind::kLink)->expected == LeafHash(lines[76]).Hex());
  CHECK(Find(r, kind::kLink)->found == LeafHash(deleted).Hex());
  CHECK(Count(r, kind::kSequence) == 1);
  CHECK(Count(r, kind::kLink) == 1);
  CHECK(Has(r, kind::kSize, -1, 0));
  CHECK(Has(r, kind::kRoot, -1, 0));
  CHECK(r.faults_total <= 6);
}

TEST_CASE("deleting the last entry is caught by the manifest's size and root") {
  std::vector<std::string> lines = Link(MakeEntries(10));
  TestBundle b = Consistent(lines);
  lines.pop_back();
  b.entries = Join(lines);
  Report r = Verify(b);
  CHECK_FALSE(r.ok());
  CHECK(Count(r, kind::kSequence) == 0);
  CHECK(Count(r, kind::kLink) == 0);
  const Fault* size = Find(r, kind::kSize);
  REQUIRE(size != nullptr);
  CHECK(size->expected == "10");
  CHECK(size->found == "9");
  CHECK(Find(r, kind::kRoot) != nullptr);
  CHECK(Find(r, kind::kChecksum) != nullptr);
}

TEST_CASE("two swapped entries are reported at both lines") {
  std::vector<std::string> lines = Link(MakeEntries(10));
  TestBundle b = Consistent(lines);
  std::swap(lines[3], lines[4]);
  b.entries = Join(lines);
  Report r = Verify(b);
  INFO(ReportToText(r, "en"));
  CHECK(Has(r, kind::kSequence, 4, 4));
  CHECK(Has(r, kind::kSequence, 3, 5));
  CHECK(Has(r, kind::kLink, 4, 4));
  CHECK(Has(r, kind::kLink, 3, 5));
  CHECK(Has(r, kind::kLink, 5, 6));
  CHECK(r.faults_total <= 10);
}

TEST_CASE("a duplicated entry is reported as out of order, once") {
  std::vector<std::string> lines = Link(MakeEntries(10));
  TestBundle b = Consistent(lines);
  lines.insert(lines.begin() + 5, lines[4]);
  b.entries = Join(lines);
  Report r = Verify(b);
  INFO(ReportToText(r, "en"));
  CHECK(Has(r, kind::kSequence, 4, 6));
  CHECK(Find(r, kind::kSequence)->en == "duplicate or out of order");
  CHECK(Has(r, kind::kLink, 4, 6));
  CHECK(Count(r, kind::kSequence) == 1);
  CHECK(Count(r, kind::kLink) == 1);
  CHECK(Has(r, kind::kSize, -1, 0));
}

TEST_CASE("a sequence gap is caught even when links and manifest were recomputed") {
  std::vector<Entry> entries = MakeEntries(10);
  entries.erase(entries.begin() + 5);
  TestBundle b = Consistent(Link(entries));
  Report r = Verify(b);
  INFO(ReportToText(r, "en"));
  CHECK(r.faults_total == 1);
  CHECK(Has(r, kind::kSequence, 6, 6));
  CHECK(Find(r, kind::kSequence)->en == "gap: entry 5 missing");
  CHECK(Find(r, kind::kSequence)->zh == "序号不连续：缺少条目 5");
}

TEST_CASE("a last line cut mid-way is reported as truncated, not also as bad JSON") {
  std::vector<std::string> lines = Link(MakeEntries(6));
  TestBundle b = Consistent(lines);
  b.entries.resize(b.entries.size() - lines.back().size() / 2);
  Report r = Verify(b);
  INFO(ReportToText(r, "en"));
  CHECK(Has(r, kind::kTruncated, -1, 6));
  CHECK(Count(r, kind::kJson) == 0);
  CHECK(Find(r, kind::kRoot) != nullptr);
  CHECK(Find(r, kind::kChecksum) != nullptr);
}

TEST_CASE("a missing final newline alone is reported as truncated") {
  std::vector<std::string> lines = Link(MakeEntries(6));
  TestBundle b = Consistent(lines);
  b.entries.pop_back();
  Report r = Verify(b);
  INFO(ReportToText(r, "en"));
  CHECK(Has(r, kind::kTruncated, 5, 6));
  CHECK(Count(r, kind::kRoot) == 0);  // the entry bytes are whole
  const Fault* checksum = Find(r, kind::kChecksum);
  REQUIRE(checksum != nullptr);
  CHECK(checksum->field == "entries_bytes");
}

TEST_CASE("the file's SHA-256 is checked when the manifest has it, and is not needed when not") {
  const std::vector<std::string> lines = Link(MakeEntries(6));
  const std::string entries = Join(lines);
  bundle::Manifest with = ManifestOf(lines, entries);
  REQUIRE(with.entries_sha256.has_value());
  bundle::Manifest without = with;
  without.entries_sha256.reset();  // as the exporter writes it
  CHECK(Verify({bundle::EncodeManifest(without), entries}).ok());
  CHECK(Verify({bundle::EncodeManifest(with), entries}).ok());

  // A manifest whose checksum is wrong: the one fault, naming the field.
  bundle::Manifest wrong = with;
  wrong.entries_sha256 = Sha256("something else");
  Report r = Verify({bundle::EncodeManifest(wrong), entries});
  INFO(ReportToText(r, "en"));
  REQUIRE(r.faults_total == 1);
  CHECK(r.faults[0].kind == kind::kChecksum);
  CHECK(r.faults[0].field == "entries_sha256");
  CHECK(r.faults[0].expected == Sha256("something else").Hex());
  CHECK(r.faults[0].found == Sha256(entries).Hex());

  // Without the checksum a changed byte is still found, by its line.
  std::string flipped = entries;
  flipped[lines[0].size() + 20] ^= 0x01;
  Report f = Verify({bundle::EncodeManifest(without), flipped});
  INFO(ReportToText(f, "en"));
  CHECK_FALSE(f.ok());
  CHECK(Find(f, kind::kRoot) != nullptr);
  CHECK(Count(f, kind::kChecksum) == 0);
}

TEST_CASE("a forged entry appended without updating the manifest fails size and root") {
  std::vector<std::string> lines = Link(MakeEntries(8));
  TestBundle b = Consistent(lines);
  std::vector<std::string> forged = Link(MakeEntries(9));
  REQUIRE(std::equal(lines.begin(), lines.end(), forged.begin()));
  b.entries = Join(forged);
  Report r = Verify(b);
  INFO(ReportToText(r, "en"));
  CHECK(Count(r, kind::kLink) == 0);
  CHECK(Count(r, kind::kSequence) == 0);
  const Fault* size = Find(r, kind::kSize);
  REQUIRE(size != nullptr);
  CHECK(size->expected == "8");
  CHECK(size->found == "9");
  CHECK(Find(r, kind::kRoot) != nullptr);
}

TEST_CASE("an appended entry with a recomputed manifest still extends the trusted tree") {
  std::vector<std::string> lines = Link(MakeEntries(8));
  std::vector<std::string> longer = Link(MakeEntries(9));
  TestBundle b = Consistent(longer);
  CHECK(Verify(b).ok());
  Options options;
  options.trusted = std::make_pair(uint64_t{8}, RootOf(lines, 8));
  CHECK(Verify(b, options).ok());
}

TEST_CASE("a rewritten history with every hash recomputed fails only the trusted checkpoint") {
  std::vector<std::string> original = Link(MakeEntries(12));
  std::vector<Entry> entries = MakeEntries(12);
  // The forger's edit: member 2's capital contribution down to 1 fen, which
  // every rule still accepts.
  const uint64_t edited = testing::HistorySeq(2, 1);
  REQUIRE(edited == 8);
  REQUIRE(entries[edited].type == "contribution.capital");
  entries[edited].body.Set("amount_fen", json::Value::Int(1));
  TestBundle forged = Consistent(Link(entries));
  REQUIRE(Verify(forged).ok());  // nothing inside the bundle can tell

  Options options;
  options.trusted = std::make_pair(uint64_t{10}, RootOf(original, 10));
  Report r = Verify(forged, options);
  INFO(ReportToText(r, "en"));
  CHECK(r.faults_total == 1);
  const Fault* trusted = Find(r, kind::kTrusted);
  REQUIRE(trusted != nullptr);
  CHECK(trusted->expected == RootOf(original, 10).Hex());
  CHECK(trusted->found == RootOf(Link(entries), 10).Hex());
  CHECK(trusted->entry == 9);

  options.trusted = std::make_pair(uint64_t{8}, RootOf(original, 8));  // before the edit
  CHECK(Verify(forged, options).ok());
}

TEST_CASE("a bundle shorter than the trusted checkpoint fails") {
  std::vector<std::string> lines = Link(MakeEntries(5));
  Options options;
  options.trusted = std::make_pair(uint64_t{6}, Sha256("whatever"));
  Report r = Verify(Consistent(lines), options);
  const Fault* trusted = Find(r, kind::kTrusted);
  REQUIRE(trusted != nullptr);
  CHECK(trusted->field == "size");
  CHECK(trusted->expected == "6");
  CHECK(trusted->found == "5");
}

TEST_CASE("a trusted checkpoint of size zero must hold the empty root") {
  Options options;
  options.trusted = std::make_pair(uint64_t{0}, Sha256(""));
  CHECK(Verify(Consistent(Link(MakeEntries(3))), options).ok());
  options.trusted = std::make_pair(uint64_t{0}, Sha256("x"));
  CHECK(Find(Verify(Consistent(Link(MakeEntries(3))), options), kind::kTrusted) != nullptr);
}

TEST_CASE("a manifest root that does not match is the only fault") {
  std::vector<std::string> lines = Link(MakeEntries(7));
  std::string entries = Join(lines);
  bundle::Manifest m = ManifestOf(lines, entries);
  m.root = Sha256("not the root");
  Report r = Verify({bundle::EncodeManifest(m), entries});
  CHECK(r.faults_total == 1);
  const Fault* root = Find(r, kind::kRoot);
  REQUIRE(root != nullptr);
  CHECK(root->expected == Sha256("not the root").Hex());
  CHECK(root->found == RootOf(lines, 7).Hex());
}

TEST_CASE("the auditor's expected origin overrides the manifest's") {
  TestBundle b = Consistent(Link(MakeEntries(4)));
  Options options;
  options.expected_origin = "cunzhang.example/other-village";
  Report r = Verify(b, options);
  CHECK(r.faults_total == 5);  // the manifest and each entry
  CHECK(Has(r, kind::kOrigin, -1, 0));
  for (int64_t seq = 0; seq < 4; ++seq) CHECK(Has(r, kind::kOrigin, seq, seq + 1));
  CHECK(Find(r, kind::kOrigin)->expected == "cunzhang.example/other-village");
  options.expected_origin = kOrigin;
  CHECK(Verify(b, options).ok());
}

TEST_CASE("an entry from another ledger is caught even with links recomputed") {
  std::vector<Entry> entries = MakeEntries(6);
  entries[2].origin = "cunzhang.example/other-village";
  Report r = Verify(Consistent(Link(entries)));
  CHECK(r.faults_total == 1);
  CHECK(Has(r, kind::kOrigin, 2, 3));
}

TEST_CASE("an entry from another ledger is caught in any batch, with or without a manifest") {
  // Lines are decoded in batches of up to 1,024, by whichever thread has
  // time, and their origin compared there once it is known: entries far
  // into the file, in batches decoded after the first entry fixed the
  // origin (no manifest) or before any entry was read (a manifest).
  std::vector<Entry> entries = MakeEntries(3000);
  for (size_t seq : {5, 1500, 2999}) entries[seq].origin = "cunzhang.example/other-village";
  const std::vector<std::string> lines = Link(entries);
  TestBundle with_manifest = Consistent(lines);
  Report r = Verify(with_manifest);
  CHECK(r.faults_total == 3);
  for (int64_t seq : {5, 1500, 2999}) CHECK(Has(r, kind::kOrigin, seq, seq + 1));

  testing::TempDir dir;
  testing::WriteFile(dir / "entries.jsonl", Join(lines));
  r = VerifyBundle(dir.path(), {});
  CHECK(r.origin == kOrigin);  // taken from the first entry
  CHECK(r.faults_total == 4);  // the missing manifest, and the three entries
  for (int64_t seq : {5, 1500, 2999}) CHECK(Has(r, kind::kOrigin, seq, seq + 1));
}

TEST_CASE("a line that is not JSON takes its place in the sequence") {
  std::vector<std::string> lines = Link(MakeEntries(6));
  TestBundle b = Consistent(lines);
  lines[2] = "{\"seq\":2,";
  b.entries = Join(lines);
  Report r = Verify(b);
  INFO(ReportToText(r, "en"));
  CHECK(Has(r, kind::kJson, -1, 3));
  CHECK(Count(r, kind::kSequence) == 0);
  CHECK(Has(r, kind::kLink, 3, 4));
}

TEST_CASE("an entry re-spelled in non-canonical JSON is reported with its number") {
  std::vector<std::string> lines = Link(MakeEntries(6));
  TestBundle b = Consistent(lines);
  lines[2].insert(1, " ");
  b.entries = Join(lines);
  Report r = Verify(b);
  INFO(ReportToText(r, "en"));
  CHECK(Has(r, kind::kNotCanonical, 2, 3));
  CHECK(Count(r, kind::kSequence) == 0);
}

TEST_CASE("an entry missing an envelope field is reported with the field") {
  std::vector<std::string> lines = Link(MakeEntries(6));
  TestBundle b = Consistent(lines);
  json::Value v = json::Parse(lines[2])->value;
  json::Value without = json::Value::Object();
  for (const json::Member& m : v.members()) {
    if (m.first != "type") without.Set(m.first, m.second);
  }
  lines[2] = json::Canonical(without);
  b.entries = Join(lines);
  Report r = Verify(b);
  INFO(ReportToText(r, "en"));
  REQUIRE(Has(r, kind::kEnvelope, 2, 3));
  CHECK(Find(r, kind::kEnvelope)->field == "type");
}

TEST_CASE("an over-long line is reported and the lines after it are still checked") {
  for (size_t length : {limits::kEntryBytesMax + 1, size_t{3} << 20}) {
    std::vector<std::string> lines = Link(MakeEntries(6));
    TestBundle b = Consistent(lines);
    lines[1] = std::string(length, 'x');
    std::vector<Entry> entries = MakeEntries(6);
    entries[4].origin = "cunzhang.example/elsewhere";
    lines[4] = Link(entries)[4];
    b.entries = Join(lines);
    Report r = Verify(b);
    INFO("length " << length << "\n" << ReportToText(r, "en"));
    CHECK(Has(r, kind::kEnvelope, -1, 2));
    CHECK(Has(r, kind::kOrigin, 4, 5));
    CHECK(Count(r, kind::kSequence) == 0);
    CHECK(r.size == 6);
  }
}

TEST_CASE("faults beyond the listing limit are counted, not stored") {
  uint64_t n = limits::kVerifyFaultsMax + 200;
  TestBundle b = Consistent(Link(MakeEntries(n)));
  Options options;
  options.expected_origin = "cunzhang.example/other-village";
  Report r = Verify(b, options);
  CHECK(r.faults.size() == limits::kVerifyFaultsMax);
  CHECK(r.faults_total == n + 1);
  CHECK(ReportToText(r, "en").find("... and 201 more faults not listed") != std::string::npos);
}

TEST_CASE("a bundle directory is verified from its files") {
  testing::TempDir dir;
  std::vector<std::string> lines = Link(MakeEntries(5));
  TestBundle b = Consistent(lines);
  testing::WriteFile(dir / "manifest.json", b.manifest);
  testing::WriteFile(dir / "entries.jsonl", b.entries);
  Report r = VerifyBundle(dir.path(), {});
  CHECK(r.ok());
  CHECK(r.bundle == dir.path());
  CHECK(r.root == RootOf(lines, 5));
}

TEST_CASE("a bundle without its entries file is a bundle fault") {
  testing::TempDir dir;
  testing::WriteFile(dir / "manifest.json", Consistent(Link(MakeEntries(2))).manifest);
  Report r = VerifyBundle(dir.path(), {});
  CHECK(r.faults_total == 1);
  CHECK(Find(r, kind::kBundle) != nullptr);
}

TEST_CASE("a bundle without its manifest still has its entries checked") {
  testing::TempDir dir;
  std::vector<std::string> lines = Link(MakeEntries(5));
  std::swap(lines[1], lines[2]);
  testing::WriteFile(dir / "entries.jsonl", Join(lines));
  Report r = VerifyBundle(dir.path(), {});
  CHECK(Has(r, kind::kManifest, -1, 0));
  CHECK(Has(r, kind::kLink, 2, 2));
  CHECK(r.origin == kOrigin);  // taken from the first entry
}

TEST_CASE("a missing bundle directory is a fault, not a crash") {
  Report r = VerifyBundle("/nonexistent/cunzhang/bundle", {});
  CHECK_FALSE(r.ok());
  CHECK(Find(r, kind::kBundle) != nullptr);
}

}  // namespace
}  // namespace cunzhang::verify
