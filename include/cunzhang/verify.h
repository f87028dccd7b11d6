// The auditor's verifier: replays an export bundle and reports every fault it
// finds, with the entry number, what was expected and what was found. It
// depends on the format and the domain rules, never on the storage engine.
#ifndef CUNZHANG_VERIFY_H_
#define CUNZHANG_VERIFY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cunzhang/hash.h"
#include "cunzhang/status.h"

namespace cunzhang::verify {

// Stable fault kinds; schemas/verify-report.schema.json lists them.
namespace kind {
inline constexpr const char* kBundle = "bundle";            // missing/unreadable file
inline constexpr const char* kManifest = "manifest";        // manifest malformed
inline constexpr const char* kJson = "json";                // a line is not valid JSON
inline constexpr const char* kNotCanonical = "not_canonical";
inline constexpr const char* kEnvelope = "envelope";        // a field missing or malformed
inline constexpr const char* kTruncated = "truncated";      // last line has no newline
inline constexpr const char* kSequence = "sequence";        // seq not the next number
inline constexpr const char* kLink = "link";                // prev ≠ hash of the entry before
inline constexpr const char* kOrigin = "origin";
inline constexpr const char* kRule = "rule";                // a business rule violated
inline constexpr const char* kSize = "size";                // manifest size ≠ entries
inline constexpr const char* kRoot = "root";                // manifest root ≠ recomputed
inline constexpr const char* kChecksum = "checksum";        // entries file checksum/length
inline constexpr const char* kTrusted = "trusted";          // auditor's own checkpoint
// The verifier itself could not finish a check (its temporary file could not
// be read, or a rule's own consistency check failed): not a fault found in the
// ledger, but the bundle is not verified either.
inline constexpr const char* kIncomplete = "incomplete";
}  // namespace kind

struct Fault {
  std::string kind;
  int64_t entry = -1;  // sequence number the fault concerns; -1 = whole bundle
  int64_t line = 0;    // line of entries.jsonl; 0 = not a line
  std::string field;
  std::string expected;
  std::string found;
  std::string zh;
  std::string en;
};

// What the auditor brings from outside the bundle. Nothing in the bundle can
// override these.
struct Options {
  std::string expected_origin;  // empty: take the manifest's
  // A tree the auditor recorded earlier (size, root): the bundle must extend it.
  std::optional<std::pair<uint64_t, Hash256>> trusted;
};

// Something the auditor should know about how the run went that is not a
// fault: the bundle may still be clean.
struct Note {
  std::string zh;
  std::string en;
};

struct Report {
  std::string bundle;
  std::string origin;
  uint64_t entries_checked = 0;
  uint64_t bytes_checked = 0;
  uint64_t size = 0;        // entries in the file
  Hash256 root;             // recomputed over the entries in the file
  uint64_t faults_total = 0;
  std::vector<Fault> faults;  // the first limits::kVerifyFaultsMax
  std::vector<Note> notes;
  bool ok() const { return faults_total == 0; }
};

// Verifies the bundle directory at `path`.
Report VerifyBundle(const std::string& path, const Options& options);
// Verifies a bundle held in memory (for tests and the fuzzer).
Report VerifyBundleBytes(std::string_view manifest, std::string_view entries,
                         const Options& options);

// A report as JSON (schemas/verify-report.schema.json), newline-terminated.
std::string ReportToJson(const Report& report);
// A report for people, in Chinese ("zh") or English ("en").
std::string ReportToText(const Report& report, std::string_view lang);

}  // namespace cunzhang::verify

#endif  // CUNZHANG_VERIFY_H_
