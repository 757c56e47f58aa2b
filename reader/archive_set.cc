#include "reader/archive_set.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>

namespace quire {

namespace fs = std::filesystem;

class ArchiveSet::State {
 public:
  struct Slot {
    std::mutex mu;
    std::optional<Archive> archive;  // set once opened and checked
  };
  std::string path, dir;
  bool is_set = false;
  SetManifest manifest;
  std::vector<uint64_t> starts;  // global record of each shard's first article, then the total
  ReaderOptions options;
  std::vector<std::unique_ptr<Slot>> slots;

  void index_shards() {
    starts.assign(1, 0);
    for (const ShardEntry& e : manifest.shards) starts.push_back(starts.back() + e.articles);
    slots.clear();
    for (size_t i = 0; i < manifest.shards.size(); ++i) slots.push_back(std::make_unique<Slot>());
  }
};

namespace {

// Whether a file's first non-blank byte is '{': a manifest, not an archive
// (an archive starts with its magic).
bool looks_like_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  in >> std::ws;
  return in.peek() == '{';
}

// A shard opened by file name must be the one the manifest describes.
Status check_shard(const Archive& a, const ShardEntry& e) {
  ManifestSummary m = a.manifest();
  auto mismatch = [&](const char* what, const std::string& found, const std::string& expected) {
    return Status::corruption(fmt::format("shard '{}': {} is {}, the set manifest says {}", e.file, what, found, expected));
  };
  if (m.file_size != e.bytes) return mismatch("the file size", std::to_string(m.file_size), std::to_string(e.bytes));
  if (a.size() != e.articles) return mismatch("the article count", std::to_string(a.size()), std::to_string(e.articles));
  if (m.content_digest != e.content_digest) {
    return mismatch("the content digest", to_hex(m.content_digest), to_hex(e.content_digest));
  }
  return Status::ok();
}

}  // namespace

bool is_set_path(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return true;
  return fs::is_regular_file(path, ec) && looks_like_json(path);
}

Result<ArchiveSet> ArchiveSet::open(const std::string& path, ReaderOptions options) {
  if (!is_set_path(path)) {
    QUIRE_ASSIGN_OR_RETURN(Archive a, Archive::open(path, options));  // its own messages, unchanged
    return of(std::move(a));
  }
  auto state = std::make_shared<State>();
  state->path = path;
  state->options = options;
  state->is_set = true;
  std::error_code ec;
  bool dir = fs::is_directory(path, ec);
  state->dir = dir ? path : fs::path(path).parent_path().string();
  if (state->dir.empty()) state->dir = ".";
  std::string manifest_path = dir ? (fs::path(path) / kSetManifestName).string() : path;
  auto m = read_set_manifest(manifest_path);
  if (!m && m.status().code() == Code::kNotFound) {
    return Status::not_found(fmt::format("'{}' is a directory without {}: not an archive set, or an incomplete one",
                                         path, kSetManifestName));
  }
  if (!m) return m.status();
  state->manifest = std::move(*m);
  state->index_shards();
  return ArchiveSet(std::move(state));
}

ArchiveSet ArchiveSet::of(Archive archive) {
  auto state = std::make_shared<State>();
  state->path = archive.path();
  state->dir = fs::path(archive.path()).parent_path().string();
  ManifestSummary m = archive.manifest();
  ShardEntry e;
  e.file = fs::path(archive.path()).filename().string();
  e.articles = archive.size();
  e.bytes = m.file_size;
  e.content_digest = m.content_digest;
  state->manifest.articles = e.articles;
  state->manifest.content_digest = m.content_digest;
  state->manifest.shards.push_back(std::move(e));
  state->index_shards();
  state->slots[0]->archive = std::move(archive);
  return ArchiveSet(std::move(state));
}

bool ArchiveSet::is_set() const { return state_->is_set; }
const std::string& ArchiveSet::path() const { return state_->path; }
uint64_t ArchiveSet::size() const { return state_->starts.back(); }
size_t ArchiveSet::shard_count() const { return state_->manifest.shards.size(); }
const SetManifest& ArchiveSet::manifest() const { return state_->manifest; }
uint64_t ArchiveSet::shard_start(size_t shard) const { return state_->starts[shard]; }

std::string ArchiveSet::shard_path(size_t shard) const {
  if (!state_->is_set) return state_->path;
  return (fs::path(state_->dir) / state_->manifest.shards[shard].file).string();
}

Result<Archive> ArchiveSet::shard(size_t index) const {
  if (index >= shard_count()) return Status::not_found(fmt::format("shard {} does not exist", index));
  State::Slot& slot = *state_->slots[index];
  std::lock_guard lock(slot.mu);
  if (slot.archive) return *slot.archive;
  const ShardEntry& e = state_->manifest.shards[index];
  auto a = Archive::open(shard_path(index), state_->options);
  if (!a) return a.status().with_context(fmt::format("shard '{}'", e.file));
  QUIRE_RETURN_IF_ERROR(check_shard(*a, e));
  slot.archive = *a;
  return *a;
}

Result<ManifestSummary> ArchiveSet::first_summary() const {
  QUIRE_ASSIGN_OR_RETURN(Archive a, shard(0));
  return a.manifest();
}

size_t ArchiveSet::shard_of(uint64_t record) const {
  const auto& s = state_->starts;
  return static_cast<size_t>(std::upper_bound(s.begin(), s.end() - 1, record) - s.begin()) - 1;
}

Result<Article> ArchiveSet::at(uint64_t record) const {
  if (!state_->is_set) return state_->slots[0]->archive->at(record);
  if (record >= size()) return Status::not_found(fmt::format("record #{} does not exist ({} articles)", record, size()));
  size_t i = shard_of(record);
  QUIRE_ASSIGN_OR_RETURN(Archive a, shard(i));
  auto found = a.at(record - shard_start(i));
  if (!found) return found.status().with_context(fmt::format("shard '{}'", state_->manifest.shards[i].file));
  return found;
}

Result<Article> ArchiveSet::find(std::string_view id) const {
  QUIRE_ASSIGN_OR_RETURN(Located l, locate_id(id));
  return l.article;
}

// Routed by the id filters: only a shard whose filter may hold the id is
// opened (about 1% of the others are, by false positive).
Result<ArchiveSet::Located> ArchiveSet::locate_id(std::string_view id) const {
  if (!state_->is_set) {
    QUIRE_ASSIGN_OR_RETURN(Article a, state_->slots[0]->archive->find(id));
    return Located{a, a.record()};
  }
  for (size_t i = 0; i < shard_count(); ++i) {
    if (!state_->manifest.shards[i].id_filter.may_contain(id)) continue;
    QUIRE_ASSIGN_OR_RETURN(Archive a, shard(i));
    auto found = a.find(id);
    if (found) return Located{*found, shard_start(i) + found->record()};
    if (found.status().code() != Code::kNotFound) {
      return found.status().with_context(fmt::format("shard '{}'", state_->manifest.shards[i].file));
    }
  }
  return Status::not_found(fmt::format("no article with id '{}'", id));
}

Result<Article> ArchiveSet::find_sha256(const Sha256& sha) const {
  QUIRE_ASSIGN_OR_RETURN(Located l, locate_sha256(sha));
  return l.article;
}

Result<ArchiveSet::Located> ArchiveSet::locate_sha256(const Sha256& sha) const {
  for (size_t i = 0; i < shard_count(); ++i) {
    QUIRE_ASSIGN_OR_RETURN(Archive a, shard(i));
    auto found = a.find_sha256(sha);
    if (found) return Located{*found, shard_start(i) + found->record()};
    if (found.status().code() != Code::kNotFound || !state_->is_set) return found.status();
  }
  return Status::not_found(fmt::format("no article with SHA-256 {}", to_hex(sha)));
}

Result<Article> ArchiveSet::resolve(std::string_view ref) const {
  QUIRE_ASSIGN_OR_RETURN(Located l, locate(ref));
  return l.article;
}

// The same reference syntax as Archive::resolve, over global record numbers.
Result<ArchiveSet::Located> ArchiveSet::locate(std::string_view ref) const {
  if (ref.rfind("sha256:", 0) == 0) {
    Sha256 sha;
    if (!parse_sha256_hex(ref.substr(7), sha)) {
      return Status::invalid_argument(fmt::format("'{}': expected sha256: and 64 hex digits", ref));
    }
    return locate_sha256(sha);
  }
  if (ref.size() > 1 && ref[0] == '#') {
    uint64_t n = 0;
    auto [p, ec] = std::from_chars(ref.data() + 1, ref.data() + ref.size(), n);
    if (ec == std::errc() && p == ref.data() + ref.size()) {
      QUIRE_ASSIGN_OR_RETURN(Article a, at(n));
      return Located{a, n};
    }
  }
  return locate_id(ref);
}

Result<std::string> read_shard_body(const std::vector<std::string>& shards, const Sha256& sha) {
  for (const std::string& path : shards) {
    QUIRE_ASSIGN_OR_RETURN(Archive a, Archive::open(path));
    auto found = a.find_sha256(sha);
    if (!found) {
      if (found.status().code() == Code::kNotFound) continue;
      return found.status();
    }
    QUIRE_ASSIGN_OR_RETURN(Body body, found->body());
    return std::string(body.bytes());
  }
  return Status::not_found(fmt::format("no shard holds the body {}", to_hex(sha)));
}

}  // namespace quire
