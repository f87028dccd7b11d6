// ID numbers (GB 11643), their salted commitments, and the local registry file.
#include "cunzhang/registry.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "test_util.h"

namespace cunzhang {
namespace {

constexpr const char* kValid = "11010519491231002X";

}  // namespace

TEST_CASE("a resident ID number with the right check character is accepted", "[registry]") {
  CHECK(*CheckIdNumber(kValid) == kValid);
  CHECK(*CheckIdNumber("11010519491231002x") == kValid);  // lower-case x read as X
  CHECK(CheckIdNumber("150402196503120026").ok());
}

TEST_CASE("ID numbers with a copying mistake are refused with the reason", "[registry]") {
  Result<std::string> wrong_check = CheckIdNumber("110105194912310021");
  REQUIRE_FALSE(wrong_check.ok());
  CHECK(wrong_check.status().en().find("expected X") != std::string::npos);
  CHECK(CheckIdNumber("110105194912310").status().en().find("15-digit") != std::string::npos);
  CHECK(CheckIdNumber("11010519491331002X").status().en().find("birth date") != std::string::npos);
  CHECK_FALSE(CheckIdNumber("1101051949123100").ok());
  CHECK_FALSE(CheckIdNumber("A1010519491231002X").ok());
  CHECK_FALSE(CheckIdNumber("11010519491231002Y").ok());
  CHECK(CheckIdNumber("").status().code() == Code::kInvalidInput);
}

TEST_CASE("the commitment is SHA-256 of the salt bytes then the number", "[registry]") {
  // printf '\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f11010519491231002X' |
  // sha256sum
  std::string salt;
  for (int i = 0; i < 16; ++i) salt.push_back(static_cast<char>(i));
  CHECK(IdCommitment(salt, kValid) ==
        "723fa13fae828ad4b30ce8a4ad1a1512fd94ecd62a553fea120aedb1f6138892");
  IdRecord record{
      .member_id = "M001", .id_number = kValid, .salt_hex = "000102030405060708090a0b0c0d0e0f"};
  CHECK(record.Commitment() == IdCommitment(salt, kValid));
}

TEST_CASE("a registry that was never written is empty", "[registry]") {
  testing::TempDir dir;
  auto registry = IdRegistry::Open(dir.path());
  REQUIRE(registry.ok());
  CHECK(registry->FindByIdNumber(kValid) == nullptr);
  CHECK(registry->Flush().ok());  // nothing to write
}

TEST_CASE("created records survive a flush, in a file only the owner can read", "[registry]") {
  testing::TempDir dir;
  std::string commitment;
  {
    auto registry = IdRegistry::Open(dir.path());
    REQUIRE(registry.ok());
    auto created = registry->Create("M001", kValid);
    REQUIRE(created.ok());
    CHECK(created->salt_hex.size() == 32);
    commitment = created->Commitment();
    CHECK(registry->FindByMember("M001") != nullptr);
    CHECK(registry->pending() == 1);
    REQUIRE(registry->Flush().ok());
    CHECK(registry->pending() == 0);
  }
  struct stat st {};
  REQUIRE(::stat((dir / kIdRegistryFile).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto reopened = IdRegistry::Open(dir.path());
  REQUIRE(reopened.ok());
  const IdRecord* record = reopened->FindByIdNumber(kValid);
  REQUIRE(record != nullptr);
  CHECK(record->member_id == "M001");
  CHECK(record->Commitment() == commitment);
}

TEST_CASE("two records of one number get different salts and the later one wins", "[registry]") {
  testing::TempDir dir;
  auto registry = IdRegistry::Open(dir.path());
  REQUIRE(registry.ok());
  auto first = registry->Create("M001", kValid);
  auto second = registry->Create("M009", kValid);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(first->salt_hex != second->salt_hex);
  CHECK(first->Commitment() != second->Commitment());
  REQUIRE(registry->Flush().ok());
  auto reopened = IdRegistry::Open(dir.path());
  REQUIRE(reopened.ok());
  CHECK(reopened->FindByIdNumber(kValid)->member_id == "M009");
  CHECK(testing::SplitLines(testing::ReadFile(dir / kIdRegistryFile)).size() == 2);
}

TEST_CASE("flushing appends and never rewrites earlier lines", "[registry]") {
  testing::TempDir dir;
  auto registry = IdRegistry::Open(dir.path());
  REQUIRE(registry.ok());
  REQUIRE(registry->Create("M001", kValid).ok());
  REQUIRE(registry->Flush().ok());
  const std::string before = testing::ReadFile(dir / kIdRegistryFile);
  REQUIRE(registry->Create("M002", "150402196503120026").ok());
  REQUIRE(registry->Flush().ok());
  const std::string after = testing::ReadFile(dir / kIdRegistryFile);
  CHECK(after.substr(0, before.size()) == before);
  CHECK(after.size() > before.size());
}

TEST_CASE("a damaged registry line is reported with its line number", "[registry]") {
  testing::TempDir dir;
  testing::WriteFile(dir / kIdRegistryFile,
                     "{\"id_number\":\"11010519491231002X\",\"member_id\":\"M001\",\"salt\":"
                     "\"000102030405060708090a0b0c0d0e0f\"}\n{\"id_number\":\"123\",\"member_id\":"
                     "\"M2\",\"salt\":\"00\"}\n");
  auto registry = IdRegistry::Open(dir.path());
  REQUIRE_FALSE(registry.ok());
  CHECK(registry.status().code() == Code::kCorruption);
  CHECK(registry.status().where().line == 2);
}

}  // namespace cunzhang
