#include "writer/writer.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <deque>
#include <filesystem>

#include "format/checksum.h"
#include "format/content_digest.h"
#include "format/index_key.h"
#include "format/layout.h"
#include "writer/block_encoder.h"
#include "writer/dictionary_trainer.h"
#include "writer/encode_pool.h"
#include "writer/index_writer.h"
#include "writer/key_table.h"
#include "writer/memory_budget.h"
#include "writer/output_file.h"
#include "writer/sorted_runs.h"
#include "writer/spill_file.h"
#include "writer/spill_sequence.h"

namespace quire {
namespace {

// Records per block are capped so a catalog frame stays small next to the
// bodies even for corpora of tiny articles.
constexpr size_t kWriterMaxRecordsPerBlock = 4096;
// A block with this many annotation spans is cut early (bounds the frame).
constexpr uint64_t kMaxSpansPerBlock = 1u << 20;

Hash128 sha_prefix(const Sha256& sha) {
  Hash128 h;
  std::memcpy(&h.lo, sha.data(), 8);
  std::memcpy(&h.hi, sha.data() + 8, 8);
  return h;
}

}  // namespace

class Writer::Impl {
 public:
  // `spill_dir`: where the spill file goes first ("" = $TMPDIR).
  Impl(std::unique_ptr<OutputFile> out, WriterOptions options, std::string spill_dir)
      : out_(std::move(out)), options_(std::move(options)),
        pool_(options_.threads > 1 ? options_.threads : 0, options_.level),
        spill_(std::move(spill_dir)), shares_(MemoryShares::of(options_.memory_budget)),
        ids_(spill_, shares_.ids, shares_.id_runs),
        bodies_(spill_, shares_.bodies, shares_.body_runs), id_entries_(spill_, shares_.id_entries),
        sha_entries_(spill_, shares_.sha_entries), blocks_(spill_, shares_.blocks) {}

  Status start() {
    std::array<std::byte, FileHeader::kSize> header{};
    FileHeader{}.encode(header);
    QUIRE_RETURN_IF_ERROR(fail_on_error(out_->write(header)));
    if (!options_.dictionary) {
      dictionary_decided_ = true;
    } else if (!options_.dictionary_sample.empty()) {
      std::vector<std::string_view> sample(options_.dictionary_sample.begin(), options_.dictionary_sample.end());
      QUIRE_RETURN_IF_ERROR(fail_on_error(choose_dictionary(sample)));
      options_.dictionary_sample.clear();
      options_.dictionary_sample.shrink_to_fit();
    }
    return Status::ok();
  }

  Status add(const ArticleInput& a, Sha256* sha_out);
  Status finish();
  void add_info(KeyValue kv) { options_.info.extra.push_back(std::move(kv)); }
  bool has_body(const Sha256& sha) const {
    auto found = bodies_.find(sha_prefix(sha));
    return found.is_ok() && found->has_value();
  }
  void abandon() {
    out_->abandon();
    if (error_.is_ok()) error_ = Status::invalid_argument("archive abandoned");
  }
  WriterStats stats() const {
    WriterStats s;
    s.articles = next_record_;
    s.body_bytes = tail_.body_bytes;
    s.unique_bodies = tail_.unique_bodies;
    s.blocks = next_block_;
    s.bytes_written = out_->offset();
    s.spill_bytes = spill_.size();
    return s;
  }
  std::string temp_path() const { return out_->temp_path(); }
  Sha256 content_digest() const { return tail_.content_digest; }
  std::optional<uint64_t> find_record(std::string_view id) const {
    auto found = ids_.find(id_hash(id));
    if (!found.is_ok()) return std::nullopt;
    return *found;
  }

 private:
  Status fail_on_error(Status s) {
    if (!s.is_ok() && error_.is_ok()) error_ = s;
    return s;
  }
  template <typename T>
  Result<T> fail_on_error_result(Result<T> r) {
    if (!r.is_ok()) fail_on_error(r.status());
    return r;
  }
  Status check_article(const ArticleInput& a, const Sha256& sha, uint64_t body_size);
  void cut_block();
  Status train_and_release_held();
  Status choose_dictionary(const std::vector<std::string_view>& sample);
  Status submit(PendingBlock block);
  Status drain(size_t keep);
  Status write_tail_streamed();

  std::unique_ptr<OutputFile> out_;
  WriterOptions options_;
  EncodePool pool_;
  Status error_;
  bool finished_ = false;

  uint64_t next_record_ = 0;
  uint64_t next_block_ = 0;
  PendingBlock open_;
  bool dictionary_decided_ = false;
  std::vector<PendingBlock> held_;  // blocks waiting for the dictionary
  uint64_t held_bytes_ = 0;
  std::shared_ptr<const CompressionDictionary> dict_;

  // The state that grows with the corpus, within options_.memory_budget.
  SpillFile spill_;
  MemoryShares shares_;
  KeyTable<uint64_t> ids_;          // id hash -> record
  KeyTable<BodyLocation> bodies_;   // SHA-256 prefix -> body
  SortedRuns id_entries_, sha_entries_;
  std::deque<BlockEntry> in_flight_;  // submitted, not yet written: no offset yet
  SpillSequence<BlockEntry> blocks_;  // written, in block order
  ContentDigest digest_;
  ArchiveTail tail_;
};

Status Writer::Impl::check_article(const ArticleInput& a, const Sha256& sha, uint64_t body_size) {
  const std::string& id = a.meta.id;
  Status s = validate_id(id);
  if (!s.is_ok()) return Status::invalid_argument(fmt::format("article #{} ('{}'): {}", next_record_, id, s.message()));
  s = a.meta.date.validate();
  if (!s.is_ok()) return Status::invalid_argument(fmt::format("article '{}': {}", id, s.message()));
  QUIRE_RETURN_IF_ERROR(validate_layers(id, a.layers, body_size));
  QUIRE_RETURN_IF_ERROR(validate_text(a.meta, a.layers));
  if (a.expected_sha256 && *a.expected_sha256 != sha) {
    return Status::invalid_argument(fmt::format("article '{}': body SHA-256 is {} but the input says {}", id,
                                                to_hex(sha), to_hex(*a.expected_sha256)));
  }
  if (a.body.size() > kMaxBodyBytes) {
    return Status::invalid_argument(fmt::format("article '{}': body of {} bytes is larger than {} bytes", id,
                                                a.body.size(), kMaxBodyBytes));
  }
  if (next_record_ >= kMaxArticles) {
    return Status::invalid_argument(fmt::format("more than {} articles: split the corpus into a set", kMaxArticles));
  }
  return Status::ok();
}

Status Writer::Impl::add(const ArticleInput& a, Sha256* sha_out) {
  if (!error_.is_ok()) return error_;
  if (finished_) return Status::invalid_argument("add after finish");
  Sha256 sha;
  uint64_t body_size = a.body.size();
  if (a.shared_body) {
    QUIRE_ASSIGN_OR_RETURN(auto stored, fail_on_error_result(bodies_.find(sha_prefix(*a.shared_body))));
    if (!stored || !a.body.empty()) {
      return Status::invalid_argument(fmt::format("article '{}': shares body {}, which was not added before", a.meta.id,
                                                  to_hex(*a.shared_body)));
    }
    sha = *a.shared_body;
    body_size = stored->length;
  } else {
    sha = sha256(a.body);
  }
  Status s = check_article(a, sha, body_size);
  if (!s.is_ok()) return s;  // a rejected article does not spoil the archive
  Hash128 key = id_hash(a.meta.id);
  QUIRE_ASSIGN_OR_RETURN(auto first, fail_on_error_result(ids_.find(key)));
  if (first) {
    return Status::invalid_argument(
        fmt::format("duplicate id '{}': article #{} has the same id as article #{}", a.meta.id, next_record_, *first));
  }
  QUIRE_RETURN_IF_ERROR(fail_on_error(ids_.insert(key, next_record_)));

  uint64_t spans = count_spans(a.layers);
  QUIRE_ASSIGN_OR_RETURN(auto found, fail_on_error_result(bodies_.find(sha_prefix(sha))));
  bool fresh = !found;
  if (fresh && !open_.articles.empty() && open_.bodies.size() + a.body.size() > options_.block_size) cut_block();
  if (!open_.articles.empty() && (open_.articles.size() >= kWriterMaxRecordsPerBlock ||
                                  open_.span_count + spans > kMaxSpansPerBlock)) {
    cut_block();
  }
  if (open_.articles.empty()) {
    open_.number = next_block_;
    open_.first_record = next_record_;
  }
  BodyLocation loc;
  if (fresh) {
    loc = {open_.number, open_.bodies.size(), a.body.size()};
    open_.bodies.append(a.body);
    QUIRE_RETURN_IF_ERROR(fail_on_error(bodies_.insert(sha_prefix(sha), loc)));
    QUIRE_RETURN_IF_ERROR(fail_on_error(sha_entries_.add(index_entry(sha_key(sha), next_record_))));
    tail_.unique_bodies++;
    tail_.stored_body_bytes += a.body.size();
  } else {
    loc = *found;
  }
  open_.articles.push_back(PendingArticle{a.meta, sha, loc, a.layers});
  open_.span_count += spans;
  open_.has_layers |= !a.layers.empty();
  QUIRE_RETURN_IF_ERROR(fail_on_error(id_entries_.add(index_entry(id_key(a.meta.id), next_record_))));
  tail_.body_bytes += body_size;
  tail_.spans += spans;
  digest_.add(a.meta, sha, a.layers);
  if (sha_out) *sha_out = sha;
  ++next_record_;

  if (open_.bodies.size() >= options_.block_size) cut_block();
  if (!dictionary_decided_ && held_bytes_ >= options_.dictionary_sample_bytes) {
    return fail_on_error(train_and_release_held());
  }
  return fail_on_error(drain(2 * std::max(1u, options_.threads)));
}

void Writer::Impl::cut_block() {
  if (open_.articles.empty()) return;
  ++next_block_;
  PendingBlock block = std::move(open_);
  open_ = PendingBlock{};
  if (!dictionary_decided_) {
    held_bytes_ += block.bodies.size();
    held_.push_back(std::move(block));
    return;
  }
  fail_on_error(submit(std::move(block)));
}

// Trains the dictionary and writes it before the first block.
Status Writer::Impl::choose_dictionary(const std::vector<std::string_view>& sample) {
  dictionary_decided_ = true;
  std::string bytes = train_dictionary(sample, options_.dictionary_size);
  if (bytes.empty()) return Status::ok();  // too little to learn from: blocks go without
  QUIRE_ASSIGN_OR_RETURN(PageLocation loc, write_section(*out_, static_cast<uint16_t>(SectionKind::kDictionary), 1,
                                                         std::as_bytes(std::span(bytes.data(), bytes.size()))));
  tail_.dictionaries.push_back(loc);
  dict_ = std::make_shared<CompressionDictionary>(1, std::move(bytes), options_.level);
  return Status::ok();
}

Status Writer::Impl::train_and_release_held() {
  std::vector<std::string_view> sample;
  for (const PendingBlock& b : held_) {
    for (const PendingArticle& a : b.articles) {
      if (a.body.block == b.number) sample.push_back(std::string_view(b.bodies).substr(a.body.offset, a.body.length));
    }
  }
  QUIRE_RETURN_IF_ERROR(choose_dictionary(sample));
  std::vector<PendingBlock> held = std::move(held_);
  held_.clear();
  for (PendingBlock& b : held) {
    QUIRE_RETURN_IF_ERROR(submit(std::move(b)));
    QUIRE_RETURN_IF_ERROR(drain(2 * std::max(1u, options_.threads)));
  }
  return Status::ok();
}

Status Writer::Impl::submit(PendingBlock block) {
  BlockEntry e;
  e.first_record = block.first_record;
  e.record_count = static_cast<uint32_t>(block.articles.size());
  e.dictionary = dict_ ? dict_->number() : 0;
  in_flight_.push_back(e);
  pool_.submit(std::move(block), dict_);
  return Status::ok();
}

// Writes finished blocks until at most `keep` are in flight.
Status Writer::Impl::drain(size_t keep) {
  while (pool_.pending() > keep) {
    QUIRE_ASSIGN_OR_RETURN(EncodedBlock block, pool_.next());
    // Blocks come back in submission order: the oldest in flight is this one.
    BlockEntry e = in_flight_.front();
    in_flight_.pop_front();
    e.offset = out_->offset();
    e.length = block.section.size();
    tail_.compressed_body_bytes += block.bodies_stored;
    QUIRE_RETURN_IF_ERROR(out_->write(block.section));
    QUIRE_RETURN_IF_ERROR(blocks_.push_back(e));
  }
  return Status::ok();
}

Status Writer::Impl::finish() {
  if (!error_.is_ok()) return error_;
  if (finished_) return Status::invalid_argument("finish called twice");
  finished_ = true;
  cut_block();
  if (!error_.is_ok()) return error_;
  if (!dictionary_decided_) QUIRE_RETURN_IF_ERROR(fail_on_error(train_and_release_held()));
  QUIRE_RETURN_IF_ERROR(fail_on_error(drain(0)));
  if (dict_) {
    QUIRE_ASSIGN_OR_RETURN(PageLocation copy,
                           fail_on_error_result(write_section(*out_, static_cast<uint16_t>(SectionKind::kDictionary),
                                                              dict_->number(),
                                                              std::as_bytes(std::span(dict_->bytes())))));
    tail_.dictionary_copies.push_back(copy);
  }
  tail_.info = options_.info;
  tail_.articles = next_record_;
  tail_.content_digest = digest_.finish();
  tail_.block_size = options_.block_size;
  tail_.level = options_.level;
  QUIRE_RETURN_IF_ERROR(fail_on_error(write_tail_streamed()));
  return fail_on_error(out_->commit());
}

// The tail from the spillable state: block entries in order, index entries
// sorted (merged from the spill file's runs when there are any).
Status Writer::Impl::write_tail_streamed() {
  auto blocks = blocks_.reader();
  QUIRE_ASSIGN_OR_RETURN(auto ids, id_entries_.sorted());
  QUIRE_ASSIGN_OR_RETURN(auto shas, sha_entries_.sorted());
  return write_tail(*out_, tail_, TailSources{*blocks, *ids, *shas});
}

// ------------------------------------------------------------------ Writer

Writer::Writer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Writer::~Writer() {
  if (impl_) impl_->abandon();
}

static Status check_options(const WriterOptions& o) {
  if (o.level < 1 || o.level > 22) return Status::invalid_argument(fmt::format("compression level {} not in 1..22", o.level));
  if (o.block_size < 1024 || o.block_size > (uint64_t{1} << 30)) {
    return Status::invalid_argument(fmt::format("block size {} not in 1 KiB..1 GiB", o.block_size));
  }
  if (o.threads > 256) return Status::invalid_argument("more than 256 threads");
  return Status::ok();
}

Result<std::unique_ptr<Writer>> Writer::create(const std::string& path, WriterOptions options) {
  QUIRE_RETURN_IF_ERROR(check_options(options));
  QUIRE_ASSIGN_OR_RETURN(auto out, OutputFile::create_beside(path, options.sync, options.on_temp_file));
  std::string dir = std::filesystem::path(path).parent_path().string();
  auto impl = std::make_unique<Impl>(std::move(out), std::move(options), dir.empty() ? "." : dir);
  QUIRE_RETURN_IF_ERROR(impl->start());
  return std::unique_ptr<Writer>(new Writer(std::move(impl)));
}

Result<std::unique_ptr<Writer>> Writer::create_on_fd(int fd, const std::string& name, WriterOptions options) {
  QUIRE_RETURN_IF_ERROR(check_options(options));
  auto impl = std::make_unique<Impl>(OutputFile::wrap_fd(fd, name), std::move(options), "");
  QUIRE_RETURN_IF_ERROR(impl->start());
  return std::unique_ptr<Writer>(new Writer(std::move(impl)));
}

Status Writer::add(const ArticleInput& article, Sha256* sha256) { return impl_->add(article, sha256); }
Status Writer::finish() { return impl_->finish(); }
void Writer::abandon() { impl_->abandon(); }
WriterStats Writer::stats() const { return impl_->stats(); }
void Writer::add_info(KeyValue kv) { impl_->add_info(std::move(kv)); }
bool Writer::has_body(const Sha256& sha) const { return impl_->has_body(sha); }
std::string Writer::temp_path() const { return impl_->temp_path(); }
Sha256 Writer::content_digest() const { return impl_->content_digest(); }
std::optional<uint64_t> Writer::find_record(std::string_view id) const { return impl_->find_record(id); }

}  // namespace quire
