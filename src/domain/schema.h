// JSON Schemas of entry bodies (schemas/entries/<type>.schema.json, embedded
// in the binary at build time; schema.cc) and the text guards: no clear
// national ID number anywhere in an entry, no control character in a body
// (text_guard.cc). Private to src/domain.
#ifndef CUNZHANG_DOMAIN_SCHEMA_H_
#define CUNZHANG_DOMAIN_SCHEMA_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cunzhang/json.h"
#include "cunzhang/status.h"

namespace cunzhang::domain::schema {

// One schema as compiled in: the entry type and the schema's JSON text.
struct EmbeddedSchema {
  const char* type;  // e.g. "member.join", from schemas/entries/member.join.schema.json
  std::string_view text;
};

// Every embedded schema, sorted by type (generated at build time by
// cmake/EmbedSchemas.cmake).
std::span<const EmbeddedSchema> EmbeddedSchemas();

// Validates `body` against the schema of entry type `type`. The error
// (kInvalidInput) names the failing path, e.g. "body.mu", and says why.
// kRuleViolation for a type without a schema.
Status ValidateBody(std::string_view type, const json::Value& body);

// For the test that holds the two validators to the same answers: the
// compiled check alone (nullopt when the type has no compiled schema; then
// CompiledUnsupported says why), and valijson alone.
std::optional<bool> CompiledValid(std::string_view type, const json::Value& body);
std::string CompiledUnsupported(std::string_view type);
std::optional<bool> ReferenceValid(std::string_view type, const json::Value& body);

// Refuses any string in `body` holding a C0 control character other than
// tab, line feed and carriage return (U+0000 among them): such text has no
// place in a ledger, and would be measured differently by different schema
// validators (valijson stops counting a string's length at U+0000). The
// error (kInvalidInput) names the field.
Status RefuseControlCharacters(const json::Value& body);

// Refuses any string in `body` that is, or contains, a national ID number
// (18 characters, GB 11643 check digit; or 15 digits): only the salted
// commitment may enter the ledger. The error names the field.
Status RefuseClearIdNumbers(const json::Value& body);
// The same for one string outside the body; the error names `field`.
Status RefuseClearIdNumberIn(std::string_view text, std::string_view field);

// One pass over the strings of `body`: false when none of them can hold a
// clear ID number or has a control character, so that neither refusal above
// can find anything (they need not walk the body); true when one may. The
// usual body answers false after one look at each byte.
// With `controls_possible` false the caller knows the body's strings hold no
// control character (the JSON text it was read from has no backslash: JSON
// writes a control character in a string only as an escape), and only
// strings of 15 bytes or more, which may hold an ID number, are looked at.
bool TextNeedsRefusalCheck(const json::Value& body, bool controls_possible = true);

}  // namespace cunzhang::domain::schema

#endif  // CUNZHANG_DOMAIN_SCHEMA_H_
