// Integration harness: the real kizuna binary on a loopback port, an HTTP client,
// raw TCP exchanges and a WebSocket client.
//
// Backends: by default each KizunaProcess keeps its data in an SQLite file in its data
// directory. When the environment variable KIZUNA_TEST_PG names a file holding a PostgreSQL
// admin URL (written by scripts/pg-cluster.sh; CTest sets it for the `postgresql.*` tests),
// each KizunaProcess gets a fresh database of its own on that cluster instead, passed to
// `kizuna serve` and to Cli() runs as KIZUNA_DATABASE_URL, and dropped by its destructor.
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
  std::string err;
};

// One `kizuna serve` process on 127.0.0.1 and a free port, with its own data directory
// and its own database (see the top of this file).
class KizunaProcess {
 public:
  // REQUIRES: KIZUNA_BINARY names the built binary (set by CMake).
  // Throws when KIZUNA_TEST_PG is set but its database cannot be created.
  explicit KizunaProcess(std::vector<std::pair<std::string, std::string>> env = {});
  ~KizunaProcess();
  KizunaProcess(const KizunaProcess&) = delete;
  KizunaProcess& operator=(const KizunaProcess&) = delete;

  void Start();
  // SIGTERM and wait; returns the exit status.
  int Stop();
  void Kill();
  bool Running();
  unsigned short port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }

  // True when this server's database is on PostgreSQL (KIZUNA_TEST_PG is set).
  bool UsesPostgres() const { return !database_url_.empty(); }
  // postgresql://… of this server's own database; empty on SQLite, where the database is
  // the file data_dir()/kizuna.db.
  std::string DatabaseUrl() const { return database_url_; }

  // Runs `kizuna --data DIR <args>` with `input` on stdin.
  CliResult Cli(const std::vector<std::string>& args, const std::string& input = "") const;

  // Creates a workspace with an admin agent and an admin API token; returns the token.
  std::string CreateWorkspaceWithToken(const std::string& name, const std::string& admin_email,
                                       const std::string& scopes = "admin") const;

 private:
  std::vector<std::pair<std::string, std::string>> env_;
  std::string data_dir_;
  std::string admin_url_;     // PostgreSQL: the cluster's admin URL
  std::string database_name_; // PostgreSQL: this server's database
  std::string database_url_;  // PostgreSQL: postgresql://…/database_name_
  int pid_ = -1;
  unsigned short port_ = 0;
};

// Runs one SQL statement on the server's database, behind its back: through sqlite3 on
// SQLite, through `psql` on PostgreSQL. Returns the result rows, each column as text (NULL
// reads as ""). Throws std::runtime_error on any error. Keep the SQL portable (no
// SQLite-only functions) and put values in as literals: integers, or SqlString(...).
// Values must not contain the control characters 0x1E and 0x1F (psql's separators here).
std::vector<std::vector<std::string>> QueryRows(const KizunaProcess& server, const std::string& sql);

// `text` as an SQL string literal, valid on SQLite and PostgreSQL: 'it''s'.
std::string SqlString(const std::string& text);

// Another connection holding the write lock on the server's whole database until it is
// destroyed, as another process busy with a long write would: on SQLite an open
// BEGIN IMMEDIATE transaction; on PostgreSQL a transaction holding every table in EXCLUSIVE
// mode (reads pass, writes and SELECT … FOR UPDATE wait). The PostgreSQL session gives up
// the lock by itself after 30 s idle, so a server that waits forever fails the test
// instead of hanging it.
class DatabaseWriteLock {
 public:
  explicit DatabaseWriteLock(const KizunaProcess& server);
  ~DatabaseWriteLock() { Release(); }
  DatabaseWriteLock(const DatabaseWriteLock&) = delete;
  DatabaseWriteLock& operator=(const DatabaseWriteLock&) = delete;
  // Rolls back and closes the connection; does nothing the second time.
  void Release();

 private:
  void* sqlite_ = nullptr;  // sqlite3*
  int psql_pid_ = -1;
  int psql_stdin_ = -1;
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
