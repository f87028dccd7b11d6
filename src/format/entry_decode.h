// The allocation-light half of DecodeEntryLazy, private to the format library
// and its tests: reading the envelope straight from the raw members of an
// entry json::Scan found canonical.
#ifndef CUNZHANG_FORMAT_ENTRY_DECODE_H_
#define CUNZHANG_FORMAT_ENTRY_DECODE_H_

#include <span>
#include <string_view>

#include "cunzhang/entry.h"
#include "cunzhang/json.h"

namespace cunzhang::internal {

// True when `members` (every top-level member of a canonical entry, in text
// order) form an envelope that passes every check EntryFromJson makes; then
// *entry holds it with a null body and *body_json the body's bytes. False when
// any check fails (EntryFromJson then names the fault); *entry is unspecified.
// REQUIRES: the members come from json::Scan of a text it found canonical.
bool ReadRawEnvelope(std::span<const json::RawMember> members, Entry* entry,
                     std::string_view* body_json);

}  // namespace cunzhang::internal

#endif  // CUNZHANG_FORMAT_ENTRY_DECODE_H_
