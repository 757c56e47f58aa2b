// quire: pack, inspect, extract and verify Quire archives.
// Each subcommand lives in its own cmd_*.cc file and calls one library function.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "tools/cli.h"

int main(int argc, char** argv) {
  CLI::App app{
      "quire: keep text corpora exactly, for years.\n"
      "Packs articles (original bytes, metadata, annotations) into one checksummed file\n"
      "with random access by id, and lists, prints, searches, serves, extracts and verifies it.\n\n"
      "Examples:\n"
      "  quire pack examples/articles.jsonl --annotations examples/annotations.jsonl -o sample.quire\n"
      "  quire ls sample.quire --lang vi\n"
      "  quire cat sample.quire news/2024/04/26/hanoi-metro-extension\n"
      "  quire annotations sample.quire entity --label PERSON\n"
      "  quire grep -i 'metro|tram' sample.quire\n"
      "  quire index sample.quire -o sample.quire && quire search sample.quire metro\n"
      "  quire serve sample.quire        # a viewer at http://127.0.0.1:8080/\n"
      "  quire verify sample.quire\n",
      "quire"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("quire 0.1.0 (format 2.0; writes 1.0 unless --fulltext)"));
  int exit_code = 0;
  quire::cli::register_pack(app, exit_code);
  quire::cli::register_ls(app, exit_code);
  quire::cli::register_show(app, exit_code);
  quire::cli::register_cat(app, exit_code);
  quire::cli::register_extract(app, exit_code);
  quire::cli::register_info(app, exit_code);
  quire::cli::register_verify(app, exit_code);
  quire::cli::register_salvage(app, exit_code);
  quire::cli::register_annotations(app, exit_code);
  quire::cli::register_grep(app, exit_code);
  quire::cli::register_index(app, exit_code);
  quire::cli::register_search(app, exit_code);
  quire::cli::register_serve(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : quire::cli::kExitBadInput;
  } catch (const std::exception& e) {
    // The library reports errors as values; this is the last line of defence
    // (out of memory, a file system refusing a call), and it unwinds, so
    // destructors still remove temporary files.
    std::fprintf(stderr, "quire: %s\n", e.what());
    return quire::cli::kExitUnreadable;
  }
  return exit_code;
}
