#include "writer/dictionary_trainer.h"

#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>

#include <algorithm>

namespace quire {

std::string train_dictionary(const std::vector<std::string_view>& bodies, size_t max_size) {
  // Samples are cut to at most 16 KiB: the trainer looks for segments shared
  // between samples, and many mid-sized samples serve it better than a few huge ones.
  constexpr size_t kMaxSample = 16 * 1024;
  std::string samples;
  std::vector<size_t> sizes;
  for (std::string_view b : bodies) {
    for (size_t at = 0; at < b.size(); at += kMaxSample) {
      size_t n = std::min(kMaxSample, b.size() - at);
      if (n < 8) continue;
      samples.append(b.substr(at, n));
      sizes.push_back(n);
    }
  }
  // Below ~100 samples or 10x the dictionary, zstd's trainer fails or the
  // dictionary costs more than it saves.
  size_t capacity = std::min(max_size, samples.size() / 10);
  if (sizes.size() < 100 || capacity < 4096) return {};
  std::string dict(capacity, '\0');
  ZDICT_fastCover_params_t params{};
  params.k = 200;  // fixed (no parameter search) so training is deterministic and quick
  params.d = 8;
  params.f = 20;
  params.steps = 0;
  params.nbThreads = 1;
  params.splitPoint = 1.0;
  params.accel = 1;
  params.zParams.compressionLevel = 3;
  size_t n = ZDICT_trainFromBuffer_fastCover(dict.data(), dict.size(), samples.data(), sizes.data(),
                                              static_cast<unsigned>(sizes.size()), params);
  if (ZDICT_isError(n)) return {};
  dict.resize(n);
  return dict;
}

}  // namespace quire
