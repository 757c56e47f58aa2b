// Adds a full-text index to an archive (SPEC.md 17): `quire index` and
// `quire pack --fulltext`.
//
//   IndexOptions opts;  opts.threads = 2;
//   auto stats = write_indexed_archive("corpus.quire", "indexed.quire", opts);
//
// The output is the input's bytes from offset 64 up to its manifest copied
// unchanged (blocks, dictionaries, indexes: no recompression), then the
// fulltext section, then a new manifest (the old one plus the index) and
// footer; the header and footer say format 2.0. An index already in the
// input is replaced. The content digest does not change.
//
// The index is built in a temporary Xapian database in a directory beside the
// output, compacted into one file and copied into the section; both are
// removed whatever happens. Every article is read (so every block's checksum
// is checked on the way). Deterministic: the same input gives the same bytes,
// whatever `threads` is.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "format/status.h"

namespace quire {

struct IndexOptions {
  // full: phrases and exact word forms; compact: a sixth of the size (bench/FULLTEXT.md),
  // stemmed words only, phrases as all their words (SPEC.md 17.2).
  bool compact = false;
  unsigned threads = 1;  // threads that read articles and make documents
  bool sync = true;      // fsync before the rename
  // Called with the temporary file's and directory's paths as soon as each
  // exists, e.g. to remove them if a signal arrives.
  std::function<void(const std::string&)> on_temp_file;
  std::function<void(const std::string&)> on_temp_dir;
  // Called now and then with articles indexed so far and the total.
  std::function<void(uint64_t done, uint64_t total)> progress;
};

struct IndexStats {
  uint64_t documents = 0;        // = articles
  uint64_t without_text = 0;     // articles whose body has no indexed text (binary, not UTF-8)
  uint64_t text_bytes = 0;       // text indexed
  uint64_t index_bytes = 0;      // the Xapian database (the section's payload)
  std::string default_language;  // most common stemmer language, "" when none
};

// Reads the archive at `input` and writes it with an index to `output`
// (a temporary file beside it, renamed on success). `input` and `output`
// may be the same path.
Result<IndexStats> write_indexed_archive(const std::string& input, const std::string& output,
                                         const IndexOptions& options);
// The same to an open descriptor (e.g. stdout); `name` is used in messages.
Result<IndexStats> write_indexed_archive_to_fd(const std::string& input, int fd, const std::string& name,
                                               const IndexOptions& options);

// The file names a Xapian glass database directory can hold: a signal
// handler removes exactly these, then the directory (no allocation there).
extern const char* const kXapianDatabaseFiles[];

}  // namespace quire
