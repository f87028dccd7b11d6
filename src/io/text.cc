#include "text.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

namespace cunzhang::text {
namespace {

struct Words {
  const char* zh;
  const char* en;
};

std::string Lookup(const std::map<std::string, Words, std::less<>>& table, const std::string& key,
                   bool english) {
  auto it = table.find(key);
  if (it == table.end()) return key;
  return english ? it->second.en : it->second.zh;
}

bool IsWide(uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

Status IoError(const std::string& path, const char* zh, const char* en) {
  return Status(Code::kIo, std::string(zh) + "：" + path,
                std::string(en) + " " + path + ": " + std::strerror(errno));
}

}  // namespace

std::string MemberKind(const std::string& kind, bool english) {
  static const std::map<std::string, Words, std::less<>> kWords = {
      {"person", {"个人", "person"}},
      {"household", {"农户", "household"}},
      {"unit", {"单位", "unit"}}};
  return Lookup(kWords, kind, english);
}

std::string MemberStatus(const std::string& status, bool english) {
  static const std::map<std::string, Words, std::less<>> kWords = {
      {"active", {"在册", "active"}},
      {"suspended", {"暂停", "suspended"}},
      {"exited", {"已退社", "exited"}},
      {"deceased", {"已故", "deceased"}}};
  return Lookup(kWords, status, english);
}

std::string EntryTypeName(const std::string& type, bool english) {
  static const std::map<std::string, Words, std::less<>> kWords = {
      {"member.join", {"入社", "joined"}},
      {"member.status", {"状态变更", "status change"}},
      {"contribution.land", {"土地入股", "land contribution"}},
      {"contribution.capital", {"资金入股", "capital contribution"}},
      {"contribution.goods", {"实物入股", "goods contribution"}},
      {"contribution.labour", {"劳动入股", "labour contribution"}},
      {"share.transfer", {"股份转让", "share transfer"}},
      {"share.inherit", {"股份继承", "inheritance"}},
      {"share.exit", {"退股", "exit"}},
      {"entry.reverse", {"冲销", "reversal"}},
      {"books.journal", {"记账", "journal"}},
      {"resolution.record", {"决议", "resolution"}},
      {"valuation.rule", {"估值规则", "valuation rule"}}};
  return Lookup(kWords, type, english);
}

std::string ShareKindName(size_t kind, bool english) {
  static constexpr Words kWords[] = {
      {"土地股", "land"}, {"资金股", "capital"}, {"实物股", "goods"}, {"劳动股", "labour"}};
  if (kind >= sizeof kWords / sizeof kWords[0]) return "?";
  return english ? kWords[kind].en : kWords[kind].zh;
}

std::string UnitName(const std::string& unit, bool english) {
  static const std::map<std::string, Words, std::less<>> kWords = {
      {"mu", {"亩", "mu"}},
      {"workday", {"工日", "workdays"}},
      {"yuan", {"元", "yuan"}},
      {"share", {"股", "shares"}}};
  return Lookup(kWords, unit, english);
}

size_t DisplayWidth(std::string_view s) {
  size_t width = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (size_t k = 1; k < n && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    width += IsWide(cp) ? 2 : 1;
    i += n;
  }
  return width;
}

std::string Pad(const std::string& text, size_t width, bool right) {
  size_t w = DisplayWidth(text);
  std::string fill(w < width ? width - w : 0, ' ');
  return right ? fill + text : text + fill;
}

std::string TemporaryPath(const std::string& path) { return path + ".tmp-cunzhang"; }

Status CommitTemporary(const std::string& temporary, const std::string& path) {
  int fd = ::open(temporary.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError(temporary, "无法打开临时文件", "cannot open the temporary file");
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return IoError(temporary, "无法同步文件", "cannot sync");
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    Status s = IoError(path, "无法写入文件", "cannot rename the finished file to");
    std::remove(temporary.c_str());
    return s;
  }
  return Status::Ok();
}

Result<std::string> CreateTemporary(const std::string& path) {
  std::string temporary = TemporaryPath(path);
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return IoError(path, "无法创建文件", "cannot create");
  ::close(fd);
  return temporary;
}

Status WriteFileAtomically(const std::string& path, const std::string& bytes) {
  const std::string temporary = TemporaryPath(path);
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return IoError(path, "无法创建文件", "cannot create");
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = IoError(path, "无法写入文件", "cannot write");
      ::close(fd);
      std::remove(temporary.c_str());
      return s;
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) return IoError(path, "无法写入文件", "cannot write");
  return CommitTemporary(temporary, path);
}

}  // namespace cunzhang::text
