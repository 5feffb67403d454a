// The embedded SQLite store: WAL, one writer thread with group commit, a pool of readers.
#pragma once

#include <memory>
#include <string>

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

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
};

// Applies pending migrations to the database at `path` (created when missing).
Result<MigrationReport> MigrateSqlite(const std::string& path);

// Opens the store. `bus` (may be null) receives the events of each write after
// its batch commits. The store stops its writer and joins it on destruction,
// after finishing queued writes.
Result<std::unique_ptr<ports::Store>> OpenSqliteStore(const SqliteOptions& options, ports::EventBus* bus);

}  // namespace kizuna::storage
