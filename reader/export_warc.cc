#include "reader/export_warc.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "format/checksum.h"
#include "format/json_writer.h"
#include "format/warc_digest.h"
#include "reader/export_warc_record.h"
#include "reader/surt.h"

namespace quire {
namespace {

// Writes records to the file, each in its own gzip member when asked.
class RecordWriter {
 public:
  RecordWriter(ExportFile& out, bool gzip) : out_(out), gzip_(gzip) {}

  // Writes the pieces of one record; `offset` and `length` say where it is in the file.
  Status write(std::initializer_list<std::string_view> parts, uint64_t& offset, uint64_t& length) {
    offset = out_.offset();
    if (gzip_) {
      QUIRE_RETURN_IF_ERROR(write_member(parts));
    } else {
      for (std::string_view part : parts) QUIRE_RETURN_IF_ERROR(out_.write(part));
    }
    length = out_.offset() - offset;
    return Status::ok();
  }

 private:
  Status write_member(std::initializer_list<std::string_view> parts) {
    z_stream z{};
    // windowBits 15 + 16: a gzip wrapper with an empty header (mtime 0, no name).
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      return Status::io_error("zlib: cannot start a gzip member");
    }
    std::unique_ptr<z_stream, int (*)(z_stream*)> end(&z, deflateEnd);
    for (std::string_view part : parts) {
      while (!part.empty()) {  // avail_in is 32 bits: feed large bodies in slices
        size_t n = std::min<size_t>(part.size(), 1u << 30);
        QUIRE_RETURN_IF_ERROR(deflate_some(z, part.substr(0, n), Z_NO_FLUSH));
        part.remove_prefix(n);
      }
    }
    return deflate_some(z, {}, Z_FINISH);
  }

  Status deflate_some(z_stream& z, std::string_view in, int flush) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    char buffer[65536];
    int r = Z_OK;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buffer);
      z.avail_out = sizeof buffer;
      r = deflate(&z, flush);
      if (r == Z_STREAM_ERROR) return Status::io_error("zlib: deflate failed");
      QUIRE_RETURN_IF_ERROR(out_.write(std::string_view(buffer, sizeof buffer - z.avail_out)));
    } while (z.avail_out == 0 || (flush == Z_FINISH && r != Z_STREAM_END));
    return Status::ok();
  }

  ExportFile& out_;
  bool gzip_;
};

// A header value on one line: control bytes become spaces.
std::string one_line(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return out;
}

std::string warcinfo_block(const ManifestSummary& m, const std::string& software) {
  std::string block = "software: " + one_line(software) + "\r\nformat: WARC File Format 1.1\r\n" +
                      "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n";
  if (!m.info.title.empty()) block += "isPartOf: " + one_line(m.info.title) + "\r\n";
  if (!m.info.description.empty()) block += "description: " + one_line(m.info.description) + "\r\n";
  block += "quire-content-digest: sha256:" + to_hex(m.content_digest) + "\r\n";
  return block;
}

// The first 14 digits of a WARC-Date, padded with zeros: "20240426094300".
std::string cdxj_timestamp(std::string_view date) {
  std::string ts;
  for (char c : date) {
    if (c >= '0' && c <= '9' && ts.size() < 14) ts.push_back(c);
  }
  ts.resize(14, '0');
  return ts;
}

std::string cdxj_line(const WarcRecordParts& p, uint64_t offset, uint64_t length, const std::string& filename) {
  JsonWriter j;
  j.begin_object().field("url", p.target_uri);
  if (!p.mime.empty()) j.field("mime", p.mime);
  if (!p.status.empty()) j.field("status", p.status);
  if (!p.payload_digest.empty()) j.field("digest", p.payload_digest);
  j.field("length", std::to_string(length))
      .field("offset", std::to_string(offset))
      .field("filename", filename)
      .end_object();
  return surt_key(p.target_uri) + " " + cdxj_timestamp(p.date) + " " + j.str() + "\n";
}

std::string base_name(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

Result<WarcExportStats> export_to_warc(const Archive& archive, ExportFile& out, ExportFile* index,
                                       const ArticleFilter& filter, const WarcExportOptions& options,
                                       const ExtractProgress& progress) {
  return export_to_warc(ArchiveSet::of(archive), out, index, filter, options, progress);
}

Result<WarcExportStats> export_to_warc(const ArchiveSet& archive, ExportFile& out, ExportFile* index,
                                       const ArticleFilter& filter, const WarcExportOptions& options,
                                       const ExtractProgress& progress) {
  std::string filename = options.filename.empty() ? base_name(out.path()) : options.filename;
  RecordWriter writer(out, options.gzip);
  QUIRE_ASSIGN_OR_RETURN(ManifestSummary m, archive.first_summary());
  m.content_digest = archive.manifest().content_digest;  // the set's; an archive's own for a set of one
  WarcRecordContext context{m.info.created_unix_seconds,
                            warc_uuid_of(fmt::format("quire:warcinfo:sha256:{}:{}", to_hex(m.content_digest), filename))};
  std::string info = warcinfo_block(m, options.software);
  std::string info_header = fmt::format(
      "WARC/1.1\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: {}\r\nWARC-Date: {}\r\nWARC-Filename: {}\r\n"
      "Content-Type: application/warc-fields\r\nWARC-Block-Digest: {}\r\nContent-Length: {}\r\n\r\n",
      context.warcinfo_id, warc_date_of(m.info.created_unix_seconds), one_line(filename),
      warc_digest_of(DigestAlgorithm::kSha1, info).to_string(), info.size());
  uint64_t offset = 0, length = 0;
  QUIRE_RETURN_IF_ERROR(writer.write({info_header, info, "\r\n\r\n"}, offset, length));
  WarcExportStats stats;
  std::vector<std::string> lines;
  for (uint64_t r = 0; r < archive.size(); ++r) {
    QUIRE_ASSIGN_OR_RETURN(Article article, archive.at(r));
    QUIRE_ASSIGN_OR_RETURN(bool wanted, filter.check(article));
    if (!wanted) continue;
    QUIRE_ASSIGN_OR_RETURN(Body body, article.body());
    QUIRE_ASSIGN_OR_RETURN(WarcRecordParts p, build_warc_record(article, body.bytes(), context));
    QUIRE_RETURN_IF_ERROR(writer.write({p.header, p.http_head, p.body, "\r\n\r\n"}, offset, length));
    if (index) lines.push_back(cdxj_line(p, offset, length, filename));
    (p.type == "response" ? stats.responses : p.type == "revisit" ? stats.revisits : stats.resources)++;
    stats.articles.articles++;
    stats.articles.bytes += body.size();
    if (progress) progress(stats.articles);
  }
  stats.warc_bytes = out.offset();
  if (index) {
    std::sort(lines.begin(), lines.end());
    for (const std::string& line : lines) QUIRE_RETURN_IF_ERROR(index->write(line));
    stats.cdxj_lines = lines.size();
  }
  return stats;
}

}  // namespace quire
