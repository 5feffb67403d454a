// The store contract, run against the SQLite adapter.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include "adapters/storage/sqlite/sqlite_db.h"
#include "fakes/temp_store.h"
#include "services/directory.h"
#include "services/tickets.h"

namespace kizuna::testing {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  WorkspaceId NewWorkspace(const std::string& name) {
    Workspace ws;
    EXPECT_TRUE(db_.store().WriteAndWait([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(ws, services::CreateWorkspace(tx, services::WorkspaceInput{name}, clock_.Now()));
      return Ok();
    }).ok());
    return ws.id;
  }

  Ticket NewTicket(WorkspaceId ws, const std::string& subject, const std::string& email = "c@example.com") {
    services::CreateTicketInput in;
    in.subject = subject;
    in.body = "body";
    in.requester.email = email;
    EXPECT_TRUE(services::ValidateCreateTicket(in).ok());
    Ticket t;
    clock_.Advance(1);
    Status status = db_.store().WriteAndWait([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(t, services::CreateTicket(tx, services::Actor::System(ws), in, clock_.Now()));
      return Ok();
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
    return t;
  }

  TempStore db_;
  FakeClock clock_;
};

TEST_F(SqliteStoreTest, EveryReadIsScopedToItsWorkspace) {
  WorkspaceId a = NewWorkspace("a");
  WorkspaceId b = NewWorkspace("b");
  Ticket theirs = NewTicket(b, "B's ticket", "only-b@example.com");
  Status status = db_.store().Read([&](ports::ReadTx& tx) -> Status {
    EXPECT_EQ(tx.GetTicket(a, theirs.id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(tx.GetCustomer(a, theirs.requester_id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(tx.FindCustomerByIdentity(a, Identity{"email", "only-b@example.com"}).error().code,
              ErrorCode::kNotFound);
    EXPECT_TRUE(tx.ListTickets(a, ports::TicketFilter{}).value().tickets.empty());
    EXPECT_TRUE(tx.ListMessages(a, theirs.id).value().empty());
    EXPECT_TRUE(tx.ListTicketEvents(a, theirs.id).value().empty());
    EXPECT_TRUE(tx.GetTicket(b, theirs.id).ok());
    return Ok();
  });
  EXPECT_TRUE(status.ok());
}

TEST_F(SqliteStoreTest, TicketsAndCustomersAreReadByIdsInChunksWithTheirMessagesAndIdentities) {
  WorkspaceId ws = NewWorkspace("by-ids");
  WorkspaceId other = NewWorkspace("other");
  Ticket theirs = NewTicket(other, "not ours", "other@example.com");
  // More than one statement's worth of ids (256), each ticket with its own requester.
  std::vector<Ticket> tickets;
  for (int idx = 0; idx < 300; ++idx) {
    tickets.push_back(NewTicket(ws, "t" + std::to_string(idx), "c" + std::to_string(idx) + "@example.com"));
  }
  // Asked out of order, with repeats, a missing id and another workspace's ticket.
  std::vector<TicketId> ids{theirs.id, 999999};
  std::vector<CustomerId> customer_ids{theirs.requester_id, 999999};
  for (auto it = tickets.rbegin(); it != tickets.rend(); ++it) {
    ids.push_back(it->id);
    ids.push_back(it->id);
    customer_ids.push_back(it->requester_id);
  }
  Status status = db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(auto found, tx.GetTicketsWithMessages(ws, ids));
    EXPECT_EQ(found.size(), tickets.size());
    for (std::size_t idx = 0; idx < std::min(found.size(), tickets.size()); ++idx) {
      EXPECT_EQ(found[idx].ticket.id, tickets[idx].id);
      EXPECT_EQ(found[idx].ticket.subject, tickets[idx].subject);
      KZ_ASSIGN(auto messages, tx.ListMessages(ws, tickets[idx].id));
      EXPECT_EQ(found[idx].messages.size(), messages.size());
      if (found[idx].messages.size() != messages.size()) continue;
      for (std::size_t m = 0; m < messages.size(); ++m) EXPECT_EQ(found[idx].messages[m].id, messages[m].id);
    }
    KZ_ASSIGN(auto customers, tx.GetCustomers(ws, customer_ids));
    EXPECT_EQ(customers.size(), tickets.size());
    for (std::size_t idx = 0; idx < std::min(customers.size(), tickets.size()); ++idx) {
      EXPECT_EQ(customers[idx].id, tickets[idx].requester_id);
      KZ_ASSIGN(Customer one, tx.GetCustomer(ws, tickets[idx].requester_id));
      EXPECT_EQ(customers[idx].identities, one.identities);
      EXPECT_EQ(customers[idx].name, one.name);
    }
    KZ_ASSIGN(auto none, tx.GetTicketsWithMessages(ws, {}));
    EXPECT_TRUE(none.empty());
    KZ_ASSIGN(auto nobody, tx.GetCustomers(ws, {}));
    EXPECT_TRUE(nobody.empty());
    return Ok();
  });
  EXPECT_TRUE(status.ok()) << status.error().message;
}

TEST_F(SqliteStoreTest, AMailboxCheckIsClaimedByOneAtATimeUntilItsClaimEnds) {
  WorkspaceId ws = NewWorkspace("mail");
  Mailbox mailbox;
  mailbox.workspace_id = ws;
  mailbox.address = "support@mail.test";
  mailbox.imap_url = "imap://127.0.0.1:1";
  ASSERT_TRUE(db_.store().WriteAndWait([&](ports::WriteTx& tx) { return tx.InsertMailbox(mailbox); }).ok());
  auto claim = [&](Timestamp now, Timestamp until) {
    bool claimed = false;
    EXPECT_TRUE(db_.store().WriteAndWait([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(claimed, tx.ClaimMailboxCheck(ws, mailbox.id, now, until));
      return Ok();
    }).ok());
    return claimed;
  };
  EXPECT_TRUE(claim(1000, 31000)) << "never claimed: the first asker gets it";
  EXPECT_FALSE(claim(1001, 31001)) << "another node while the claim runs";
  EXPECT_FALSE(claim(30999, 60999));
  EXPECT_TRUE(claim(31000, 61000)) << "the claim ended";
  EXPECT_TRUE(claim(61000, 61000)) << "given back (held until 61000, now 61000)";
  EXPECT_TRUE(claim(61000, 91000)) << "so the next check may start at once";
  bool other_workspace = true;
  ASSERT_TRUE(db_.store().WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(other_workspace, tx.ClaimMailboxCheck(ws + 1, mailbox.id, 999999, 999999));
    return Ok();
  }).ok());
  EXPECT_FALSE(other_workspace) << "scoped to its workspace";
}

TEST_F(SqliteStoreTest, AFailedWriteLeavesNothingWhileItsBatchmatesCommit) {
  WorkspaceId ws = NewWorkspace("batch");
  constexpr int kWrites = 64;
  std::vector<std::thread> threads;
  std::atomic<int> succeeded{0};
  for (int idx = 0; idx < kWrites; ++idx) {
    threads.emplace_back([&, idx] {
      services::CreateTicketInput in;
      in.subject = "t" + std::to_string(idx);
      in.body = "b";
      in.requester.email = "batch@example.com";
      Status status = db_.store().WriteAndWait([&](ports::WriteTx& tx) -> Status {
        KZ_TRY(services::CreateTicket(tx, services::Actor::System(ws), in, 1000 + idx));
        if (idx % 2 == 1) return Error::Internal("fails after writing");
        return Ok();
      });
      if (status.ok()) succeeded.fetch_add(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(succeeded.load(), kWrites / 2);
  Status status = db_.store().Read([&](ports::ReadTx& tx) -> Status {
    ports::TicketFilter all;
    all.limit = 100;
    auto page = tx.ListTickets(ws, all).value();
    EXPECT_EQ(page.tickets.size(), static_cast<std::size_t>(kWrites / 2));
    for (const auto& t : page.tickets) EXPECT_EQ(std::stoi(t.subject.substr(1)) % 2, 0) << t.subject;
    auto counts = tx.CountInbox(ws, {"unsolved", "status:new"}).value();
    EXPECT_EQ(counts["unsolved"], kWrites / 2);
    EXPECT_EQ(counts["status:new"], kWrites / 2);
    return Ok();
  });
  EXPECT_TRUE(status.ok());
}

TEST_F(SqliteStoreTest, ConcurrentCreatesGetUniqueConsecutiveNumbers) {
  WorkspaceId ws = NewWorkspace("numbers");
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::set<std::int64_t> numbers;
  for (int thread_idx = 0; thread_idx < 8; ++thread_idx) {
    threads.emplace_back([&] {
      for (int idx = 0; idx < 50; ++idx) {
        services::CreateTicketInput in;
        in.subject = "n";
        in.body = "b";
        in.requester.email = "n@example.com";
        Ticket t;
        Status status = db_.store().WriteAndWait([&](ports::WriteTx& tx) -> Status {
          KZ_ASSIGN(t, services::CreateTicket(tx, services::Actor::System(ws), in, 5));
          return Ok();
        });
        ASSERT_TRUE(status.ok());
        std::lock_guard lock(mutex);
        numbers.insert(t.number);
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(numbers.size(), 400u);
  EXPECT_EQ(*numbers.begin(), 1);
  EXPECT_EQ(*numbers.rbegin(), 400);
}

struct SortCase {
  ports::TicketSortKey key;
  bool descending;
};

TEST_F(SqliteStoreTest, KeysetPagesCoverEverySortWithoutGapsOrRepeats) {
  WorkspaceId ws = NewWorkspace("pages");
  std::set<TicketId> all;
  for (int idx = 0; idx < 23; ++idx) {
    Ticket t = NewTicket(ws, "p" + std::to_string(idx));
    all.insert(t.id);
    if (idx % 3 == 0) clock_.Advance(-1);  // equal timestamps: the id breaks ties
  }
  const SortCase cases[] = {{ports::TicketSortKey::kUpdatedAt, false}, {ports::TicketSortKey::kUpdatedAt, true},
                            {ports::TicketSortKey::kCreatedAt, false}, {ports::TicketSortKey::kNumber, true},
                            {ports::TicketSortKey::kSolvedAt, true}};
  for (const auto& c : cases) {
    std::vector<TicketId> order;
    ports::TicketFilter f;
    f.sort = c.key;
    f.descending = c.descending;
    f.limit = 4;
    for (int guard = 0; guard < 20; ++guard) {
      ports::TicketPage page;
      ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
        KZ_ASSIGN(page, tx.ListTickets(ws, f));
        return Ok();
      }).ok());
      for (const auto& t : page.tickets) order.push_back(t.id);
      if (!page.has_more) break;
      const Ticket& last = page.tickets.back();
      f.after = ports::TicketCursor{ports::SortValue(last, c.key), last.id};
    }
    EXPECT_EQ(std::set<TicketId>(order.begin(), order.end()), all);
    EXPECT_EQ(order.size(), all.size());
  }
}

TEST_F(SqliteStoreTest, RecentlySolvedFollowsTheSolveTimeNotTheLastUpdate) {
  WorkspaceId ws = NewWorkspace("solved");
  std::vector<Ticket> tickets;
  for (int idx = 0; idx < 4; ++idx) tickets.push_back(NewTicket(ws, "s" + std::to_string(idx)));
  auto update = [&](TicketId id, services::UpdateTicketInput in, Timestamp at) {
    ASSERT_TRUE(services::ValidateUpdateTicket(in).ok());
    ASSERT_TRUE(db_.store().WriteAndWait([&](ports::WriteTx& tx) -> Status {
      KZ_TRY(services::UpdateTicket(tx, services::Actor::System(ws), id, in, at));
      return Ok();
    }).ok());
  };
  services::UpdateTicketInput solve;
  solve.status = "solved";
  // Solved in the order 2, 0, 3, 1; then 2 gets a later, unrelated update.
  const int order[] = {2, 0, 3, 1};
  Timestamp at = 5'000'000'000'000;
  for (int idx : order) update(tickets[idx].id, solve, at += 1000);
  services::UpdateTicketInput tag;
  tag.tags = std::vector<std::string>{"follow-up"};
  update(tickets[2].id, tag, at += 1000);
  ports::TicketFilter f;
  f.statuses = {TicketStatus::kSolved};
  f.sort = ports::TicketSortKey::kSolvedAt;
  f.descending = true;
  std::vector<TicketId> ids;
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(auto page, tx.ListTickets(ws, f));
    for (const auto& t : page.tickets) ids.push_back(t.id);
    return Ok();
  }).ok());
  EXPECT_EQ(ids, (std::vector<TicketId>{tickets[1].id, tickets[3].id, tickets[0].id, tickets[2].id}));
}

TEST_F(SqliteStoreTest, InboxCountersAgreeWithTheRowsAfterManyChanges) {
  WorkspaceId ws = NewWorkspace("counters");
  Team team;
  ASSERT_TRUE(db_.store().WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(team, services::CreateTeam(tx, services::Actor::System(ws), services::TeamInput{"billing", ""}, 1));
    return Ok();
  }).ok());
  std::vector<Ticket> tickets;
  for (int idx = 0; idx < 30; ++idx) tickets.push_back(NewTicket(ws, "c" + std::to_string(idx)));
  const char* statuses[] = {"open", "pending", "solved", "on_hold", "closed", "open"};
  for (std::size_t idx = 0; idx < tickets.size(); ++idx) {
    services::UpdateTicketInput in;
    in.status = statuses[idx % 6];
    if (idx % 4 == 0) in.team_id = services::Patch<TeamId>{true, team.id};
    ASSERT_TRUE(services::ValidateUpdateTicket(in).ok());
    ASSERT_TRUE(db_.store().WriteAndWait([&](ports::WriteTx& tx) -> Status {
      KZ_TRY(services::UpdateTicket(tx, services::Actor::System(ws), tickets[idx].id, in, 10));
      return Ok();
    }).ok());
  }
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    auto count = [&](ports::TicketFilter f) {
      f.limit = 100;
      return static_cast<std::int64_t>(tx.ListTickets(ws, f).value().tickets.size());
    };
    std::string team_key = "team:" + std::to_string(team.id);
    auto counts = tx.CountInbox(ws, {"unsolved", "unassigned", team_key, "status:open", "status:closed"}).value();
    ports::TicketFilter unsolved;
    unsolved.statuses = {TicketStatus::kNew, TicketStatus::kOpen, TicketStatus::kPending, TicketStatus::kOnHold};
    EXPECT_EQ(counts["unsolved"], count(unsolved));
    ports::TicketFilter unassigned = unsolved;
    unassigned.unassigned = true;
    EXPECT_EQ(counts["unassigned"], count(unassigned));
    ports::TicketFilter by_team = unsolved;
    by_team.team_id = team.id;
    EXPECT_EQ(counts[team_key], count(by_team));
    ports::TicketFilter open;
    open.statuses = {TicketStatus::kOpen};
    EXPECT_EQ(counts["status:open"], count(open));
    EXPECT_EQ(counts["status:closed"], 5);
    return Ok();
  }).ok());
}

TEST_F(SqliteStoreTest, CommittedWritesSurviveReopeningAndMigrationsRunOnce) {
  WorkspaceId ws = NewWorkspace("durable");
  Ticket t = NewTicket(ws, "keep me");
  db_.Close();
  auto report = storage::MigrateSqlite(db_.path());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->from_version, report->to_version);
  db_.Open();
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(Ticket again, tx.GetTicket(ws, t.id));
    EXPECT_EQ(again.subject, "keep me");
    return Ok();
  }).ok());
}

TEST_F(SqliteStoreTest, TheWalIsCutBackAfterABurstOnceItHasBeenCopiedIntoTheDatabase) {
  const std::string path = db_.path() + ".wal-test";
  auto opened = storage::SqliteDb::Open(path, false, false);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  storage::SqliteDb& db = **opened;
  const auto wal_size = [&] { return std::filesystem::file_size(path + "-wal"); };
  // One 96 MiB write: the WAL holds all of it.
  ASSERT_TRUE(db.Exec("CREATE TABLE blobs (b BLOB);"
                      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 96)"
                      " INSERT INTO blobs SELECT randomblob(1048576) FROM n;")
                  .ok());
  EXPECT_GT(wal_size(), 96u << 20);
  // Copied into the database, then the next write starts the WAL over: the file is cut back.
  ASSERT_TRUE(db.CheckpointPassive().ok());
  ASSERT_TRUE(db.Exec("INSERT INTO blobs VALUES (x'00')").ok());
  EXPECT_LE(wal_size(), static_cast<std::uintmax_t>(storage::SqliteDb::kWalSizeLimit));
  opened->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

TEST_F(SqliteStoreTest, EventsArePublishedOnlyAfterTheirWriteCommits) {
  WorkspaceId ws = NewWorkspace("events");
  std::vector<std::string> seen;
  std::mutex mutex;
  auto handle = db_.bus().Subscribe(ws, [&](const Event& e) {
    std::lock_guard lock(mutex);
    seen.push_back(e.type);
  });
  services::CreateTicketInput in;
  in.subject = "rolled back";
  in.body = "b";
  in.requester.email = "e@example.com";
  Status failed = db_.store().WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_TRY(services::CreateTicket(tx, services::Actor::System(ws), in, 1));
    return Error::Conflict("changed my mind");
  });
  EXPECT_FALSE(failed.ok());
  {
    std::lock_guard lock(mutex);
    EXPECT_TRUE(seen.empty());
  }
  NewTicket(ws, "committed");
  db_.bus().Unsubscribe(handle);
  std::lock_guard lock(mutex);
  EXPECT_EQ(seen, (std::vector<std::string>{"customer.created", "ticket.created"}));
}

}  // namespace
}  // namespace kizuna::testing
