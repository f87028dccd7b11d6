#include "request_check.h"

#include <string>

#include "cunzhang/json.h"
#include "cunzhang/limits.h"

namespace cunzhang::store {
namespace {

// What can be wrong with a body built in code: it can hold what the JSON
// parser never would (an integer beyond 2^53, invalid UTF-8, a duplicate key,
// nesting too deep), and the ledger must never hold bytes the verifier
// rejects. Found without building a Status per value, since the check runs
// on every value of every entry appended.
enum class JsonFault { kNone, kTooDeep, kIntegerRange, kNotUtf8, kKeyNotPrintable, kKeyRepeated };

// The first fault in `value` (the JSON subset of json.h). On a fault,
// `*path` is the path from `value` to what holds the fault, as ".key" and
// "[index]" steps (empty for `value` itself); it is built only on the way
// back from a fault. `depth` counts the entry itself as 1.
JsonFault FindJsonFault(const json::Value& value, size_t depth, std::string* path) {
  using Kind = json::Value::Kind;
  const bool container = value.kind() == Kind::kArray || value.kind() == Kind::kObject;
  if (container && depth > limits::kJsonDepthMax) return JsonFault::kTooDeep;
  switch (value.kind()) {
    case Kind::kInt:
      if (value.as_int() > limits::kJsonIntegerMax || value.as_int() < -limits::kJsonIntegerMax) {
        return JsonFault::kIntegerRange;
      }
      return JsonFault::kNone;
    case Kind::kString:
      return json::IsValidUtf8(value.as_string()) ? JsonFault::kNone : JsonFault::kNotUtf8;
    case Kind::kArray:
      for (size_t i = 0; i < value.items().size(); ++i) {
        const JsonFault fault = FindJsonFault(value.items()[i], depth + 1, path);
        if (fault == JsonFault::kNone) continue;
        path->insert(0, "[" + std::to_string(i) + "]");
        return fault;
      }
      return JsonFault::kNone;
    case Kind::kObject:
      for (size_t i = 0; i < value.members().size(); ++i) {
        const std::string& key = value.members()[i].first;
        for (char c : key) {
          if (c < 0x20 || c > 0x7E) return JsonFault::kKeyNotPrintable;
        }
        // Keys sorted and unique: the canonical order the bytes are written in.
        if (i > 0 && !(value.members()[i - 1].first < key)) {
          *path = "." + key;
          return JsonFault::kKeyRepeated;
        }
        const JsonFault fault = FindJsonFault(value.members()[i].second, depth + 1, path);
        if (fault == JsonFault::kNone) continue;
        path->insert(0, "." + key);
        return fault;
      }
      return JsonFault::kNone;
    case Kind::kNull:
    case Kind::kBool:
      return JsonFault::kNone;
  }
  return JsonFault::kNone;
}

Status JsonFaultError(JsonFault fault, std::string field) {
  std::string zh;
  std::string en;
  switch (fault) {
    case JsonFault::kNone:
      return Status::Ok();
    case JsonFault::kTooDeep:
      zh = "嵌套层数超过上限 " + std::to_string(limits::kJsonDepthMax);
      en = "nesting deeper than " + std::to_string(limits::kJsonDepthMax);
      break;
    case JsonFault::kIntegerRange:
      zh = "整数超出 ±(2^53−1)";
      en = "integer beyond ±(2^53 − 1)";
      break;
    case JsonFault::kNotUtf8:
      zh = "字符串不是有效的 UTF-8";
      en = "string is not valid UTF-8";
      break;
    case JsonFault::kKeyNotPrintable:
      zh = "对象的键只能用可打印的 ASCII 字符";
      en = "object keys must be printable ASCII";
      break;
    case JsonFault::kKeyRepeated:
      zh = "对象中有重复的键";
      en = "duplicate key in object";
      break;
  }
  return Status(Code::kInvalidInput, std::move(zh), std::move(en),
                Where{.field = std::move(field)});
}

}  // namespace

Status CheckRequest(const EntryRequest& request) {
  CZ_RETURN_IF_ERROR(CheckType(request.type));
  CZ_RETURN_IF_ERROR(CheckOperator(request.op));
  CZ_RETURN_IF_ERROR(CheckIdempotencyId(request.idempotency_id));
  if (!request.body.is_object()) {
    return Status(Code::kInvalidInput, "条目内容（body）必须是 JSON 对象",
                  "the body must be a JSON object", Where{.field = std::string(field::kBody)});
  }
  std::string path;
  const JsonFault fault = FindJsonFault(request.body, 2, &path);
  if (fault != JsonFault::kNone) return JsonFaultError(fault, std::string(field::kBody) + path);
  if (!request.time.empty()) CZ_RETURN_IF_ERROR(CheckTime(request.time));
  return Status::Ok();
}

}  // namespace cunzhang::store
