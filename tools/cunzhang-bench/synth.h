// Synthetic village-ledger requests for the benchmark: a valid typed history
// that the rule engine accepts entry by entry. Entry 0 registers the
// Daxinjing Xingnong cooperative, 1 records its founding members' meeting,
// 2 to 7 the valuation rules it adopted (land per mu by grade, labour day
// rates); then, in turns of eight, a household joins and contributes its
// land, recent members contribute capital, labour and now and then an
// appraised machine, members' meetings are recorded, and the accountant adds
// notes. Realistic Chinese names and amounts, about 500 bytes an entry once
// the writer has wrapped them in the envelope. Deterministic: the same seed
// and index give the same request on every machine (integer arithmetic only,
// no library distributions), and every prefix of the history is valid.
#ifndef CUNZHANG_TOOLS_BENCH_SYNTH_H_
#define CUNZHANG_TOOLS_BENCH_SYNTH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "cunzhang/entry.h"

namespace cunzhang::bench {

// The origin every synthetic ledger uses.
inline constexpr const char* kBenchOrigin = "cunzhang.example/daxinjing";

class Village {
 public:
  explicit Village(uint64_t seed) : seed_(seed) {}
  // Request number `index` of the synthetic history. Its idempotency id is
  // unique per (seed, index), and its time is explicit, so the canonical
  // bytes the ledger writes do not depend on when the benchmark runs.
  EntryRequest Request(uint64_t index) const;
  // Requests [first, first + count).
  std::vector<EntryRequest> Batch(uint64_t first, uint64_t count) const;

 private:
  uint64_t seed_;
};

}  // namespace cunzhang::bench

#endif  // CUNZHANG_TOOLS_BENCH_SYNTH_H_
