// For end-to-end tests: does a document the tools wrote conform to its
// published schema (schemas/<name>)? valijson, draft 7.
#ifndef CUNZHANG_TESTS_SCHEMA_CHECK_H_
#define CUNZHANG_TESTS_SCHEMA_CHECK_H_

#include <nlohmann/json.hpp>
#include <string>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "test_util.h"

namespace cunzhang::testing {

// True when `doc` conforms to the schema `schema_doc`; else `*errors` lists
// why, each with the path of the value at fault.
inline bool ConformsToSchemaDoc(const nlohmann::json& schema_doc, const nlohmann::json& doc,
                                std::string* errors) {
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(doc);
  const bool ok = validator.validate(schema, target, &results);
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    for (const std::string& c : error.context) *errors += c;
    *errors += ": " + error.description + "\n";
  }
  return ok;
}

// The same for the published schema schemas/`schema_name`.
inline bool ConformsToSchema(const std::string& schema_name, const nlohmann::json& doc,
                             std::string* errors) {
  return ConformsToSchemaDoc(nlohmann::json::parse(ReadFile(std::string(CUNZHANG_SOURCE_DIR) +
                                                            "/schemas/" + schema_name)),
                             doc, errors);
}

// "" when `doc` conforms to schemas/`schema_name`; else the document and
// why not, for a failure message: CHECK(SchemaErrors(...) == "").
inline std::string SchemaErrors(const std::string& schema_name, const nlohmann::json& doc) {
  std::string errors;
  if (ConformsToSchema(schema_name, doc, &errors)) return "";
  return schema_name + " rejects " + doc.dump() + ":\n" + errors;
}

}  // namespace cunzhang::testing

#endif  // CUNZHANG_TESTS_SCHEMA_CHECK_H_
