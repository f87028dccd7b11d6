// The local ID registry: the clear national ID numbers of members, kept beside
// the ledger and never in an entry or an export. The ledger holds only each
// number's salted commitment, hex SHA-256(salt || ID number), so the service
// counter can find a villager by the number on their card while the ledger,
// once exported, reveals no number.
//
// On disk: <ledger>/id-registry.jsonl, mode 0600, one canonical JSON object a
// line, {"id_number","member_id","salt"} (salt: 16 random bytes as 32 hex
// digits), appended to and never rewritten. A later line for the same ID number
// or member id supersedes an earlier one.
#ifndef CUNZHANG_REGISTRY_H_
#define CUNZHANG_REGISTRY_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cunzhang/status.h"

namespace cunzhang {

inline constexpr const char* kIdRegistryFile = "id-registry.jsonl";
inline constexpr size_t kIdSaltBytes = 16;

// Checks a resident ID number (GB 11643-1999): 18 characters, 17 digits and a
// check character (a digit or X) that matches the weighted sum mod 11, and a
// real birth date in characters 7 to 14. Returns it upper-cased ("x" -> "X").
// kInvalidInput otherwise, saying what is wrong.
Result<std::string> CheckIdNumber(std::string_view text);

// hex SHA-256(salt bytes || ID number as ASCII).
std::string IdCommitment(std::string_view salt_bytes, std::string_view id_number);

struct IdRecord {
  std::string member_id;
  std::string id_number;
  std::string salt_hex;  // 32 lowercase hex digits
  std::string Commitment() const;
};

class IdRegistry {
 public:
  // Reads <ledger_dir>/id-registry.jsonl; an absent file is an empty registry.
  // kCorruption naming the line when a line is not a well-formed record.
  static Result<IdRegistry> Open(const std::string& ledger_dir);

  // The latest record, or nullptr.
  const IdRecord* FindByIdNumber(std::string_view id_number) const;
  const IdRecord* FindByMember(std::string_view member_id) const;

  // Adds a record with a fresh random salt, held in memory until Flush.
  // REQUIRES: id_number passed CheckIdNumber.
  Result<IdRecord> Create(const std::string& member_id, const std::string& id_number);

  // Appends the records created since opening, synced, and leaves the file at
  // mode 0600. Nothing to do when none were created.
  Status Flush();
  size_t pending() const { return pending_.size(); }

 private:
  explicit IdRegistry(std::string path) : path_(std::move(path)) {}
  void Index(const IdRecord& record);

  std::string path_;
  std::vector<IdRecord> records_;
  std::vector<IdRecord> pending_;
  std::map<std::string, size_t, std::less<>> by_id_number_;  // index into records_
  std::map<std::string, size_t, std::less<>> by_member_;
};

}  // namespace cunzhang

#endif  // CUNZHANG_REGISTRY_H_
