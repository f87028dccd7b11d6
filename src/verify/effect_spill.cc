// File layout: records one after another, each
//   seq (8 bytes, little-endian) | length (4 bytes, little-endian) | SerializeEffect bytes
// in ascending seq order. The index holds the offset of every 256th record;
// a look-up reads from the indexed record at or before the seq up to the
// next indexed one, at most 256 records.
#include "effect_spill.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace cunzhang::verify {
namespace {

constexpr uint64_t kIndexStride = 256;
constexpr size_t kHeaderBytes = 12;

// The low `bytes` bytes of value, little-endian, at `at`.
void SetLe(uint64_t value, int bytes, char* at) {
  for (int i = 0; i < bytes; ++i) at[i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

void PutLe(uint64_t value, int bytes, std::string* out) {
  char b[8];
  SetLe(value, bytes, b);
  out->append(b, static_cast<size_t>(bytes));
}

uint64_t GetLe(const char* p, int bytes) {
  uint64_t value = 0;
  for (int i = bytes - 1; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(p[i]);
  return value;
}

bool WriteAll(int fd, const std::string& bytes, uint64_t offset) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done,
                         static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// "" when all of `bytes` was read; else why not.
std::string ReadAll(int fd, std::string* bytes, uint64_t offset) {
  size_t done = 0;
  while (done < bytes->size()) {
    ssize_t n = ::pread(fd, bytes->data() + done, bytes->size() - done,
                        static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::strerror(errno);
    if (n == 0) return "the file ends early";
    done += static_cast<size_t>(n);
  }
  return "";
}

Status Unreadable(uint64_t seq, const std::string& why) {
  return Status(Code::kIo, "校验程序的临时文件无法读取（第 " + std::to_string(seq) + " 条的效果）",
                "the verifier's temporary file cannot be read (effect of entry " +
                    std::to_string(seq) + "): " + why);
}

}  // namespace

std::unique_ptr<SpilledEffects> SpilledEffects::Create() {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") +
                     "/cunzhang-verify-effects-XXXXXX";
  int fd = ::mkstemp(path.data());
  if (fd < 0) return nullptr;
  ::unlink(path.c_str());  // gone with the process, whatever ends it
  return std::unique_ptr<SpilledEffects>(new SpilledEffects(fd));
}

SpilledEffects::~SpilledEffects() { ::close(fd_); }

bool SpilledEffects::Take(domain::State* state) {
  if (failed_ || state->effects.empty()) return !failed_;
  buffer_.clear();
  std::vector<std::pair<uint64_t, uint64_t>> indexed;
  uint64_t count = count_;
  for (const auto& [seq, effect] : state->effects) {
    if (count % kIndexStride == 0) indexed.emplace_back(seq, end_ + buffer_.size());
    PutLe(seq, 8, &buffer_);
    const size_t length_at = buffer_.size();
    PutLe(0, 4, &buffer_);  // the length, set once the effect is written
    domain::AppendSerializedEffect(effect, &buffer_);
    SetLe(buffer_.size() - length_at - 4, 4, buffer_.data() + length_at);
    ++count;
  }
  if (!WriteAll(fd_, buffer_, end_)) {
    failed_ = true;
    return false;
  }
  end_ += buffer_.size();
  count_ = count;
  index_.insert(index_.end(), indexed.begin(), indexed.end());
  state->effects.clear();
  return true;
}

Result<std::optional<domain::Effect>> SpilledEffects::Find(uint64_t seq) const {
  auto after = std::upper_bound(index_.begin(), index_.end(), seq,
                                [](uint64_t s, const auto& item) { return s < item.first; });
  if (after == index_.begin()) return std::optional<domain::Effect>();
  const uint64_t from = std::prev(after)->second;
  const uint64_t to = after == index_.end() ? end_ : after->second;
  std::string stretch(to - from, '\0');
  if (std::string why = ReadAll(fd_, &stretch, from); !why.empty()) return Unreadable(seq, why);
  size_t at = 0;
  while (at + kHeaderBytes <= stretch.size()) {
    const uint64_t found = GetLe(stretch.data() + at, 8);
    const size_t length = GetLe(stretch.data() + at + 8, 4);
    if (at + kHeaderBytes + length > stretch.size()) break;
    if (found == seq) {
      CZ_ASSIGN_OR_RETURN(domain::Effect effect,
                          domain::DeserializeEffect(std::string_view(stretch).substr(at + kHeaderBytes, length)));
      return std::optional<domain::Effect>(std::move(effect));
    }
    if (found > seq) return std::optional<domain::Effect>();
    at += kHeaderBytes + length;
  }
  if (at != stretch.size()) return Unreadable(seq, "a record runs past the end");
  return std::optional<domain::Effect>();
}

}  // namespace cunzhang::verify
