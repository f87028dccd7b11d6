// Members sheet: clear ID numbers in, salted commitments out. The clear number
// goes only to the local registry; the request carries the commitment.
#include "cunzhang/import.h"
#include "sheets.h"

namespace cunzhang::io {
namespace {

const domain::Member* MemberWithCommitment(const domain::State& state,
                                           const std::string& commitment) {
  if (state.id_commitments.count(commitment) == 0) return nullptr;
  for (const auto& [id, member] : state.members) {
    if (member.id_commitment == commitment) return &member;
  }
  return nullptr;
}

// The commitment for one row, or an error saying why the number cannot be used.
Result<std::string> CommitmentFor(const ImportRow& row, IdRegistry* registry,
                                  const domain::State& state) {
  const IdRecord* record = registry->FindByIdNumber(row.id_number);
  auto joined = state.members.find(row.member_id);
  if (joined != state.members.end()) {
    // Already on the ledger: the number must be the one it joined with.
    if (record == nullptr || record->Commitment() != joined->second.id_commitment) {
      return Status(
          Code::kInvalidInput, "成员“" + row.member_id + "”已在账本上，登记的是另一个身份证号",
          "member \"" + row.member_id + "\" is already on the ledger with a different ID number");
    }
    return joined->second.id_commitment;
  }
  if (record == nullptr) {
    CZ_ASSIGN_OR_RETURN(IdRecord created, registry->Create(row.member_id, row.id_number));
    return created.Commitment();
  }
  const domain::Member* holder = MemberWithCommitment(state, record->Commitment());
  if (holder != nullptr) {
    return Status(
        Code::kInvalidInput, "这个身份证号已属于成员“" + holder->id + "”（" + holder->name + "）",
        "this ID number already belongs to member \"" + holder->id + "\" (" + holder->name + ")");
  }
  if (record->member_id == row.member_id) return record->Commitment();
  // A record left by an import that did not go through, under another member
  // id: bind the number to this member afresh.
  CZ_ASSIGN_OR_RETURN(IdRecord created, registry->Create(row.member_id, row.id_number));
  return created.Commitment();
}

}  // namespace

void ResolveIdentities(ImportPlan* plan, IdRegistry* registry, const domain::State& state) {
  const internal::SheetSpec& spec = internal::SpecOf(plan->sheet);
  const char* header = "身份证号";
  for (const internal::ColumnSpec& c : spec.columns) {
    if (c.kind == internal::CellKind::kIdNumber) header = c.zh;
  }
  auto column = plan->field_columns.find("body.id_commitment");
  std::map<std::string, int64_t> seen;  // ID number -> line
  for (ImportRow& row : plan->rows) {
    if (row.id_number.empty()) continue;
    Where where{.file = plan->file,
                .line = row.line,
                .column = column == plan->field_columns.end() ? 0 : column->second,
                .field = header};
    auto [it, fresh] = seen.emplace(row.id_number, row.line);
    if (!fresh) {
      plan->errors.push_back(
          Status(Code::kInvalidInput, "与第 " + std::to_string(it->second) + " 行的身份证号相同",
                 "the same ID number as line " + std::to_string(it->second), where));
      continue;
    }
    Result<std::string> commitment = CommitmentFor(row, registry, state);
    if (!commitment.ok()) {
      Status s = commitment.status();
      plan->errors.push_back(Status(s.code(), s.zh(), s.en(), where));
      continue;
    }
    row.request.body.Set("id_commitment", json::Value::String(*commitment));
  }
}

}  // namespace cunzhang::io
