// Errors as values (STYLE.md habit 9): a small vocabulary chosen by what the
// caller can do about it, and a message with the context (file, article,
// section, offset, expected and actual value).
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace quire {

enum class Code {
  kOk = 0,
  kCorruption,          // bytes read from an archive are damaged or inconsistent
  kIoError,             // the operating system refused a read, write, open, ...
  kInvalidArgument,     // the caller (or the user's input file) gave something wrong
  kUnsupportedVersion,  // a newer major format version, or a feature this build lacks
  kNotFound,            // no such article, section or file
};

const char* code_name(Code code);

class Status {
 public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status io_error(std::string msg) { return Status(Code::kIoError, std::move(msg)); }
  static Status invalid_argument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  static Status unsupported(std::string msg) {
    return Status(Code::kUnsupportedVersion, std::move(msg));
  }
  static Status not_found(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }

  bool is_ok() const { return code_ == Code::kOk; }
  explicit operator bool() const { return is_ok(); }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "corruption: block 3 at offset 4096: checksum mismatch"
  std::string to_string() const;
  // Returns a copy with `context + ": "` put before the message.
  Status with_context(const std::string& context) const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) { assert(!status_.is_ok()); }  // NOLINT

  bool is_ok() const { return value_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  const Status& status() const { return status_; }
  T& value() & { assert(value_); return *value_; }
  const T& value() const& { assert(value_); return *value_; }
  T&& value() && { assert(value_); return std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace quire

// Return early with the Status of an expression that failed.
#define QUIRE_RETURN_IF_ERROR(expr)           \
  do {                                        \
    ::quire::Status quire_status_ = (expr);   \
    if (!quire_status_.is_ok()) return quire_status_; \
  } while (0)

#define QUIRE_CONCAT_INNER(a, b) a##b
#define QUIRE_CONCAT(a, b) QUIRE_CONCAT_INNER(a, b)
// QUIRE_ASSIGN_OR_RETURN(auto x, compute()); returns compute()'s Status on failure.
#define QUIRE_ASSIGN_OR_RETURN(lhs, expr) \
  QUIRE_ASSIGN_OR_RETURN_IMPL(QUIRE_CONCAT(quire_result_, __LINE__), lhs, expr)
#define QUIRE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.is_ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
