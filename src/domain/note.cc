// note: a remark the accountant attaches to the ledger (a memo, a scanned
// voucher's reference). It changes no balance.
#include "internal.h"

namespace cunzhang::domain::internal {
namespace {

Status Note(State*, const Entry&) { return Status::Ok(); }

}  // namespace

std::vector<TypeSpec> NoteTypes() { return {{"note", Note, nullptr}}; }

}  // namespace cunzhang::domain::internal
