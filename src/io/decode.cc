// Text decoding of imported files: UTF-8 checked byte by byte (so a bad byte
// is named by its line and column), GB18030 through glibc's iconv.
#include <iconv.h>

#include <cerrno>
#include <cstdio>

#include "cunzhang/csv.h"
#include "cunzhang/json.h"

namespace cunzhang::csv {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kGb18030Bom = "\x84\x31\x95\x33";

std::string HexByte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return buf;
}

// Line and byte column (both 1-based) of offset `at` in `bytes`.
Where WhereAt(std::string_view bytes, size_t at, const std::string& file) {
  Where w{.file = file, .line = 1, .column = 1};
  size_t line_start = 0;
  for (size_t i = 0; i < at && i < bytes.size(); ++i) {
    if (bytes[i] == '\n') {
      ++w.line;
      line_start = i + 1;
    }
  }
  w.column = static_cast<int64_t>(at - line_start) + 1;
  return w;
}

Status BadByte(std::string_view bytes, size_t at, const std::string& file, const char* zh_enc,
               const char* en_enc) {
  std::string hex = HexByte(static_cast<unsigned char>(bytes[at]));
  return Status(
      Code::kInvalidInput,
      "字节 " + hex + " 不是有效的 " + zh_enc + " 编码（请用 --encoding 指明文件编码）",
      "byte " + hex + " is not valid " + en_enc + " (name the file's encoding with --encoding)",
      WhereAt(bytes, at, file));
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not one.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
  }
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  // No overlongs, no surrogates, nothing above U+10FFFF.
  if (c == 0xE0 && byte(i + 1) < 0xA0) return 0;
  if (c == 0xED && byte(i + 1) > 0x9F) return 0;
  if (c == 0xF0 && byte(i + 1) < 0x90) return 0;
  if (c == 0xF4 && byte(i + 1) > 0x8F) return 0;
  return n;
}

void DecodeUtf8(std::string_view bytes, const std::string& file, DecodeResult* out) {
  size_t i = 0;
  while (i < bytes.size()) {
    size_t n = Utf8SequenceLength(bytes, i);
    if (n == 0) {
      if (out->errors.size() < kErrorsMax) {
        out->errors.push_back(BadByte(bytes, i, file, "UTF-8", "UTF-8"));
      }
      ++i;
      continue;
    }
    i += n;
  }
  if (out->errors.empty()) out->text.utf8.assign(bytes);
}

void DecodeGb18030(std::string_view bytes, const std::string& file, DecodeResult* out) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    out->errors.push_back(Status(Code::kInternal, "本系统的 iconv 不支持 GB18030",
                                 "this system's iconv cannot convert GB18030"));
    return;
  }
  std::string result;
  result.reserve(bytes.size() * 3 / 2 + 16);
  char buffer[4096];
  size_t at = 0;
  while (at < bytes.size()) {
    char* in = const_cast<char*>(bytes.data() + at);
    size_t in_left = bytes.size() - at;
    char* dst = buffer;
    size_t dst_left = sizeof buffer;
    size_t rc = iconv(cd, &in, &in_left, &dst, &dst_left);
    int err = errno;
    result.append(buffer, static_cast<size_t>(dst - buffer));
    at = bytes.size() - in_left;
    if (rc != static_cast<size_t>(-1) || err == E2BIG) continue;
    // EILSEQ (a byte that cannot start or continue a character) or EINVAL
    // (the file ends inside a character): report it and skip one byte.
    if (out->errors.size() < kErrorsMax) {
      out->errors.push_back(BadByte(bytes, at, file, "GB18030", "GB18030"));
    }
    ++at;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
  }
  iconv_close(cd);
  if (out->errors.empty()) out->text.utf8 = std::move(result);
}

}  // namespace

const char* EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kAuto:
      return "auto";
    case Encoding::kUtf8:
      return "utf-8";
    case Encoding::kGb18030:
      return "gb18030";
  }
  return "?";
}

DecodeResult Decode(std::string_view bytes, Encoding encoding, const std::string& file) {
  DecodeResult out;
  if (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF") {
    out.errors.push_back(Status(
        Code::kInvalidInput,
        "文件是 UTF-16 编码（Excel 的“Unicode 文本”）；请另存为“CSV UTF-8（逗号分隔）”",
        "the file is UTF-16 (Excel's \"Unicode Text\"); save it as \"CSV UTF-8 (Comma delimited)\"",
        Where{.file = file, .line = 1, .column = 1}));
    return out;
  }
  if (encoding == Encoding::kAuto) {
    std::string_view body =
        bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom ? bytes.substr(kUtf8Bom.size()) : bytes;
    encoding = json::IsValidUtf8(body) ? Encoding::kUtf8 : Encoding::kGb18030;
  }
  out.text.encoding = encoding;
  if (encoding == Encoding::kUtf8) {
    out.text.had_bom = bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom;
    if (out.text.had_bom) bytes.remove_prefix(kUtf8Bom.size());
    DecodeUtf8(bytes, file, &out);
    return out;
  }
  out.text.had_bom = bytes.substr(0, kGb18030Bom.size()) == kGb18030Bom;
  if (out.text.had_bom) bytes.remove_prefix(kGb18030Bom.size());
  DecodeGb18030(bytes, file, &out);
  return out;
}

}  // namespace cunzhang::csv
