// Conversion between the plain model (format/model.h) and the stored Cap'n
// Proto records (format/quire.capnp, SPEC.md 6). The decode side validates
// everything it copies and reports what is wrong; it never trusts the bytes.
#pragma once

#include <vector>

#include "format/model.h"
#include "format/quire.capnp.h"

namespace quire {

// Where a body is: block number and offset/length in that block's bodies frame.
struct BodyLocation {
  uint64_t block = 0;
  uint64_t offset = 0;
  uint64_t length = 0;
};

void encode_date(schema::Date::Builder out, const Date& date);
Date decode_date(schema::Date::Reader in);

void encode_article(schema::Article::Builder out, const ArticleMeta& meta, const Sha256& sha256,
                    const BodyLocation& body, uint64_t span_count);
// Copies the metadata out of a record. Throws kj::Exception on malformed
// pointers (callers hold the message in a try block); checks values.
Result<ArticleMeta> decode_article_meta(schema::Article::Reader in);

// Checks a record in place (no copies): every pointer is followed once, the
// id and date are valid. decode_article_meta() would accept it.
Status check_article_record(schema::Article::Reader in);

void encode_layers(schema::ArticleAnnotations::Builder out, const std::vector<Layer>& layers);
Result<std::vector<Layer>> decode_layers(schema::ArticleAnnotations::Reader in);

void encode_info(schema::ArchiveInfo::Builder out, const ArchiveInfo& info);
ArchiveInfo decode_info(schema::ArchiveInfo::Reader in);

uint64_t count_spans(const std::vector<Layer>& layers);

}  // namespace quire
