#include "tools/serve/assets.h"

namespace quire::serve {

const Asset* find_asset(std::string_view url_path) {
  if (url_path.empty() || url_path.front() != '/') return nullptr;
  std::string_view name = url_path == "/" ? std::string_view("index.html") : url_path.substr(1);
  for (const Asset& a : embedded_assets()) {
    if (a.path == name) return &a;
  }
  return nullptr;
}

}  // namespace quire::serve
