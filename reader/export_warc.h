// `extract --to warc`: the matching articles as a WARC/1.1 file, plain or
// with each record in its own gzip member (.warc.gz), and optionally a CDXJ
// index of it that pywb reads.
//
// The file is a `warcinfo` record, then one record per article in archive
// order (reader/export_warc_record.h: `response` when the article carries the
// WARC ingest's http.* metadata, `revisit` for an unresolved revisit,
// `resource` otherwise). The warcinfo record
// holds "software", "format", "conformsTo", the archive's title as
// "isPartOf" and description as "description" when set, and its content
// digest as "quire-content-digest: sha256:<hex>"; its WARC-Date is the
// archive's creation time and its WARC-Record-ID the version 5 UUID (URL
// namespace) of "quire:warcinfo:sha256:<content digest hex>:<filename>".
// Nothing depends on the clock: the same archive, filter and file name give
// the same bytes. A .warc.gz member is zlib's gzip (deflate, default level,
// no name, mtime 0), one per record, so a reader can seek to any record.
//
// The CDXJ index has one line per article record (the warcinfo record is not
// indexed, as in pywb's indexer): "<SURT key> <14-digit timestamp> {json}"
// with "url" (WARC-Target-URI), "mime" (the HTTP Content-Type of a response,
// the record's of a resource, up to ';'), "status" (responses only),
// "digest" (WARC-Payload-Digest, "sha1:BASE32", when the record has one;
// "mime" is "warc/revisit" for a revisit), "length" and "offset" (of
// the record in the file: of its gzip member in a .warc.gz) and "filename",
// every value a JSON string. Lines are sorted by their bytes (LC_ALL=C sort),
// the order pywb's binary search needs. The timestamp is the first 14 digits
// of WARC-Date. SURT keys: reader/surt.h.
//
// The caller commits the outputs (reader/export_file.h) after success; on an
// error they are left uncommitted, and destroying them leaves nothing. The
// index's lines are held in memory until the end (about 200 bytes each).
#pragma once

#include <cstdint>
#include <string>

#include "reader/archive.h"
#include "reader/archive_set.h"
#include "reader/extract.h"
#include "reader/filter.h"
#include "reader/export_file.h"

namespace quire {

struct WarcExportOptions {
  bool gzip = false;        // one gzip member per record (.warc.gz)
  std::string filename;     // WARC-Filename and the CDXJ "filename"; "" for the last component of the WARC's path
  std::string software = "quire";  // the warcinfo "software" field
};

struct WarcExportStats {
  ExtractStats articles;
  uint64_t responses = 0, resources = 0, revisits = 0;  // records of each type (plus one warcinfo)
  uint64_t warc_bytes = 0;                // size of the WARC file
  uint64_t cdxj_lines = 0;
};

// Writes the matching articles to `warc`, and the index to `cdxj` unless it
// is null; both complete, neither committed.
Result<WarcExportStats> export_to_warc(const Archive& archive, ExportFile& warc, ExportFile* cdxj,
                                       const ArticleFilter& filter, const WarcExportOptions& options,
                                       const ExtractProgress& progress = {});
// A set: its articles in global order; the warcinfo record carries the
// first shard's archive metadata and the set's content digest.
Result<WarcExportStats> export_to_warc(const ArchiveSet& set, ExportFile& warc, ExportFile* cdxj,
                                       const ArticleFilter& filter, const WarcExportOptions& options,
                                       const ExtractProgress& progress = {});

}  // namespace quire
