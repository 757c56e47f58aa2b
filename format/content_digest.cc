#include "format/content_digest.h"

#include "format/endian.h"

namespace quire {

// Canonical encoding: a domain string, then per article a sequence of fields
// tag:u8 length:u64le bytes (numbers as tag:u8 value:u64le). Empty scalar
// fields (title, url, ...) are left out, so an absent field and an empty one
// are the same; items of lists (notes, key/values, spans) are always written,
// empty or not, so two different lists never encode alike.
ContentDigest::ContentDigest() { sha_.update(std::string_view("quire content digest v1\n")); }

void ContentDigest::field(uint8_t tag, std::string_view value) {
  if (value.empty()) return;
  item(tag, value);
}

void ContentDigest::item(uint8_t tag, std::string_view value) {
  std::byte head[9];
  head[0] = std::byte{tag};
  store_le<uint64_t>(head + 1, value.size());
  sha_.update(std::span<const std::byte>(head, 9));
  sha_.update(value);
}

void ContentDigest::number(uint8_t tag, uint64_t value) {
  std::byte head[9];
  head[0] = std::byte{tag};
  store_le<uint64_t>(head + 1, value);
  sha_.update(std::span<const std::byte>(head, 9));
}

void ContentDigest::add(const ArticleMeta& m, const Sha256& body, const std::vector<Layer>& layers) {
  number(0x01, 0);  // article start
  field(0x02, m.id);
  field(0x03, std::string_view(reinterpret_cast<const char*>(body.data()), body.size()));
  field(0x04, m.source);
  field(0x05, m.title);
  field(0x06, m.url);
  field(0x07, m.date.to_string());
  field(0x08, m.lang);
  for (const auto& note : m.lang_notes) item(0x09, note);
  field(0x0a, m.media_type);
  for (const auto& kv : m.extra) {
    item(0x0b, kv.key);
    item(0x0c, kv.value);
  }
  for (const Layer& layer : layers) {
    number(0x10, layer.spans.size());  // layer start
    item(0x11, layer.name);
    field(0x12, layer.producer);
    for (const Span& s : layer.spans) {
      number(0x13, s.start);
      number(0x14, s.end);
      item(0x15, s.type);
      field(0x16, s.label);
      for (const auto& kv : s.attributes) {
        item(0x17, kv.key);
        item(0x18, kv.value);
      }
    }
  }
}

Sha256 ContentDigest::finish() { return sha_.finish(); }

}  // namespace quire
