// libFuzzer target: any bytes as a WARC file (plain, and again gzip-wrapped
// so member handling is reached too) read to the end into articles; and as
// an HTTP message and a chunked body. Nothing may crash, hang or leak, and
// every article must be one the writer would accept.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "format/model.h"
#include "writer/http_message.h"
#include "writer/warc_input.h"
#include "writer/warc_test_util.h"

namespace {


void read_warc(std::string_view bytes) {
  int fd = memfd_create("fuzz.warc", 0);
  if (fd < 0) return;
  if (write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size())) {
    quire::WarcInputOptions options;
    options.reader.max_block_bytes = 1 << 16;  // the streamed-past path too
    auto input = quire::WarcInput::open("/proc/self/fd/" + std::to_string(fd), options);
    if (input) {
      quire::WarcArticle a;
      for (int i = 0; i < 10000; ++i) {
        auto more = (*input)->next(a, [](const std::string& w) {
          if (!quire::is_valid_utf8(w)) std::abort();  // messages quote input safely
        });
        if (!more || !*more) break;
        for (const quire::Status& s : {quire::validate_id(a.meta.id), quire::validate_text(a.meta, {})}) {
          if (!s.is_ok()) {
            std::fprintf(stderr, "article the writer would refuse: %s\n", std::string(s.message()).c_str());
            std::abort();
          }
        }
        (*input)->stored(a, a.shared_body ? *a.shared_body : quire::sha256(a.body));
      }
    }
  }
  close(fd);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  read_warc(bytes);
  read_warc(quire::test::gzip_member(std::string(bytes)));
  if (auto head = quire::parse_http_message(bytes)) {
    if (head->body_offset > bytes.size()) std::abort();
  }
  auto body = quire::remove_chunking(bytes);
  if (body && body->size() > bytes.size()) std::abort();
  return 0;
}
