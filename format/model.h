// The data model of SPEC.md 2 as plain values: what a writer is given and what
// a reader can copy out. The stored form is the Cap'n Proto schema in
// format/quire.capnp; format/record_codec.h converts between the two.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/checksum.h"
#include "format/status.h"

namespace quire {

struct KeyValue {
  std::string key;
  std::string value;
  bool operator==(const KeyValue&) const = default;
};

// A date with its precision (SPEC.md 2.2).
struct Date {
  enum class Precision : uint8_t { kUnknown = 0, kYear, kMonth, kDay, kTimestamp };
  Precision precision = Precision::kUnknown;
  int32_t year = 0;
  uint8_t month = 0, day = 0, hour = 0, minute = 0, second = 0;
  uint32_t nanosecond = 0;
  bool has_utc_offset = false;
  int16_t utc_offset_minutes = 0;

  bool known() const { return precision != Precision::kUnknown; }
  bool operator==(const Date&) const = default;

  // Accepts ISO 8601 forms: "2024", "2024-04", "2024-04-26", "2024-04-26T09:43",
  // "2024-04-26T09:43:00", with optional ".fraction" and "Z" or "+07:00"; a space
  // may stand for the "T". The empty string is an unknown date.
  static Result<Date> parse(std::string_view text);
  // A UTC timestamp (precision kTimestamp, offset +00:00) from seconds since
  // the epoch; unknown outside the years 0..9999.
  static Date from_unix(int64_t seconds);
  // The canonical ISO 8601 text, as precise as known; "" for unknown.
  std::string to_string() const;
  // Seconds since 1970-01-01T00:00:00Z of the first and one past the last
  // instant of the period the date denotes (local time when no offset is known).
  int64_t period_start() const;
  int64_t period_end() const;
  // Checks field ranges; used on decoded records too.
  Status validate() const;
};

// "unknown", "year", "month", "day" or "timestamp": how --json outputs, the
// viewer and Dolma metadata name a date's precision.
const char* precision_name(Date::Precision p);

struct Span {
  uint64_t start = 0;  // UTF-8 byte offset into the body, inclusive
  uint64_t end = 0;    // exclusive
  std::string type;    // e.g. "entity", "dateline", "boilerplate"
  std::string label;   // optional
  std::vector<KeyValue> attributes;
  bool operator==(const Span&) const = default;
};

struct Layer {
  std::string name;
  std::string producer;  // tool and version
  std::vector<Span> spans;
  bool operator==(const Layer&) const = default;
};

// Everything about an article except its body.
struct ArticleMeta {
  std::string id;
  std::string source;
  std::string title;
  std::string url;
  Date date;
  std::string lang;
  std::vector<std::string> lang_notes;
  std::string media_type;
  std::vector<KeyValue> extra;
  bool operator==(const ArticleMeta&) const = default;
};

// Archive-level metadata (SPEC.md 2.4).
struct ArchiveInfo {
  std::string title, description, creator, license;
  std::string tool = "quire";
  std::string tool_version;
  int64_t created_unix_seconds = 0;
  std::vector<KeyValue> extra;
};

// Checks an id: 1..4096 bytes, valid UTF-8, no NUL.
Status validate_id(std::string_view id);
// Checks that every text field of the metadata and annotations is valid
// UTF-8 (Cap'n Proto Text is UTF-8, and the JSONL form must round-trip).
Status validate_text(const ArticleMeta& meta, const std::vector<Layer>& layers);
// Checks spans against the body length: 0 <= start <= end <= body_length.
Status validate_layers(std::string_view id, const std::vector<Layer>& layers, uint64_t body_length);
bool is_valid_utf8(std::string_view s);
// Length (1..4) of the valid UTF-8 sequence starting at s[i], or 0 when the
// bytes there are not one (bad lead or continuation byte, cut off, overlong,
// surrogate, above U+10FFFF). The one UTF-8 decoder of the project.
size_t utf8_sequence_length(std::string_view s, size_t i);

}  // namespace quire
