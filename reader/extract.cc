#include "reader/extract.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_set>

#include "format/base64.h"
#include "format/checksum.h"
#include "format/id_path.h"
#include "format/json_writer.h"

namespace quire {
namespace {

// Closes a descriptor on scope exit.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(Fd&& o) noexcept : fd(o.fd) { o.fd = -1; }
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd, o.fd);
    return *this;
  }
};

std::string fold_case(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Opens (creating if needed) directory `name` under `parent` without
// following a symbolic link. -1 when `name` exists as something else.
int open_subdir(int parent, const std::string& name) {
  if (mkdirat(parent, name.c_str(), 0755) != 0 && errno != EEXIST) return -1;
  return openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

Status write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::io_error(fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::ok();
}

class DirectoryExtractor {
 public:
  DirectoryExtractor(int root, std::string root_name) : root_(root), root_name_(std::move(root_name)) {}

  // Writes one body; returns whether it had to use a collision path.
  Result<bool> write(std::string_view id, std::string_view body) {
    std::string rel = id_to_relative_path(id);
    bool renamed = false;
    std::vector<std::string> parts;
    for (size_t start = 0;;) {
      size_t slash = rel.find('/', start);
      parts.push_back(rel.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    // Directories: a component that exists as a file or a link gets the id's suffix.
    Fd dir(dup(root_));
    std::string done;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
      std::string name = parts[i];
      int fd = open_subdir(dir.fd, name);
      if (fd < 0) {
        name = collision_name(name, id);
        renamed = true;
        fd = open_subdir(dir.fd, name);
        if (fd < 0) return Status::io_error(fmt::format("cannot create directory '{}/{}{}': {}", root_name_, done, name, std::strerror(errno)));
      }
      dir = Fd(fd);
      done += name + "/";
    }
    // The file: never over an existing entry, nor one that differs only in case.
    std::string name = parts.back();
    std::string folded = fold_case(done + name);
    if (used_.count(folded)) {
      name = collision_name(name, id);
      renamed = true;
      folded = fold_case(done + name);
    }
    int fd = openat(dir.fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST && !renamed) {
      name = collision_name(name, id);
      renamed = true;
      folded = fold_case(done + name);
      fd = openat(dir.fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    }
    std::string shown = root_name_ + "/" + done + name;
    if (fd < 0) return Status::io_error(fmt::format("cannot create '{}': {}", shown, std::strerror(errno)));
    Fd file(fd);
    Status written = write_all(fd, body, shown);
    if (!written.is_ok()) {
      unlinkat(dir.fd, name.c_str(), 0);  // no truncated body left behind
      return written;
    }
    used_.insert(folded);
    return renamed;
  }

 private:
  int root_;
  std::string root_name_;
  std::unordered_set<std::string> used_;
};

}  // namespace

Result<ExtractStats> extract_to_directory(const Archive& archive, const std::string& dir, const ArticleFilter& filter,
                                          const ExtractProgress& progress) {
  return extract_to_directory(ArchiveSet::of(archive), dir, filter, progress);
}

Result<ExtractStats> extract_to_directory(const ArchiveSet& archive, const std::string& dir, const ArticleFilter& filter,
                                          const ExtractProgress& progress) {
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return Status::io_error(fmt::format("cannot create '{}': {}", dir, std::strerror(errno)));
  }
  Fd root(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (root.fd < 0) return Status::io_error(fmt::format("cannot open directory '{}': {}", dir, std::strerror(errno)));
  DirectoryExtractor ex(root.fd, dir);
  ExtractStats stats;
  for (uint64_t r = 0; r < archive.size(); ++r) {
    QUIRE_ASSIGN_OR_RETURN(Article a, archive.at(r));
    if (!filter.matches(a)) continue;
    QUIRE_ASSIGN_OR_RETURN(Body body, a.body());
    QUIRE_ASSIGN_OR_RETURN(bool renamed, ex.write(a.id(), body.bytes()));
    stats.articles++;
    stats.bytes += body.size();
    stats.renamed += renamed;
    if (progress) progress(stats);
  }
  return stats;
}

namespace {

// "layers": [...] with each span's offsets from `placed` when given (the
// spans of every layer in stored order, converted), else as stored.
void write_layers(JsonWriter& w, const std::vector<Layer>& layers, const std::vector<PlacedSpan>* placed) {
  w.key("layers").begin_array();
  size_t next = 0;
  for (const Layer& l : layers) {
    w.begin_object().field("name", l.name);
    if (!l.producer.empty()) w.field("producer", l.producer);
    w.key("spans").begin_array();
    for (const Span& s : l.spans) {
      uint64_t start = placed ? (*placed)[next].start : s.start, end = placed ? (*placed)[next].end : s.end;
      ++next;
      w.begin_object().field("type", s.type).field("start", start).field("end", end);
      if (!s.label.empty()) w.field("label", s.label);
      if (!s.attributes.empty()) {
        w.key("attrs").begin_object();
        for (const auto& kv : s.attributes) w.field(kv.key, kv.value);
        w.end_object();
      }
      w.end_object();
    }
    w.end_array().end_object();
  }
  w.end_array();
}

}  // namespace

Result<std::string> article_to_json(const Article& a, bool with_body, OffsetUnit offsets) {
  JsonWriter w;
  w.begin_object();
  w.field("id", a.id());
  auto text_field = [&](const char* k, std::string_view v) {
    if (!v.empty()) w.field(k, v);
  };
  text_field("source", a.source());
  text_field("title", a.title());
  text_field("url", a.url());
  if (a.date().known()) w.field("date", a.date().to_string());
  text_field("lang", a.lang());
  auto notes = a.lang_notes();
  if (!notes.empty()) {
    w.key("lang_notes").begin_array();
    for (auto n : notes) w.value(n);
    w.end_array();
  }
  text_field("media_type", a.media_type());
  auto extra = a.extra();
  if (!extra.empty()) {
    w.key("meta").begin_object();
    for (auto& [k, v] : extra) w.field(k, v);
    w.end_object();
  }
  w.field("sha256", to_hex(a.sha256()));
  w.field("length", a.body_length());
  if (offsets == OffsetUnit::kCodepoints) {
    w.field("offsets", offset_unit_name(offsets));
    QUIRE_ASSIGN_OR_RETURN(ArticleAnnotations placed, place_annotations(a, offsets));
    if (!placed.layers.empty()) write_layers(w, placed.layers, &placed.spans);
  } else {
    QUIRE_ASSIGN_OR_RETURN(auto layers, a.annotations());
    if (!layers.empty()) write_layers(w, layers, nullptr);
  }
  if (with_body) {
    QUIRE_ASSIGN_OR_RETURN(Body body, a.body());
    if (is_valid_utf8(body.bytes())) {
      w.field("text", body.bytes());
    } else {
      w.field("body_b64", base64_encode(body.bytes()));
    }
  }
  w.end_object();
  return w.take();
}

Result<ExtractStats> extract_to_jsonl(const Archive& archive, const ArticleFilter& filter,
                                      const std::function<Status(std::string_view)>& out,
                                      const ExtractProgress& progress, OffsetUnit offsets) {
  return extract_to_jsonl(ArchiveSet::of(archive), filter, out, progress, offsets);
}

Result<ExtractStats> extract_to_jsonl(const ArchiveSet& archive, const ArticleFilter& filter,
                                      const std::function<Status(std::string_view)>& out,
                                      const ExtractProgress& progress, OffsetUnit offsets) {
  ExtractStats stats;
  for (uint64_t r = 0; r < archive.size(); ++r) {
    QUIRE_ASSIGN_OR_RETURN(Article a, archive.at(r));
    QUIRE_ASSIGN_OR_RETURN(bool wanted, filter.check(a));
    if (!wanted) continue;
    QUIRE_ASSIGN_OR_RETURN(std::string line, article_to_json(a, true, offsets));
    line.push_back('\n');
    QUIRE_RETURN_IF_ERROR(out(line));
    stats.articles++;
    stats.bytes += a.body_length();
    if (progress) progress(stats);
  }
  return stats;
}

}  // namespace quire
