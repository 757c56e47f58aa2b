// quire.Archive: an open archive, its filters, catalog, info and verify
// (python/binding.h). The Archive is immutable and shared by any number of
// threads; close() only drops this handle.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <unordered_map>

#include "format/checksum.h"
#include "python/binding.h"
#include "reader/archive.h"
#include "reader/filter.h"
#include "reader/mapped_file.h"
#include "reader/verify.h"

namespace quire::python {
namespace {

struct PyFilter {
  ArticleFilter filter;
};

Date parse_date(const std::string& text, const char* what) {
  auto d = Date::parse(text);
  if (!d) check(d.status().with_context(what));
  return *d;
}

PyFilter make_filter(std::optional<std::string> source, std::optional<std::string> lang,
                     std::optional<std::string> since, std::optional<std::string> until,
                     std::optional<std::string> id_prefix, const std::vector<std::string>& has_annotation,
                     const std::vector<std::string>& ids) {
  PyFilter f;
  f.filter.source = std::move(source);
  f.filter.lang = std::move(lang);
  f.filter.id_prefix = std::move(id_prefix);
  if (since) f.filter.since = parse_date(*since, "since");
  if (until) f.filter.until = parse_date(*until, "until");
  for (const std::string& text : has_annotation) {
    auto m = SpanMatch::parse(text);
    if (!m) check(m.status().with_context("has_annotation"));
    f.filter.has_annotation.push_back(std::move(*m));
  }
  f.filter.ids.insert(ids.begin(), ids.end());
  return f;
}

// Articles of records [begin, end) in archive order that pass a filter;
// keeps its own Archive handle.
class PyIterator {
 public:
  PyIterator(Archive archive, ArticleFilter filter, uint64_t begin, uint64_t end)
      : archive_(std::move(archive)), filter_(std::move(filter)), next_(begin), end_(end) {}
  py::object next() {
    while (next_ < end_) {
      Article a = take(archive_.at(next_++));
      if (filter_.empty() || take(filter_.check(a))) return wrap_article(std::move(a));
    }
    throw py::stop_iteration();
  }

 private:
  Archive archive_;
  ArticleFilter filter_;
  uint64_t next_ = 0, end_ = 0;
};

std::string iso_time(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// catalog(): one Python list per column, the extra keys after the fixed ones
// in order of first appearance, None where an article lacks a key.
class CatalogColumns {
 public:
  static constexpr const char* kFixed[] = {"id",   "source",     "title",      "url",    "date",  "date_precision",
                                           "lang", "lang_notes", "media_type", "length", "sha256"};
  CatalogColumns() {
    for (const char* name : kFixed) add_column(name);
  }
  void add(const Article& a, uint64_t record);
  py::tuple take() {
    py::dict out;
    for (size_t i = 0; i < names_.size(); ++i) out[py::str(names_[i])] = columns_[i];
    return py::make_tuple(records_, out);
  }

 private:
  size_t add_column(const std::string& name) {
    py::list column;
    for (size_t i = 0; i < rows_; ++i) column.append(py::none());
    names_.push_back(name);
    columns_.push_back(column);
    index_[name] = names_.size() - 1;
    return names_.size() - 1;
  }
  std::vector<std::string> names_;
  std::vector<py::list> columns_;
  std::unordered_map<std::string, size_t> index_;
  py::list records_;
  size_t rows_ = 0;
};

void CatalogColumns::add(const Article& a, uint64_t record) {
  Date date = a.date();
  const char* precision = precision_name(date.precision);
  py::list notes;
  for (auto n : a.lang_notes()) notes.append(to_str(n));
  py::object fixed[] = {to_str(a.id()),
                        to_str(a.source()),
                        to_str(a.title()),
                        to_str(a.url()),
                        date.known() ? py::object(py::str(date.to_string())) : py::object(py::none()),
                        precision ? py::object(py::str(precision)) : py::object(py::none()),
                        to_str(a.lang()),
                        notes,
                        to_str(a.media_type()),
                        py::int_(a.body_length()),
                        py::str(to_hex(a.sha256()))};
  for (size_t i = 0; i < std::size(fixed); ++i) columns_[i].append(fixed[i]);
  for (auto& [k, v] : a.extra()) {
    std::string key(k);
    // An extra key named like a fixed column gets the prefix "extra.".
    if (index_.count(key) && index_[key] < std::size(kFixed)) key = "extra." + key;
    auto it = index_.find(key);
    size_t col = it == index_.end() ? add_column(key) : it->second;
    if (columns_[col].size() == rows_) columns_[col].append(to_str(v));  // the first of repeated keys
  }
  ++rows_;
  for (auto& column : columns_) {
    if (column.size() < rows_) column.append(py::none());
  }
  records_.append(record);
}

class PyArchive {
 public:
  explicit PyArchive(const std::string& path) : path_(path) {
    auto a = Archive::open(path);
    // A missing file is an I/O error here (NotFound is for articles).
    if (!a && a.status().code() == Code::kNotFound) check(Status::io_error(a.status().message()));
    archive_ = take(std::move(a));
  }
  const Archive& get() const {
    if (!archive_) invalid(fmt::format("archive '{}' is closed", path_));
    return *archive_;
  }
  void close() { archive_.reset(); }
  bool closed() const { return !archive_; }
  const std::string& path() const { return path_; }
  uint64_t size() const { return get().size(); }

  py::object find(std::string_view id) const { return wrap_article(take(get().find(id))); }
  bool contains(std::string_view id) const {
    auto a = get().find(id);
    if (!a && a.status().code() == Code::kNotFound) return false;
    take(std::move(a));
    return true;
  }
  py::object by_sha256(const std::string& hex) const {
    Sha256 sha;
    if (!parse_sha256_hex(hex, sha)) invalid(fmt::format("'{}': a SHA-256 is 64 hex digits", hex));
    return wrap_article(take(get().find_sha256(sha)));
  }
  py::object at(int64_t n) const {
    int64_t size = static_cast<int64_t>(get().size());
    if (n < -size || n >= size) throw py::index_error(fmt::format("record {} out of range ({} articles)", n, size));
    return wrap_article(take(get().at(static_cast<uint64_t>(n < 0 ? n + size : n))));
  }
  // [begin, end) with end None meaning size(); IndexError unless begin <= end <= size().
  std::pair<uint64_t, uint64_t> range(uint64_t begin, std::optional<uint64_t> end) const {
    uint64_t size = get().size(), stop = end.value_or(size);
    if (begin > stop || stop > size) {
      throw py::index_error(fmt::format("records [{}, {}) out of range ({} articles)", begin, stop, size));
    }
    return {begin, stop};
  }
  PyIterator select(const PyFilter& f, uint64_t begin, std::optional<uint64_t> end) const {
    auto [b, e] = range(begin, end);
    return PyIterator(get(), f.filter, b, e);
  }
  uint64_t block_count() const { return get().block_count(); }
  py::tuple block_records(int64_t block) const {
    int64_t count = static_cast<int64_t>(get().block_count());
    if (block < 0 || block >= count) throw py::index_error(fmt::format("block {} out of range ({} blocks)", block, count));
    auto [first, n] = take(get().block_records(static_cast<uint64_t>(block)));
    return py::make_tuple(first, n);
  }
  py::tuple catalog(const PyFilter& f, uint64_t begin, std::optional<uint64_t> end) const {
    const Archive& archive = get();
    auto [b, e] = range(begin, end);
    CatalogColumns columns;
    for (uint64_t r = b; r < e; ++r) {
      Article a = take(archive.at(r));
      if (f.filter.empty() || take(f.filter.check(a))) columns.add(a, r);
    }
    return columns.take();
  }
  py::dict info(bool digest) const;
  py::dict verify(bool quick, std::optional<std::string> expect) const;
  std::string repr() const {
    if (!archive_) return fmt::format("<quire.Archive '{}' closed>", path_);
    return fmt::format("<quire.Archive '{}' {} articles>", path_, archive_->size());
  }

 private:
  std::string path_;
  std::optional<Archive> archive_;
};

py::dict PyArchive::info(bool digest) const {
  ManifestSummary m = get().manifest();
  py::dict d, extra;
  d["format"] = fmt::format("{}.{}", m.format_major, m.format_minor);
  d["title"] = to_str(m.info.title);
  d["description"] = to_str(m.info.description);
  d["creator"] = to_str(m.info.creator);
  d["license"] = to_str(m.info.license);
  d["tool"] = to_str(m.info.tool);
  d["tool_version"] = to_str(m.info.tool_version);
  d["created"] = iso_time(m.info.created_unix_seconds);
  for (const auto& kv : m.info.extra) extra[to_str(kv.key)] = to_str(kv.value);
  d["info"] = extra;
  const ArchiveCounts& c = m.counts;
  d["articles"] = c.articles, d["blocks"] = c.blocks, d["unique_bodies"] = c.unique_bodies;
  d["body_bytes"] = c.body_bytes, d["stored_body_bytes"] = c.stored_body_bytes;
  d["compressed_body_bytes"] = c.compressed_body_bytes, d["spans"] = c.spans;
  d["file_bytes"] = m.file_size, d["index_bytes"] = m.index_bytes;
  double ratio = c.body_bytes ? 100.0 * m.file_size / c.body_bytes : 0.0;
  d["percent_of_raw"] = std::round(ratio * 100) / 100;
  d["block_size"] = m.block_size, d["level"] = m.compression_level;
  d["dictionaries"] = m.dictionary_sizes;
  d["content_digest"] = to_hex(m.content_digest);
  if (digest) {
    std::optional<Result<Sha256>> file_digest;
    {
      py::gil_scoped_release nogil;
      auto file = MappedFile::open(path_);
      file_digest.emplace(file ? Result<Sha256>(sha256((*file)->bytes())) : Result<Sha256>(file.status()));
    }
    d["file_digest"] = to_hex(take(std::move(*file_digest)));
  }
  return d;
}

py::dict PyArchive::verify(bool quick, std::optional<std::string> expect) const {
  get();  // not after close()
  VerifyOptions options;
  options.quick = quick;
  if (expect) {
    Sha256 d;
    if (!parse_sha256_hex(*expect, d)) invalid("expect: a content digest is 64 hex digits");
    options.expected_content_digest = d;
  }
  auto start = std::chrono::steady_clock::now();
  std::optional<Result<VerifyReport>> result;
  {
    py::gil_scoped_release nogil;
    result.emplace(verify_archive(path_, options));
  }
  VerifyReport r = take(std::move(*result));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  py::dict d;
  d["archive"] = path_, d["ok"] = r.ok(), d["readable"] = r.readable, d["mode"] = quick ? "quick" : "full";
  d["sections"] = r.sections, d["blocks"] = r.blocks, d["articles"] = r.articles;
  d["bytes_hashed"] = r.bytes_hashed, d["seconds"] = secs;
  d["content_digest"] = to_hex(r.content_digest), d["content_digest_checked"] = r.content_digest_checked;
  py::list damage;
  for (const Damage& x : r.damage) {
    py::dict item;
    item["item"] = to_str(x.item), item["offset"] = x.offset, item["message"] = to_str(x.message);
    py::list ids;
    for (const auto& id : x.articles) ids.append(to_str(id));
    item["articles"] = ids;
    damage.append(item);
  }
  d["damage"] = damage;
  return d;
}

}  // namespace

void bind_archive(py::module_& m) {
  py::class_<PyFilter>(m, "Filter", "A catalog filter, as `quire ls` takes (reader/filter.h).")
      .def(py::init(&make_filter), py::kw_only(), py::arg("source") = py::none(), py::arg("lang") = py::none(),
           py::arg("since") = py::none(), py::arg("until") = py::none(), py::arg("id_prefix") = py::none(),
           py::arg("has_annotation") = std::vector<std::string>{}, py::arg("ids") = std::vector<std::string>{})
      .def_property_readonly("empty", [](const PyFilter& f) { return f.filter.empty(); });

  py::class_<PyIterator>(m, "ArticleIterator")
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &PyIterator::next);

  py::class_<PyArchive>(m, "Archive", "An open archive (base of quire.Archive).")
      .def(py::init<const std::string&>(), py::arg("path"))
      .def("close", &PyArchive::close, "Drops this handle; bodies and articles already taken stay valid.")
      .def_property_readonly("closed", &PyArchive::closed)
      .def_property_readonly("path", &PyArchive::path)
      .def("__len__", &PyArchive::size)
      .def("__getitem__", &PyArchive::find, py::arg("id"), "The article with this exact id; NotFound if none.")
      .def("__contains__", &PyArchive::contains, py::arg("id"))
      .def("by_sha256", &PyArchive::by_sha256, py::arg("hex"), "The first article whose body has this SHA-256.")
      .def("at", &PyArchive::at, py::arg("n"), "The article with record number n (negative counts from the end).")
      .def("_select", &PyArchive::select, py::arg("filter"), py::arg("begin") = 0, py::arg("end") = py::none())
      .def("_catalog", &PyArchive::catalog, py::arg("filter"), py::arg("begin") = 0, py::arg("end") = py::none())
      .def("block_count", &PyArchive::block_count,
           "Number of blocks. Blocks hold consecutive record ranges, in order: the unit a\n"
           "parallel scan splits on (quire.dask).")
      .def("block_records", &PyArchive::block_records, py::arg("block"),
           "(first record, record count) of a block, from the block table (nothing is\n"
           "decompressed); IndexError past the end.")
      .def("info", &PyArchive::info, py::kw_only(), py::arg("digest") = false,
           "Counts, sizes, dictionaries and digests, as `quire info --json` (digest=True reads the\n"
           "whole file for its SHA-256).")
      .def("verify", &PyArchive::verify, py::kw_only(), py::arg("quick") = false, py::arg("expect") = py::none(),
           "Every checksum and every body's SHA-256, as `quire verify --json`; damage is reported in\n"
           "the dict (ok False, damage listing each item with its offset), not raised.")
      .def("__repr__", &PyArchive::repr);
}

}  // namespace quire::python
