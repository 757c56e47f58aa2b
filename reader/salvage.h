// Salvage (SPEC.md 4.2): recover every article whose block is intact from an
// archive with flipped bits, a cut-off tail, or a damaged footer, manifest or
// index. Needs nothing but the sections themselves: each block carries the
// full catalog records of its articles, and dictionaries have two copies.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "format/model.h"

namespace quire {

struct RecoveredArticle {
  uint64_t record = 0;  // record number in the damaged archive
  ArticleMeta meta;
  std::string_view body;  // valid during the callback
  Sha256 sha256{};        // checked against the body
  std::vector<Layer> layers;
};

struct SalvageReport {
  bool footer_ok = false, manifest_ok = false;
  uint64_t expected_articles = 0;  // from the footer or manifest; 0 when unknown
  uint64_t blocks_found = 0, blocks_recovered = 0, recovered = 0;
  std::vector<std::string> lost;       // one line per lost item: what, where, why
  std::vector<std::string> lost_ids;   // ids of lost articles, when their records were readable
  bool info_known = false;
  ArchiveInfo info;                    // from the manifest, when readable
};

// Scans the sections, calls `on_scanned` with what the scan found (archive
// metadata, expected count), then `sink` for each recovered article in
// record order. An error from either stops the walk.
Result<SalvageReport> salvage_articles(const std::string& path,
                                       const std::function<Status(const SalvageReport&)>& on_scanned,
                                       const std::function<Status(const RecoveredArticle&)>& sink);

}  // namespace quire
