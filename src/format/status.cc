#include "cunzhang/status.h"

namespace cunzhang {

const char* CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalidInput: return "invalid_input";
    case Code::kRuleViolation: return "rule_violation";
    case Code::kNotFound: return "not_found";
    case Code::kConflict: return "conflict";
    case Code::kBusy: return "busy";
    case Code::kCorruption: return "corruption";
    case Code::kIo: return "io";
    case Code::kInternal: return "internal";
  }
  return "unknown";
}

std::string Where::ToString() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += ":" + std::to_string(line);
      if (column > 0) out += ":" + std::to_string(column);
    }
  } else if (line > 0) {
    out += "line " + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  if (entry >= 0) {
    if (!out.empty()) out += ", ";
    out += "entry " + std::to_string(entry);
  }
  if (!field.empty()) {
    if (!out.empty()) out += ", ";
    out += "field " + field;
  }
  return out;
}

std::string Where::ToStringZh() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += ":" + std::to_string(line);
      if (column > 0) out += ":" + std::to_string(column);
    }
  } else if (line > 0) {
    out += "第 " + std::to_string(line) + " 行";
    if (column > 0) out += "第 " + std::to_string(column) + " 列";
  }
  if (entry >= 0) {
    if (!out.empty()) out += "，";
    out += "第 " + std::to_string(entry) + " 条";
  }
  if (!field.empty()) {
    if (!out.empty()) out += "，";
    out += "字段 " + field;
  }
  return out;
}

Status& Status::AddContext(const Where& outer) & {
  if (where_.file.empty()) where_.file = outer.file;
  if (where_.line == 0) where_.line = outer.line;
  if (where_.column == 0) where_.column = outer.column;
  if (where_.entry < 0) where_.entry = outer.entry;
  if (!outer.field.empty()) {
    if (where_.field.empty()) {
      where_.field = outer.field;
    } else if (where_.field[0] == '[') {
      where_.field = outer.field + where_.field;
    } else {
      where_.field = outer.field + "." + where_.field;
    }
  }
  return *this;
}

Status&& Status::AddContext(const Where& outer) && {
  AddContext(outer);
  return std::move(*this);
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out = where_.ToString();
  if (!out.empty()) out += ": ";
  out += zh_;
  out += " / ";
  out += en_;
  return out;
}

}  // namespace cunzhang
