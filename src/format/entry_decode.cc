// Decoding stored and exported entries: DecodeEntry builds the whole entry,
// DecodeEntryLazy checks the same bytes the same way without building the
// body. The lazy path scans the line once (json::Scan: validity and canonical
// form), then reads the nine envelope members from their raw bytes; only when
// the envelope is faulty does it parse the line again, so that EntryFromJson
// names the fault exactly as DecodeEntry would.
#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <span>

#include "cunzhang/entry.h"
#include "cunzhang/limits.h"
#include "entry_decode.h"

namespace cunzhang {
namespace {

Status TooLarge() {
  return Status(Code::kInvalidInput, "条目超过 " + std::to_string(limits::kEntryBytesMax) + " 字节",
                "entry longer than " + std::to_string(limits::kEntryBytesMax) + " bytes");
}

Status NotCanonical() {
  return Status(Code::kCorruption, "条目字节不是 RFC 8785 规范形式",
                "entry bytes are not in RFC 8785 canonical form");
}

json::ParseOptions EntryParseOptions() {
  return json::ParseOptions{.depth_max = limits::kJsonDepthMax};
}

// The envelope members of a canonical entry, in the order canonical form
// sorts them, and how many a valid entry has.
constexpr std::array<std::string_view, 9> kEnvelope = {
    field::kBody, field::kIdempotencyId, field::kOperator, field::kOrigin, field::kPrev,
    field::kSeq,  field::kTime,          field::kType,     field::kVersion};

// a == b for the short strings of an envelope, without a call to memcmp.
bool Same(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

bool HasBackslash(std::string_view s) { return s.find('\\') != std::string_view::npos; }

// A JSON string value as raw bytes, decoded into *out. REQUIRES: raw is a
// value json::Scan accepted.
bool RawString(std::string_view raw, std::string* out) {
  if (raw.size() < 2 || raw.front() != '"') return false;
  std::string_view inner = raw.substr(1, raw.size() - 2);
  if (!HasBackslash(inner)) {
    out->assign(inner);
    return true;
  }
  Result<json::Parsed> parsed = json::Parse(raw);  // an escape: rare in an envelope
  if (!parsed.ok() || !parsed->value.is_string()) return false;
  *out = std::move(*parsed->value.mutable_string());
  return true;
}

// A hash as 64 lower-case hex digits in a JSON string value.
bool RawHash(std::string_view raw, Hash256* out) {
  if (raw.size() != 2 * Hash256::kBytes + 2 || raw.front() != '"') return false;
  std::optional<Hash256> hash = Hash256::FromHex(raw.substr(1, 2 * Hash256::kBytes));
  if (!hash) return false;
  *out = *hash;
  return true;
}

// A JSON integer value as raw bytes. REQUIRES: raw is a value json::Scan accepted.
bool RawInt(std::string_view raw, int64_t* out) {
  if (raw.empty() || (raw.front() != '-' && (raw.front() < '0' || raw.front() > '9'))) return false;
  auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), *out);
  return ec == std::errc() && end == raw.data() + raw.size();
}

// The length of the JSON string value at the start of `raw`, quotes included,
// or npos when `raw` does not start with one. REQUIRES: raw starts with a
// value json::Scan accepted, so every escape is complete.
size_t RawStringLength(std::string_view raw) {
  if (raw.empty() || raw.front() != '"') return std::string_view::npos;
  for (size_t i = 1; i < raw.size(); ++i) {
    if (raw[i] == '\\') {
      ++i;
    } else if (raw[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// A canonical operator object is exactly {"name":<string>,"role":<string>}.
bool RawOperator(std::string_view raw, Operator* op) {
  constexpr std::string_view kOpen = "{\"name\":";
  constexpr std::string_view kBetween = ",\"role\":";
  if (!raw.starts_with(kOpen) || !raw.ends_with('}')) return false;
  std::string_view rest = raw.substr(kOpen.size(), raw.size() - kOpen.size() - 1);
  size_t name_bytes = RawStringLength(rest);
  if (name_bytes == std::string_view::npos) return false;
  std::string_view name = rest.substr(0, name_bytes);
  rest.remove_prefix(name_bytes);
  if (!rest.starts_with(kBetween)) return false;
  std::string_view role = rest.substr(kBetween.size());
  return RawStringLength(role) == role.size() && RawString(name, &op->name) &&
         RawString(role, &op->role);
}

// The envelope values this thread's decoder accepted lately. A ledger has one
// origin, a few operators and a few types, and each check depends on the
// value alone: a value seen among the last few accepted need not be checked
// again. Empty until values are accepted (an empty value is not valid).
template <class T>
class AcceptedValues {
 public:
  template <class Check>
  bool Accept(const T& value, Check check) {
    for (size_t i = 0; i < count_; ++i) {
      if (values_[i] == value) return true;
    }
    if (!check(value).ok()) return false;
    values_[next_] = value;
    next_ = (next_ + 1) % kKept;
    count_ = std::min(count_ + 1, kKept);
    return true;
  }

 private:
  static constexpr size_t kKept = 16;
  std::array<T, kKept> values_;
  size_t count_ = 0;
  size_t next_ = 0;
};

struct Accepted {
  AcceptedValues<std::string> origins;
  AcceptedValues<std::string> types;
  AcceptedValues<Operator> operators;
};

}  // namespace

namespace internal {

bool ReadRawEnvelope(std::span<const json::RawMember> members, Entry* e,
                     std::string_view* body_json) {
  if (members.size() != kEnvelope.size()) return false;
  for (size_t i = 0; i < kEnvelope.size(); ++i) {
    if (!Same(members[i].key, kEnvelope[i])) return false;
  }
  // In the order of kEnvelope.
  const std::string_view body = members[0].value;
  if (body.empty() || body.front() != '{') return false;
  int64_t seq = -1;
  if (!RawString(members[1].value, &e->idempotency_id) || !RawOperator(members[2].value, &e->op) ||
      !RawString(members[3].value, &e->origin) || !RawHash(members[4].value, &e->prev) ||
      !RawInt(members[5].value, &seq) || !RawString(members[6].value, &e->time) ||
      !RawString(members[7].value, &e->type) || !RawInt(members[8].value, &e->version)) {
    return false;
  }
  thread_local Accepted accepted;
  auto origin = [](const std::string& v) { return CheckOrigin(v); };
  auto type = [](const std::string& v) { return CheckType(v); };
  auto op = [](const Operator& v) { return CheckOperator(v); };
  if (e->version != limits::kFormatVersion || seq < 0 || !accepted.origins.Accept(e->origin, origin) ||
      !CheckTime(e->time).ok() || !accepted.types.Accept(e->type, type) ||
      !accepted.operators.Accept(e->op, op) || !CheckIdempotencyId(e->idempotency_id).ok()) {
    return false;
  }
  e->seq = static_cast<uint64_t>(seq);
  if (!e->body.is_null()) e->body = json::Value();
  *body_json = body;
  return true;
}

}  // namespace internal

Result<Entry> DecodeEntry(std::string_view bytes, EntryFault* fault) {
  auto set = [&](EntryFault f) {
    if (fault != nullptr) *fault = f;
  };
  set(EntryFault::kNone);
  if (bytes.size() > limits::kEntryBytesMax) {
    set(EntryFault::kTooLarge);
    return TooLarge();
  }
  auto parsed = json::Parse(bytes, EntryParseOptions());
  if (!parsed.ok()) {
    set(EntryFault::kJson);
    return std::move(parsed).status();
  }
  if (!parsed->canonical) {
    set(EntryFault::kNotCanonical);
    return NotCanonical();
  }
  auto entry = EntryFromJson(std::move(parsed->value));
  if (!entry.ok()) set(EntryFault::kEnvelope);
  return entry;
}

Status DecodeEntryLazy(std::string_view bytes, Entry* entry, std::string_view* body_json,
                       EntryFault* fault) {
  auto set = [&](EntryFault f) {
    if (fault != nullptr) *fault = f;
  };
  set(EntryFault::kNone);
  if (bytes.size() > limits::kEntryBytesMax) {
    set(EntryFault::kTooLarge);
    return TooLarge();
  }
  std::array<json::RawMember, kEnvelope.size() + 1> members;  // one more: to see an extra
  Result<json::ScanResult> scanned = json::Scan(bytes, EntryParseOptions(), members);
  if (!scanned.ok()) {
    set(EntryFault::kJson);
    return std::move(scanned).status();
  }
  if (!scanned->canonical) {
    set(EntryFault::kNotCanonical);
    return NotCanonical();
  }
  size_t stored = std::min(scanned->members, members.size());
  if (internal::ReadRawEnvelope(std::span(members).first(stored), entry, body_json)) {
    return Status::Ok();
  }
  // Something in the envelope is wrong: let the full decoder name it. Should
  // it find nothing wrong, its entry is as good (the body sorts first in a
  // canonical entry, so its bytes follow "{\"body\":").
  Result<Entry> full = DecodeEntry(bytes, fault);
  if (!full.ok()) return std::move(full).status();
  *entry = std::move(full).value();
  *body_json = bytes.substr(field::kBody.size() + 4, json::Canonical(entry->body).size());
  entry->body = json::Value();
  return Status::Ok();
}

}  // namespace cunzhang
