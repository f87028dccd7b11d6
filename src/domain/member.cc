// member.join and member.status. A member joins as a person, a household or a
// unit; a person's or household head's national ID number appears only as a
// salted SHA-256 commitment. Status changes name the resolution that decided them.
#include "internal.h"

namespace cunzhang::domain::internal {
namespace {

bool IsHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status Join(State* state, const Entry& entry) {
  CZ_RETURN_IF_ERROR(NeedOrg(*state, entry));
  Member m;
  CZ_ASSIGN_OR_RETURN(m.id, Str(entry, "member_id"));
  if (state->members.count(m.id) != 0) {
    return Violation(entry, "member_id", "成员编号“" + m.id + "”已存在", "member id \"" + m.id + "\" already exists");
  }
  CZ_ASSIGN_OR_RETURN(m.kind, Str(entry, "kind"));
  CZ_ASSIGN_OR_RETURN(m.name, Str(entry, "name"));
  CZ_ASSIGN_OR_RETURN(m.joined, Date(entry, "date"));
  m.household = StrOr(entry, "household", "");
  m.id_commitment = StrOr(entry, "id_commitment", "");
  if (m.kind != "unit" && !IsHex64(m.id_commitment)) {
    return Violation(entry, "id_commitment", "个人或农户成员须有身份证号的加盐哈希承诺（64 位十六进制）",
                     "a person or household member needs the salted hash commitment of the ID number "
                     "(64 hex digits)");
  }
  if (!m.id_commitment.empty() && state->id_commitments.count(m.id_commitment) != 0) {
    return Violation(entry, "id_commitment", "同一身份证号已作为成员登记", "this ID number is already a member");
  }
  m.join_seq = entry.seq;
  if (!m.id_commitment.empty()) state->id_commitments.insert(m.id_commitment);
  state->members[m.id] = std::move(m);
  return Status::Ok();
}

Status ChangeStatus(State* state, const Entry& entry) {
  CZ_RETURN_IF_ERROR(NeedOrg(*state, entry));
  CZ_ASSIGN_OR_RETURN(std::string id, Str(entry, "member_id"));
  CZ_ASSIGN_OR_RETURN(std::string status, Str(entry, "status"));
  CZ_ASSIGN_OR_RETURN(std::string date, Date(entry, "date"));
  CZ_ASSIGN_OR_RETURN(std::string resolution, Str(entry, "resolution_id"));
  auto it = state->members.find(id);
  if (it == state->members.end()) {
    return Violation(entry, "member_id", "没有编号为“" + id + "”的成员", "no member with id \"" + id + "\"");
  }
  Member& m = it->second;
  if (m.status == "exited" || m.status == "deceased") {
    return Violation(entry, "member_id", "成员“" + id + "”已" + (m.status == "exited" ? "退社" : "去世"),
                     "member \"" + id + "\" is already " + m.status);
  }
  if (status == m.status) {
    return Violation(entry, "status", "状态没有变化", "the status does not change");
  }
  if ((status == "exited" || status == "deceased") && m.total_share_units() != 0) {
    return Violation(entry, "status", "成员仍持有股份：须先办理退股（share.exit）或继承（share.inherit）",
                     "the member still holds shares: record share.exit or share.inherit first");
  }
  CZ_RETURN_IF_ERROR(AdoptedResolution(*state, entry, "resolution_id", resolution, date));
  m.status = status;
  return Status::Ok();
}

void MemberOf(const json::Value& body, MemberIds* out) { MembersAt(body, {"member_id"}, out); }

}  // namespace

std::vector<TypeSpec> MemberTypes() {
  return {{"member.join", Join, MemberOf}, {"member.status", ChangeStatus, MemberOf}};
}

}  // namespace cunzhang::domain::internal
