#include "adapters/storage/sqlite/sqlite_db.h"

namespace kizuna::storage {

Error SqliteError(sqlite3* db, int rc, std::string_view context) {
  std::string message = std::string(context) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT: return Error::Conflict(message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return Error::Unavailable(message);
    default: return Error::Internal(message);
  }
}

bool SqliteStmt::Step() {
  if (returns_rowid_) {
    if (ran_) return rowid_row_ = false;
    ran_ = true;
    int rc = sqlite3_step(stmt_);
    if (rc != SQLITE_DONE) {
      status_ = SqliteError(db_, rc, "step");
      return false;
    }
    return rowid_row_ = true;
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) status_ = SqliteError(db_, rc, "step");
  return false;
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, bool read_only, bool synchronous_full) {
  // SQLite's allocation statistics take a process-wide mutex on every malloc and free, which
  // the writer, the readers and the checkpointer then contend for; Kizuna never reads them.
  static const int kNoMemoryStatistics = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)kNoMemoryStatistics;
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error = SqliteError(raw, rc, "cannot open database " + path);
    sqlite3_close(raw);
    return error;
  }
  std::unique_ptr<SqliteDb> db(new SqliteDb(raw));
  sqlite3_busy_timeout(raw, 5000);
  // Page cache: 64 MiB for the writer, whose inserts walk every index; 16 MiB per reader,
  // which look rows up by key and lean on the OS page cache (server RSS stays bounded).
  std::string pragmas = std::string("PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA cache_size=") +
                        (read_only ? "-16384;" : "-65536;");
  if (!read_only) {
    // The WAL grows while a checkpoint cannot keep up (a long read, a bulk import); once it
    // has been copied back, the next write starts it over and cuts the file to 64 MiB, so a
    // burst does not keep its high-water size on disk for good.
    pragmas += "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=4000; PRAGMA journal_size_limit=" +
               std::to_string(kWalSizeLimit) + ";";
    pragmas += synchronous_full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
  }
  KZ_TRY(db->Exec(pragmas));
  return db;
}

void SqliteDb::OnWalCommit(std::function<void(int frames)> on_commit) {
  on_wal_commit_ = std::move(on_commit);
  sqlite3_wal_hook(
      db_,
      [](void* self, sqlite3*, const char*, int frames) -> int {
        static_cast<SqliteDb*>(self)->on_wal_commit_(frames);
        return SQLITE_OK;
      },
      this);
}

Status SqliteDb::CheckpointPassive() {
  int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) return SqliteError(db_, rc, "checkpoint");
  return Ok();
}

SqliteDb::~SqliteDb() {
  cache_.clear();
  sqlite3_close(db_);
}

Result<SqlStmt*> SqliteDb::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    // See SqliteStmt: an INSERT's RETURNING id is answered from the rowid.
    constexpr std::string_view kReturningId = " RETURNING id";
    const bool returns_rowid = sql.rfind("INSERT", 0) == 0 && sql.size() > kReturningId.size() &&
                               sql.compare(sql.size() - kReturningId.size(), kReturningId.size(), kReturningId) == 0;
    const std::string text = returns_rowid ? sql.substr(0, sql.size() - kReturningId.size()) : sql;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare " + sql.substr(0, 60));
    it = cache_.emplace(sql, std::make_unique<SqliteStmt>(db_, stmt, returns_rowid)).first;
  }
  return it->second.get();
}

Status SqliteDb::Exec(std::string_view sql) {
  char* message = nullptr;
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string detail = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    Error error = SqliteError(db_, rc, "exec");
    error.message = "exec: " + detail;
    return error;
  }
  return Ok();
}

}  // namespace kizuna::storage
