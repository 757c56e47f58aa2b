#include "format/json_writer.h"

#include <fmt/format.h>

#include "format/model.h"

namespace quire {

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  for (size_t i = 0; i < n;) {
    unsigned char c = p[i];
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c < 0x20 || c == 0x7f) out += fmt::format("\\u{:04x}", c);
          else out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    // Copy a valid UTF-8 sequence as is; replace anything else with U+FFFD.
    size_t len = utf8_sequence_length(s, i);
    if (len) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  out.push_back('"');
}

void JsonWriter::separator() {
  if (need_comma_) out_.push_back(',');
  need_comma_ = true;
}

JsonWriter& JsonWriter::begin_object() {
  separator();
  out_.push_back('{');
  need_comma_ = false;
  return *this;
}
JsonWriter& JsonWriter::end_object() {
  out_.push_back('}');
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::begin_array() {
  separator();
  out_.push_back('[');
  need_comma_ = false;
  return *this;
}
JsonWriter& JsonWriter::end_array() {
  out_.push_back(']');
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::key(std::string_view k) {
  separator();
  append_json_string(out_, k);
  out_.push_back(':');
  need_comma_ = false;
  return *this;
}
JsonWriter& JsonWriter::value(std::string_view s) {
  separator();
  append_json_string(out_, s);
  return *this;
}
JsonWriter& JsonWriter::value(uint64_t n) {
  separator();
  out_ += fmt::format("{}", n);
  return *this;
}
JsonWriter& JsonWriter::value(int64_t n) {
  separator();
  out_ += fmt::format("{}", n);
  return *this;
}
JsonWriter& JsonWriter::value(double d) {
  separator();
  out_ += fmt::format("{}", d);
  return *this;
}
JsonWriter& JsonWriter::value(bool b) {
  separator();
  out_ += b ? "true" : "false";
  return *this;
}
JsonWriter& JsonWriter::null() {
  separator();
  out_ += "null";
  return *this;
}

}  // namespace quire
