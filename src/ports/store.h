// The store port: transactions over tickets, customers, agents and the rest.
//
// Every method takes the workspace it acts in, and an implementation must
// scope every query by it: a row of another workspace is NotFound, never
// returned. Implementations: adapters/storage/sqlite (default).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/customer.h"
#include "core/email.h"
#include "core/event.h"
#include "core/ids.h"
#include "core/result.h"
#include "core/ticket.h"
#include "core/workspace.h"
#include "ports/kb_records.h"  // knowledge base (C20)
#include "ports/routing_records.h"  // routing (C4)
#include "ports/sla_records.h"
#include "ports/community_records.h"  // community (C22)
#include "ports/standard_records.h"  // service standards (C3)
#include "ports/voice_records.h"  // voice calls (C18)

namespace kizuna::ports {

enum class TicketSortKey { kUpdatedAt, kCreatedAt, kNumber, kSolvedAt, kDueAt };

// Keyset position: the sort value and id of the last ticket of the previous page.
struct TicketCursor {
  std::int64_t sort_value = 0;
  TicketId id = 0;
};

// The value a ticket sorts by under `key`: the first half of its keyset cursor.
inline std::int64_t SortValue(const Ticket& ticket, TicketSortKey key) {
  switch (key) {
    case TicketSortKey::kUpdatedAt: return ticket.updated_at;
    case TicketSortKey::kCreatedAt: return ticket.created_at;
    case TicketSortKey::kNumber: return ticket.number;
    case TicketSortKey::kSolvedAt: return ticket.solved_at.value_or(0);  // unsolved sort as 0
    case TicketSortKey::kDueAt:  // nothing due sorts last, unsolved before solved
      if (ticket.sla && ticket.sla->next_due_at) return *ticket.sla->next_due_at;
      return IsUnsolved(ticket.status) ? kNoDueTime - 1 : kNoDueTime;
  }
  return ticket.updated_at;
}

struct TicketFilter {
  std::vector<TicketStatus> statuses;  // empty: any
  std::optional<AgentId> assignee_id;
  bool unassigned = false;
  std::optional<TeamId> team_id;
  std::optional<std::string> tag;
  std::optional<CustomerId> requester_id;
  std::optional<std::string> channel;
  std::optional<Timestamp> updated_since;
  TicketSortKey sort = TicketSortKey::kUpdatedAt;
  bool descending = true;
  std::optional<TicketCursor> after;
  int limit = 25;  // REQUIRES: 1..100
};

struct TicketPage {
  std::vector<Ticket> tickets;
  bool has_more = false;
};

struct Session {
  std::string token_hash;  // hex BLAKE2b of the cookie value
  WorkspaceId workspace_id = 0;
  AgentId agent_id = 0;
  std::string csrf_token;
  Timestamp created_at = 0;
  Timestamp expires_at = 0;
};

struct ApiToken {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  AgentId agent_id = 0;
  std::string name;
  std::string token_hash;  // hex BLAKE2b of the secret
  std::vector<std::string> scopes;
  Timestamp created_at = 0;
  std::optional<Timestamp> revoked_at;
};

// A customer's help-centre sign-in: the one-time link, then the session it opens.
struct PortalLink {
  std::string token_hash;
  WorkspaceId workspace_id = 0;
  CustomerId customer_id = 0;
  Timestamp created_at = 0;
  Timestamp expires_at = 0;
  std::optional<Timestamp> used_at;
};

struct PortalSession {
  std::string token_hash;
  WorkspaceId workspace_id = 0;
  CustomerId customer_id = 0;
  std::string csrf_token;
  Timestamp created_at = 0;
  Timestamp expires_at = 0;
};

// An uploaded file: who uploaded it, and the message it went out with (once sent).
struct StoredAttachment {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  std::string token_hash;  // the uploader refers to it by the secret behind this digest
  std::string sha256;      // key in the blob store
  std::string name;
  std::string content_type;
  std::int64_t size = 0;
  std::string uploader_type;  // agent, token, customer, visitor
  std::int64_t uploader_id = 0;
  std::optional<MessageId> message_id;
  Timestamp created_at = 0;
};

// The answer first given to a POST with an Idempotency-Key, replayed on retries.
struct StoredResponse {
  std::string request_hash;
  int status = 200;
  std::string body;
};

struct OutboxJob {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  std::string kind;     // reply (an agent's public reply to deliver on its channel), email, webhook
  std::string payload;  // JSON
  Timestamp run_after = 0;
  std::string state = "queued";  // queued, sending (claimed until run_after), delivered, failed
  int attempts = 0;
  std::string last_error;
};

// A ticket and its messages, for the search index.
struct TicketWithMessages {
  Ticket ticket;
  std::vector<Message> messages;
};

class ReadTx {
 public:
  virtual ~ReadTx() = default;

  virtual Result<Workspace> GetWorkspace(WorkspaceId id) = 0;
  virtual Result<Workspace> FindWorkspace(std::string_view name) = 0;

  virtual Result<Agent> GetAgent(WorkspaceId ws, AgentId id) = 0;
  virtual Result<Agent> FindAgentByEmail(WorkspaceId ws, std::string_view email) = 0;
  virtual Result<std::vector<Agent>> ListAgents(WorkspaceId ws) = 0;

  virtual Result<Team> GetTeam(WorkspaceId ws, TeamId id) = 0;
  virtual Result<std::vector<Team>> ListTeams(WorkspaceId ws) = 0;

  virtual Result<Organisation> GetOrganisation(WorkspaceId ws, OrganisationId id) = 0;
  virtual Result<std::vector<Organisation>> ListOrganisations(WorkspaceId ws) = 0;

  virtual Result<Customer> GetCustomer(WorkspaceId ws, CustomerId id) = 0;
  // NotFound when no customer of the workspace has this identity.
  virtual Result<Customer> FindCustomerByIdentity(WorkspaceId ws, const Identity& identity) = 0;
  // Customers by id ascending after `after_id`; `query` matches name or identity prefix.
  virtual Result<std::vector<Customer>> ListCustomers(WorkspaceId ws, std::string_view query, CustomerId after_id,
                                                      int limit) = 0;

  virtual Result<Ticket> GetTicket(WorkspaceId ws, TicketId id) = 0;
  virtual Result<Ticket> GetTicketByNumber(WorkspaceId ws, std::int64_t number) = 0;
  virtual Result<TicketPage> ListTickets(WorkspaceId ws, const TicketFilter& filter) = 0;
  // Current value of each inbox counter key (see core InboxCounterKeys); absent keys count 0.
  virtual Result<std::map<std::string, std::int64_t>> CountInbox(WorkspaceId ws,
                                                                 const std::vector<std::string>& keys) = 0;
  // CountInbox of `keys` and of "team:<id>" for every team of the workspace, in one query
  // (the inbox's counts of every view).
  virtual Result<std::map<std::string, std::int64_t>> CountInboxAndTeams(WorkspaceId ws,
                                                                         const std::vector<std::string>& keys) = 0;
  virtual Result<std::vector<Message>> ListMessages(WorkspaceId ws, TicketId ticket) = 0;
  virtual Result<std::vector<Event>> ListTicketEvents(WorkspaceId ws, TicketId ticket) = 0;
  // The workspace's events with ids above `after_id`, oldest first, at most `limit`.
  virtual Result<std::vector<Event>> ListEventsSince(WorkspaceId ws, EventId after_id, std::size_t limit) = 0;

  virtual Result<Session> FindSession(std::string_view token_hash) = 0;
  virtual Result<ApiToken> FindApiToken(std::string_view token_hash) = 0;
  virtual Result<std::vector<ApiToken>> ListApiTokens(WorkspaceId ws) = 0;
  virtual Result<PortalLink> FindPortalLink(std::string_view token_hash) = 0;
  // Outbox jobs of a workspace, newest first (operators and tests).
  virtual Result<std::vector<OutboxJob>> ListOutbox(WorkspaceId ws, int limit) = 0;
  virtual Result<StoredAttachment> GetAttachment(WorkspaceId ws, std::int64_t id) = 0;
  virtual Result<StoredAttachment> FindAttachmentByToken(WorkspaceId ws, std::string_view token_hash) = 0;
  // The message an attachment went out with, if any (for permission checks).
  virtual Result<Message> GetMessage(WorkspaceId ws, MessageId id) = 0;
  virtual Result<PortalSession> FindPortalSession(std::string_view token_hash) = 0;

  // Email: the workspace's mailboxes; every enabled mailbox with an IMAP account, of
  // all workspaces (the poller's work list); inbound messages taken; rejections.
  virtual Result<std::vector<Mailbox>> ListMailboxes(WorkspaceId ws) = 0;
  virtual Result<Mailbox> GetMailbox(WorkspaceId ws, std::int64_t id) = 0;
  virtual Result<std::vector<Mailbox>> ListPolledMailboxes() = 0;
  virtual Result<InboundRecord> FindInboundEmail(WorkspaceId ws, std::string_view message_key) = 0;
  // How many messages `sender` sent to the workspace since `since`.
  virtual Result<std::int64_t> CountInboundFrom(WorkspaceId ws, std::string_view sender, Timestamp since) = 0;
  // Newest first, with ids below `before_id` (0: from the newest).
  virtual Result<std::vector<MailRejection>> ListMailRejections(WorkspaceId ws, std::int64_t before_id, int limit) = 0;

  // Service standards (C3): the standards by position, then id; one of them (NotFound
  // outside the workspace); the measures that ended in a range (see MeasureRange), at most
  // range.limit, in (ended_at, id) order.
  virtual Result<std::vector<StoredServiceStandard>> ListServiceStandards(WorkspaceId ws) = 0;
  virtual Result<StoredServiceStandard> GetServiceStandard(WorkspaceId ws, std::int64_t id) = 0;
  virtual Result<std::vector<ServiceMeasure>> ListServiceMeasures(WorkspaceId ws, const MeasureRange& range) = 0;

  // NotFound when the key was never used by this principal.
  virtual Result<StoredResponse> FindIdempotent(WorkspaceId ws, std::string_view principal, std::string_view key) = 0;

  // Service levels. The revision changes with every change to the workspace's calendars or
  // policies (0: it never had any), so compiled policies can be cached and checked cheaply.
  virtual Result<std::int64_t> GetSlaRevision(WorkspaceId ws) = 0;
  virtual Result<std::vector<StoredCalendar>> ListCalendars(WorkspaceId ws) = 0;
  virtual Result<StoredCalendar> GetCalendar(WorkspaceId ws, std::int64_t id) = 0;
  // In matching order: position, then id.
  virtual Result<std::vector<StoredSlaPolicy>> ListSlaPolicies(WorkspaceId ws) = 0;
  virtual Result<StoredSlaPolicy> GetSlaPolicy(WorkspaceId ws, std::int64_t id) = 0;
  // The ticket's events that may move its SLA clocks, oldest first.
  virtual Result<std::vector<TicketActivity>> ListTicketActivity(WorkspaceId ws, TicketId ticket) = 0;
  // Workspaces, of all, whose open tickets await re-evaluation at their current revision.
  virtual Result<std::vector<SlaReevaluation>> ListSlaReevaluations() = 0;
  // Up to `limit` unsolved tickets with ids above `after_id`, by id, each with its kept SLA
  // history and, when `with_customer`, its requester's organisation and tier.
  virtual Result<std::vector<SlaWorkItem>> ListSlaWork(WorkspaceId ws, TicketId after_id, int limit,
                                                       bool with_customer) = 0;

  // Routing (C4): teams with routing on, of all workspaces, by workspace then id, with their
  // members; up to `limit` unassigned unsolved tickets waiting in a team's queue, longest
  // waiting first; each agent's unsolved assigned tickets counted by channel.
  virtual Result<std::vector<Team>> ListRoutingTeams() = 0;
  virtual Result<std::vector<RoutingQueueEntry>> ListRoutingQueue(WorkspaceId ws, TeamId team, int limit) = 0;
  virtual Result<std::vector<AgentLoad>> ListAgentLoads(WorkspaceId ws) = 0;
  // Workspaces, of all, that name a default team for tickets without one, by workspace.
  virtual Result<std::vector<DefaultTeam>> ListDefaultTeams() = 0;
  // Up to `limit` unassigned unsolved tickets without a team, oldest first.
  virtual Result<std::vector<Ticket>> ListTeamlessWaiting(WorkspaceId ws, int limit) = 0;

  // Knowledge base (C20): categories by position, then id; sections of all categories by
  // category, position, id; one of either (NotFound outside the workspace). Articles come with
  // their translations, by locale.
  virtual Result<std::vector<KbCategory>> ListKbCategories(WorkspaceId ws) = 0;
  virtual Result<KbCategory> GetKbCategory(WorkspaceId ws, std::int64_t id) = 0;
  virtual Result<std::vector<KbSection>> ListKbSections(WorkspaceId ws) = 0;
  virtual Result<KbSection> GetKbSection(WorkspaceId ws, std::int64_t id) = 0;
  // An article with every translation in full; NotFound outside the workspace.
  virtual Result<KbArticle> GetArticle(WorkspaceId ws, std::int64_t id) = 0;
  // Articles matching `filter`, by id ascending, at most filter.limit.
  virtual Result<std::vector<KbArticle>> ListArticles(WorkspaceId ws, const KbArticleFilter& filter) = 0;
  // Every published article of the workspace (the help-centre tree), titles only, by id.
  virtual Result<std::vector<KbArticle>> ListPublishedArticles(WorkspaceId ws) = 0;
  // For rebuilding the search index: up to `limit` articles (drafts too) with ids above
  // `after_id`, by id, with every translation in full.
  virtual Result<std::vector<KbArticle>> ListArticlesForIndex(WorkspaceId ws, std::int64_t after_id, int limit) = 0;
  // Saved revisions of an article, newest first (of one locale, or of all when empty).
  virtual Result<std::vector<KbArticleVersion>> ListArticleVersions(WorkspaceId ws, std::int64_t article_id,
                                                                    std::string_view locale) = 0;
  virtual Result<KbStats> GetKbStats(WorkspaceId ws) = 0;

  // Search (C20): the search index follows the event log of every workspace and is rebuilt
  // from the tickets and customers themselves. Events with ids above `after_id`, of all
  // workspaces, oldest first; every workspace's id; up to `limit` tickets with ids above
  // `after_id`, by id, each with its messages (oldest first).
  virtual Result<std::vector<Event>> ListAllEventsSince(EventId after_id, std::size_t limit) = 0;
  virtual Result<EventId> LastEventId() = 0;  // 0: no events
  virtual Result<std::vector<WorkspaceId>> ListWorkspaceIds() = 0;
  virtual Result<std::vector<TicketWithMessages>> ListTicketsWithMessages(WorkspaceId ws, TicketId after_id,
                                                                          int limit) = 0;
  // The tickets among `ids` that exist, with their messages, in id order; and the customers
  // among `ids` that exist, with their identities, in id order. A few queries for any number
  // of ids (what a batch of events touched, for the search index).
  virtual Result<std::vector<TicketWithMessages>> GetTicketsWithMessages(WorkspaceId ws,
                                                                         const std::vector<TicketId>& ids) = 0;
  virtual Result<std::vector<Customer>> GetCustomers(WorkspaceId ws, const std::vector<CustomerId>& ids) = 0;

  // Community (C22): see ports/community_records.h. GetTopic gives the topic with all its
  // posts (any status) by id, and ListTopics summaries without posts; both NotFound/empty
  // outside the workspace. ListTopicVotes: the customer's vote (+1/-1) on each post of the
  // topic they voted on, by post id. GetCommunityAuthor: the customer's visible topics and
  // posts, the creation times of those written at or after `since`, and their latest body.
  // GetCommunityBan is NotFound when the customer is not banned.
  virtual Result<CommunityTopic> GetTopic(WorkspaceId ws, std::int64_t id) = 0;
  virtual Result<std::vector<CommunityTopic>> ListTopics(WorkspaceId ws, const TopicFilter& filter) = 0;
  virtual Result<CommunityPost> GetPost(WorkspaceId ws, std::int64_t id) = 0;
  virtual Result<std::map<std::int64_t, int>> ListTopicVotes(WorkspaceId ws, std::int64_t topic_id,
                                                             CustomerId customer) = 0;
  virtual Result<CommunityAuthor> GetCommunityAuthor(WorkspaceId ws, CustomerId customer, Timestamp since) = 0;
  virtual Result<CommunityBan> GetCommunityBan(WorkspaceId ws, CustomerId customer) = 0;
  virtual Result<std::vector<CommunityBan>> ListCommunityBans(WorkspaceId ws) = 0;

  // Voice calls (C18): a call by the phone system's id (NotFound when the workspace has no
  // such call); whether an event of this type and instant was taken for the call already.
  virtual Result<StoredCall> FindCallByExternalId(WorkspaceId ws, std::string_view external_id) = 0;
  virtual Result<bool> HasCallEvent(WorkspaceId ws, std::int64_t call_id, std::string_view type, Timestamp at) = 0;
};

class WriteTx : public ReadTx {
 public:
  // Each Insert sets the id (and number, for tickets) of the value passed in.
  virtual Status InsertWorkspace(Workspace& workspace) = 0;
  virtual Status UpdateWorkspace(const Workspace& workspace) = 0;
  virtual Status InsertAgent(Agent& agent) = 0;
  virtual Status UpdateAgent(const Agent& agent) = 0;
  virtual Status InsertTeam(Team& team) = 0;
  virtual Status UpdateTeam(const Team& team) = 0;
  virtual Status InsertOrganisation(Organisation& organisation) = 0;
  virtual Status UpdateOrganisation(const Organisation& organisation) = 0;

  virtual Status InsertCustomer(Customer& customer) = 0;
  // Writes every column and replaces the identities. Conflict when another
  // customer of the workspace already holds one of them.
  virtual Status UpdateCustomer(const Customer& customer) = 0;
  // Deletes a customer and their identities. Conflict while tickets still name them.
  virtual Status DeleteCustomer(WorkspaceId ws, CustomerId id) = 0;
  // Moves every ticket of `from` to `to`, marking them updated at `now`.
  virtual Status ReassignRequester(WorkspaceId ws, CustomerId from, CustomerId to, Timestamp now) = 0;

  // Allocates the next per-workspace number and inserts the ticket.
  virtual Status InsertTicket(Ticket& ticket) = 0;
  // REQUIRES: `before` is the stored row that `after` replaces (used to adjust counters).
  virtual Status UpdateTicket(const Ticket& before, const Ticket& after) = 0;
  virtual Status InsertMessage(Message& message) = 0;
  // Appends to the event log; the event is published after the commit, with its id (which
  // the store may learn only when the write is done).
  virtual Status AppendEvent(const Event& event) = 0;
  virtual Status EnqueueOutbox(OutboxJob& job) = 0;
  // Claims up to `limit` jobs of these kinds that are due at `now` (queued, or sending
  // with an expired claim), marking them sending until `claim_until`. Across all workspaces.
  virtual Result<std::vector<OutboxJob>> ClaimOutbox(const std::vector<std::string>& kinds, Timestamp now,
                                                     Timestamp claim_until, int limit) = 0;
  // Records the outcome of a claimed job: state delivered/queued/failed, attempts, when to retry.
  virtual Status FinishOutbox(const OutboxJob& job) = 0;

  virtual Status InsertSession(const Session& session) = 0;
  virtual Status DeleteSession(std::string_view token_hash) = 0;
  virtual Status InsertApiToken(ApiToken& token) = 0;
  virtual Status RevokeApiToken(WorkspaceId ws, std::int64_t id, Timestamp when) = 0;

  virtual Status InsertAttachment(StoredAttachment& attachment) = 0;
  // Conflict when the attachment already went out with another message.
  virtual Status AttachToMessage(WorkspaceId ws, std::int64_t attachment_id, MessageId message) = 0;
  virtual Status InsertPortalLink(const PortalLink& link) = 0;
  // Marks the link used; Conflict when it was used already.
  virtual Status UsePortalLink(std::string_view token_hash, Timestamp now) = 0;
  virtual Status InsertPortalSession(const PortalSession& session) = 0;
  virtual Status DeletePortalSession(std::string_view token_hash) = 0;

  // Conflict when the workspace already has a mailbox with this address.
  virtual Status InsertMailbox(Mailbox& mailbox) = 0;
  virtual Status UpdateMailbox(const Mailbox& mailbox) = 0;
  virtual Status DeleteMailbox(WorkspaceId ws, std::int64_t id) = 0;
  // Records a poll of the mailbox: where it got to, when, and the error if any.
  virtual Status RecordMailboxCheck(WorkspaceId ws, std::int64_t id, std::int64_t uidvalidity, std::int64_t last_uid,
                                    Timestamp checked_at, std::string_view error) = 0;
  // Claims the mailbox's next scheduled check for this node until `until`: false when a check
  // is claimed (by any node) until after `now`. Across nodes, one claim wins.
  virtual Result<bool> ClaimMailboxCheck(WorkspaceId ws, std::int64_t id, Timestamp now, Timestamp until) = 0;
  // Counts a message the mailbox took (however it arrived). NotFound when it is gone.
  virtual Status CountMailboxIntake(WorkspaceId ws, std::int64_t id) = 0;
  // Conflict when the workspace took a message with this key already.
  virtual Status InsertInboundEmail(const InboundRecord& record) = 0;
  virtual Status InsertMailRejection(MailRejection& rejection) = 0;

  // Service standards (C3). Update and Delete are NotFound outside the workspace.
  virtual Status InsertServiceStandard(StoredServiceStandard& standard) = 0;
  virtual Status UpdateServiceStandard(const StoredServiceStandard& standard) = 0;
  virtual Status DeleteServiceStandard(WorkspaceId ws, std::int64_t id) = 0;
  virtual Status InsertServiceMeasure(ServiceMeasure& measure) = 0;

  virtual Status SaveIdempotent(WorkspaceId ws, std::string_view principal, std::string_view key,
                                const StoredResponse& response, Timestamp now) = 0;

  // Calendars and SLA policies: Update and Delete are NotFound outside the workspace.
  // DeleteCalendar is Conflict while a policy uses the calendar.
  virtual Status InsertCalendar(StoredCalendar& calendar) = 0;
  virtual Status UpdateCalendar(const StoredCalendar& calendar) = 0;
  virtual Status DeleteCalendar(WorkspaceId ws, std::int64_t id) = 0;
  virtual Status InsertSlaPolicy(StoredSlaPolicy& policy) = 0;
  virtual Status UpdateSlaPolicy(const StoredSlaPolicy& policy) = 0;
  virtual Status DeleteSlaPolicy(WorkspaceId ws, std::int64_t id) = 0;
  virtual Status SetSlaRevision(WorkspaceId ws, std::int64_t revision) = 0;
  // Replaces the ticket's SLA state (nullopt: no policy applies), with its next due time for
  // the kDueAt sort, and, when `history` is given, the SLA history it was evaluated from (text
  // the SLA service writes, handed back by ListSlaWork). Leaves the ticket's version and
  // updated_at alone, and writes nothing when all is as stored (or the ticket is unknown).
  virtual Status SaveTicketSla(WorkspaceId ws, TicketId ticket, const std::optional<TicketSla>& sla,
                               const std::optional<std::string>& history) = 0;
  // Only the SLA history kept with the ticket, its SLA as stored (its due-time and alarm
  // indexes are not touched).
  virtual Status SaveTicketSlaHistory(WorkspaceId ws, TicketId ticket, const std::string& history) = 0;
  // Tickets, of all workspaces, whose SLA alarm is at or before `now`, soonest first. Rows
  // another transaction holds are skipped (several nodes share the work), and the caller
  // moves each alarm on in this transaction.
  virtual Result<std::vector<SlaAlarm>> ClaimSlaAlarms(Timestamp now, int limit) = 0;
  // SaveTicketSla, only when the ticket is still at `version` with its SLA columns as a
  // reader saw them (`before`, from ListSlaWork): false, and nothing written, when a write
  // since changed either. The SLA comes encoded (SlaColumns::Of).
  virtual Result<bool> SaveTicketSlaIfUnchanged(WorkspaceId ws, TicketId ticket, std::int64_t version,
                                                const SlaAsRead& before, const SlaColumns& sla,
                                                const std::optional<std::string>& history) = 0;
  // Records that the re-evaluation of `revision` got from `from_id` (0: its start) to
  // `after_id`; `done`: it finished. Conflict, and nothing written, when it had not got to
  // `from_id` (a batch before this one was not saved).
  virtual Status SaveSlaReevaluation(WorkspaceId ws, std::int64_t revision, TicketId from_id, TicketId after_id,
                                     bool done) = 0;

  // Routing (C4): replaces a team's members. REQUIRES: the agents are of the workspace.
  // UpdateTeam writes the team's routing settings, UpdateAgent presence, capacity and skills.
  virtual Status SetTeamMembers(WorkspaceId ws, TeamId team, const std::vector<AgentId>& agent_ids) = 0;

  // Knowledge base (C20). Update and Delete are NotFound outside the workspace. Each Update
  // writes the row only while it is still at version - 1 (PreconditionFailed otherwise).
  // DeleteKbCategory is Conflict while it has sections, DeleteKbSection while it has articles.
  virtual Status InsertKbCategory(KbCategory& category) = 0;
  virtual Status UpdateKbCategory(const KbCategory& category) = 0;
  virtual Status DeleteKbCategory(WorkspaceId ws, std::int64_t id) = 0;
  virtual Status InsertKbSection(KbSection& section) = 0;
  virtual Status UpdateKbSection(const KbSection& section) = 0;
  virtual Status DeleteKbSection(WorkspaceId ws, std::int64_t id) = 0;
  // Insert writes the article and its translations; Update writes every column but the
  // counters and replaces the translations; Delete removes the article with its
  // translations, versions and votes.
  virtual Status InsertArticle(KbArticle& article) = 0;
  virtual Status UpdateArticle(const KbArticle& article) = 0;
  virtual Status DeleteArticle(WorkspaceId ws, std::int64_t id) = 0;
  virtual Status InsertArticleVersion(KbArticleVersion& version) = 0;
  // Records a vote and adds it to the article's counts: false, and nothing written, when the
  // voter voted on the article that day already.
  virtual Result<bool> RecordArticleFeedback(const KbFeedback& feedback) = 0;
  // Adds one view to a published article (NotFound for drafts and outside the workspace).
  virtual Status CountArticleView(WorkspaceId ws, std::int64_t id) = 0;
  virtual Status InsertKbDeflection(WorkspaceId ws, std::int64_t article_id, std::string_view query,
                                    Timestamp at) = 0;
  // Adds `n` to the workspace's counter `name` (suggestions_shown).
  virtual Status AddKbCounter(WorkspaceId ws, std::string_view name, std::int64_t n) = 0;

  // Community (C22). Insert sets the id. Update writes the row's own fields (not the kept
  // counts, not the author); NotFound outside the workspace. SetVote records the customer's
  // vote on a post (value +1/-1; 0 takes it back). RecountPost and RecountTopic recompute the
  // counts kept on the row from the votes and posts (call them after a change to either).
  // InsertCommunityBan bans or re-bans (the reason is replaced); DeleteCommunityBan is
  // NotFound when the customer was not banned.
  virtual Status InsertTopic(CommunityTopic& topic) = 0;
  virtual Status UpdateTopic(const CommunityTopic& topic) = 0;
  virtual Status InsertPost(CommunityPost& post) = 0;
  virtual Status UpdatePost(const CommunityPost& post) = 0;
  virtual Status SetVote(WorkspaceId ws, std::int64_t topic_id, std::int64_t post_id, CustomerId customer, int value,
                         Timestamp now) = 0;
  virtual Status RecountPost(WorkspaceId ws, std::int64_t post_id) = 0;
  virtual Status RecountTopic(WorkspaceId ws, std::int64_t topic_id) = 0;
  virtual Status InsertCommunityBan(const CommunityBan& ban) = 0;
  virtual Status DeleteCommunityBan(WorkspaceId ws, CustomerId customer) = 0;

  // Voice calls (C18). InsertCall sets the id; Conflict when the workspace has a call with
  // this external_id already. UpdateCall writes its state columns and version only while the
  // row is still at version - 1 (Conflict otherwise: another event of the call came first;
  // NotFound outside the workspace). InsertCallEvent: Conflict when the call has this event
  // (type, at) already.
  virtual Status InsertCall(StoredCall& call) = 0;
  virtual Status UpdateCall(const StoredCall& call) = 0;
  virtual Status InsertCallEvent(WorkspaceId ws, std::int64_t call_id, std::string_view type, Timestamp at,
                                 Timestamp now) = 0;
};

using ReadFn = std::function<Status(ReadTx&)>;
using WriteFn = std::function<Status(WriteTx&)>;

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` in a read transaction on a pooled reader connection and returns its
  // status. Blocks. Thread-safe.
  virtual Status Read(const ReadFn& fn) = 0;

  // A read of one query (a ticket by id), which needs no transaction around it: on
  // PostgreSQL that saves the BEGIN and the COMMIT, two of its three statements. REQUIRES:
  // `fn` runs at most one query; on PostgreSQL a second fails the read (Internal).
  // Elsewhere the same as Read.
  virtual Status ReadOneQuery(const ReadFn& fn) { return Read(fn); }

  // A one-query read of rows by their key (a ticket by its id): quick, so on PostgreSQL it
  // shares one connection's pipeline with the key reads of other threads, and many go to
  // the server in one round trip. REQUIRES: as ReadOneQuery, and the query finds its rows by
  // an index in a few microseconds: a slow one would hold up every read behind it.
  virtual Status ReadByKey(const ReadFn& fn) { return ReadOneQuery(fn); }

  // Queues `fn` for the single writer. It runs in its own savepoint inside a batch (or
  // alone in a transaction): when it fails, nothing it wrote remains. `done` is called on the writer thread
  // only after the batch is durable (or with the error). Thread-safe.
  virtual void Write(WriteFn fn, std::function<void(Status)> done) = 0;

  // Write() and wait for `done`. Blocks. Thread-safe; not from the writer thread.
  Status WriteAndWait(WriteFn fn);

  // Tells the other nodes on this database of an event that is not stored (id 0, such as
  // "Ana is replying"), which each publishes on its bus. Returns at once; under load or
  // while the database is away such events may be dropped. One node alone: nothing to do.
  virtual void Broadcast(const Event& event) { (void)event; }
};

}  // namespace kizuna::ports
