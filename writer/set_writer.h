// The archive set builder (SPEC.md 15): articles in, DIR/part-00000.quire,
// part-00001.quire, ... and DIR/quire-set.json out.
//
//   auto w = SetWriter::create("corpus/", options, 512 << 20);  // or SetWriter::single(writer)
//   (*w)->add(article);  ...  (*w)->finish();                   // or abandon()
//
// Cut points: a new shard starts before an article when the current shard
// holds at least one article and its body bytes (WriterStats::body_bytes)
// plus this article's body would exceed `shard_size`. A shared body
// (ArticleInput::shared_body) counts as 0 here, since it stores nothing new.
// The cut depends on the input alone, so the shards are the same for any
// `threads`. A single article larger than `shard_size` gets a shard of its own.
//
// Shared bodies across a cut: when an article shares a body stored in an
// earlier shard, the body's bytes are read back from that finished shard by
// `body_reader` (the reader library does this; the writer does not link it)
// and stored once more in the current shard, so every shard stands alone.
//
// Crash safety: each shard is written by a Writer (temporary file, renamed
// when complete), the manifest last (temporary file, renamed), so a directory
// without quire-set.json is visibly incomplete. On an error or abandon() every
// file written is removed, and the directory too when this writer made it.
// The directory must be empty or absent. Errors are sticky.
//
// Memory: WriterOptions::memory_budget in all (README "Memory while packing").
// A quarter of it (SetWriter::set_share) is the set's own: the duplicate-id
// check across shards (a KeyTable from a 128-bit hash of the id to its global
// record, writer/key_table.h: 13/16 of the quarter for the table, 2/16 for
// its runs' filters and fences) and the current shard's id hashes for its
// manifest filter (1/16, a SpillSequence); beyond that share they go to the
// set's own unlinked spill file (in the set's directory). Each shard's Writer
// gets the other three quarters as its memory_budget, and only one shard is
// open at a time. So the total stays within the budget (plus each Writer's
// fixed buffers) whatever the article count.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "format/set_manifest.h"
#include "writer/key_table.h"
#include "writer/spill_file.h"
#include "writer/spill_sequence.h"
#include "writer/writer.h"

namespace quire {

// Returns the bytes of the body with SHA-256 `sha` from one of `shards`
// (finished shard paths, oldest first); NotFound when none holds it.
using ShardBodyReader = std::function<Result<std::string>(const std::vector<std::string>& shards, const Sha256& sha)>;

class SetWriter {
 public:
  // A set in directory `dir`; shard_size > 0.
  static Result<std::unique_ptr<SetWriter>> create(const std::string& dir, WriterOptions options, uint64_t shard_size,
                                                   ShardBodyReader body_reader = {});
  // One archive written by `writer`, without a manifest: the same interface
  // over the single-file writer, so a caller has one code path.
  static std::unique_ptr<SetWriter> single(std::unique_ptr<Writer> writer);
  ~SetWriter();  // abandons an unfinished set

  Status add(const ArticleInput& article, Sha256* sha256 = nullptr);  // as Writer::add
  // Finishes the last shard and writes the manifest.
  Status finish();
  void abandon();

  // Archive metadata for every shard (each shard carries the set's info).
  void add_info(KeyValue kv);
  WriterStats stats() const;  // totals over the shards so far
  // The global record number of an id already added.
  std::optional<uint64_t> find_record(std::string_view id) const;
  // The temporary file of the shard being written.
  std::string temp_path() const;
  // Called with each new temporary file (each shard's, then the manifest's).
  void on_temp_file(std::function<void(const std::string&)> f) { on_temp_ = std::move(f); }
  // Called with each finished shard's path before its digests are taken, to
  // rewrite it in place (pack --fulltext adds the index there). Sets only.
  void after_shard(std::function<Status(const std::string&)> f) { after_shard_ = std::move(f); }
  // After finish(): the manifest written (empty for single()).
  const SetManifest& manifest() const { return manifest_; }
  uint64_t shards() const { return single_ ? 1 : manifest_.shards.size() + (current_ ? 1 : 0); }
  // The part of `memory_budget` the set keeps for itself (see above); the
  // shards' writers get the rest.
  static uint64_t set_share(uint64_t memory_budget);
  // Spilled runs of the set's id table so far (0 while the ids fit), for tests.
  size_t id_runs() const { return ids_ ? ids_->runs() : 0; }

 private:
  SetWriter() = default;
  std::function<Status(const std::string&)> after_shard_;
  Status fail(Status s);
  Status start_shard();
  Status finish_shard();
  Status write_manifest();
  Result<ArticleInput> resolve_shared(const ArticleInput& a, std::string& bytes);

  std::string dir_;
  WriterOptions options_;
  uint64_t shard_size_ = 0;
  uint64_t share_ = 0;  // set_share() of the budget given
  ShardBodyReader body_reader_;
  std::function<void(const std::string&)> on_temp_;
  bool single_ = false, made_dir_ = false, finished_ = false;
  Status error_;

  std::unique_ptr<Writer> current_;
  ShardEntry entry_;               // the current shard's manifest entry, as far as known
  WriterStats done_;               // totals of the finished shards
  std::vector<std::string> written_;  // finished shard paths
  SetManifest manifest_;
  // Set-level state within set_share(options.memory_budget).
  std::unique_ptr<SpillFile> spill_;
  std::unique_ptr<KeyTable<uint64_t>> ids_;                 // id hash -> global record
  std::unique_ptr<SpillSequence<uint64_t>> shard_hashes_;  // XXH3-64 of the current shard's ids, for its filter
};

}  // namespace quire
