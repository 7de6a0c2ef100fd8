// Error values and Result<T>: how every Tailor API reports an expected failure.
//
// Expected failures (bad input, missing index, unknown id) are returned as values, never
// thrown. An Error carries a code, which the server maps to an HTTP status in one place,
// and a message that names the place of the fault: file and line, JSON field, event index
// ("catalog.jsonl:17: price: must be >= 0").
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tailor {

enum class ErrorCode {
  kInvalidArgument,   // the caller's input is wrong (HTTP 400)
  kNotFound,          // the thing asked for does not exist (404)
  kUnauthenticated,   // missing or wrong credentials (401)
  kResourceExhausted,  // over a configured size or count limit, e.g. a request body (413)
  kUnavailable,       // a dependency (index, state) cannot serve right now (503)
  kFailedPrecondition,  // the system is not in the state the call needs (409), e.g. a
                        // state directory written by another version; retrying will not help
  kDataLoss,          // stored data is corrupt or cut short, e.g. a torn log line (500)
  kInternal,          // our own bug or an unexpected failure (500)
};

// Stable lower_snake_case name of a code, as written in JSON error bodies.
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  static Error InvalidArgument(std::string message) {
    return {ErrorCode::kInvalidArgument, std::move(message)};
  }
  static Error NotFound(std::string message) { return {ErrorCode::kNotFound, std::move(message)}; }
  static Error Unauthenticated(std::string message) {
    return {ErrorCode::kUnauthenticated, std::move(message)};
  }
  static Error ResourceExhausted(std::string message) {
    return {ErrorCode::kResourceExhausted, std::move(message)};
  }
  static Error Unavailable(std::string message) {
    return {ErrorCode::kUnavailable, std::move(message)};
  }
  static Error FailedPrecondition(std::string message) {
    return {ErrorCode::kFailedPrecondition, std::move(message)};
  }
  static Error DataLoss(std::string message) { return {ErrorCode::kDataLoss, std::move(message)}; }
  static Error Internal(std::string message) { return {ErrorCode::kInternal, std::move(message)}; }

  // Returns a copy whose message is "prefix: message", to add a place (file:line, field).
  Error WithPrefix(std::string_view prefix) const {
    return {code, std::string(prefix) + ": " + message};
  }
};

// Either a T or an Error. Requires: value() only when ok(), error() only when !ok().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : data_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    assert(ok());
    return std::get<0>(data_);
  }
  T& value() & {
    assert(ok());
    return std::get<0>(data_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(data_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(data_);
  }

 private:
  std::variant<T, Error> data_;
};

// Success or an Error, for operations without a value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design
  static Status Ok() { return {}; }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace tailor
