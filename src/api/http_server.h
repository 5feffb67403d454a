// HttpServer: HTTP/1.1 and WebSocket on Boost.Beast. io threads parse and write;
// handlers run on a separate pool so blocking store work never holds an io thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/app.h"
#include "api/router.h"
#include "core/result.h"

namespace kizuna::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0: any free port (see HttpServer::port)
  int io_threads = 2;
  int workers = 32;       // handler threads for changes: each waits for its group commit
  int read_workers = 4;   // handler threads for GET and HEAD: few, so reads do not thrash the cores
  int header_timeout_seconds = 15;  // a request's headers and body must arrive within this
  int idle_timeout_seconds = 60;    // keep-alive connections idle longer are closed
  std::size_t header_limit = 16 * 1024;
  // Addresses of reverse proxies (nginx in front of several nodes): a request from one of
  // them is taken to come from the last address its X-Forwarded-For names that is not a
  // proxy too (rate limits count clients, not the proxy). Empty: the header is ignored.
  std::vector<std::string> trusted_proxies;
};

class HttpServer {
 public:
  HttpServer(App& app, Router router, ServerOptions options);
  ~HttpServer();

  // Binds and starts serving on background threads. Fails when the address is taken.
  Status Start();
  unsigned short port() const;
  // Stops accepting, lets in-flight requests finish (up to `grace_seconds`), closes
  // streams and joins every thread.
  void Stop(int grace_seconds = 10);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kizuna::api
