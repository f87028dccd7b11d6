// Helpers shared by the unit and end-to-end tests.
#ifndef CUNZHANG_TESTS_TEST_UTIL_H_
#define CUNZHANG_TESTS_TEST_UTIL_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace cunzhang::testing {

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};

// Runs a program (argv[0] is a path) with `input` on stdin; waits for it.
// `env` entries ("NAME=value") are added to the environment.
RunResult Run(const std::vector<std::string>& argv, const std::string& input = {},
              const std::vector<std::string>& env = {});

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& bytes);
std::vector<std::string> SplitLines(const std::string& text);  // drops a final empty line

// Collects every failure of a long loop, so one run shows them all and the
// report names each case; Catch's per-assertion cost stays out of the loop.
class Failures {
 public:
  void Add(std::string what) { list_.push_back(std::move(what)); }
  bool empty() const { return list_.empty(); }
  std::string Summary(size_t shown_max = 40) const {
    std::string out = std::to_string(list_.size()) + " failure(s):\n";
    for (size_t i = 0; i < list_.size() && i < shown_max; ++i) out += "  " + list_[i] + "\n";
    return out;
  }

 private:
  std::vector<std::string> list_;
};

}  // namespace cunzhang::testing

// Checks that a Failures collected nothing, showing what it collected.
#define CHECK_NO_FAILURES(failures) \
  do {                              \
    INFO((failures).Summary());     \
    CHECK((failures).empty());      \
  } while (0)

#endif  // CUNZHANG_TESTS_TEST_UTIL_H_
