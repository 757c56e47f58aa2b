// Full-text search over the index section of an archive or a set
// (SPEC.md 17). The index is a Xapian database stored inside the archive;
// Xapian opens it in place at its offset, so nothing is unpacked.
//
//   auto set = ArchiveSet::open("corpus.quire");
//   SearchRequest req;  req.query = "\"prime minister\" AND election";
//   req.filter.lang = "en";  req.limit = 10;
//   auto result = search(*set, req);   // Result<SearchResult>
//   for (auto& hit : result->hits) ... set->at(hit.record) ...
//
// The query language is Xapian's QueryParser (phrases in quotes, AND, OR,
// NOT, +term, -term, prefix*, and the field prefixes of SPEC.md 17.3 such as
// title:, source:, lang:). The request's filter narrows the matches exactly
// as `ls` does for source, lang, since/until and has_annotation (id and
// id_prefix filters are applied to the ranked hits). The hits of a set are
// ranked together, as if the shards were one archive.
//
// Thread safety: search() may be called from any number of threads on the
// same Archive or ArchiveSet; each call uses its own Xapian handle (handles
// are pooled per archive).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "format/status.h"
#include "reader/archive.h"
#include "reader/archive_set.h"
#include "reader/filter.h"

namespace quire {

struct SearchRequest {
  std::string query;          // Xapian QueryParser syntax; must not be empty
  ArticleFilter filter;       // ls filters; see above
  uint64_t offset = 0;        // hits to skip (paging)
  uint64_t limit = 10;        // hits to return at most
  // Language whose stemmer the query uses ("en", "de", ...): "" picks the
  // filter's language if it has a stemmer, else the index's most common
  // language (SPEC.md 17.4); "none" turns stemming off.
  std::string stem_language;
  // Snippets: about this many bytes of the article's text around the best
  // match, with the matched terms marked (SearchHit::highlights).
  bool snippets = true;
  size_t snippet_bytes = 200;
};

struct SearchHit {
  uint64_t record = 0;  // global record number (ArchiveSet::at)
  std::string id;
  std::string title;
  std::string date;     // ISO 8601 as precise as known, "" when unknown
  double weight = 0;    // Xapian's BM25 weight
  int percent = 0;      // 0..100, relative to the best hit
  std::string snippet;  // plain UTF-8 text (not HTML), "" when not asked for
  // Byte ranges [first, second) of `snippet` that are matched terms.
  std::vector<std::pair<uint32_t, uint32_t>> highlights;
};

struct SearchResult {
  uint64_t estimated = 0;  // Xapian's estimate of all matches
  std::string stem_language;  // the stemmer used, "none" for none
  // false: a compact index (SPEC.md 17.2): phrases matched as all their
  // words, every word stemmed.
  bool positions = true;
  std::vector<SearchHit> hits;
};

class ArchiveImpl;

// Verify's check of the index section (SPEC.md 10.3): the manifest entry,
// the section checksum (every byte), and that Xapian opens it with one
// document per article. OK when the archive has no index.
Status check_fulltext_index(const ArchiveImpl& archive);

// Whether the archive (every shard of a set) has a full-text index section.
Result<bool> has_fulltext(const ArchiveSet& set);

// NotFound when an archive has no index ("build one with `quire index`"),
// InvalidArgument for a query Xapian cannot parse (the message quotes
// Xapian's), Unsupported in a build without Xapian.
Result<SearchResult> search(const ArchiveSet& set, const SearchRequest& request);

}  // namespace quire
