// Packing a corpus from the inputs `quire pack` understands: a JSONL file (or
// stdin) of articles, or a directory tree (id = relative path), with optional
// metadata and annotation sidecars. Errors name the file and line or path.
#pragma once

#include <functional>
#include <string>

#include "writer/fulltext_index.h"
#include "writer/jsonl_input.h"
#include "writer/set_writer.h"
#include "writer/warc_input.h"
#include "writer/writer.h"

namespace quire {

enum class InputKind { kAuto, kJsonl, kDirectory, kArchive, kWarc };

// "auto", "jsonl", "dir", "archive", "warc" -> the kind; nullopt for others.
std::optional<InputKind> parse_input_kind(std::string_view name);

struct PackRequest {
  std::string input;             // a .jsonl file, a directory, an archive, a WARC, or "-" for stdin
  InputKind kind = InputKind::kAuto;  // kAuto: detected from the name and first bytes
  std::string output;            // archive path, or "-" for stdout
  std::string meta_path;         // directory input: JSONL metadata by id
  std::string annotations_path;  // JSONL annotation records by id
  JsonlOptions jsonl;
  WarcInputOptions warc;
  WriterOptions writer;
  // Rule-based extraction from raw pages (writer/page_extract.h): fills only
  // what the input left empty, adds layers; the body is never changed.
  bool extract = false;
  // Fill an empty `lang` with CLD2 when it is reliable (marked lang.detected);
  // nullopt: on exactly when `extract` is.
  std::optional<bool> detect_lang;
  // Year for extracted dates written without one (e.g. the crawl year).
  std::optional<int> extract_year;
  // Filled in for WARC input: what was read, attached, shared, skipped.
  WarcStats* warc_stats = nullptr;
  // Called after each article with the running totals (the CLI throttles it).
  std::function<void(const WriterStats&)> progress;
  // Called for inputs that are skipped, e.g. symbolic links in a directory.
  std::function<void(const std::string&)> warning;
  // Called with each temporary output file as it is created (every shard's
  // and the manifest's for a set), e.g. to remove it on a signal.
  std::function<void(const std::string&)> on_temp_file;
  // When > 0: write an archive set (SPEC.md 15) into the directory `output`,
  // starting a new shard before a shard's body bytes would pass this.
  uint64_t shard_size = 0;
  // Sets: reads a shared body back from a finished shard (reader/archive_set.h
  // read_shard_body). Without it, a body shared across a cut is an error.
  ShardBodyReader shard_body_reader;
  // Sets: receives the number of shards written.
  uint64_t* shards_written = nullptr;
  // Add a full-text index (SPEC.md 17) to the archive, or to each shard,
  // once it is complete (writer/fulltext_index.h). On stdout the archive
  // goes through a temporary file first.
  bool fulltext = false;
  IndexOptions index;
  // Filled in when fulltext is set: totals over every shard.
  IndexStats* index_stats = nullptr;
};

Result<WriterStats> pack(const PackRequest& request);

}  // namespace quire
