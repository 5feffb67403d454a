// The PostgreSQL driver of the store's SQL seam (sql/sql_conn.h): one libpq connection with
// a cache of prepared statements, and LISTEN/NOTIFY for news across nodes. libpq-fe.h stays
// in pg_conn.cc; only the PostgreSQL adapter includes this header.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "adapters/storage/sql/sql_conn.h"

// libpq's handles, as libpq-fe.h declares them.
typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace kizuna::storage {

class PgConn;
class PgPipeline;
class PgStmt;

// A statement one thread asks a PgPipeline to run for it: the PgStmt with its bound
// parameters, and what came back.
struct PgAsk {
  PgStmt* stmt = nullptr;
  std::string signature;  // the bound parameters' type list (PgStmt::Signature)
  std::vector<unsigned> types;
  std::vector<const char*> values;  // into stmt's parameters, which live while the thread waits
  PGresult* result = nullptr;       // its rows (the asker PQclear()s it), or
  std::optional<Error> error;       // its failure
  bool again = false;               // not run, for an earlier statement's failure: ask again
  bool answered = false;            // (PgPipeline's, under its mutex)
};

// One SQL text of a PgConn, owned by its cache. The SQL is translated once (`?` -> `$n`,
// pg_sql.h); the server-side prepare waits for the first Step, because PostgreSQL wants the
// parameter types: an int is sent as int8, text as text, a NULL as unknown (the server infers
// its type from where it stands). Each distinct list of types gets its own server-side
// statement ("k1", "k2", … per connection), prepared once and reused.
//
// Parameters and results travel in text format. The whole result is fetched by the first
// Step, so the connection is free for other statements while rows are read; keep results
// small (LIMIT). A parameter left unbound is NULL, as in SQLite.
class PgStmt final : public SqlStmt {
 public:
  PgStmt(PgConn& conn, std::string sql);
  ~PgStmt() override;
  PgStmt(const PgStmt&) = delete;
  PgStmt& operator=(const PgStmt&) = delete;

  void BindInt(int index, std::int64_t value) override;
  void BindText(int index, std::string_view value) override;
  void BindNull(int index) override;
  // The first call runs the statement; errors are kept for error(). See SqlStmt.
  bool Step() override;
  // Queued on the connection (PgConn::Defer): prepared if need be and executed with the next
  // statement, Exec or Flush, in the same pipeline.
  Status ExecLater() override;
  Status InsertIdLater(std::function<void(std::int64_t)> on_id) override;
  const Status& error() const override { return status_; }
  std::int64_t Changes() const override { return changes_; }
  // Columns of the current row. Int() reads PostgreSQL's booleans as 1/0 and gives 0 for
  // NULL or non-numbers; Text() gives "" for NULL. Out-of-range columns read as NULL.
  std::int64_t Int(int col) override;
  bool IsNull(int col) override;
  std::string Text(int col) override;
  void Reset() override;

 private:
  friend class PgConn;
  enum class ParamType : char { kNull = 'n', kInt = 'i', kText = 't' };
  struct Param {
    ParamType type = ParamType::kNull;
    std::string value;
  };

  // The slot for binding position `index` (from 1), or nullptr (and a recorded error) when
  // the SQL has no such parameter.
  Param* Slot(int index);
  // Prepares (once per type list) and executes with the bound parameters.
  Status Run();
  // Run() on a Via() connection: asks its pipeline.
  Status RunVia();
  // Takes the rows and row count of result_, or gives its failure.
  Status Took();
  // The bound parameters' type list ("it n…", see ParamType), types and values for libpq.
  std::string Signature(std::vector<unsigned>& types, std::vector<const char*>& values) const;
  // The current row's field, or nullptr when there is no such row or column.
  const char* Field(int col) const;

  PgConn& conn_;
  const std::string sql_;  // as the store wrote it, for error messages
  std::string translated_;
  std::vector<Param> params_;
  std::optional<Error> bind_error_;  // a binding the SQL cannot take; reported by the next Step
  std::unordered_map<std::string, std::string> prepared_;  // type list ("int") -> server-side name
  PGresult* result_ = nullptr;
  bool ran_ = false;
  int row_ = 0;
  int rows_ = 0;
  int cols_ = 0;
  std::int64_t changes_ = 0;
  Status status_ = Ok();
};

// One connection to PostgreSQL. Not thread-safe: one thread uses it at a time (the store's
// pool hands it out); a listener thread owns its own PgConn.
//
// Reconnecting: server-side prepared statements live and die with the server session, and
// PgStmt pointers handed out by Prepare() live as long as the PgConn. When Broken() turns
// true, the store throws the whole PgConn away (with every cached statement) and opens a new
// one with Open(); there is no reconnect in place.
class PgConn final : public SqlConn {
 public:
  // A connection with no server of its own: its statements run on `pipeline`'s, with other
  // threads' (a quick read by key). Only statements: Exec, ExecLater, LISTEN are refused.
  static std::unique_ptr<PgConn> Via(PgPipeline& pipeline) {
    auto conn = std::unique_ptr<PgConn>(new PgConn(nullptr));
    conn->via_ = &pipeline;
    return conn;
  }
  // Connects to `url` (postgresql://user:password@host:port/dbname?… or key=value form),
  // with application_name=kizuna (the URL may name another) and client_encoding=UTF8, and
  // a 10 s connect timeout unless the URL sets connect_timeout.
  // Errors: InvalidArgument (field "url") for a URL libpq cannot parse; Unavailable when the
  // server cannot be reached or refuses us. Messages name the host, port, database and user,
  // never the password. Never throws.
  static Result<std::unique_ptr<PgConn>> Open(const std::string& url);
  ~PgConn() override;
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }
  // The cached statement for `sql` (translated on first use). Nothing is sent to the server
  // here, so a syntax error surfaces at the first Step; fails only when Broken().
  Result<SqlStmt*> Prepare(const std::string& sql) override;
  using SqlConn::Prepare;
  Status Usable() const override;
  // Runs one or more statements without parameters (BEGIN, COMMIT, SAVEPOINT, migrations).
  // Several statements in one call run in one implicit transaction unless they say otherwise.
  Status Exec(std::string_view sql) override;
  Status ExecLater(std::string_view sql) override {
    if (via_) return Error::Internal("a connection through a pipeline runs prepared statements only");
    Defer(std::string(sql));
    return Ok();
  }
  // Sends what waits (Defer, PgStmt::ExecLater) and gives the first failure among it.
  Status Flush() override;

  // Round trips saved. Defer(): a parameterless command whose answer nobody waits for
  // (BEGIN, SAVEPOINT, RELEASE) goes out with the next statement or Exec, in one pipeline;
  // a failure of it fails that statement. Statements queued by PgStmt::ExecLater wait the
  // same way. SendWithoutWaiting(): goes out now and its answer is read (and dropped)
  // before the next command (a read-only transaction's COMMIT).
  void Defer(std::string sql) {
    Deferred command;
    command.sql = std::move(sql);
    deferred_.push_back(std::move(command));
  }
  void SendWithoutWaiting(const std::string& sql);
  // True while statements queued by ExecLater wait to be sent: what they did is not known yet.
  bool has_unchecked() const { return unchecked_ > 0; }
  // Forgets the statements ExecLater queued and that were not sent yet (the caller rolls
  // back what they belong to); the commands queued by Defer stay.
  void DropUnchecked();

  // True when the connection is lost: the store should replace this PgConn (see above).
  // A Via() connection is never lost; its pipeline replaces the connection it runs on.
  bool Broken() const;

  // Runs `asks` (at most kMaxAsks) in one pipeline with one sync: one round trip. Each ask
  // gets its result or its error; the ones after a failure are not run (`again`). Statements
  // are prepared on this connection once per SQL and type list.
  static constexpr std::size_t kMaxAsks = 64;
  void RunAsks(const std::vector<PgAsk*>& asks);
  // Statements run so far (each statement's Step that sends it, and each Exec).
  std::int64_t statements_run() const { return statements_run_; }

  // LISTEN on `channel` (quoted as an identifier, so any text is safe).
  Status Listen(std::string_view channel);
  // Notifications received so far, as (channel, payload), oldest first. Reads what the socket
  // has without blocking; poll() Socket() for POLLIN to wait for more.
  std::vector<std::pair<std::string, std::string>> TakeNotifications();
  // The connection's socket for poll(), or -1 when there is none.
  int Socket() const;

 private:
  friend class PgStmt;
  explicit PgConn(PGconn* conn) : conn_(conn) {}

  // The error of a failed command: Unavailable when the connection is lost, else by SQLSTATE
  // (PgErrorCode), with the server's message and the first 60 characters of `sql`.
  Error CommandError(const PGresult* result, std::string_view sql) const;
  // A fresh name for a server-side prepared statement.
  std::string NextStatementName() { return "k" + std::to_string(++statements_); }

  // A command (Defer) or a statement's execution (PgStmt::ExecLater) waiting to be sent.
  struct Deferred {
    std::string sql;                      // the command; for a statement, its SQL when it must be prepared first
    std::string name;                     // the statement's server-side name; empty for a command
    PgStmt* owner = nullptr;              // the statement, to forget a prepare that failed
    std::string signature;                // its type list
    std::vector<unsigned> types;          // its parameter types and values (nullopt: NULL)
    std::vector<std::optional<std::string>> values;
    std::function<void(std::int64_t)> on_id;  // InsertIdLater's
    bool statement() const { return !name.empty(); }
    bool prepare() const { return statement() && !sql.empty(); }
  };

  // Reads the answers of commands sent without waiting.
  Status Drain();
  // Sends the deferred commands, then the `extra` commands queued by `send` (false: sending
  // failed), and a sync, in one round trip. Returns the first failure of a deferred command,
  // else the results of the extra commands in order (the caller PQclear()s them; a null one
  // means the command gave none).
  Result<std::vector<PGresult*>> Pipeline(int extra, const std::function<bool()>& send);

  PGconn* conn_;
  PgPipeline* via_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<PgStmt>> cache_;
  std::unordered_map<std::string, std::string> asked_prepared_;  // SQL + '\0' + type list -> name (RunAsks)
  int statements_ = 0;
  std::vector<Deferred> deferred_;
  int unchecked_ = 0;  // statements among deferred_
  int unawaited_ = 0;
  std::int64_t statements_run_ = 0;
};

// Quick statements of many threads over one connection (PgStore::ReadByKey). What threads
// ask while one of them waits for the server goes out together, in one pipeline with one
// sync, and PostgreSQL answers it in one go: one round trip and a few system calls on each
// side for many reads, where each took its own. The first thread to ask leads: it sends what
// waits, reads the answers and hands them out; the others wait for theirs or lead the next
// batch. A slow statement would hold up every one behind it: only quick ones come here.
//
// The connection is opened at the first ask and again when it is lost; a batch that finds
// it lost is run once more on a new one (reads are safe to repeat).
class PgPipeline {
 public:
  using Opener = std::function<Result<std::unique_ptr<PgConn>>()>;
  explicit PgPipeline(Opener open) : open_(std::move(open)) {}
  PgPipeline(const PgPipeline&) = delete;
  PgPipeline& operator=(const PgPipeline&) = delete;

  // Runs `ask` with what other threads ask meanwhile; fills its result or error. Blocks.
  void Run(PgAsk& ask);

  // Statements asked and batches sent so far (how well asks are gathered).
  std::int64_t asked() const;
  std::int64_t batches() const;
  std::int64_t asked_again() const;

 private:
  void Lead(std::vector<PgAsk*>& batch);

  Opener open_;
  std::unique_ptr<PgConn> db_;  // the leader's only
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<PgAsk*> waiting_;
  bool leading_ = false;
  std::int64_t asked_ = 0;
  std::int64_t batches_ = 0;
  std::int64_t asked_again_ = 0;
};

}  // namespace kizuna::storage
