// The parts of an append that run beside each other (AppendPipeline), used
// by ledger_append.cc.
#ifndef CUNZHANG_STORE_APPEND_PIPELINE_H_
#define CUNZHANG_STORE_APPEND_PIPELINE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>

#include "cunzhang/status.h"

namespace cunzhang::store_impl {

// An append's work on two threads. Each request is first prepared (checked,
// built, canonicalised: the work that needs no state), in chunks claimed in
// order by whichever thread is free. Then two things happen to it in request
// order, each on its own thread: the appending thread settles it (idempotency,
// seq, the hash chain, the batch) and a helper applies the rules to the new
// entries it settled (the state). Neither waits for the other's half: the
// chain needs no rule, the rules need no hash. A thread that catches up with
// what it needs prepares the next unclaimed chunk instead of waiting.
//
// The rules stop at their first violation; the appending thread stops at its
// first error or once the rules have failed. Either way nothing is written:
// the caller decides which error comes first (AppendOrCheck).
class AppendPipeline {
 public:
  static constexpr size_t kChunk = 16;
  static constexpr size_t kParallelMin = 64;  // smaller batches: no helper thread

  AppendPipeline(size_t n, std::function<void(size_t, size_t)> prepare,
                 std::function<Status(size_t)> rules);
  ~AppendPipeline();
  AppendPipeline(const AppendPipeline&) = delete;
  AppendPipeline& operator=(const AppendPipeline&) = delete;

  // Returns once request i is prepared.
  void Ready(size_t i) {
    const size_t chunk = i / kChunk;
    while (!done_[chunk].load(std::memory_order_acquire)) {
      if (!RunNextChunk()) std::this_thread::yield();  // the helper is finishing it
    }
  }
  // Returns once every request is prepared.
  void All() {
    if (n_ > 0) Ready(n_ - 1);
    for (size_t c = 0; c < chunks_; ++c) Ready(c * kChunk);
  }

  // The appending thread has settled request i (every request before it
  // settled already); the rules apply to it if it is a new entry.
  void Settled(size_t i, bool new_entry) {
    new_entry_[i] = new_entry;
    settled_.store(i + 1, std::memory_order_release);
    Wake();
  }
  // No request will be settled any more.
  void Close() {
    closed_.store(true, std::memory_order_release);
    Wake();
  }
  // Whether the rules have refused an entry (they apply to no more).
  bool RulesFailed() const { return rules_failed_.load(std::memory_order_acquire); }
  // Closes, and returns once the rules have run on every settled new entry
  // or stopped at a violation: the state is the appending thread's again.
  // Returns the violation, or OK.
  Status FinishRules();

 private:
  bool RunNextChunk();
  void ApplyRules();
  // Tells a helper waiting for a request to be settled (or for the close)
  // to look again. When nobody waits: an atomic add and a look at the
  // waiter count, no system call.
  void Wake() {
    wake_.fetch_add(1, std::memory_order_release);
    wake_.notify_one();
  }

  const size_t n_;
  const size_t chunks_;
  const std::function<void(size_t, size_t)> prepare_;
  const std::function<Status(size_t)> rules_;
  std::unique_ptr<std::atomic<bool>[]> done_;  // per chunk: prepared
  std::atomic<size_t> next_{0};                // the next chunk to claim
  std::unique_ptr<bool[]> new_entry_;          // per request, written before settled_
  std::atomic<size_t> settled_{0};             // requests settled, in order
  std::atomic<bool> closed_{false};
  // Bumped by Wake: the helper sleeps on it (a futex), not in a loop of
  // yields, once every chunk is prepared and the next request is not
  // settled, as when the next batch is begun during the write and sync of
  // the one before (AppendBatches): a spinning helper took CPU from RocksDB's
  // flush thread and the sync on a two-core machine.
  std::atomic<uint32_t> wake_{0};
  std::atomic<bool> rules_failed_{false};
  Status violation_;  // the rules' first, read after the helper is joined
  std::thread helper_;
};

}  // namespace cunzhang::store_impl

#endif  // CUNZHANG_STORE_APPEND_PIPELINE_H_
