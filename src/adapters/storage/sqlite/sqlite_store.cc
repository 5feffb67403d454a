#include "adapters/storage/sqlite/sqlite_store.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "adapters/storage/migrations.h"
#include "adapters/storage/sqlite/sqlite_db.h"
#include "adapters/storage/write_queue.h"
#include "adapters/storage/sql/sql_tx.h"

namespace kizuna::storage {
namespace {

std::string ForSqlite(std::string_view sql) {
  std::string out(sql);
  const std::string placeholder = "@ID@";
  for (auto pos = out.find(placeholder); pos != std::string::npos; pos = out.find(placeholder, pos)) {
    out.replace(pos, placeholder.size(), "INTEGER PRIMARY KEY");
  }
  return out;
}

Result<MigrationReport> ApplyMigrations(SqliteDb& db) {
  KZ_TRY(db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)"));
  MigrationReport report;
  {
    KZ_ASSIGN(SqlStmt* stmt, db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    Query q(stmt);
    if (q.Step()) report.from_version = static_cast<int>(q.Int(0));
    KZ_TRY(q.status());
  }
  report.to_version = report.from_version;
  for (const auto& migration : Migrations()) {
    if (migration.version <= report.from_version) continue;
    KZ_TRY(db.Exec("BEGIN IMMEDIATE"));
    auto applied = db.Exec(ForSqlite(migration.sql));
    if (applied.ok()) {
      applied = db.Exec("INSERT INTO schema_migrations (version, name) VALUES (" + std::to_string(migration.version) +
                        ", '" + std::string(migration.name) + "')");
    }
    if (!applied.ok()) {
      (void)db.Exec("ROLLBACK");
      Error error = applied.error();
      error.message = "migration " + std::string(migration.name) + " failed: " + error.message;
      return error;
    }
    KZ_TRY(db.Exec("COMMIT"));
    report.to_version = migration.version;
  }
  return report;
}

// Copies the WAL back into the database on a thread and connection of its own, so that the
// writer never waits for the database file's sync. The writer's commits wake it once the WAL
// holds kCheckpointFrames; should it fall far behind (kWriterCheckpointFrames), the writer
// checkpoints itself, as SQLite would by default, which bounds the WAL.
class Checkpointer {
 public:
  static constexpr int kCheckpointFrames = 4000;         // 16 MB of 4 KiB pages
  static constexpr int kWriterCheckpointFrames = 40000;  // 160 MB

  explicit Checkpointer(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~Checkpointer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  // From the writer's commit (the WAL hook): returns at once.
  void Committed(SqliteDb& writer, int frames) {
    if (frames >= kWriterCheckpointFrames) {
      (void)writer.CheckpointPassive();
      return;
    }
    if (frames < kCheckpointFrames) return;
    {
      std::lock_guard lock(mutex_);
      due_ = true;
    }
    wake_.notify_one();
  }

 private:
  void Loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return due_ || stopping_; });
      if (stopping_) return;
      due_ = false;
      lock.unlock();
      // Busy or failed: the next commit past the mark asks again.
      (void)db_->CheckpointPassive();
      lock.lock();
    }
  }

  std::unique_ptr<SqliteDb> db_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

class SqliteStore final : public ports::Store {
 public:
  SqliteStore(std::unique_ptr<SqliteDb> writer, std::vector<std::unique_ptr<SqliteDb>> readers,
              std::unique_ptr<SqliteDb> checkpointer, int max_batch, ports::EventBus* bus)
      : writer_db_(std::move(writer)), max_batch_(max_batch), bus_(bus) {
    for (auto& r : readers) idle_readers_.push_back(r.get());
    readers_ = std::move(readers);
    checkpointer_ = std::make_unique<Checkpointer>(std::move(checkpointer));
    writer_db_->OnWalCommit([this](int frames) { checkpointer_->Committed(*writer_db_, frames); });
    writer_thread_ = std::thread([this] { WriterLoop(); });
  }

  ~SqliteStore() override {
    queue_.Stop();
    writer_thread_.join();
    checkpointer_.reset();
  }

  Status Read(const ports::ReadFn& fn) override {
    SqliteDb* db = AcquireReader();
    struct Release {
      SqliteStore* self;
      SqliteDb* db;
      ~Release() { self->ReleaseReader(db); }
    } release{this, db};
    KZ_TRY(db->Exec("BEGIN"));
    SqlTx tx(*db);
    Status status = Ok();
    try {
      status = fn(tx);
    } catch (const std::exception& e) {
      status = Error::Internal(std::string("read failed: ") + e.what());
    }
    (void)db->Exec("COMMIT");
    return status;
  }

  void Write(ports::WriteFn fn, std::function<void(Status)> done) override { queue_.Push(std::move(fn), std::move(done)); }

 private:
  using Pending = WriteQueue::Pending;

  SqliteDb* AcquireReader() {
    std::unique_lock lock(reader_mutex_);
    reader_cv_.wait(lock, [this] { return !idle_readers_.empty(); });
    SqliteDb* db = idle_readers_.back();
    idle_readers_.pop_back();
    return db;
  }

  void ReleaseReader(SqliteDb* db) {
    {
      std::lock_guard lock(reader_mutex_);
      idle_readers_.push_back(db);
    }
    reader_cv_.notify_one();
  }

  void WriterLoop() {
    for (;;) {
      std::vector<Pending> batch = queue_.Take(static_cast<std::size_t>(max_batch_));
      if (batch.empty()) return;  // stopped, and every queued write done
      RunBatch(batch);
    }
  }

  // Runs every write of the batch in its own savepoint, commits once, then answers. A write
  // alone in its batch needs no savepoint (its failure rolls the transaction back), and
  // SQLite then copies no page it changes into a savepoint journal.
  void RunBatch(std::vector<Pending>& batch) {
    SqliteDb& db = *writer_db_;
    std::vector<Status> results(batch.size(), Ok());
    std::vector<std::vector<Event>> events(batch.size());
    Status begun = db.Exec("BEGIN IMMEDIATE");
    if (!begun.ok()) {
      for (auto& p : batch) p.done(begun);
      return;
    }
    auto run = [](Pending& write, SqlTx& tx) -> Status {
      try {
        return write.fn(tx);
      } catch (const std::exception& e) {
        return Error::Internal(std::string("write failed: ") + e.what());
      }
    };
    if (batch.size() == 1) {
      SqlTx tx(db);
      Status status = run(batch[0], tx);
      if (status.ok()) status = db.Exec("COMMIT");
      if (!status.ok()) {
        (void)db.Exec("ROLLBACK");
        batch[0].done(std::move(status));
        return;
      }
      if (bus_) bus_->Publish(tx.appended_events());
      batch[0].done(Ok());
      return;
    }
    for (std::size_t idx = 0; idx < batch.size(); ++idx) {
      Status status = db.Exec("SAVEPOINT w");
      if (status.ok()) {
        SqlTx tx(db);
        status = run(batch[idx], tx);
        if (status.ok()) {
          status = db.Exec("RELEASE w");
          events[idx] = std::move(tx.appended_events());
        } else {
          (void)db.Exec("ROLLBACK TO w");
          (void)db.Exec("RELEASE w");
        }
      }
      results[idx] = std::move(status);
    }
    Status committed = db.Exec("COMMIT");
    if (!committed.ok()) {
      (void)db.Exec("ROLLBACK");
      for (auto& p : batch) p.done(committed);
      return;
    }
    for (std::size_t idx = 0; idx < batch.size(); ++idx) {
      if (results[idx].ok() && bus_) bus_->Publish(events[idx]);
      batch[idx].done(std::move(results[idx]));
    }
  }

  std::unique_ptr<SqliteDb> writer_db_;
  std::vector<std::unique_ptr<SqliteDb>> readers_;
  std::unique_ptr<Checkpointer> checkpointer_;
  int max_batch_;
  ports::EventBus* bus_;

  std::mutex reader_mutex_;
  std::condition_variable reader_cv_;
  std::vector<SqliteDb*> idle_readers_;

  WriteQueue queue_;
  std::thread writer_thread_;
};

}  // namespace

Result<std::unique_ptr<SqlConn>> OpenSqliteConnection(const std::string& path, bool read_only) {
  KZ_ASSIGN(auto db, SqliteDb::Open(path, read_only, true));
  return std::unique_ptr<SqlConn>(std::move(db));
}

Result<MigrationReport> MigrateSqlite(const std::string& path) {
  KZ_ASSIGN(auto db, SqliteDb::Open(path, false, true));
  return ApplyMigrations(*db);
}

Result<std::unique_ptr<ports::Store>> OpenSqliteStore(const SqliteOptions& options, ports::EventBus* bus) {
  KZ_ASSIGN(auto writer, SqliteDb::Open(options.path, false, options.synchronous_full));
  if (options.migrate) {
    KZ_TRY(ApplyMigrations(*writer));
  } else {
    KZ_ASSIGN(SqlStmt* stmt, writer->Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    Query q(stmt);
    int version = q.Step() ? static_cast<int>(q.Int(0)) : 0;
    if (version < Migrations().back().version) {
      return Error::Unavailable("the database schema is at version " + std::to_string(version) +
                                "; run `kizuna migrate` first");
    }
  }
  std::vector<std::unique_ptr<SqliteDb>> readers;
  for (int idx = 0; idx < std::max(1, options.readers); ++idx) {
    KZ_ASSIGN(auto reader, SqliteDb::Open(options.path, true, options.synchronous_full));
    readers.push_back(std::move(reader));
  }
  KZ_ASSIGN(auto checkpointer, SqliteDb::Open(options.path, false, options.synchronous_full));
  return std::unique_ptr<ports::Store>(std::make_unique<SqliteStore>(
      std::move(writer), std::move(readers), std::move(checkpointer), std::max(1, options.max_batch), bus));
}

}  // namespace kizuna::storage
