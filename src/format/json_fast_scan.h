// The scanner's fast path for text already in canonical form, private to the
// format library and its tests. json::Scan tries it first; anything it is not
// sure of goes to the full scanner, which then decides and explains.
#ifndef CUNZHANG_FORMAT_JSON_FAST_SCAN_H_
#define CUNZHANG_FORMAT_JSON_FAST_SCAN_H_

#include <cstddef>
#include <span>
#include <string_view>

#include "cunzhang/json.h"

namespace cunzhang::json::internal {

// True only when `text` is one JSON value that json::Parse accepts (nested
// at most depth_max deep) and finds canonical; then the top-level members are
// stored as json::Scan stores them and counted in *members. False means "not
// sure": an error, a text not in canonical form, or one of the rare canonical
// forms left to the full scanner (an object key with an escape, a \u escape
// in a string). `top` may be partly written either way.
bool ScanCanonical(std::string_view text, size_t depth_max, std::span<RawMember> top,
                   size_t* members);

}  // namespace cunzhang::json::internal

#endif  // CUNZHANG_FORMAT_JSON_FAST_SCAN_H_
