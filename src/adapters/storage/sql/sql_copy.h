// Copying a workspace's rows between two databases of either backend (`kizuna migrate-data`),
// verified by row counts and checksums read back from the target before it commits.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/storage/sql/sql_conn.h"
#include "core/ids.h"

namespace kizuna::storage {

struct TableFigures {
  std::string table;
  std::int64_t rows = 0;
  std::uint64_t checksum = 0;  // order-independent: the sum of each row's FNV-1a hash
};

struct WorkspaceCopy {
  WorkspaceId workspace_id = 0;
  std::string name;
  std::vector<TableFigures> tables;  // in copy order; equal on both sides
};

// The names of the source's workspaces, by id.
Result<std::vector<std::string>> ListWorkspaceNames(SqlConn& db);

// Copies every row of workspace `name` from `from` to `to`, keeping ids, in one transaction
// of `to` that commits only when each table's count and checksum read back from `to` equal
// the source's. REQUIRES: both at the same schema version. Conflict when `to` already has a
// workspace with this name or id. `progress` gets a line per table (and per 100,000 rows).
Result<WorkspaceCopy> CopyWorkspace(SqlConn& from, SqlConn& to, std::string_view name,
                                    const std::function<void(const std::string&)>& progress);

}  // namespace kizuna::storage
