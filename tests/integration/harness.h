// Integration harness: the real kizuna binary on a loopback port, an HTTP client,
// raw TCP exchanges and a WebSocket client.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kizuna::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  nlohmann::json Json() const;
  std::string Header(const std::string& lower_name) const;
};

struct CliResult {
  int exit_code = -1;
  std::string out;
};

// One `kizuna serve` process on 127.0.0.1 and a free port, with its own data directory.
class KizunaProcess {
 public:
  // REQUIRES: KIZUNA_BINARY names the built binary (set by CMake).
  explicit KizunaProcess(std::vector<std::pair<std::string, std::string>> env = {});
  ~KizunaProcess();

  void Start();
  // SIGTERM and wait; returns the exit status.
  int Stop();
  void Kill();
  bool Running();
  unsigned short port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }

  // Runs `kizuna --data DIR <args>` with `input` on stdin.
  CliResult Cli(const std::vector<std::string>& args, const std::string& input = "") const;

  // Creates a workspace with an admin agent and an admin API token; returns the token.
  std::string CreateWorkspaceWithToken(const std::string& name, const std::string& admin_email,
                                       const std::string& scopes = "admin") const;

 private:
  std::vector<std::pair<std::string, std::string>> env_;
  std::string data_dir_;
  int pid_ = -1;
  unsigned short port_ = 0;
};

class Client {
 public:
  explicit Client(unsigned short port) : port_(port) {}

  void set_token(std::string token) { token_ = std::move(token); }
  const std::string& token() const { return token_; }
  void set_cookie(std::string cookie) { cookie_ = std::move(cookie); }
  void set_csrf(std::string csrf) { csrf_ = std::move(csrf); }

  HttpResult Request(const std::string& method, const std::string& target, const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {}) const;
  HttpResult Get(const std::string& target) const { return Request("GET", target); }
  HttpResult Post(const std::string& target, const nlohmann::json& body,
                  const std::map<std::string, std::string>& headers = {}) const {
    return Request("POST", target, body.dump(), headers);
  }
  HttpResult Patch(const std::string& target, const nlohmann::json& body,
                   const std::map<std::string, std::string>& headers = {}) const {
    return Request("PATCH", target, body.dump(), headers);
  }
  // Signs in and keeps the session cookie and CSRF token.
  HttpResult SignIn(const std::string& workspace, const std::string& email, const std::string& password);

 private:
  unsigned short port_;
  std::string token_;
  std::string cookie_;
  std::string csrf_;
};

// Sends raw bytes, half-closes unless `keep_open`, and returns whatever comes back
// until the server closes or `timeout` passes.
std::string RawExchange(unsigned short port, const std::string& bytes,
                        std::chrono::milliseconds timeout = std::chrono::milliseconds(3000), bool keep_open = false);
// The status code of the first HTTP response in `raw`, or 0.
int StatusOf(const std::string& raw);

class StreamClient {
 public:
  StreamClient();
  ~StreamClient();
  // Opens /api/v1/stream with the given headers. False when the upgrade is refused.
  bool Connect(unsigned short port, const std::map<std::string, std::string>& headers, int* refused_status = nullptr,
               const std::string& target = "/api/v1/stream");
  // Sends one text message. False when the stream is gone.
  bool Send(const std::string& text);
  // The next text message within `timeout`, or nullopt.
  std::optional<std::string> Next(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace kizuna::testing
