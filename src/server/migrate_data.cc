#include "server/migrate_data.h"

#include <chrono>
#include <filesystem>
#include <iostream>

#include "adapters/storage/postgres/pg_store.h"
#include "adapters/storage/sql/sql_copy.h"
#include "adapters/storage/sqlite/sqlite_store.h"

namespace kizuna::server {
namespace {

struct Location {
  std::string sqlite_path;  // or
  std::string postgres_url;
};

Result<Location> ParseLocation(const std::string& text, const char* option) {
  if (text.rfind("sqlite:", 0) == 0 && text.size() > 7) return Location{text.substr(7), ""};
  if (storage::IsPostgresUrl(text)) return Location{"", text};
  return Error::Invalid(option, std::string(option) + " is sqlite:PATH or postgresql://…, not \"" + text + "\"");
}

std::string Describe(const Location& at) {
  if (!at.sqlite_path.empty()) return "SQLite " + at.sqlite_path;
  // The URL may hold a password: name only what follows the last '@'.
  const auto at_sign = at.postgres_url.rfind('@');
  return "PostgreSQL " + (at_sign == std::string::npos ? at.postgres_url : at.postgres_url.substr(at_sign + 1));
}

Result<int> SchemaVersion(storage::SqlConn& db) {
  KZ_ASSIGN(storage::SqlStmt* stmt, db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  storage::Query q(stmt);
  int version = q.Step() ? static_cast<int>(q.Int(0)) : 0;
  KZ_TRY(q.status());
  return version;
}

int Failed(const Error& error) {
  std::cerr << "kizuna migrate-data: " << error.message << "\n";
  return error.code == ErrorCode::kInvalidArgument ? 2 : 1;
}

}  // namespace

int MigrateData(const std::string& from_text, const std::string& to_text, const std::vector<std::string>& names) {
  auto from_at = ParseLocation(from_text, "--from");
  if (!from_at.ok()) return Failed(from_at.error());
  auto to_at = ParseLocation(to_text, "--to");
  if (!to_at.ok()) return Failed(to_at.error());
  if (!from_at->sqlite_path.empty() && !std::filesystem::exists(from_at->sqlite_path)) {
    return Failed(Error::Invalid("--from", "no SQLite database at " + from_at->sqlite_path));
  }

  auto from = from_at->sqlite_path.empty() ? storage::OpenPgConnection(from_at->postgres_url)
                                           : storage::OpenSqliteConnection(from_at->sqlite_path, true);
  if (!from.ok()) return Failed(from.error());
  // The target gets the current schema first (created when it is a new SQLite file).
  auto migrated = to_at->sqlite_path.empty() ? storage::MigratePostgres(to_at->postgres_url)
                                             : storage::MigrateSqlite(to_at->sqlite_path);
  if (!migrated.ok()) return Failed(migrated.error());
  auto source_version = SchemaVersion(**from);
  if (!source_version.ok()) return Failed(source_version.error());
  if (*source_version != migrated->to_version) {
    return Failed(Error::Unavailable("the source's schema is at version " + std::to_string(*source_version) +
                                     " and the target's at " + std::to_string(migrated->to_version) +
                                     ": run `kizuna migrate` on the source first"));
  }
  auto to = to_at->sqlite_path.empty() ? storage::OpenPgConnection(to_at->postgres_url)
                                       : storage::OpenSqliteConnection(to_at->sqlite_path, false);
  if (!to.ok()) return Failed(to.error());

  std::vector<std::string> workspaces = names;
  if (workspaces.empty()) {
    auto all = storage::ListWorkspaceNames(**from);
    if (!all.ok()) return Failed(all.error());
    workspaces = *all;
  }
  std::cout << "Copying " << workspaces.size() << (workspaces.size() == 1 ? " workspace" : " workspaces")
            << " from " << Describe(*from_at) << " to " << Describe(*to_at) << "\n";
  for (const auto& name : workspaces) {
    const auto started = std::chrono::steady_clock::now();
    std::cout << "Workspace \"" << name << "\":\n" << std::flush;
    auto copy = storage::CopyWorkspace(**from, **to, name,
                                       [](const std::string& line) { std::cout << line << "\n" << std::flush; });
    if (!copy.ok()) {
      std::cerr << "kizuna migrate-data: workspace \"" << name << "\" was not copied (nothing of it was written): "
                << copy.error().message << "\n";
      return 1;
    }
    std::int64_t rows = 0;
    for (const auto& table : copy->tables) rows += table.rows;
    const auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "Workspace \"" << name << "\" copied: " << copy->tables.size() << " tables, " << rows
              << " rows, counts and checksums match (" << static_cast<long long>(seconds * 1000) << " ms)\n";
  }
  return 0;
}

}  // namespace kizuna::server
