// The PostgreSQL store: the same SQL as the SQLite store (adapters/storage/sql) over a pool
// of libpq connections, for several Kizuna nodes on one database.
//
// Each node has a few writer threads that commit writes in batches (each write in its own
// savepoint, as on SQLite) and a pool of reader connections; nothing a request needs lives
// only in one node's memory. Committed events are announced with NOTIFY and re-published by
// every other node's listener, so live streams see changes made anywhere.
#pragma once

#include <memory>
#include <string>

#include "adapters/storage/migrations.h"
#include "adapters/storage/sql/sql_conn.h"
#include "core/result.h"
#include "ports/event_bus.h"
#include "ports/store.h"

namespace kizuna::storage {

struct PgOptions {
  std::string url;        // postgresql://user:password@host:port/database?…
  int readers = 8;        // reader connections
  int writers = 4;        // writer connections, each committing its own batches
  int max_batch = 256;    // most writes committed together
  bool migrate = true;    // apply pending migrations on open (serialised across nodes)
  bool listen = true;     // re-publish other nodes' events on this node's bus
};

// True for the URLs this store takes (postgresql:// or postgres://).
bool IsPostgresUrl(const std::string& url);

// Applies pending migrations to the database at `url`. Nodes starting together take turns.
Result<MigrationReport> MigratePostgres(const std::string& url);

// Opens the store; fails with a clear message when the database cannot be reached. Once open,
// lost connections are re-opened by themselves: while the database is down, reads and writes
// fail with Unavailable.
Result<std::unique_ptr<ports::Store>> OpenPgStore(const PgOptions& options, ports::EventBus* bus);

// One plain connection to the database at `url` (migrate-data reads and writes through it).
Result<std::unique_ptr<SqlConn>> OpenPgConnection(const std::string& url);

}  // namespace kizuna::storage
