// quire.Article and the owner of a body memoryview (python/binding.h).
#include <fmt/format.h>

#include "format/checksum.h"
#include "format/model.h"
#include "python/binding.h"
#include "reader/annotation_query.h"
#include "reader/archive.h"

namespace quire::python {
namespace {

// The Python owner of one body: a read-only buffer over the decoded block.
// A memoryview of it keeps it (and so the C++ Body and its block) alive.
struct PyBody {
  Body body;
};

py::buffer_info body_buffer(const PyBody& b) {
  static const char kEmpty[1] = {0};
  const char* data = b.body.size() ? b.body.bytes().data() : kEmpty;
  return py::buffer_info(const_cast<char*>(data), 1, py::format_descriptor<uint8_t>::format(), 1,
                         {static_cast<py::ssize_t>(b.body.size())}, {py::ssize_t{1}}, /*readonly=*/true);
}

// One article. The C++ Article is for one thread at a time, and body decoding
// runs with the GIL released, so every method holds `mu`.
class PyArticle {
 public:
  // `record`: the record number to report (an archive set's global one); the
  // Article's own when absent.
  explicit PyArticle(Article a, std::optional<uint64_t> record = std::nullopt)
      : a_(std::move(a)), record_(record.value_or(a_.record())) {}

  py::str id() {
    NoGilLock lock(mu_);
    return to_str(a_.id());
  }
  uint64_t record() const { return record_; }
  uint64_t length() {
    NoGilLock lock(mu_);
    return a_.body_length();
  }
  std::string sha256() {
    NoGilLock lock(mu_);
    return to_hex(a_.sha256());
  }
  py::dict meta();
  py::memoryview body() {
    NoGilLock lock(mu_);
    return py::memoryview(py::cast(PyBody{load_body()}));
  }
  py::str text();
  py::list annotations(const std::string& offsets);
  void verify() {
    NoGilLock lock(mu_);
    Status s;
    {
      py::gil_scoped_release nogil;
      s = a_.verify();
    }
    check(s);
  }
  std::string repr() {
    NoGilLock lock(mu_);
    return fmt::format("<quire.Article #{} '{}'>", record_, a_.id());
  }

 private:
  // The body, decoded once (with the GIL released) and kept. Needs `mu_`.
  const Body& load_body() {
    if (!body_) {
      std::optional<Result<Body>> b;
      {
        py::gil_scoped_release nogil;
        b.emplace(a_.body());
      }
      body_ = take(std::move(*b));
    }
    return *body_;
  }

  std::mutex mu_;
  Article a_;
  uint64_t record_ = 0;  // after a_: initialised from it
  std::optional<Body> body_;
};

py::dict PyArticle::meta() {
  NoGilLock lock(mu_);
  py::dict d;
  d["id"] = to_str(a_.id());
  d["source"] = to_str(a_.source());
  d["title"] = to_str(a_.title());
  d["url"] = to_str(a_.url());
  Date date = a_.date();
  d["date"] = date.known() ? py::object(py::str(date.to_string())) : py::object(py::none());
  const char* precision = known_precision_name(date.precision);
  d["date_precision"] = precision ? py::object(py::str(precision)) : py::object(py::none());
  d["lang"] = to_str(a_.lang());
  py::list notes;
  for (auto n : a_.lang_notes()) notes.append(to_str(n));
  d["lang_notes"] = notes;
  d["media_type"] = to_str(a_.media_type());
  d["length"] = a_.body_length();
  d["sha256"] = to_hex(a_.sha256());
  py::dict extra;
  for (auto& [k, v] : a_.extra()) {
    py::str key = to_str(k);
    if (!extra.contains(key)) extra[key] = to_str(v);  // the first of repeated keys, as in catalog()
  }
  d["extra"] = extra;
  return d;
}

py::str PyArticle::text() {
  NoGilLock lock(mu_);
  std::string_view bytes = load_body().bytes();
  PyObject* s = PyUnicode_DecodeUTF8(bytes.data(), static_cast<Py_ssize_t>(bytes.size()), "strict");
  if (s) return py::reinterpret_steal<py::str>(s);
  py::error_already_set original;
  if (!original.matches(PyExc_UnicodeDecodeError)) throw original;
  // The same error, its reason naming the article.
  py::object e = original.value();
  std::string reason = fmt::format("{} (article '{}')", py::str(e.attr("reason")).cast<std::string>(), a_.id());
  py::object named = py::reinterpret_borrow<py::object>(PyExc_UnicodeDecodeError)(
      "utf-8", py::bytes(bytes.data(), bytes.size()), e.attr("start"), e.attr("end"), reason);
  PyErr_SetObject(PyExc_UnicodeDecodeError, named.ptr());
  throw py::error_already_set();
}

py::dict attrs_dict(const std::vector<KeyValue>& attrs) {
  py::dict d;
  for (const KeyValue& kv : attrs) d[to_str(kv.key)] = to_str(kv.value);
  return d;
}

py::list PyArticle::annotations(const std::string& offsets) {
  OffsetUnit unit = parse_offsets(offsets);
  NoGilLock lock(mu_);
  std::optional<Result<ArticleAnnotations>> placed;
  {
    py::gil_scoped_release nogil;
    placed.emplace(place_annotations(a_, unit));
  }
  ArticleAnnotations ann = take(std::move(*placed));
  py::list layers, spans_of;
  for (const Layer& l : ann.layers) {
    py::dict layer;
    py::list spans;
    layer["name"] = to_str(l.name);
    layer["producer"] = to_str(l.producer);
    layer["spans"] = spans;
    layers.append(layer);
    spans_of.append(spans);
  }
  for (const PlacedSpan& p : ann.spans) {
    const Span& s = ann.span_of(p);
    py::dict span;
    span["type"] = to_str(s.type);
    span["label"] = to_str(s.label);
    span["start"] = p.start;
    span["end"] = p.end;
    span["attrs"] = attrs_dict(s.attributes);
    // Bytes when the covered bytes are not UTF-8 (a cut sequence, a binary body).
    span["text"] = is_valid_utf8(p.text) ? py::object(to_str(p.text)) : py::object(py::bytes(p.text.data(), p.text.size()));
    spans_of[p.layer].cast<py::list>().append(span);
  }
  return layers;
}

}  // namespace

py::object wrap_article(Article a, std::optional<uint64_t> record) {
  return py::cast(std::make_unique<PyArticle>(std::move(a), record));
}

void bind_article(py::module_& m) {
  py::class_<PyBody>(m, "Body", py::buffer_protocol(),
                     "Owner of one body's bytes: the `obj` of Article.body's memoryview. It keeps the decoded\n"
                     "block alive, so the memoryview stays valid after the Archive is closed.")
      .def_buffer(&body_buffer)
      .def("__len__", [](const PyBody& b) { return b.body.size(); });

  py::class_<PyArticle>(m, "Article", "One article of an archive: its catalog record, body and annotations.")
      .def_property_readonly("id", &PyArticle::id, "The article's id (str).")
      .def_property_readonly("record", &PyArticle::record, "Record number: its position in archive order.")
      .def_property_readonly("length", &PyArticle::length, "Body length in bytes.")
      .def_property_readonly("sha256", &PyArticle::sha256, "SHA-256 of the body, 64 hex digits.")
      .def_property_readonly("meta", &PyArticle::meta,
                             "Every metadata field as a dict: id, source, title, url, date (ISO 8601 as precise as\n"
                             "known, or None), date_precision (year, month, day, timestamp or None), lang,\n"
                             "lang_notes (list), media_type, length, sha256, extra (dict of free key/values).")
      .def_property_readonly("body", &PyArticle::body,
                             "The original bytes as a read-only memoryview, without a copy: it points into the\n"
                             "decoded block and keeps that block alive for as long as the memoryview (or\n"
                             "anything made from it) is referenced, after the Archive is closed too.\n"
                             "bytes(article.body) makes a copy.")
      .def_property_readonly("text", &PyArticle::text,
                             "The body decoded as UTF-8 (strict): UnicodeDecodeError names the article.")
      .def("annotations", &PyArticle::annotations, py::arg("offsets") = "bytes",
           "Annotation layers: [{name, producer, spans: [{type, label, start, end, attrs, text}]}].\n"
           "offsets=\"bytes\" (UTF-8 byte offsets, as stored) or \"codepoints\". text is the covered\n"
           "text (bytes where the covered bytes are not valid UTF-8).")
      .def("verify", &PyArticle::verify,
           "Checks this article's block, its body against its SHA-256 and its annotations;\n"
           "raises CorruptArchive on damage.")
      .def("__repr__", &PyArticle::repr);
}

}  // namespace quire::python
