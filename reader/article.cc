// Article and Body: views of one record and its body (reader/archive.h).
#include <fmt/format.h>

#include "format/checksum.h"
#include "format/record_codec.h"
#include "reader/archive.h"
#include "reader/archive_impl.h"

namespace quire {
namespace {

std::string_view sv(capnp::Text::Reader t) { return std::string_view(t.cStr(), t.size()); }

}  // namespace

schema::Article::Reader Article::reader() const { return record_reader_; }

std::string_view Article::id() const { return sv(reader().getId()); }
Sha256 Article::sha256() const {
  Sha256 out{};
  auto d = reader().getSha256();
  std::copy(d.begin(), d.end(), out.begin());
  return out;
}
uint64_t Article::body_length() const { return reader().getBodyLength(); }
std::string_view Article::source() const { return sv(reader().getSource()); }
std::string_view Article::title() const { return sv(reader().getTitle()); }
std::string_view Article::url() const { return sv(reader().getUrl()); }
Date Article::date() const { return decode_date(reader().getDate()); }
std::string_view Article::lang() const { return sv(reader().getLang()); }
std::vector<std::string_view> Article::lang_notes() const {
  std::vector<std::string_view> out;
  for (auto n : reader().getLangNotes()) out.push_back(sv(n));
  return out;
}
std::string_view Article::media_type() const { return sv(reader().getMediaType()); }
std::vector<std::pair<std::string_view, std::string_view>> Article::extra() const {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  for (auto kv : reader().getExtra()) out.emplace_back(sv(kv.getKey()), sv(kv.getValue()));
  return out;
}
uint64_t Article::span_count() const { return reader().getSpanCount(); }
uint64_t Article::body_block() const { return reader().getBodyBlock(); }
uint64_t Article::block() const { return block_->number; }

ArticleMeta Article::meta() const {
  auto m = decode_article_meta(reader());
  return m ? *m : ArticleMeta{};  // validated at decode time, so this cannot fail
}

Result<Body> Article::body() const {
  auto r = reader();
  uint64_t block = r.getBodyBlock(), offset = r.getBodyOffset(), length = r.getBodyLength();
  // Decoded up to the body's end, when that lies inside the block.
  uint64_t need = offset <= UINT64_MAX - length ? offset + length : UINT64_MAX;
  auto bodies = archive_->bodies(block, need);
  if (!bodies) return bodies.status().with_context(fmt::format("article '{}'", id()));
  if (offset > (*bodies)->size || length > (*bodies)->size - offset) {
    return Status::corruption(fmt::format("article '{}': body [{}, +{}) lies outside block {} ({} bytes)", id(),
                                          offset, length, block, (*bodies)->size));
  }
  Body b;
  b.owner_ = *bodies;
  b.bytes_ = (*bodies)->bytes().substr(offset, length);
  return b;
}

Status Article::verify() const {
  QUIRE_ASSIGN_OR_RETURN(Body b, body());
  Sha256 actual = quire::sha256(b.bytes());
  if (actual != sha256()) {
    return Status::corruption(fmt::format("article '{}': body SHA-256 is {}, the catalog says {}", id(),
                                          to_hex(actual), to_hex(sha256())));
  }
  QUIRE_ASSIGN_OR_RETURN(auto layers, annotations());
  if (count_spans(layers) != span_count()) {
    return Status::corruption(fmt::format("article '{}': annotation span count disagrees with the catalog", id()));
  }
  return Status::ok();
}

Result<std::vector<Layer>> Article::annotations() const {
  if (block_->prelude.annotations_raw == 0) return std::vector<Layer>{};
  auto layers = archive_->annotations(block_->number, slot_);
  if (!layers) return layers.status().with_context(fmt::format("article '{}'", id()));
  Status s = validate_layers(id(), *layers, body_length());
  if (!s.is_ok()) return Status::corruption(s.message());
  return layers;
}

}  // namespace quire
