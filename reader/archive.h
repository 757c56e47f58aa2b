// Reading a Quire archive (SPEC.md 1-8) from a memory mapping.
//
//   auto archive = Archive::open("corpus.quire");        // Result<Archive>
//   auto article = archive->find("news/2024/04/26/x");    // Result<Article>
//   auto body = article->body();                          // Result<Body>
//   fwrite(body->bytes().data(), 1, body->bytes().size(), stdout);
//
// open() checks the header, the footer and the manifest (a few hundred bytes)
// and nothing else, so it costs the same for any article count. Every offset
// and length read from the file is checked before it is followed; damaged
// bytes give a Corruption status naming the section or article, never a
// crash. Sections are checked against their checksum when first loaded.
//
// Thread safety: an Archive may be shared by any number of threads; all its
// methods are const and safe to call concurrently. Article and Body are
// immutable views; each keeps what it points into alive (decoded buffers are
// reference-counted), so they stay valid after the Archive handle is gone.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "format/layout.h"
#include "format/model.h"
#include "format/quire.capnp.h"

#include <capnp/message.h>

namespace quire {

struct ReaderOptions {
  size_t cache_blocks = 64;     // decoded bodies frames kept (64 KiB each by default)
  size_t cache_catalogs = 1024; // decoded catalog frames kept (about 8 KiB each)
  uint64_t cache_bytes = 256u << 20;  // each cache also holds at most this many bytes
  // A block whose bodies decompress to more than this is refused (before
  // anything is allocated): the defence against decompression bombs.
  uint64_t max_block_bytes = uint64_t{4} << 30;
};

class ArchiveImpl;
struct CatalogBlock;
struct BodiesBlock;

// An article's body: the original bytes, kept alive by this object.
class Body {
 public:
  std::string_view bytes() const { return bytes_; }
  size_t size() const { return bytes_.size(); }

 private:
  friend class Article;
  std::shared_ptr<const BodiesBlock> owner_;
  std::string_view bytes_;
};

// A view of one article's catalog record. Accessors read the decoded catalog
// in place (no copy); string_views live as long as this Article. One Article
// object (and its copies) is for one thread at a time; get another from the
// Archive for another thread.
class Article {
 public:
  uint64_t record() const { return record_; }
  std::string_view id() const;
  Sha256 sha256() const;
  uint64_t body_length() const;
  std::string_view source() const;
  std::string_view title() const;
  std::string_view url() const;
  Date date() const;
  std::string_view lang() const;
  std::vector<std::string_view> lang_notes() const;
  std::string_view media_type() const;
  std::vector<std::pair<std::string_view, std::string_view>> extra() const;
  uint64_t span_count() const;
  uint64_t body_block() const;  // block holding the body (shared bodies: an earlier block)
  uint64_t block() const;       // block holding this record

  ArticleMeta meta() const;  // a copy of all metadata
  Result<Body> body() const;
  Result<std::vector<Layer>> annotations() const;
  // Checks this one article: its block's checksum, its body against its
  // SHA-256, and its annotations against the body. OK or Corruption.
  Status verify() const;

 private:
  friend class ArchiveImpl;
  schema::Article::Reader reader() const;
  std::shared_ptr<const ArchiveImpl> archive_;
  std::shared_ptr<const CatalogBlock> block_;
  uint32_t slot_ = 0;
  uint64_t record_ = 0;
  std::shared_ptr<capnp::MessageReader> message_;
  schema::Article::Reader record_reader_;
};

struct ArchiveCounts {
  uint64_t articles = 0, blocks = 0, unique_bodies = 0, body_bytes = 0, stored_body_bytes = 0,
           compressed_body_bytes = 0, spans = 0;
};

// The full-text index section, when the archive has one (SPEC.md 17).
struct FulltextSummary {
  PageLocation section;  // count: documents
  std::string scheme, backend, xapian_version, default_language;
  std::vector<std::string> languages;
  uint64_t text_bytes = 0;
};

struct ManifestSummary {
  uint16_t format_major = 0, format_minor = 0;
  ArchiveInfo info;
  ArchiveCounts counts;
  Sha256 content_digest{};
  uint64_t block_size = 0;
  int compression_level = 0;
  std::vector<uint64_t> dictionary_sizes;  // bytes of dictionary 1, 2, ...
  uint64_t file_size = 0;
  uint64_t index_bytes = 0;  // block table, id index, sha index and manifest sections
  std::optional<FulltextSummary> fulltext;
};

class Archive {
 public:
  static Result<Archive> open(const std::string& path, ReaderOptions options = {});

  uint64_t size() const;  // number of articles
  const std::string& path() const;
  ManifestSummary manifest() const;

  // Record numbers run 0..size()-1 in archive (insertion) order.
  Result<Article> at(uint64_t record) const;

  // Blocks run 0..block_count()-1 and hold consecutive record ranges in
  // order, so a scan can be split into independent ranges of blocks (one per
  // worker or task). block_records(b) is {first record, record count} of
  // block b, from the block table (no block is decoded); NotFound past the end.
  uint64_t block_count() const;
  Result<std::pair<uint64_t, uint64_t>> block_records(uint64_t block) const;
  Result<Article> find(std::string_view id) const;  // NotFound if absent
  Result<Article> find_sha256(const Sha256& sha) const;  // the first article with that body
  // "sha256:HEX", "#N" (record number) or an id.
  Result<Article> resolve(std::string_view ref) const;

  std::shared_ptr<const ArchiveImpl> impl() const { return impl_; }

 private:
  explicit Archive(std::shared_ptr<const ArchiveImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const ArchiveImpl> impl_;
};

}  // namespace quire
