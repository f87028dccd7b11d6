// Words and layout shared by the registers and the statement: names of member
// kinds, statuses and entry types in Chinese or English, display widths for
// aligned columns, and writing a file atomically. Private to src/io.
#ifndef CUNZHANG_IO_TEXT_H_
#define CUNZHANG_IO_TEXT_H_

#include <string>
#include <string_view>

#include "cunzhang/status.h"

namespace cunzhang::text {

std::string MemberKind(const std::string& kind, bool english);      // person -> 个人
std::string MemberStatus(const std::string& status, bool english);  // active -> 在册
std::string EntryTypeName(const std::string& type, bool english);  // contribution.land -> 土地入股
std::string ShareKindName(size_t kind, bool english);              // 0 -> 土地股
std::string UnitName(const std::string& unit, bool english);       // mu -> 亩

// Terminal columns: East Asian wide characters count two.
size_t DisplayWidth(std::string_view utf8);
// Pads to `width` columns, on the left when `right` (numbers).
std::string Pad(const std::string& text, size_t width, bool right);

// Writes `bytes` to a temporary file beside `path`, syncs it and renames it
// over `path`, so a reader never sees half a file.
Status WriteFileAtomically(const std::string& path, const std::string& bytes);
// The temporary name WriteFileAtomically and the XLSX writer use.
std::string TemporaryPath(const std::string& path);
// Creates the empty temporary file for `path` and returns its name, for a
// writer that opens the file by name itself (libxlsxwriter, which would print
// its own English-only complaint to stderr when it cannot): the error, when
// the file cannot be made, is WriteFileAtomically's.
Result<std::string> CreateTemporary(const std::string& path);
// Syncs a finished temporary file and renames it to `path`.
Status CommitTemporary(const std::string& temporary, const std::string& path);

}  // namespace cunzhang::text

#endif  // CUNZHANG_IO_TEXT_H_
