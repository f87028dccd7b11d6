// The verifier's archive of effects (domain::EffectArchive): a temporary
// file, so that replaying a ledger holds one Effect per reversible entry on
// disk, not in memory, and the verifier's memory does not grow with the
// ledger. Reversals are rare; each look-up reads one stretch of the file.
#ifndef CUNZHANG_VERIFY_EFFECT_SPILL_H_
#define CUNZHANG_VERIFY_EFFECT_SPILL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cunzhang/domain.h"

namespace cunzhang::verify {

class SpilledEffects final : public domain::EffectArchive {
 public:
  // An empty archive in a new, already unlinked file under $TMPDIR (or
  // /tmp); nullptr when no such file can be made.
  static std::unique_ptr<SpilledEffects> Create();
  ~SpilledEffects() override;
  SpilledEffects(const SpilledEffects&) = delete;
  SpilledEffects& operator=(const SpilledEffects&) = delete;

  // Moves state->effects into the file. REQUIRES: their seqs are above every
  // seq taken before. False when the file cannot be written: then the
  // effects stay in the state (in memory), the archive answers for what it
  // took before, and later calls take nothing.
  bool Take(domain::State* state);

  Result<std::optional<domain::Effect>> Find(uint64_t seq) const override;

  uint64_t count() const { return count_; }

 private:
  explicit SpilledEffects(int fd) : fd_(fd) {}

  int fd_;
  bool failed_ = false;
  uint64_t end_ = 0;    // bytes in the file
  uint64_t count_ = 0;  // records in the file
  // (seq, offset) of every kIndexStride-th record, the first included.
  std::vector<std::pair<uint64_t, uint64_t>> index_;
  std::string buffer_;  // reused by Take
};

}  // namespace cunzhang::verify

#endif  // CUNZHANG_VERIFY_EFFECT_SPILL_H_
