// The sheet table and its documentation agree.
#include "sheets.h"

#include <catch2/catch.hpp>

#include "test_util.h"

namespace cunzhang::io::internal {

TEST_CASE("every sheet, header and alias of the import table is in docs/IMPORT.md", "[sheets]") {
  const std::string doc = testing::ReadFile(std::string(CUNZHANG_SOURCE_DIR) + "/docs/IMPORT.md");
  for (const SheetSpec& spec : AllSheets()) {
    INFO(spec.name);
    CHECK(doc.find(std::string("#### ") + spec.name + " → `" + spec.type + "`") !=
          std::string::npos);
    for (const ColumnSpec& c : spec.columns) {
      INFO(c.id);
      const bool money = c.kind == CellKind::kMoney;
      CHECK(doc.find(std::string("| ") + c.zh +
                     (money ? "（元） or " + std::string(c.zh) + "（分）" : "") + " |") !=
            std::string::npos);
      CHECK(doc.find(money ? std::string(c.id) + "_yuan or " + c.id + "_fen"
                           : std::string("| ") + c.id + " |") != std::string::npos);
      for (const Choice& choice : c.choices) {
        for (const char* name : choice.names) CHECK(doc.find(name) != std::string::npos);
      }
    }
  }
}

TEST_CASE("sheet names round-trip and every key column is a column of its sheet", "[sheets]") {
  for (const SheetSpec& spec : AllSheets()) {
    CHECK(SheetFromName(spec.name) == spec.sheet);
    CHECK(&SpecOf(spec.sheet) == &spec);
    for (const char* key : spec.key) {
      bool found = false;
      for (const ColumnSpec& c : spec.columns) found = found || std::string(c.id) == key;
      CHECK(found);
    }
  }
  CHECK_FALSE(SheetFromName("payroll").has_value());
}

}  // namespace cunzhang::io::internal
