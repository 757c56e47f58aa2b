#include "reader/fulltext_search.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <xapian.h>

#include <mutex>

#include "reader/archive_impl.h"
#include "reader/fulltext_scheme.h"

namespace quire {

// Open Xapian handles on one archive's full-text section. A Xapian::Database
// is not thread-safe, so each search takes a handle of its own from here and
// gives it back; handles are opened on demand and kept.
struct ArchiveImpl::FulltextState {
  Status status;  // why the index cannot be used, sticky; OK when it can
  const ArchiveImpl* archive = nullptr;
  uint64_t payload_offset = 0;
  uint64_t documents = 0;
  std::string default_language;
  fulltext::Profile profile = fulltext::Profile::kFull;
  std::mutex mu;
  std::vector<std::unique_ptr<Xapian::Database>> idle;
  Status open_failed;  // under mu: once Xapian cannot open the section, it is not tried again

  Result<std::unique_ptr<Xapian::Database>> take() {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!open_failed.is_ok()) return open_failed;
      if (!idle.empty()) {
        auto db = std::move(idle.back());
        idle.pop_back();
        return db;
      }
    }
    auto db = open();
    if (!db && db.status().code() == Code::kCorruption) {
      // Damage does not heal: keep the answer rather than reopen (and
      // perhaps leak a descriptor Xapian did not close) on every search.
      std::lock_guard<std::mutex> lock(mu);
      open_failed = db.status();
    }
    return db;
  }

  Result<std::unique_ptr<Xapian::Database>> open() const {
    QUIRE_ASSIGN_OR_RETURN(int fd, archive->file().reopen());
    if (lseek(fd, static_cast<off_t>(payload_offset), SEEK_SET) < 0) {
      ::close(fd);
      return Status::io_error(fmt::format("'{}': cannot seek to the full-text section", archive->file().path()));
    }
    try {
      auto db = std::make_unique<Xapian::Database>(fd);  // owns fd from here
      if (db->get_doccount() != documents || db->get_lastdocid() != documents) {
        return Status::corruption(fmt::format("'{}': fulltext section: {} documents, the archive has {} articles",
                                              archive->file().path(), db->get_doccount(), documents));
      }
      return db;
    } catch (const Xapian::Error& e) {
      return Status::corruption(
          fmt::format("'{}': fulltext section: Xapian cannot open it: {}", archive->file().path(), e.get_description()));
    } catch (const std::exception& e) {  // damaged bytes can make Xapian throw standard exceptions too
      return Status::corruption(
          fmt::format("'{}': fulltext section: Xapian cannot open it: {}", archive->file().path(), e.what()));
    }
  }
  void give_back(std::unique_ptr<Xapian::Database> db) {
    std::lock_guard<std::mutex> lock(mu);
    idle.push_back(std::move(db));
  }
};

namespace {

using FulltextState = ArchiveImpl::FulltextState;

std::shared_ptr<FulltextState> make_state(const ArchiveImpl& impl) {
  auto state = std::make_shared<FulltextState>();
  state->archive = &impl;
  const ManifestSummary& m = impl.summary();
  const std::string& path = impl.file().path();
  if (!m.fulltext) {
    state->status = Status::not_found(
        fmt::format("'{}' has no full-text index; build one with `quire index {} -o OUT`", path, path));
    return state;
  }
  const FulltextSummary& f = *m.fulltext;
  auto profile = fulltext::profile_of_scheme(f.scheme);
  if (!profile || f.backend != fulltext::kBackend) {
    state->status = Status::unsupported(fmt::format(
        "'{}': full-text index of scheme '{}' ({}); this quire reads '{}' and '{}' ({})", path, f.scheme, f.backend,
        fulltext::kScheme, fulltext::kCompactScheme, fulltext::kBackend));
    return state;
  }
  state->profile = *profile;
  if (f.section.count != m.counts.articles) {
    state->status = Status::corruption(fmt::format("'{}': manifest: full-text index of {} documents for {} articles",
                                                   path, f.section.count, m.counts.articles));
    return state;
  }
  // Checks bounds, header and the payload checksum once per open archive.
  auto payload = impl.section(f.section.offset, f.section.length, SectionKind::kFulltext, 0);
  if (!payload) {
    state->status = payload.status().with_context(path);
    return state;
  }
  state->payload_offset = f.section.offset + SectionHeader::kSize;
  state->documents = m.counts.articles;
  state->default_language = f.default_language;
  return state;
}

// Returns every taken handle to its archive's pool when the search ends.
struct Handles {
  std::vector<std::shared_ptr<FulltextState>> states;
  std::vector<std::unique_ptr<Xapian::Database>> dbs;
  ~Handles() {
    for (size_t i = 0; i < dbs.size(); ++i) {
      if (dbs[i]) states[i]->give_back(std::move(dbs[i]));
    }
  }
};

Result<std::shared_ptr<FulltextState>> state_of(const Archive& archive) {
  const ArchiveImpl& impl = *archive.impl();
  auto state = impl.fulltext_state([&] { return make_state(impl); });
  if (!state->status.is_ok()) return state->status;
  return state;
}

// The filter as a Xapian query (Query() when it filters nothing).
Result<Xapian::Query> filter_query(const ArticleFilter& filter) {
  std::vector<Xapian::Query> parts;
  if (filter.source) parts.emplace_back(std::string(fulltext::kSourcePrefix) + *filter.source);
  // The first of the tag's terms is the tag itself ("L" + lower case), which
  // the index gives articles of the tag and of its regional variants.
  if (filter.lang && !filter.lang->empty()) parts.emplace_back(fulltext::language_terms(*filter.lang).front());
  for (const SpanMatch& m : filter.has_annotation) {
    std::optional<std::string> term;
    if (!m.type) return Status::invalid_argument("--has-annotation needs a type");
    term = fulltext::annotation_term(*m.type, m.label);
    if (!term) {
      return Status::invalid_argument(fmt::format("--has-annotation {}: label longer than {} bytes is not indexed",
                                                  *m.type, fulltext::kMaxLabelBytes));
    }
    parts.emplace_back(*term);
  }
  if (!filter.ids.empty()) {
    std::vector<Xapian::Query> ids;
    for (const std::string& id : filter.ids) ids.emplace_back(std::string(fulltext::kIdPrefix) + id);
    parts.emplace_back(Xapian::Query::OP_OR, ids.begin(), ids.end());
  }
  // Overlap of the article's period with [since, until] (reader/filter.cc):
  // end > since.start and start < until.end. Periods are whole seconds.
  if (filter.since) {
    double from = static_cast<double>(filter.since->period_start() + 1);
    parts.emplace_back(Xapian::Query::OP_VALUE_GE, fulltext::kDateEndSlot, Xapian::sortable_serialise(from));
  }
  if (filter.until) {
    double to = static_cast<double>(filter.until->period_end() - 1);
    parts.emplace_back(Xapian::Query::OP_VALUE_LE, fulltext::kDateStartSlot, Xapian::sortable_serialise(to));
  }
  if (parts.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

void configure_parser(Xapian::QueryParser& qp, fulltext::Profile profile) {
  qp.add_prefix("title", std::string(fulltext::kTitlePrefix));
  qp.add_boolean_prefix("source", std::string(fulltext::kSourcePrefix));
  qp.add_boolean_prefix("lang", std::string(fulltext::kLangPrefix));
  qp.add_boolean_prefix("id", std::string(fulltext::kIdPrefix));
  qp.add_boolean_prefix("has", std::string(fulltext::kTypePrefix));
  qp.add_boolean_prefix("label", std::string(fulltext::kLabelPrefix));
  qp.set_default_op(Xapian::Query::OP_AND);
  // "a*" must not expand to every term of a large index: the 100 most
  // frequent matching terms stand for it.
  qp.set_max_expansion(100, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  // full: as TermGenerator's STEM_SOME made the terms; compact: only Z terms exist.
  qp.set_stemming_strategy(profile == fulltext::Profile::kFull ? Xapian::QueryParser::STEM_SOME
                                                               : Xapian::QueryParser::STEM_ALL_Z);
}

constexpr unsigned kParseFlags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                                 Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
                                 Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_CJK_NGRAM;

// Xapian escapes its snippet for HTML and marks matches with the markers we
// give it; this turns that back into plain text and byte ranges.
constexpr char kMarkStart = '\x01', kMarkEnd = '\x02';

void decode_snippet(const std::string& marked, SearchHit& hit) {
  std::string& out = hit.snippet;
  out.clear();
  uint32_t open_at = 0;
  for (size_t i = 0; i < marked.size(); ++i) {
    char c = marked[i];
    if (c == kMarkStart) {
      open_at = static_cast<uint32_t>(out.size());
    } else if (c == kMarkEnd) {
      hit.highlights.emplace_back(open_at, static_cast<uint32_t>(out.size()));
    } else if (c == '&') {
      static constexpr std::pair<std::string_view, char> kEntities[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&apos;", '\''}};
      bool done = false;
      for (const auto& [name, ch] : kEntities) {
        if (std::string_view(marked).substr(i, name.size()) == name) {
          out += ch;
          i += name.size() - 1;
          done = true;
          break;
        }
      }
      if (!done) out += c;
    } else {
      out += c;
    }
  }
}

// Chooses the stemmer a query uses (SPEC.md 17.4).
std::string choose_stem_language(const SearchRequest& req, const std::string& index_default) {
  if (req.stem_language == "none") return "none";
  if (!req.stem_language.empty()) return fulltext::stem_language(req.stem_language);
  if (req.filter.lang) {
    // A language Xapian cannot stem was indexed unstemmed (identity Z
    // terms): its words must not go through another language's stemmer.
    std::string l = fulltext::stem_language(*req.filter.lang);
    return l.empty() ? "none" : l;
  }
  return index_default.empty() ? "none" : index_default;
}

// Only id_prefix is not a term: it is checked on the catalog of each candidate.
class IdPrefixDecider : public Xapian::MatchDecider {
 public:
  IdPrefixDecider(const ArchiveSet& set, std::string prefix, size_t shards)
      : set_(set), prefix_(std::move(prefix)), shards_(shards) {}
  bool operator()(const Xapian::Document& doc) const override {
    Xapian::docid d = doc.get_docid();
    size_t shard = (d - 1) % shards_;
    uint64_t record = set_.shard_start(shard) + (d - 1) / shards_;
    auto a = set_.at(record);
    return a && a->id().substr(0, prefix_.size()) == prefix_;
  }

 private:
  const ArchiveSet& set_;
  std::string prefix_;
  size_t shards_;
};

}  // namespace

Status check_fulltext_index(const ArchiveImpl& impl) {
  if (!impl.summary().fulltext) return Status::ok();
  auto state = impl.fulltext_state([&] { return make_state(impl); });
  if (!state->status.is_ok()) return state->status;
  QUIRE_ASSIGN_OR_RETURN(auto db, state->take());  // opens it and counts the documents
  state->give_back(std::move(db));
  return Status::ok();
}

Result<bool> has_fulltext(const ArchiveSet& set) {
  for (size_t i = 0; i < set.shard_count(); ++i) {
    QUIRE_ASSIGN_OR_RETURN(Archive a, set.shard(i));
    if (!a.manifest().fulltext) return false;
  }
  return set.shard_count() > 0;
}

Result<SearchResult> search(const ArchiveSet& set, const SearchRequest& req) {
  if (req.query.empty() && req.filter.empty()) return Status::invalid_argument("empty query");
  if (!req.stem_language.empty() && req.stem_language != "none" && fulltext::stem_language(req.stem_language).empty()) {
    return Status::invalid_argument(fmt::format("no stemmer for '{}': Xapian has {} (or 'none')", req.stem_language,
                                                Xapian::Stem::get_available_languages()));
  }
  size_t n = set.shard_count();
  Handles handles;
  Xapian::Database db;
  for (size_t i = 0; i < n; ++i) {
    QUIRE_ASSIGN_OR_RETURN(Archive shard, set.shard(i));
    QUIRE_ASSIGN_OR_RETURN(auto state, state_of(shard));
    QUIRE_ASSIGN_OR_RETURN(auto handle, state->take());
    handles.states.push_back(state);
    handles.dbs.push_back(std::move(handle));
    db.add_database(*handles.dbs.back());
  }
  SearchResult result;
  result.stem_language = choose_stem_language(req, handles.states.empty() ? "" : handles.states[0]->default_language);
  if (result.stem_language.empty()) result.stem_language = "none";
  // The shards of a set are indexed alike by one pack; a mix cannot be searched as one.
  fulltext::Profile profile = handles.states.empty() ? fulltext::Profile::kFull : handles.states[0]->profile;
  for (const auto& st : handles.states) {
    if (st->profile != profile) {
      return Status::invalid_argument(fmt::format(
          "'{}': its shards have full-text indexes of different schemes; index them alike with `quire index`",
          set.path()));
    }
  }
  const bool compact = profile == fulltext::Profile::kCompact;
  result.positions = !compact;
  Xapian::Stem stemmer = fulltext::make_stemmer(result.stem_language, /*identity=*/compact);
  try {
    Xapian::QueryParser qp;
    configure_parser(qp, profile);
    qp.set_database(db);
    qp.set_stemmer(stemmer);
    Xapian::Query query;
    if (!req.query.empty()) {
      try {
        query = qp.parse_query(req.query, kParseFlags);
      } catch (const Xapian::QueryParserError& e) {
        return Status::invalid_argument(fmt::format("cannot parse the query '{}': {}", req.query, e.get_msg()));
      }
    }
    QUIRE_ASSIGN_OR_RETURN(Xapian::Query filter, filter_query(req.filter));
    if (query.empty()) {
      query = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, filter, 0.0);
    } else if (!filter.empty()) {
      query = Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
    }
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    std::unique_ptr<IdPrefixDecider> decider;
    if (req.filter.id_prefix) decider = std::make_unique<IdPrefixDecider>(set, *req.filter.id_prefix, n);
    Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(req.offset),
                                         static_cast<Xapian::doccount>(req.limit), nullptr, decider.get());
    result.estimated = mset.get_matches_estimated();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      Xapian::docid d = *it;
      size_t shard = (d - 1) % n;
      uint64_t record = set.shard_start(shard) + (d - 1) / n;
      QUIRE_ASSIGN_OR_RETURN(Article a, set.at(record));
      SearchHit hit;
      hit.record = record;
      hit.id = a.id();
      hit.title = a.title();
      hit.date = a.date().to_string();
      hit.weight = it.get_weight();
      hit.percent = it.get_percent();
      if (req.snippets && !req.query.empty()) {
        QUIRE_ASSIGN_OR_RETURN(Body body, a.body());
        std::optional<std::string> text = fulltext::article_text(body.bytes(), a.media_type(), a.id());
        if (text) {
          for (char& c : *text) {
            if (c == kMarkStart || c == kMarkEnd) c = ' ';
          }
          std::string marked = mset.snippet(*text, req.snippet_bytes, stemmer,
                                            Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_CJK_NGRAM,
                                            std::string(1, kMarkStart), std::string(1, kMarkEnd), "…");
          decode_snippet(marked, hit);
        }
      }
      result.hits.push_back(std::move(hit));
    }
  } catch (const Xapian::Error& e) {
    return Status::corruption(fmt::format("'{}': fulltext section: search failed: {}", set.path(), e.get_description()));
  } catch (const std::exception& e) {  // e.g. std::length_error from a damaged database (a test found it)
    return Status::corruption(fmt::format("'{}': fulltext section: search failed: {}", set.path(), e.what()));
  }
  return result;
}

}  // namespace quire
