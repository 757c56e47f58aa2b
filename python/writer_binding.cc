// quire.Writer's C++ half: the streaming builder (writer/writer.h) with one
// article held back so annotate() can still add layers to it.
//
// add() checks everything it can at once (id, duplicate id, date, spans,
// text, SHA-256), so a bad article raises at its own add() and is not
// stored; the held article reaches the C++ writer at the next add() or at
// close(), where only I/O errors remain possible.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <cstdlib>
#include <ctime>

#include "format/checksum.h"
#include "format/model.h"
#include "format/utf8_offsets.h"
#include "python/binding.h"
#include "writer/writer.h"

#ifndef QUIRE_VERSION
#define QUIRE_VERSION "unknown"
#endif

namespace quire::python {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;
// (start, end, type, label, attrs), as quire/__init__.py normalizes a span.
using SpanIn = std::tuple<uint64_t, uint64_t, std::string, std::string, Pairs>;
// (name, producer, spans)
using LayerIn = std::tuple<std::string, std::string, std::vector<SpanIn>>;

std::vector<KeyValue> key_values(const Pairs& pairs) {
  std::vector<KeyValue> out;
  for (const auto& [k, v] : pairs) out.push_back({k, v});
  return out;
}

int64_t creation_time() {
  // SOURCE_DATE_EPOCH makes archives reproducible, as for `quire pack`.
  if (const char* e = std::getenv("SOURCE_DATE_EPOCH"); e && *e) {
    char* end = nullptr;
    long long v = std::strtoll(e, &end, 10);
    if (end && *end == '\0') return v;
  }
  return static_cast<int64_t>(std::time(nullptr));
}

// The bytes of a str (as UTF-8) or of any contiguous buffer, copied.
std::string body_bytes(const py::handle& body) {
  if (PyUnicode_Check(body.ptr())) {
    Py_ssize_t n = 0;
    const char* s = PyUnicode_AsUTF8AndSize(body.ptr(), &n);
    if (!s) throw py::error_already_set();
    return std::string(s, static_cast<size_t>(n));
  }
  Py_buffer view;
  if (PyObject_GetBuffer(body.ptr(), &view, PyBUF_SIMPLE) != 0) {
    PyErr_Clear();
    throw py::type_error("body must be str or a contiguous bytes-like object");
  }
  std::string out(static_cast<const char*>(view.buf), static_cast<size_t>(view.len));
  PyBuffer_Release(&view);
  return out;
}

Layer to_layer(const std::string& id, const LayerIn& in, std::string_view body, OffsetUnit unit) {
  Layer layer{std::get<0>(in), std::get<1>(in), {}};
  for (const auto& [start, end, type, label, attrs] : std::get<2>(in)) {
    Span s{start, end, type, label, key_values(attrs)};
    if (unit == OffsetUnit::kCodepoints) {
      auto where = [&] { return fmt::format("article '{}': layer '{}' span {}", id, layer.name, layer.spans.size()); };
      auto b = codepoint_to_byte(body, start), e = codepoint_to_byte(body, end);
      if (!b) check(b.status().with_context(where()));
      if (!e) check(e.status().with_context(where()));
      s.start = *b, s.end = *e;
    }
    layer.spans.push_back(std::move(s));
  }
  return layer;
}

struct Pending {
  ArticleMeta meta;
  std::string body;
  std::vector<Layer> layers;
};

class PyWriter {
 public:
  PyWriter(const std::string& path, int level, uint64_t block_size, bool dictionary, unsigned threads, bool sync,
           const std::string& title, const std::string& description, const std::string& creator,
           const std::string& license, const Pairs& info, uint64_t memory_budget) {
    WriterOptions o;
    o.memory_budget = memory_budget;
    o.level = level, o.block_size = block_size, o.dictionary = dictionary, o.threads = threads, o.sync = sync;
    o.info.title = title, o.info.description = description, o.info.creator = creator, o.info.license = license;
    o.info.extra = key_values(info);
    o.info.tool = "quire-python";
    o.info.tool_version = QUIRE_VERSION;
    o.info.created_unix_seconds = creation_time();
    path_ = path;
    writer_ = take(Writer::create(path, std::move(o)));
  }

  void add(const std::string& id, py::handle body, const std::string& source, const std::string& title,
           const std::string& url, const std::optional<std::string>& date, const std::string& lang,
           const std::vector<std::string>& lang_notes, const std::string& media_type, const Pairs& extra,
           const std::vector<LayerIn>& layers, const std::string& offsets, const std::optional<std::string>& sha) {
    NoGilLock lock(mu_);
    open_writer();
    Pending p;
    p.meta = ArticleMeta{id, source, title, url, {}, lang, lang_notes, media_type, key_values(extra)};
    p.body = body_bytes(body);
    if (date) {
      auto d = Date::parse(*date);
      if (!d) check(d.status().with_context(fmt::format("article '{}': date", id)));
      p.meta.date = *d;
    }
    OffsetUnit unit = parse_offsets(offsets);
    for (const LayerIn& l : layers) p.layers.push_back(to_layer(id, l, p.body, unit));
    check_new(p, sha);
    flush();
    pending_ = std::move(p);
  }

  void annotate(const std::string& id, const std::string& name, const std::vector<SpanIn>& spans,
                const std::string& producer, const std::string& offsets) {
    NoGilLock lock(mu_);
    open_writer();
    if (!pending_ || pending_->meta.id != id) {
      invalid(fmt::format("annotate: '{}' is not the article added last{}", id,
                          pending_ ? fmt::format(" ('{}')", pending_->meta.id) : std::string()));
    }
    Layer add = to_layer(id, {name, producer, spans}, pending_->body, parse_offsets(offsets));
    check(validate_layers(id, {add}, pending_->body.size()));
    check(validate_text(ArticleMeta{}, {add}));
    for (Layer& l : pending_->layers) {
      if (l.name != name) continue;
      if (!producer.empty() && !l.producer.empty() && l.producer != producer) {
        invalid(fmt::format("article '{}': layer '{}' has producer '{}', not '{}'", id, name, l.producer, producer));
      }
      if (l.producer.empty()) l.producer = producer;
      for (Span& s : add.spans) l.spans.push_back(std::move(s));
      return;
    }
    pending_->layers.push_back(std::move(add));
  }

  void close() {
    NoGilLock lock(mu_);
    if (closed_) return;
    closed_ = true;
    try {
      flush();
      Status s;
      {
        py::gil_scoped_release nogil;
        s = writer_->finish();
      }
      check(s);
    } catch (...) {
      writer_->abandon();  // nothing complete-looking is left at the path
      throw;
    }
  }

  void abandon() {
    NoGilLock lock(mu_);
    pending_.reset();
    if (!closed_) writer_->abandon();
    closed_ = true;
  }

  bool closed() const { return closed_; }
  const std::string& path() const { return path_; }
  py::dict stats() {
    NoGilLock lock(mu_);
    WriterStats s = writer_->stats();
    py::dict d;
    d["articles"] = s.articles + (pending_ ? 1 : 0);
    d["body_bytes"] = s.body_bytes + (pending_ ? pending_->body.size() : 0);
    d["unique_bodies"] = s.unique_bodies, d["blocks"] = s.blocks, d["bytes_written"] = s.bytes_written;
    return d;
  }

 private:
  void open_writer() const {
    if (closed_) invalid(fmt::format("writer for '{}' is closed", path_));
  }

  // The checks the C++ writer makes, made now so the error belongs to this add().
  void check_new(const Pending& p, const std::optional<std::string>& sha) const {
    const std::string& id = p.meta.id;
    Status s = validate_id(id);
    if (!s) invalid(fmt::format("article '{}': {}", id, s.message()));
    check(validate_layers(id, p.layers, p.body.size()));
    check(validate_text(p.meta, p.layers));
    if (sha) {
      Sha256 expected;
      if (!parse_sha256_hex(*sha, expected)) invalid(fmt::format("article '{}': sha256 is not 64 hex digits", id));
      Sha256 actual = sha256(p.body);
      if (actual != expected) {
        invalid(fmt::format("article '{}': body SHA-256 is {} but sha256= says {}", id, to_hex(actual), *sha));
      }
    }
    auto earlier = writer_->find_record(id);
    if (earlier || (pending_ && pending_->meta.id == id)) {
      invalid(fmt::format("duplicate id '{}': article #{} has the same id", id,
                          earlier ? *earlier : writer_->stats().articles));
    }
  }

  // Hands the held article to the C++ writer (compressing with the GIL released).
  void flush() {
    if (!pending_) return;
    Pending p = std::move(*pending_);
    pending_.reset();
    ArticleInput in;
    in.meta = std::move(p.meta);
    in.body = p.body;
    in.layers = std::move(p.layers);
    Status s;
    {
      py::gil_scoped_release nogil;
      s = writer_->add(in);
    }
    check(s);
  }

  std::mutex mu_;
  std::string path_;
  std::unique_ptr<Writer> writer_;  // its destructor abandons an unfinished archive
  std::optional<Pending> pending_;
  bool closed_ = false;
};

}  // namespace

void bind_writer(py::module_& m) {
  py::class_<PyWriter>(m, "Writer", "The streaming archive builder (base of quire.Writer).")
      .def(py::init<const std::string&, int, uint64_t, bool, unsigned, bool, const std::string&, const std::string&,
                    const std::string&, const std::string&, const Pairs&, uint64_t>(),
           py::arg("path"), py::arg("level"), py::arg("block_size"), py::arg("dictionary"), py::arg("threads"),
           py::arg("sync"), py::arg("title"), py::arg("description"), py::arg("creator"), py::arg("license"),
           py::arg("info"), py::arg("memory_budget") = WriterOptions{}.memory_budget)
      .def("_add", &PyWriter::add, py::arg("id"), py::arg("body"), py::arg("source"), py::arg("title"),
           py::arg("url"), py::arg("date"), py::arg("lang"), py::arg("lang_notes"), py::arg("media_type"),
           py::arg("extra"), py::arg("layers"), py::arg("offsets"), py::arg("sha256"))
      .def("_annotate", &PyWriter::annotate, py::arg("id"), py::arg("layer"), py::arg("spans"), py::arg("producer"),
           py::arg("offsets"))
      .def("close", &PyWriter::close, "Writes the indexes and footer and renames the file into place.")
      .def("abandon", &PyWriter::abandon, "Stops and removes the temporary file; nothing appears at the path.")
      .def_property_readonly("closed", &PyWriter::closed)
      .def_property_readonly("path", &PyWriter::path)
      .def("stats", &PyWriter::stats, "Articles and bytes added so far, blocks and bytes written.");
}

}  // namespace quire::python
