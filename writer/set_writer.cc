#include "writer/set_writer.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "writer/memory_budget.h"
#include "writer/output_file.h"

namespace quire {
namespace {

namespace fs = std::filesystem;

// The SHA-256 of a file's bytes and its size, read in 1 MiB pieces.
Status digest_file(const std::string& path, Sha256& digest, uint64_t& size) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::io_error(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  Sha256Stream sha;
  std::string buf(1 << 20, '\0');
  size = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto n = static_cast<size_t>(in.gcount());
    sha.update(std::string_view(buf.data(), n));
    size += n;
  }
  if (in.bad()) return Status::io_error(fmt::format("cannot read '{}'", path));
  digest = sha.finish();
  return Status::ok();
}

// Creates `dir` (false in `made` when it was there); it must be empty.
Status prepare_directory(const std::string& dir, bool& made) {
  std::error_code ec;
  made = fs::create_directory(dir, ec);
  if (ec) return Status::io_error(fmt::format("cannot create '{}': {}", dir, ec.message()));
  if (!made) {
    if (!fs::is_directory(dir, ec)) return Status::invalid_argument(fmt::format("'{}' is not a directory", dir));
    if (!fs::is_empty(dir, ec)) {
      return Status::invalid_argument(fmt::format("output directory '{}' is not empty (a set is written to a new or empty "
                                                  "directory)", dir));
    }
  }
  return Status::ok();
}

}  // namespace

uint64_t SetWriter::set_share(uint64_t memory_budget) { return std::max(memory_budget, 4 * kMinMemoryBudget) / 4; }

Result<std::unique_ptr<SetWriter>> SetWriter::create(const std::string& dir, WriterOptions options,
                                                     uint64_t shard_size, ShardBodyReader body_reader) {
  if (shard_size == 0) return Status::invalid_argument("shard size must be at least 1 byte");
  if (dir == "-") return Status::invalid_argument("a set is a directory: it cannot be written to standard output");
  bool made = false;
  QUIRE_RETURN_IF_ERROR(prepare_directory(dir, made));  // before `w`, whose abandon() would clean up
  std::unique_ptr<SetWriter> w(new SetWriter());
  w->dir_ = dir;
  w->made_dir_ = made;
  w->options_ = std::move(options);
  uint64_t share = w->share_ = set_share(w->options_.memory_budget);
  w->options_.memory_budget = std::max(w->options_.memory_budget, 4 * kMinMemoryBudget) - share;
  w->spill_ = std::make_unique<SpillFile>(dir);
  w->ids_ = std::make_unique<KeyTable<uint64_t>>(*w->spill_, share / 16 * 13, share / 16 * 2);
  w->shard_size_ = shard_size;
  w->body_reader_ = std::move(body_reader);
  QUIRE_RETURN_IF_ERROR(w->start_shard());
  return w;
}

std::unique_ptr<SetWriter> SetWriter::single(std::unique_ptr<Writer> writer) {
  std::unique_ptr<SetWriter> w(new SetWriter());
  w->single_ = true;
  w->current_ = std::move(writer);
  return w;
}

SetWriter::~SetWriter() {
  if (!finished_) abandon();
}

Status SetWriter::fail(Status s) {
  if (!s.is_ok() && error_.is_ok()) error_ = s;
  return s;
}

Status SetWriter::start_shard() {
  std::string path = (fs::path(dir_) / shard_file_name(manifest_.shards.size())).string();
  // Every shard keeps the dictionary sample: each trains its own dictionary.
  auto w = Writer::create(path, options_);
  if (!w) return fail(w.status());
  current_ = std::move(*w);
  entry_ = ShardEntry{};
  entry_.file = shard_file_name(manifest_.shards.size());
  // A new sequence per shard: the old one's chunks stay in the file (8 bytes
  // per article on disk, none in memory).
  shard_hashes_ = std::make_unique<SpillSequence<uint64_t>>(*spill_, share_ / 16);
  return Status::ok();  // the shard's temporary file was announced by WriterOptions::on_temp_file
}

Status SetWriter::finish_shard() {
  QUIRE_RETURN_IF_ERROR(fail(current_->finish()));
  WriterStats s = current_->stats();  // after finish: the last block counted
  std::string path = (fs::path(dir_) / entry_.file).string();
  written_.push_back(path);
  if (after_shard_) QUIRE_RETURN_IF_ERROR(fail(after_shard_(path)));
  entry_.articles = s.articles;
  entry_.content_digest = current_->content_digest();
  QUIRE_RETURN_IF_ERROR(fail(digest_file(path, entry_.file_digest, entry_.bytes)));
  entry_.id_filter = IdFilter(s.articles);
  auto hashes = shard_hashes_->reader();
  std::vector<uint64_t> piece(4096);
  for (;;) {
    auto n = hashes->read(piece);
    if (!n) return fail(n.status());
    if (*n == 0) break;
    for (size_t i = 0; i < *n; ++i) entry_.id_filter.add_hash(piece[i]);
  }
  done_.articles += s.articles;
  done_.spill_bytes += s.spill_bytes;
  done_.body_bytes += s.body_bytes;
  done_.unique_bodies += s.unique_bodies;
  done_.blocks += s.blocks;
  done_.bytes_written += entry_.bytes;
  manifest_.articles += s.articles;
  manifest_.shards.push_back(std::move(entry_));
  current_.reset();
  return Status::ok();
}

// An article sharing a body that is stored in an earlier shard: the same
// article with the body's bytes (in `bytes`), so the current shard stores it.
Result<ArticleInput> SetWriter::resolve_shared(const ArticleInput& a, std::string& bytes) {
  if (!a.shared_body || current_->has_body(*a.shared_body) || written_.empty()) return a;
  if (!body_reader_) {
    return Status::invalid_argument(fmt::format("article '{}': shares body {} stored in an earlier shard, and no shard "
                                                "reader was given", a.meta.id, to_hex(*a.shared_body)));
  }
  auto found = body_reader_(written_, *a.shared_body);
  if (!found) {
    if (found.status().code() == Code::kNotFound) return a;  // the Writer names the missing body
    return found.status().with_context(fmt::format("article '{}': reading its shared body back", a.meta.id));
  }
  bytes = std::move(*found);
  ArticleInput copy = a;
  copy.body = bytes;
  copy.expected_sha256 = *a.shared_body;
  copy.shared_body.reset();
  return copy;
}

Status SetWriter::add(const ArticleInput& a, Sha256* sha256) {
  if (!error_.is_ok()) return error_;
  if (single_) return current_->add(a, sha256);
  if (finished_) return Status::invalid_argument("add after finish");
  Hash128 key = id_hash(a.meta.id);
  auto earlier = ids_->find(key);
  if (!earlier) return fail(earlier.status());
  if (*earlier) {
    return Status::invalid_argument(fmt::format("duplicate id '{}': article #{} has the same id as article #{}",
                                                a.meta.id, done_.articles + current_->stats().articles, **earlier));
  }
  WriterStats s = current_->stats();
  if (s.articles > 0 && s.body_bytes + a.body.size() > shard_size_) {
    QUIRE_RETURN_IF_ERROR(finish_shard());
    QUIRE_RETURN_IF_ERROR(start_shard());
    s = WriterStats{};
  }
  std::string bytes;
  auto input = resolve_shared(a, bytes);
  if (!input) return input.status();
  // A rejected article (bad id, spans outside the body) does not spoil the set.
  QUIRE_RETURN_IF_ERROR(current_->add(*input, sha256));
  if (s.articles == 0) entry_.first_id = a.meta.id;
  entry_.last_id = a.meta.id;
  QUIRE_RETURN_IF_ERROR(fail(shard_hashes_->push_back(xxh3_64(a.meta.id))));
  return fail(ids_->insert(key, done_.articles + s.articles));
}

Status SetWriter::write_manifest() {
  manifest_.content_digest = set_content_digest(manifest_.shards);
  std::string path = (fs::path(dir_) / kSetManifestName).string();
  QUIRE_ASSIGN_OR_RETURN(auto out, OutputFile::create_beside(path, options_.sync, on_temp_));
  std::string json = manifest_.to_json();
  QUIRE_RETURN_IF_ERROR(out->write(std::as_bytes(std::span(json.data(), json.size()))));
  return out->commit();
}

Status SetWriter::finish() {
  if (!error_.is_ok()) return error_;
  if (finished_) return Status::invalid_argument("finish called twice");
  if (single_) {
    finished_ = true;
    return current_->finish();
  }
  QUIRE_RETURN_IF_ERROR(finish_shard());
  QUIRE_RETURN_IF_ERROR(fail(write_manifest()));
  finished_ = true;
  return Status::ok();
}

void SetWriter::abandon() {
  if (current_) current_->abandon();
  current_.reset();
  finished_ = true;
  if (error_.is_ok()) error_ = Status::invalid_argument("set abandoned");
  if (single_) return;
  std::error_code ec;
  for (const std::string& path : written_) fs::remove(path, ec);  // the manifest is never there: finish() writes it last
  if (made_dir_) fs::remove(dir_, ec);  // only when empty
}

void SetWriter::add_info(KeyValue kv) {
  if (current_) current_->add_info(kv);
  options_.info.extra.push_back(std::move(kv));
}

WriterStats SetWriter::stats() const {
  WriterStats s = done_;
  if (current_) {
    WriterStats c = current_->stats();
    s.articles += c.articles;
    s.body_bytes += c.body_bytes;
    s.unique_bodies += c.unique_bodies;
    s.blocks += c.blocks;
    s.bytes_written += c.bytes_written;
    s.spill_bytes += c.spill_bytes;
  }
  if (spill_) s.spill_bytes += spill_->size();
  return s;
}

std::optional<uint64_t> SetWriter::find_record(std::string_view id) const {
  if (single_) return current_ ? current_->find_record(id) : std::nullopt;
  auto found = ids_->find(id_hash(id));
  if (!found) return std::nullopt;
  return *found;
}

std::string SetWriter::temp_path() const { return current_ ? current_->temp_path() : ""; }

}  // namespace quire
