#include "writer/fulltext_index.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <future>
#include <map>

#include "format/layout.h"
#include "format/message.h"
#include "reader/archive.h"
#include "reader/archive_impl.h"
#include "reader/block_decode.h"
#include "reader/fulltext_scheme.h"
#include "writer/index_writer.h"
#include "writer/output_file.h"

namespace quire {

const char* const kXapianDatabaseFiles[] = {"flintlock",     "iamglass",       "postlist.glass", "termlist.glass",
                                            "position.glass", "docdata.glass",  "spelling.glass", "synonym.glass",
                                            "v.tmp",          "iamglass.tmp",   "single",         nullptr};

namespace {

// A temporary directory beside the output, removed (with the files a glass
// database holds) when this object goes.
class TempDatabaseDir {
 public:
  // `on_created` gets the path with SIGINT, SIGTERM and SIGHUP held from
  // just before the directory exists until it returns, so a handler it
  // registers never misses the directory (as OutputFile::create_beside).
  static Result<TempDatabaseDir> create_beside(const std::string& target,
                                               const std::function<void(const std::string&)>& on_created) {
    std::string dir = target.substr(0, target.find_last_of('/') == std::string::npos ? 0 : target.find_last_of('/') + 1);
    std::string base = target.substr(dir.size());
    std::string pattern = (dir.empty() ? std::string("./") : dir) + "." + base + ".xapian-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    bool made = false;
    int err = 0;
    with_termination_signals_held([&] {
      made = mkdtemp(buf.data()) != nullptr;
      err = errno;
      if (made && on_created) on_created(buf.data());
    });
    if (!made) {
      return Status::io_error(fmt::format("cannot create a temporary directory '{}': {}", pattern, std::strerror(err)));
    }
    TempDatabaseDir d;
    d.path_ = buf.data();
    return d;
  }
  TempDatabaseDir() = default;
  TempDatabaseDir(TempDatabaseDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  TempDatabaseDir& operator=(TempDatabaseDir&&) = delete;
  ~TempDatabaseDir() {
    if (path_.empty()) return;
    for (const char* const* f = kXapianDatabaseFiles; *f != nullptr; ++f) ::unlink((path_ + "/" + *f).c_str());
    ::rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Prepared {
  Xapian::Document doc;
  std::string stem_language;  // "" when the article has no text or no stemmer
  uint64_t text_bytes = 0;
  bool has_text = false;
};

// Makes the documents of records [first, first + count).
Result<std::vector<Prepared>> prepare(const Archive& archive, uint64_t first, uint64_t count,
                                      fulltext::Profile profile) {
  std::vector<Prepared> out;
  out.reserve(count);
  Xapian::TermGenerator generator;
  generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  for (uint64_t r = first; r < first + count; ++r) {
    QUIRE_ASSIGN_OR_RETURN(Article a, archive.at(r));
    QUIRE_ASSIGN_OR_RETURN(Body body, a.body());
    std::vector<Layer> layers;
    if (a.span_count() > 0) {
      QUIRE_ASSIGN_OR_RETURN(layers, a.annotations());
    }
    fulltext::DocumentInput in;
    in.id = a.id();
    in.title = a.title();
    in.source = a.source();
    in.lang = a.lang();
    in.date = a.date();
    in.text = fulltext::article_text(body.bytes(), a.media_type(), a.id());
    in.layers = &layers;
    Prepared p;
    p.has_text = in.text.has_value();
    p.text_bytes = in.text ? in.text->size() : 0;
    if (p.has_text) p.stem_language = fulltext::stem_language(in.lang);
    try {
      p.doc = fulltext::make_document(in, generator, profile);
    } catch (const Xapian::Error& e) {
      return Status::invalid_argument(fmt::format("article '{}' (#{}): cannot index: {}", a.id(), r, e.get_description()));
    }
    out.push_back(std::move(p));
  }
  return out;
}

// Builds the database of every article in `dir`, compacts it into
// `dir`/single, and fills `stats` and `languages`.
Status build_database(const Archive& archive, const std::string& dir, const IndexOptions& options, IndexStats& stats,
                      std::vector<std::string>& languages) {
  uint64_t total = archive.size();
  unsigned threads = std::max(1u, options.threads);
  std::map<std::string, uint64_t> language_counts;
  const fulltext::Profile profile = options.compact ? fulltext::Profile::kCompact : fulltext::Profile::kFull;
  try {
    // No termlist table: search never lists a document's terms, and without
    // it the index is 20% smaller (SPEC.md 17.1 has the measurement).
    Xapian::WritableDatabase db(dir, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_TERMLIST);
    // Work goes out in batches of whole blocks, one batch per thread; the
    // next round is being prepared while this one is added, in record order.
    uint64_t blocks = archive.block_count();
    uint64_t next_block = 0;
    auto launch_round = [&]() {
      std::vector<std::future<Result<std::vector<Prepared>>>> round;
      for (unsigned t = 0; t < threads && next_block < blocks; ++t) {
        uint64_t first_block = next_block;
        uint64_t last_block = std::min(blocks, next_block + 4);  // 4 blocks a task
        next_block = last_block;
        auto a = archive.block_records(first_block);
        auto b = archive.block_records(last_block - 1);
        if (!a || !b) {
          Status s = !a ? a.status() : b.status();
          round.push_back(std::async(std::launch::deferred, [s] { return Result<std::vector<Prepared>>(s); }));
          continue;
        }
        uint64_t first = a->first;
        uint64_t count = b->first + b->second - first;
        round.push_back(std::async(threads > 1 ? std::launch::async : std::launch::deferred,
                                   [&archive, first, count, profile] { return prepare(archive, first, count, profile); }));
      }
      return round;
    };
    uint64_t docid = 0, unflushed = 0;
    constexpr uint64_t kFlushTextBytes = uint64_t{32} << 20;
    auto round = launch_round();
    while (!round.empty()) {
      auto next = launch_round();
      for (auto& f : round) {
        auto prepared = f.get();
        if (!prepared) {
          for (auto& g : next) g.wait();
          return prepared.status();
        }
        for (Prepared& p : *prepared) {
          db.replace_document(static_cast<Xapian::docid>(++docid), p.doc);
          // Xapian buffers changes until a commit (by default every 10,000
          // documents, whatever their size): committing after every 32 MiB
          // of text bounds the memory (1.4 GB peak on the benchmark corpus
          // before). The compacted result does not depend on it.
          if ((unflushed += p.text_bytes) > kFlushTextBytes) {
            db.commit();
            unflushed = 0;
          }
          if (p.has_text) {
            stats.text_bytes += p.text_bytes;
            if (!p.stem_language.empty()) ++language_counts[p.stem_language];
          } else {
            ++stats.without_text;
          }
        }
        if (options.progress) options.progress(docid, total);
      }
      round = std::move(next);
    }
    if (docid != total) {
      return Status::corruption(fmt::format("the block table covers {} records, the archive has {}", docid, total));
    }
    db.commit();
    int fd = ::open((dir + "/single").c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) return Status::io_error(fmt::format("cannot create '{}/single': {}", dir, std::strerror(errno)));
    db.compact(fd, Xapian::DBCOMPACT_SINGLE_FILE);  // closes fd
  } catch (const Xapian::Error& e) {
    return Status::io_error(fmt::format("building the full-text index in '{}': {}", dir, e.get_description()));
  }
  stats.documents = total;
  uint64_t best = 0;
  for (const auto& [lang, n] : language_counts) {
    languages.push_back(lang);
    if (n > best) {  // ties: the first in alphabetical order
      best = n;
      stats.default_language = lang;
    }
  }
  return Status::ok();
}

// A file read in pieces, with bytes [kUuidOffset, +16) replaced by `uuid`.
constexpr size_t kUuidOffset = 16;

class PatchedFile {
 public:
  static Result<PatchedFile> open(const std::string& path, std::string uuid) {
    PatchedFile f;
    f.path_ = path;
    f.uuid_ = std::move(uuid);
    f.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (f.fd_ < 0) return Status::io_error(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
    struct stat st;
    if (fstat(f.fd_, &st) != 0) return Status::io_error(fmt::format("cannot stat '{}': {}", path, std::strerror(errno)));
    f.size_ = static_cast<uint64_t>(st.st_size);
    return f;
  }
  PatchedFile() = default;
  PatchedFile(PatchedFile&& o) noexcept : path_(std::move(o.path_)), uuid_(std::move(o.uuid_)), fd_(o.fd_), size_(o.size_) {
    o.fd_ = -1;
  }
  ~PatchedFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  uint64_t size() const { return size_; }
  // Calls `each` with consecutive pieces of the (patched) file.
  template <typename Each>
  Status for_each_piece(Each each) const {
    std::vector<char> buf(size_t{1} << 20);
    for (uint64_t at = 0; at < size_;) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), size_ - at));
      ssize_t n = ::pread(fd_, buf.data(), want, static_cast<off_t>(at));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Status::io_error(fmt::format("cannot read '{}': {}", path_, n < 0 ? std::strerror(errno) : "file shrank"));
      for (size_t i = 0; i < uuid_.size(); ++i) {
        uint64_t pos = kUuidOffset + i;
        if (pos >= at && pos < at + static_cast<uint64_t>(n)) buf[pos - at] = uuid_[i];
      }
      QUIRE_RETURN_IF_ERROR(each(std::span<const char>(buf.data(), static_cast<size_t>(n))));
      at += static_cast<uint64_t>(n);
    }
    return Status::ok();
  }

 private:
  std::string path_, uuid_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

// Writes the file as the payload of a section of `kind` without holding it
// in memory: one pass to checksum it, one to copy it.
Result<PageLocation> write_file_section(OutputFile& out, SectionKind kind, const PatchedFile& file) {
  XXH3_state_t* state = XXH3_createState();
  if (state == nullptr) return Status::io_error("out of memory");
  XXH3_64bits_reset(state);
  Status s = file.for_each_piece([&](std::span<const char> piece) {
    XXH3_64bits_update(state, piece.data(), piece.size());
    return Status::ok();
  });
  uint64_t checksum = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  QUIRE_RETURN_IF_ERROR(s);
  SectionHeader h;
  h.kind = kind;
  h.sequence = 0;
  h.payload_length = file.size();
  h.payload_checksum = checksum;
  std::array<std::byte, SectionHeader::kSize> header{};
  h.encode(header);
  PageLocation where;
  where.offset = out.offset();
  where.length = h.section_length();
  QUIRE_RETURN_IF_ERROR(out.write(header));
  // The checksum was taken over these same bytes: a file changed in between
  // would make the section fail its checksum, never pass with other bytes.
  QUIRE_RETURN_IF_ERROR(file.for_each_piece([&](std::span<const char> piece) { return out.write(std::as_bytes(piece)); }));
  QUIRE_RETURN_IF_ERROR(out.write_zeros(static_cast<size_t>(align_up(file.size()) - file.size())));
  return where;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Glass writes a random UUID into its version header. The section must be
// the same for the same input, so the UUID is replaced by one derived from
// the content digest (SPEC.md 17.1). Its place is checked, not assumed: the
// 16 bytes at kUuidOffset must be the UUID Xapian reports.
Result<std::string> deterministic_uuid(const std::string& single_path, const Sha256& content_digest) {
  std::string uuid_text;
  try {
    int fd = ::open(single_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::io_error(fmt::format("cannot open '{}': {}", single_path, std::strerror(errno)));
    Xapian::Database db(fd);
    uuid_text = db.get_uuid();
  } catch (const Xapian::Error& e) {
    return Status::io_error(fmt::format("cannot reopen the compacted index: {}", e.get_description()));
  }
  std::string raw;
  for (size_t i = 0; i + 1 < uuid_text.size(); ++i) {
    if (uuid_text[i] == '-') continue;
    int hi = hex_value(uuid_text[i]), lo = hex_value(uuid_text[i + 1]);
    if (hi < 0 || lo < 0) break;
    raw += static_cast<char>(hi * 16 + lo);
    ++i;
  }
  char stored[16] = {};
  int fd = ::open(single_path.c_str(), O_RDONLY | O_CLOEXEC);
  ssize_t n = fd < 0 ? -1 : ::pread(fd, stored, sizeof stored, kUuidOffset);
  if (fd >= 0) ::close(fd);
  if (raw.size() != 16 || n != 16 || std::memcmp(stored, raw.data(), 16) != 0) {
    return Status::unsupported(fmt::format(
        "Xapian {} does not keep its database UUID where quire expects it (SPEC.md 17.1); the index would not be "
        "reproducible",
        Xapian::version_string()));
  }
  // A version-4-shaped UUID from the first 16 bytes of the content digest.
  std::string uuid(reinterpret_cast<const char*>(content_digest.data()), 16);
  uuid[6] = static_cast<char>((uuid[6] & 0x0F) | 0x40);
  uuid[8] = static_cast<char>((uuid[8] & 0x3F) | 0x80);
  return uuid;
}

Result<IndexStats> write_indexed(const std::string& input, OutputFile& out, const std::string& temp_beside,
                                 const IndexOptions& options) {
  QUIRE_ASSIGN_OR_RETURN(Archive archive, Archive::open(input));
  const ArchiveImpl& impl = *archive.impl();
  const ManifestSummary& summary = archive.manifest();
  QUIRE_ASSIGN_OR_RETURN(TempDatabaseDir dir, TempDatabaseDir::create_beside(temp_beside, options.on_temp_dir));

  IndexStats stats;
  std::vector<std::string> languages;
  QUIRE_RETURN_IF_ERROR(build_database(archive, dir.path(), options, stats, languages).with_context(input));
  std::string single = dir.path() + "/single";
  QUIRE_ASSIGN_OR_RETURN(std::string uuid, deterministic_uuid(single, summary.content_digest));
  QUIRE_ASSIGN_OR_RETURN(PatchedFile db_file, PatchedFile::open(single, std::move(uuid)));
  stats.index_bytes = db_file.size();

  // Header, then everything before the old index (or the manifest) as it is.
  FileHeader header;
  header.major = kFulltextFormatMajor;
  header.minor = 0;
  std::array<std::byte, FileHeader::kSize> header_bytes{};
  header.encode(header_bytes);
  QUIRE_RETURN_IF_ERROR(out.write(header_bytes));
  uint64_t copy_end = summary.fulltext ? summary.fulltext->section.offset : impl.footer().manifest_offset;
  if (copy_end < FileHeader::kSize || copy_end > impl.file().size()) {
    return Status::corruption(fmt::format("'{}': manifest points outside the file", input));
  }
  QUIRE_RETURN_IF_ERROR(out.write(impl.file().bytes().subspan(FileHeader::kSize, copy_end - FileHeader::kSize)));

  QUIRE_ASSIGN_OR_RETURN(PageLocation where, write_file_section(out, SectionKind::kFulltext, db_file));
  where.count = stats.documents;

  QUIRE_ASSIGN_OR_RETURN(auto manifest_payload, impl.section(impl.footer().manifest_offset,
                                                             impl.footer().manifest_length, SectionKind::kManifest, 0));
  // The old manifest without its index, copied twice so that no orphaned
  // bytes of a replaced index stay in the message (the output must not
  // depend on whether the input had an index).
  capnp::MallocMessageBuilder copy, builder;
  QUIRE_RETURN_IF_ERROR(with_message(manifest_payload, "manifest", [&](capnp::MessageReader& r) -> Status {
    copy.setRoot(r.getRoot<schema::Manifest>());
    return Status::ok();
  }));
  if (copy.getRoot<schema::Manifest>().hasFulltext()) copy.getRoot<schema::Manifest>().disownFulltext();
  builder.setRoot(copy.getRoot<schema::Manifest>().asReader());
  auto m = builder.getRoot<schema::Manifest>();
  m.setFormatMajor(kFulltextFormatMajor);
  m.setFormatMinor(0);
  auto f = m.initFulltext();
  auto ref = f.initSection();
  ref.setOffset(where.offset);
  ref.setLength(where.length);
  ref.setCount(where.count);
  f.setScheme(std::string(fulltext::scheme_name(options.compact ? fulltext::Profile::kCompact : fulltext::Profile::kFull)));
  f.setBackend(std::string(fulltext::kBackend));
  f.setXapianVersion(Xapian::version_string());
  f.setDefaultLanguage(stats.default_language);
  auto langs = f.initLanguages(static_cast<unsigned>(languages.size()));
  for (unsigned i = 0; i < languages.size(); ++i) langs.set(i, languages[i]);
  f.setTextBytes(stats.text_bytes);
  QUIRE_RETURN_IF_ERROR(write_manifest_and_footer(out, builder));
  return stats;
}

}  // namespace

Result<IndexStats> write_indexed_archive(const std::string& input, const std::string& output,
                                         const IndexOptions& options) {
  QUIRE_ASSIGN_OR_RETURN(auto out, OutputFile::create_beside(output, options.sync, options.on_temp_file));
  auto stats = write_indexed(input, *out, output, options);
  if (!stats) {
    out->abandon();
    return stats.status();
  }
  QUIRE_RETURN_IF_ERROR(out->commit());
  return stats;
}

Result<IndexStats> write_indexed_archive_to_fd(const std::string& input, int fd, const std::string& name,
                                               const IndexOptions& options) {
  auto out = OutputFile::wrap_fd(fd, name);
  // The temporary database goes beside the input: the output has no directory.
  auto stats = write_indexed(input, *out, input, options);
  if (!stats) return stats.status();
  QUIRE_RETURN_IF_ERROR(out->commit());
  return stats;
}

}  // namespace quire
