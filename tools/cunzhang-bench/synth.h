// Synthetic village-ledger requests for the benchmark: member joins, land and
// capital contributions, labour records and dividend payments with realistic
// Chinese names and amounts, 400 to 700 bytes once the writer has wrapped them
// in the envelope. Deterministic: the same seed and index give the same
// request on every machine (integer arithmetic only, no library distributions).
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
