#include <algorithm>
#include <cstring>

#include "cunzhang/json.h"

namespace cunzhang::json {

Value Value::Bool(bool b) {
  Value v;
  v.kind_ = Kind::kBool;
  v.int_ = b ? 1 : 0;
  return v;
}

Value Value::Int(int64_t i) {
  Value v;
  v.kind_ = Kind::kInt;
  v.int_ = i;
  return v;
}

Value Value::String(std::string s) {
  Value v;
  v.kind_ = Kind::kString;
  v.str_ = std::move(s);
  return v;
}

Value Value::Array(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::kArray;
  v.items_ = std::move(items);
  return v;
}

Value Value::Object(std::vector<Member> members) {
  Value v;
  v.kind_ = Kind::kObject;
  v.members_ = std::move(members);
  std::sort(v.members_.begin(), v.members_.end(),
            [](const Member& a, const Member& b) { return a.first < b.first; });
  return v;
}

const Value* Value::Find(std::string_view key) const {
  if (kind_ != Kind::kObject) return nullptr;
  // The rules look up a dozen keys in small objects, most of them present:
  // comparing lengths first finds a key with about one memcmp, where a
  // binary search orders strings at every step.
  constexpr size_t kLinearMembersMax = 16;
  if (members_.size() <= kLinearMembersMax) {
    for (const Member& m : members_) {
      if (m.first.size() == key.size() &&
          (key.empty() || std::memcmp(m.first.data(), key.data(), key.size()) == 0)) {
        return &m.second;
      }
    }
    return nullptr;
  }
  auto it = std::lower_bound(members_.begin(), members_.end(), key,
                             [](const Member& m, std::string_view k) { return m.first < k; });
  if (it == members_.end() || it->first != key) return nullptr;
  return &it->second;
}

void Value::Set(std::string key, Value value) {
  auto it = std::lower_bound(members_.begin(), members_.end(), key,
                             [](const Member& m, const std::string& k) { return m.first < k; });
  if (it != members_.end() && it->first == key) {
    it->second = std::move(value);
  } else {
    members_.emplace(it, std::move(key), std::move(value));
  }
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case Value::Kind::kNull: return true;
    case Value::Kind::kBool:
    case Value::Kind::kInt: return a.int_ == b.int_;
    case Value::Kind::kString: return a.str_ == b.str_;
    case Value::Kind::kArray: return a.items_ == b.items_;
    case Value::Kind::kObject: return a.members_ == b.members_;
  }
  return false;
}

const char* KindName(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kNull: return "null";
    case Value::Kind::kBool: return "boolean";
    case Value::Kind::kInt: return "integer";
    case Value::Kind::kString: return "string";
    case Value::Kind::kArray: return "array";
    case Value::Kind::kObject: return "object";
  }
  return "?";
}

}  // namespace cunzhang::json
