#include "cunzhang/bundle.h"

#include <algorithm>
#include <cstring>

#include "cunzhang/entry.h"
#include "cunzhang/json.h"
#include "cunzhang/limits.h"

namespace cunzhang::bundle {
namespace {

// Reads start small (short inputs, fuzzing) and grow to large ones (exports).
constexpr size_t kReadChunkBytesMin = 16 << 10;
constexpr size_t kReadChunkBytesMax = 1 << 20;

Status ManifestError(const std::string& file, std::string field, std::string zh, std::string en) {
  return Status(Code::kInvalidInput, "清单 " + std::move(zh), "manifest: " + std::move(en),
                Where{.file = file, .field = std::move(field)});
}

Status TooLong(size_t line_bytes_max, int64_t line_number) {
  return Status(Code::kInvalidInput, "行超过 " + std::to_string(line_bytes_max) + " 字节",
                "line longer than " + std::to_string(line_bytes_max) + " bytes",
                Where{.line = line_number});
}

}  // namespace

std::string EncodeManifest(const Manifest& m) {
  json::Value v = json::Value::Object({
      {"entries_bytes", json::Value::Int(static_cast<int64_t>(m.entries_bytes))},
      {"exported_at", json::Value::String(m.exported_at)},
      {"format", json::Value::String(m.format)},
      {"last_leaf", json::Value::String(m.last_leaf.Hex())},
      {"origin", json::Value::String(m.origin)},
      {"root", json::Value::String(m.root.Hex())},
      {"size", json::Value::Int(static_cast<int64_t>(m.size))},
  });
  if (m.entries_sha256) v.Set("entries_sha256", json::Value::String(m.entries_sha256->Hex()));
  return json::Canonical(v) + "\n";
}

Result<Manifest> DecodeManifest(std::string_view bytes, const std::string& file_name) {
  if (bytes.size() > limits::kManifestBytesMax) {
    return ManifestError(file_name, "", "过大", "larger than " + std::to_string(limits::kManifestBytesMax) + " bytes");
  }
  json::ParseOptions options;
  options.file = file_name;
  CZ_ASSIGN_OR_RETURN(json::Parsed parsed, json::Parse(bytes, options));
  const json::Value& v = parsed.value;
  if (!v.is_object()) return ManifestError(file_name, "", "应为 JSON 对象", "must be a JSON object");
  static constexpr std::string_view kKnown[] = {"entries_bytes", "entries_sha256", "exported_at", "format",
                                                "last_leaf",     "origin",         "root",        "size"};
  for (const json::Member& member : v.members()) {
    bool known = false;
    for (std::string_view k : kKnown) known = known || member.first == k;
    if (!known) return ManifestError(file_name, member.first, "有未知字段", "unknown field");
  }
  // A field that is missing, or there but of another kind, is named as such.
  auto field = [&](const char* key, json::Value::Kind kind) -> Result<const json::Value*> {
    const json::Value* f = v.Find(key);
    if (f == nullptr) {
      return ManifestError(file_name, key, std::string("缺少必填字段（") + json::KindName(kind) + "）",
                           std::string("required field is missing (") + json::KindName(kind) + ")");
    }
    if (f->kind() != kind) {
      return ManifestError(file_name, key,
                           std::string("类型应为 ") + json::KindName(kind) + "，实为 " +
                               json::KindName(f->kind()),
                           std::string("must be of type ") + json::KindName(kind) + ", found " +
                               json::KindName(f->kind()));
    }
    return f;
  };
  auto str = [&](const char* key) -> Result<std::string> {
    CZ_ASSIGN_OR_RETURN(const json::Value* f, field(key, json::Value::Kind::kString));
    return f->as_string();
  };
  auto uint = [&](const char* key) -> Result<uint64_t> {
    CZ_ASSIGN_OR_RETURN(const json::Value* f, field(key, json::Value::Kind::kInt));
    if (f->as_int() < 0) {
      return ManifestError(file_name, key, "应为非负整数，实为 " + std::to_string(f->as_int()),
                           "must not be negative, found " + std::to_string(f->as_int()));
    }
    return static_cast<uint64_t>(f->as_int());
  };
  auto hash = [&](const char* key) -> Result<Hash256> {
    CZ_ASSIGN_OR_RETURN(std::string hex, str(key));
    auto h = Hash256::FromHex(hex);
    if (!h) return ManifestError(file_name, key, "应为 64 位小写十六进制", "must be 64 lower-case hex digits");
    return *h;
  };
  Manifest m;
  CZ_ASSIGN_OR_RETURN(m.format, str("format"));
  if (m.format != kFormat) {
    return ManifestError(file_name, "format", "格式不是 " + std::string(kFormat),
                         "format is \"" + m.format + "\", expected \"" + std::string(kFormat) + "\"");
  }
  CZ_ASSIGN_OR_RETURN(m.origin, str("origin"));
  if (Status s = CheckOrigin(m.origin); !s.ok()) return std::move(s).AddContext(Where{.file = file_name});
  CZ_ASSIGN_OR_RETURN(m.size, uint("size"));
  CZ_ASSIGN_OR_RETURN(m.root, hash("root"));
  CZ_ASSIGN_OR_RETURN(m.last_leaf, hash("last_leaf"));
  CZ_ASSIGN_OR_RETURN(m.entries_bytes, uint("entries_bytes"));
  if (v.Find("entries_sha256") != nullptr) {
    CZ_ASSIGN_OR_RETURN(m.entries_sha256, hash("entries_sha256"));
  }
  CZ_ASSIGN_OR_RETURN(m.exported_at, str("exported_at"));
  if (Status s = CheckTime(m.exported_at); !s.ok()) {
    return std::move(s).AddContext(Where{.file = file_name, .field = "exported_at"});
  }
  return m;
}

LineReader::LineReader(std::FILE* file, size_t line_bytes_max)
    : file_(file), line_bytes_max_(line_bytes_max) {}

bool LineReader::Fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  chunk_bytes_ = chunk_bytes_ == 0 ? kReadChunkBytesMin : std::min(chunk_bytes_ * 2, kReadChunkBytesMax);
  if (buf_.size() < end_ + chunk_bytes_) buf_.resize(end_ + chunk_bytes_);
  size_t n = std::fread(buf_.data() + end_, 1, buf_.size() - end_, file_);
  if (n == 0) {
    eof_ = true;
    return false;
  }
  if (sha_ != nullptr) sha_->Update(std::string_view(buf_.data() + end_, n));
  end_ += n;
  bytes_read_ += n;
  return true;
}

bool LineReader::Next(Line* line, Status* status) {
  *status = Status::Ok();
  size_t searched = 0;    // bytes after begin_ already searched for '\n'
  bool skipping = false;  // inside a line over the limit
  while (true) {
    const char* base = buf_.data() + begin_;
    const void* nl = std::memchr(base + searched, '\n', end_ - begin_ - searched);
    if (nl != nullptr) {
      auto len = static_cast<size_t>(static_cast<const char*>(nl) - base);
      ++line_number_;
      if (!skipping && len > line_bytes_max_) {  // the whole line was in the buffer
        *status = TooLong(line_bytes_max_, line_number_);
        skipping = true;
      }
      line->number = line_number_;
      line->terminated = true;
      line->bytes = skipping ? std::string_view() : std::string_view(base, len);
      begin_ += len + 1;
      return true;
    }
    searched = end_ - begin_;
    if (searched > line_bytes_max_) {
      if (!skipping) {
        *status = TooLong(line_bytes_max_, line_number_ + 1);
        skipping = true;
      }
      begin_ = end_;  // drop what was read; keep looking for the newline
      searched = 0;
    }
    if (!Fill()) {
      if (std::ferror(file_)) {
        *status = Status(Code::kIo, "读取文件失败", "read error", Where{.line = line_number_ + 1});
        return false;
      }
      if (!skipping && begin_ == end_) return false;
      ++line_number_;
      line->number = line_number_;
      line->terminated = false;
      line->bytes = skipping ? std::string_view() : std::string_view(buf_.data() + begin_, end_ - begin_);
      begin_ = end_;
      return true;
    }
  }
}

}  // namespace cunzhang::bundle
