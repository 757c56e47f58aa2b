// Reading an archive set (SPEC.md 15) as one sequence of articles, and a
// single archive as a set of one, so every command has one code path.
//
//   auto set = ArchiveSet::open("corpus/");          // or corpus/quire-set.json, or x.quire
//   auto article = set->find("news/2024/04/26/x");   // routed by the id filters
//   for (uint64_t r = 0; r < set->size(); ++r) ... set->at(r) ...
//
// Record numbers are global: shard i's records follow those of shards 0..i-1.
// open() reads the manifest only; each shard is opened the first time it is
// needed and stays open. Opening a shard checks it against its manifest
// entry (file size, article count, content digest): a missing, truncated or
// swapped shard is an error naming its file. The file digest is checked by
// verify_set() only (it reads every byte).
//
// Thread safety: like Archive, all methods are const and may be called from
// any number of threads (lazy opening is guarded). Articles keep their shard
// alive, as they do for an Archive.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "format/set_manifest.h"
#include "reader/archive.h"
#include "reader/verify.h"

namespace quire {

class ArchiveSet {
 public:
  // A set directory, its quire-set.json, or a single archive file.
  static Result<ArchiveSet> open(const std::string& path, ReaderOptions options = {});
  // A set of one over an open archive.
  static ArchiveSet of(Archive archive);

  bool is_set() const;  // false: a single archive
  const std::string& path() const;  // as given to open()
  uint64_t size() const;             // articles in all shards
  size_t shard_count() const;
  // The manifest; for a single archive one made from its own manifest (no
  // file digest, no id filter).
  const SetManifest& manifest() const;
  std::string shard_path(size_t shard) const;
  uint64_t shard_start(size_t shard) const;  // global record of the shard's first article
  Result<Archive> shard(size_t index) const;  // opened (and checked) on first use

  // The first shard's manifest: its archive metadata, options and counts.
  // For a single archive, exactly Archive::manifest().
  Result<ManifestSummary> first_summary() const;

  Result<Article> at(uint64_t record) const;  // global record number
  Result<Article> find(std::string_view id) const;
  Result<Article> find_sha256(const Sha256& sha) const;
  // "sha256:HEX", "#N" (global record number) or an id.
  Result<Article> resolve(std::string_view ref) const;
  // resolve() with the article's global record number.
  struct Located {
    Article article;
    uint64_t record = 0;
  };
  Result<Located> locate(std::string_view ref) const;

  class State;

 private:
  explicit ArchiveSet(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  size_t shard_of(uint64_t record) const;
  Result<Located> locate_id(std::string_view id) const;
  Result<Located> locate_sha256(const Sha256& sha) const;
  std::shared_ptr<const State> state_;
};

// Reads the body with SHA-256 `sha` from the first of `shards` that holds it
// (the SetWriter's ShardBodyReader); NotFound when none does.
Result<std::string> read_shard_body(const std::vector<std::string>& shards, const Sha256& sha);

// Verifies a set (or, for a single archive, exactly verify_archive): every
// shard fully as verify_archive does, each shard's file and content digests
// against the manifest, and the set's content digest. Damage items of a
// shard start with its file name; a missing shard is one damage item.
// expected_content_digest is compared with the set's content digest.
Result<VerifyReport> verify_set(const std::string& path, const VerifyOptions& options);

// Whether `path` names a set (a directory or a quire-set.json) rather than a
// single archive file.
bool is_set_path(const std::string& path);

}  // namespace quire
