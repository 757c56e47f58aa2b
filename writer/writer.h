// The streaming archive builder (SPEC.md 1 gives the file this produces).
//
//   WriterOptions opts;  opts.threads = 2;
//   auto w = Writer::create("corpus.quire", opts);   // Result<std::unique_ptr<Writer>>
//   (*w)->add(article);  ...  (*w)->finish();        // or abandon()
//
// Guarantees:
//  - one forward pass over the output (it may be a pipe);
//  - the target path is only ever replaced by a complete archive: the writer
//    writes a temporary file beside it and renames it on finish();
//  - the same articles and options give byte-identical archives whatever
//    `threads` is (blocks are cut by size alone and each is compressed by one
//    thread; results are written in order);
//  - memory: the open blocks (about (2 * threads + 2) * block_size), the
//    dictionary sample, zstd's contexts, and options.memory_budget (default
//    64 MiB) for the duplicate-id check, deduplication (their tables and the
//    Bloom filters and page fences of their spilled runs, which have shares of
//    the budget: writer/memory_budget.h), the indexes and the block table;
//    beyond the budget that state spills to an unlinked temporary file. On top
//    of the budget only fixed buffers: 320 KiB per key table while it merges
//    runs, 4 KiB per sorted run of index entries while they are merged back.
//    Nothing else stays per article (a few dozen bytes per spilled run, and
//    runs hold at least 3/64 of the budget's worth of entries). README "Memory
//    while packing": 5,000,000 tiny articles peak at 110 MiB, 20,000,000 at
//    131 MiB (all in memory before: 807 MiB for 5,000,000).
// Errors are sticky: after one, every later call returns it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "format/model.h"
#include "format/status.h"

namespace quire {

struct WriterOptions {
  // zstd level of every frame. See SPEC.md 5.4 for the measurement behind the default.
  int level = 9;
  // Target bytes of bodies per block (before compression). A body larger than
  // this gets a block of its own.
  uint64_t block_size = 64 * 1024;
  // Train a zstd dictionary (SPEC.md 5.3). From `dictionary_sample` when the
  // caller gives one (bodies sampled across the whole input: best, since a
  // corpus sorted by source changes along the way); otherwise from the first
  // `dictionary_sample_bytes` of bodies, which the writer holds back meanwhile.
  bool dictionary = true;
  size_t dictionary_size = 256 * 1024;  // SPEC.md 5.3 has the measurement
  uint64_t dictionary_sample_bytes = 8 * 1024 * 1024;
  std::vector<std::string> dictionary_sample;
  // Compression threads; 0 or 1 compress on the calling thread.
  unsigned threads = 1;
  // fsync the file and its directory before the rename.
  bool sync = true;
  // Bytes of memory for the state that grows with the corpus: the duplicate-id
  // check, deduplication, index entries and block table (and pack's origin of
  // each record). Beyond it that state goes to one unlinked temporary file
  // (writer/spill_file.h) and comes back by merge; the archive bytes are the
  // same whatever the budget. Raised to 16 KiB if smaller. The default holds
  // about 160,000 articles with distinct bodies before anything goes to disk.
  uint64_t memory_budget = 64 * 1024 * 1024;
  // Called with the temporary file's path as soon as it exists (before the
  // dictionary is trained), e.g. to remove it if a signal arrives.
  std::function<void(const std::string&)> on_temp_file;
  ArchiveInfo info;
};

struct ArticleInput {
  ArticleMeta meta;
  std::string_view body;                  // copied by add(); the original bytes
  std::optional<Sha256> expected_sha256;  // if given, must match the body
  std::vector<Layer> layers;              // annotations; offsets checked against the body
  // Instead of a body: the body already added with this SHA-256 (a WARC
  // revisit shares its original's payload). `body` must then be empty.
  std::optional<Sha256> shared_body;
};

struct WriterStats {
  uint64_t articles = 0;
  uint64_t body_bytes = 0;       // all bodies, as added
  uint64_t unique_bodies = 0;
  uint64_t blocks = 0;
  uint64_t bytes_written = 0;    // output so far
  uint64_t spill_bytes = 0;      // written to the spill file so far (0 while within memory_budget)
};

class Writer {
 public:
  // Writes to a temporary file beside `path`, renamed to `path` by finish().
  static Result<std::unique_ptr<Writer>> create(const std::string& path, WriterOptions options);
  // Writes to an open descriptor (e.g. stdout); `name` is used in messages.
  static Result<std::unique_ptr<Writer>> create_on_fd(int fd, const std::string& name, WriterOptions options);
  ~Writer();  // abandons an unfinished archive

  // Adds one article. Fails on a bad or duplicate id, a body that does not
  // match expected_sha256, or spans outside the body; the message names the article.
  // `sha256`, if given, receives the body's SHA-256 (computed here anyway), so
  // a caller that needs it does not hash the body a second time.
  Status add(const ArticleInput& article, Sha256* sha256 = nullptr);
  // Writes indexes, manifest and footer, then renames the file into place.
  Status finish();
  // Stops and removes the temporary file. Safe after an error.
  void abandon();

  // Adds archive metadata (ArchiveInfo::extra) before finish(), e.g. WARC
  // warcinfo records met while reading the input.
  void add_info(KeyValue kv);
  // Whether a body with this SHA-256 was added.
  bool has_body(const Sha256& sha) const;

  WriterStats stats() const;
  // The record number of an id already added (for messages), if any.
  std::optional<uint64_t> find_record(std::string_view id) const;
  // The temporary file being written ("" when writing to a descriptor).
  std::string temp_path() const;
  // After a successful finish(): the content digest written (SPEC.md 10.1).
  Sha256 content_digest() const;

  class Impl;

 private:
  explicit Writer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace quire
