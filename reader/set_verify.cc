// verify_set (reader/archive_set.h): each shard through verify_archive, then
// against its manifest entry, then the set's content digest (SPEC.md 15.4).
#include <fmt/format.h>

#include <filesystem>

#include "reader/archive_set.h"
#include "reader/mapped_file.h"

namespace quire {
namespace {

namespace fs = std::filesystem;

Damage damage(std::string item, std::string message) {
  Damage d;
  d.item = std::move(item);
  d.message = std::move(message);
  return d;
}

// One shard: its own verify, then the manifest's size, count and digests.
// Returns the content digest the shard really has (the manifest's when it
// could not be read).
Sha256 verify_shard(const std::string& path, const ShardEntry& e, const VerifyOptions& options, VerifyReport& set) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    set.damage.push_back(damage(e.file, "shard missing: the set manifest lists it, the directory does not hold it"));
    return e.content_digest;
  }
  VerifyOptions shard_options;
  shard_options.quick = options.quick;
  auto report = verify_archive(path, shard_options);
  if (!report) {
    set.damage.push_back(damage(e.file, report.status().to_string()));
    return e.content_digest;
  }
  for (Damage d : report->damage) {
    d.item = fmt::format("{}: {}", e.file, d.item);
    set.damage.push_back(std::move(d));
  }
  if (!report->readable) {
    set.damage.push_back(damage(e.file, "shard unreadable"));
    return e.content_digest;
  }
  set.sections += report->sections;
  set.blocks += report->blocks;
  set.articles += report->articles;
  set.bytes_hashed += report->bytes_hashed;
  uint64_t size = fs::file_size(path, ec);
  if (size != e.bytes) set.damage.push_back(damage(e.file, fmt::format("{} bytes, the set manifest says {}", size, e.bytes)));
  if (report->articles != e.articles) {
    set.damage.push_back(damage(e.file, fmt::format("{} articles, the set manifest says {}", report->articles, e.articles)));
  }
  if (report->content_digest != e.content_digest) {
    set.damage.push_back(damage(e.file, fmt::format("content digest {}, the set manifest says {}",
                                                    to_hex(report->content_digest), to_hex(e.content_digest))));
  }
  if (!options.quick) {
    auto file = MappedFile::open(path);
    if (!file) {
      set.damage.push_back(damage(e.file, file.status().to_string()));
    } else {
      Sha256 digest = sha256((*file)->bytes());
      set.bytes_hashed += (*file)->bytes().size();
      if (digest != e.file_digest) {
        set.damage.push_back(damage(e.file, fmt::format("file digest {}, the set manifest says {}", to_hex(digest),
                                                        to_hex(e.file_digest))));
      }
    }
  }
  set.content_digest_checked &= report->content_digest_checked;
  return report->content_digest;
}

}  // namespace

Result<VerifyReport> verify_set(const std::string& path, const VerifyOptions& options) {
  if (!is_set_path(path)) return verify_archive(path, options);
  std::error_code ec;
  bool dir = fs::is_directory(path, ec);
  fs::path root = dir ? fs::path(path) : fs::path(path).parent_path();
  std::string manifest_path = dir ? (root / kSetManifestName).string() : path;
  VerifyReport set;
  auto m = read_set_manifest(manifest_path);
  if (!m) {
    if (m.status().code() == Code::kNotFound || m.status().code() == Code::kIoError) return m.status();
    set.readable = false;
    set.damage.push_back(damage(std::string(kSetManifestName), m.status().message()));
    return set;
  }
  set.content_digest_checked = true;
  std::vector<ShardEntry> actual = m->shards;
  for (size_t i = 0; i < m->shards.size(); ++i) {
    actual[i].content_digest = verify_shard((root / m->shards[i].file).string(), m->shards[i], options, set);
  }
  set.content_digest = set_content_digest(actual);
  if (set.content_digest != m->content_digest) {
    set.damage.push_back(damage(std::string(kSetManifestName),
                                fmt::format("set content digest {}, the manifest says {}", to_hex(set.content_digest),
                                            to_hex(m->content_digest))));
  }
  if (options.expected_content_digest && *options.expected_content_digest != set.content_digest) {
    set.damage.push_back(damage("set", fmt::format("content digest {}, expected {}", to_hex(set.content_digest),
                                                   to_hex(*options.expected_content_digest))));
  }
  return set;
}

}  // namespace quire
