// A JSON Schema compiled for speed: the subset of draft-07 our entry schemas
// use, checked directly on a parsed json::Value, answering only "valid or
// not". valijson stays the reference: it explains every failure, and it
// judges any schema that uses a keyword outside this subset (Compile refuses
// those). A differential test holds the two to the same answers.
//
// Why not valijson alone: it needs the body as an nlohmann::json copy and
// walks it through std::function visitors and std::regex; on the verifier's
// and the writer's hot path that was about 4 µs per entry, more than
// parsing, hashing and the rules together.
#ifndef CUNZHANG_DOMAIN_SCHEMA_COMPILED_H_
#define CUNZHANG_DOMAIN_SCHEMA_COMPILED_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cunzhang/json.h"

namespace cunzhang::domain::schema {

class CompiledSchema {
 public:
  // The compiled form of `schema`, or nullptr with `*unsupported` naming the
  // first keyword or form outside the subset: type, enum, const, minimum,
  // maximum (integers), minLength, maxLength, pattern, properties, required,
  // additionalProperties, propertyNames, items (one schema), minItems,
  // maxItems, allOf, anyOf, oneOf, not, if/then/else, boolean schemas; and
  // the annotations $schema, $id, $comment, title, description, default,
  // examples, which do not validate.
  static std::unique_ptr<CompiledSchema> Compile(const nlohmann::json& schema,
                                                 std::string* unsupported);
  ~CompiledSchema();
  CompiledSchema(const CompiledSchema&) = delete;
  CompiledSchema& operator=(const CompiledSchema&) = delete;

  // True when `value` is valid against the schema. Thread-safe.
  bool Valid(const json::Value& value) const;

  struct Node;

 private:
  explicit CompiledSchema(std::unique_ptr<Node> root);
  std::unique_ptr<Node> root_;
};

}  // namespace cunzhang::domain::schema

#endif  // CUNZHANG_DOMAIN_SCHEMA_COMPILED_H_
