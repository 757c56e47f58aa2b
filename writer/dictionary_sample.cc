#include "writer/dictionary_sample.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <utility>

namespace quire {
namespace {

constexpr size_t kMaxPiece = 16 * 1024;

// Bodies taken at positions 0..count-1 of the input, thinned to fit the
// budget by keeping every stride-th position: when the bodies kept exceed the
// budget, the stride doubles and the positions it no longer lands on are
// dropped. So the sample always spans the whole input, however large its
// bodies are (stopping at the budget instead kept only the input's start:
// bodies compressed to 19.66% of raw against 18.70% with the spread sample on
// the benchmark corpus, SPEC.md 5.3).
class SpreadSample {
 public:
  explicit SpreadSample(size_t budget) : budget_(budget) {}
  bool wants(size_t position) const { return position % stride_ == 0; }
  void take(size_t position, std::string body) {
    if (body.size() > kMaxPiece) body.resize(kMaxPiece);
    if (body.empty() || !wants(position)) return;
    used_ += body.size();
    kept_.emplace_back(position, std::move(body));
    while (used_ > budget_ && kept_.size() > 1) thin();
  }
  std::vector<std::string> bodies() && {
    std::vector<std::string> out;
    out.reserve(kept_.size());
    for (auto& [position, body] : kept_) out.push_back(std::move(body));
    return out;
  }

 private:
  void thin() {
    stride_ *= 2;
    std::vector<std::pair<size_t, std::string>> kept;
    used_ = 0;
    for (auto& [position, body] : kept_) {
      if (!wants(position)) continue;
      used_ += body.size();
      kept.emplace_back(position, std::move(body));
    }
    kept_ = std::move(kept);
  }

  size_t budget_;
  size_t stride_ = 1;
  size_t used_ = 0;
  std::vector<std::pair<size_t, std::string>> kept_;
};

}  // namespace

Result<std::vector<std::string>> sample_jsonl_bodies(const std::string& path, JsonlParser& parser, size_t count,
                                                     size_t budget) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::invalid_argument(fmt::format("cannot open '{}'", path));
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec || size == 0 || count == 0 || budget == 0) return std::vector<std::string>{};
  SpreadSample sample(budget);
  std::string line;
  uint64_t last_start = ~uint64_t{0};
  for (size_t k = 0; k < count; ++k) {
    if (!sample.wants(k)) continue;
    uint64_t at = size / count * k;
    in.clear();
    in.seekg(static_cast<std::streamoff>(at));
    if (at > 0) std::getline(in, line);  // finish the line we landed in
    uint64_t start = static_cast<uint64_t>(in.tellg());
    if (!in || start == last_start || !std::getline(in, line)) continue;
    last_start = start;
    auto a = parser.article(line);
    if (a) sample.take(k, std::move(a->body));
  }
  return std::move(sample).bodies();
}

std::vector<std::string> sample_file_bodies(const std::vector<std::string>& paths, size_t count, size_t budget) {
  if (paths.empty() || count == 0 || budget == 0) return {};
  SpreadSample sample(budget);
  size_t positions = std::min(count, paths.size());
  for (size_t k = 0; k < positions; ++k) {
    if (!sample.wants(k)) continue;
    std::ifstream in(paths[k * paths.size() / positions], std::ios::binary);
    std::string body(kMaxPiece, '\0');
    in.read(body.data(), static_cast<std::streamsize>(body.size()));
    body.resize(static_cast<size_t>(in.gcount()));
    sample.take(k, std::move(body));
  }
  return std::move(sample).bodies();
}

}  // namespace quire
