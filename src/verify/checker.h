// The verifier's checks of one pass, event by event (private to src/verify):
// the manifest, each line in file order with its leaf hash and its decoding,
// the end of the file. verifier.cc reads the file and feeds them; the checks
// themselves, and the rule state, are here.
#ifndef CUNZHANG_VERIFY_CHECKER_H_
#define CUNZHANG_VERIFY_CHECKER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cunzhang/bundle.h"
#include "cunzhang/domain.h"
#include "cunzhang/entry.h"
#include "cunzhang/merkle.h"
#include "cunzhang/verify.h"
#include "effect_spill.h"

namespace cunzhang::verify {

// One line decoded by DecodeEntryLazy: the body is not built (the rules of
// most types do not read it), only kept as bytes in the batch.
struct DecodedLine {
  Status status;
  EntryFault fault = EntryFault::kNone;
  Entry entry;                 // when status is OK
  std::string_view body_json;  // when status is OK; valid while the batch is
  // When status is OK and the rules read the body (domain::NeedsBody): the
  // body is parsed into entry.body and `alone` is domain::CheckEntryAlone's
  // verdict, so the checker thread only applies the state-dependent rules.
  bool body_parsed = false;
  Status alone;
  json::Value spare_body;  // storage DecodeLine parses the next body into
  // When status is OK and DecodeLine was given the ledger's origin: whether
  // the entry carries it. Compared where the line was just decoded, so the
  // checker thread does not fetch the entry's origin from the other core.
  bool origin_known = false;
  bool origin_matches = false;
};

// Decodes one line of entries.jsonl into `decoded` (reusing its strings):
// DecodeEntryLazy, then, for a type whose rules read the body, the body
// parsed and domain::CheckEntryAlone run on it; and when `origin` is not
// empty, the entry's origin compared with it. Pure: any thread, any order.
void DecodeLine(std::string_view line, DecodedLine* decoded, std::string_view origin = {});

// What one pass knows so far. Each On* method handles one event of the pass.
class Checker {
 public:
  Checker(const Options& options, Report* report)
      : options_(options), report_(report) {
    origin_ = options.expected_origin;
    report_->origin = origin_;
    if (options_.trusted && options_.trusted->first == 0) CheckTrustedRoot();
  }

  // The origin every entry must carry; empty until known (the manifest,
  // the auditor, or else the first entry says). Once known it never changes.
  const std::string& origin() const { return origin_; }
  void OnManifest(std::string_view bytes, const std::string& file_name);
  void OnManifestUnreadable(const Status& status);
  void OnEntriesMissing(const Status& status);
  // `decoded` is DecodeEntryLazy of line.bytes, computed by whichever thread
  // had time for it.
  void OnLine(const bundle::LineReader::Line& line, const Hash256& leaf, DecodedLine* decoded);
  void OnLineTooLong(const Status& status, int64_t line_number);
  void OnReadError(const Status& status);
  // True when the manifest names the SHA-256 of the whole entries file (an
  // optional field), which the reader must then compute for Finish.
  bool wants_file_sha256() const { return manifest_ && manifest_->entries_sha256.has_value(); }
  // `sha256`: of the whole file, when wants_file_sha256().
  void Finish(uint64_t bytes, const std::optional<Hash256>& sha256);
  // After each batch of lines: the effects of its entries go to the archive,
  // a temporary file made when the first effects arrive. Without one (no
  // file can be made, or a write failed) they stay in memory: the replay is
  // as exact, only its memory grows with the ledger.
  // The report says so (a note, not a fault), since the run then needs
  // memory in proportion to the ledger.
  void EndBatch() {
    if (state_.effects.empty() || no_spill_) return;
    if (effects_ == nullptr) {
      effects_ = SpilledEffects::Create();
      if (effects_ == nullptr) {
        KeepEffectsInMemory("无法在临时目录（$TMPDIR，或 /tmp）中建立临时文件",
                            "no temporary file could be made in $TMPDIR (or /tmp)");
        return;
      }
      state_.archive.archive = effects_.get();
    }
    if (!effects_->Take(&state_)) {
      KeepEffectsInMemory("写入临时文件失败", "writing the temporary file failed");
    }
  }

 private:
  void Add(Fault fault);
  void KeepEffectsInMemory(const std::string& zh_why, const std::string& en_why) {
    no_spill_ = true;
    report_->notes.push_back(Note{
        .zh = zh_why + "：条目的影响改为保存在内存中，校验结果不受影响，但内存占用随账本增大",
        .en = en_why + ": the entries' effects are kept in memory instead; the result is as "
                       "exact, but the memory used grows with the ledger"});
  }
  bool Decoded(const bundle::LineReader::Line& line, const DecodedLine& decoded);
  void SkipBadLine(int64_t readable_seq);
  void CheckSequence(const Entry& entry, int64_t line);
  void CheckLink(const Entry& entry, int64_t line, const std::optional<Hash256>& expected);
  void CheckOrigin(const DecodedLine& decoded, int64_t line);
  void ApplyRules(DecodedLine* decoded, int64_t line);
  void CheckTrustedRoot();
  void CheckManifestTree(const bundle::Manifest& manifest, uint64_t bytes,
                         const std::optional<Hash256>& sha);

  const Options& options_;
  Report* report_;
  std::optional<bundle::Manifest> manifest_;
  std::string origin_;                            // every entry must carry it; empty until known
  uint64_t next_seq_ = 0;                         // the seq the next line must carry
  std::optional<Hash256> prev_leaf_ = Hash256();  // nullopt after a line too long to hash
  merkle::CompactRange range_;
  std::unique_ptr<SpilledEffects> effects_;  // null until needed; declared before state_, which points to it
  bool no_spill_ = false;
  domain::State state_;
  bool rules_stopped_ = false;  // after the verifier's own failure (kind::kIncomplete)
};

}  // namespace cunzhang::verify

#endif  // CUNZHANG_VERIFY_CHECKER_H_
