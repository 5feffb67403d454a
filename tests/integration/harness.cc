#include <utility>

#include "harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
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

constexpr const char* kDatabaseUrlVariable = "KIZUNA_DATABASE_URL";

// In a child, before exec: the environment of a test server or CLI run. A
// KIZUNA_DATABASE_URL inherited from the developer's shell must not send a SQLite run to
// some other database; `env` sets it again for PostgreSQL runs.
void ApplyChildEnv(const std::vector<std::pair<std::string, std::string>>& env) {
  unsetenv(kDatabaseUrlVariable);
  for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
}

// Runs argv with `input` on stdin; returns exit code and stdout. With `err`, stderr is
// captured into it too (else it goes to the test's stderr).
CliResult RunProcess(const std::vector<std::string>& argv, const std::string& input,
                     const std::vector<std::pair<std::string, std::string>>& env, std::string* err = nullptr) {
  int in_pipe[2], out_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
  int err_fd = -1;
  std::string err_path;
  if (err) {
    err_path = (std::filesystem::temp_directory_path() / "kizuna-test-stderr-XXXXXX").string();
    err_fd = mkstemp(err_path.data());
    if (err_fd < 0) throw std::runtime_error("mkstemp failed");
    unlink(err_path.c_str());
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    if (err_fd >= 0) dup2(err_fd, 2);
    close(in_pipe[1]);
    close(out_pipe[0]);
    ApplyChildEnv(env);
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
  if (err) {
    err->clear();
    lseek(err_fd, 0, SEEK_SET);
    for (ssize_t n; (n = read(err_fd, buf, sizeof buf)) > 0;) err->append(buf, static_cast<std::size_t>(n));
    close(err_fd);
  }
  return result;
}

// ---- PostgreSQL ----

// psql from the PostgreSQL 15 packages; the direct binary skips Debian's Perl wrapper.
const std::string& PsqlPath() {
  static const std::string path = [] {
    for (const char* candidate : {"/usr/lib/postgresql/15/bin/psql", "/usr/bin/psql"}) {
      if (access(candidate, X_OK) == 0) return std::string(candidate);
    }
    throw std::runtime_error("psql not found (install postgresql-15: scripts/install-deps.sh)");
  }();
  return path;
}

// The environment of a psql run: connection settings come from the URL alone.
std::vector<std::pair<std::string, std::string>> PsqlEnv() {
  return {{"PGCONNECT_TIMEOUT", "10"}, {"PGAPPNAME", "kizuna-tests"}, {"PGOPTIONS", ""}};
}

// Runs one SQL command through psql; returns its output (rows separated by `\x1e`,
// columns by `\x1f`, a newline at the end). Throws with psql's message on failure.
std::string RunPsql(const std::string& url, const std::string& sql) {
  std::string err;
  CliResult r = RunProcess({PsqlPath(), "-X", "-q", "-A", "-t", "-F", "\x1f", "-R", "\x1e", "-v", "ON_ERROR_STOP=1",
                            "-d", url, "-c", sql},
                           "", PsqlEnv(), &err);
  if (r.exit_code != 0) {
    throw std::runtime_error("psql failed (exit " + std::to_string(r.exit_code) + ") on " + url + ": " + sql +
                             "\n" + err);
  }
  return r.out;
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

// The admin URL of the test cluster, when KIZUNA_TEST_PG names its file; else empty.
std::string TestClusterUrl() {
  const char* file = std::getenv("KIZUNA_TEST_PG");
  if (!file || !*file) return "";
  std::ifstream in(file);
  if (!in) {
    throw std::runtime_error(std::string("KIZUNA_TEST_PG names ") + file +
                             ", which cannot be read: is the test cluster running (scripts/pg-cluster.sh start)?");
  }
  std::stringstream content;
  content << in.rdbuf();
  std::string url = Trim(content.str());
  if (url.rfind("postgresql://", 0) != 0 && url.rfind("postgres://", 0) != 0) {
    throw std::runtime_error(std::string("KIZUNA_TEST_PG: ") + file + " holds no postgresql:// URL");
  }
  return url;
}

// `admin_url` with its database replaced by `name`.
std::string WithDatabase(const std::string& admin_url, const std::string& name) {
  auto authority = admin_url.find("://") + 3;
  auto query = admin_url.find('?', authority);
  std::string base = admin_url.substr(0, query);
  std::string params = query == std::string::npos ? "" : admin_url.substr(query);
  auto slash = base.find('/', authority);
  if (slash != std::string::npos) base.resize(slash);
  return base + "/" + name + params;
}

// A database name no other test process picks, now or in an earlier run.
std::string UniqueDatabaseName() {
  static std::atomic<unsigned> counter{0};
  static const unsigned salt = std::random_device{}();
  std::mt19937 random(salt ^ static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count()));
  char suffix[9];
  std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(random()));
  return "kz_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + suffix;
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
  try {
    admin_url_ = TestClusterUrl();
    if (!admin_url_.empty()) {
      std::string name = UniqueDatabaseName();
      RunPsql(admin_url_, "CREATE DATABASE " + name);
      database_name_ = name;
      database_url_ = WithDatabase(admin_url_, name);
      // Ahead of `env`, so that a test setting KIZUNA_DATABASE_URL itself wins.
      env_.insert(env_.begin(), {kDatabaseUrlVariable, database_url_});
    }
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
    throw;
  }
}

KizunaProcess::~KizunaProcess() {
  if (pid_ > 0) Kill();
  if (!database_name_.empty()) {
    try {
      RunPsql(admin_url_, "DROP DATABASE IF EXISTS " + database_name_ + " WITH (FORCE)");
    } catch (const std::exception& e) {
      std::cerr << "note: could not drop the test database: " << e.what() << "\n";
    }
  }
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
    ApplyChildEnv(env_);
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
  std::string err;
  CliResult result = RunProcess(argv, input, env_, &err);
  result.err = std::move(err);
  return result;
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

std::vector<std::vector<std::string>> QueryRows(const KizunaProcess& server, const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  if (server.UsesPostgres()) {
    std::string out = RunPsql(server.DatabaseUrl(), sql);
    if (out.empty()) return rows;  // no rows (or not a query)
    if (out.back() == '\n') out.pop_back();
    std::size_t row_start = 0;
    while (true) {
      auto row_end = out.find('\x1e', row_start);
      std::string line = out.substr(row_start, row_end == std::string::npos ? std::string::npos : row_end - row_start);
      std::vector<std::string> row;
      std::size_t col_start = 0;
      while (true) {
        auto col_end = line.find('\x1f', col_start);
        row.push_back(line.substr(col_start, col_end == std::string::npos ? std::string::npos : col_end - col_start));
        if (col_end == std::string::npos) break;
        col_start = col_end + 1;
      }
      rows.push_back(std::move(row));
      if (row_end == std::string::npos) break;
      row_start = row_end + 1;
    }
    return rows;
  }
  const std::string path = server.data_dir() + "/kizuna.db";
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path + ": " + message);
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0, n = sqlite3_column_count(stmt); i < n; ++i) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        row.emplace_back(text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i))) : "");
      }
      rows.push_back(std::move(row));
    }
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
  }
  std::string message = rc == SQLITE_OK ? "" : sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw std::runtime_error("sqlite3 failed on " + path + ": " + sql + "\n" + message);
  return rows;
}

std::string SqlString(const std::string& text) {
  if (text.find('\0') != std::string::npos) throw std::invalid_argument("SqlString: NUL in text");
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') quoted += '\'';
    quoted += c;
  }
  return quoted + "'";
}

DatabaseWriteLock::DatabaseWriteLock(const KizunaProcess& server) {
  if (!server.UsesPostgres()) {
    const std::string path = server.data_dir() + "/kizuna.db";
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK ||
        sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
      std::string message = db ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close(db);
      throw std::runtime_error("DatabaseWriteLock on " + path + ": " + message);
    }
    sqlite_ = db;
    return;
  }
  // A psql session kept open on its input: it locks, says so, and waits for ROLLBACK. Its
  // input is a socket so that writing to a psql that has gone raises no SIGPIPE.
  int in_pipe[2], out_pipe[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pipe) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("socketpair/pipe failed");
  }
  const std::string url = server.DatabaseUrl();
  const std::string psql = PsqlPath();
  const auto env = PsqlEnv();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    close(in_pipe[1]);
    close(out_pipe[0]);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    execl(psql.c_str(), psql.c_str(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  psql_pid_ = pid;
  psql_stdin_ = in_pipe[1];
  const std::string script =
      "SET lock_timeout = '10s';\n"
      "SET idle_in_transaction_session_timeout = '30s';\n"
      "BEGIN;\n"
      "DO $$ DECLARE t record; BEGIN\n"
      "  FOR t IN SELECT schemaname, tablename FROM pg_tables\n"
      "           WHERE schemaname NOT IN ('pg_catalog', 'information_schema') LOOP\n"
      "    EXECUTE format('LOCK TABLE %I.%I IN EXCLUSIVE MODE', t.schemaname, t.tablename);\n"
      "  END LOOP;\n"
      "END $$;\n"
      "SELECT 'locked';\n";
  ssize_t written = send(psql_stdin_, script.data(), script.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[256];
  while (written == static_cast<ssize_t>(script.size()) && out.find("locked\n") == std::string::npos) {
    ssize_t n = read(out_pipe[0], buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  close(out_pipe[0]);
  if (out.find("locked\n") == std::string::npos) {
    Release();
    throw std::runtime_error("DatabaseWriteLock: psql could not lock " + url + " (its error is above)");
  }
}

void DatabaseWriteLock::Release() {
  if (sqlite_) {
    auto* db = static_cast<sqlite3*>(sqlite_);
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    sqlite_ = nullptr;
  }
  if (psql_pid_ > 0) {
    const std::string rollback = "ROLLBACK;\n";
    ssize_t written = send(psql_stdin_, rollback.data(), rollback.size(), MSG_NOSIGNAL);
    (void)written;
    close(psql_stdin_);  // psql ends at the end of its input
    int status = 0;
    waitpid(psql_pid_, &status, 0);
    psql_pid_ = -1;
    psql_stdin_ = -1;
  }
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
