// Every limit of the ledger in one place, unit last in the name.
// docs/FORMAT.md quotes these numbers; a test checks that it still does.
#ifndef CUNZHANG_LIMITS_H_
#define CUNZHANG_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace cunzhang::limits {

// The envelope format version written by this code.
inline constexpr int64_t kFormatVersion = 1;

// Largest magnitude of a JSON integer (RFC 8785 / I-JSON: exactly representable
// as an IEEE 754 double, so every JCS implementation agrees on its bytes).
inline constexpr int64_t kJsonIntegerMax = (int64_t{1} << 53) - 1;

inline constexpr size_t kEntryBytesMax = 64 * 1024;     // one canonical entry
inline constexpr size_t kJsonDepthMax = 32;              // nesting of arrays/objects
inline constexpr size_t kInputDocumentBytesMax = 512u * 1024 * 1024;  // one input file
inline constexpr size_t kBatchEntriesMax = 100'000;      // one atomic append
inline constexpr size_t kOriginBytesMax = 128;
inline constexpr size_t kTypeBytesMax = 64;
inline constexpr size_t kIdempotencyIdBytesMax = 128;
inline constexpr size_t kOperatorNameBytesMax = 64;
inline constexpr size_t kManifestBytesMax = 64 * 1024;
inline constexpr size_t kVerifyFaultsMax = 1000;         // faults listed one by one

static_assert(kEntryBytesMax < kInputDocumentBytesMax);
static_assert(kOriginBytesMax + kTypeBytesMax + kIdempotencyIdBytesMax + kOperatorNameBytesMax <
              kEntryBytesMax);

}  // namespace cunzhang::limits

#endif  // CUNZHANG_LIMITS_H_
