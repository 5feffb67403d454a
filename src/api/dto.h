// JSON shapes of the API's resources (the same names as the glossary).
#pragma once

#include <nlohmann/json.hpp>

#include "core/customer.h"
#include "core/event.h"
#include "core/ticket.h"
#include "core/workspace.h"
#include "ports/store.h"

namespace kizuna::api {

nlohmann::json ToJson(const Ticket& ticket);
// The same, its SLA targets seen at `now`: one still running past its due time is breached.
nlohmann::json ToJson(const Ticket& ticket, Timestamp now);
nlohmann::json ToJson(const Message& message);
nlohmann::json ToJson(const Event& event);
nlohmann::json ToJson(const Customer& customer);
nlohmann::json ToJson(const Agent& agent);
nlohmann::json ToJson(const Team& team);
nlohmann::json ToJson(const Organisation& organisation);
nlohmann::json ToJson(const Workspace& workspace);
nlohmann::json ToJson(const ports::ApiToken& token);
nlohmann::json ToJson(const Mailbox& mailbox);
nlohmann::json ToJson(const MailRejection& rejection);

}  // namespace kizuna::api
