#include "writer/jsonl_input.h"

#include <fmt/format.h>

#include "format/base64.h"
#include "format/utf8_offsets.h"

namespace quire {
namespace {

using simdjson::ondemand::json_type;
using simdjson::ondemand::value;

Status json_error(simdjson::error_code e, std::string_view where) {
  return Status::invalid_argument(fmt::format("{}invalid JSON: {}", where, simdjson::error_message(e)));
}

Result<std::string> get_string(value v, std::string_view field) {
  std::string_view s;
  auto e = v.get_string().get(s);
  if (e) return Status::invalid_argument(fmt::format("field '{}' must be a string", field));
  return std::string(s);
}

// A scalar as text: strings as they are, numbers and booleans as written.
Result<std::string> get_scalar_text(value v, std::string_view field) {
  json_type t;
  if (auto e = v.type().get(t)) return json_error(e, "");
  if (t == json_type::string) return get_string(v, field);
  if (t == json_type::number || t == json_type::boolean) {
    std::string_view raw = v.raw_json_token();
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' || raw.back() == '\r')) {
      raw.remove_suffix(1);
    }
    return std::string(raw);
  }
  return Status::invalid_argument(fmt::format("field '{}' must be a string, number or boolean", field));
}

Result<std::vector<KeyValue>> get_kvs(value v, std::string_view field) {
  simdjson::ondemand::object obj;
  if (v.get_object().get(obj)) return Status::invalid_argument(fmt::format("field '{}' must be an object", field));
  std::vector<KeyValue> out;
  for (auto f : obj) {
    std::string_view k;
    if (auto e = f.unescaped_key().get(k)) return json_error(e, "");
    std::string key(k);
    QUIRE_ASSIGN_OR_RETURN(std::string val, get_scalar_text(f.value(), fmt::format("{}.{}", field, key)));
    out.push_back({std::move(key), std::move(val)});
  }
  return out;
}

Result<uint64_t> get_offset(value v, std::string_view field) {
  uint64_t n;
  if (v.get_uint64().get(n)) {
    return Status::invalid_argument(fmt::format("span field '{}' must be a non-negative integer", field));
  }
  return n;
}

Result<Span> get_span(value v) {
  simdjson::ondemand::object obj;
  if (v.get_object().get(obj)) return Status::invalid_argument("a span must be an object");
  Span s;
  bool has_start = false, has_end = false;
  for (auto f : obj) {
    std::string_view k;
    if (auto e = f.unescaped_key().get(k)) return json_error(e, "");
    if (k == "type") {
      QUIRE_ASSIGN_OR_RETURN(s.type, get_string(f.value(), "type"));
    } else if (k == "start") {
      QUIRE_ASSIGN_OR_RETURN(s.start, get_offset(f.value(), "start"));
      has_start = true;
    } else if (k == "end") {
      QUIRE_ASSIGN_OR_RETURN(s.end, get_offset(f.value(), "end"));
      has_end = true;
    } else if (k == "label") {
      QUIRE_ASSIGN_OR_RETURN(s.label, get_scalar_text(f.value(), "label"));
    } else if (k == "attrs" || k == "attributes") {
      QUIRE_ASSIGN_OR_RETURN(s.attributes, get_kvs(f.value(), "attrs"));
    } else {
      return Status::invalid_argument(fmt::format("unknown span field '{}'", k));
    }
  }
  if (!has_start || !has_end) return Status::invalid_argument("a span needs 'start' and 'end'");
  if (s.type.empty()) return Status::invalid_argument("a span needs a 'type'");
  return s;
}

Result<std::vector<Span>> get_spans(value v) {
  simdjson::ondemand::array arr;
  if (v.get_array().get(arr)) return Status::invalid_argument("spans must be an array");
  std::vector<Span> out;
  size_t i = 0;
  for (auto item : arr) {
    value sv;
    if (auto e = item.get(sv)) return json_error(e, "");
    auto s = get_span(sv);
    if (!s) return s.status().with_context(fmt::format("span {}", i));
    out.push_back(std::move(*s));
    ++i;
  }
  return out;
}

Result<std::vector<Layer>> get_layers(value v) {
  simdjson::ondemand::array arr;
  if (v.get_array().get(arr)) return Status::invalid_argument("'layers' must be an array");
  std::vector<Layer> out;
  for (auto item : arr) {
    simdjson::ondemand::object obj;
    if (item.get_object().get(obj)) return Status::invalid_argument("a layer must be an object");
    Layer layer;
    for (auto f : obj) {
      std::string_view k;
      if (auto e = f.unescaped_key().get(k)) return json_error(e, "");
      if (k == "name") {
        QUIRE_ASSIGN_OR_RETURN(layer.name, get_string(f.value(), "name"));
      } else if (k == "producer") {
        QUIRE_ASSIGN_OR_RETURN(layer.producer, get_string(f.value(), "producer"));
      } else if (k == "spans") {
        auto spans = get_spans(f.value());
        if (!spans) return spans.status().with_context(fmt::format("layer '{}'", layer.name));
        layer.spans = std::move(*spans);
      } else {
        return Status::invalid_argument(fmt::format("unknown layer field '{}'", k));
      }
    }
    if (layer.name.empty()) return Status::invalid_argument("a layer needs a 'name'");
    out.push_back(std::move(layer));
  }
  return out;
}

Result<std::vector<std::string>> get_string_list(value v, std::string_view field) {
  json_type t;
  if (auto e = v.type().get(t)) return json_error(e, "");
  std::vector<std::string> out;
  if (t == json_type::string) {
    QUIRE_ASSIGN_OR_RETURN(std::string s, get_string(v, field));
    out.push_back(std::move(s));
    return out;
  }
  simdjson::ondemand::array arr;
  if (v.get_array().get(arr)) return Status::invalid_argument(fmt::format("field '{}' must be a list of strings", field));
  for (auto item : arr) {
    value iv;
    if (auto e = item.get(iv)) return json_error(e, "");
    QUIRE_ASSIGN_OR_RETURN(std::string s, get_string(iv, field));
    out.push_back(std::move(s));
  }
  return out;
}

// After the object was read, any token left means the line holds more than one value.
bool has_trailing_text(simdjson::ondemand::document& doc) {
  const char* at = nullptr;
  return !doc.current_location().get(at);
}

}  // namespace

Status JsonlParser::normalise_offsets(std::string_view body, std::vector<Layer>& layers) const {
  return convert_offsets(body, layers, options_.codepoint_offsets);
}

// "offsets": "bytes" | "codepoints" on a line (written by `extract --offsets`)
// says how that line counts; nullopt for anything else.
static std::optional<bool> codepoints_named(std::string_view unit) {
  if (unit == "codepoints") return true;
  if (unit == "bytes") return false;
  return std::nullopt;
}

Status JsonlParser::convert_offsets(std::string_view body, std::vector<Layer>& layers, bool codepoints) const {
  if (!codepoints) return Status::ok();
  for (Layer& layer : layers) {
    for (Span& s : layer.spans) {
      QUIRE_ASSIGN_OR_RETURN(s.start, codepoint_to_byte(body, s.start));
      QUIRE_ASSIGN_OR_RETURN(s.end, codepoint_to_byte(body, s.end));
    }
  }
  return Status::ok();
}

Result<OwnedArticle> JsonlParser::parse(std::string_view line, bool want_body) {
  simdjson::padded_string padded(line);
  simdjson::ondemand::document doc;
  if (auto e = parser_.iterate(padded).get(doc)) return json_error(e, "");
  simdjson::ondemand::object obj;
  if (auto e = doc.get_object().get(obj)) return json_error(e, "expected an object: ");
  OwnedArticle a;
  bool has_text = false, has_b64 = false, has_id = false;
  std::optional<std::vector<Span>> flat;
  std::optional<uint64_t> expected_length;
  std::optional<bool> line_codepoints;
  for (auto f : obj) {
    std::string_view k;
    if (auto e = f.unescaped_key().get(k)) return json_error(e, "");
    std::string key(k);
    value v = f.value();
    if (key == "id") {
      QUIRE_ASSIGN_OR_RETURN(a.meta.id, get_string(v, key));
      has_id = true;
    } else if (key == "text" && want_body) {
      QUIRE_ASSIGN_OR_RETURN(a.body, get_string(v, key));
      has_text = true;
    } else if (key == "body_b64" && want_body) {
      QUIRE_ASSIGN_OR_RETURN(std::string b64, get_string(v, key));
      auto decoded = base64_decode(b64);
      if (!decoded) return Status::invalid_argument("field 'body_b64' is not valid base64");
      a.body = std::move(*decoded);
      has_b64 = true;
    } else if (key == "sha256") {
      QUIRE_ASSIGN_OR_RETURN(std::string hex, get_string(v, key));
      Sha256 sha;
      if (!parse_sha256_hex(hex, sha)) return Status::invalid_argument("field 'sha256' must be 64 hex digits");
      a.sha256 = sha;
    } else if (key == "length") {
      // Written by `quire extract --jsonl`: checked, not stored.
      uint64_t n;
      if (v.get_uint64().get(n)) return Status::invalid_argument("field 'length' must be a non-negative integer");
      expected_length = n;
    } else if (key == "offsets") {
      QUIRE_ASSIGN_OR_RETURN(std::string unit, get_string(v, key));
      line_codepoints = codepoints_named(unit);
      if (!line_codepoints) return Status::invalid_argument("field 'offsets' must be \"bytes\" or \"codepoints\"");
    } else if (key == "source") {
      QUIRE_ASSIGN_OR_RETURN(a.meta.source, get_string(v, key));
    } else if (key == "title") {
      QUIRE_ASSIGN_OR_RETURN(a.meta.title, get_string(v, key));
    } else if (key == "url") {
      QUIRE_ASSIGN_OR_RETURN(a.meta.url, get_string(v, key));
    } else if (key == "date") {
      json_type t;
      if (auto e = v.type().get(t)) return json_error(e, "");
      if (t == json_type::null) continue;
      QUIRE_ASSIGN_OR_RETURN(std::string d, get_string(v, key));
      QUIRE_ASSIGN_OR_RETURN(a.meta.date, Date::parse(d));
    } else if (key == "lang") {
      QUIRE_ASSIGN_OR_RETURN(a.meta.lang, get_string(v, key));
    } else if (key == "lang_notes") {
      QUIRE_ASSIGN_OR_RETURN(a.meta.lang_notes, get_string_list(v, key));
    } else if (key == "media_type") {
      QUIRE_ASSIGN_OR_RETURN(a.meta.media_type, get_string(v, key));
    } else if (key == "meta") {
      QUIRE_ASSIGN_OR_RETURN(auto kvs, get_kvs(v, key));
      a.meta.extra.insert(a.meta.extra.end(), kvs.begin(), kvs.end());
    } else if (key == "layers") {
      QUIRE_ASSIGN_OR_RETURN(a.layers, get_layers(v));
    } else if (key == "annotations") {
      QUIRE_ASSIGN_OR_RETURN(flat, get_spans(v));
    } else {
      // Any other scalar field is kept as free metadata, in order (e.g. the
      // benchmark corpus's "format").
      auto text = get_scalar_text(v, key);
      if (!text) return Status::invalid_argument(fmt::format("unknown field '{}' is not a string, number or boolean", key));
      a.meta.extra.push_back({key, std::move(*text)});
    }
  }
  if (has_trailing_text(doc)) return Status::invalid_argument("text after the JSON object");
  if (!has_id) return Status::invalid_argument("missing field 'id'");
  if (want_body && !has_text && !has_b64) return Status::invalid_argument("missing field 'text' or 'body_b64'");
  if (has_text && has_b64) return Status::invalid_argument("both 'text' and 'body_b64' given");
  if (want_body && expected_length && *expected_length != a.body.size()) {
    return Status::invalid_argument(fmt::format("field 'length' says {} bytes, the body has {}", *expected_length, a.body.size()));
  }
  if (flat) a.layers.push_back(Layer{options_.default_layer, options_.default_producer, std::move(*flat)});
  if (line_codepoints && !want_body && *line_codepoints != options_.codepoint_offsets) {
    return Status::invalid_argument("field 'offsets' disagrees with --offsets");
  }
  if (want_body) {
    QUIRE_RETURN_IF_ERROR(convert_offsets(a.body, a.layers, line_codepoints.value_or(options_.codepoint_offsets)));
  }
  return a;
}

Result<OwnedArticle> JsonlParser::article(std::string_view line) { return parse(line, true); }
Result<OwnedArticle> JsonlParser::metadata(std::string_view line) { return parse(line, false); }

Result<AnnotationRecord> JsonlParser::annotations(std::string_view line) {
  simdjson::padded_string padded(line);
  simdjson::ondemand::document doc;
  if (auto e = parser_.iterate(padded).get(doc)) return json_error(e, "");
  simdjson::ondemand::object obj;
  if (auto e = doc.get_object().get(obj)) return json_error(e, "expected an object: ");
  AnnotationRecord r;
  bool has_id = false;
  for (auto f : obj) {
    std::string_view k;
    if (auto e = f.unescaped_key().get(k)) return json_error(e, "");
    std::string key(k);
    if (key == "id") {
      QUIRE_ASSIGN_OR_RETURN(r.id, get_string(f.value(), key));
      has_id = true;
    } else if (key == "layers") {
      QUIRE_ASSIGN_OR_RETURN(auto layers, get_layers(f.value()));
      r.layers.insert(r.layers.end(), layers.begin(), layers.end());
    } else if (key == "annotations") {
      QUIRE_ASSIGN_OR_RETURN(auto spans, get_spans(f.value()));
      r.layers.push_back(Layer{options_.default_layer, options_.default_producer, std::move(spans)});
    } else if (key == "offsets") {
      // The sidecar is converted with the body later, by the --offsets rule: a line must agree with it.
      QUIRE_ASSIGN_OR_RETURN(std::string unit, get_string(f.value(), key));
      auto cp = codepoints_named(unit);
      if (!cp || *cp != options_.codepoint_offsets) {
        return Status::invalid_argument(fmt::format("field 'offsets' is '{}' but --offsets is {}", unit,
                                                    options_.codepoint_offsets ? "codepoints" : "bytes"));
      }
    } else {
      return Status::invalid_argument(fmt::format("unknown field '{}' in an annotation record", key));
    }
  }
  if (has_trailing_text(doc)) return Status::invalid_argument("text after the JSON object");
  if (!has_id) return Status::invalid_argument("missing field 'id'");
  return r;
}

}  // namespace quire
