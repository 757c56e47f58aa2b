#include "writer/pack.h"

#include "writer/archive_input.h"
#include "writer/dictionary_sample.h"
#include "writer/member_stream.h"
#include "writer/memory_budget.h"
#include "writer/page_extract.h"
#include "writer/spill_sequence.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unordered_map>

namespace quire {
namespace {

namespace fs = std::filesystem;


// The whole file, or an error naming it: a file that cannot be opened or
// read to its end is never packed as a shorter body.
Result<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in.is_open()) return Status::io_error(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  std::streamoff size = in.tellg();
  if (size < 0) return Status::io_error(fmt::format("cannot read '{}'", path));
  std::string body(static_cast<size_t>(size), '\0');
  in.seekg(0);
  in.read(body.data(), size);
  if (in.gcount() != size || in.bad()) {
    return Status::io_error(fmt::format("cannot read '{}': {} of {} bytes read", path, in.gcount(), size));
  }
  return body;
}

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Reads lines from a file, or stdin for "-", counting them for messages.
class LineReader {
 public:
  static Result<std::unique_ptr<LineReader>> open(const std::string& path) {
    auto r = std::unique_ptr<LineReader>(new LineReader());
    r->name_ = path == "-" ? "<stdin>" : path;
    if (path != "-") {
      r->file_.open(path, std::ios::binary);
      if (!r->file_) return Status::invalid_argument(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
      r->in_ = &r->file_;
    }
    return r;
  }
  // Next non-blank line; false at the end.
  bool next(std::string& line) {
    while (std::getline(*in_, line)) {
      ++line_no_;
      if (!blank(line)) return true;
    }
    return false;
  }
  bool failed() const { return in_->bad(); }
  std::string where() const { return fmt::format("{}:{}", name_, line_no_); }
  uint64_t line() const { return line_no_; }

 private:
  LineReader() = default;
  std::ifstream file_;
  std::istream* in_ = &std::cin;
  std::string name_;
  uint64_t line_no_ = 0;
};

// Annotation records by id. Read in step with the articles when both files
// are in the same order (memory stays flat); records met out of order are
// kept until their article comes.
class AnnotationSidecar {
 public:
  AnnotationSidecar(std::unique_ptr<LineReader> lines, JsonlParser& parser) : lines_(std::move(lines)), parser_(parser) {}

  Result<std::vector<Layer>> take(const std::string& id) {
    if (auto it = waiting_.find(id); it != waiting_.end()) {
      auto layers = std::move(it->second.first);
      waiting_.erase(it);
      return layers;
    }
    std::string line;
    while (!done_ && lines_->next(line)) {
      auto rec = parser_.annotations(line);
      if (!rec) return rec.status().with_context(lines_->where());
      if (rec->id == id) return std::move(rec->layers);
      auto [it, inserted] = waiting_.try_emplace(rec->id, std::move(rec->layers), lines_->where());
      if (!inserted) return Status::invalid_argument(fmt::format("{}: second annotation record for id '{}'", lines_->where(), rec->id));
    }
    done_ = true;
    return std::vector<Layer>{};
  }

  Status finish() {
    std::string line;
    while (!done_ && lines_->next(line)) {
      auto rec = parser_.annotations(line);
      if (!rec) return rec.status().with_context(lines_->where());
      waiting_.try_emplace(rec->id, std::move(rec->layers), lines_->where());
    }
    if (!waiting_.empty()) {
      auto first = std::min_element(waiting_.begin(), waiting_.end(),
                                    [](const auto& a, const auto& b) { return a.second.second < b.second.second; });
      return Status::invalid_argument(fmt::format("{}: annotations for id '{}', which is not in the input ({} such records)",
                                                  first->second.second, first->first, waiting_.size()));
    }
    return Status::ok();
  }

 private:
  std::unique_ptr<LineReader> lines_;
  JsonlParser& parser_;
  bool done_ = false;
  std::unordered_map<std::string, std::pair<std::vector<Layer>, std::string>> waiting_;
};

// Whether a file's (decompressed) content starts with a WARC version line:
// the content decides, not the name (Webrecorder writes gzip files named .warc).
bool looks_like_warc(const std::string& path) {
  auto stream = MemberStream::open(path);
  if (!stream) return false;
  char head[5];
  size_t got = 0;
  while (got < sizeof head) {
    auto n = (*stream)->read(head + got, sizeof head - got);
    if (!n || *n == 0) break;
    got += *n;
  }
  return got == sizeof head && std::string_view(head, 5) == "WARC/";
}

// JSONL is recognised by its name (.jsonl, .ndjson, .json) or by its first
// non-blank byte being '{'; WARC by its first bytes (plain or gzip); anything
// else is handed to libarchive. Stdin can only be peeked one byte: JSONL,
// plain WARC ('W') or an archive; a gzip WARC on stdin needs --format warc.
Result<InputKind> detect_input(const std::string& input) {
  std::error_code ec;
  if (input != "-" && fs::is_directory(input, ec)) return InputKind::kDirectory;
  if (input == "-") {
    // Only peek: a byte consumed here would be lost to libarchive.
    int c = std::cin.peek();
    if (c == 'W') return InputKind::kWarc;
    return c == '{' || c == '\n' || c == ' ' || c == '\t' ? InputKind::kJsonl : InputKind::kArchive;
  }
  // Not found, but not a missing article: the user named a file that is not there.
  if (!fs::exists(input, ec)) return Status::invalid_argument(fmt::format("input '{}' does not exist", input));
  std::string ext = fs::path(input).extension().string();
  if (ext == ".jsonl" || ext == ".ndjson" || ext == ".json") return InputKind::kJsonl;
  if (looks_like_warc(input)) return InputKind::kWarc;
  std::ifstream in(input, std::ios::binary);
  in >> std::ws;
  return in.peek() == '{' ? InputKind::kJsonl : InputKind::kArchive;
}

// Where pack's own spill file goes first: beside the output ("" for stdout: $TMPDIR).
std::string spill_directory(const std::string& output) {
  if (output == "-") return "";
  std::string dir = fs::path(output).parent_path().string();
  return dir.empty() ? "." : dir;
}

class Packer {
 public:
  explicit Packer(const PackRequest& r)
      : req_(r), parser_(r.jsonl), origins_file_(spill_directory(r.output)),
        origins_(origins_file_, MemoryShares::of(r.writer.memory_budget).origins) {}

  Result<WriterStats> run() {
    std::error_code ec;
    if (req_.kind == InputKind::kAuto) {
      QUIRE_ASSIGN_OR_RETURN(kind_, detect_input(req_.input));
    } else {
      kind_ = req_.kind;
    }
    bool is_dir = kind_ == InputKind::kDirectory;
    if (!req_.meta_path.empty() && kind_ == InputKind::kJsonl) {
      return Status::invalid_argument("--meta applies to directory and archive input; put metadata in the JSONL lines");
    }
    if (!req_.annotations_path.empty()) {
      QUIRE_ASSIGN_OR_RETURN(auto lines, LineReader::open(req_.annotations_path));
      sidecar_ = std::make_unique<AnnotationSidecar>(std::move(lines), parser_);
    }
    // Sample the dictionary across the whole input where it can be read twice.
    WriterOptions options = req_.writer;
    if (options.dictionary && options.dictionary_sample.empty()) {
      if (is_dir) {
        QUIRE_RETURN_IF_ERROR(list_directory());
        std::vector<std::string> paths;
        for (const auto& rel : files_) paths.push_back((fs::path(req_.input) / rel).string());
        options.dictionary_sample = sample_file_bodies(paths, kSamplePieces, options.dictionary_sample_bytes);
      } else if (kind_ == InputKind::kJsonl && req_.input != "-" && fs::is_regular_file(req_.input, ec)) {
        JsonlParser sampler(req_.jsonl);
        QUIRE_ASSIGN_OR_RETURN(options.dictionary_sample,
                               sample_jsonl_bodies(req_.input, sampler, kSamplePieces, options.dictionary_sample_bytes));
      }
    }
    options.on_temp_file = req_.on_temp_file;  // registered before the dictionary is trained
    if (req_.shard_size > 0) {
      QUIRE_ASSIGN_OR_RETURN(writer_, SetWriter::create(req_.output, std::move(options), req_.shard_size,
                                                        req_.shard_body_reader));
      writer_->on_temp_file(req_.on_temp_file);  // for the manifest's temporary file
      if (req_.fulltext) writer_->after_shard([this](const std::string& path) { return index_in_place(path); });
    } else if (req_.output == "-") {
      if (isatty(STDOUT_FILENO)) return Status::invalid_argument("refusing to write an archive to a terminal");
      if (req_.fulltext) {
        // The index is built from the finished archive: it goes to a
        // temporary file first, then to stdout with its index.
        QUIRE_RETURN_IF_ERROR(make_stdout_stage());
        QUIRE_ASSIGN_OR_RETURN(auto w, Writer::create(stage_path_, std::move(options)));
        writer_ = SetWriter::single(std::move(w));
      } else {
        QUIRE_ASSIGN_OR_RETURN(auto w, Writer::create_on_fd(STDOUT_FILENO, "<stdout>", std::move(options)));
        writer_ = SetWriter::single(std::move(w));
      }
    } else {
      QUIRE_ASSIGN_OR_RETURN(auto w, Writer::create(req_.output, std::move(options)));
      writer_ = SetWriter::single(std::move(w));
    }
    Status s = is_dir                         ? pack_directory()
               : kind_ == InputKind::kArchive ? pack_archive()
               : kind_ == InputKind::kWarc    ? pack_warc()
                                              : pack_jsonl();
    if (s.is_ok() && sidecar_) s = sidecar_->finish().with_context("annotations");
    if (!s.is_ok()) {
      writer_->abandon();
      return s;
    }
    QUIRE_RETURN_IF_ERROR(writer_->finish());
    if (req_.fulltext && req_.shard_size == 0) {
      if (req_.output == "-") {
        if (req_.on_temp_file) req_.on_temp_file(stage_path_);
        auto stats = write_indexed_archive_to_fd(stage_path_, STDOUT_FILENO, "<stdout>", req_.index);
        if (!stats) return stats.status();
        add_index_stats(*stats);
      } else {
        Status s = index_in_place(req_.output);
        // A failed pack leaves nothing behind, even a complete archive
        // without the index it was asked for.
        if (!s.is_ok()) ::unlink(req_.output.c_str());
        QUIRE_RETURN_IF_ERROR(s);
      }
    }
    if (req_.shards_written) *req_.shards_written = writer_->shards();
    return writer_->stats();
  }

  ~Packer() {
    if (!stage_path_.empty()) ::unlink(stage_path_.c_str());
  }

 private:
  Status index_in_place(const std::string& path) {
    auto stats = write_indexed_archive(path, path, req_.index);
    if (!stats) return stats.status().with_context("--fulltext");
    add_index_stats(*stats);
    return Status::ok();
  }
  void add_index_stats(const IndexStats& s) {
    if (!req_.index_stats) return;
    IndexStats& t = *req_.index_stats;
    t.documents += s.documents;
    t.without_text += s.without_text;
    t.text_bytes += s.text_bytes;
    t.index_bytes += s.index_bytes;
    if (t.default_language.empty()) t.default_language = s.default_language;
  }
  // A temporary path for an archive bound for stdout, under TMPDIR.
  Status make_stdout_stage() {
    const char* tmp = std::getenv("TMPDIR");
    std::string dir = tmp && *tmp ? tmp : "/tmp";
    stage_path_ = dir + "/quire-pack-stdout-" + std::to_string(::getpid()) + ".quire";
    if (req_.on_temp_file) req_.on_temp_file(stage_path_);
    return Status::ok();
  }
  std::string stage_path_;

  // `where` names the input ("file:line" or a path); `origin` is the line
  // number or file index, kept per record (8 bytes) for duplicate-id messages.
  Status add(OwnedArticle& a, const std::string& where, uint64_t origin, Sha256* sha256 = nullptr) {
    enrich(a);
    if (sidecar_) {
      auto layers = sidecar_->take(a.meta.id);
      if (!layers) return layers.status();
      QUIRE_RETURN_IF_ERROR(parser_.normalise_offsets(a.body, *layers).with_context(where + ": annotations of '" + a.meta.id + "'"));
      a.layers.insert(a.layers.end(), layers->begin(), layers->end());
    }
    Status s = writer_->add(a.view(), sha256);
    if (!s.is_ok()) {
      if (auto first = writer_->find_record(a.meta.id); first && *first < origins_.size()) {
        QUIRE_ASSIGN_OR_RETURN(uint64_t first_origin, origins_.at(*first));
        return Status::invalid_argument(
            fmt::format("{}: duplicate id '{}' (first at {})", where, a.meta.id, origin_text(first_origin)));
      }
      return s.with_context(where);
    }
    QUIRE_RETURN_IF_ERROR(origins_.push_back(origin));
    if (req_.progress) req_.progress(writer_->stats());
    return Status::ok();
  }

  // --extract and --detect-lang: metadata and layers found in the body.
  void enrich(OwnedArticle& a) const {
    bool detect = req_.detect_lang.value_or(req_.extract);
    if (a.shared_body || (!req_.extract && (!detect || !a.meta.lang.empty()))) return;
    if (req_.extract) {
      PageHints hints;
      hints.media_type = a.meta.media_type;
      hints.file_name = a.meta.id;
      hints.year = req_.extract_year;
      hints.detect_language = detect;
      apply_extraction(extract_page(a.body, hints), a.meta, a.layers);
      return;
    }
    PageExtraction found;
    if (is_valid_utf8(a.body)) found.language = detect_language(a.body);
    apply_extraction(found, a.meta, a.layers);
  }

  Status pack_jsonl() {
    QUIRE_ASSIGN_OR_RETURN(auto lines, LineReader::open(req_.input));
    std::string line;
    while (lines->next(line)) {
      auto a = parser_.article(line);
      if (!a) return a.status().with_context(lines->where());
      QUIRE_RETURN_IF_ERROR(add(*a, lines->where(), lines->line()));
    }
    if (lines->failed()) return Status::io_error(fmt::format("error reading '{}'", req_.input));
    return Status::ok();
  }

  Status load_meta(std::unordered_map<std::string, std::pair<OwnedArticle, std::string>>& meta) {
    QUIRE_ASSIGN_OR_RETURN(auto lines, LineReader::open(req_.meta_path));
    std::string line;
    while (lines->next(line)) {
      auto a = parser_.metadata(line);
      if (!a) return a.status().with_context(lines->where());
      std::string id = a->meta.id;
      if (!meta.try_emplace(id, std::move(*a), lines->where()).second) {
        return Status::invalid_argument(fmt::format("{}: second metadata record for id '{}'", lines->where(), id));
      }
    }
    return Status::ok();
  }

  // The regular files under the input directory, sorted bytewise (the archive
  // order is reproducible); symbolic links are reported and skipped.
  Status list_directory() {
    if (listed_) return Status::ok();
    listed_ = true;
    std::vector<std::string>& files = files_;
    std::error_code ec;
    fs::path root(req_.input);
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      std::string rel = it->path().lexically_relative(root).generic_string();
      if (it->is_symlink()) {
        if (req_.warning) req_.warning(fmt::format("skipping symbolic link '{}'", rel));
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file()) files.push_back(rel);
    }
    if (ec) return Status::io_error(fmt::format("cannot list '{}': {}", req_.input, ec.message()));
    std::sort(files.begin(), files.end());
    return Status::ok();
  }

  // Members of a tar, zip, ... (streamed): id = member path, date = member
  // mtime unless --meta gives one.
  Status pack_archive() {
    std::unordered_map<std::string, std::pair<OwnedArticle, std::string>> meta;
    if (!req_.meta_path.empty()) QUIRE_RETURN_IF_ERROR(load_meta(meta));
    QUIRE_ASSIGN_OR_RETURN(auto input, ArchiveInput::open(req_.input, req_.warc.reader.max_block_bytes));
    from_archive_ = true;
    ArchiveMember m;
    for (;;) {
      QUIRE_ASSIGN_OR_RETURN(bool more, input->next(m, req_.warning));
      if (!more) break;
      OwnedArticle a;
      if (auto it = meta.find(m.path); it != meta.end()) {
        a = std::move(it->second.first);
        meta.erase(it);
      }
      a.meta.id = m.path;
      a.body = std::move(m.body);
      if (!a.meta.date.known() && m.mtime) a.meta.date = Date::from_unix(*m.mtime);
      std::string where = fmt::format("{}: member '{}'", req_.input == "-" ? "<stdin>" : req_.input, m.path);
      QUIRE_RETURN_IF_ERROR(parser_.normalise_offsets(a.body, a.layers).with_context(where));
      QUIRE_RETURN_IF_ERROR(add(a, where, m.index));
    }
    if (!meta.empty()) {
      auto& [id, rec] = *meta.begin();
      return Status::invalid_argument(fmt::format("{}: metadata for '{}', which is not a file in '{}'", rec.second, id,
                                                  req_.input));
    }
    return Status::ok();
  }

  // Response, resource and revisit records of a WARC file (SPEC.md 14).
  Status pack_warc() {
    if (!req_.meta_path.empty()) return Status::invalid_argument("--meta does not apply to WARC input");
    QUIRE_ASSIGN_OR_RETURN(auto input, WarcInput::open(req_.input, req_.warc));
    auto warn = [&](const std::string& m) {
      if (req_.warning) req_.warning(m);
    };
    WarcArticle w;
    for (uint64_t index = 0;; ++index) {
      QUIRE_ASSIGN_OR_RETURN(bool more, input->next(w, warn));
      if (!more) break;
      OwnedArticle a;
      a.meta = std::move(w.meta);
      a.body = std::move(w.body);
      a.shared_body = w.shared_body;
      Sha256 sha;  // the writer's own hash of the body, for later revisits
      QUIRE_RETURN_IF_ERROR(add(a, w.where, index, &sha));
      input->stored(w, sha);
    }
    for (const KeyValue& kv : input->archive_metadata()) writer_->add_info(kv);
    if (req_.warc_stats) *req_.warc_stats = input->stats();
    return Status::ok();
  }

  Status pack_directory() {
    std::unordered_map<std::string, std::pair<OwnedArticle, std::string>> meta;
    if (!req_.meta_path.empty()) QUIRE_RETURN_IF_ERROR(load_meta(meta));
    QUIRE_RETURN_IF_ERROR(list_directory());
    fs::path root(req_.input);
    from_directory_ = true;
    for (size_t index = 0; index < files_.size(); ++index) {
      const std::string& rel = files_[index];
      OwnedArticle a;
      if (auto it = meta.find(rel); it != meta.end()) {
        a = std::move(it->second.first);
        meta.erase(it);
      }
      a.meta.id = rel;
      QUIRE_ASSIGN_OR_RETURN(a.body, read_whole_file((root / rel).string()));
      QUIRE_RETURN_IF_ERROR(parser_.normalise_offsets(a.body, a.layers).with_context(rel));
      QUIRE_RETURN_IF_ERROR(add(a, (root / rel).string(), index));
    }
    if (!meta.empty()) {
      auto& [id, rec] = *meta.begin();
      return Status::invalid_argument(fmt::format("{}: metadata for '{}', which is not a file in '{}'", rec.second, id,
                                                  req_.input));
    }
    return Status::ok();
  }

  const PackRequest& req_;
  JsonlParser parser_;
  std::unique_ptr<SetWriter> writer_;  // one archive, or a set (--shard-size)
  std::unique_ptr<AnnotationSidecar> sidecar_;
  // Bodies to sample for the dictionary, spread over the input.
  static constexpr size_t kSamplePieces = 4096;
  std::vector<std::string> files_;
  bool listed_ = false;
  // Per record: input line (JSONL) or index in files_; its own spill file
  // (the writer's belongs to each shard of a set), created only past its share.
  SpillFile origins_file_;
  SpillSequence<uint64_t> origins_;
  bool from_directory_ = false;
  bool from_archive_ = false;
  InputKind kind_ = InputKind::kJsonl;

  std::string origin_text(uint64_t origin) const {
    if (from_directory_) return (fs::path(req_.input) / files_[origin]).string();
    if (from_archive_) return fmt::format("member #{} of the same archive", origin);
    if (kind_ == InputKind::kWarc) return fmt::format("article #{} of the same WARC", origin);
    return fmt::format("{}:{}", req_.input == "-" ? "<stdin>" : req_.input, origin);
  }
};

}  // namespace

std::optional<InputKind> parse_input_kind(std::string_view name) {
  if (name == "auto") return InputKind::kAuto;
  if (name == "jsonl") return InputKind::kJsonl;
  if (name == "dir") return InputKind::kDirectory;
  if (name == "archive") return InputKind::kArchive;
  if (name == "warc") return InputKind::kWarc;
  return std::nullopt;
}

Result<WriterStats> pack(const PackRequest& request) { return Packer(request).run(); }

}  // namespace quire
