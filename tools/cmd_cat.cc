// quire cat: bodies, byte-exact, to stdout.
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "reader/archive_set.h"
#include "tools/cli.h"

namespace quire::cli {
namespace {

struct CatArgs {
  std::string archive;
  std::vector<std::string> ids;
};

Status write_stdout(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(STDOUT_FILENO, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::io_error(fmt::format("cannot write to stdout: {}", std::strerror(errno)));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::ok();
}

int run(const CatArgs& a) {
  auto archive = ArchiveSet::open(a.archive);
  if (!archive) return fail_open("cat", archive.status());
  int code = kExitOk;
  for (const std::string& ref : a.ids) {
    auto art = archive->resolve(ref);
    if (!art) {
      code = std::max(code, fail("cat", art.status()));
      continue;
    }
    auto body = art->body();
    if (!body) {
      code = std::max(code, fail("cat", body.status()));
      continue;
    }
    Status s = write_stdout(body->bytes());
    if (!s.is_ok()) return fail("cat", s);
  }
  return code;
}

}  // namespace

void register_cat(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CatArgs>();
  auto* cmd = app.add_subcommand("cat", "Write article bodies, byte-exact, to stdout");
  cmd->footer(
      "ID is an article id, sha256:HEX or #N. Bodies are written one after another with\n"
      "nothing between them.\n\n"
      "Examples:\n"
      "  quire cat sample.quire news/2024/04/26/hanoi-metro-extension\n"
      "  quire cat sample.quire '#3' > article.txt");
  cmd->add_option("archive", args->archive, "archive file or set (directory or quire-set.json)")->required();
  cmd->add_option("ids", args->ids, "article ids")->required();
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace quire::cli
