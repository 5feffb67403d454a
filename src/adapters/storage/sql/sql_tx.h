// SqlTx: the ReadTx/WriteTx of both SQL stores (SQLite, PostgreSQL), over one connection
// inside a transaction the store opened. Internal to the storage adapters.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "adapters/storage/sql/sql_conn.h"
#include "ports/store.h"

namespace kizuna::storage {

// How a store with several concurrent writers keeps them off each other's rows.
struct SqlTxOptions {
  // The inbox-counter shard this transaction adds to (one per writer).
  std::int64_t counter_shard = 0;
  // The write's inbox-counter changes wait in SqlTx::pending_counters() for the store to add
  // a whole batch's at once (SqlTx::AddCounters); unset: each write adds its own.
  bool batch_counters = false;
  // Gives a workspace's next ticket number outside the transaction (numbers stay unique; a
  // rolled-back create leaves a gap). Unset: the workspace row's counter, in the transaction.
  std::function<Result<std::int64_t>(WorkspaceId)> next_ticket_number;
};

class SqlTx final : public ports::WriteTx {
 public:
  explicit SqlTx(SqlConn& db) : db_(&db) {}
  SqlTx(SqlConn& db, SqlTxOptions options) : db_(&db), options_(std::move(options)) {}

  // Events appended through this transaction, to publish after the commit.
  std::vector<Event>& appended_events() { return events_; }
  // The connection it runs on (for the store, and for tests that need a statement no
  // method runs).
  SqlConn& connection() { return *db_; }

  // Inbox-counter changes by workspace and key.
  using CounterDeltas = std::map<std::pair<WorkspaceId, std::string>, std::int64_t>;
  // This write's, when SqlTxOptions::batch_counters.
  CounterDeltas& pending_counters() { return counters_; }
  // Adds `deltas` to shard `shard` of the inbox counters in one statement, which may go with
  // the connection's next one (ExecLater); deltas of zero are left out.
  static Status AddCounters(SqlConn& db, std::int64_t shard, const CounterDeltas& deltas);

  Result<Workspace> GetWorkspace(WorkspaceId id) override;
  Result<Workspace> FindWorkspace(std::string_view name) override;
  Result<Agent> GetAgent(WorkspaceId ws, AgentId id) override;
  Result<Agent> FindAgentByEmail(WorkspaceId ws, std::string_view email) override;
  Result<std::vector<Agent>> ListAgents(WorkspaceId ws) override;
  Result<Team> GetTeam(WorkspaceId ws, TeamId id) override;
  Result<std::vector<Team>> ListTeams(WorkspaceId ws) override;
  Result<Organisation> GetOrganisation(WorkspaceId ws, OrganisationId id) override;
  Result<std::vector<Organisation>> ListOrganisations(WorkspaceId ws) override;
  Result<Customer> GetCustomer(WorkspaceId ws, CustomerId id) override;
  Result<Customer> FindCustomerByIdentity(WorkspaceId ws, const Identity& identity) override;
  Result<std::vector<Customer>> ListCustomers(WorkspaceId ws, std::string_view query, CustomerId after_id,
                                              int limit) override;
  Result<Ticket> GetTicket(WorkspaceId ws, TicketId id) override;
  Result<Ticket> GetTicketByNumber(WorkspaceId ws, std::int64_t number) override;
  Result<ports::TicketPage> ListTickets(WorkspaceId ws, const ports::TicketFilter& filter) override;
  Result<std::map<std::string, std::int64_t>> CountInbox(WorkspaceId ws, const std::vector<std::string>& keys) override;
  Result<std::map<std::string, std::int64_t>> CountInboxAndTeams(WorkspaceId ws,
                                                                 const std::vector<std::string>& keys) override;
  Result<std::vector<Message>> ListMessages(WorkspaceId ws, TicketId ticket) override;
  Result<std::vector<Event>> ListTicketEvents(WorkspaceId ws, TicketId ticket) override;
  Result<std::vector<Event>> ListEventsSince(WorkspaceId ws, EventId after_id, std::size_t limit) override;
  Result<std::vector<Event>> ListAllEventsSince(EventId after_id, std::size_t limit) override;
  Result<EventId> LastEventId() override;
  Result<std::vector<WorkspaceId>> ListWorkspaceIds() override;
  Result<std::vector<ports::TicketWithMessages>> ListTicketsWithMessages(WorkspaceId ws, TicketId after_id,
                                                                         int limit) override;
  Result<std::vector<ports::TicketWithMessages>> GetTicketsWithMessages(WorkspaceId ws,
                                                                        const std::vector<TicketId>& ids) override;
  Result<std::vector<Customer>> GetCustomers(WorkspaceId ws, const std::vector<CustomerId>& ids) override;
  Result<ports::Session> FindSession(std::string_view token_hash) override;
  Result<ports::ApiToken> FindApiToken(std::string_view token_hash) override;
  Result<std::vector<ports::ApiToken>> ListApiTokens(WorkspaceId ws) override;
  Result<ports::PortalLink> FindPortalLink(std::string_view token_hash) override;
  Result<std::vector<ports::OutboxJob>> ListOutbox(WorkspaceId ws, int limit) override;
  Result<ports::StoredAttachment> GetAttachment(WorkspaceId ws, std::int64_t id) override;
  Result<ports::StoredAttachment> FindAttachmentByToken(WorkspaceId ws, std::string_view token_hash) override;
  Result<Message> GetMessage(WorkspaceId ws, MessageId id) override;
  Result<ports::PortalSession> FindPortalSession(std::string_view token_hash) override;
  Result<std::vector<Mailbox>> ListMailboxes(WorkspaceId ws) override;
  Result<Mailbox> GetMailbox(WorkspaceId ws, std::int64_t id) override;
  Result<std::vector<Mailbox>> ListPolledMailboxes() override;
  Result<InboundRecord> FindInboundEmail(WorkspaceId ws, std::string_view message_key) override;
  Result<std::int64_t> CountInboundFrom(WorkspaceId ws, std::string_view sender, Timestamp since) override;
  Result<std::vector<MailRejection>> ListMailRejections(WorkspaceId ws, std::int64_t before_id, int limit) override;
  // Service standards (C3): sql_standards.cc.
  Result<std::vector<ports::StoredServiceStandard>> ListServiceStandards(WorkspaceId ws) override;
  Result<ports::StoredServiceStandard> GetServiceStandard(WorkspaceId ws, std::int64_t id) override;
  Result<std::vector<ports::ServiceMeasure>> ListServiceMeasures(WorkspaceId ws, const ports::MeasureRange& range) override;
  Result<ports::StoredResponse> FindIdempotent(WorkspaceId ws, std::string_view principal,
                                               std::string_view key) override;
  Result<std::int64_t> GetSlaRevision(WorkspaceId ws) override;
  Result<std::vector<ports::StoredCalendar>> ListCalendars(WorkspaceId ws) override;
  Result<ports::StoredCalendar> GetCalendar(WorkspaceId ws, std::int64_t id) override;
  Result<std::vector<ports::StoredSlaPolicy>> ListSlaPolicies(WorkspaceId ws) override;
  Result<ports::StoredSlaPolicy> GetSlaPolicy(WorkspaceId ws, std::int64_t id) override;
  Result<std::vector<ports::TicketActivity>> ListTicketActivity(WorkspaceId ws, TicketId ticket) override;

  Status InsertWorkspace(Workspace& workspace) override;
  Status UpdateWorkspace(const Workspace& workspace) override;
  Status InsertAgent(Agent& agent) override;
  Status UpdateAgent(const Agent& agent) override;
  Status InsertTeam(Team& team) override;
  Status UpdateTeam(const Team& team) override;
  Status InsertOrganisation(Organisation& organisation) override;
  Status UpdateOrganisation(const Organisation& organisation) override;
  Status DeleteCustomer(WorkspaceId ws, CustomerId id) override;
  Status InsertCustomer(Customer& customer) override;
  Status UpdateCustomer(const Customer& customer) override;
  Status ReassignRequester(WorkspaceId ws, CustomerId from, CustomerId to, Timestamp now) override;
  Status InsertTicket(Ticket& ticket) override;
  Status UpdateTicket(const Ticket& before, const Ticket& after) override;
  Status InsertMessage(Message& message) override;
  Status AppendEvent(const Event& event) override;
  Status EnqueueOutbox(ports::OutboxJob& job) override;
  Result<std::vector<ports::OutboxJob>> ClaimOutbox(const std::vector<std::string>& kinds, Timestamp now,
                                                    Timestamp claim_until, int limit) override;
  Status FinishOutbox(const ports::OutboxJob& job) override;
  Status InsertSession(const ports::Session& session) override;
  Status DeleteSession(std::string_view token_hash) override;
  Status InsertApiToken(ports::ApiToken& token) override;
  Status RevokeApiToken(WorkspaceId ws, std::int64_t id, Timestamp when) override;
  Status InsertAttachment(ports::StoredAttachment& attachment) override;
  Status AttachToMessage(WorkspaceId ws, std::int64_t attachment_id, MessageId message) override;
  Status InsertPortalLink(const ports::PortalLink& link) override;
  Status UsePortalLink(std::string_view token_hash, Timestamp now) override;
  Status InsertPortalSession(const ports::PortalSession& session) override;
  Status DeletePortalSession(std::string_view token_hash) override;
  Status InsertMailbox(Mailbox& mailbox) override;
  Status UpdateMailbox(const Mailbox& mailbox) override;
  Status DeleteMailbox(WorkspaceId ws, std::int64_t id) override;
  Status RecordMailboxCheck(WorkspaceId ws, std::int64_t id, std::int64_t uidvalidity, std::int64_t last_uid,
                            Timestamp checked_at, std::string_view error) override;
  Result<bool> ClaimMailboxCheck(WorkspaceId ws, std::int64_t id, Timestamp now, Timestamp until) override;
  Status CountMailboxIntake(WorkspaceId ws, std::int64_t id) override;
  Status InsertInboundEmail(const InboundRecord& record) override;
  Status InsertMailRejection(MailRejection& rejection) override;
  // Service standards (C3): sql_standards.cc.
  Status InsertServiceStandard(ports::StoredServiceStandard& standard) override;
  Status UpdateServiceStandard(const ports::StoredServiceStandard& standard) override;
  Status DeleteServiceStandard(WorkspaceId ws, std::int64_t id) override;
  Status InsertServiceMeasure(ports::ServiceMeasure& measure) override;
  Status SaveIdempotent(WorkspaceId ws, std::string_view principal, std::string_view key,
                        const ports::StoredResponse& response, Timestamp now) override;
  // Service levels: sql_sla.cc (SaveTicketSla, with the ticket's other columns, in sql_tx.cc).
  Status InsertCalendar(ports::StoredCalendar& calendar) override;
  Status UpdateCalendar(const ports::StoredCalendar& calendar) override;
  Status DeleteCalendar(WorkspaceId ws, std::int64_t id) override;
  Status InsertSlaPolicy(ports::StoredSlaPolicy& policy) override;
  Status UpdateSlaPolicy(const ports::StoredSlaPolicy& policy) override;
  Status DeleteSlaPolicy(WorkspaceId ws, std::int64_t id) override;
  Status SetSlaRevision(WorkspaceId ws, std::int64_t revision) override;
  Status SaveTicketSla(WorkspaceId ws, TicketId ticket, const std::optional<TicketSla>& sla,
                       const std::optional<std::string>& history) override;
  Status SaveTicketSlaHistory(WorkspaceId ws, TicketId ticket, const std::string& history) override;
  Result<std::vector<ports::SlaAlarm>> ClaimSlaAlarms(Timestamp now, int limit) override;
  Result<bool> SaveTicketSlaIfUnchanged(WorkspaceId ws, TicketId ticket, std::int64_t version,
                                        const ports::SlaAsRead& before, const ports::SlaColumns& sla,
                                        const std::optional<std::string>& history) override;
  Status SaveSlaReevaluation(WorkspaceId ws, std::int64_t revision, TicketId from_id, TicketId after_id,
                             bool done) override;
  Result<std::vector<ports::SlaReevaluation>> ListSlaReevaluations() override;
  Result<std::vector<ports::SlaWorkItem>> ListSlaWork(WorkspaceId ws, TicketId after_id, int limit,
                                                      bool with_customer) override;
  // Routing (C4): teams in sql_tx.cc, the queue and loads in sql_routing.cc.
  Result<std::vector<Team>> ListRoutingTeams() override;
  Result<std::vector<ports::RoutingQueueEntry>> ListRoutingQueue(WorkspaceId ws, TeamId team, int limit) override;
  Result<std::vector<ports::AgentLoad>> ListAgentLoads(WorkspaceId ws) override;
  Result<std::vector<ports::DefaultTeam>> ListDefaultTeams() override;
  Result<std::vector<Ticket>> ListTeamlessWaiting(WorkspaceId ws, int limit) override;
  // Knowledge base (C20): sql_kb.cc.
  Result<std::vector<ports::KbCategory>> ListKbCategories(WorkspaceId ws) override;
  Result<ports::KbCategory> GetKbCategory(WorkspaceId ws, std::int64_t id) override;
  Result<std::vector<ports::KbSection>> ListKbSections(WorkspaceId ws) override;
  Result<ports::KbSection> GetKbSection(WorkspaceId ws, std::int64_t id) override;
  Result<ports::KbArticle> GetArticle(WorkspaceId ws, std::int64_t id) override;
  Result<std::vector<ports::KbArticle>> ListArticles(WorkspaceId ws, const ports::KbArticleFilter& filter) override;
  Result<std::vector<ports::KbArticle>> ListPublishedArticles(WorkspaceId ws) override;
  Result<std::vector<ports::KbArticle>> ListArticlesForIndex(WorkspaceId ws, std::int64_t after_id,
                                                             int limit) override;
  Result<std::vector<ports::KbArticleVersion>> ListArticleVersions(WorkspaceId ws, std::int64_t article_id,
                                                                   std::string_view locale) override;
  Result<ports::KbStats> GetKbStats(WorkspaceId ws) override;
  Status InsertKbCategory(ports::KbCategory& category) override;
  Status UpdateKbCategory(const ports::KbCategory& category) override;
  Status DeleteKbCategory(WorkspaceId ws, std::int64_t id) override;
  Status InsertKbSection(ports::KbSection& section) override;
  Status UpdateKbSection(const ports::KbSection& section) override;
  Status DeleteKbSection(WorkspaceId ws, std::int64_t id) override;
  Status InsertArticle(ports::KbArticle& article) override;
  Status UpdateArticle(const ports::KbArticle& article) override;
  Status DeleteArticle(WorkspaceId ws, std::int64_t id) override;
  Status InsertArticleVersion(ports::KbArticleVersion& version) override;
  Result<bool> RecordArticleFeedback(const ports::KbFeedback& feedback) override;
  Status CountArticleView(WorkspaceId ws, std::int64_t id) override;
  Status InsertKbDeflection(WorkspaceId ws, std::int64_t article_id, std::string_view query, Timestamp at) override;
  Status AddKbCounter(WorkspaceId ws, std::string_view name, std::int64_t n) override;
  Status SetTeamMembers(WorkspaceId ws, TeamId team, const std::vector<AgentId>& agent_ids) override;
  // Community (C22): sql_community.cc.
  Result<ports::CommunityTopic> GetTopic(WorkspaceId ws, std::int64_t id) override;
  Result<std::vector<ports::CommunityTopic>> ListTopics(WorkspaceId ws, const ports::TopicFilter& filter) override;
  Result<ports::CommunityPost> GetPost(WorkspaceId ws, std::int64_t id) override;
  Result<std::map<std::int64_t, int>> ListTopicVotes(WorkspaceId ws, std::int64_t topic_id,
                                                     CustomerId customer) override;
  Result<ports::CommunityAuthor> GetCommunityAuthor(WorkspaceId ws, CustomerId customer, Timestamp since) override;
  Result<ports::CommunityBan> GetCommunityBan(WorkspaceId ws, CustomerId customer) override;
  Result<std::vector<ports::CommunityBan>> ListCommunityBans(WorkspaceId ws) override;
  Status InsertTopic(ports::CommunityTopic& topic) override;
  Status UpdateTopic(const ports::CommunityTopic& topic) override;
  Status InsertPost(ports::CommunityPost& post) override;
  Status UpdatePost(const ports::CommunityPost& post) override;
  Status SetVote(WorkspaceId ws, std::int64_t topic_id, std::int64_t post_id, CustomerId customer, int value,
                 Timestamp now) override;
  Status RecountPost(WorkspaceId ws, std::int64_t post_id) override;
  Status RecountTopic(WorkspaceId ws, std::int64_t topic_id) override;
  Status InsertCommunityBan(const ports::CommunityBan& ban) override;
  Status DeleteCommunityBan(WorkspaceId ws, CustomerId customer) override;
  // Voice calls (C18): sql_voice.cc.
  Result<ports::StoredCall> FindCallByExternalId(WorkspaceId ws, std::string_view external_id) override;
  Result<bool> HasCallEvent(WorkspaceId ws, std::int64_t call_id, std::string_view type, Timestamp at) override;
  Status InsertCall(ports::StoredCall& call) override;
  Status UpdateCall(const ports::StoredCall& call) override;
  Status InsertCallEvent(WorkspaceId ws, std::int64_t call_id, std::string_view type, Timestamp at,
                         Timestamp now) override;

 private:
  // Appended to a claim's SELECT: other nodes' claims hold their rows, which are skipped.
  const char* SkipLocked() const { return db_->dialect() == Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : ""; }
  // Runs `body` in a savepoint of its own (PostgreSQL): when it fails, nothing it wrote
  // remains and the transaction goes on.
  Status Guarded(const std::function<Status()>& body);
  // Reads the identities of `customers` (a few queries for any number).
  Status LoadIdentities(WorkspaceId ws, std::vector<Customer>& customers);
  Status WriteIdentities(const Customer& customer, bool replace);
  // Adds each key's delta to this writer's shard of the inbox counters, in one statement
  // (or leaves it for the batch's, see SqlTxOptions::batch_counters); keys whose deltas
  // cancel out are left alone.
  Status AdjustCounters(WorkspaceId ws, const std::map<std::string, int>& deltas);
  Status WriteTags(const Ticket& ticket, bool replace);
  Status LoadMembers(WorkspaceId ws, std::vector<Team>& teams);  // of teams all in `ws`
  // Knowledge base: the translations of `articles` (all in `ws`), with or without bodies.
  Status LoadTranslations(WorkspaceId ws, std::vector<ports::KbArticle>& articles, bool with_bodies);
  Status WriteTranslations(const ports::KbArticle& article);

  SqlConn* db_;
  SqlTxOptions options_;
  std::vector<Event> events_;
  CounterDeltas counters_;
  int savepoints_ = 0;
};

}  // namespace kizuna::storage
