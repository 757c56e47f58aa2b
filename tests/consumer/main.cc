// Writes a two-article archive and reads it back through the installed library.
#include <cstdio>

#include "reader/archive.h"
#include "writer/writer.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  quire::WriterOptions options;
  options.sync = false;
  auto writer = quire::Writer::create(argv[1], options);
  if (!writer) return std::fprintf(stderr, "%s\n", writer.status().to_string().c_str()), 1;
  quire::ArticleInput a;
  a.meta.id = "hello";
  a.body = "Xin chào";
  if (!(*writer)->add(a).is_ok() || !(*writer)->finish().is_ok()) return 1;
  auto archive = quire::Archive::open(argv[1]);
  if (!archive) return std::fprintf(stderr, "%s\n", archive.status().to_string().c_str()), 1;
  auto article = archive->find("hello");
  if (!article || article->body()->bytes() != "Xin chào") return 1;
  std::printf("consumer: read back '%s'\n", std::string(article->body()->bytes()).c_str());
  return 0;
}
