// The embedded SQLite store: WAL, one writer thread with group commit, a pool of readers.
#pragma once

#include <memory>
#include <string>

#include "adapters/storage/migrations.h"
#include "adapters/storage/sql/sql_conn.h"
#include "core/result.h"
#include "ports/event_bus.h"
#include "ports/store.h"

namespace kizuna::storage {

struct SqliteOptions {
  std::string path;               // database file; ":memory:" is not supported (readers need the file)
  int readers = 4;                // reader connections
  int max_batch = 512;            // most writes committed together
  bool synchronous_full = true;   // fsync on every commit: an acknowledged write survives power loss
  bool migrate = true;            // apply pending migrations on open
};

// Applies pending migrations to the database at `path` (created when missing).
Result<MigrationReport> MigrateSqlite(const std::string& path);

// Opens the store. `bus` (may be null) receives the events of each write after
// its batch commits. The store stops its writer and joins it on destruction,
// after finishing queued writes.
Result<std::unique_ptr<ports::Store>> OpenSqliteStore(const SqliteOptions& options, ports::EventBus* bus);

// One plain connection to the database at `path` (migrate-data reads and writes through it).
Result<std::unique_ptr<SqlConn>> OpenSqliteConnection(const std::string& path, bool read_only);

}  // namespace kizuna::storage
