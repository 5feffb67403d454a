// The seam between the store's SQL (sql_tx.cc and friends, written once) and a database
// driver (SQLite or PostgreSQL). The SQL uses `?` placeholders and the common subset of
// both dialects; a driver translates what it must (PostgreSQL: `$n`, `IS ?`) and the few
// statements that differ ask the connection for its dialect.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"

namespace kizuna::storage {

enum class Dialect { kSqlite, kPostgres };

// One prepared statement of a connection, owned by the connection's cache. Binding
// positions count from 1; columns from 0. Reset() ends one use and clears the bindings.
class SqlStmt {
 public:
  virtual ~SqlStmt() = default;
  virtual void BindInt(int index, std::int64_t value) = 0;
  virtual void BindText(int index, std::string_view value) = 0;
  virtual void BindNull(int index) = 0;
  // BindText of a text that stays as it is until Reset(): a driver may keep a reference.
  virtual void BindTextKept(int index, std::string_view value) { BindText(index, value); }
  // True when a row is available; false when done or failed (see error()).
  virtual bool Step() = 0;
  virtual const Status& error() const = 0;
  // Rows changed by the statement that just ran (INSERT/UPDATE/DELETE).
  virtual std::int64_t Changes() const = 0;
  virtual std::int64_t Int(int col) = 0;
  virtual bool IsNull(int col) = 0;
  virtual std::string Text(int col) = 0;
  virtual void Reset() = 0;
  // Runs the statement for its effect alone (no rows, no Changes()). A driver may queue it
  // and send it with the connection's next statement, in one round trip: its failure is
  // then reported by that statement (or by SqlConn::Flush), and fails whatever the caller
  // is doing. Only for statements whose failure no caller handles on its own (a Conflict to
  // retry, say). Here it simply runs.
  virtual Status ExecLater() {
    while (Step()) {
    }
    return error();
  }
  // ExecLater for an `INSERT … RETURNING id` whose id nobody needs before the write is done:
  // `on_id` gets it when the statement has run (here, at once).
  virtual Status InsertIdLater(std::function<void(std::int64_t)> on_id) {
    if (!Step()) {
      if (!error().ok()) return error();
      return Error::Internal("the insert returned no id");
    }
    const std::int64_t id = Int(0);
    while (Step()) {
    }
    if (!error().ok()) return error();
    on_id(id);
    return Ok();
  }
};

class SqlConn {
 public:
  virtual ~SqlConn() = default;
  virtual Dialect dialect() const = 0;
  // A cached prepared statement for `sql`; use it through a Query. Fails on a syntax
  // error (a bug) or when the database is unreachable.
  virtual Result<SqlStmt*> Prepare(const std::string& sql) = 0;
  // The same for a string literal, found again by its address: no copy or hash of its text
  // on each use (statements run a million times in a re-evaluation). A driver's cached
  // statements live as long as it does.
  template <std::size_t N>
  Result<SqlStmt*> Prepare(const char (&sql)[N]) {
    KZ_TRY(Usable());
    if (auto it = literals_.find(sql); it != literals_.end()) return it->second;
    KZ_ASSIGN(SqlStmt * stmt, Prepare(std::string(sql, N - 1)));
    literals_.emplace(sql, stmt);
    return stmt;
  }
  // What Prepare would fail with before looking at the text (a lost connection).
  virtual Status Usable() const { return Ok(); }
  // Runs one or more statements without parameters or results.
  virtual Status Exec(std::string_view sql) = 0;
  // One command without parameters whose answer nobody waits for (SAVEPOINT, RELEASE): a
  // driver may send it with the next statement, in one round trip, and report its failure
  // there. Here it simply runs.
  virtual Status ExecLater(std::string_view sql) { return Exec(sql); }
  // Runs the statements ExecLater() queued and reports the first failure among them.
  virtual Status Flush() { return Ok(); }

 private:
  std::unordered_map<const char*, SqlStmt*> literals_;
};

// One use of a prepared statement: bind, step, read columns; resets it on destruction.
class Query {
 public:
  explicit Query(SqlStmt* stmt) : stmt_(stmt) {}
  ~Query() { stmt_->Reset(); }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& Bind(std::int64_t value) {
    stmt_->BindInt(++bind_idx_, value);
    return *this;
  }
  Query& Bind(int value) { return Bind(static_cast<std::int64_t>(value)); }
  Query& Bind(std::string_view value) {
    stmt_->BindText(++bind_idx_, value);
    return *this;
  }
  Query& Bind(const std::string& value) { return Bind(std::string_view(value)); }
  Query& Bind(const char* value) { return Bind(std::string_view(value)); }
  template <typename T>
  Query& Bind(const std::optional<T>& value) {
    if (value) return Bind(*value);
    stmt_->BindNull(++bind_idx_);
    return *this;
  }

  // A text (or NULL) the caller keeps unchanged until this query ends: bound without a copy
  // where the driver can.
  Query& BindKept(const std::optional<std::string>& value) {
    if (value) stmt_->BindTextKept(++bind_idx_, *value);
    else stmt_->BindNull(++bind_idx_);
    return *this;
  }

  // True when a row is available; false when done. Errors are kept for status().
  bool Step() { return stmt_->Step(); }
  Status status() const { return stmt_->error(); }
  // Runs to completion expecting no rows (INSERT/UPDATE/DELETE).
  Status Exec() {
    while (Step()) {
    }
    return status();
  }
  // Exec whose failure may be reported later, with the next statement (SqlStmt::ExecLater).
  Status ExecLater() { return stmt_->ExecLater(); }
  Status InsertIdLater(std::function<void(std::int64_t)> on_id) { return stmt_->InsertIdLater(std::move(on_id)); }
  // Runs an `INSERT … RETURNING id` and gives the id.
  Result<std::int64_t> InsertId() {
    if (!Step()) {
      KZ_TRY(status());
      return Error::Internal("the insert returned no id");
    }
    std::int64_t id = Int(0);
    while (Step()) {
    }
    KZ_TRY(status());
    return id;
  }
  std::int64_t Changes() const { return stmt_->Changes(); }

  std::int64_t Int(int col) { return stmt_->Int(col); }
  std::optional<std::int64_t> OptInt(int col) {
    if (stmt_->IsNull(col)) return std::nullopt;
    return stmt_->Int(col);
  }
  std::string Text(int col) { return stmt_->Text(col); }
  bool IsNull(int col) { return stmt_->IsNull(col); }

 private:
  SqlStmt* stmt_;
  int bind_idx_ = 0;
};

}  // namespace kizuna::storage
