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

const Status::Detail& Status::detail() const {
  static const Detail kNone;
  return detail_ ? *detail_ : kNone;
}

Status::Detail& Status::mutable_detail() {
  if (!detail_) detail_ = std::make_unique<Detail>();
  return *detail_;
}

Status& Status::AddContext(const Where& outer) & {
  if (ok()) return *this;
  Where& w = mutable_detail().where;
  if (w.file.empty()) w.file = outer.file;
  if (w.line == 0) w.line = outer.line;
  if (w.column == 0) w.column = outer.column;
  if (w.entry < 0) w.entry = outer.entry;
  if (!outer.field.empty()) {
    if (w.field.empty()) {
      w.field = outer.field;
    } else if (w.field[0] == '[') {
      w.field = outer.field + w.field;
    } else {
      w.field = outer.field + "." + w.field;
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
  std::string out = where().ToString();
  if (!out.empty()) out += ": ";
  out += zh();
  out += " / ";
  out += en();
  return out;
}

}  // namespace cunzhang
