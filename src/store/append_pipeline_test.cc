// AppendPipeline on its own: every request prepared once, before anything
// else sees it; the rules run on exactly the settled new entries, in order,
// after their preparation; a violation stops them; closing early leaves the
// rest alone. With a helper thread (64 requests and more) and without.
#include "store/append_pipeline.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cunzhang::store_impl {
namespace {

struct Recorder {
  explicit Recorder(size_t n) : prepared(std::make_unique<std::atomic<int>[]>(n)) {}
  std::unique_ptr<std::atomic<int>[]> prepared;  // times each request was prepared
  std::vector<size_t> ruled;                     // the requests the rules saw, in order
  bool ruled_unprepared = false;

  std::function<void(size_t, size_t)> Prepare() {
    return [this](size_t first, size_t last) {
      for (size_t i = first; i < last; ++i) prepared[i].fetch_add(1);
    };
  }
  // The rules refuse request `refuse` (none by default).
  std::function<Status(size_t)> Rules(size_t refuse = SIZE_MAX) {
    return [this, refuse](size_t i) {
      if (prepared[i].load() != 1) ruled_unprepared = true;
      ruled.push_back(i);
      if (i == refuse) {
        return Status(Code::kRuleViolation, "违反规则", "breaks a rule",
                      Where{.line = static_cast<int64_t>(i) + 1});
      }
      return Status::Ok();
    };
  }
};

TEST_CASE("The pipeline prepares every request once and rules the new entries in order",
          "[store][pipeline]") {
  for (size_t n : {1, 15, 16, 17, 63, 64, 65, 1000}) {
    INFO(n << " requests");
    Recorder r(n);
    std::vector<size_t> expected;
    {
      AppendPipeline pipeline(n, r.Prepare(), r.Rules());
      for (size_t i = 0; i < n; ++i) {
        pipeline.Ready(i);
        REQUIRE(r.prepared[i].load() == 1);
        const bool fresh = i % 3 != 1;  // every third a repeat: no rules
        if (fresh) expected.push_back(i);
        pipeline.Settled(i, fresh);
      }
      CHECK(pipeline.FinishRules().ok());
      CHECK_FALSE(pipeline.RulesFailed());
    }
    for (size_t i = 0; i < n; ++i) CHECK(r.prepared[i].load() == 1);
    CHECK(r.ruled == expected);
    CHECK_FALSE(r.ruled_unprepared);
  }
}

TEST_CASE("The rules stop at their first violation and say so", "[store][pipeline]") {
  for (size_t n : {40, 500}) {
    INFO(n << " requests");
    Recorder r(n);
    AppendPipeline pipeline(n, r.Prepare(), r.Rules(/*refuse=*/30));
    size_t settled = 0;
    for (; settled < n && !pipeline.RulesFailed(); ++settled) {
      pipeline.Ready(settled);
      pipeline.Settled(settled, true);
    }
    Status violation = pipeline.FinishRules();
    CHECK(violation.code() == Code::kRuleViolation);
    CHECK(violation.where().line == 31);
    CHECK(pipeline.RulesFailed());
    REQUIRE_FALSE(r.ruled.empty());
    CHECK(r.ruled.back() == 30);  // none after the violation
    CHECK(r.ruled.size() == 31);
    CHECK(settled >= 31);
  }
}

TEST_CASE("Closing early leaves the requests not settled to no rule", "[store][pipeline]") {
  for (size_t n : {50, 300}) {
    INFO(n << " requests");
    Recorder r(n);
    {
      AppendPipeline pipeline(n, r.Prepare(), r.Rules());
      for (size_t i = 0; i < 20; ++i) {
        pipeline.Ready(i);
        pipeline.Settled(i, true);
      }
      CHECK(pipeline.FinishRules().ok());  // as when the appending thread stops at request 20
    }
    REQUIRE(r.ruled.size() == 20);
    CHECK(r.ruled.back() == 19);
    for (size_t i = 0; i < n; ++i) CHECK(r.prepared[i].load() <= 1);
  }
}

TEST_CASE("A pipeline dropped without finishing stops its helper", "[store][pipeline]") {
  Recorder r(500);
  {
    AppendPipeline pipeline(500, r.Prepare(), r.Rules());
    pipeline.Ready(0);
    pipeline.All();  // as for an envelope error: everything prepared, nothing settled
  }
  CHECK(r.ruled.empty());
  for (size_t i = 0; i < 500; ++i) CHECK(r.prepared[i].load() == 1);
}

}  // namespace
}  // namespace cunzhang::store_impl
