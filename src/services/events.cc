#include "services/events.h"

namespace kizuna::services {

Status RecordEvent(ports::WriteTx& tx, const Actor& actor, std::optional<TicketId> ticket, std::string type,
                   const nlohmann::json& data, Timestamp now) {
  Event event;
  event.workspace_id = actor.workspace_id;
  event.ticket_id = ticket;
  event.type = std::move(type);
  event.actor_type = actor.type;
  event.actor_id = actor.id;
  event.data = data.dump();
  event.created_at = now;
  return tx.AppendEvent(event);
}

}  // namespace kizuna::services
