// Errors as values. Every failure carries a code, a message in Chinese and in
// English that a person can act on, and where it happened (file, line, column,
// field path, entry number). Bad input never aborts the process.
#ifndef CUNZHANG_STATUS_H_
#define CUNZHANG_STATUS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace cunzhang {

enum class Code {
  kOk = 0,
  kInvalidInput,   // the caller's input is malformed or breaks a limit
  kRuleViolation,  // well-formed, but the ledger's rules forbid it
  kNotFound,       // a ledger, entry or file that does not exist
  kConflict,       // same idempotency id, different content; ledger exists
  kBusy,           // another writer holds the ledger
  kCorruption,     // stored or exported bytes are not what they must be
  kIo,             // the operating system or storage engine failed
  kInternal,       // a bug: an invariant did not hold
};

// A short stable name for a code ("invalid_input", ...), used in JSON reports.
const char* CodeName(Code code);

// Where a problem was found. Unset parts are omitted when printed.
struct Where {
  std::string file;
  int64_t line = 0;    // 1-based; 0 = unknown
  int64_t column = 0;  // 1-based, in characters; 0 = unknown
  std::string field;   // a path such as "body.members[2].name"
  int64_t entry = -1;  // entry sequence number; -1 = unknown

  // "file:line:column, entry 7, field body.x" with the parts that are set.
  std::string ToString() const;
  // The same in Chinese: "file:line:column，第 7 条，字段 body.x".
  std::string ToStringZh() const;
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string zh, std::string en, Where where = {})
      : code_(code),
        detail_(std::make_unique<Detail>(Detail{std::move(zh), std::move(en), std::move(where)})) {}

  // An OK status is a code and a null pointer: made, moved and dropped in a
  // few instructions, since the rules make and check many for each entry.
  // The words and the place of an error live on the heap.
  Status(const Status& other)
      : code_(other.code_),
        detail_(other.detail_ ? std::make_unique<Detail>(*other.detail_) : nullptr) {}
  Status(Status&& other) noexcept
      : code_(std::exchange(other.code_, Code::kOk)), detail_(std::move(other.detail_)) {}
  Status& operator=(const Status& other) {
    if (this != &other) *this = Status(other);
    return *this;
  }
  Status& operator=(Status&& other) noexcept {
    code_ = std::exchange(other.code_, Code::kOk);
    detail_ = std::move(other.detail_);
    return *this;
  }
  ~Status() = default;

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& zh() const { return detail().zh; }
  const std::string& en() const { return detail().en; }
  const Where& where() const { return detail().where; }
  Where& mutable_where() { return mutable_detail().where; }

  // Fills the parts of `where` that are not set yet; returns *this. An OK
  // status has no place: it stays as it is (and costs nothing).
  Status& AddContext(const Where& outer) &;
  Status&& AddContext(const Where& outer) &&;

  // "<where>: <zh> / <en>" on one line.
  std::string ToString() const;

 private:
  struct Detail {
    std::string zh;
    std::string en;
    Where where;
  };
  const Detail& detail() const;
  Detail& mutable_detail();

  Code code_ = Code::kOk;
  std::unique_ptr<Detail> detail_;  // null when there is nothing to say
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}           // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}    // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const& {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  Status status() && { return ok() ? Status() : std::move(std::get<Status>(v_)); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::move(std::get<T>(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace cunzhang

#define CZ_CONCAT_INNER_(a, b) a##b
#define CZ_CONCAT_(a, b) CZ_CONCAT_INNER_(a, b)

#define CZ_RETURN_IF_ERROR(expr)               \
  do {                                         \
    ::cunzhang::Status cz_status_ = (expr);    \
    if (!cz_status_.ok()) return cz_status_;   \
  } while (0)

#define CZ_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return std::move(tmp).status();  \
  lhs = std::move(tmp).value()

#define CZ_ASSIGN_OR_RETURN(lhs, expr) \
  CZ_ASSIGN_OR_RETURN_IMPL_(CZ_CONCAT_(cz_result_, __LINE__), lhs, expr)

#endif  // CUNZHANG_STATUS_H_
