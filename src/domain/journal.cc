// books.journal: a general journal entry for the money events that are not
// contributions or share movements (income, expenses, cash to the bank). The
// lines must balance and use the organisation's chart. 301 股金/资本 is off
// limits: members' capital moves only through contributions and share
// entries, so that it always equals the share register.
#include <algorithm>

#include "books.h"
#include "internal.h"

namespace cunzhang::domain::internal {
namespace {

std::string LineField(size_t i, const char* key) {
  return "lines[" + std::to_string(i) + "]" + (key[0] == '\0' ? "" : std::string(".") + key);
}

int64_t IntIn(const json::Value& line, const char* key) {
  const json::Value* v = line.Find(key);
  return v != nullptr && v->is_int() ? v->as_int() : 0;
}

std::string StrIn(const json::Value& line, const char* key) {
  const json::Value* v = line.Find(key);
  return v != nullptr && v->is_string() ? v->as_string() : std::string();
}

Result<Posting> ReadLine(const State& state, const Entry& entry, size_t i,
                         const json::Value& line) {
  Posting p{.account = StrIn(line, "account"),
            .debit_fen = IntIn(line, "debit_fen"),
            .credit_fen = IntIn(line, "credit_fen"),
            .member_id = StrIn(line, "member_id")};
  if (p.account == books::kContributedCapital) {
    return Violation(entry, LineField(i, "account"),
                     "日记账不能记 301 科目：股金只能通过入股和股份条目变动",
                     "a journal cannot post to 301: members' capital moves only through "
                     "contribution and share entries");
  }
  if (!p.member_id.empty() && FindMember(state, p.member_id) == nullptr) {
    return Violation(entry, LineField(i, "member_id"), "没有编号为“" + p.member_id + "”的成员",
                     "no member with id \"" + p.member_id + "\"");
  }
  return p;
}

Status Journal(State* state, const Entry& entry) {
  CZ_RETURN_IF_ERROR(NeedOrg(*state, entry));
  CZ_RETURN_IF_ERROR(Date(entry, "date").status());
  CZ_RETURN_IF_ERROR(HasStr(entry, "memo"));
  const json::Value* lines = entry.body.Find("lines");
  if (lines == nullptr || !lines->is_array() || lines->items().size() < 2) {
    return Violation(entry, "lines", "至少需要两行分录", "at least two lines are needed");
  }
  std::vector<Posting> postings;
  postings.reserve(lines->items().size());
  for (size_t i = 0; i < lines->items().size(); ++i) {
    CZ_ASSIGN_OR_RETURN(Posting p, ReadLine(*state, entry, i, lines->items()[i]));
    postings.push_back(std::move(p));
  }
  CZ_RETURN_IF_ERROR(books::CheckPostings(*state, entry, "lines", postings));
  books::Post(state, postings);
  return Status::Ok();
}

void LineMembers(const json::Value& body, MemberIds* out) {
  const json::Value* lines = body.Find("lines");
  if (lines == nullptr || !lines->is_array()) return;
  for (const json::Value& line : lines->items()) {
    const json::Value* id = line.Find("member_id");
    if (id == nullptr || !id->is_string() || id->as_string().empty()) continue;
    AddMemberOnce(id->as_string(), out);
  }
}

}  // namespace

std::vector<TypeSpec> BookTypes() { return {{"books.journal", Journal, LineMembers}}; }

}  // namespace cunzhang::domain::internal
