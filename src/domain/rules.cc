#include "cunzhang/domain.h"

namespace cunzhang::domain {

// The generic ledger of this release accepts any well-formed entry type with
// an object body; typed entries with their own rules extend this dispatch.
Status Apply(State* state, const Entry& entry) {
  if (entry.seq != state->entries) {
    return Status(Code::kInternal, "规则引擎收到的条目序号与状态不符",
                  "rules applied out of order: entry " + std::to_string(entry.seq) +
                      " after " + std::to_string(state->entries) + " entries",
                  Where{.entry = static_cast<int64_t>(entry.seq)});
  }
  if (!entry.body.is_object()) {
    return Status(Code::kRuleViolation, "条目内容（body）必须是 JSON 对象",
                  "the body must be a JSON object",
                  Where{.field = "body", .entry = static_cast<int64_t>(entry.seq)});
  }
  ++state->type_counts[entry.type];
  ++state->entries;
  return Status::Ok();
}

}  // namespace cunzhang::domain
