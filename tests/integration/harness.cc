#include <utility>

#include "harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace kizuna::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

std::string MakeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "kizuna-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

// Runs argv with `input` on stdin; returns exit code and stdout.
CliResult RunProcess(const std::vector<std::string>& argv, const std::string& input,
                     const std::vector<std::pair<std::string, std::string>>& env) {
  int in_pipe[2], out_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    close(in_pipe[1]);
    close(out_pipe[0]);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  if (!input.empty()) {
    ssize_t written = write(in_pipe[1], input.data(), input.size());
    (void)written;
  }
  close(in_pipe[1]);
  CliResult result;
  char buf[4096];
  for (ssize_t n; (n = read(out_pipe[0], buf, sizeof buf)) > 0;) result.out.append(buf, static_cast<std::size_t>(n));
  close(out_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace

nlohmann::json HttpResult::Json() const {
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  return parsed;
}

std::string HttpResult::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

KizunaProcess::KizunaProcess(std::vector<std::pair<std::string, std::string>> env) : env_(std::move(env)) {
  env_.emplace_back("KIZUNA_AUTH_PASSWORD_COST", "minimum");
  data_dir_ = MakeTempDir();
}

KizunaProcess::~KizunaProcess() {
  if (pid_ > 0) Kill();
  std::error_code ec;
  std::filesystem::remove_all(data_dir_, ec);
}

void KizunaProcess::Start() {
  int out_pipe[2];
  if (pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out_pipe[1], 1);
    int log = open((data_dir_ + "/server.log").c_str(), O_CREAT | O_WRONLY | O_APPEND, 0644);
    dup2(log, 2);
    close(out_pipe[0]);
    for (const auto& [k, v] : env_) setenv(k.c_str(), v.c_str(), 1);
    execl(KIZUNA_BINARY, KIZUNA_BINARY, "--data", data_dir_.c_str(), "serve", "--listen", "127.0.0.1:0",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out_pipe[1]);
  std::string out;
  char buf[512];
  const std::string marker = "Kizuna is serving http://127.0.0.1:";
  while (out.find('\n', out.find(marker) == std::string::npos ? out.size() : out.find(marker)) == std::string::npos) {
    ssize_t n = read(out_pipe[0], buf, sizeof buf);
    if (n <= 0) throw std::runtime_error("kizuna exited before serving; see " + data_dir_ + "/server.log");
    out.append(buf, static_cast<std::size_t>(n));
  }
  close(out_pipe[0]);
  auto at = out.find(marker) + marker.size();
  port_ = static_cast<unsigned short>(std::stoi(out.substr(at)));
}

int KizunaProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void KizunaProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

bool KizunaProcess::Running() {
  if (pid_ <= 0) return false;
  int status = 0;
  return waitpid(pid_, &status, WNOHANG) == 0;
}

CliResult KizunaProcess::Cli(const std::vector<std::string>& args, const std::string& input) const {
  std::vector<std::string> argv = {KIZUNA_BINARY, "--data", data_dir_};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, input, env_);
}

std::string KizunaProcess::CreateWorkspaceWithToken(const std::string& name, const std::string& admin_email,
                                                    const std::string& scopes) const {
  auto ws = Cli({"workspace", "create", "--name", name});
  if (ws.exit_code != 0) throw std::runtime_error("workspace create failed: " + ws.out);
  auto agent = Cli({"agent", "create", "--workspace", name, "--email", admin_email, "--role", "admin",
                    "--password-stdin"},
                   "correct-horse-battery\n");
  if (agent.exit_code != 0) throw std::runtime_error("agent create failed: " + agent.out);
  auto token = Cli({"token", "create", "--workspace", name, "--agent", admin_email, "--scopes", scopes});
  if (token.exit_code != 0) throw std::runtime_error("token create failed: " + token.out);
  std::string secret = token.out;
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  return secret;
}

HttpResult Client::Request(const std::string& method, const std::string& target, const std::string& body,
                           const std::map<std::string, std::string>& headers) const {
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
  if (!token_.empty()) req.set(http::field::authorization, "Bearer " + token_);
  if (!cookie_.empty()) req.set(http::field::cookie, cookie_);
  if (!csrf_.empty()) req.set("X-CSRF-Token", csrf_);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  req.keep_alive(false);
  http::write(socket, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (method == "HEAD") parser.skip(true);
  http::read(socket, buffer, parser);
  HttpResult result;
  auto& res = parser.get();
  result.status = res.result_int();
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    result.headers[name] = std::string(field.value());
  }
  result.body = res.body();
  beast::error_code ec;
  socket.shutdown(tcp::socket::shutdown_both, ec);
  return result;
}

HttpResult Client::SignIn(const std::string& workspace, const std::string& email, const std::string& password) {
  HttpResult result =
      Post("/api/v1/auth/sign-in", nlohmann::json{{"workspace", workspace}, {"email", email}, {"password", password}});
  std::string set_cookie = result.Header("set-cookie");
  if (result.status == 200) {
    cookie_ = set_cookie.substr(0, set_cookie.find(';'));
    csrf_ = result.Json().value("csrf_token", "");
  }
  return result;
}

std::string RawExchange(unsigned short port, const std::string& bytes, std::chrono::milliseconds timeout,
                        bool keep_open) {
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  boost::system::error_code ec;
  asio::write(socket, asio::buffer(bytes), ec);
  if (!keep_open) socket.shutdown(tcp::socket::shutdown_send, ec);
  std::string out;
  std::array<char, 4096> buf;
  std::function<void()> read_more = [&] {
    socket.async_read_some(asio::buffer(buf), [&](boost::system::error_code rec, std::size_t n) {
      out.append(buf.data(), n);
      if (!rec) read_more();
    });
  };
  read_more();
  ioc.run_for(timeout);
  return out;
}

int StatusOf(const std::string& raw) {
  if (raw.size() < 12 || raw.compare(0, 5, "HTTP/") != 0) return 0;
  return std::atoi(raw.c_str() + 9);
}

struct StreamClient::Impl {
  asio::io_context ioc;
  websocket::stream<tcp::socket> ws{ioc};
  beast::flat_buffer buffer;
  bool reading = false;
  bool done = false;
  bool failed = false;
};

StreamClient::StreamClient() : impl_(new Impl) {}
StreamClient::~StreamClient() {
  boost::system::error_code ec;
  impl_->ws.next_layer().close(ec);
  delete impl_;
}

bool StreamClient::Connect(unsigned short port, const std::map<std::string, std::string>& headers,
                           int* refused_status, const std::string& target) {
  impl_->ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  impl_->ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
    for (const auto& [k, v] : headers) req.set(k, v);
  }));
  websocket::response_type response;
  boost::system::error_code ec;
  impl_->ws.handshake(response, "127.0.0.1:" + std::to_string(port), target, ec);
  if (ec) {
    if (refused_status) *refused_status = response.result_int();
    return false;
  }
  return true;
}

bool StreamClient::Send(const std::string& text) {
  boost::system::error_code ec;
  impl_->ws.text(true);
  impl_->ws.write(asio::buffer(text), ec);
  return !ec;
}

std::optional<std::string> StreamClient::Next(std::chrono::milliseconds timeout) {
  if (impl_->failed) return std::nullopt;
  if (!impl_->reading) {
    impl_->reading = true;
    impl_->done = false;
    impl_->ws.async_read(impl_->buffer, [this](boost::system::error_code ec, std::size_t) {
      impl_->done = true;
      if (ec) impl_->failed = true;
    });
  }
  impl_->ioc.restart();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!impl_->done && std::chrono::steady_clock::now() < deadline) {
    impl_->ioc.run_one_for(deadline - std::chrono::steady_clock::now());
  }
  if (!impl_->done || impl_->failed) return std::nullopt;
  impl_->reading = false;
  std::string message = beast::buffers_to_string(impl_->buffer.data());
  impl_->buffer.consume(impl_->buffer.size());
  return message;
}

}  // namespace kizuna::testing
