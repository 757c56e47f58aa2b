// libFuzzer target: any bytes as one JSONL article line, as metadata, and as
// an annotation record, with byte and code point offsets.
#include <cstdint>
#include <string_view>

#include "writer/jsonl_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  static quire::JsonlParser bytes_parser({});
  static quire::JsonlParser cp_parser({"annotations", "", true});
  for (quire::JsonlParser* p : {&bytes_parser, &cp_parser}) {
    auto a = p->article(line);
    if (a) {
      (void)quire::validate_id(a->meta.id);
      (void)quire::validate_layers(a->meta.id, a->layers, a->body.size());
    }
    (void)p->metadata(line);
    (void)p->annotations(line);
  }
  return 0;
}
