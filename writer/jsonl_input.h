// The JSONL interchange form (README "JSONL schema"): one article per line,
// and annotation sidecars. Parsing is separate from reading lines so the
// fuzzer and the tests can call it on any bytes.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/model.h"
#include "writer/writer.h"

namespace quire {

// An article that owns its body (ArticleInput only borrows).
struct OwnedArticle {
  ArticleMeta meta;
  std::string body;
  std::optional<Sha256> sha256;
  std::vector<Layer> layers;
  std::optional<Sha256> shared_body;  // see ArticleInput::shared_body
  ArticleInput view() const { return ArticleInput{meta, body, sha256, layers, shared_body}; }
};

struct JsonlOptions {
  // Layer name for a flat "annotations": [{type,start,end}, ...] list.
  std::string default_layer = "annotations";
  std::string default_producer;
  // Offsets in the input count Unicode code points instead of UTF-8 bytes.
  bool codepoint_offsets = false;
};

struct AnnotationRecord {
  std::string id;
  std::vector<Layer> layers;
};

// Errors name the field; the caller adds the file and line.
class JsonlParser {
 public:
  explicit JsonlParser(JsonlOptions options) : options_(std::move(options)) {}
  // An article line: {"id", "text" | "body_b64", "source", "title", ...}.
  Result<OwnedArticle> article(std::string_view line);
  // A metadata-only line (for --meta with directory input): like an article without a body.
  Result<OwnedArticle> metadata(std::string_view line);
  // An annotation sidecar line: {"id", "layers": [...]} or {"id", "annotations": [...]}.
  Result<AnnotationRecord> annotations(std::string_view line);
  // Converts code point offsets to byte offsets when the options say so.
  Status normalise_offsets(std::string_view body, std::vector<Layer>& layers) const;
  const JsonlOptions& options() const { return options_; }
  // Code point offsets to byte offsets when `codepoints` (SPEC.md 2.3).
  Status convert_offsets(std::string_view body, std::vector<Layer>& layers, bool codepoints) const;

 private:
  Result<OwnedArticle> parse(std::string_view line, bool want_body);
  simdjson::ondemand::parser parser_;
  JsonlOptions options_;
};

}  // namespace quire
