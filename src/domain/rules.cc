#include "cunzhang/domain.h"

namespace cunzhang::domain {

// The generic ledger of this release accepts any well-formed entry type; the
// envelope already guarantees an object body. Typed entries with their own
// rules extend this dispatch (and NeedsBody, when they read the body).
Status Apply(State* state, const Entry& entry) {
  if (entry.seq != state->entries) {
    return Status(Code::kInternal, "规则引擎收到的条目序号与状态不符",
                  "rules applied out of order: entry " + std::to_string(entry.seq) +
                      " after " + std::to_string(state->entries) + " entries",
                  Where{.entry = static_cast<int64_t>(entry.seq)});
  }
  ++state->type_counts[entry.type];
  ++state->entries;
  return Status::Ok();
}

bool NeedsBody(std::string_view /*type*/) { return false; }

}  // namespace cunzhang::domain
