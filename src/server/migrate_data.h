// `kizuna migrate-data`: copies workspaces between the SQLite and PostgreSQL backends.
#pragma once

#include <string>
#include <vector>

namespace kizuna::server {

// `from` and `to` are "sqlite:PATH" or "postgresql://…". Copies the named workspaces (all of
// the source's when empty), each verified by counts and checksums, printing progress.
// Returns the process exit code.
int MigrateData(const std::string& from, const std::string& to, const std::vector<std::string>& workspaces);

}  // namespace kizuna::server
