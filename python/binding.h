// Shared pieces of the Python binding `_quire` (python/): a failed Status
// becomes the quire.* exception of its code, and a lock that never waits
// while holding the GIL.
//
// The binding is thin: python/quire/__init__.py adds the Pythonic layer
// (keyword arguments, context managers, pandas) on top of these classes.
#pragma once

#include <pybind11/pybind11.h>

#include <exception>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

#include "format/model.h"
#include "format/status.h"
#include "reader/annotation_query.h"

namespace quire::python {

namespace py = pybind11;

// Thrown for a failed Status; the translator registered by register_errors()
// raises quire.CorruptArchive, quire.NotFound, ... with the Status message.
class StatusError : public std::exception {
 public:
  explicit StatusError(Status s) : status_(std::move(s)) {}
  const char* what() const noexcept override { return status_.message().c_str(); }
  const Status& status() const { return status_; }

 private:
  Status status_;
};

inline void check(const Status& s) {
  if (!s.is_ok()) throw StatusError(s);
}
template <typename T>
T take(Result<T> r) {
  if (!r.is_ok()) throw StatusError(r.status());
  return std::move(r).value();
}
[[noreturn]] inline void invalid(std::string message) { throw StatusError(Status::invalid_argument(std::move(message))); }

// offsets="bytes" or "codepoints", as Article.annotations() and Writer.annotate() take.
inline OffsetUnit parse_offsets(const std::string& offsets) {
  if (offsets == "bytes") return OffsetUnit::kBytes;
  if (offsets != "codepoints") invalid("offsets: expected \"bytes\" or \"codepoints\"");
  return OffsetUnit::kCodepoints;
}

// A date's precision as meta["date_precision"] and catalog() give it; nullptr when unknown.
inline const char* known_precision_name(Date::Precision p) {
  return p == Date::Precision::kUnknown ? nullptr : precision_name(p);
}

// Stored text is valid UTF-8 (the writer checks it); a damaged record that is
// not raises UnicodeDecodeError rather than crashing.
inline py::str to_str(std::string_view s) { return py::str(s.data(), s.size()); }

// Locks a mutex that another thread may hold while it runs with the GIL
// released (decoding, compressing): waits without the GIL, so the two can
// never deadlock. Objects shared between Python threads take it in every
// method.
class NoGilLock {
 public:
  explicit NoGilLock(std::mutex& mu) : lock_(mu, std::defer_lock) {
    if (!lock_.try_lock()) {
      py::gil_scoped_release nogil;
      lock_.lock();
    }
  }

 private:
  std::unique_lock<std::mutex> lock_;
};

// A quire.Article (python/article_binding.cc) for a C++ Article; `record`
// overrides the record number it reports (an archive set's global one).
py::object wrap_article(Article a, std::optional<uint64_t> record = std::nullopt);

void register_errors(py::module_& m);
void bind_archive(py::module_& m);
void bind_article(py::module_& m);
void bind_writer(py::module_& m);

}  // namespace quire::python
