// Server configuration: kizuna.toml, overridden by KIZUNA_<SECTION>_<KEY> variables.
#pragma once

#include <string>

#include "core/result.h"

namespace kizuna::server {

struct Config {
  std::string listen = "127.0.0.1:8080";
  int io_threads = 2;
  int workers = 32;
  int read_workers = 4;
  long long max_body_bytes = 1 << 20;
  long long max_upload_bytes = 20 << 20;
  bool secure_cookies = false;
  std::string data_dir = "./data";
  std::string web_dir = "web/dist";  // the built web app; empty: API only
  std::string database_path;  // default: <data_dir>/kizuna.db
  int readers = 4;
  bool synchronous_full = true;
  int session_hours = 12;
  std::string password_cost = "interactive";  // or "minimum" (tests, demo)
  std::string log_level = "info";
};

// Reads `path` when it is not empty (a missing named file is an error), then the
// environment. Fails with the offending key on a bad value.
Result<Config> LoadConfig(const std::string& path);

// Splits "host:port". Fails on a missing or bad port.
Result<std::pair<std::string, unsigned short>> SplitListen(const std::string& listen);

}  // namespace kizuna::server
