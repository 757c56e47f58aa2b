#include "format/set_manifest.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

#include "format/base64.h"
#include "format/json_writer.h"

namespace quire {

std::string shard_file_name(uint64_t index) { return fmt::format("part-{:05}.quire", index); }

// ------------------------------------------------------------------ IdFilter

uint64_t IdFilter::bits_for(uint64_t articles) {
  uint64_t m = std::max<uint64_t>(64, 10 * articles);
  return (m + 7) / 8 * 8;
}

Result<IdFilter> IdFilter::from_bytes(std::string bytes) {
  if (bytes.size() < 8) return Status::invalid_argument(fmt::format("id filter of {} bytes (at least 8)", bytes.size()));
  IdFilter f;
  f.bytes_ = std::move(bytes);
  return f;
}

// Double hashing (Kirsch and Mitzenmacher): bit i = h1 + i * h2 mod m, with
// h2 odd so the k bits differ whenever m is not tiny.
void IdFilter::add_hash(uint64_t h) {
  uint64_t h1 = h & 0xFFFFFFFFu, h2 = (h >> 32) | 1, m = bits();
  for (uint64_t i = 0; i < kHashes; ++i) {
    uint64_t b = (h1 + i * h2) % m;
    bytes_[b / 8] = static_cast<char>(static_cast<uint8_t>(bytes_[b / 8]) | (1u << (b % 8)));
  }
}

bool IdFilter::may_contain(std::string_view id) const {
  if (bytes_.empty()) return false;
  uint64_t h = xxh3_64(id), h1 = h & 0xFFFFFFFFu, h2 = (h >> 32) | 1, m = bits();
  for (uint64_t i = 0; i < kHashes; ++i) {
    uint64_t b = (h1 + i * h2) % m;
    if (!(static_cast<uint8_t>(bytes_[b / 8]) & (1u << (b % 8)))) return false;
  }
  return true;
}

// ------------------------------------------------------------------ writing

Sha256 set_content_digest(const std::vector<ShardEntry>& shards) {
  Sha256Stream s;
  for (const ShardEntry& e : shards) {
    s.update(std::span(reinterpret_cast<const std::byte*>(e.content_digest.data()), e.content_digest.size()));
  }
  return s.finish();
}

std::string SetManifest::to_json() const {
  JsonWriter j;
  j.begin_object()
      .field("format", kSetFormatName)
      .field("version", kSetManifestVersion)
      .field("articles", articles)
      .field("content_digest", to_hex(content_digest));
  j.key("shards").begin_array();
  for (const ShardEntry& e : shards) {
    j.begin_object()
        .field("file", e.file)
        .field("articles", e.articles)
        .field("bytes", e.bytes)
        .field("first_id", e.first_id)
        .field("last_id", e.last_id)
        .field("content_digest", to_hex(e.content_digest))
        .field("file_digest", to_hex(e.file_digest))
        .field("id_filter", base64_encode(e.id_filter.bytes()))
        .end_object();
  }
  j.end_array().end_object();
  return j.take() + "\n";
}

// ------------------------------------------------------------------ parsing

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// Reads one JSON object's fields by name, each exactly once, and refuses
// any field it was not asked for.
class Fields {
 public:
  Fields(object obj, std::string where) : obj_(obj), where_(std::move(where)) {}

  Status check_keys(std::initializer_list<std::string_view> known) {
    std::set<std::string_view> seen;
    for (auto [k, v] : obj_) {
      if (std::find(known.begin(), known.end(), k) == known.end()) return error(k, "unknown field");
      if (!seen.insert(k).second) return error(k, "appears twice");
    }
    for (std::string_view k : known) {
      if (!seen.count(k)) return error(k, "missing");
    }
    return Status::ok();
  }
  Result<uint64_t> number(std::string_view k) {
    uint64_t n;
    if (obj_[k].get_uint64().get(n)) return error(k, "expected a non-negative integer");
    return n;
  }
  Result<std::string> text(std::string_view k) {
    std::string_view s;
    if (obj_[k].get_string().get(s)) return error(k, "expected a string");
    return std::string(s);
  }
  Result<Sha256> digest(std::string_view k) {
    QUIRE_ASSIGN_OR_RETURN(std::string hex, text(k));
    Sha256 d;
    if (!parse_sha256_hex(hex, d)) return error(k, "expected 64 hex digits");
    return d;
  }
  element get(std::string_view k) { return obj_[k].value_unsafe(); }
  Status error(std::string_view k, std::string_view what) const {
    return Status::corruption(fmt::format("{}field '{}': {}", where_, k, what));
  }

 private:
  object obj_;
  std::string where_;
};

bool plain_file_name(std::string_view f) {
  return !f.empty() && f.size() <= 255 && f != "." && f != ".." && f.find('/') == std::string_view::npos &&
         f.find('\0') == std::string_view::npos && f.find('\\') == std::string_view::npos;
}

Result<ShardEntry> parse_shard(element v, size_t i, const std::string& name) {
  object obj;
  std::string where = fmt::format("{}: shards[{}]: ", name, i);
  if (v.get_object().get(obj)) return Status::corruption(where + "expected an object");
  Fields f(obj, where);
  QUIRE_RETURN_IF_ERROR(f.check_keys(
      {"file", "articles", "bytes", "first_id", "last_id", "content_digest", "file_digest", "id_filter"}));
  ShardEntry e;
  QUIRE_ASSIGN_OR_RETURN(e.file, f.text("file"));
  if (!plain_file_name(e.file)) return f.error("file", fmt::format("'{}' is not a plain file name", e.file));
  QUIRE_ASSIGN_OR_RETURN(e.articles, f.number("articles"));
  QUIRE_ASSIGN_OR_RETURN(e.bytes, f.number("bytes"));
  QUIRE_ASSIGN_OR_RETURN(e.first_id, f.text("first_id"));
  QUIRE_ASSIGN_OR_RETURN(e.last_id, f.text("last_id"));
  if ((e.articles == 0) != e.first_id.empty() || (e.articles == 0) != e.last_id.empty()) {
    return f.error("first_id", "must be empty exactly when the shard has no articles");
  }
  QUIRE_ASSIGN_OR_RETURN(e.content_digest, f.digest("content_digest"));
  QUIRE_ASSIGN_OR_RETURN(e.file_digest, f.digest("file_digest"));
  QUIRE_ASSIGN_OR_RETURN(std::string b64, f.text("id_filter"));
  auto bytes = base64_decode(b64);
  if (!bytes) return f.error("id_filter", "not base64");
  if (e.articles > (uint64_t{1} << 40)) return f.error("articles", "too large");
  uint64_t want = IdFilter::bits_for(e.articles) / 8;
  if (bytes->size() != want) {
    return f.error("id_filter", fmt::format("{} bytes, expected {} for {} articles", bytes->size(), want, e.articles));
  }
  QUIRE_ASSIGN_OR_RETURN(e.id_filter, IdFilter::from_bytes(std::move(*bytes)));
  return e;
}

}  // namespace

Result<SetManifest> SetManifest::parse(std::string_view json, const std::string& name) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  element doc;
  if (auto e = parser.parse(padded).get(doc)) {
    return Status::corruption(fmt::format("{}: invalid JSON: {}", name, simdjson::error_message(e)));
  }
  object obj;
  if (doc.get_object().get(obj)) return Status::corruption(fmt::format("{}: expected a JSON object", name));
  Fields f(obj, name + ": ");
  std::string format;
  if (obj["format"].get_string().error() == simdjson::SUCCESS) format = std::string(obj["format"].get_string().value_unsafe());
  if (format != kSetFormatName) return f.error("format", fmt::format("expected \"{}\"", kSetFormatName));
  uint64_t version = 0;
  if (obj["version"].get_uint64().get(version)) return f.error("version", "expected a non-negative integer");
  if (version > kSetManifestVersion) {
    return Status::unsupported(fmt::format("{}: set manifest version {} (this build reads version {})", name, version,
                                           kSetManifestVersion));
  }
  if (version != kSetManifestVersion) return f.error("version", fmt::format("{} is not a manifest version", version));
  QUIRE_RETURN_IF_ERROR(f.check_keys({"format", "version", "articles", "content_digest", "shards"}));
  SetManifest m;
  QUIRE_ASSIGN_OR_RETURN(m.articles, f.number("articles"));
  QUIRE_ASSIGN_OR_RETURN(m.content_digest, f.digest("content_digest"));
  simdjson::dom::array shards;
  if (f.get("shards").get_array().get(shards)) return f.error("shards", "expected an array");
  std::set<std::string> files;
  uint64_t total = 0;
  for (element v : shards) {
    QUIRE_ASSIGN_OR_RETURN(ShardEntry e, parse_shard(v, m.shards.size(), name));
    if (!files.insert(e.file).second) {
      return Status::corruption(fmt::format("{}: shards[{}]: field 'file': '{}' is named twice", name, m.shards.size(), e.file));
    }
    total += e.articles;
    m.shards.push_back(std::move(e));
  }
  if (m.shards.empty()) return f.error("shards", "a set has at least one shard");
  if (total != m.articles) return f.error("articles", fmt::format("{}, but the shards hold {}", m.articles, total));
  if (set_content_digest(m.shards) != m.content_digest) {
    return f.error("content_digest", fmt::format("{}, but the shards' content digests give {}", to_hex(m.content_digest),
                                                 to_hex(set_content_digest(m.shards))));
  }
  return m;
}

Result<SetManifest> read_set_manifest(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in.is_open()) {
    if (errno == ENOENT) return Status::not_found(fmt::format("'{}' does not exist", path));
    return Status::io_error(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  }
  std::streamoff size = in.tellg();
  if (size < 0) return Status::io_error(fmt::format("cannot read '{}'", path));
  if (static_cast<uint64_t>(size) > kMaxSetManifestBytes) {
    return Status::corruption(fmt::format("{}: {} bytes, more than a manifest may have", path, size));
  }
  std::string text(static_cast<size_t>(size), '\0');
  in.seekg(0);
  in.read(text.data(), size);
  if (in.gcount() != size) return Status::io_error(fmt::format("cannot read '{}'", path));
  return SetManifest::parse(text, path);
}

}  // namespace quire
