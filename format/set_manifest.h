// The manifest of an archive set (SPEC.md 15): DIR/quire-set.json, naming the
// shards DIR/part-00000.quire, ... in order, with what a reader needs to route
// an id to its shard (a Bloom filter of each shard's ids) and to check that
// every shard is the one that was written (file and content digests).
//
// The writer (writer/set_writer.h) only encodes, the reader
// (reader/archive_set.h) only decodes; both go through this file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "format/checksum.h"
#include "format/status.h"

namespace quire {

inline constexpr std::string_view kSetManifestName = "quire-set.json";
inline constexpr std::string_view kSetFormatName = "quire-set";
inline constexpr uint64_t kSetManifestVersion = 1;
// A manifest larger than this is refused before it is read (about 4 KB per
// 100 shards of a million articles each is the order of a real one: the
// Bloom filters dominate, 10 bits per article).
inline constexpr uint64_t kMaxSetManifestBytes = uint64_t{1} << 30;

// "part-00000.quire" for shard 0.
std::string shard_file_name(uint64_t index);

// A Bloom filter of one shard's ids (SPEC.md 15.2). m = max(64, 10 x
// articles) bits rounded up to a multiple of 8 and k = 7 give about 0.8%
// false positives: a miss costs opening one more shard, never a wrong answer.
class IdFilter {
 public:
  static constexpr int kHashes = 7;
  static uint64_t bits_for(uint64_t articles);  // m

  IdFilter() = default;
  explicit IdFilter(uint64_t articles) : bytes_(bits_for(articles) / 8, '\0') {}
  // From stored bytes; InvalidArgument unless there are at least 8 of them.
  static Result<IdFilter> from_bytes(std::string bytes);

  void add(std::string_view id) { add_hash(xxh3_64(id)); }
  void add_hash(uint64_t h);  // h = XXH3-64 of the id
  // False only when `id` was never added.
  bool may_contain(std::string_view id) const;
  uint64_t bits() const { return bytes_.size() * 8; }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;  // bit b is bit (b mod 8) of byte b / 8
};

struct ShardEntry {
  std::string file;        // a plain file name in the set's directory
  uint64_t articles = 0;   // records in the shard
  uint64_t bytes = 0;      // the shard's file size
  std::string first_id, last_id;  // of its first and last record ("" when empty)
  Sha256 content_digest{};  // the shard's content digest (SPEC.md 10.1)
  Sha256 file_digest{};     // SHA-256 of the shard's bytes (SPEC.md 10.2)
  IdFilter id_filter;
};

struct SetManifest {
  uint64_t articles = 0;     // sum over the shards
  Sha256 content_digest{};   // set_content_digest(shards)
  std::vector<ShardEntry> shards;

  // The JSON text, one line, with a final newline.
  std::string to_json() const;
  // Strict: every field present with its type, no other field, no duplicate
  // key, the rules of SPEC.md 15.3. `name` (the file) starts each message.
  static Result<SetManifest> parse(std::string_view json, const std::string& name);
};

// SHA-256 over the shards' 32-byte content digests, in order.
Sha256 set_content_digest(const std::vector<ShardEntry>& shards);

// Reads and parses a manifest file. NotFound when it does not exist.
Result<SetManifest> read_set_manifest(const std::string& path);

}  // namespace quire
