#include "adapters/storage/sql/sql_copy.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <set>

#include "adapters/storage/sql/sql_rows.h"

namespace kizuna::storage {
namespace {

struct Column {
  std::string name;
  bool integer = false;
};

struct Table {
  std::string name;
  std::vector<Column> columns;
  bool has_identity = false;  // an `id` the database numbers (PostgreSQL: a sequence to move on)
};

// Identifiers come from the databases' own catalogs, never from users; quoted all the same.
std::string Quoted(const std::string& identifier) { return '"' + identifier + '"'; }

Result<std::vector<std::string>> Strings(SqlConn& db, const std::string& sql, const std::string& arg = "") {
  KZ_ASSIGN(SqlStmt* stmt, db.Prepare(sql));
  Query q(stmt);
  if (!arg.empty()) q.Bind(arg);
  return All<std::string>(q, [](Query& r) { return r.Text(0); });
}

Result<std::vector<std::string>> TableNames(SqlConn& db) {
  if (db.dialect() == Dialect::kPostgres) {
    return Strings(db,
                   "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND "
                   "table_type = 'BASE TABLE' ORDER BY table_name");
  }
  return Strings(db,
                 "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                 "ORDER BY name");
}

Result<std::vector<Column>> Columns(SqlConn& db, const std::string& table) {
  std::string sql = db.dialect() == Dialect::kPostgres
                        ? "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
                          "current_schema() AND table_name = ? ORDER BY ordinal_position"
                        : "SELECT name, type FROM pragma_table_info(?) ORDER BY cid";
  KZ_ASSIGN(SqlStmt* stmt, db.Prepare(sql));
  Query q(stmt);
  q.Bind(table);
  return All<Column>(q, [](Query& r) {
    std::string type = r.Text(1);
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    return Column{r.Text(0), type.find("int") != std::string::npos};
  });
}

// The tables each table refers to by foreign key, in `db`.
Result<std::map<std::string, std::set<std::string>>> References(SqlConn& db, const std::vector<std::string>& tables) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& table : tables) {
    std::vector<std::string> parents;
    if (db.dialect() == Dialect::kPostgres) {
      KZ_ASSIGN(parents, Strings(db,
                                 "SELECT DISTINCT ccu.table_name FROM information_schema.table_constraints tc "
                                 "JOIN information_schema.constraint_column_usage ccu ON "
                                 "ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema "
                                 "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() "
                                 "AND tc.table_name = ?",
                                 table));
    } else {
      KZ_ASSIGN(parents, Strings(db, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)", table));
    }
    for (auto& parent : parents) {
      if (parent != table) out[table].insert(parent);
    }
  }
  return out;
}

// The workspace's tables of `from`, parents before children as `to` requires.
Result<std::vector<Table>> CopyOrder(SqlConn& from, SqlConn& to) {
  KZ_ASSIGN(auto names, TableNames(from));
  std::vector<std::string> scoped;
  std::map<std::string, Table> tables;
  for (const auto& name : names) {
    if (name == "schema_migrations") continue;
    KZ_ASSIGN(auto columns, Columns(from, name));
    const bool workspace_scoped =
        name == "workspaces" ||
        std::any_of(columns.begin(), columns.end(), [](const Column& c) { return c.name == "workspace_id"; });
    if (!workspace_scoped) continue;  // nothing of a workspace's there
    scoped.push_back(name);
    tables[name] = Table{name, std::move(columns), false};
  }
  if (to.dialect() == Dialect::kPostgres) {
    KZ_ASSIGN(auto identities,
              Strings(to, "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                          "AND column_name = 'id' AND is_identity = 'YES'"));
    for (const auto& name : identities) {
      if (tables.count(name)) tables[name].has_identity = true;
    }
  }
  KZ_ASSIGN(auto references, References(to, scoped));
  std::vector<Table> ordered;
  std::set<std::string> placed;
  while (ordered.size() < scoped.size()) {
    bool progressed = false;
    for (const auto& name : scoped) {
      if (placed.count(name)) continue;
      const auto& parents = references[name];
      if (std::all_of(parents.begin(), parents.end(),
                      [&](const std::string& p) { return placed.count(p) || !tables.count(p); })) {
        ordered.push_back(tables[name]);
        placed.insert(name);
        progressed = true;
      }
    }
    if (!progressed) return Error::Internal("the tables' foreign keys form a cycle");
  }
  return ordered;
}

std::string SelectSql(const Table& table) {
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < table.columns.size(); ++i) sql += (i ? ", " : "") + Quoted(table.columns[i].name);
  sql += " FROM " + Quoted(table.name) + (table.name == "workspaces" ? " WHERE id = ?" : " WHERE workspace_id = ?");
  return sql;
}

constexpr std::uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

void Mix(std::uint64_t& hash, std::string_view bytes) {
  for (unsigned char c : bytes) hash = (hash ^ c) * kFnvPrime;
}

// Reads the workspace's rows of `table`, giving each (with its hash) to `row`.
Status EachRow(SqlConn& db, const Table& table, WorkspaceId ws, TableFigures& figures,
               const std::function<Status(Query&)>& row) {
  KZ_ASSIGN(SqlStmt* stmt, db.Prepare(SelectSql(table)));
  Query q(stmt);
  q.Bind(ws);
  figures = TableFigures{table.name, 0, 0};
  while (q.Step()) {
    std::uint64_t hash = kFnvOffset;
    for (std::size_t col = 0; col < table.columns.size(); ++col) {
      const int c = static_cast<int>(col);
      if (q.IsNull(c)) {
        Mix(hash, std::string_view("\0N", 2));  // NULL and '' differ
      } else {
        Mix(hash, q.Text(c));
      }
      Mix(hash, std::string_view("\x1f", 1));
    }
    figures.rows += 1;
    figures.checksum += hash;
    if (row) KZ_TRY(row(q));
  }
  return q.status();
}

}  // namespace

Result<std::vector<std::string>> ListWorkspaceNames(SqlConn& db) {
  return Strings(db, "SELECT name FROM workspaces ORDER BY id");
}

Result<WorkspaceCopy> CopyWorkspace(SqlConn& from, SqlConn& to, std::string_view name,
                                    const std::function<void(const std::string&)>& progress) {
  WorkspaceCopy copy;
  copy.name = std::string(name);
  {
    KZ_ASSIGN(SqlStmt* stmt, from.Prepare("SELECT id FROM workspaces WHERE name = ?"));
    Query q(stmt);
    q.Bind(name);
    KZ_ASSIGN(copy.workspace_id, One<std::int64_t>(q, [](Query& r) { return r.Int(0); }, "workspace"));
  }
  {
    KZ_ASSIGN(SqlStmt* stmt, to.Prepare("SELECT count(*) FROM workspaces WHERE name = ? OR id = ?"));
    Query q(stmt);
    q.Bind(name).Bind(copy.workspace_id);
    KZ_ASSIGN(auto clashes, One<std::int64_t>(q, [](Query& r) { return r.Int(0); }, "workspace"));
    if (clashes > 0) {
      return Error::Conflict("the target already has a workspace named \"" + copy.name + "\" or numbered " +
                             std::to_string(copy.workspace_id));
    }
  }
  KZ_ASSIGN(auto tables, CopyOrder(from, to));

  // One snapshot of the source; one transaction on the target.
  KZ_TRY(from.Exec(from.dialect() == Dialect::kPostgres ? "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY" : "BEGIN"));
  struct EndRead {
    SqlConn& db;
    ~EndRead() { (void)db.Exec("COMMIT"); }
  } end_read{from};
  KZ_TRY(to.Exec(to.dialect() == Dialect::kPostgres ? "BEGIN" : "BEGIN IMMEDIATE"));
  auto copied = [&]() -> Status {
    for (const auto& table : tables) {
      const auto started = std::chrono::steady_clock::now();
      // Rows go in many to a statement: one round trip per few hundred rows.
      const std::size_t width = table.columns.size();
      const std::size_t per_insert = std::clamp<std::size_t>(30000 / std::max<std::size_t>(1, width), 1, 500);
      std::string head = "INSERT INTO " + Quoted(table.name) + " (";
      std::string tuple = "(";
      for (std::size_t i = 0; i < width; ++i) {
        head += (i ? ", " : "") + Quoted(table.columns[i].name);
        tuple += i ? ", ?" : "?";
      }
      head += ") VALUES ";
      tuple += ")";
      std::vector<std::optional<std::string>> pending;  // row-major; nullopt is NULL
      auto flush = [&]() -> Status {
        const std::size_t rows = pending.size() / std::max<std::size_t>(1, width);
        if (rows == 0) return Ok();
        std::string sql = head;
        for (std::size_t r = 0; r < rows; ++r) sql += (r ? ", " : "") + tuple;
        KZ_ASSIGN(SqlStmt* stmt, to.Prepare(sql));
        Query q(stmt);
        for (std::size_t at = 0; at < pending.size(); ++at) {
          const auto& value = pending[at];
          if (!value) {
            q.Bind(std::optional<std::int64_t>());
          } else if (table.columns[at % width].integer) {
            std::int64_t number = 0;
            std::from_chars(value->data(), value->data() + value->size(), number);
            q.Bind(number);
          } else {
            q.Bind(*value);
          }
        }
        pending.clear();
        return q.Exec();
      };
      TableFigures figures;
      KZ_TRY(EachRow(from, table, copy.workspace_id, figures, [&](Query& row) -> Status {
        for (std::size_t col = 0; col < width; ++col) {
          const int c = static_cast<int>(col);
          if (row.IsNull(c)) pending.emplace_back();
          else if (table.columns[col].integer) pending.emplace_back(std::to_string(row.Int(c)));
          else pending.emplace_back(row.Text(c));
        }
        if (pending.size() >= per_insert * width) KZ_TRY(flush());
        if (progress && figures.rows % 100000 == 0) {
          progress("  " + table.name + ": " + std::to_string(figures.rows) + " rows…");
        }
        return Ok();
      }));
      KZ_TRY(flush());
      if (table.has_identity) {
        KZ_TRY(to.Exec("SELECT setval(pg_get_serial_sequence('" + table.name + "', 'id'), GREATEST((SELECT MAX(id) FROM " +
                       Quoted(table.name) + "), 1))"));
      }
      // Read back what the target now holds and compare.
      TableFigures written;
      KZ_TRY(EachRow(to, table, copy.workspace_id, written, nullptr));
      if (written.rows != figures.rows || written.checksum != figures.checksum) {
        return Error::Internal(table.name + ": the target holds " + std::to_string(written.rows) + " rows (checksum " +
                               std::to_string(written.checksum) + ") against the source's " +
                               std::to_string(figures.rows) + " (checksum " + std::to_string(figures.checksum) + ")");
      }
      copy.tables.push_back(figures);
      if (progress) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        progress("  " + table.name + ": " + std::to_string(figures.rows) + " rows, checksum verified (" +
                 std::to_string(ms.count()) + " ms)");
      }
    }
    return Ok();
  }();
  if (!copied.ok()) {
    (void)to.Exec("ROLLBACK");
    return copied.error();
  }
  KZ_TRY(to.Exec("COMMIT"));
  return copy;
}

}  // namespace kizuna::storage
