// Synthetic village-ledger requests for the benchmark: a valid typed history
// that the rule engine accepts entry by entry. Entry 0 registers the
// Daxinjing Xingnong cooperative, 1 records its founding members' meeting,
// 2 to 7 the valuation rules it adopted (land per mu by grade, labour day
// rates); then 2,000 households join, each contributing its land; then, in
// turns of eight, the village's business: labour and capital contributions
// (and every 64th turn an appraised machine), journal vouchers (machine-work
// income, fuel and repairs, office costs), notes, a members' meeting every
// 50 turns, and every 16th turn the reversal of the previous turn's capital
// contribution. Realistic Chinese names and amounts, about 500 bytes an
// entry once the writer has wrapped them in the envelope.
//
// The village is as large as a large real one (DOMAIN.md: 7,000 households
// in 229 villages), and stays that size however long the history: a ledger
// grows by the entries of its members, not by ever more members.
// Deterministic: the same seed and index give the same request on every
// machine (integer arithmetic only, no library distributions), and every
// prefix of the history up to kSynthEntriesMax entries is valid.
#ifndef CUNZHANG_TOOLS_BENCH_SYNTH_H_
#define CUNZHANG_TOOLS_BENCH_SYNTH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "cunzhang/entry.h"

namespace cunzhang::bench {

// The longest history the generator guarantees valid (beyond it, a member's
// capital could pass the 20% cap).
inline constexpr uint64_t kSynthEntriesMax = 2'000'000;

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
