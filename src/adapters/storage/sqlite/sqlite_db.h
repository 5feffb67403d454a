// The SQLite driver of the store's SQL seam: one sqlite3 connection with a cache of
// prepared statements. Only the SQLite adapter includes this header.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "adapters/storage/sql/sql_conn.h"

namespace kizuna::storage {

// A prepared statement; Reset() makes it ready for its next use.
//
// `INSERT … RETURNING id` is run as the plain INSERT and answers one row holding
// sqlite3_last_insert_rowid(): SQLite runs a RETURNING statement with a statement journal,
// whose savepoint costs grow with the database inside the store's per-write savepoints
// (seeding slowed twentyfold by a million tickets).
class SqliteStmt final : public SqlStmt {
 public:
  SqliteStmt(sqlite3* db, sqlite3_stmt* stmt, bool returns_rowid = false)
      : db_(db), stmt_(stmt), returns_rowid_(returns_rowid) {}
  ~SqliteStmt() override { sqlite3_finalize(stmt_); }
  SqliteStmt(const SqliteStmt&) = delete;
  SqliteStmt& operator=(const SqliteStmt&) = delete;

  void BindInt(int index, std::int64_t value) override { sqlite3_bind_int64(stmt_, index, value); }
  void BindText(int index, std::string_view value) override {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }
  void BindTextKept(int index, std::string_view value) override {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
  }
  void BindNull(int index) override { sqlite3_bind_null(stmt_, index); }
  bool Step() override;
  const Status& error() const override { return status_; }
  std::int64_t Changes() const override { return sqlite3_changes(db_); }
  std::int64_t Int(int col) override {
    if (returns_rowid_) return rowid_row_ && col == 0 ? sqlite3_last_insert_rowid(db_) : 0;
    return sqlite3_column_int64(stmt_, col);
  }
  bool IsNull(int col) override {
    if (returns_rowid_) return !rowid_row_ || col != 0;
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
  }
  std::string Text(int col) override {
    if (returns_rowid_) return IsNull(col) ? std::string() : std::to_string(Int(col));
    const auto* text = sqlite3_column_text(stmt_, col);
    if (!text) return {};
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
  }
  void Reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    status_ = Ok();
    ran_ = rowid_row_ = false;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool returns_rowid_;
  bool ran_ = false;        // returns_rowid_: the INSERT ran
  bool rowid_row_ = false;  // returns_rowid_: positioned on the one row
  Status status_ = Ok();
};

class SqliteDb final : public SqlConn {
 public:
  // What a writing connection leaves of the WAL file once it starts it over.
  static constexpr long long kWalSizeLimit = 64LL << 20;
  // Opens (creating if asked) and applies the connection pragmas.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, bool read_only, bool synchronous_full);
  ~SqliteDb() override;
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }
  Result<SqlStmt*> Prepare(const std::string& sql) override;
  using SqlConn::Prepare;
  Status Exec(std::string_view sql) override;

  // After each commit of this connection, `frames` is the number of frames in the WAL.
  // Replaces SQLite's automatic checkpoint: `on_commit` decides (see SqliteStore).
  void OnWalCommit(std::function<void(int frames)> on_commit);
  // Copies what it can of the WAL into the database without waiting for readers or the
  // writer (SQLITE_CHECKPOINT_PASSIVE), and syncs the database file.
  Status CheckpointPassive();

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<SqliteStmt>> cache_;
  std::function<void(int)> on_wal_commit_;
};

// Maps an SQLite result code to our error codes (busy/IO -> Unavailable, constraint -> Conflict).
Error SqliteError(sqlite3* db, int rc, std::string_view context);

}  // namespace kizuna::storage
