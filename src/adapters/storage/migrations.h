// Numbered schema migrations, embedded in the binary from migrations/*.sql.
#pragma once

#include <string_view>
#include <vector>

namespace kizuna::storage {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;  // may contain dialect placeholders such as @ID@
};

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
};

// All migrations in version order.
const std::vector<Migration>& Migrations();

}  // namespace kizuna::storage
