// The `_quire` extension module: the C++ reader and writer for Python.
// Use it through the `quire` package (python/quire/__init__.py), which
// defines the exception classes and hands them to _set_errors() on import.
#include <array>

#include "python/binding.h"
#include "reader/archive_set.h"

namespace quire::python {
namespace {

// Exception class per Code, set by quire/__init__.py. Kept for the life of
// the process (never released: the interpreter may be gone at exit).
std::array<PyObject*, 6> g_errors{};

PyObject* error_type(Code code) {
  auto i = static_cast<size_t>(code);
  if (i < g_errors.size() && g_errors[i]) return g_errors[i];
  return PyExc_RuntimeError;  // _quire used without the quire package
}

void raise(const Status& s) {
  const std::string& msg = s.message();
  // A message may quote damaged bytes: never fail on them.
  PyObject* text = PyUnicode_DecodeUTF8(msg.data(), static_cast<Py_ssize_t>(msg.size()), "replace");
  PyErr_SetObject(error_type(s.code()), text);
  Py_XDECREF(text);
}

void set_errors(const py::dict& classes) {
  static const std::array<std::pair<const char*, Code>, 5> names{{
      {"corruption", Code::kCorruption},
      {"io_error", Code::kIoError},
      {"invalid_argument", Code::kInvalidArgument},
      {"unsupported_version", Code::kUnsupportedVersion},
      {"not_found", Code::kNotFound},
  }};
  for (const auto& [name, code] : names) {
    py::object cls = classes[name];
    if (!PyExceptionClass_Check(cls.ptr())) throw py::type_error(std::string("_set_errors: ") + name);
    auto& slot = g_errors[static_cast<size_t>(code)];
    Py_XDECREF(slot);
    slot = cls.inc_ref().ptr();
  }
}

}  // namespace

void register_errors(py::module_& m) {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const StatusError& e) {
      raise(e.status());
    }
  });
  m.def("_set_errors", &set_errors, "Sets the exception class raised for each error code (done by quire on import).");
}

}  // namespace quire::python

PYBIND11_MODULE(_quire, m) {
  m.doc() = "Quire archives from Python: the C++ binding behind the `quire` package.";
  quire::python::register_errors(m);
  quire::python::bind_article(m);
  quire::python::bind_archive(m);
  quire::python::bind_writer(m);
  m.def("is_set_path", &quire::is_set_path, pybind11::arg("path"),
        "Whether path names an archive set (a directory or a quire-set.json) rather than an archive file.");
}
