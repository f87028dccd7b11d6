// The entry envelope: what every ledger entry holds around its body, how it is
// built from a caller's request, and how its canonical bytes are checked.
// docs/FORMAT.md §3 pins every field.
#ifndef CUNZHANG_ENTRY_H_
#define CUNZHANG_ENTRY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cunzhang/hash.h"
#include "cunzhang/json.h"
#include "cunzhang/status.h"

namespace cunzhang {

// Who wrote an entry and in which role.
struct Operator {
  std::string name;
  std::string role;  // one of kOperatorRoles
  friend bool operator==(const Operator&, const Operator&) = default;
};

inline constexpr const char* kOperatorRoles[] = {"accountant", "auditor", "clerk", "admin",
                                                 "system"};

// What a caller asks to append. The writer adds version, seq, origin and prev.
struct EntryRequest {
  std::string type;
  Operator op;
  std::string idempotency_id;
  json::Value body;  // an object
  std::string time;  // RFC 3339 with offset; empty = stamped by the writer
};

struct Entry {
  int64_t version = 0;
  uint64_t seq = 0;
  std::string origin;
  std::string time;
  std::string type;
  Operator op;
  std::string idempotency_id;
  json::Value body;
  Hash256 prev;  // leaf hash of entry seq-1; all zero for seq 0
};

// The JSON member names of the envelope, in canonical (sorted) order.
namespace field {
inline constexpr std::string_view kBody = "body";
inline constexpr std::string_view kIdempotencyId = "idempotency_id";
inline constexpr std::string_view kOperator = "operator";
inline constexpr std::string_view kOrigin = "origin";
inline constexpr std::string_view kPrev = "prev";
inline constexpr std::string_view kSeq = "seq";
inline constexpr std::string_view kTime = "time";
inline constexpr std::string_view kType = "type";
inline constexpr std::string_view kVersion = "v";
}  // namespace field

// Reads a request from a parsed JSON object (the append input format).
// Errors name the field; `where` supplies file and line.
Result<EntryRequest> RequestFromJson(const json::Value& value, const Where& where);

// Checks each envelope field on its own (syntax and limits, not chain links).
Status CheckOrigin(std::string_view origin);
Status CheckType(std::string_view type);
Status CheckIdempotencyId(std::string_view id);
Status CheckOperator(const Operator& op);
Status CheckTime(std::string_view rfc3339);

// The canonical bytes of an entry (RFC 8785).
std::string EncodeEntry(const Entry& entry);
// EncodeEntry in two parts, appended to `out`. The head is every byte before
// the previous entry's leaf hash (`{"body":…,"origin":…,"prev":"`): it does not
// depend on the chain, so a writer builds it (and hashes it) ahead, on another
// thread. The tail is the rest, from the hash's first hex digit. Head then
// tail is EncodeEntry(entry).
void AppendEntryHead(const Entry& entry, std::string* out);
void AppendEntryTail(const Entry& entry, std::string* out);
// The tail in two parts: the link, which holds the chain (the hash's hex
// digits, `","seq":` and the seq), and the end (`,"time":…,"v":1}`), which
// does not, so a writer builds it ahead too. Link then end is the tail.
void AppendEntryLink(const Entry& entry, std::string* out);
void AppendEntryEnd(const Entry& entry, std::string* out);
json::Value EntryToJson(const Entry& entry);

// Which check a stored or exported entry failed.
enum class EntryFault { kNone, kTooLarge, kJson, kNotCanonical, kEnvelope };

// Parses and checks the bytes of one stored or exported entry: at most
// limits::kEntryBytesMax, valid JSON, already canonical, every envelope field
// present, well-formed and within limits, no unknown members. Does not check
// links to other entries. `fault`, when given, says which check failed.
Result<Entry> DecodeEntry(std::string_view bytes, EntryFault* fault = nullptr);

// DecodeEntry for a caller that reads the body of only some entries (the
// verifier: see domain::NeedsBody). The same checks, the same Status and the
// same `fault` as DecodeEntry for every input, the body included (it is still
// checked to be a canonical JSON object), but the body is not built: on
// success entry->body is null and *body_json holds the body's canonical
// bytes, a view into `bytes` (json::Parse it when it is needed). The strings
// of *entry are reused, so decoding into the same Entry again seldom
// allocates. On failure *entry and *body_json are unspecified.
Status DecodeEntryLazy(std::string_view bytes, Entry* entry, std::string_view* body_json,
                       EntryFault* fault = nullptr);

// The envelope checks alone, on a parsed entry (canonical or not).
Result<Entry> EntryFromJson(json::Value value);

// The first field, in the order type, operator, idempotency_id, body, time
// (field::k*), in which `entry` differs from what `request` asks for, or
// nullopt when it holds exactly that, so that a retry with the same
// idempotency id is answered with the existing entry. The request's time is
// compared only when the caller set it.
std::optional<std::string_view> RequestDifference(const Entry& entry, const EntryRequest& request);
inline bool SameRequest(const Entry& entry, const EntryRequest& request) {
  return !RequestDifference(entry, request).has_value();
}

// Now, as RFC 3339 with the local numeric offset, whole seconds.
std::string NowRfc3339();

}  // namespace cunzhang

#endif  // CUNZHANG_ENTRY_H_
