// Full-text query latency: Quire's index (quire::search) against ZIM's own
// Xapian index (libzim's zim::Searcher), on the same fixed list of queries.
//   fulltext_bench QUIRE_ARCHIVE ZIM_FILE QUERIES_FILE [--snippets] [--runs N] [--details OUT.jsonl]
// QUERIES_FILE: one query a line, "kind<TAB>query<TAB>lang-filter-or-empty".
// Each timed call is what an application does to show one page of results:
//   Quire: search() with limit 10 (snippets off unless --snippets), reading each hit's id;
//   ZIM:   one zim::Searcher reused (as kiwix does) -> search(zim::Query(q)) ->
//          getResults(0, 10), iterating and reading each result's path (and its
//          snippet with --snippets).
// ZIM has no language filter: a filtered query runs there as the bare query.
// One untimed pass over all queries first (warm-up), then --runs passes (default 5),
// the two sides interleaved query by query; a query's time is its median over the
// runs, and the percentiles are over the queries. Prints one JSON object (µs).
#include <zim/archive.h>
#include <zim/search.h>
#include <zim/search_iterator.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "reader/archive_set.h"
#include "reader/fulltext_search.h"

using bench::Clock;
using bench::percentile;
using bench::us_since;

namespace {

struct Query {
  std::string kind, text, lang;
};

struct Outcome {
  double us = 0;
  size_t hits = 0;         // hits read (at most 10)
  uint64_t estimated = 0;  // the engine's estimate of all matches
  bool error = false;
  std::string message;
};

std::string json_escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

double median(std::vector<double> v) { return percentile(std::move(v), 0.5); }

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> pos;
  bool snippets = false;
  int runs = 5;
  std::string details;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--snippets") {
      snippets = true;
    } else if (a == "--runs" && i + 1 < argc) {
      runs = std::stoi(argv[++i]);
    } else if (a == "--details" && i + 1 < argc) {
      details = argv[++i];
    } else {
      pos.push_back(a);
    }
  }
  if (pos.size() != 3 || runs < 1) {
    std::fprintf(stderr,
                 "usage: fulltext_bench QUIRE_ARCHIVE ZIM_FILE QUERIES_FILE [--snippets] [--runs N] "
                 "[--details OUT.jsonl]\n");
    return 2;
  }

  std::vector<Query> queries;
  for (const std::string& line : bench::read_lines(pos[2])) {
    if (line.empty()) continue;
    Query q;
    std::istringstream in(line);
    std::getline(in, q.kind, '\t');
    std::getline(in, q.text, '\t');
    std::getline(in, q.lang, '\t');
    queries.push_back(std::move(q));
  }
  if (queries.empty()) {
    std::fprintf(stderr, "%s: no queries\n", pos[2].c_str());
    return 2;
  }

  auto set = quire::ArchiveSet::open(pos[0]);
  if (!set) {
    std::fprintf(stderr, "%s: %s\n", pos[0].c_str(), set.status().to_string().c_str());
    return 1;
  }
  zim::Archive archive(pos[1]);
  if (!archive.hasFulltextIndex()) {
    std::fprintf(stderr, "%s has no full-text index\n", pos[1].c_str());
    return 1;
  }
  zim::Searcher searcher(archive);  // one Searcher for every query, as kiwix does

  uint64_t check = 0;  // keeps what is read alive
  auto run_quire = [&](const Query& q) {
    Outcome o;
    quire::SearchRequest req;
    req.query = q.text;
    if (!q.lang.empty()) req.filter.lang = q.lang;
    req.limit = 10;
    req.snippets = snippets;
    auto t = Clock::now();
    auto r = quire::search(*set, req);
    if (r) {
      for (const quire::SearchHit& h : r->hits) {
        check += h.id.size() + h.snippet.size();
        ++o.hits;
      }
      o.estimated = r->estimated;
    }
    o.us = us_since(t);
    if (!r) {
      o.error = true;
      o.message = r.status().to_string();
    }
    return o;
  };
  auto run_zim = [&](const Query& q) {
    Outcome o;
    auto t = Clock::now();
    try {
      zim::Search search = searcher.search(zim::Query(q.text));
      zim::SearchResultSet results = search.getResults(0, 10);
      for (auto it = results.begin(); it != results.end(); ++it) {
        check += it.getPath().size();
        if (snippets) check += it.getSnippet().size();
        ++o.hits;
      }
      o.us = us_since(t);
      o.estimated = search.getEstimatedMatches();
    } catch (const std::exception& e) {
      o.us = us_since(t);
      o.error = true;
      o.message = e.what();
    }
    return o;
  };

  // Warm-up: one untimed pass over every query, both sides.
  for (const Query& q : queries) {
    run_quire(q);
    run_zim(q);
  }
  size_t n = queries.size();
  std::vector<std::vector<double>> quire_us(n), zim_us(n);
  std::vector<Outcome> quire_last(n), zim_last(n);
  for (int r = 0; r < runs; ++r) {
    for (size_t i = 0; i < n; ++i) {
      quire_last[i] = run_quire(queries[i]);
      zim_last[i] = run_zim(queries[i]);
      quire_us[i].push_back(quire_last[i].us);
      zim_us[i].push_back(zim_last[i].us);
    }
  }

  std::vector<double> qm(n), zm(n);
  std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> by_kind;
  std::map<std::string, int> kind_count;
  size_t quire_with_hits = 0, zim_with_hits = 0, only_quire = 0, only_zim = 0, quire_errors = 0, zim_errors = 0;
  std::FILE* out = details.empty() ? nullptr : std::fopen(details.c_str(), "w");
  for (size_t i = 0; i < n; ++i) {
    qm[i] = median(quire_us[i]);
    zm[i] = median(zim_us[i]);
    by_kind[queries[i].kind].first.push_back(qm[i]);
    by_kind[queries[i].kind].second.push_back(zm[i]);
    ++kind_count[queries[i].kind];
    bool qh = quire_last[i].hits > 0, zh = zim_last[i].hits > 0;
    quire_with_hits += qh;
    zim_with_hits += zh;
    only_quire += qh && !zh;
    only_zim += zh && !qh;
    quire_errors += quire_last[i].error;
    zim_errors += zim_last[i].error;
    if (out != nullptr) {
      std::fprintf(out,
                   "{\"kind\":\"%s\",\"query\":\"%s\",\"lang\":\"%s\",\"quire_us\":%.1f,\"zim_us\":%.1f,"
                   "\"quire_hits\":%zu,\"zim_hits\":%zu,\"quire_estimated\":%llu,\"zim_estimated\":%llu%s%s%s%s}\n",
                   json_escape(queries[i].kind).c_str(), json_escape(queries[i].text).c_str(),
                   json_escape(queries[i].lang).c_str(), qm[i], zm[i], quire_last[i].hits, zim_last[i].hits,
                   static_cast<unsigned long long>(quire_last[i].estimated),
                   static_cast<unsigned long long>(zim_last[i].estimated),
                   quire_last[i].error ? ",\"quire_error\":\"" : "",
                   quire_last[i].error ? (json_escape(quire_last[i].message) + "\"").c_str() : "",
                   zim_last[i].error ? ",\"zim_error\":\"" : "",
                   zim_last[i].error ? (json_escape(zim_last[i].message) + "\"").c_str() : "");
    }
  }
  if (out != nullptr) std::fclose(out);

  auto side = [](const std::vector<double>& v) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "{\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"mean_us\":%.1f}",
                  percentile(v, 0.5), percentile(v, 0.9), percentile(v, 0.99),
                  std::accumulate(v.begin(), v.end(), 0.0) / v.size());
    return std::string(buf);
  };
  std::string kinds;
  for (const auto& [kind, v] : by_kind) {
    char buf[384];
    std::snprintf(buf, sizeof buf,
                  "%s\"%s\":{\"queries\":%d,\"quire_p50_us\":%.1f,\"zim_p50_us\":%.1f,\"quire_p99_us\":%.1f,"
                  "\"zim_p99_us\":%.1f}",
                  kinds.empty() ? "" : ",", json_escape(kind).c_str(), kind_count[kind], percentile(v.first, 0.5),
                  percentile(v.second, 0.5), percentile(v.first, 0.99), percentile(v.second, 0.99));
    kinds += buf;
  }
  std::printf(
      "{\"queries\":%zu,\"runs\":%d,\"snippets\":%s,\"limit\":10,"
      "\"zim_filter_note\":\"ZIM has no language filter: filtered queries run there as the bare query\","
      "\"quire\":%s,\"zim\":%s,\"kinds\":{%s},"
      "\"hits\":{\"quire_with_hits\":%zu,\"zim_with_hits\":%zu,\"only_quire\":%zu,\"only_zim\":%zu,"
      "\"mismatches\":%zu,\"quire_errors\":%zu,\"zim_errors\":%zu},\"check\":%llu}\n",
      n, runs, snippets ? "true" : "false", side(qm).c_str(), side(zm).c_str(), kinds.c_str(), quire_with_hits,
      zim_with_hits, only_quire, only_zim, only_quire + only_zim, quire_errors, zim_errors,
      static_cast<unsigned long long>(check % 7));
  return 0;
}
