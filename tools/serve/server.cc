#include "tools/serve/server.h"

#include <fmt/format.h>
#include <httplib.h>

#include <atomic>
#include <chrono>

#include "tools/serve/http_headers.h"
#include "tools/serve/task_pool.h"

namespace quire::serve {
namespace {

// Bodies up to this size are copied into the response (and may be
// compressed); larger ones are streamed from the decoded block.
constexpr size_t kCopyBodyBytes = 1 << 20;

bool has_body(const httplib::Request& req) {
  std::string length = req.get_header_value("Content-Length");
  return (!length.empty() && length != "0") || req.has_header("Transfer-Encoding");
}

void send(httplib::Response& res, Reply reply) {
  // A 200 stays unset so that cpp-httplib answers a single byte range with
  // 206 and its Content-Range (it only does when the status is unset).
  if (reply.status != 200) res.status = reply.status;
  for (auto& [k, v] : reply.headers) res.set_header(k, v);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  if (reply.content_type == kJsonType) {
    res.set_header("Content-Security-Policy", kJsonCsp);
    res.set_header("Cache-Control", "no-store");
  }
  if (!reply.raw) {
    res.set_content(reply.body, reply.content_type);
  } else if (reply.raw->size() <= kCopyBodyBytes) {
    res.set_content(reply.raw->bytes().data(), reply.raw->size(), reply.content_type);
  } else {
    auto body = std::make_shared<Body>(std::move(*reply.raw));
    res.set_content_provider(body->size(), reply.content_type,
                             [body](size_t offset, size_t length, httplib::DataSink& sink) {
                               size_t n = std::min<size_t>(length, 256 * 1024);
                               return sink.write(body->bytes().data() + offset, n);
                             });
  }
}

// Statuses cpp-httplib produces itself, before any handler runs.
const char* reason_for(int status) {
  switch (status) {
    case 400: return "bad request";
    case 404: return "no such path";
    case 413: return "request body too large";
    case 414: return "request URI too long";
    case 431: return "request headers too large";
    default: return "request refused";
  }
}

}  // namespace

Result<std::unique_ptr<Server>> Server::create(std::vector<ServedArchive> archives, ServerOptions options) {
  if (archives.empty()) return Status::invalid_argument("nothing to serve: give at least one archive");
  if (options.threads == 0) return Status::invalid_argument("--threads must be at least 1");
  if (options.port < 0 || options.port > 65535) {
    return Status::invalid_argument(fmt::format("--port {} is not 0..65535", options.port));
  }
  return std::unique_ptr<Server>(new Server(std::move(archives), std::move(options)));
}

Server::Server(std::vector<ServedArchive> archives, ServerOptions options)
    : options_(std::move(options)),
      api_(std::move(archives), options_.limits),
      http_(std::make_unique<httplib::Server>()) {
  install_handlers();
}

Server::~Server() { stop(); }

void Server::install_handlers() {
  httplib::Server& s = *http_;
  s.new_task_queue = [threads = options_.threads, waiting = options_.max_waiting] {
    return new BoundedTaskQueue(threads, waiting);
  };
  s.set_payload_max_length(options_.max_body_bytes);
  s.set_read_timeout(options_.read_timeout_seconds);
  s.set_write_timeout(options_.write_timeout_seconds);
  s.set_keep_alive_timeout(options_.keep_alive_seconds);
  s.set_keep_alive_max_count(options_.keep_alive_requests);
  // Headers and body go out in separate writes: without this, delayed ACKs
  // hold every response about 40 ms.
  s.set_tcp_nodelay(true);
  // GET and HEAD are answered here, before cpp-httplib's regex routing.
  // Other methods go on: cpp-httplib reads the body (413 past
  // max_body_bytes), then the handlers below answer 405.
  auto refuse = [](const httplib::Request& req, httplib::Response& res) {
    send(res, error_reply(405, fmt::format("method {} not allowed: the server only reads (GET, HEAD)", req.method)));
    res.set_header("Allow", "GET, HEAD");
  };
  s.set_pre_routing_handler([this, refuse](const httplib::Request& req, httplib::Response& res) {
    if (BoundedTaskQueue::on_overflow_thread()) {
      send(res, error_reply(503, "the server is busy; try again"));
      res.set_header("Retry-After", "1");
      res.set_header("Connection", "close");
      return httplib::Server::HandlerResponse::Handled;
    }
    // cpp-httplib 0.11 builds a multi-range answer in memory without a limit:
    // many ranges of one body would cost gigabytes. One range at most.
    if (req.ranges.size() > 1) {
      // cpp-httplib applies the ranges to whatever is sent, this error too:
      // forget them (the request object is this connection's own, not shared).
      const_cast<httplib::Request&>(req).ranges.clear();
      send(res, error_reply(416, "at most one byte range per request"));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.method != "GET" && req.method != "HEAD") {
      if (has_body(req)) return httplib::Server::HandlerResponse::Unhandled;  // read (or 413), then 405
      refuse(req, res);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (has_body(req)) {
      // cpp-httplib never reads the body of a GET, so the connection cannot
      // go on after it: refuse and close.
      send(res, error_reply(400, "a GET or HEAD request carries no body"));
      res.set_header("Connection", "close");
      return httplib::Server::HandlerResponse::Handled;
    }
    // Parameters from the target, not req.params: cpp-httplib splits
    // "has_annotation=entity=PERSON" at its last '='.
    size_t q = req.target.find('?');
    send(res, api_.get(req.path, parse_query(q == std::string::npos ? "" : std::string_view(req.target).substr(q + 1))));
    return httplib::Server::HandlerResponse::Handled;
  });
  const std::string any = "/.*";
  s.Post(any, refuse).Put(any, refuse).Patch(any, refuse).Delete(any, refuse).Options(any, refuse);
  s.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // ours, already JSON
    send(res, error_reply(res.status, reason_for(res.status)));
    return httplib::Server::HandlerResponse::Handled;
  }));
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send(res, error_reply(500, "internal error"));
  });
}

Status Server::start() {
  if (listener_.joinable()) return Status::invalid_argument("the server is already running");
  if (options_.port == 0) {
    port_ = http_->bind_to_any_port(options_.host);
    if (port_ <= 0) return Status::io_error(fmt::format("cannot listen on {} (any port)", options_.host));
  } else {
    if (!http_->bind_to_port(options_.host, options_.port)) {
      return Status::io_error(fmt::format("cannot listen on {} port {}", options_.host, options_.port));
    }
    port_ = options_.port;
  }
  auto ended = std::make_shared<std::atomic<bool>>(false);
  listener_ = std::thread([this, ended] {
    http_->listen_after_bind();
    *ended = true;
  });
  // stop() is a no-op until the accept loop runs; wait for it.
  while (!http_->is_running() && !*ended) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return Status::ok();
}

std::string Server::url() const {
  const std::string& h = options_.host;
  return fmt::format("http://{}:{}/", h.find(':') != std::string::npos ? "[" + h + "]" : h, port_);
}

void Server::stop() {
  if (!listener_.joinable()) return;
  http_->stop();
  listener_.join();
}

}  // namespace quire::serve
