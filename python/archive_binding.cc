// quire.Archive: an open archive, its filters, catalog, info and verify
// (python/binding.h). The Archive is immutable and shared by any number of
// threads; close() only drops this handle.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <chrono>
#include <algorithm>
#include <cmath>
#include <ctime>
#include <unordered_map>

#include "format/checksum.h"
#include "python/binding.h"
#include "reader/archive.h"
#include "reader/archive_set.h"
#include "reader/filter.h"
#include "reader/fulltext_search.h"
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

// Full-text search (reader/fulltext_search.h) as plain Python values:
// {"estimated", "stem_language", "hits": [{record, id, title, date, weight,
// percent, snippet, highlights: [(start, end), ...]}]}.
py::dict search_set(const ArchiveSet& set, const PyFilter& f, std::string query, uint64_t offset, uint64_t limit,
                    std::string stem, bool snippets, size_t snippet_bytes) {
  SearchRequest req;
  req.query = std::move(query);
  req.filter = f.filter;
  req.offset = offset;
  req.limit = limit;
  req.stem_language = std::move(stem);
  req.snippets = snippets;
  req.snippet_bytes = snippet_bytes;
  Result<SearchResult> r = Status::ok();
  {
    py::gil_scoped_release nogil;
    r = search(set, req);
  }
  SearchResult result = take(std::move(r));
  py::list hits;
  for (const SearchHit& h : result.hits) {
    py::dict d;
    d["record"] = h.record;
    d["id"] = h.id;
    d["title"] = h.title;
    d["date"] = h.date.empty() ? py::object(py::none()) : py::object(py::str(h.date));
    d["weight"] = h.weight;
    d["percent"] = h.percent;
    d["snippet"] = h.snippet;
    // Python slices str by code points: convert the byte ranges.
    auto chars = [&](uint32_t byte) {
      size_t n = 0;
      for (uint32_t i = 0; i < byte && i < h.snippet.size(); ++i) n += (static_cast<unsigned char>(h.snippet[i]) & 0xC0) != 0x80;
      return n;
    };
    py::list marks;
    for (const auto& [a, b] : h.highlights) marks.append(py::make_tuple(chars(a), chars(b)));
    d["highlights"] = marks;
    hits.append(d);
  }
  py::dict out;
  out["estimated"] = result.estimated;
  out["stem_language"] = result.stem_language;
  out["hits"] = hits;
  return out;
}

// Articles of records [begin, end) in archive order that pass a filter;
// keeps its own Archive (or ArchiveSet) handle.
template <typename Source>
class PyIteratorOf {
 public:
  PyIteratorOf(Source archive, ArticleFilter filter, uint64_t begin, uint64_t end)
      : archive_(std::move(archive)), filter_(std::move(filter)), next_(begin), end_(end) {}
  py::object next() {
    while (next_ < end_) {
      uint64_t record = next_++;
      Article a = take(archive_.at(record));
      if (filter_.empty() || take(filter_.check(a))) return wrap_article(std::move(a), record);
    }
    throw py::stop_iteration();
  }

 private:
  Source archive_;
  ArticleFilter filter_;
  uint64_t next_ = 0, end_ = 0;
};
using PyIterator = PyIteratorOf<Archive>;
using PySetIterator = PyIteratorOf<ArchiveSet>;

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
  const char* precision = known_precision_name(date.precision);
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

py::dict report_dict(const std::string& path, bool quick, const VerifyReport& r, double secs);

VerifyOptions verify_options(bool quick, const std::optional<std::string>& expect) {
  VerifyOptions options;
  options.quick = quick;
  if (expect) {
    Sha256 d;
    if (!parse_sha256_hex(*expect, d)) invalid("expect: a content digest is 64 hex digits");
    options.expected_content_digest = d;
  }
  return options;
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
  VerifyOptions options = verify_options(quick, expect);
  auto start = std::chrono::steady_clock::now();
  std::optional<Result<VerifyReport>> result;
  {
    py::gil_scoped_release nogil;
    result.emplace(verify_archive(path_, options));
  }
  VerifyReport r = take(std::move(*result));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report_dict(path_, quick, r, secs);
}

// A VerifyReport as `quire verify --json` prints it.
py::dict report_dict(const std::string& path, bool quick, const VerifyReport& r, double secs) {
  py::dict d;
  d["archive"] = path, d["ok"] = r.ok(), d["readable"] = r.readable, d["mode"] = quick ? "quick" : "full";
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


// An archive set (SPEC.md 15) through the C++ ArchiveSet: global record
// numbers, lookups by id routed by the shards' Bloom filters. Shards open on
// first use and stay open. Also opens a single archive as a set of one.
class PySet {
 public:
  explicit PySet(const std::string& path) : path_(path) {
    auto s = ArchiveSet::open(path);
    // A missing file or manifest is an I/O error here (NotFound is for articles).
    if (!s && s.status().code() == Code::kNotFound) check(Status::io_error(s.status().message()));
    set_ = take(std::move(s));
  }
  const ArchiveSet& get() const {
    if (!set_) invalid(fmt::format("archive set '{}' is closed", path_));
    return *set_;
  }
  void close() { set_.reset(); }
  bool closed() const { return !set_; }
  const std::string& path() const { return path_; }
  bool is_set() const { return get().is_set(); }
  uint64_t size() const { return get().size(); }
  size_t shard_count() const { return get().shard_count(); }
  size_t check_shard_index(int64_t i) const {
    int64_t n = static_cast<int64_t>(get().shard_count());
    if (i < 0 || i >= n) throw py::index_error(fmt::format("shard {} out of range ({} shards)", i, n));
    return static_cast<size_t>(i);
  }
  std::string shard_path(int64_t i) const { return get().shard_path(check_shard_index(i)); }
  uint64_t shard_start(int64_t i) const { return get().shard_start(check_shard_index(i)); }
  // Opens (and checks against the manifest) shard i; returns its path.
  std::string open_shard(int64_t i) const {
    size_t k = check_shard_index(i);
    take(get().shard(k));
    return get().shard_path(k);
  }

  // By id, routed by the shards' Bloom filters, with its global record number.
  Result<ArchiveSet::Located> locate_id(std::string_view id) const {
    const ArchiveSet& set = get();
    // locate() reads "sha256:..." and "#N" as references: such an id takes the
    // same route through the public API.
    if (id.rfind("sha256:", 0) != 0 && id.rfind('#', 0) != 0) return set.locate(id);
    for (size_t i = 0; i < set.shard_count(); ++i) {
      if (set.is_set() && !set.manifest().shards[i].id_filter.may_contain(id)) continue;
      QUIRE_ASSIGN_OR_RETURN(Archive a, set.shard(i));
      auto found = a.find(id);
      if (found) return ArchiveSet::Located{*found, set.shard_start(i) + found->record()};
      if (found.status().code() != Code::kNotFound) return found.status();
    }
    return Status::not_found(fmt::format("no article with id '{}'", id));
  }
  static py::object wrap(ArchiveSet::Located l) { return wrap_article(std::move(l.article), l.record); }
  py::object find(std::string_view id) const { return wrap(take(locate_id(id))); }
  bool contains(std::string_view id) const {
    auto a = locate_id(id);
    if (!a && a.status().code() == Code::kNotFound) return false;
    take(std::move(a));
    return true;
  }
  py::object by_sha256(const std::string& hex) const {
    Sha256 sha;
    if (!parse_sha256_hex(hex, sha)) invalid(fmt::format("'{}': a SHA-256 is 64 hex digits", hex));
    return wrap(take(get().locate("sha256:" + to_hex(sha))));
  }
  py::object resolve(std::string_view ref) const { return wrap(take(get().locate(ref))); }
  py::object at(int64_t n) const {
    int64_t size = static_cast<int64_t>(get().size());
    if (n < -size || n >= size) throw py::index_error(fmt::format("record {} out of range ({} articles)", n, size));
    auto r = static_cast<uint64_t>(n < 0 ? n + size : n);
    return wrap_article(take(get().at(r)), r);
  }
  std::pair<uint64_t, uint64_t> range(uint64_t begin, std::optional<uint64_t> end) const {
    uint64_t size = get().size(), stop = end.value_or(size);
    if (begin > stop || stop > size) {
      throw py::index_error(fmt::format("records [{}, {}) out of range ({} articles)", begin, stop, size));
    }
    return {begin, stop};
  }
  PySetIterator select(const PyFilter& f, uint64_t begin, std::optional<uint64_t> end) const {
    auto [b, e] = range(begin, end);
    return PySetIterator(get(), f.filter, b, e);
  }
  py::tuple catalog(const PyFilter& f, uint64_t begin, std::optional<uint64_t> end) const {
    const ArchiveSet& set = get();
    auto [b, e] = range(begin, end);
    CatalogColumns columns;
    for (uint64_t r = b; r < e; ++r) {
      Article a = take(set.at(r));
      if (f.filter.empty() || take(f.filter.check(a))) columns.add(a, r);
    }
    return columns.take();
  }
  // Blocks numbered across the shards (opens every shard: manifests only).
  uint64_t block_count() const { return block_starts().back(); }
  py::tuple block_records(int64_t block) const {
    const std::vector<uint64_t>& starts = block_starts();
    int64_t count = static_cast<int64_t>(starts.back());
    if (block < 0 || block >= count) throw py::index_error(fmt::format("block {} out of range ({} blocks)", block, count));
    auto b = static_cast<uint64_t>(block);
    size_t i = static_cast<size_t>(std::upper_bound(starts.begin(), starts.end() - 1, b) - starts.begin()) - 1;
    Archive shard = take(get().shard(i));
    auto [first, n] = take(shard.block_records(b - starts[i]));
    return py::make_tuple(first + get().shard_start(i), n);
  }
  py::dict info(bool digest) const;
  py::dict verify(bool quick, std::optional<std::string> expect) const {
    get();  // not after close()
    VerifyOptions options = verify_options(quick, expect);
    auto start = std::chrono::steady_clock::now();
    std::optional<Result<VerifyReport>> result;
    {
      py::gil_scoped_release nogil;
      result.emplace(verify_set(path_, options));
    }
    VerifyReport r = take(std::move(*result));
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report_dict(path_, quick, r, secs);
  }
  std::string repr() const {
    if (!set_) return fmt::format("<quire.ArchiveSet '{}' closed>", path_);
    return fmt::format("<quire.ArchiveSet '{}' {} articles in {} shards>", path_, set_->size(), set_->shard_count());
  }

 private:
  // starts[i]: the set-wide number of shard i's first block; back(): the total.
  const std::vector<uint64_t>& block_starts() const {
    const ArchiveSet& set = get();
    if (block_starts_.empty()) {
      std::vector<uint64_t> starts{0};
      for (size_t i = 0; i < set.shard_count(); ++i) starts.push_back(starts.back() + take(set.shard(i)).block_count());
      block_starts_ = std::move(starts);
    }
    return block_starts_;
  }
  std::string path_;
  std::optional<ArchiveSet> set_;
  mutable std::vector<uint64_t> block_starts_;  // guarded by the GIL
};

// `quire info --json` on a set: totals over the shards, then the shards.
py::dict PySet::info(bool digest) const {
  const ArchiveSet& set = get();
  const SetManifest& sm = set.manifest();
  ArchiveCounts total;
  uint64_t file_bytes = 0;
  std::vector<std::string> digests(set.shard_count());
  for (size_t i = 0; i < set.shard_count(); ++i) {
    Archive shard = take(set.shard(i));
    ManifestSummary m = shard.manifest();
    const ArchiveCounts& c = m.counts;
    total.articles += c.articles, total.blocks += c.blocks, total.unique_bodies += c.unique_bodies;
    total.body_bytes += c.body_bytes, total.stored_body_bytes += c.stored_body_bytes, total.spans += c.spans;
    total.compressed_body_bytes += c.compressed_body_bytes;
    file_bytes += m.file_size;
    if (digest) {
      std::optional<Result<Sha256>> d;
      {
        py::gil_scoped_release nogil;
        auto file = MappedFile::open(set.shard_path(i));
        d.emplace(file ? Result<Sha256>(sha256((*file)->bytes())) : Result<Sha256>(file.status()));
      }
      digests[i] = to_hex(take(std::move(*d)));
    }
  }
  py::dict d;
  d["format"] = "quire-set", d["version"] = kSetManifestVersion;
  d["articles"] = total.articles, d["blocks"] = total.blocks, d["unique_bodies"] = total.unique_bodies;
  d["body_bytes"] = total.body_bytes, d["stored_body_bytes"] = total.stored_body_bytes;
  d["compressed_body_bytes"] = total.compressed_body_bytes, d["spans"] = total.spans;
  d["file_bytes"] = file_bytes, d["content_digest"] = to_hex(sm.content_digest);
  py::list shards;
  for (size_t i = 0; i < sm.shards.size(); ++i) {
    const ShardEntry& e = sm.shards[i];
    py::dict s;
    s["file"] = to_str(e.file), s["articles"] = e.articles, s["bytes"] = e.bytes;
    s["first_id"] = to_str(e.first_id), s["last_id"] = to_str(e.last_id);
    s["content_digest"] = to_hex(e.content_digest), s["file_digest"] = to_hex(e.file_digest);
    if (digest) s["file_digest_computed"] = digests[i];
    shards.append(s);
  }
  d["shards"] = shards;
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

  py::class_<PySetIterator>(m, "SetArticleIterator")
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &PySetIterator::next);

  py::class_<PySet>(m, "ArchiveSet", "An open archive set (base of quire.ArchiveSet).")
      .def(py::init<const std::string&>(), py::arg("path"))
      .def("close", &PySet::close, "Drops this handle; articles already taken stay valid.")
      .def_property_readonly("closed", &PySet::closed)
      .def_property_readonly("path", &PySet::path)
      .def_property_readonly("is_set", &PySet::is_set, "True for a set (False for a single archive opened as a set of one).")
      .def("__len__", &PySet::size)
      .def("__getitem__", &PySet::find, py::arg("id"),
           "The article with this exact id, looked up in the shards whose Bloom filter may hold it; NotFound if none.")
      .def("__contains__", &PySet::contains, py::arg("id"))
      .def("by_sha256", &PySet::by_sha256, py::arg("hex"), "The first article (in set order) whose body has this SHA-256.")
      .def("resolve", &PySet::resolve, py::arg("ref"), "An id, \"sha256:HEX\" or \"#N\" (global record number).")
      .def("at", &PySet::at, py::arg("n"), "The article with global record number n (negative counts from the end).")
      .def("_select", &PySet::select, py::arg("filter"), py::arg("begin") = 0, py::arg("end") = py::none())
      .def("_catalog", &PySet::catalog, py::arg("filter"), py::arg("begin") = 0, py::arg("end") = py::none())
      .def("_search", [](const PySet& self, const PyFilter& f, std::string q, uint64_t offset, uint64_t limit,
                         std::string stem, bool snippets, size_t snippet_bytes) {
        return search_set(self.get(), f, std::move(q), offset, limit, std::move(stem), snippets, snippet_bytes);
      })
      .def("shard_count", &PySet::shard_count)
      .def("shard_path", &PySet::shard_path, py::arg("shard"))
      .def("shard_start", &PySet::shard_start, py::arg("shard"), "Global record number of the shard's first article.")
      .def("_open_shard", &PySet::open_shard, py::arg("shard"))
      .def("block_count", &PySet::block_count, "Blocks of all shards (opens every shard's manifest).")
      .def("block_records", &PySet::block_records, py::arg("block"),
           "(first global record, record count) of set-wide block b; IndexError past the end.")
      .def("info", &PySet::info, py::kw_only(), py::arg("digest") = false,
           "Set totals and one dict per shard, as `quire info --json` on a set.")
      .def("verify", &PySet::verify, py::kw_only(), py::arg("quick") = false, py::arg("expect") = py::none(),
           "Every shard fully, and its digests against the manifest, as `quire verify --json` on a set;\n"
           "damage (a missing or altered shard too) is reported in the dict, not raised.")
      .def("__repr__", &PySet::repr);

  py::class_<PyArchive>(m, "Archive", "An open archive (base of quire.Archive).")
      .def(py::init<const std::string&>(), py::arg("path"))
      .def("close", &PyArchive::close, "Drops this handle; bodies and articles already taken stay valid.")
      .def_property_readonly("closed", &PyArchive::closed)
      .def_property_readonly("is_set", [](const PyArchive&) { return false; }, "False: a single archive file.")
      .def_property_readonly("path", &PyArchive::path)
      .def("__len__", &PyArchive::size)
      .def("__getitem__", &PyArchive::find, py::arg("id"), "The article with this exact id; NotFound if none.")
      .def("__contains__", &PyArchive::contains, py::arg("id"))
      .def("by_sha256", &PyArchive::by_sha256, py::arg("hex"), "The first article whose body has this SHA-256.")
      .def("at", &PyArchive::at, py::arg("n"), "The article with record number n (negative counts from the end).")
      .def("_select", &PyArchive::select, py::arg("filter"), py::arg("begin") = 0, py::arg("end") = py::none())
      .def("_catalog", &PyArchive::catalog, py::arg("filter"), py::arg("begin") = 0, py::arg("end") = py::none())
      .def("_search", [](const PyArchive& self, const PyFilter& f, std::string q, uint64_t offset, uint64_t limit,
                         std::string stem, bool snippets, size_t snippet_bytes) {
        return search_set(ArchiveSet::of(self.get()), f, std::move(q), offset, limit, std::move(stem), snippets,
                          snippet_bytes);
      })
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
