#include "reader/export_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>
#include <locale.h>

#include <algorithm>
#include <memory>

#include "format/id_path.h"

namespace quire {
namespace {

std::string fold_case(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

struct ArchiveDeleter {
  void operator()(struct archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};
using ArchivePtr = std::unique_ptr<struct archive, ArchiveDeleter>;

// While it lives, this thread's character type is UTF-8. libarchive
// converts member names through the current locale, and under the "C"
// locale a non-ASCII name has no multibyte form (libarchive 3.6's pax writer
// then crashes). uselocale() changes only this thread, unlike setlocale().
class Utf8Locale {
 public:
  Utf8Locale() : utf8_(newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0))) {
    if (utf8_) previous_ = uselocale(utf8_);
  }
  ~Utf8Locale() {
    if (!utf8_) return;
    uselocale(previous_);
    freelocale(utf8_);
  }
  Utf8Locale(const Utf8Locale&) = delete;
  Utf8Locale& operator=(const Utf8Locale&) = delete;

 private:
  locale_t utf8_;
  locale_t previous_ = static_cast<locale_t>(0);
};

// libarchive hands every output byte to this callback. It keeps the first
// write error, since libarchive reports only a generic failure.
struct Sink {
  ExportFile* out;
  Status status;
};

la_ssize_t sink_write(struct archive*, void* client, const void* buffer, size_t length) {
  auto* sink = static_cast<Sink*>(client);
  sink->status = sink->out->write(std::string_view(static_cast<const char*>(buffer), length));
  return sink->status.is_ok() ? static_cast<la_ssize_t>(length) : -1;
}

Status libarchive_error(struct archive* a, const Sink& sink, const std::string& path) {
  if (!sink.status.is_ok()) return sink.status;
  return Status::io_error(fmt::format("cannot write '{}': {}", path, archive_error_string(a) ? archive_error_string(a) : "libarchive error"));
}

// Format, filter and options; every choice that could vary is fixed here.
Status configure(struct archive* a, ArchiveKind kind) {
  int r = ARCHIVE_OK;
  if (kind == ArchiveKind::kZip) {
    r = archive_write_set_format_zip(a);
    if (r == ARCHIVE_OK) r = archive_write_set_format_option(a, "zip", "hdrcharset", "UTF-8");
  } else {
    r = archive_write_set_format_pax_restricted(a);
    if (r == ARCHIVE_OK && kind == ArchiveKind::kTarGzip) {
      r = archive_write_add_filter_gzip(a);
      // By default libarchive stores the current time in the gzip header.
      if (r == ARCHIVE_OK) r = archive_write_set_filter_option(a, "gzip", "timestamp", nullptr);
    } else if (r == ARCHIVE_OK && kind == ArchiveKind::kTarZstd) {
      r = archive_write_add_filter_zstd(a);
      if (r == ARCHIVE_OK) r = archive_write_set_filter_option(a, "zstd", "compression-level", "3");
    }
  }
  // No zero padding of the output to libarchive's 10 KiB blocks (what it does
  // for a regular file too): it would follow a zstd frame or a zip's central
  // directory as garbage. A tar still ends with its two zero records.
  if (r == ARCHIVE_OK) r = archive_write_set_bytes_in_last_block(a, 1);
  if (r != ARCHIVE_OK) {
    return Status::unsupported(fmt::format("libarchive cannot write {}: {}", archive_kind_name(kind),
                                           archive_error_string(a) ? archive_error_string(a) : "unknown error"));
  }
  return Status::ok();
}

Status write_member(struct archive* a, const Sink& sink, const std::string& shown, const std::string& name,
                    const Article& article, std::string_view body) {
  std::unique_ptr<archive_entry, EntryDeleter> e(archive_entry_new());
  archive_entry_set_pathname_utf8(e.get(), name.c_str());
  archive_entry_set_filetype(e.get(), AE_IFREG);
  archive_entry_set_perm(e.get(), 0644);
  archive_entry_set_size(e.get(), static_cast<la_int64_t>(body.size()));
  Date date = article.date();
  archive_entry_set_mtime(e.get(), date.known() ? static_cast<time_t>(date.period_start()) : 0, 0);
  archive_entry_set_uid(e.get(), 0);
  archive_entry_set_gid(e.get(), 0);
  archive_entry_set_uname(e.get(), "root");
  archive_entry_set_gname(e.get(), "root");
  if (archive_write_header(a, e.get()) < ARCHIVE_WARN) return libarchive_error(a, sink, shown);
  while (!body.empty()) {
    la_ssize_t n = archive_write_data(a, body.data(), body.size());
    if (n <= 0) return libarchive_error(a, sink, shown);
    body.remove_prefix(static_cast<size_t>(n));
  }
  if (archive_write_finish_entry(a) < ARCHIVE_WARN) return libarchive_error(a, sink, shown);
  return Status::ok();
}

}  // namespace

const char* archive_kind_name(ArchiveKind kind) {
  switch (kind) {
    case ArchiveKind::kTar: return "tar";
    case ArchiveKind::kTarGzip: return "tar.gz";
    case ArchiveKind::kTarZstd: return "tar.zst";
    case ArchiveKind::kZip: return "zip";
  }
  return "?";
}

std::string MemberPaths::assign(std::string_view id, bool& renamed) {
  std::string rel = id_to_relative_path(id);
  renamed = false;
  std::string done;  // the directories so far, each with its '/'
  for (size_t start = 0;;) {
    size_t slash = rel.find('/', start);
    std::string name = rel.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (slash == std::string::npos) {  // the file: not where a file or a directory already is
      std::string folded = fold_case(done + name);
      if (files_.count(folded) || dirs_.count(folded)) {
        name = collision_name(name, id);
        renamed = true;
        folded = fold_case(done + name);
      }
      files_.insert(folded);
      return done + name;
    }
    if (files_.count(fold_case(done + name))) {  // a directory where a file is
      name = collision_name(name, id);
      renamed = true;
    }
    done += name + "/";
    dirs_.insert(fold_case(done.substr(0, done.size() - 1)));
    start = slash + 1;
  }
}

Result<ExtractStats> export_to_archive(const Archive& archive, ArchiveKind kind, ExportFile& out,
                                       const ArticleFilter& filter, const ExtractProgress& progress) {
  return export_to_archive(ArchiveSet::of(archive), kind, out, filter, progress);
}

Result<ExtractStats> export_to_archive(const ArchiveSet& archive, ArchiveKind kind, ExportFile& out,
                                       const ArticleFilter& filter, const ExtractProgress& progress) {
  const std::string& path = out.path();
  Utf8Locale utf8;  // before the archive object, which caches the character set
  Sink sink{&out, Status::ok()};
  ArchivePtr a(archive_write_new());
  if (!a) return Status::io_error("libarchive: out of memory");
  QUIRE_RETURN_IF_ERROR(configure(a.get(), kind));
  if (archive_write_open(a.get(), &sink, nullptr, sink_write, nullptr) != ARCHIVE_OK) {
    return libarchive_error(a.get(), sink, path);
  }
  MemberPaths paths;
  ExtractStats stats;
  for (uint64_t r = 0; r < archive.size(); ++r) {
    QUIRE_ASSIGN_OR_RETURN(Article article, archive.at(r));
    QUIRE_ASSIGN_OR_RETURN(bool wanted, filter.check(article));
    if (!wanted) continue;
    QUIRE_ASSIGN_OR_RETURN(Body body, article.body());
    bool renamed = false;
    std::string name = paths.assign(article.id(), renamed);
    QUIRE_RETURN_IF_ERROR(write_member(a.get(), sink, path, name, article, body.bytes()));
    stats.articles++;
    stats.bytes += body.size();
    stats.renamed += renamed;
    if (progress) progress(stats);
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) return libarchive_error(a.get(), sink, path);
  return stats;
}

}  // namespace quire
