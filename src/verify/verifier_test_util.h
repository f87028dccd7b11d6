// Shared by the verifier's tests (verifier_test.cc, verifier_rules_test.cc):
// a typed history as lines of entries.jsonl, bundles made of them in memory,
// and look-ups of the faults a report holds.
#ifndef CUNZHANG_VERIFY_VERIFIER_TEST_UTIL_H_
#define CUNZHANG_VERIFY_VERIFIER_TEST_UTIL_H_

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cunzhang/bundle.h"
#include "cunzhang/entry.h"
#include "cunzhang/limits.h"
#include "cunzhang/merkle.h"
#include "cunzhang/verify.h"
#include "schema_check.h"
#include "test_util.h"
#include "typed_history.h"

namespace cunzhang::verify::verifier_testing {


using testing::Link;

inline constexpr const char* kOrigin = "cunzhang.example/daxinjing";
inline constexpr const char* kExportedAt = "2026-04-01T09:00:00+08:00";

inline std::string Pad2(uint64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// Entries as a village accountant writes them: the typed history of
// tests/typed_history.h (the cooperative registered, members joining and
// contributing capital and land, notes with quotes and line breaks), with
// Chinese names and memos.
inline Entry MakeEntry(uint64_t seq, const std::string& origin = kOrigin) {
  testing::TypedBody typed = testing::HistoryEntry(seq);
  Entry e;
  e.version = limits::kFormatVersion;
  e.seq = seq;
  e.origin = origin;
  e.time =
      "2026-03-" + Pad2(1 + seq % 28) + "T" + Pad2(seq % 24) + ":" + Pad2(seq % 60) + ":00+08:00";
  e.type = typed.type;
  e.op = Operator{.name = "王会计", .role = seq % 5 == 0 ? "clerk" : "accountant"};
  e.idempotency_id = "req-2026-" + std::to_string(1000 + seq);
  e.body = std::move(typed.body);
  return e;
}

inline std::vector<Entry> MakeEntries(uint64_t n) {
  std::vector<Entry> entries;
  for (uint64_t i = 0; i < n; ++i) entries.push_back(MakeEntry(i));
  return entries;
}

inline std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

inline Hash256 RootOf(const std::vector<std::string>& lines, size_t count) {
  merkle::CompactRange range;
  for (size_t i = 0; i < count; ++i) range.Append(LeafHash(lines[i]));
  return range.Root();
}

inline bundle::Manifest ManifestOf(const std::vector<std::string>& lines, const std::string& entries,
                            const std::string& origin = kOrigin) {
  bundle::Manifest m;
  m.origin = origin;
  m.size = lines.size();
  m.root = RootOf(lines, lines.size());
  m.last_leaf = lines.empty() ? Hash256() : LeafHash(lines.back());
  m.entries_bytes = entries.size();
  m.entries_sha256 = Sha256(entries);
  m.exported_at = kExportedAt;
  return m;
}

struct TestBundle {
  std::string manifest;
  std::string entries;
};

// A bundle whose manifest matches its lines: an honest export, or a forger
// who recomputed everything.
inline TestBundle Consistent(const std::vector<std::string>& lines, const std::string& origin = kOrigin) {
  std::string entries = Join(lines);
  return {bundle::EncodeManifest(ManifestOf(lines, entries, origin)), entries};
}

inline Report Verify(const TestBundle& b, const Options& options = {}) {
  return VerifyBundleBytes(b.manifest, b.entries, options);
}

inline bool Has(const Report& r, std::string_view kind, int64_t entry, int64_t line) {
  return std::any_of(r.faults.begin(), r.faults.end(), [&](const Fault& f) {
    return f.kind == kind && f.entry == entry && f.line == line;
  });
}

inline const Fault* Find(const Report& r, std::string_view kind) {
  for (const Fault& f : r.faults) {
    if (f.kind == kind) return &f;
  }
  return nullptr;
}

inline size_t Count(const Report& r, std::string_view kind) {
  return static_cast<size_t>(std::count_if(r.faults.begin(), r.faults.end(),
                                           [&](const Fault& f) { return f.kind == kind; }));
}

}  // namespace cunzhang::verify::verifier_testing

#endif  // CUNZHANG_VERIFY_VERIFIER_TEST_UTIL_H_
