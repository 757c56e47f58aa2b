#include "writer/warc_input.h"

#include <fmt/format.h>

#include <algorithm>

#include "format/base64.h"
#include "format/printable.h"
#include "writer/http_message.h"

namespace quire {
namespace {

constexpr uint64_t kMaxWindowBytes = uint64_t{64} << 20;
constexpr size_t kMaxIdBase = 2048;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// wget 1.19 wrote "<http://...>" after the WARC/1.0 grammar; 1.1 dropped the brackets.
std::string_view strip_brackets(std::string_view s) {
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') return s.substr(1, s.size() - 2);
  return s;
}

// Bytes that are not UTF-8 (or are NUL) percent-encoded, so any URI can be an id.
std::string uri_text(std::string_view raw) {
  std::string out;
  for (size_t i = 0; i < raw.size();) {
    size_t n = utf8_sequence_length(raw, i);
    if (n == 0 || raw[i] == '\0') {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(raw[i]));
      ++i;
    } else {
      out.append(raw.substr(i, n));
      i += n;
    }
  }
  return out;
}

// A value as text under `key`, or base64 under `key.b64` when it is not UTF-8.
void put(std::vector<KeyValue>& extra, const std::string& key, std::string_view value) {
  if (is_valid_utf8(value)) {
    extra.push_back({key, std::string(value)});
  } else {
    extra.push_back({key + ".b64", base64_encode(value)});
  }
}

std::string digest_key(const WarcDigest& d) { return d.to_string(); }

}  // namespace

Result<std::unique_ptr<WarcInput>> WarcInput::open(const std::string& path, WarcInputOptions options) {
  QUIRE_ASSIGN_OR_RETURN(auto reader, WarcReader::open(path, options.reader));
  return std::unique_ptr<WarcInput>(new WarcInput(std::move(reader), options));
}

// The file name without its directory, so where the input lay does not
// change the archive's content digest.
std::string WarcInput::source_name() const {
  const std::string& n = name();
  size_t slash = n.rfind('/');
  return uri_text(slash == std::string::npos ? n : n.substr(slash + 1));
}

// What an id starts from: `base`, unless it is empty or too long (ids are at
// most 4096 bytes); then "FILE@OFFSET", which names the record uniquely.
std::string WarcInput::id_base(const std::string& base, const WarcRecord& r) const {
  if (!base.empty() && base.size() <= kMaxIdBase) return base;
  return fmt::format("{}@{}", source_name().substr(0, kMaxIdBase), r.offset);
}

std::string WarcInput::unique_id(const std::string& uri, std::string_view date) {
  if (ids_.insert(uri).second) return uri;
  // The date as text (a WARC-Date that is not UTF-8 is percent-encoded), and
  // short: ids are at most 4096 bytes and the URI part at most 2048.
  std::string dated = uri + " " + uri_text(date.substr(0, 64));
  if (ids_.insert(dated).second) return dated;
  for (int n = 2;; ++n) {
    std::string numbered = fmt::format("{} #{}", dated, n);
    if (ids_.insert(numbered).second) return numbered;
  }
}

Result<bool> WarcInput::next(WarcArticle& out, const std::function<void(const std::string&)>& warning) {
  for (;;) {
    uint64_t held = 0;
    for (const Pending& p : window_) held += p.article ? p.article->body.size() : p.aux.record.block.size();
    if (!window_.empty() && (ended_ || window_.size() > options_.pairing_window || held > kMaxWindowBytes)) {
      Pending p = std::move(window_.front());
      window_.pop_front();
      out = finish(p);
      ++stats_.articles;
      return true;
    }
    if (ended_) return false;
    QUIRE_RETURN_IF_ERROR(read_one(warning).status());
  }
}

Result<bool> WarcInput::read_one(const std::function<void(const std::string&)>& warning) {
  WarcRecord r;
  uint64_t problems = 0;
  QUIRE_ASSIGN_OR_RETURN(bool more, reader_->next(r, [&](const std::string& p) {
    ++problems;
    warning(p);
  }));
  stats_.damaged += problems;
  if (!more) {
    ended_ = true;
    return false;
  }
  ++stats_.records;
  std::string type = lower(r.field("WARC-Type").value_or(""));
  if (type == "warcinfo" || type == "request" || type == "metadata") {
    if (!r.block_held) {
      warning(fmt::format("{}: {} record of {} bytes is larger than the limit (--max-record); skipped", r.where(name()),
                          type, r.content_length));
      ++stats_.skipped;
      return true;
    }
    std::string_view payload = r.block;
    if (lower(r.field("Content-Type").value_or("")).rfind("application/http", 0) == 0) {
      if (auto head = parse_http_message(r.block)) payload = payload.substr(head->body_offset);
    }
    std::string uri = uri_text(strip_brackets(r.field("WARC-Target-URI").value_or("")));
    QUIRE_ASSIGN_OR_RETURN(DigestOutcome checked, check_digests(r, payload, payload, uri, warning));
    if (checked.skip) {
      ++stats_.skipped;
      return true;
    }
    if (type == "warcinfo") {
      put(warcinfo_, fmt::format("warcinfo {}@{}", source_name(), r.offset), r.block);
      return true;
    }
    AuxRecord aux{std::move(r), std::move(checked.checks)};
    if (!attach(aux)) window_.push_back(Pending{std::move(aux), std::nullopt, {}});
    return true;
  }
  if (type == "response" || type == "resource" || type == "revisit" || type == "conversion") {
    QUIRE_ASSIGN_OR_RETURN(auto article, to_article(r, warning));
    if (!article) {
      ++stats_.skipped;
      return true;
    }
    r.block.clear();
    r.block.shrink_to_fit();
    window_.push_back(Pending{AuxRecord{std::move(r), {}}, std::move(article), {}});
    adopt_waiting(window_.back());
    return true;
  }
  warning(fmt::format("{}: WARC-Type '{}' is not packed ({}); skipped", r.where(name()), printable(type),
                      type == "continuation" ? "segmented records are not joined" : "not a type Quire keeps"));
  ++stats_.skipped;
  return true;
}

namespace {

// Whether `a` names `b` (WARC-Concurrent-To or WARC-Refers-To).
bool names(const WarcRecord& a, const WarcRecord& b) {
  auto id = b.field("WARC-Record-ID");
  if (!id) return false;
  for (std::string_view to : a.fields_named("WARC-Concurrent-To")) {
    if (to == *id) return true;
  }
  auto refers = a.field("WARC-Refers-To");
  return refers && *refers == *id;
}

}  // namespace

// A request or metadata record joins the article it belongs to, if that is in the window.
bool WarcInput::attach(AuxRecord& aux) {
  for (Pending& p : window_) {
    if (p.article && (names(aux.record, p.aux.record) || names(p.aux.record, aux.record))) {
      p.attached.push_back(std::move(aux));
      ++stats_.attached;
      return true;
    }
  }
  return false;
}

// A new article takes the request and metadata records that came before it.
void WarcInput::adopt_waiting(Pending& article) {
  for (auto it = window_.begin(); it != window_.end();) {
    if (!it->article && (names(it->aux.record, article.aux.record) || names(article.aux.record, it->aux.record))) {
      article.attached.push_back(std::move(it->aux));
      ++stats_.attached;
      it = window_.erase(it);
    } else {
      ++it;
    }
  }
}

WarcArticle WarcInput::finish(Pending& p) {
  if (!p.article) {  // a request or metadata record that no article claimed
    const WarcRecord& r = p.aux.record;
    WarcArticle a;
    a.where = r.where(name());
    std::string type = lower(r.field("WARC-Type").value_or(""));
    std::string record_id(strip_brackets(r.field("WARC-Record-ID").value_or("")));
    a.meta.id = unique_id(id_base(uri_text(record_id), r), r.field("WARC-Date").value_or(""));
    a.meta.url = uri_text(strip_brackets(r.field("WARC-Target-URI").value_or("")));
    if (auto d = Date::parse(r.field("WARC-Date").value_or("")); d) a.meta.date = *d;
    a.meta.media_type = uri_text(r.field("Content-Type").value_or(""));
    a.meta.extra.push_back({"warc.type", type});
    put(a.meta.extra, "warc.headers", r.header_text);
    a.meta.extra.push_back({"warc.source", source_name()});
    a.meta.extra.push_back({r.offset_decompressed ? "warc.offset.decompressed" : "warc.offset", std::to_string(r.offset)});
    for (const KeyValue& kv : p.aux.checks) a.meta.extra.push_back({"warc." + kv.key, kv.value});
    a.body = std::move(p.aux.record.block);
    ++stats_.orphans;
    return a;
  }
  WarcArticle a = std::move(*p.article);
  int requests = 0, metadata = 0;
  for (const AuxRecord& aux : p.attached) {
    std::string type = lower(aux.record.field("WARC-Type").value_or(""));
    int& n = type == "request" ? requests : metadata;
    std::string key = fmt::format("warc.{}{}", type, ++n > 1 ? fmt::format(".{}", n) : "");
    put(a.meta.extra, key, aux.record.block);
    put(a.meta.extra, key + ".headers", aux.record.header_text);
    for (const KeyValue& kv : aux.checks) a.meta.extra.push_back({key + "." + kv.key, kv.value});
  }
  const WarcRecord& record = p.aux.record;
  if (lower(record.field("WARC-Type").value_or("")) == "revisit") {
    std::optional<Sha256> original;
    if (auto refers = record.field("WARC-Refers-To")) {
      if (auto it = by_record_id_.find(std::string(*refers)); it != by_record_id_.end()) original = it->second;
    }
    if (!original) {
      if (auto d = WarcDigest::parse(record.field("WARC-Payload-Digest").value_or(""))) {
        if (auto it = by_payload_digest_.find(digest_key(*d)); it != by_payload_digest_.end()) original = it->second;
      }
    }
    if (original) {
      a.shared_body = original;
      a.body.clear();
      ++stats_.revisits_shared;
    } else {
      a.meta.extra.push_back({"warc.revisit", "unresolved: the revisited payload is not in this input"});
      ++stats_.revisits_unresolved;
    }
  }
  return a;
}

void WarcInput::stored(const WarcArticle& article, const Sha256& sha) {
  if (!article.record_id.empty()) by_record_id_.emplace(article.record_id, sha);
  for (const std::string& key : article.payload_digests) by_payload_digest_.emplace(key, sha);
}

Result<std::optional<WarcArticle>> WarcInput::to_article(const WarcRecord& r,
                                                        const std::function<void(const std::string&)>& warning) {
  WarcArticle a;
  a.where = r.where(name());
  std::string type = lower(r.field("WARC-Type").value_or(""));
  std::string_view date_text = r.field("WARC-Date").value_or("");
  std::string record_id(r.field("WARC-Record-ID").value_or(""));
  std::string uri = uri_text(strip_brackets(r.field("WARC-Target-URI").value_or("")));
  if (!r.block_held) {
    warning(fmt::format("{} ({}): a block of {} bytes is larger than the record limit (--max-record); skipped", a.where,
                        uri, r.content_length));
    return std::optional<WarcArticle>();
  }
  a.meta.url = uri;
  std::string base = uri.empty() || uri.size() > kMaxIdBase ? uri_text(strip_brackets(record_id)) : uri;
  a.meta.id = unique_id(id_base(base, r), date_text);
  if (auto d = Date::parse(date_text); d) {
    a.meta.date = *d;
  } else if (!date_text.empty()) {
    warning(fmt::format("{} ({}): WARC-Date '{}' is not an ISO 8601 date; the date is left unknown", a.where, uri,
                        uri_text(date_text)));
  }
  auto& extra = a.meta.extra;
  extra.push_back({"warc.type", type});
  put(extra, "warc.record_id", record_id);
  put(extra, "warc.date", date_text);
  extra.push_back({"warc.version", uri_text(r.version)});
  extra.push_back({"warc.source", source_name()});
  extra.push_back({r.offset_decompressed ? "warc.offset.decompressed" : "warc.offset", std::to_string(r.offset)});
  put(extra, "warc.headers", r.header_text);

  std::string_view block = r.block, payload = block, raw_payload = block;
  std::string dechunked;
  std::string content_type(r.field("Content-Type").value_or(""));
  bool http = (type == "response" || type == "revisit") &&
              (lower(content_type).rfind("application/http", 0) == 0 || block.substr(0, 5) == "HTTP/");
  a.meta.media_type = uri_text(content_type);
  if (http) {
    if (auto head = parse_http_message(block)) {
      // A revisit's block is the HTTP head alone: there is no payload to unchunk.
      put(extra, "http.status", head->status_line);
      put(extra, "http.headers", head->header_text);
      raw_payload = payload = block.substr(head->body_offset);
      a.meta.media_type = uri_text(head->header("Content-Type").value_or(""));
      if (is_chunked(*head) && type != "revisit" && !starts_like_chunked(raw_payload)) {
        extra.push_back({"http.transfer_encoding_note", "the header says chunked but the body was stored unchunked"});
      } else if (is_chunked(*head) && type != "revisit") {
        auto body = remove_chunking(raw_payload);
        if (body) {
          dechunked = std::move(*body);
          payload = dechunked;
          extra.push_back({"http.transfer_encoding_removed", "chunked"});
        } else {
          warning(fmt::format("{} ({}): chunked body kept as captured: {}", a.where, uri, body.status().message()));
          extra.push_back({"http.chunking_error", std::string(body.status().message())});
        }
      }
      if (auto ce = head->header("Content-Encoding"); ce && !ce->empty() && lower(*ce) != "identity") {
        put(extra, "http.content_encoding", *ce);
      }
    } else if (type == "response") {
      warning(fmt::format("{} ({}): the block is not an HTTP response; kept whole as the body", a.where, uri));
      extra.push_back({"http.parse_error", "not an HTTP response"});
    }
  }
  QUIRE_ASSIGN_OR_RETURN(DigestOutcome checked, check_digests(r, payload, raw_payload, uri, warning));
  if (checked.skip) return std::optional<WarcArticle>();
  for (const KeyValue& kv : checked.checks) extra.push_back({"warc." + kv.key, kv.value});
  if (type != "revisit") a.body = std::string(payload);
  if (type != "revisit") {
    a.record_id = record_id;
    // The SHA-1 revisits may name it by; the payload check has often computed it already.
    bool have_sha1 = checked.payload && checked.payload->algorithm == DigestAlgorithm::kSha1;
    a.payload_digests.push_back(
        digest_key(have_sha1 ? *checked.payload : warc_digest_of(DigestAlgorithm::kSha1, payload)));
    if (auto d = WarcDigest::parse(r.field("WARC-Payload-Digest").value_or(""))) {
      a.payload_digests.push_back(digest_key(*d));
    }
  }
  return std::optional<WarcArticle>(std::move(a));
}

// Block and payload digests against what the record declares. Some tools
// digest the payload before removing chunked framing: either form passes,
// and the check says which.
Result<WarcInput::DigestOutcome> WarcInput::check_digests(const WarcRecord& r, std::string_view payload,
                                                          std::string_view raw_payload, const std::string& uri,
                                                          const std::function<void(const std::string&)>& warning) {
  DigestOutcome out;
  auto mismatch = [&](const char* field, const std::string& key, const std::string& detail) -> Status {
    ++stats_.digests_mismatched;
    std::string msg = fmt::format("{} ({}): {} does not match: {}", r.where(name()), uri, field, detail);
    if (options_.on_bad_digest == OnBadDigest::kFail) {
      return Status::invalid_argument(msg + " (--on-bad-digest=warn or skip to pack it anyway)");
    }
    out.skip |= options_.on_bad_digest == OnBadDigest::kSkip;
    warning(msg + (out.skip ? "; record skipped" : "; packed, marked in warc." + key));
    out.checks.push_back({key, "mismatch: " + detail});
    return Status::ok();
  };
  auto unchecked = [&](const std::string& key) {
    ++stats_.digests_unchecked;
    out.checks.push_back({key, "unchecked: unsupported digest"});
  };
  if (auto declared = r.field("WARC-Block-Digest")) {
    auto d = WarcDigest::parse(*declared);
    if (!d) {
      unchecked("block_digest_check");
    } else if (*d == r.block_digest) {
      ++stats_.block_digests_ok;
      out.checks.push_back({"block_digest_check", "ok"});
    } else {
      QUIRE_RETURN_IF_ERROR(mismatch("WARC-Block-Digest", "block_digest_check",
                                     "the block hashes to " + r.block_digest.to_string()));
    }
  }
  std::string type = lower(r.field("WARC-Type").value_or(""));
  auto declared = r.field("WARC-Payload-Digest");
  if (!declared || type == "revisit") return out;  // a revisit carries no payload to check
  auto d = WarcDigest::parse(*declared);
  if (!d) {
    unchecked("payload_digest_check");
    return out;
  }
  WarcDigest got = warc_digest_of(d->algorithm, payload);
  out.payload = got;
  if (got == *d) {
    ++stats_.payload_digests_ok;
    out.checks.push_back({"payload_digest_check", "ok"});
  } else if (raw_payload.size() != payload.size() && warc_digest_of(d->algorithm, raw_payload) == *d) {
    ++stats_.payload_digests_ok_chunked;
    out.checks.push_back({"payload_digest_check", "ok over the chunked body"});
  } else {
    QUIRE_RETURN_IF_ERROR(mismatch("WARC-Payload-Digest", "payload_digest_check", "the payload hashes to " + got.to_string()));
  }
  return out;
}

}  // namespace quire
