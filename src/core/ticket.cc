#include "core/ticket.h"

#include <algorithm>
#include <array>

#include "core/text.h"

namespace kizuna {
namespace {

constexpr std::array<std::pair<TicketStatus, const char*>, 6> kStatuses{{
    {TicketStatus::kNew, "new"},
    {TicketStatus::kOpen, "open"},
    {TicketStatus::kPending, "pending"},
    {TicketStatus::kOnHold, "on_hold"},
    {TicketStatus::kSolved, "solved"},
    {TicketStatus::kClosed, "closed"},
}};

constexpr std::array<std::pair<Priority, const char*>, 4> kPriorities{{
    {Priority::kLow, "low"},
    {Priority::kNormal, "normal"},
    {Priority::kHigh, "high"},
    {Priority::kUrgent, "urgent"},
}};

constexpr std::array<const char*, 12> kChannels{
    "email", "web", "chat", "api", "phone", "sms", "line", "messenger", "zalo", "kakaotalk", "form", "internal"};

constexpr std::size_t kMaxTagBytes = 64;
constexpr std::size_t kMaxTags = 50;

}  // namespace

const char* StatusName(TicketStatus status) {
  for (const auto& [value, name] : kStatuses) {
    if (value == status) return name;
  }
  return "new";
}

Result<TicketStatus> ParseStatus(std::string_view text) {
  for (const auto& [value, name] : kStatuses) {
    if (text == name) return value;
  }
  return Error::Invalid("status", "status must be one of new, open, pending, on_hold, solved, closed");
}

const char* PriorityName(Priority priority) {
  for (const auto& [value, name] : kPriorities) {
    if (value == priority) return name;
  }
  return "normal";
}

Result<Priority> ParsePriority(std::string_view text) {
  for (const auto& [value, name] : kPriorities) {
    if (text == name) return value;
  }
  return Error::Invalid("priority", "priority must be one of low, normal, high, urgent");
}

bool IsUnsolved(TicketStatus status) {
  return status != TicketStatus::kSolved && status != TicketStatus::kClosed;
}

bool IsAllowedTransition(TicketStatus from, TicketStatus to) {
  if (from == to) return true;
  if (from == TicketStatus::kClosed) return false;  // a closed ticket is history; follow-ups make new tickets
  if (to == TicketStatus::kNew) return false;       // new means "nobody has looked yet"
  return true;
}

bool IsKnownChannel(std::string_view channel) {
  return std::find(kChannels.begin(), kChannels.end(), channel) != kChannels.end();
}

const char* AuthorTypeName(AuthorType type) {
  switch (type) {
    case AuthorType::kAgent: return "agent";
    case AuthorType::kCustomer: return "customer";
    case AuthorType::kSystem: return "system";
  }
  return "system";
}

Result<std::vector<std::string>> NormaliseTags(const std::vector<std::string>& tags) {
  if (tags.size() > kMaxTags) return Error::Invalid("tags", "at most 50 tags per ticket");
  std::vector<std::string> out;
  out.reserve(tags.size());
  for (const auto& raw : tags) {
    if (!IsValidUtf8(raw)) return Error::Invalid("tags", "tags must be valid UTF-8");
    std::string tag = ToLowerAscii(TrimSpaces(raw));
    if (tag.empty()) continue;
    if (tag.size() > kMaxTagBytes) return Error::Invalid("tags", "a tag is at most 64 bytes");
    for (unsigned char c : tag) {
      if (c <= 0x20 || c == 0x7f || c == ',') {
        return Error::Invalid("tags", "tags may not contain spaces, commas or control characters");
      }
    }
    out.push_back(std::move(tag));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> InboxCounterKeys(const Ticket& ticket) {
  std::vector<std::string> keys;
  keys.push_back(std::string("status:") + StatusName(ticket.status));
  if (!IsUnsolved(ticket.status)) return keys;
  keys.emplace_back("unsolved");
  if (ticket.assignee_id) {
    keys.push_back("assignee:" + std::to_string(*ticket.assignee_id));
  } else {
    keys.emplace_back("unassigned");
  }
  if (ticket.team_id) keys.push_back("team:" + std::to_string(*ticket.team_id));
  return keys;
}

}  // namespace kizuna
