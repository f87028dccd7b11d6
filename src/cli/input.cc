#include "input.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "cunzhang/json.h"
#include "cunzhang/limits.h"

namespace cunzhang::cli {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

void AddRequest(const json::Value& value, const Where& where, const Operator& default_operator,
                RequestBatch* batch) {
  auto req = RequestFromJson(value, where);
  if (!req.ok()) {
    batch->errors.push_back(std::move(req).status());
    return;
  }
  if (req->op.name.empty() && req->op.role.empty()) req->op = default_operator;
  batch->requests.push_back(std::move(*req));
  batch->lines.push_back(where.line);
}

void ParseJsonLines(std::string_view text, const std::string& name, const Operator& op,
                    RequestBatch* batch) {
  int64_t line_no = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(start, end - start);
    ++line_no;
    start = end + 1;
    if (IsBlank(line)) continue;
    if (batch->requests.size() + batch->errors.size() >= limits::kBatchEntriesMax) {
      batch->errors.emplace_back(Code::kInvalidInput,
                                 "一次最多追加 " + std::to_string(limits::kBatchEntriesMax) + " 条；请用 --commit-every 分批",
                                 "at most " + std::to_string(limits::kBatchEntriesMax) +
                                     " entries per atomic append; use --commit-every to split",
                                 Where{.file = name, .line = line_no});
      return;
    }
    json::ParseOptions options{.file = name, .first_line = line_no, .depth_max = limits::kJsonDepthMax};
    auto parsed = json::Parse(line, options);
    if (!parsed.ok()) {
      batch->errors.push_back(std::move(parsed).status());
      continue;
    }
    AddRequest(parsed->value, Where{.file = name, .line = line_no}, op, batch);
  }
}

}  // namespace

Result<std::string> ReadInput(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned(nullptr, std::fclose);
  std::FILE* f = stdin;
  if (path != "-") {
    owned.reset(std::fopen(path.c_str(), "rb"));
    if (!owned) {
      int err = errno;
      return Status(err == ENOENT ? Code::kNotFound : Code::kIo, "无法打开输入文件",
                    std::string("cannot open input file: ") + std::strerror(err), Where{.file = path});
    }
    f = owned.get();
  }
  std::string data;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    data.append(buf, n);
    if (data.size() > limits::kInputDocumentBytesMax) {
      return Status(Code::kInvalidInput, "输入文件过大", "input larger than " +
                    std::to_string(limits::kInputDocumentBytesMax) + " bytes", Where{.file = path});
    }
  }
  if (std::ferror(f)) {
    return Status(Code::kIo, "读取输入失败", "read error", Where{.file = path});
  }
  return data;
}

RequestBatch ParseRequests(std::string_view text, InputFormat format, const std::string& name,
                           const Operator& default_operator) {
  RequestBatch batch;
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  if (format == InputFormat::kAuto || format == InputFormat::kJson) {
    size_t consumed = 0;
    json::ParseOptions options{.file = name, .first_line = 1, .depth_max = limits::kJsonDepthMax};
    auto parsed = json::ParsePrefix(text, &consumed, options);
    bool single = parsed.ok() &&
                  text.find_first_not_of(" \t\r\n", consumed) == std::string_view::npos;
    if (single) {
      AddRequest(parsed->value, Where{.file = name, .line = 1}, default_operator, &batch);
      return batch;
    }
    if (format == InputFormat::kJson) {
      if (parsed.ok()) {
        batch.errors.emplace_back(Code::kInvalidInput, "JSON 值之后还有多余内容（多条请用 JSON Lines）",
                                  "unexpected content after the JSON value (use JSON Lines for a batch)",
                                  Where{.file = name});
      } else {
        batch.errors.push_back(std::move(parsed).status());
      }
      return batch;
    }
  }
  ParseJsonLines(text, name, default_operator, &batch);
  if (batch.requests.empty() && batch.errors.empty()) {
    batch.errors.emplace_back(Code::kInvalidInput, "输入中没有条目", "the input holds no entries",
                              Where{.file = name});
  }
  return batch;
}

}  // namespace cunzhang::cli
