// WARC files as articles (SPEC.md 14). Each response, resource, revisit and
// conversion record becomes one article:
//   id     the target URI (angle brackets removed); a URI met again gets
//          "URI WARC-Date" (a space cannot occur in a URI), then " #2", ...
//   url    the target URI;  date  WARC-Date;  media_type  the HTTP
//          Content-Type, or the record's Content-Type for non-HTTP records
//   body   the HTTP payload with chunked framing removed (a content-encoded
//          payload is kept as captured); the whole block for other records
//   extra  warc.* and http.* provenance keys (listed in SPEC.md 14).
// request and metadata records are attached to the article they name
// (WARC-Concurrent-To / WARC-Refers-To, either direction, within a window
// of nearby records); unmatched ones become articles of their own. A
// revisit whose payload (by WARC-Refers-To or payload digest) was stored
// shares that body. warcinfo records become archive metadata.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "format/model.h"
#include "format/status.h"
#include "writer/warc_reader.h"

namespace quire {

enum class OnBadDigest { kFail, kWarn, kSkip };

struct WarcInputOptions {
  OnBadDigest on_bad_digest = OnBadDigest::kWarn;
  WarcReaderOptions reader;
  // How many records an article waits for its request/metadata records.
  size_t pairing_window = 64;
};

struct WarcArticle {
  ArticleMeta meta;
  std::string body;
  // A revisit: the body already stored with this SHA-256 (body is empty).
  std::optional<Sha256> shared_body;
  std::string where;  // "FILE: record at byte N", for messages
  // What later revisits may name this body by: its record id, payload digests.
  std::string record_id;
  std::vector<std::string> payload_digests;
};

struct WarcStats {
  uint64_t records = 0, articles = 0, attached = 0, orphans = 0;
  uint64_t revisits_shared = 0, revisits_unresolved = 0;
  // Digest checks over every record: block digests, payload digests (over
  // the unchunked payload, or over the chunked one as some tools compute it).
  uint64_t block_digests_ok = 0, payload_digests_ok = 0, payload_digests_ok_chunked = 0;
  uint64_t digests_mismatched = 0, digests_unchecked = 0;
  uint64_t skipped = 0, damaged = 0;
};

class WarcInput {
 public:
  static Result<std::unique_ptr<WarcInput>> open(const std::string& path, WarcInputOptions options = {});

  // The next article; false at the end. Warnings (damaged stretches, digest
  // mismatches under kWarn/kSkip, skipped records) go to `warning`; a digest
  // mismatch under kFail is returned as an error.
  Result<bool> next(WarcArticle& out, const std::function<void(const std::string&)>& warning);

  // Tell the input which SHA-256 the writer stored for an article's body, so
  // later revisits of it can share it.
  void stored(const WarcArticle& article, const Sha256& sha);

  // warcinfo records, as archive metadata ("warcinfo FILE@OFFSET" -> fields).
  const std::vector<KeyValue>& archive_metadata() const { return warcinfo_; }
  const WarcStats& stats() const { return stats_; }
  const std::string& name() const { return reader_->name(); }
  uint64_t bytes_read() const { return reader_->bytes_read(); }

 private:
  // A request or metadata record with the outcome of its digest checks.
  struct AuxRecord {
    WarcRecord record;
    std::vector<KeyValue> checks;  // "block_digest_check" -> "ok", ...
  };
  struct Pending {
    AuxRecord aux;                       // the record (an article's keeps no block)
    std::optional<WarcArticle> article;  // set for article records
    std::vector<AuxRecord> attached;     // its request and metadata records
  };
  struct DigestOutcome {
    std::vector<KeyValue> checks;
    std::optional<WarcDigest> payload;  // the stored payload's digest, when the check computed one
    bool skip = false;
  };
  WarcInput(std::unique_ptr<WarcReader> r, WarcInputOptions o) : reader_(std::move(r)), options_(o) {}
  Result<bool> read_one(const std::function<void(const std::string&)>& warning);
  Result<std::optional<WarcArticle>> to_article(const WarcRecord& r, const std::function<void(const std::string&)>& warning);
  Result<DigestOutcome> check_digests(const WarcRecord& r, std::string_view payload, std::string_view raw_payload,
                                      const std::string& uri, const std::function<void(const std::string&)>& warning);
  bool attach(AuxRecord& aux);
  void adopt_waiting(Pending& article);
  WarcArticle finish(Pending& p);
  std::string unique_id(const std::string& uri, std::string_view date);
  std::string source_name() const;
  std::string id_base(const std::string& base, const WarcRecord& r) const;

  std::unique_ptr<WarcReader> reader_;
  WarcInputOptions options_;
  std::deque<Pending> window_;
  bool ended_ = false;
  std::unordered_set<std::string> ids_;
  std::unordered_map<std::string, Sha256> by_record_id_, by_payload_digest_;
  std::vector<KeyValue> warcinfo_;
  WarcStats stats_;
};

}  // namespace quire
