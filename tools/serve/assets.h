// The files of tools/serve/web/ (the page), embedded in the binary at build
// time by embed_assets.cmake. The server serves only these: a URL path is
// looked up in this table and never reaches the file system.
#pragma once

#include <string_view>
#include <vector>

namespace quire::serve {

struct Asset {
  std::string_view path;       // relative to web/, e.g. "index.html", "js/app.js"
  std::string_view mime_type;  // from the extension, e.g. "text/css; charset=utf-8"
  std::string_view bytes;      // the file's content, static storage
};

// Every embedded file, sorted by path (generated assets_data.cc).
const std::vector<Asset>& embedded_assets();

// The asset for a URL path ("/" is "/index.html"); nullptr when none.
const Asset* find_asset(std::string_view url_path);

}  // namespace quire::serve
