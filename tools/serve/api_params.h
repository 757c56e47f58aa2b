// Query parameters of the JSON API (README "quire serve"): numbers with
// bounds, the `ls` filters and the offset unit. Every error is
// InvalidArgument and starts with the parameter's name, so the reply (400)
// tells the caller which one to fix.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "format/status.h"
#include "reader/annotation_query.h"
#include "reader/filter.h"

namespace quire::serve {

// Decoded query parameters, name -> value; a name may repeat (the type of
// httplib::Request::params).
using Query = std::multimap<std::string, std::string>;

// Parses "a=1&b=x%3Dy&c" (the part of a request target after '?'): split at
// '&', each at its first '=' (so has_annotation=entity=PERSON keeps its
// '='), '+' and %XX decoded. Malformed escapes are kept as written.
Query parse_query(std::string_view text);

// The parameter's value; nullopt when absent. When repeated, the last.
std::optional<std::string> param(const Query& query, const std::string& name);

// A decimal number in 0..max; `fallback` when absent or empty.
Result<uint64_t> uint_param(const Query& query, const std::string& name, uint64_t fallback, uint64_t max);

// source, lang, since, until, id_prefix and has_annotation (repeatable,
// TYPE or TYPE=LABEL), parsed as `quire ls` parses its options.
Result<ArticleFilter> filter_params(const Query& query);

// offsets=bytes (default) or offsets=codepoints.
Result<OffsetUnit> offsets_param(const Query& query);

}  // namespace quire::serve
