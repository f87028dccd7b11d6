#include "cunzhang/entry.h"

#include <charconv>

#include "cunzhang/limits.h"

namespace cunzhang {
namespace {

Status FieldError(std::string field, std::string zh, std::string en) {
  return Status(Code::kInvalidInput, std::move(zh), std::move(en), Where{.field = std::move(field)});
}

// A field of the wrong JSON type: what it should be and what it is.
Status WrongKind(std::string field, json::Value::Kind want, json::Value::Kind found) {
  return FieldError(
      std::move(field),
      std::string("类型应为 ") + json::KindName(want) + "，实为 " + json::KindName(found),
      std::string("must be of type ") + json::KindName(want) + ", found " + json::KindName(found));
}

bool HasControl(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  }
  return false;
}

Status CheckText(std::string_view field, std::string_view value, size_t bytes_max) {
  if (value.empty()) return FieldError(std::string(field), "不能为空", "must not be empty");
  if (value.size() > bytes_max) {
    return FieldError(std::string(field), "超过 " + std::to_string(bytes_max) + " 字节",
                      "longer than " + std::to_string(bytes_max) + " bytes");
  }
  if (HasControl(value) || !json::IsValidUtf8(value)) {
    return FieldError(std::string(field), "含控制字符或无效 UTF-8",
                      "contains a control character or invalid UTF-8");
  }
  return Status::Ok();
}

bool IsTypeWordChar(char c, bool first) {
  if (c >= 'a' && c <= 'z') return true;
  return !first && ((c >= '0' && c <= '9') || c == '_');
}

// Looks up a member that must be present with the given kind.
Result<const json::Value*> Need(const json::Value& obj, std::string_view key, json::Value::Kind kind) {
  const json::Value* v = obj.Find(key);
  if (v == nullptr) {
    return FieldError(std::string(key), "缺少必填字段", "required field is missing");
  }
  if (v->kind() != kind) {
    return WrongKind(std::string(key), kind, v->kind());
  }
  return v;
}

Status OnlyKnownMembers(const json::Value& obj, std::initializer_list<std::string_view> known,
                        std::string_view prefix) {
  for (const json::Member& m : obj.members()) {
    bool found = false;
    for (std::string_view k : known) found = found || m.first == k;
    if (!found) {
      std::string field = prefix.empty() ? m.first : std::string(prefix) + "." + m.first;
      return FieldError(field, "未知字段", "unknown field");
    }
  }
  return Status::Ok();
}

Result<Operator> OperatorFromJson(const json::Value& v) {
  if (!v.is_object()) {
    return FieldError("operator", "应为对象 {\"name\",\"role\"}", "must be an object {\"name\", \"role\"}");
  }
  CZ_RETURN_IF_ERROR(OnlyKnownMembers(v, {"name", "role"}, "operator"));
  Operator op;
  for (auto [key, dest] : {std::pair{"name", &op.name}, std::pair{"role", &op.role}}) {
    auto r = Need(v, key, json::Value::Kind::kString);
    if (!r.ok()) return std::move(r).status().AddContext(Where{.field = "operator"});
    *dest = (*r)->as_string();
  }
  CZ_RETURN_IF_ERROR(CheckOperator(op));
  return op;
}

}  // namespace

Status CheckOrigin(std::string_view origin) {
  if (origin.empty() || origin.size() > limits::kOriginBytesMax) {
    return FieldError("origin", "账本名须为 1 到 " + std::to_string(limits::kOriginBytesMax) + " 字节",
                      "origin must be 1 to " + std::to_string(limits::kOriginBytesMax) + " bytes");
  }
  for (char c : origin) {
    if (c <= 0x20 || c >= 0x7F || c == '+') {
      return FieldError("origin", "账本名只能用可打印 ASCII 字符，不含空格和加号（例：cunzhang.example/daxinjing）",
                        "origin must be printable ASCII without spaces or '+' "
                        "(e.g. cunzhang.example/daxinjing)");
    }
  }
  return Status::Ok();
}

Status CheckType(std::string_view type) {
  bool ok = !type.empty() && type.size() <= limits::kTypeBytesMax;
  bool word_start = true;
  for (size_t i = 0; ok && i < type.size(); ++i) {
    if (type[i] == '.' && !word_start) {
      word_start = true;
    } else {
      ok = IsTypeWordChar(type[i], word_start);
      word_start = false;
    }
  }
  if (!ok || word_start) {
    return FieldError("type", "条目类型须为小写点分名称（如 member.join），不超过 64 字节",
                      "type must be a lower-case dotted name such as member.join, at most 64 bytes");
  }
  return Status::Ok();
}

Status CheckIdempotencyId(std::string_view id) {
  return CheckText("idempotency_id", id, limits::kIdempotencyIdBytesMax);
}

Status CheckOperator(const Operator& op) {
  CZ_RETURN_IF_ERROR(CheckText("operator.name", op.name, limits::kOperatorNameBytesMax));
  for (std::string_view role : kOperatorRoles) {
    if (op.role == role) return Status::Ok();
  }
  return FieldError("operator.role", "角色须为 accountant、auditor、clerk、admin 或 system 之一",
                    "role must be one of accountant, auditor, clerk, admin, system");
}

Result<EntryRequest> RequestFromJson(const json::Value& value, const Where& where) {
  auto fail = [&](Status s) { return std::move(s).AddContext(where); };
  if (!value.is_object()) {
    return fail(Status(Code::kInvalidInput, "每个条目应为 JSON 对象", "each entry must be a JSON object"));
  }
  Status known = OnlyKnownMembers(value, {"type", "operator", "idempotency_id", "body", "time"}, "");
  if (!known.ok()) return fail(known);
  EntryRequest req;
  auto type = Need(value, field::kType, json::Value::Kind::kString);
  if (!type.ok()) return fail(type.status());
  req.type = (*type)->as_string();
  Status s = CheckType(req.type);
  if (!s.ok()) return fail(s);
  auto id = Need(value, field::kIdempotencyId, json::Value::Kind::kString);
  if (!id.ok()) return fail(id.status());
  req.idempotency_id = (*id)->as_string();
  if (s = CheckIdempotencyId(req.idempotency_id); !s.ok()) return fail(s);
  if (const json::Value* op = value.Find(field::kOperator); op != nullptr) {
    auto parsed = OperatorFromJson(*op);
    if (!parsed.ok()) return fail(parsed.status());
    req.op = *parsed;
  }
  auto body = Need(value, field::kBody, json::Value::Kind::kObject);
  if (!body.ok()) return fail(body.status());
  req.body = **body;
  if (const json::Value* t = value.Find(field::kTime); t != nullptr) {
    if (!t->is_string()) return fail(WrongKind("time", json::Value::Kind::kString, t->kind()));
    req.time = t->as_string();
    if (s = CheckTime(req.time); !s.ok()) return fail(s);
  }
  return req;
}

std::string EncodeEntry(const Entry& e) {
  std::string out;
  AppendEntryHead(e, &out);
  AppendEntryTail(e, &out);
  return out;
}

void AppendEntryHead(const Entry& e, std::string* out) {
  out->append("{\"body\":");
  json::AppendCanonical(e.body, out);
  out->append(",\"idempotency_id\":");
  json::AppendCanonicalString(e.idempotency_id, out);
  out->append(",\"operator\":{\"name\":");
  json::AppendCanonicalString(e.op.name, out);
  out->append(",\"role\":");
  json::AppendCanonicalString(e.op.role, out);
  out->append("},\"origin\":");
  json::AppendCanonicalString(e.origin, out);
  out->append(",\"prev\":\"");
}

void AppendEntryTail(const Entry& e, std::string* out) {
  AppendEntryLink(e, out);
  AppendEntryEnd(e, out);
}

void AppendEntryLink(const Entry& e, std::string* out) {
  AppendHex(e.prev.view(), out);
  out->append("\",\"seq\":");
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, e.seq);
  out->append(buf, static_cast<size_t>(end - buf));
}

void AppendEntryEnd(const Entry& e, std::string* out) {
  out->append(",\"time\":");
  json::AppendCanonicalString(e.time, out);
  out->append(",\"type\":");
  json::AppendCanonicalString(e.type, out);
  out->append(",\"v\":");
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, e.version);
  out->append(buf, static_cast<size_t>(end - buf));
  out->push_back('}');
}

json::Value EntryToJson(const Entry& e) {
  return json::Value::Object({
      {"body", e.body},
      {"idempotency_id", json::Value::String(e.idempotency_id)},
      {"operator", json::Value::Object({{"name", json::Value::String(e.op.name)},
                                        {"role", json::Value::String(e.op.role)}})},
      {"origin", json::Value::String(e.origin)},
      {"prev", json::Value::String(e.prev.Hex())},
      {"seq", json::Value::Int(static_cast<int64_t>(e.seq))},
      {"time", json::Value::String(e.time)},
      {"type", json::Value::String(e.type)},
      {"v", json::Value::Int(e.version)},
  });
}

namespace {

// Moves the string member `key` out of an envelope member, or fails naming it.
Status TakeString(json::Member& m, std::string* out) {
  if (!m.second.is_string()) {
    return WrongKind(m.first, json::Value::Kind::kString, m.second.kind());
  }
  *out = std::move(*m.second.mutable_string());
  return Status::Ok();
}

Status TakeInt(const json::Member& m, int64_t* out) {
  if (!m.second.is_int()) {
    return WrongKind(m.first, json::Value::Kind::kInt, m.second.kind());
  }
  *out = m.second.as_int();
  return Status::Ok();
}

}  // namespace

Result<Entry> EntryFromJson(json::Value value) {
  if (!value.is_object()) {
    return Status(Code::kInvalidInput, "条目应为 JSON 对象", "an entry must be a JSON object");
  }
  // One pass over the (sorted) members, moving each field out.
  Entry e;
  std::string prev_hex;
  int64_t seq = -1;
  unsigned seen = 0;
  static constexpr std::string_view kFields[] = {field::kBody, field::kIdempotencyId, field::kOperator,
                                                 field::kOrigin, field::kPrev, field::kSeq,
                                                 field::kTime, field::kType, field::kVersion};
  for (json::Member& m : *value.mutable_members()) {
    Status s;
    if (m.first == field::kBody) {
      if (!m.second.is_object())
        return WrongKind("body", json::Value::Kind::kObject, m.second.kind());
      e.body = std::move(m.second);
      seen |= 1u << 0;
    } else if (m.first == field::kIdempotencyId) {
      s = TakeString(m, &e.idempotency_id);
      seen |= 1u << 1;
    } else if (m.first == field::kOperator) {
      CZ_ASSIGN_OR_RETURN(e.op, OperatorFromJson(m.second));
      seen |= 1u << 2;
    } else if (m.first == field::kOrigin) {
      s = TakeString(m, &e.origin);
      seen |= 1u << 3;
    } else if (m.first == field::kPrev) {
      s = TakeString(m, &prev_hex);
      seen |= 1u << 4;
    } else if (m.first == field::kSeq) {
      s = TakeInt(m, &seq);
      seen |= 1u << 5;
    } else if (m.first == field::kTime) {
      s = TakeString(m, &e.time);
      seen |= 1u << 6;
    } else if (m.first == field::kType) {
      s = TakeString(m, &e.type);
      seen |= 1u << 7;
    } else if (m.first == field::kVersion) {
      s = TakeInt(m, &e.version);
      seen |= 1u << 8;
    } else {
      return FieldError(m.first, "未知字段", "unknown field");
    }
    if (!s.ok()) return s;
  }
  for (unsigned i = 0; i < std::size(kFields); ++i) {
    if ((seen & (1u << i)) == 0) {
      return FieldError(std::string(kFields[i]), "缺少必填字段", "required field is missing");
    }
  }
  if (e.version != limits::kFormatVersion) {
    return FieldError("v", "不支持的格式版本 " + std::to_string(e.version),
                      "unsupported format version " + std::to_string(e.version) + " (this build reads " +
                          std::to_string(limits::kFormatVersion) + ")");
  }
  if (seq < 0) return FieldError("seq", "序号不能为负", "seq must not be negative");
  e.seq = static_cast<uint64_t>(seq);
  CZ_RETURN_IF_ERROR(CheckOrigin(e.origin));
  CZ_RETURN_IF_ERROR(CheckTime(e.time));
  CZ_RETURN_IF_ERROR(CheckType(e.type));
  CZ_RETURN_IF_ERROR(CheckIdempotencyId(e.idempotency_id));
  auto prev_hash = Hash256::FromHex(prev_hex);
  if (!prev_hash) {
    return FieldError("prev", "应为 64 位小写十六进制哈希", "must be 64 lower-case hex digits");
  }
  e.prev = *prev_hash;
  return e;
}

std::optional<std::string_view> RequestDifference(const Entry& entry, const EntryRequest& request) {
  if (entry.type != request.type) return field::kType;
  if (!(entry.op == request.op)) return field::kOperator;
  if (entry.idempotency_id != request.idempotency_id) return field::kIdempotencyId;
  if (!(entry.body == request.body)) return field::kBody;
  if (!request.time.empty() && entry.time != request.time) return field::kTime;
  return std::nullopt;
}

}  // namespace cunzhang
