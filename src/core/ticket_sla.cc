#include "core/ticket_sla.h"

#include <charconv>
#include <cstdio>

namespace kizuna {
namespace {

void AppendInt(std::string& out, std::int64_t value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

void AppendTime(std::string& out, const std::optional<Timestamp>& value) {
  if (value) AppendInt(out, *value);
  else out += "null";
}

// A JSON string. Metrics and states are plain words; anything else is escaped all the same.
void AppendString(std::string& out, const std::string& value) {
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += escaped;
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace

std::string EncodeSlaTargets(const std::vector<TicketSlaTarget>& targets) {
  std::string out;
  out.reserve(2 + targets.size() * 72);
  out += '[';
  for (const auto& t : targets) {
    if (out.size() > 1) out += ',';
    out += '[';
    AppendString(out, t.metric);
    out += ',';
    AppendString(out, t.state);
    out += ',';
    AppendTime(out, t.due_at);
    out += t.breached ? ",1," : ",0,";
    AppendTime(out, t.breached_at);
    out += ',';
    AppendTime(out, t.warning_at);
    out += ',';
    AppendInt(out, t.cycle);
    out += ',';
    AppendInt(out, t.warned_cycle);
    out += ',';
    AppendInt(out, t.escalated_cycle);
    out += ']';
  }
  out += ']';
  return out;
}

}  // namespace kizuna
