// Reading what a running server queued in its outbox, straight from its database (SQLite or
// PostgreSQL, through the harness's QueryRows): the help-centre sign-in token a test would
// otherwise take from the email.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "harness.h"

namespace kizuna::testing {

// The token of the newest sign-in email queued for `to`; empty when there is none.
inline std::string SignInTokenFor(const KizunaProcess& server, const std::string& to) {
  for (const auto& row : QueryRows(server, "SELECT payload FROM outbox WHERE kind = 'email' ORDER BY id DESC")) {
    auto payload = nlohmann::json::parse(row.at(0), nullptr, false);
    if (payload.is_object() && payload.value("to", "") == to) return payload.value("token", "");
  }
  return "";
}

}  // namespace kizuna::testing
