// The ID registry file: read whole at open, appended to with fsync.
#include "cunzhang/registry.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cunzhang/hash.h"
#include "cunzhang/json.h"

namespace cunzhang {
namespace {

constexpr mode_t kRegistryMode = 0600;
constexpr size_t kRegistryBytesMax = 64u << 20;

std::optional<std::string> HexDecode(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

Status Damaged(const std::string& path, int64_t line, const std::string& zh,
               const std::string& en) {
  return Status(Code::kCorruption, "身份证登记文件损坏：" + zh, "the ID registry is damaged: " + en,
                Where{.file = path, .line = line});
}

Status SysError(const std::string& path, const char* zh, const char* en) {
  return Status(Code::kIo, std::string(zh) + "：" + path,
                std::string(en) + " " + path + ": " + std::strerror(errno));
}

Result<IdRecord> ParseLine(std::string_view line, const std::string& path, int64_t line_no) {
  auto parsed = json::Parse(line, json::ParseOptions{.file = path, .first_line = line_no});
  if (!parsed.ok()) return Damaged(path, line_no, parsed.status().zh(), parsed.status().en());
  const json::Value& v = parsed->value;
  const json::Value* id = v.Find("id_number");
  const json::Value* member = v.Find("member_id");
  const json::Value* salt = v.Find("salt");
  bool shape = v.is_object() && v.members().size() == 3 && id && id->is_string() && member &&
               member->is_string() && salt && salt->is_string();
  if (!shape) {
    return Damaged(path, line_no, "每行应为 {\"id_number\",\"member_id\",\"salt\"}",
                   "each line must be {\"id_number\",\"member_id\",\"salt\"}");
  }
  IdRecord r{.member_id = member->as_string(),
             .id_number = id->as_string(),
             .salt_hex = salt->as_string()};
  std::optional<std::string> salt_bytes = HexDecode(r.salt_hex);
  if (r.member_id.empty() || !salt_bytes || salt_bytes->size() != kIdSaltBytes ||
      !CheckIdNumber(r.id_number).ok()) {
    return Damaged(path, line_no, "成员编号、身份证号或盐值无效",
                   "a bad member id, ID number or salt");
  }
  return r;
}

std::string EncodeRecord(const IdRecord& r) {
  return json::Canonical(json::Value::Object({{"id_number", json::Value::String(r.id_number)},
                                              {"member_id", json::Value::String(r.member_id)},
                                              {"salt", json::Value::String(r.salt_hex)}})) +
         "\n";
}

Status WriteAll(int fd, const std::string& bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return SysError(path, "无法写入身份证登记文件", "cannot write the ID registry");
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

std::string IdRecord::Commitment() const {
  return IdCommitment(HexDecode(salt_hex).value_or(""), id_number);
}

Result<IdRegistry> IdRegistry::Open(const std::string& ledger_dir) {
  IdRegistry registry(ledger_dir + "/" + kIdRegistryFile);
  std::ifstream in(registry.path_, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return registry;
    return SysError(registry.path_, "无法读取身份证登记文件", "cannot read the ID registry");
  }
  std::string line;
  int64_t line_no = 0;
  size_t bytes = 0;
  while (std::getline(in, line)) {
    ++line_no;
    bytes += line.size() + 1;
    if (bytes > kRegistryBytesMax) {
      return Damaged(registry.path_, line_no, "文件过大", "the file is too large");
    }
    if (line.empty()) continue;
    CZ_ASSIGN_OR_RETURN(IdRecord record, ParseLine(line, registry.path_, line_no));
    registry.records_.push_back(std::move(record));
    registry.Index(registry.records_.back());
  }
  if (in.bad())
    return SysError(registry.path_, "无法读取身份证登记文件", "cannot read the ID registry");
  return registry;
}

void IdRegistry::Index(const IdRecord& record) {
  size_t at = records_.size() - 1;
  by_id_number_[record.id_number] = at;
  by_member_[record.member_id] = at;
}

const IdRecord* IdRegistry::FindByIdNumber(std::string_view id_number) const {
  auto it = by_id_number_.find(id_number);
  return it == by_id_number_.end() ? nullptr : &records_[it->second];
}

const IdRecord* IdRegistry::FindByMember(std::string_view member_id) const {
  auto it = by_member_.find(member_id);
  return it == by_member_.end() ? nullptr : &records_[it->second];
}

Result<IdRecord> IdRegistry::Create(const std::string& member_id, const std::string& id_number) {
  unsigned char salt[kIdSaltBytes];
  if (RAND_bytes(salt, sizeof salt) != 1) {
    return Status(Code::kInternal, "无法生成随机盐值", "cannot draw random bytes for the salt");
  }
  IdRecord record{
      .member_id = member_id,
      .id_number = id_number,
      .salt_hex = HexEncode(std::string_view(reinterpret_cast<char*>(salt), sizeof salt))};
  records_.push_back(record);
  Index(records_.back());
  pending_.push_back(record);
  return record;
}

Status IdRegistry::Flush() {
  if (pending_.empty()) return Status::Ok();
  std::string bytes;
  for (const IdRecord& r : pending_) bytes += EncodeRecord(r);
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, kRegistryMode);
  if (fd < 0) return SysError(path_, "无法打开身份证登记文件", "cannot open the ID registry");
  Status s = ::fchmod(fd, kRegistryMode) == 0 ? WriteAll(fd, bytes, path_)
                                              : SysError(path_, "无法设置身份证登记文件的权限",
                                                         "cannot set the ID registry's mode");
  if (s.ok() && ::fsync(fd) != 0)
    s = SysError(path_, "无法同步身份证登记文件", "cannot sync the ID registry");
  if (::close(fd) != 0 && s.ok())
    s = SysError(path_, "无法关闭身份证登记文件", "cannot close the ID registry");
  if (s.ok()) pending_.clear();
  return s;
}

}  // namespace cunzhang
