// A thin RAII layer over one sqlite3 connection with a prepared-statement cache.
// Only the SQLite adapter includes this header.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"

namespace kizuna::storage {

// A prepared statement that resets itself when the Binder/Step sequence ends.
class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  sqlite3_stmt* get() { return stmt_; }

 private:
  sqlite3_stmt* stmt_;
};

// One use of a cached statement: bind, step, read columns; resets on destruction.
class Query {
 public:
  Query(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Query() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& Bind(std::int64_t value) {
    sqlite3_bind_int64(stmt_, ++bind_idx_, value);
    return *this;
  }
  Query& Bind(int value) { return Bind(static_cast<std::int64_t>(value)); }
  Query& Bind(std::string_view value) {
    sqlite3_bind_text(stmt_, ++bind_idx_, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Query& Bind(const std::string& value) { return Bind(std::string_view(value)); }
  Query& Bind(const char* value) { return Bind(std::string_view(value)); }
  template <typename T>
  Query& Bind(const std::optional<T>& value) {
    if (value) return Bind(*value);
    sqlite3_bind_null(stmt_, ++bind_idx_);
    return *this;
  }

  // True when a row is available; false when done. Errors become Result errors via status().
  bool Step();
  // The error of the last Step, if any.
  Status status() const { return status_; }
  // Runs to completion expecting no rows (INSERT/UPDATE/DELETE).
  Status Exec();

  std::int64_t Int(int col) { return sqlite3_column_int64(stmt_, col); }
  std::optional<std::int64_t> OptInt(int col) {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return Int(col);
  }
  std::string Text(int col) {
    const auto* text = sqlite3_column_text(stmt_, col);
    if (!text) return {};
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int bind_idx_ = 0;
  Status status_ = Ok();
};

class Db {
 public:
  // Opens (creating if asked) and applies the connection pragmas.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, bool read_only, bool synchronous_full);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // A cached prepared statement for `sql`, owned by the cache; use it through a
  // Query. Fails on a syntax error (a bug).
  Result<sqlite3_stmt*> Prepare(const std::string& sql);
  // Runs one or more statements without results.
  Status Exec(std::string_view sql);
  std::int64_t LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
  int Changes() const { return sqlite3_changes(db_); }
  sqlite3* raw() { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Stmt>> cache_;
};

// Maps an SQLite result code to our error codes (busy/IO -> Unavailable, constraint -> Conflict).
Error SqliteError(sqlite3* db, int rc, std::string_view context);

}  // namespace kizuna::storage
