// The JSON subset the ledger hashes, and its RFC 8785 canonical form.
//
// Accepted: RFC 8259 JSON whose numbers are integers within ±(2^53 − 1), whose
// strings are valid UTF-8 without lone surrogates, whose object keys are ASCII
// and unique, nested at most limits::kJsonDepthMax deep. Everything else is
// rejected with the line, column and field path of the first offence.
// docs/FORMAT.md §2 gives the grammar.
#ifndef CUNZHANG_JSON_H_
#define CUNZHANG_JSON_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cunzhang/status.h"

namespace cunzhang::json {

class Value;
using Member = std::pair<std::string, Value>;

class Value {
 public:
  enum class Kind : uint8_t { kNull, kBool, kInt, kString, kArray, kObject };

  Value() = default;  // null
  static Value Bool(bool b);
  static Value Int(int64_t i);
  static Value String(std::string s);
  static Value Array(std::vector<Value> items = {});
  // Members are sorted by key; REQUIRES: keys unique and ASCII.
  static Value Object(std::vector<Member> members = {});

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_int() const { return kind_ == Kind::kInt; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }

  // REQUIRES: the matching kind.
  bool as_bool() const { return int_ != 0; }
  int64_t as_int() const { return int_; }
  const std::string& as_string() const { return str_; }
  const std::vector<Value>& items() const { return items_; }
  const std::vector<Member>& members() const { return members_; }
  // For moving parts out of a parsed document. Keep members sorted by key.
  std::vector<Member>* mutable_members() { return &members_; }
  std::string* mutable_string() { return &str_; }

  // Object look-up; nullptr when absent or when this is not an object.
  const Value* Find(std::string_view key) const;
  // Adds or replaces a member, keeping keys sorted. REQUIRES: is_object().
  void Set(std::string key, Value value);

  friend bool operator==(const Value& a, const Value& b);
  // Member by member: std::swap's three moves through a temporary cost more,
  // and the verifier swaps a body into place for every line.
  friend void swap(Value& a, Value& b) noexcept {
    std::swap(a.kind_, b.kind_);
    std::swap(a.int_, b.int_);
    a.str_.swap(b.str_);
    a.items_.swap(b.items_);
    a.members_.swap(b.members_);
  }

 private:
  template <bool kBuild>
  friend class Parser;
  friend class CanonicalBuilder;
  Kind kind_ = Kind::kNull;
  int64_t int_ = 0;
  std::string str_;
  std::vector<Value> items_;
  std::vector<Member> members_;
};

const char* KindName(Value::Kind kind);

struct ParseOptions {
  std::string file;     // named in errors
  int64_t first_line = 1;  // line number of text[0] in `file`
  size_t depth_max = 32;
};

struct Parsed {
  Value value;
  // True when the text was already exactly its RFC 8785 canonical form.
  bool canonical = false;
};

// Parses exactly one JSON value (surrounding white space allowed).
Result<Parsed> Parse(std::string_view text, const ParseOptions& options = {});

// Builds the value of text already found to be in RFC 8785 canonical form
// (by Scan or Parse) into *out, without checking again what that found
// (UTF-8, escapes, key order, integer range), reusing the strings and
// vectors *out already holds: for the verifier, which scans every line and
// then needs each body as a Value, built into the same place line after
// line. False, with *out null, when the text is not canonical JSON as far as
// building can tell; on text Scan would refuse the value is unspecified, but
// the text is never read beyond its end.
bool BuildCanonical(std::string_view canonical_text, Value* out, size_t depth_max = 32);

// Parses the first JSON value in `text`; *consumed is set to the byte offset
// just after it (no trailing white space skipped).
Result<Parsed> ParsePrefix(std::string_view text, size_t* consumed,
                           const ParseOptions& options = {});

// A member of an object as the text writes it: the key between its quotes
// (escapes not decoded) and the bytes of the value.
struct RawMember {
  std::string_view key;
  std::string_view value;
};

struct ScanResult {
  // True when the text was already exactly its RFC 8785 canonical form.
  bool canonical = false;
  // Members of the top-level value when it is an object; 0 otherwise.
  size_t members = 0;
};

// Checks `text` exactly as Parse does (the same texts accepted, the same error
// for each text rejected, the same canonical flag) without building a Value.
// Canonical text is confirmed in one pass; other text is read a second time
// by the full checker. Nothing is allocated for texts of the usual shape (an
// escaped object key, nesting deeper than limits::kJsonDepthMax or more than
// 64 keys in the objects open at once take the heap). When the top-level
// value is an object, its first top.size() members are stored in `top`, in
// text order, as views into `text`.
Result<ScanResult> Scan(std::string_view text, const ParseOptions& options = {},
                        std::span<RawMember> top = {});

// RFC 8785 canonical bytes of a value.
std::string Canonical(const Value& value);
void AppendCanonical(const Value& value, std::string* out);
void AppendCanonicalString(std::string_view utf8, std::string* out);

// Checks a string is valid UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
bool IsValidUtf8(std::string_view s);
// Number of code points in valid UTF-8 text.
size_t CodePoints(std::string_view utf8);

}  // namespace cunzhang::json

#endif  // CUNZHANG_JSON_H_
