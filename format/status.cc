#include "format/status.h"

namespace quire {

const char* code_name(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kCorruption: return "corruption";
    case Code::kIoError: return "I/O error";
    case Code::kInvalidArgument: return "invalid argument";
    case Code::kUnsupportedVersion: return "unsupported";
    case Code::kNotFound: return "not found";
  }
  return "unknown";
}

std::string Status::to_string() const {
  if (is_ok()) return "ok";
  return std::string(code_name(code_)) + ": " + message_;
}

Status Status::with_context(const std::string& context) const {
  if (is_ok()) return *this;
  return Status(code_, context + ": " + message_);
}

}  // namespace quire
