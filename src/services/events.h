// Building events: the one way services record what changed.
#pragma once

#include <nlohmann/json.hpp>

#include "core/event.h"
#include "ports/store.h"
#include "services/actor.h"

namespace kizuna::services {

// Appends an event of `type` with `data` for `actor` to the transaction.
Status RecordEvent(ports::WriteTx& tx, const Actor& actor, std::optional<TicketId> ticket, std::string type,
                   const nlohmann::json& data, Timestamp now);

}  // namespace kizuna::services
