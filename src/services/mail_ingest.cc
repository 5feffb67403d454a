#include "services/mail_ingest.h"

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "engines/email_text.h"
#include "services/tickets.h"

namespace kizuna::services {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxBody = 65536;
constexpr std::size_t kMaxSubject = 250;
constexpr Timestamp kHourMs = 3'600'000;

// Mail text as a message keeps it: LF line ends, no control characters but tab and
// newline, at most `max` code points (cut on a character boundary).
// REQUIRES: `text` is valid UTF-8 (ParseEmail's output always is).
std::string CleanText(std::string_view text, std::size_t max) {
  std::string out;
  out.reserve(std::min(text.size(), max * 4));
  std::size_t code_points = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') continue;
      c = '\n';
    }
    if (c < 0x20 && c != '\n' && c != '\t') continue;
    if (c == 0x7f) continue;
    if ((c & 0xC0) != 0x80) {
      if (code_points == max) break;
      ++code_points;
    }
    out.push_back(static_cast<char>(c));
  }
  return TrimSpaces(out);
}

std::string CleanLine(std::string_view text, std::size_t max) {
  std::string line = CleanText(text, max);
  for (auto& c : line) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return line;
}

// The ticket an email's headers point at, if any, and whether the pointer is the
// ticket's own reply address (which anyone in the conversation may use).
struct Thread {
  std::optional<Ticket> ticket;
  bool by_reply_address = false;
};

std::optional<TicketId> TicketInOurMessageId(std::string_view id, WorkspaceId ws, const std::string& domain) {
  // Our outbound Message-IDs are kz.<workspace>.t<ticket>.<suffix>@<domain>.
  auto at = id.rfind('@');
  if (at == std::string_view::npos || ToLowerAscii(id.substr(at + 1)) != ToLowerAscii(domain)) return std::nullopt;
  std::string prefix = "kz." + std::to_string(ws) + ".t";
  if (id.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::int64_t ticket = 0;
  std::size_t i = prefix.size();
  for (; i < at && id[i] >= '0' && id[i] <= '9' && ticket < (1LL << 50); ++i) ticket = ticket * 10 + (id[i] - '0');
  if (i == prefix.size() || i >= at || id[i] != '.') return std::nullopt;
  return ticket;
}

Result<Thread> FindThread(ports::WriteTx& tx, ports::Crypto& crypto, WorkspaceId ws, const IngestInput& in,
                          const MailPolicy& policy) {
  const InboundEmail& email = in.email;
  Thread thread;
  // 1. The ticket's reply address: the tag proves the sender got it from us.
  if (in.mailbox) {
    std::vector<MailAddress> recipients = email.to;
    recipients.insert(recipients.end(), email.cc.begin(), email.cc.end());
    for (const auto& recipient : recipients) {
      auto target = ParseReplyAddress(ToLowerAscii(recipient.address), in.mailbox->address);
      if (!target) continue;
      if (!crypto.Equal(target->tag, ReplyTag(crypto, *in.mailbox, target->ticket_number))) continue;
      auto ticket = tx.GetTicketByNumber(ws, target->ticket_number);
      if (ticket.ok()) {
        thread.ticket = *ticket;
        thread.by_reply_address = true;
        return thread;
      }
      if (ticket.error().code != ErrorCode::kNotFound) return ticket.error();
    }
  }
  // 2. In-Reply-To and References: our own Message-IDs, or mail we took earlier.
  std::vector<std::string> ids;
  if (!email.in_reply_to.empty()) ids.push_back(email.in_reply_to);
  for (auto it = email.references.rbegin(); it != email.references.rend(); ++it) ids.push_back(*it);
  for (const auto& id : ids) {
    std::optional<TicketId> ticket_id = TicketInOurMessageId(id, ws, policy.loop_marker);
    if (!ticket_id) {
      auto seen = tx.FindInboundEmail(ws, id);
      if (seen.ok()) ticket_id = seen->ticket_id;
      else if (seen.error().code != ErrorCode::kNotFound) return seen.error();
    }
    if (!ticket_id) continue;
    auto ticket = tx.GetTicket(ws, *ticket_id);
    if (ticket.ok()) {
      thread.ticket = *ticket;
      return thread;
    }
    if (ticket.error().code != ErrorCode::kNotFound) return ticket.error();
  }
  // 3. "[#123]" in the subject.
  if (auto number = TicketNumberInSubject(email.subject)) {
    auto ticket = tx.GetTicketByNumber(ws, *number);
    if (ticket.ok()) thread.ticket = *ticket;
    else if (ticket.error().code != ErrorCode::kNotFound) return ticket.error();
  }
  return thread;
}

// The customer an address belongs to, following merges; nullopt when nobody has it.
Result<std::optional<CustomerId>> CustomerOf(ports::WriteTx& tx, WorkspaceId ws, const Identity& identity) {
  auto found = tx.FindCustomerByIdentity(ws, identity);
  if (found.ok()) return std::optional<CustomerId>(found->merged_into.value_or(found->id));
  if (found.error().code != ErrorCode::kNotFound) return found.error();
  return std::optional<CustomerId>();
}

// Remembers a message taken (so a re-delivery is recognised) and counts it on its mailbox.
Status Remember(ports::WriteTx& tx, WorkspaceId ws, std::optional<std::int64_t> mailbox_id, const std::string& key,
                const std::string& sender, const IngestOutcome& outcome, Timestamp now) {
  KZ_TRY(tx.InsertInboundEmail(
      InboundRecord{ws, key, sender, outcome.outcome, outcome.ticket_id, outcome.message_id, now}));
  if (!mailbox_id) return Ok();
  auto counted = tx.CountMailboxIntake(ws, *mailbox_id);
  if (!counted.ok() && counted.error().code != ErrorCode::kNotFound) return counted.error();  // deleted meanwhile: fine
  return Ok();
}

}  // namespace

std::string LoopMarker(const std::string& mail_domain) { return "kizuna@" + mail_domain; }

std::string MessageKey(const InboundEmail& email, const std::string& raw_sha256) {
  if (!email.message_id.empty() && email.message_id.size() <= 500) return email.message_id;
  return "sha256:" + raw_sha256;
}

std::string ReplyTag(ports::Crypto& crypto, const Mailbox& mailbox, std::int64_t ticket_number) {
  return crypto.DigestToken(mailbox.reply_key + ":" + std::to_string(ticket_number)).substr(0, 12);
}

Result<IngestOutcome> RejectEmail(ports::WriteTx& tx, WorkspaceId ws, std::optional<std::int64_t> mailbox_id,
                                  const std::string& message_key, const std::string& sender, const std::string& subject,
                                  const std::string& reason, const std::string& raw_sha256, Timestamp now) {
  auto seen = tx.FindInboundEmail(ws, message_key);
  if (seen.ok()) return IngestOutcome{"duplicate", seen->ticket_id, 0, seen->message_id, reason};
  if (seen.error().code != ErrorCode::kNotFound) return seen.error();
  MailRejection rejection{0,
                          ws,
                          mailbox_id,
                          message_key,
                          CleanLine(sender, 320),
                          CleanLine(subject, kMaxSubject),
                          reason,
                          raw_sha256,
                          now};
  KZ_TRY(tx.InsertMailRejection(rejection));
  IngestOutcome outcome{"rejected", std::nullopt, 0, std::nullopt, reason};
  KZ_TRY(Remember(tx, ws, mailbox_id, message_key, rejection.sender, outcome, now));
  return outcome;
}

Result<IngestOutcome> IngestEmail(ports::WriteTx& tx, ports::Crypto& crypto, WorkspaceId ws, const IngestInput& in,
                                  const MailPolicy& policy, Timestamp now) {
  const InboundEmail& email = in.email;
  const std::string key = MessageKey(email, in.raw_sha256);
  std::optional<std::int64_t> mailbox_id;
  if (in.mailbox) mailbox_id = in.mailbox->id;

  // 1. Taken already: a re-delivery changes nothing.
  auto seen = tx.FindInboundEmail(ws, key);
  if (seen.ok()) return IngestOutcome{"duplicate", seen->ticket_id, 0, seen->message_id, {}};
  if (seen.error().code != ErrorCode::kNotFound) return seen.error();

  auto reject = [&](const std::string& reason) {
    return RejectEmail(tx, ws, mailbox_id, key, ToLowerAscii(email.from.address), email.subject, reason,
                       in.raw_sha256, now);
  };

  // 2. Loops and noise never become conversations or trigger answers.
  MailNoise noise = ClassifyNoise(email, LoopMarker(policy.loop_marker));
  switch (noise) {
    case MailNoise::kOwnLoop: return reject("our own outgoing mail came back (X-Kizuna-Loop)");
    case MailNoise::kBounce: return reject("a delivery status report (bounce)");
    case MailNoise::kAutoReply: return reject("an automatic reply (out of office or similar)");
    default: break;
  }

  // 3. A sender we can answer, and not a flood.
  auto sender = NormaliseIdentity("email", email.from.address);
  if (!sender.ok()) return reject("no valid sender address in From");
  KZ_ASSIGN(std::int64_t recent, tx.CountInboundFrom(ws, sender->value, now - kHourMs));
  if (recent >= policy.sender_hourly_limit) {
    return reject("the sender sent more than " + std::to_string(policy.sender_hourly_limit) +
                  " messages within an hour");
  }

  std::string full = CleanText(email.text, kMaxBody);
  ChannelContent content;
  content.html = email.html.size() <= 512 * 1024 ? email.html : std::string();
  content.external_id = key;
  content.files = in.files;

  // 4. An answer on a ticket this sender may write to.
  KZ_ASSIGN(Thread thread, FindThread(tx, crypto, ws, in, policy));
  KZ_ASSIGN(std::optional<CustomerId> customer, CustomerOf(tx, ws, *sender));
  if (thread.ticket && thread.ticket->status != TicketStatus::kClosed) {
    // Headers and subjects can be copied; only the requester (or anyone holding the
    // ticket's reply address) adds to a ticket that way.
    bool is_requester = customer && *customer == thread.ticket->requester_id;
    if (is_requester || thread.by_reply_address) {
      if (!customer) {
        RequesterInput who{std::nullopt, CleanLine(email.from.name, 200), sender->value, "", ""};
        KZ_ASSIGN(CustomerId created, ResolveRequester(tx, Actor{ws, "customer", 0, Role::kAgent}, who, now));
        customer = created;
      }
      CustomerMessageInput message;
      message.body = CleanText(StripQuotedHistory(full), kMaxBody);
      if (message.body.empty()) message.body = full.empty() ? std::string("(no text)") : full;
      if (message.body != full) content.full_text = full;
      message.content = std::move(content);
      KZ_ASSIGN(MessageResult added, AddCustomerMessage(tx, ws, *customer, *thread.ticket, message, now));
      IngestOutcome outcome{"message", added.ticket.id, added.ticket.number, added.message.id, {}};
      KZ_TRY(Remember(tx, ws, mailbox_id, key, sender->value, outcome, now));
      return outcome;
    }
  }

  // 5. A new ticket.
  CreateTicketInput create;
  std::string subject = CleanLine(NormaliseSubject(email.subject), kMaxSubject);
  create.subject = subject.empty() ? "(no subject)" : subject;
  create.body = full.empty() ? "(no text)" : full;
  create.channel = "email";
  if (customer) create.requester.id = *customer;
  else {
    create.requester.email = sender->value;
    create.requester.name = CleanLine(email.from.name, 200);
  }
  if (noise == MailNoise::kBulk) create.tags.push_back("bulk");
  create.content = std::move(content);
  Actor actor{ws, "customer", customer.value_or(0), Role::kAgent};
  KZ_ASSIGN(Ticket ticket, CreateTicket(tx, actor, create, now));
  KZ_ASSIGN(auto messages, tx.ListMessages(ws, ticket.id));
  IngestOutcome outcome{"ticket", ticket.id, ticket.number,
                        messages.empty() ? std::nullopt : std::optional<MessageId>(messages.front().id), {}};
  KZ_TRY(Remember(tx, ws, mailbox_id, key, sender->value, outcome, now));

  if (AllowsAutomaticAnswer(noise) && (!in.mailbox || in.mailbox->ack_enabled)) {
    ports::OutboxJob job;
    job.workspace_id = ws;
    job.kind = "email";
    job.payload = json{{"template", "ack"},
                       {"ticket_id", ticket.id},
                       {"mailbox_id", mailbox_id ? json(*mailbox_id) : json(nullptr)},
                       {"in_reply_to", email.message_id}}
                      .dump();
    job.run_after = now;
    KZ_TRY(tx.EnqueueOutbox(job));
  }
  return outcome;
}

}  // namespace kizuna::services
