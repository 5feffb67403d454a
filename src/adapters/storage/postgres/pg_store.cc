#include "adapters/storage/postgres/pg_store.h"

#include <poll.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/storage/postgres/pg_conn.h"
#include "adapters/storage/postgres/pg_sql.h"
#include "adapters/storage/sql/sql_rows.h"
#include "adapters/storage/sql/sql_tx.h"
#include "adapters/storage/write_queue.h"

// Prepares `sql` on connection `db` (cached) as Query `q`.
#define KZ_QUERY_PG(q, db, sql)                     \
  KZ_ASSIGN(SqlStmt* q##_stmt, (db).Prepare(sql)); \
  Query q(q##_stmt)

namespace kizuna::storage {
namespace {

constexpr const char* kEventChannel = "kizuna_events";
// Events that are not stored (Store::Broadcast): "<node> <event as JSON>".
constexpr const char* kSignalChannel = "kizuna_signals";
constexpr std::size_t kMaxQueuedSignals = 1000;
// NOTIFY payloads must stay under 8000 bytes.
constexpr std::size_t kMaxPayload = 7000;
// Any fixed number: nodes starting together migrate one at a time.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7464021)";

// A store connection: waits for a lock at most as long as SQLite's busy timeout, so a stuck
// lock fails the request (Unavailable) rather than holding it.
Result<std::unique_ptr<PgConn>> OpenSession(const std::string& url) {
  KZ_ASSIGN(auto db, PgConn::Open(url));
  KZ_TRY(db->Exec("SET lock_timeout = '5s'"));
  return db;
}

Error Unreachable(const Error& cause) {
  return Error::Unavailable("the database is unavailable: " + cause.message);
}

// Writers claim counter shards 0 to kCounterShards - 1 (PgStore::ClaimShard). Nodes of before
// took a random shard up to 999,999 at every start, and every count reads all of a key's shards.
constexpr std::int64_t kCounterShards = 4096;

// Folds counter shards no writer claims any more (those of nodes of before) into shard 0, in
// one transaction that holds off counter writes meanwhile, so counts stay exact throughout.
// Cheap when there are none, as after the first start.
Status FoldStrayCounterShards(PgConn& db) {
  const std::string stray = "shard >= " + std::to_string(kCounterShards);
  KZ_QUERY_PG(q, db, "SELECT EXISTS (SELECT 1 FROM inbox_counter_shards WHERE " + stray + ")");
  KZ_ASSIGN(const bool any, One<bool>(q, [](Query& r) { return r.Int(0) != 0; }, "counter-shard check"));
  if (!any) return Ok();
  Status folded = db.Exec(
      "BEGIN; LOCK TABLE inbox_counter_shards IN SHARE ROW EXCLUSIVE MODE; "
      "INSERT INTO inbox_counter_shards (workspace_id, key, shard, count) SELECT workspace_id, key, 0, SUM(count) "
      "FROM inbox_counter_shards WHERE " + stray + " GROUP BY workspace_id, key "
      "ON CONFLICT (workspace_id, key, shard) DO UPDATE SET count = inbox_counter_shards.count + excluded.count; "
      "DELETE FROM inbox_counter_shards WHERE " + stray + "; COMMIT");
  if (!folded.ok()) (void)db.Exec("ROLLBACK");  // leaves the connection out of the failed transaction
  return folded;
}

Result<int> SchemaVersion(PgConn& db) {
  KZ_TRY(db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL)"));
  KZ_ASSIGN(SqlStmt* stmt, db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  Query q(stmt);
  int version = q.Step() ? static_cast<int>(q.Int(0)) : 0;
  KZ_TRY(q.status());
  return version;
}

Result<MigrationReport> ApplyMigrations(PgConn& db) {
  MigrationReport report;
  KZ_TRY(db.Exec("BEGIN"));
  auto applied = [&]() -> Status {
    KZ_TRY(db.Exec(kMigrationLock));
    KZ_ASSIGN(report.from_version, SchemaVersion(db));
    report.to_version = report.from_version;
    for (const auto& migration : Migrations()) {
      if (migration.version <= report.from_version) continue;
      auto done = db.Exec(MigrationForPostgres(migration.sql));
      if (!done.ok()) {
        Error error = done.error();
        error.message = "migration " + std::string(migration.name) + " failed: " + error.message;
        return error;
      }
      KZ_QUERY_PG(q, db, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)");
      q.Bind(migration.version).Bind(migration.name);
      KZ_TRY(q.Exec());
      report.to_version = migration.version;
    }
    return Ok();
  }();
  if (!applied.ok()) {
    (void)db.Exec("ROLLBACK");
    return applied.error();
  }
  KZ_TRY(db.Exec("COMMIT"));
  return report;
}

// "<node> <workspace> <id>,<id>,…": the events one commit of `node` added to a workspace.
std::vector<std::string> Announcements(const std::string& node, const std::vector<Event>& events) {
  std::map<WorkspaceId, std::vector<EventId>> by_workspace;
  for (const auto& e : events) by_workspace[e.workspace_id].push_back(e.id);
  std::vector<std::string> out;
  for (const auto& [ws, ids] : by_workspace) {
    const std::string head = node + " " + std::to_string(ws) + " ";
    std::string payload = head;
    for (EventId id : ids) {
      if (payload.size() > kMaxPayload) {
        payload.pop_back();  // the trailing comma
        out.push_back(std::move(payload));
        payload = head;
      }
      payload += std::to_string(id);
      payload += ',';
    }
    payload.pop_back();
    out.push_back(std::move(payload));
  }
  return out;
}

struct Announcement {
  std::string node;
  WorkspaceId workspace_id = 0;
  std::vector<EventId> ids;  // ascending
};

std::optional<Announcement> ParseAnnouncement(std::string_view payload) {
  Announcement a;
  const auto space = payload.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  a.node = std::string(payload.substr(0, space));
  payload.remove_prefix(space + 1);
  const char* at = payload.data();
  const char* end = payload.data() + payload.size();
  auto [after_ws, ec] = std::from_chars(at, end, a.workspace_id);
  if (ec != std::errc() || after_ws == end || *after_ws != ' ') return std::nullopt;
  at = after_ws + 1;
  while (at < end) {
    EventId id = 0;
    auto [next, err] = std::from_chars(at, end, id);
    if (err != std::errc()) return std::nullopt;
    a.ids.push_back(id);
    at = next;
    if (at < end && *at == ',') ++at;
  }
  if (a.ids.empty()) return std::nullopt;
  std::sort(a.ids.begin(), a.ids.end());
  return a;
}

class PgStore final : public ports::Store {
 public:
  PgStore(const PgOptions& options, std::unique_ptr<PgConn> writer, ports::EventBus* bus)
      : url_(options.url), max_batch_(std::max(1, options.max_batch)), bus_(bus) {
    std::random_device random;
    std::mt19937_64 bits((std::uint64_t{random()} << 32) | random());
    node_ = std::to_string(bits());
    readers_.resize(static_cast<std::size_t>(std::max(1, options.readers)));
    reader_used_.resize(readers_.size());
    for (std::size_t idx = 0; idx < readers_.size(); ++idx) idle_readers_.push_back(idx);
    // Each writer adds to inbox counters in a shard of its own, claimed with its connection
    // (ClaimShard).
    const int writers = std::max(1, options.writers);
    for (int idx = 0; idx < writers; ++idx) {
      auto w = std::make_unique<Writer>();
      if (idx == 0) w->db = std::move(writer);
      writers_.push_back(std::move(w));
    }
    for (auto& w : writers_) w->thread = std::thread([this, raw = w.get()] { WriterLoop(*raw); });
    if (options.listen && bus_) {
      listener_thread_ = std::thread([this] { ListenLoop(); });
      signal_thread_ = std::thread([this] { SignalLoop(); });
    }
  }

  ~PgStore() override {
    queue_.Stop();
    for (auto& w : writers_) w->thread.join();
    if (listener_thread_.joinable()) listener_thread_.join();
    {
      std::lock_guard lock(signal_mutex_);
      signals_stopping_ = true;
    }
    signal_cv_.notify_one();
    if (signal_thread_.joinable()) signal_thread_.join();
  }

  void Broadcast(const Event& e) override {
    if (!signal_thread_.joinable()) return;
    nlohmann::json j{{"workspace_id", e.workspace_id},
                     {"ticket_id", e.ticket_id ? nlohmann::json(*e.ticket_id) : nlohmann::json()},
                     {"type", e.type},
                     {"actor_type", e.actor_type},
                     {"actor_id", e.actor_id},
                     {"data", e.data},
                     {"created_at", e.created_at}};
    std::string payload = node_ + " " + j.dump();
    if (payload.size() > kMaxPayload) return;
    {
      std::lock_guard lock(signal_mutex_);
      if (signals_.size() >= kMaxQueuedSignals) return;
      signals_.push_back(std::move(payload));
    }
    signal_cv_.notify_one();
  }

  Status Read(const ports::ReadFn& fn) override { return RunRead(fn, true); }
  Status ReadOneQuery(const ports::ReadFn& fn) override { return RunRead(fn, false); }

  Status ReadByKey(const ports::ReadFn& fn) override {
    std::unique_ptr<PgConn> db = TakeKeyReader();
    std::int64_t queries = 0;
    Status status = RunOn(*db, fn, queries);
    GiveBackKeyReader(std::move(db));
    if (queries > 1) return Error::Internal("a read by key ran several queries");
    return status;
  }

  void Write(ports::WriteFn fn, std::function<void(Status)> done) override { queue_.Push(std::move(fn), std::move(done)); }

 private:
  using Pending = WriteQueue::Pending;

  // Opens `db` when it is closed or broken. A connection that sat idle may have lost its server (a restart, a failover) without
  // knowing it yet: after a second of idleness it is asked first, so the request that finds
  // it dead does not fail with it.
  // `on_open` prepares a connection just opened; when it fails, so does this.
  Status Connected(std::unique_ptr<PgConn>& db, std::chrono::steady_clock::time_point& last_used,
                   const std::function<Status(PgConn&)>& on_open = nullptr) {
    const auto now = std::chrono::steady_clock::now();
    const bool idle = now - last_used > std::chrono::seconds(1);
    last_used = now;
    if (db && !db->Broken() && idle) (void)db->Exec("SELECT 1");
    if (db && !db->Broken()) return Ok();
    db.reset();
    auto opened = OpenSession(url_);
    if (!opened.ok()) return Unreachable(opened.error());
    db = std::move(*opened);
    if (on_open) {
      Status ready = on_open(*db);
      if (!ready.ok()) {
        db.reset();
        return ready;
      }
    }
    return Ok();
  }

  // The lowest inbox-counter shard that no writer of any node holds, held by this session
  // until it ends (a session advisory lock). Shards stay as many as the writers connected at
  // once, however often nodes restart: every count reads all of a key's shards.
  static Result<std::int64_t> ClaimShard(PgConn& db) {
    KZ_QUERY_PG(q, db, "SELECT s FROM generate_series(0, " + std::to_string(kCounterShards - 1) +
                           ") AS s WHERE pg_try_advisory_lock(7464022, s) LIMIT 1");
    return One<std::int64_t>(q, [](Query& r) { return r.Int(0); }, "free inbox-counter shard");
  }

  // `fn` on a pooled reader connection: in a read-only REPEATABLE READ transaction whose
  // BEGIN goes out with the first query and whose COMMIT nobody waits for (a read that takes
  // one query takes one round trip), or, for a one-query read, with no transaction at all.
  // Runs `fn` on `db`, an exception becoming Internal; `queries` is how many statements it ran.
  static Status RunOn(PgConn& db, const ports::ReadFn& fn, std::int64_t& queries) {
    const std::int64_t before = db.statements_run();
    Status status = Ok();
    {
      SqlTx tx(db);
      try {
        status = fn(tx);
      } catch (const std::exception& e) {
        status = Error::Internal(std::string("read failed: ") + e.what());
      }
    }
    queries = db.statements_run() - before;
    return status;
  }

  Status RunRead(const ports::ReadFn& fn, bool in_transaction) {
    const std::size_t slot = AcquireReader();
    struct Release {
      PgStore* self;
      std::size_t slot;
      ~Release() { self->ReleaseReader(slot); }
    } release{this, slot};
    auto& db = readers_[slot];
    KZ_TRY(Connected(db, reader_used_[slot]));
    if (in_transaction) db->Defer("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    std::int64_t queries = 0;
    Status status = RunOn(*db, fn, queries);
    if (in_transaction) db->SendWithoutWaiting("COMMIT");
    if (db->Broken()) {
      Status dropped = Dropped(db, Error::Unavailable("the connection to the database was lost"));
      return status.ok() ? dropped : status;
    }
    if (!in_transaction && queries > 1) {
      return Error::Internal("a one-query read ran several queries outside a transaction");
    }
    return status;
  }

  // Closes a connection found broken (a later request opens a new one) and gives `cause` back.
  Status Dropped(std::unique_ptr<PgConn>& db, const Error& cause) {
    if (db && db->Broken()) db.reset();
    return cause;
  }

  // A connection through the key-read pipeline (its statements' cache), one per thread reading at once.
  std::unique_ptr<PgConn> TakeKeyReader() {
    {
      std::lock_guard lock(key_readers_mutex_);
      if (!key_readers_.empty()) {
        auto db = std::move(key_readers_.back());
        key_readers_.pop_back();
        return db;
      }
    }
    return PgConn::Via(key_reads_);
  }

  void GiveBackKeyReader(std::unique_ptr<PgConn> db) {
    std::lock_guard lock(key_readers_mutex_);
    key_readers_.push_back(std::move(db));
  }

  std::size_t AcquireReader() {
    std::unique_lock lock(reader_mutex_);
    reader_cv_.wait(lock, [this] { return !idle_readers_.empty(); });
    // The longest idle: its last COMMIT, sent without waiting, has surely been answered.
    const std::size_t slot = idle_readers_.front();
    idle_readers_.pop_front();
    return slot;
  }

  void ReleaseReader(std::size_t slot) {
    {
      std::lock_guard lock(reader_mutex_);
      idle_readers_.push_back(slot);
    }
    reader_cv_.notify_one();
  }

  struct Writer {
    std::unique_ptr<PgConn> db;
    std::chrono::steady_clock::time_point last_used;
    std::int64_t shard = -1;  // claimed with the connection (ClaimShard)
    std::thread thread;
  };

  void WriterLoop(Writer& writer) {
    for (;;) {
      // Each writer takes its share of what waits rather than all of it.
      std::vector<Pending> batch = queue_.Take(static_cast<std::size_t>(max_batch_), writers_.size());
      if (batch.empty()) return;  // stopped, and every queued write done
      RunBatch(writer, batch);
    }
  }

  // The workspace's next ticket number, from a block of kNumberBlock this node took on a
  // connection of its own that commits at once (without waiting for the disk: a later durable
  // commit on the same server, such as the ticket's, makes it durable too). The workspace row
  // is locked for that one statement only, once per block, so writers creating tickets do not
  // wait for each other's commits; a block's unused numbers are a gap when the node stops.
  Result<std::int64_t> NextTicketNumber(WorkspaceId ws) {
    std::lock_guard lock(numbers_mutex_);
    auto& block = number_blocks_[ws];
    if (block.first < block.second) return block.first++;
    // A connection found dead is replaced and the number asked again (if the first ask
    // reached the server, that number is a gap).
    for (int attempt = 0;; ++attempt) {
      if (!numbers_db_ || numbers_db_->Broken()) {
        numbers_db_.reset();
        auto opened = OpenSession(url_);
        if (!opened.ok()) return Unreachable(opened.error());
        KZ_TRY((*opened)->Exec("SET synchronous_commit = off"));
        numbers_db_ = std::move(*opened);
      }
      auto number = AskNextNumber(*numbers_db_, ws);
      if (number.ok()) {
        block = {*number + 1, *number + kNumberBlock};
        return number;
      }
      if (!numbers_db_->Broken() || attempt > 0) return number;
    }
  }

  static Result<std::int64_t> AskNextNumber(PgConn& db, WorkspaceId ws) {
    KZ_QUERY_PG(q, db,
                "UPDATE workspaces SET next_ticket_number = next_ticket_number + ? WHERE id = ? "
                "RETURNING next_ticket_number - ?");
    q.Bind(kNumberBlock).Bind(ws).Bind(kNumberBlock);
    return One<std::int64_t>(q, [](Query& r) { return r.Int(0); }, "workspace");
  }

  void FailBatch(std::vector<Pending>& batch, const Status& status) {
    for (auto& p : batch) p.done(status);
  }

  // Every write of the batch in its own savepoint, one commit, then the answers; the
  // batch's events are announced to the other nodes by NOTIFY, delivered at the commit.
  void RunBatch(Writer& writer, std::vector<Pending>& batch) {
    auto claim = [&writer](PgConn& conn) -> Status {
      KZ_ASSIGN(writer.shard, ClaimShard(conn));
      return Ok();
    };
    Status connected = Connected(writer.db, writer.last_used, claim);
    if (connected.ok() && writer.shard < 0) connected = claim(*writer.db);  // the store's first connection
    if (!connected.ok()) return FailBatch(batch, connected);
    PgConn& db = *writer.db;
    SqlTxOptions tx_options;
    tx_options.counter_shard = writer.shard;
    // The batch's inbox-counter changes go in one statement, with its COMMIT: each row of a
    // writer's shard is updated once a batch rather than once a write.
    tx_options.batch_counters = true;
    SqlTx::CounterDeltas counters;
    tx_options.next_ticket_number = [this](WorkspaceId ws) { return NextTicketNumber(ws); };
    // BEGIN, SAVEPOINT and RELEASE travel with the statements that follow them.
    db.Defer("BEGIN");
    std::vector<Status> results(batch.size(), Ok());
    std::vector<std::vector<Event>> events(batch.size());
    std::vector<Event> announced;
    for (std::size_t idx = 0; idx < batch.size(); ++idx) {
      db.Defer("SAVEPOINT w");
      Status status = Ok();
      SqlTx tx(db, tx_options);
      try {
        status = batch[idx].fn(tx);
      } catch (const std::exception& e) {
        status = Error::Internal(std::string("write failed: ") + e.what());
      }
      if (status.ok()) {
        db.Defer("RELEASE w");
        // Statements the write left queued (ExecLater) are checked before it counts as done:
        // one round trip, with its RELEASE.
        if (db.has_unchecked()) status = db.Flush();
      } else {
        db.DropUnchecked();  // rolled back with the rest of the write
      }
      if (status.ok()) {
        for (const auto& [key, delta] : tx.pending_counters()) counters[key] += delta;
        events[idx] = std::move(tx.appended_events());
        announced.insert(announced.end(), events[idx].begin(), events[idx].end());
      } else {
        db.Defer("ROLLBACK TO w");
        db.Defer("RELEASE w");
      }
      if (db.Broken()) {  // the connection is gone and the whole batch with it
        Status failed = Dropped(writer.db, Error::Unavailable("the connection to the database was lost"));
        return FailBatch(batch, failed);
      }
      results[idx] = std::move(status);
    }
    if (Status added = SqlTx::AddCounters(db, writer.shard, counters); !added.ok()) {
      (void)db.Exec("ROLLBACK");
      return FailBatch(batch, Dropped(writer.db, added.error()));
    }
    if (!announced.empty()) {
      for (const auto& payload : Announcements(node_, announced)) {
        auto notified = Notify(db, payload, kEventChannel, /*with_the_commit=*/true);
        if (!notified.ok()) {
          (void)db.Exec("ROLLBACK");
          return FailBatch(batch, Dropped(writer.db, notified.error()));
        }
      }
    }
    Status committed = db.Exec("COMMIT");
    if (!committed.ok()) {
      (void)db.Exec("ROLLBACK");
      return FailBatch(batch, Dropped(writer.db, committed.error()));
    }
    for (std::size_t idx = 0; idx < batch.size(); ++idx) {
      if (results[idx].ok() && bus_) bus_->Publish(events[idx]);
      batch[idx].done(std::move(results[idx]));
    }
  }

  // `with_the_commit`: sent with the COMMIT that follows (in a transaction only).
  static Status Notify(PgConn& db, const std::string& payload, const char* channel, bool with_the_commit = false) {
    KZ_QUERY_PG(q, db, "SELECT pg_notify(?, ?)");
    q.Bind(channel).Bind(payload);
    return with_the_commit ? q.ExecLater() : q.Exec();
  }

  // Sends what Broadcast queued, on a connection of its own; drops it when the database is away.
  void SignalLoop() {
    std::unique_ptr<PgConn> db;
    for (;;) {
      std::deque<std::string> batch;
      {
        std::unique_lock lock(signal_mutex_);
        signal_cv_.wait(lock, [this] { return signals_stopping_ || !signals_.empty(); });
        if (signals_stopping_) return;
        batch.swap(signals_);
      }
      if (!db || db->Broken()) {
        db.reset();
        auto opened = PgConn::Open(url_);
        if (!opened.ok()) continue;
        db = std::move(*opened);
      }
      for (const auto& payload : batch) {
        if (!Notify(*db, payload, kSignalChannel).ok()) break;
      }
    }
  }

  // "<node> <event>" from another node: the event, published here as it was there.
  void RepublishSignal(std::string_view payload) {
    const auto space = payload.find(' ');
    if (space == std::string_view::npos || payload.substr(0, space) == node_) return;
    auto j = nlohmann::json::parse(payload.substr(space + 1), nullptr, false);
    if (!j.is_object()) return;
    Event e;
    e.workspace_id = j.value("workspace_id", WorkspaceId{0});
    if (j.contains("ticket_id") && j["ticket_id"].is_number_integer()) e.ticket_id = j["ticket_id"].get<TicketId>();
    e.type = j.value("type", "");
    e.actor_type = j.value("actor_type", "");
    e.actor_id = j.value("actor_id", std::int64_t{0});
    e.data = j.value("data", "{}");
    e.created_at = j.value("created_at", Timestamp{0});
    if (e.workspace_id == 0 || e.type.empty()) return;
    bus_->Publish({e});
  }

  // Other nodes' announcements: read their events and publish them here.
  void ListenLoop() {
    std::unique_ptr<PgConn> db;
    while (!queue_.Stopping()) {
      if (!db || db->Broken()) {
        db.reset();
        auto opened = PgConn::Open(url_);
        if (opened.ok() && (*opened)->Listen(kEventChannel).ok() && (*opened)->Listen(kSignalChannel).ok()) {
          db = std::move(*opened);
        } else {
          std::this_thread::sleep_for(std::chrono::milliseconds(500));
          continue;
        }
      }
      pollfd fd{db->Socket(), POLLIN, 0};
      if (fd.fd < 0 || poll(&fd, 1, 250) < 0) {
        db.reset();
        continue;
      }
      for (const auto& [channel, payload] : db->TakeNotifications()) {
        if (channel == kSignalChannel) RepublishSignal(payload);
        if (channel != kEventChannel) continue;
        auto announcement = ParseAnnouncement(payload);
        if (!announcement || announcement->node == node_) continue;
        Republish(*announcement);
      }
    }
  }

  void Republish(const Announcement& a) {
    std::vector<Event> found;
    const std::set<EventId> wanted(a.ids.begin(), a.ids.end());
    (void)Read([&](ports::ReadTx& tx) -> Status {
      EventId after = a.ids.front() - 1;
      while (after < a.ids.back()) {
        KZ_ASSIGN(auto page, tx.ListEventsSince(a.workspace_id, after, 500));
        if (page.empty()) break;
        for (auto& e : page) {
          if (e.id > a.ids.back()) break;
          if (wanted.count(e.id)) found.push_back(std::move(e));
        }
        after = page.back().id;
      }
      return Ok();
    });
    if (!found.empty()) bus_->Publish(found);
  }

  std::string url_;
  std::string node_;
  int max_batch_;
  ports::EventBus* bus_;

  std::vector<std::unique_ptr<Writer>> writers_;
  static constexpr std::int64_t kNumberBlock = 16;
  std::mutex numbers_mutex_;
  std::map<WorkspaceId, std::pair<std::int64_t, std::int64_t>> number_blocks_;  // [next, end) taken
  std::unique_ptr<PgConn> numbers_db_;  // NextTicketNumber's
  std::vector<std::unique_ptr<PgConn>> readers_;
  std::vector<std::chrono::steady_clock::time_point> reader_used_;  // by slot

  std::mutex reader_mutex_;
  std::condition_variable reader_cv_;
  std::deque<std::size_t> idle_readers_;

  // Every thread's reads by key share one connection's pipeline (ReadByKey). A statement
  // there holds up every read behind it: none may run long.
  PgPipeline key_reads_{[this]() -> Result<std::unique_ptr<PgConn>> {
    auto opened = OpenSession(url_);
    if (!opened.ok()) return Unreachable(opened.error());
    KZ_TRY((*opened)->Exec("SET statement_timeout = '5s'"));
    return opened;
  }};
  std::mutex key_readers_mutex_;
  std::vector<std::unique_ptr<PgConn>> key_readers_;  // idle connections through key_reads_

  WriteQueue queue_;
  std::thread listener_thread_;

  std::mutex signal_mutex_;
  std::condition_variable signal_cv_;
  std::deque<std::string> signals_;  // Broadcast's payloads waiting for SignalLoop
  bool signals_stopping_ = false;
  std::thread signal_thread_;
};

}  // namespace

bool IsPostgresUrl(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

Result<std::unique_ptr<SqlConn>> OpenPgConnection(const std::string& url) {
  KZ_ASSIGN(auto db, PgConn::Open(url));
  return std::unique_ptr<SqlConn>(std::move(db));
}

Result<MigrationReport> MigratePostgres(const std::string& url) {
  KZ_ASSIGN(auto db, PgConn::Open(url));
  return ApplyMigrations(*db);
}

Result<std::unique_ptr<ports::Store>> OpenPgStore(const PgOptions& options, ports::EventBus* bus) {
  if (options.migrate) KZ_TRY(MigratePostgres(options.url));  // may wait for another node's
  KZ_ASSIGN(auto writer, OpenSession(options.url));
  KZ_ASSIGN(int version, SchemaVersion(*writer));
  if (version < Migrations().back().version) {
    return Error::Unavailable("the database schema is at version " + std::to_string(version) +
                              "; run `kizuna migrate` first");
  }
  // Counts are exact without it (only slower): a fold that fails, say behind another node's
  // lock, is tried again at the next start.
  (void)FoldStrayCounterShards(*writer);
  return std::unique_ptr<ports::Store>(std::make_unique<PgStore>(options, std::move(writer), bus));
}

}  // namespace kizuna::storage
