// Identifiers and instants shared by every layer.
#pragma once

#include <cstdint>
#include <optional>

namespace kizuna {

using WorkspaceId = std::int64_t;
using AgentId = std::int64_t;
using TeamId = std::int64_t;
using OrganisationId = std::int64_t;
using CustomerId = std::int64_t;
using TicketId = std::int64_t;
using MessageId = std::int64_t;
using EventId = std::int64_t;

// Milliseconds since the Unix epoch, UTC.
using Timestamp = std::int64_t;

}  // namespace kizuna
