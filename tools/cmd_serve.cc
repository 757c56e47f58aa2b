// quire serve: browse and search archives in a web browser (README "quire serve").
#include <fmt/format.h>

#include <csignal>
#include <cstdio>

#include "reader/archive_set.h"
#include "tools/cli.h"
#include "tools/serve/server.h"

namespace quire::cli {
namespace {

struct ServeArgs {
  std::vector<std::string> archives;
  serve::ServerOptions server;
};

int run(ServeArgs& a) {
  // Blocked before any thread starts, so every thread inherits the mask and
  // only sigwait() below sees SIGINT and SIGTERM.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  std::vector<serve::ServedArchive> served;
  for (const std::string& path : a.archives) {
    auto set = ArchiveSet::open(path);
    if (!set) return fail_open("serve", set.status());
    served.push_back({path, std::move(*set)});
  }
  auto server = serve::Server::create(std::move(served), a.server);
  if (!server) return fail("serve", server.status());
  Status started = (*server)->start();
  if (!started.is_ok()) return fail("serve", started);
  fmt::print("quire serve: listening on {}\n", (*server)->url());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&signals, &sig);
  (*server)->stop();
  return kExitOk;
}

}  // namespace

void register_serve(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "Browse and search archives in a web browser (HTTP on loopback)");
  cmd->footer(
      "Serves a page and a JSON API (README \"quire serve\") until SIGINT or SIGTERM.\n"
      "Several archives or sets get the numbers 0, 1, ... in the order given (archive=N).\n"
      "Binds 127.0.0.1 unless --host says otherwise; the server only reads and has no\n"
      "authentication, so expose it beyond this machine only behind a proxy you trust.\n\n"
      "Examples:\n"
      "  quire serve sample.quire              # then open http://127.0.0.1:8080/\n"
      "  quire serve corpus/ other.quire --port 0 --threads 4");
  cmd->add_option("archives", args->archives, "archive files or sets (directory or quire-set.json)")->required();
  cmd->add_option("--host", args->server.host, "address to listen on")->capture_default_str();
  cmd->add_option("--port", args->server.port, "port; 0 picks a free one (printed)")->capture_default_str();
  cmd->add_option("--threads", args->server.threads, "connections served at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--max-waiting", args->server.max_waiting,
                  "connections waiting for a thread before new ones get 503")
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace quire::cli
