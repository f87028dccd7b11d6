// The export bundle an auditor receives: a directory holding the canonical
// entries as JSON Lines and a manifest. docs/FORMAT.md §5 pins the layout.
#ifndef CUNZHANG_BUNDLE_H_
#define CUNZHANG_BUNDLE_H_

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "cunzhang/hash.h"
#include "cunzhang/status.h"

namespace cunzhang::bundle {

inline constexpr std::string_view kFormat = "cunzhang-bundle/1";
inline constexpr std::string_view kEntriesFile = "entries.jsonl";
inline constexpr std::string_view kManifestFile = "manifest.json";

struct Manifest {
  std::string format{kFormat};
  std::string origin;
  uint64_t size = 0;         // number of entries
  Hash256 root;              // RFC 9162 root over all entries
  Hash256 last_leaf;         // leaf hash of entry size-1 (zero when empty)
  uint64_t entries_bytes = 0;  // length of entries.jsonl
  // SHA-256 of entries.jsonl: optional, and not written by this release's
  // exporter. The root already binds every byte of a file that verifies
  // (each line is a leaf; the file is the lines, each ended by "\n"), so a
  // second hash of the whole file only costs the verifier a second pass.
  // When a manifest has one, the verifier checks it. FORMAT.md §5.
  std::optional<Hash256> entries_sha256;
  std::string exported_at;   // RFC 3339
};

// Canonical JSON of the manifest (one line, newline-terminated).
std::string EncodeManifest(const Manifest& manifest);
// Strict: every member present (but the optional entries_sha256) with the
// right type, no unknown members.
Result<Manifest> DecodeManifest(std::string_view bytes, const std::string& file_name);

// Reads JSON Lines from a file, one line at a time, in bounded memory. A line
// longer than `line_bytes_max` is reported (kInvalidInput) and skipped.
class LineReader {
 public:
  struct Line {
    std::string_view bytes;  // without the terminating '\n'
    int64_t number = 0;      // 1-based
    bool terminated = true;  // false for a last line with no '\n'
  };

  explicit LineReader(std::FILE* file, size_t line_bytes_max);
  // Returns false at end of input. On a line over the limit, *status is set
  // and the line is skipped; on a read error, *status is set and false returned.
  bool Next(Line* line, Status* status);
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  bool Fill();
  std::FILE* file_;
  size_t line_bytes_max_;
  std::string buf_;
  size_t begin_ = 0;
  size_t end_ = 0;
  size_t chunk_bytes_ = 0;  // bytes asked of the next read; grows to a limit
  bool eof_ = false;
  int64_t line_number_ = 0;
  uint64_t bytes_read_ = 0;
  Sha256Stream* sha_ = nullptr;

 public:
  // Every byte read is also fed to `sha` (the export's checksum).
  void set_sha(Sha256Stream* sha) { sha_ = sha; }
};

}  // namespace cunzhang::bundle

#endif  // CUNZHANG_BUNDLE_H_
