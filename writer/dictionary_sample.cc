#include "writer/dictionary_sample.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

namespace quire {
namespace {

constexpr size_t kMaxPiece = 16 * 1024;

void take(std::vector<std::string>& out, size_t& used, size_t budget, std::string body) {
  if (body.size() > kMaxPiece) body.resize(kMaxPiece);
  if (body.empty() || used >= budget) return;
  used += body.size();
  out.push_back(std::move(body));
}

}  // namespace

Result<std::vector<std::string>> sample_jsonl_bodies(const std::string& path, JsonlParser& parser, size_t count,
                                                     size_t budget) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::invalid_argument(fmt::format("cannot open '{}'", path));
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec || size == 0 || count == 0) return std::vector<std::string>{};
  std::vector<std::string> out;
  size_t used = 0;
  std::string line;
  uint64_t last_start = ~uint64_t{0};
  for (size_t k = 0; k < count && used < budget; ++k) {
    uint64_t at = size / count * k;
    in.clear();
    in.seekg(static_cast<std::streamoff>(at));
    if (at > 0) std::getline(in, line);  // finish the line we landed in
    uint64_t start = static_cast<uint64_t>(in.tellg());
    if (!in || start == last_start || !std::getline(in, line)) continue;
    last_start = start;
    auto a = parser.article(line);
    if (a) take(out, used, budget, std::move(a->body));
  }
  return out;
}

std::vector<std::string> sample_file_bodies(const std::vector<std::string>& paths, size_t count, size_t budget) {
  std::vector<std::string> out;
  size_t used = 0;
  if (paths.empty()) return out;
  size_t step = std::max<size_t>(1, paths.size() / std::max<size_t>(1, count));
  for (size_t i = 0; i < paths.size() && used < budget; i += step) {
    std::ifstream in(paths[i], std::ios::binary);
    std::string body(kMaxPiece, '\0');
    in.read(body.data(), static_cast<std::streamsize>(body.size()));
    body.resize(static_cast<size_t>(in.gcount()));
    take(out, used, budget, std::move(body));
  }
  return out;
}

}  // namespace quire
