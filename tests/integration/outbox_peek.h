// Reading what a running server queued in its outbox, straight from its SQLite file: the
// help-centre sign-in token a test would otherwise take from the email. For tests that link
// sqlite3.
#pragma once

#include <sqlite3.h>

#include <string>

#include <nlohmann/json.hpp>

#include "harness.h"

namespace kizuna::testing {

// The token of the newest sign-in email queued for `to`; empty when there is none.
inline std::string SignInTokenFor(const KizunaProcess& server, const std::string& to) {
  sqlite3* db = nullptr;
  std::string token;
  if (sqlite3_open_v2((server.data_dir() + "/kizuna.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT payload FROM outbox WHERE kind = 'email' ORDER BY id DESC", -1, &stmt, nullptr);
    while (stmt && sqlite3_step(stmt) == SQLITE_ROW) {
      auto payload = nlohmann::json::parse(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), nullptr, false);
      if (payload.value("to", "") == to) {
        token = payload.value("token", "");
        break;
      }
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return token;
}

}  // namespace kizuna::testing
