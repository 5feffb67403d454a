// What the store keeps for service standards (C3): the standards admins set, and one row per
// measured interval of a ticket (a first reply, a next reply, a resolution), written in the
// transaction of the ticket change that ended it. Included by store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/ids.h"

namespace kizuna::ports {

// A service standard such as "first email reply within 1 business hour". channels is JSON
// text written by services/standards.cc (a list of channel names; empty: every channel).
struct StoredServiceStandard {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  std::int64_t position = 0;
  std::string name;
  std::string metric;  // first_reply, next_reply, resolution, call_answer, call_hold
  std::string channels;
  std::int64_t target_seconds = 0;
  std::string clock;                       // business, calendar
  std::optional<std::int64_t> calendar_id;  // business time in this calendar; none: 24/7
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::int64_t version = 1;
};

// One interval a customer waited, ended by an agent's public reply, by solving, or on the
// phone (answering a call, taking it off hold).
struct ServiceMeasure {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  TicketId ticket_id = 0;
  std::string metric;              // first_reply, next_reply, resolution, call_answer, call_hold
  std::string channel;             // the ticket's channel
  std::optional<TeamId> team_id;   // the ticket's team when the interval ended
  std::optional<AgentId> agent_id;  // who replied or solved; none when the system did
  Timestamp started_at = 0;
  Timestamp ended_at = 0;
  // A wait that never got what it waited for (a call that ended unanswered): it meets no
  // standard, however short it was.
  bool missed = false;
};

// Which measures to list: those that ended in [ended_from, ended_before), in (ended_at, id)
// order after the keyset position `after_ended_at`/`after_id` (both 0: from the first).
struct MeasureRange {
  Timestamp ended_from = 0;
  Timestamp ended_before = 0;
  Timestamp after_ended_at = 0;
  std::int64_t after_id = 0;
  int limit = 1000;  // REQUIRES: 1..10000
};

}  // namespace kizuna::ports
