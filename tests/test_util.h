// Helpers shared by the unit and end-to-end tests.
#ifndef CUNZHANG_TESTS_TEST_UTIL_H_
#define CUNZHANG_TESTS_TEST_UTIL_H_

#include <string>
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

}  // namespace cunzhang::testing

#endif  // CUNZHANG_TESTS_TEST_UTIL_H_
