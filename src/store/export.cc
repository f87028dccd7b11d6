#include "cunzhang/export.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "cunzhang/entry.h"
#include "cunzhang/merkle.h"

namespace cunzhang {
namespace {

Status IoError(const std::string& path, const char* what) {
  return Status(Code::kIo, std::string("导出失败：") + what, std::string("export failed: ") + what +
                ": " + std::strerror(errno), Where{.file = path});
}

// A file written in full, synced, then renamed into place.
class SyncedFile {
 public:
  explicit SyncedFile(std::string path) : path_(std::move(path)), tmp_(path_ + ".tmp") {}
  ~SyncedFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Open() {
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    return fd_ < 0 ? IoError(tmp_, "open") : Status::Ok();
  }
  Status Write(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return IoError(tmp_, "write");
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::Ok();
  }
  Status Commit() {
    if (::fsync(fd_) != 0) return IoError(tmp_, "fsync");
    ::close(fd_);
    fd_ = -1;
    if (std::rename(tmp_.c_str(), path_.c_str()) != 0) return IoError(path_, "rename");
    return Status::Ok();
  }

 private:
  std::string path_;
  std::string tmp_;
  int fd_ = -1;
};

Status PrepareDir(const std::string& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) {
    if (!std::filesystem::is_directory(dir, ec) || !std::filesystem::is_empty(dir, ec)) {
      return Status(Code::kConflict, "导出目录已存在且不为空", "export directory exists and is not empty",
                    Where{.file = dir});
    }
    return Status::Ok();
  }
  if (!std::filesystem::create_directories(dir, ec)) {
    return Status(Code::kIo, "无法创建导出目录", "cannot create export directory: " + ec.message(),
                  Where{.file = dir});
  }
  return Status::Ok();
}

Status SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError(dir, "open directory");
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : IoError(dir, "fsync directory");
}

}  // namespace

Result<bundle::Manifest> ExportBundle(Ledger& ledger, const std::string& dir) {
  CZ_RETURN_IF_ERROR(PrepareDir(dir));
  bundle::Manifest m;
  m.origin = ledger.origin();
  m.size = ledger.size();
  SyncedFile entries(dir + "/" + std::string(bundle::kEntriesFile));
  CZ_RETURN_IF_ERROR(entries.Open());
  merkle::CompactRange range;
  std::string chunk;
  Status write_status;
  Status scan = ledger.Scan(0, m.size, [&](uint64_t, std::string_view bytes) {
    m.last_leaf = LeafHash(bytes);
    range.Append(m.last_leaf);
    chunk.append(bytes);
    chunk.push_back('\n');
    if (chunk.size() >= (1 << 20)) {
      m.entries_bytes += chunk.size();
      write_status = entries.Write(chunk);
      chunk.clear();
    }
    return write_status.ok();
  });
  CZ_RETURN_IF_ERROR(scan);
  CZ_RETURN_IF_ERROR(write_status);
  m.entries_bytes += chunk.size();
  CZ_RETURN_IF_ERROR(entries.Write(chunk));
  CZ_RETURN_IF_ERROR(entries.Commit());
  m.root = range.Root();
  if (m.root != ledger.root()) {
    return Status(Code::kCorruption, "导出的条目与账本的根哈希不符",
                  "exported entries do not give the ledger's root: " + m.root.Hex() + " vs " +
                      ledger.root().Hex());
  }
  m.exported_at = NowRfc3339();
  SyncedFile manifest(dir + "/" + std::string(bundle::kManifestFile));
  CZ_RETURN_IF_ERROR(manifest.Open());
  CZ_RETURN_IF_ERROR(manifest.Write(bundle::EncodeManifest(m)));
  CZ_RETURN_IF_ERROR(manifest.Commit());
  CZ_RETURN_IF_ERROR(SyncDir(dir));
  return m;
}

}  // namespace cunzhang
