// The HTTP server of `quire serve`: the API of tools/serve/api.h over
// cpp-httplib, with bounded requests, threads and waiting connections.
//
//   ServerOptions o;  o.port = 0;                   // any free port
//   auto server = Server::create({{"c.quire", *set}}, o);
//   Status s = (*server)->start();                  // bound and serving
//   printf("%d\n", (*server)->port());
//   (*server)->stop();                              // or the destructor
//
// Only GET and HEAD are served (405 otherwise); a request body larger than
// max_body_bytes is refused (413); the request line and each header line
// are bounded by cpp-httplib (8 KiB, 414/400); one byte range at most (416);
// every error is JSON (api.h).
//
// Not bounded by Debian's cpp-httplib 0.11: the NUMBER of header lines of a
// request, and the total time a slow client may take to send them (each
// read has a timeout, the request none). So the server binds loopback by
// default, and exposed beyond the machine it belongs behind a reverse proxy
// that bounds both (README "quire serve").
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "format/status.h"
#include "tools/serve/api.h"

namespace httplib {
class Server;
}

namespace quire::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";  // loopback unless asked otherwise
  int port = 8080;                 // 0: any free port (see port())
  size_t threads = 8;              // connections served at once
  // Connections accepted while all threads are busy, waiting for one; more
  // are answered 503 at once by a spare thread and closed.
  size_t max_waiting = 64;
  size_t max_body_bytes = 64 * 1024;
  int read_timeout_seconds = 10, write_timeout_seconds = 30;
  // A connection holds its thread until it closes (cpp-httplib's model), so
  // keep-alive is short: an idle connection frees its thread after 2 s, and
  // a busy one after 10 requests, letting waiting connections in.
  int keep_alive_seconds = 2;
  size_t keep_alive_requests = 10;
  ApiLimits limits;
};

class Server {
 public:
  static Result<std::unique_ptr<Server>> create(std::vector<ServedArchive> archives, ServerOptions options);
  ~Server();  // stop()

  // Binds host:port and serves on background threads. IoError when the
  // address cannot be bound.
  Status start();
  int port() const { return port_; }
  // The URL of the page: http://HOST:PORT/ (IPv6 hosts in brackets).
  std::string url() const;
  // Stops accepting, lets requests in progress finish, joins the threads.
  void stop();

 private:
  Server(std::vector<ServedArchive> archives, ServerOptions options);
  void install_handlers();

  ServerOptions options_;
  Api api_;
  std::unique_ptr<httplib::Server> http_;
  std::thread listener_;
  int port_ = 0;
};

}  // namespace quire::serve
