#include "append_pipeline.h"

#include <algorithm>
#include <system_error>
#include <utility>

namespace cunzhang::store_impl {

AppendPipeline::AppendPipeline(size_t n, std::function<void(size_t, size_t)> prepare,
                               std::function<Status(size_t)> rules)
    : n_(n), chunks_((n + kChunk - 1) / kChunk), prepare_(std::move(prepare)),
      rules_(std::move(rules)), done_(std::make_unique<std::atomic<bool>[]>(chunks_)),
      new_entry_(std::make_unique<bool[]>(n)) {
  if (n_ >= kParallelMin) {
    try {
      helper_ = std::thread([this] { ApplyRules(); });
    } catch (const std::system_error&) {  // no thread to be had: FinishRules does it
    }
  }
}

AppendPipeline::~AppendPipeline() {
  next_.store(chunks_);  // the helper finishes the chunk it has, takes no other
  Close();
  if (helper_.joinable()) helper_.join();
}

Status AppendPipeline::FinishRules() {
  Close();
  if (helper_.joinable()) {
    helper_.join();
  } else {
    ApplyRules();
  }
  return std::move(violation_);
}

// Prepares the next unclaimed chunk; false when none is left.
bool AppendPipeline::RunNextChunk() {
  const size_t c = next_.fetch_add(1);
  if (c >= chunks_) return false;
  prepare_(c * kChunk, std::min(n_, (c + 1) * kChunk));
  done_[c].store(true, std::memory_order_release);
  return true;
}

// The helper's work (or FinishRules', without a helper): the rules on each
// settled new entry in order, preparing chunks while it waits for the
// appending thread; it ends at the last request, at a violation, or at the
// first request not settled once the pipeline is closed.
void AppendPipeline::ApplyRules() {
  for (size_t i = 0; i < n_; ++i) {
    while (settled_.load(std::memory_order_acquire) <= i) {
      if (closed_.load(std::memory_order_acquire) &&
          settled_.load(std::memory_order_acquire) <= i) {
        return;
      }
      if (RunNextChunk()) continue;
      // Nothing to prepare: sleep until the appending thread settles or
      // closes. `seen` is read before settled_ and closed_ are looked at
      // again, so a Wake between the two changes wake_ and the wait returns
      // at once: no wake-up is lost.
      const uint32_t seen = wake_.load(std::memory_order_acquire);
      if (settled_.load(std::memory_order_acquire) > i || closed_.load(std::memory_order_acquire)) {
        continue;
      }
      wake_.wait(seen, std::memory_order_acquire);
    }
    if (!new_entry_[i]) continue;
    Status s = rules_(i);
    if (!s.ok()) {
      violation_ = std::move(s);
      rules_failed_.store(true, std::memory_order_release);
      return;
    }
  }
}

}  // namespace cunzhang::store_impl
