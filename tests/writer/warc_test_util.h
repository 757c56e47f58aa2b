// Building WARC bytes in tests: records with correct Content-Length, and gzip
// members (one per record, as .warc.gz writers do).
#pragma once

#include <zlib.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace quire::test {

// A record: version line, the given fields, Content-Length, the block, CRLF CRLF.
inline std::string warc_record(const std::vector<std::pair<std::string, std::string>>& fields, const std::string& block,
                               const std::string& version = "WARC/1.0", const std::string& eol = "\r\n") {
  std::string r = version + eol;
  for (const auto& [k, v] : fields) r += k + ": " + v + eol;
  r += "Content-Length: " + std::to_string(block.size()) + eol + eol;
  r += block;
  r += eol + eol;
  return r;
}

inline std::string http_response(const std::string& headers, const std::string& body) {
  return "HTTP/1.1 200 OK\r\n" + headers + "\r\n" + body;
}

// One gzip member holding `data`.
inline std::string gzip_member(const std::string& data) {
  z_stream z{};
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// A response record for `uri` with an HTTP body, and a fixed id/date.
inline std::string response_record(const std::string& uri, const std::string& body, const std::string& id,
                                   const std::string& date = "2024-04-26T09:43:00Z",
                                   std::vector<std::pair<std::string, std::string>> more = {}) {
  std::vector<std::pair<std::string, std::string>> fields = {{"WARC-Type", "response"},
                                                             {"WARC-Target-URI", uri},
                                                             {"WARC-Date", date},
                                                             {"WARC-Record-ID", "<urn:uuid:" + id + ">"},
                                                             {"Content-Type", "application/http; msgtype=response"}};
  fields.insert(fields.end(), more.begin(), more.end());
  return warc_record(fields, http_response("Content-Type: text/html\r\n", body));
}

}  // namespace quire::test
