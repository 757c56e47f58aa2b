#include "format/record_codec.h"

#include <fmt/format.h>

#include <string_view>

namespace quire {
namespace {

std::string copy(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }
capnp::Text::Reader text(const std::string& s) { return capnp::Text::Reader(s.data(), s.size()); }

void encode_kvs(capnp::List<schema::KeyValue>::Builder out, const std::vector<KeyValue>& kvs) {
  for (unsigned i = 0; i < kvs.size(); ++i) {
    out[i].setKey(text(kvs[i].key));
    out[i].setValue(text(kvs[i].value));
  }
}

std::vector<KeyValue> decode_kvs(capnp::List<schema::KeyValue>::Reader in) {
  std::vector<KeyValue> out;
  out.reserve(in.size());
  for (auto kv : in) out.push_back({copy(kv.getKey()), copy(kv.getValue())});
  return out;
}

}  // namespace

void encode_date(schema::Date::Builder out, const Date& d) {
  out.setPrecision(static_cast<schema::Date::Precision>(d.precision));
  if (!d.known()) return;
  out.setYear(d.year);
  out.setMonth(d.month);
  out.setDay(d.day);
  out.setHour(d.hour);
  out.setMinute(d.minute);
  out.setSecond(d.second);
  out.setNanosecond(d.nanosecond);
  out.setHasUtcOffset(d.has_utc_offset);
  out.setUtcOffsetMinutes(d.utc_offset_minutes);
}

Date decode_date(schema::Date::Reader in) {
  Date d;
  // An out-of-range stored value must stay out of range (validate() refuses
  // it), not wrap into a valid one.
  uint16_t precision = static_cast<uint16_t>(in.getPrecision());
  d.precision = static_cast<Date::Precision>(precision > 4 ? 255 : precision);
  d.year = in.getYear();
  d.month = in.getMonth();
  d.day = in.getDay();
  d.hour = in.getHour();
  d.minute = in.getMinute();
  d.second = in.getSecond();
  d.nanosecond = in.getNanosecond();
  d.has_utc_offset = in.getHasUtcOffset();
  d.utc_offset_minutes = in.getUtcOffsetMinutes();
  return d;
}

void encode_article(schema::Article::Builder out, const ArticleMeta& m, const Sha256& sha,
                    const BodyLocation& body, uint64_t span_count) {
  out.setId(text(m.id));
  out.setSha256(capnp::Data::Reader(sha.data(), sha.size()));
  out.setBodyBlock(body.block);
  out.setBodyOffset(body.offset);
  out.setBodyLength(body.length);
  if (!m.source.empty()) out.setSource(text(m.source));
  if (!m.title.empty()) out.setTitle(text(m.title));
  if (!m.url.empty()) out.setUrl(text(m.url));
  encode_date(out.initDate(), m.date);
  if (!m.lang.empty()) out.setLang(text(m.lang));
  if (!m.lang_notes.empty()) {
    auto notes = out.initLangNotes(static_cast<unsigned>(m.lang_notes.size()));
    for (unsigned i = 0; i < m.lang_notes.size(); ++i) notes.set(i, text(m.lang_notes[i]));
  }
  if (!m.media_type.empty()) out.setMediaType(text(m.media_type));
  if (!m.extra.empty()) encode_kvs(out.initExtra(static_cast<unsigned>(m.extra.size())), m.extra);
  out.setSpanCount(span_count);
}

Result<ArticleMeta> decode_article_meta(schema::Article::Reader in) {
  ArticleMeta m;
  m.id = copy(in.getId());
  Status id_ok = validate_id(m.id);
  if (!id_ok.is_ok()) return Status::corruption("stored id: " + id_ok.message());
  m.source = copy(in.getSource());
  m.title = copy(in.getTitle());
  m.url = copy(in.getUrl());
  m.date = decode_date(in.getDate());
  Status s = m.date.validate();
  if (!s.is_ok()) return Status::corruption(fmt::format("article '{}': {}", m.id, s.message()));
  m.lang = copy(in.getLang());
  for (auto note : in.getLangNotes()) m.lang_notes.push_back(copy(note));
  m.media_type = copy(in.getMediaType());
  m.extra = decode_kvs(in.getExtra());
  return m;
}

Status check_article_record(schema::Article::Reader in) {
  auto id = in.getId();
  Status id_ok = validate_id(std::string_view(id.cStr(), id.size()));
  if (!id_ok.is_ok()) return Status::corruption("stored id: " + id_ok.message());  // bytes from a file
  Status s = decode_date(in.getDate()).validate();
  if (!s.is_ok()) return Status::corruption(s.message());
  (void)in.getSha256();
  (void)in.getSource();
  (void)in.getTitle();
  (void)in.getUrl();
  (void)in.getLang();
  (void)in.getMediaType();
  for (auto note : in.getLangNotes()) (void)note;
  for (auto kv : in.getExtra()) {
    (void)kv.getKey();
    (void)kv.getValue();
  }
  return Status::ok();
}

void encode_layers(schema::ArticleAnnotations::Builder out, const std::vector<Layer>& layers) {
  auto ls = out.initLayers(static_cast<unsigned>(layers.size()));
  for (unsigned l = 0; l < layers.size(); ++l) {
    const Layer& layer = layers[l];
    auto lb = ls[l];
    lb.setName(text(layer.name));
    if (!layer.producer.empty()) lb.setProducer(text(layer.producer));
    // Span types are interned per layer, in first-use order.
    std::vector<std::string_view> types;
    std::vector<uint32_t> type_of(layer.spans.size());
    for (size_t i = 0; i < layer.spans.size(); ++i) {
      std::string_view t = layer.spans[i].type;
      size_t k = 0;
      while (k < types.size() && types[k] != t) ++k;
      if (k == types.size()) types.push_back(t);
      type_of[i] = static_cast<uint32_t>(k);
    }
    auto tb = lb.initTypes(static_cast<unsigned>(types.size()));
    for (unsigned k = 0; k < types.size(); ++k) tb.set(k, capnp::Text::Reader(types[k].data(), types[k].size()));
    auto sb = lb.initSpans(static_cast<unsigned>(layer.spans.size()));
    for (unsigned i = 0; i < layer.spans.size(); ++i) {
      const Span& s = layer.spans[i];
      sb[i].setStart(s.start);
      sb[i].setEnd(s.end);
      sb[i].setType(type_of[i]);
      if (!s.label.empty()) sb[i].setLabel(text(s.label));
      if (!s.attributes.empty()) {
        encode_kvs(sb[i].initAttributes(static_cast<unsigned>(s.attributes.size())), s.attributes);
      }
    }
  }
}

Result<std::vector<Layer>> decode_layers(schema::ArticleAnnotations::Reader in) {
  std::vector<Layer> out;
  for (auto lr : in.getLayers()) {
    Layer layer;
    layer.name = copy(lr.getName());
    layer.producer = copy(lr.getProducer());
    auto types = lr.getTypes();
    for (auto sr : lr.getSpans()) {
      Span s;
      s.start = sr.getStart();
      s.end = sr.getEnd();
      if (sr.getType() >= types.size()) {
        return Status::corruption(fmt::format("layer '{}': span type index {} out of range", layer.name, sr.getType()));
      }
      s.type = copy(types[sr.getType()]);
      s.label = copy(sr.getLabel());
      s.attributes = decode_kvs(sr.getAttributes());
      layer.spans.push_back(std::move(s));
    }
    out.push_back(std::move(layer));
  }
  return out;
}

void encode_info(schema::ArchiveInfo::Builder out, const ArchiveInfo& info) {
  out.setTitle(text(info.title));
  out.setDescription(text(info.description));
  out.setCreator(text(info.creator));
  out.setLicense(text(info.license));
  out.setTool(text(info.tool));
  out.setToolVersion(text(info.tool_version));
  out.setCreatedUnixSeconds(info.created_unix_seconds);
  if (!info.extra.empty()) encode_kvs(out.initExtra(static_cast<unsigned>(info.extra.size())), info.extra);
}

ArchiveInfo decode_info(schema::ArchiveInfo::Reader in) {
  ArchiveInfo info;
  info.title = copy(in.getTitle());
  info.description = copy(in.getDescription());
  info.creator = copy(in.getCreator());
  info.license = copy(in.getLicense());
  info.tool = copy(in.getTool());
  info.tool_version = copy(in.getToolVersion());
  info.created_unix_seconds = in.getCreatedUnixSeconds();
  info.extra = decode_kvs(in.getExtra());
  return info;
}

uint64_t count_spans(const std::vector<Layer>& layers) {
  uint64_t n = 0;
  for (const Layer& l : layers) n += l.spans.size();
  return n;
}

}  // namespace quire
