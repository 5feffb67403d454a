// Ticket and customer use cases on a real SQLite store.
#include "services/tickets.h"

#include <gtest/gtest.h>

#include "fakes/temp_store.h"
#include "services/customers.h"
#include "services/directory.h"

namespace kizuna::testing {
namespace {

class TicketServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(Workspace w, services::CreateWorkspace(tx, services::WorkspaceInput{"svc"}, 1));
      actor_ = services::Actor{w.id, "agent", 0, Role::kAdmin};
      services::AgentInput agent{"ana@svc.test", "Ana", "agent", {"ja"}, ""};
      KZ_ASSIGN(Agent a, services::CreateAgent(tx, actor_, agent, 1));
      actor_.id = a.id;
      return Ok();
    }).ok());
  }

  Status Write(const ports::WriteFn& fn) { return db_.store().WriteAndWait(fn); }

  Result<Ticket> Create(services::CreateTicketInput in) {
    KZ_TRY(services::ValidateCreateTicket(in));
    Ticket t;
    Status s = Write([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(t, services::CreateTicket(tx, actor_, in, clock_.Now()));
      return Ok();
    });
    if (!s.ok()) return s.error();
    return t;
  }

  services::CreateTicketInput Basic(const std::string& email = "kim@example.kr") {
    services::CreateTicketInput in;
    in.subject = "환불 요청";
    in.body = "주문 번호 42";
    in.requester.email = email;
    return in;
  }

  Result<Ticket> Update(TicketId id, services::UpdateTicketInput in) {
    KZ_TRY(services::ValidateUpdateTicket(in));
    Ticket t;
    Status s = Write([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(t, services::UpdateTicket(tx, actor_, id, in, clock_.Now()));
      return Ok();
    });
    if (!s.ok()) return s.error();
    return t;
  }

  std::vector<Event> Events(TicketId id) {
    std::vector<Event> events;
    EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(events, tx.ListTicketEvents(actor_.workspace_id, id));
      return Ok();
    }).ok());
    return events;
  }

  TempStore db_;
  FakeClock clock_;
  services::Actor actor_;
};

TEST_F(TicketServiceTest, AnUnknownAssigneeIsAnErrorOnThatField) {
  auto in = Basic();
  in.assignee_id = 999;
  auto t = Create(in);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(t.error().field, "assignee_id");
}

TEST_F(TicketServiceTest, AssigningANewTicketOpensIt) {
  auto t = Create(Basic()).value();
  services::UpdateTicketInput in;
  in.assignee_id = {true, actor_.id};
  auto updated = Update(t.id, in).value();
  EXPECT_EQ(updated.status, TicketStatus::kOpen);
  EXPECT_EQ(updated.version, 2);
}

TEST_F(TicketServiceTest, AnUpdateThatChangesNothingRecordsNothing) {
  auto t = Create(Basic()).value();
  services::UpdateTicketInput in;
  in.priority = "normal";
  auto same = Update(t.id, in).value();
  EXPECT_EQ(same.version, 1);
  EXPECT_EQ(Events(t.id).size(), 1u);
}

TEST_F(TicketServiceTest, AStaleVersionIsAPreconditionFailure) {
  auto t = Create(Basic()).value();
  services::UpdateTicketInput in;
  in.priority = "urgent";
  in.expected_version = 7;
  auto stale = Update(t.id, in);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
}

TEST_F(TicketServiceTest, SolvingStampsSolvedAtAndReopeningClearsIt) {
  auto t = Create(Basic()).value();
  services::UpdateTicketInput solve;
  solve.status = "solved";
  clock_.Advance(60'000);
  auto solved = Update(t.id, solve).value();
  EXPECT_EQ(solved.solved_at, clock_.Now());
  services::UpdateTicketInput reopen;
  reopen.status = "open";
  auto reopened = Update(t.id, reopen).value();
  EXPECT_FALSE(reopened.solved_at.has_value());
}

TEST_F(TicketServiceTest, AClosedTicketTakesNoReplyAndCannotReopen) {
  auto t = Create(Basic()).value();
  services::UpdateTicketInput close;
  close.status = "closed";
  ASSERT_TRUE(Update(t.id, close).ok());
  services::UpdateTicketInput reopen;
  reopen.status = "open";
  EXPECT_EQ(Update(t.id, reopen).error().code, ErrorCode::kConflict);
  services::AddMessageInput reply{false, "hello", std::nullopt};
  ASSERT_TRUE(services::ValidateAddMessage(reply).ok());
  Status s = Write([&](ports::WriteTx& tx) -> Status {
    KZ_TRY(services::AddMessage(tx, actor_, t.id, reply, 5));
    return Ok();
  });
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
}

TEST_F(TicketServiceTest, AnInternalNoteIsNotAFirstReply) {
  auto t = Create(Basic()).value();
  services::AddMessageInput note{true, "check the order", std::nullopt};
  services::MessageResult result;
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(result, services::AddMessage(tx, actor_, t.id, note, 5));
    return Ok();
  }).ok());
  EXPECT_FALSE(result.ticket.first_reply_at.has_value());
  EXPECT_EQ(result.ticket.status, TicketStatus::kNew);
  EXPECT_EQ(result.message.kind, MessageKind::kNote);
}

TEST_F(TicketServiceTest, ARequesterIsFoundByPhoneAsWellAsEmail) {
  auto in = Basic("");
  in.requester.phone = "+84 90 123 4567";
  auto first = Create(in).value();
  auto again = Basic("");
  again.requester.phone = "+84901234567";
  auto second = Create(again).value();
  EXPECT_EQ(first.requester_id, second.requester_id);
}

TEST_F(TicketServiceTest, AMergedCustomerCannotBeMergedAgainOrIntoItself) {
  auto a = Create(Basic("a@example.com")).value();
  auto b = Create(Basic("b@example.com")).value();
  auto merge = [&](CustomerId source, CustomerId target) {
    return Write([&](ports::WriteTx& tx) -> Status {
      KZ_TRY(services::MergeCustomers(tx, actor_, source, target, 9));
      return Ok();
    });
  };
  EXPECT_EQ(merge(a.requester_id, a.requester_id).error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(merge(a.requester_id, b.requester_id).ok());
  EXPECT_EQ(merge(a.requester_id, b.requester_id).error().code, ErrorCode::kConflict);
  EXPECT_EQ(merge(b.requester_id, a.requester_id).error().code, ErrorCode::kConflict);
}

TEST_F(TicketServiceTest, TwoCustomersCannotShareAnIdentity) {
  services::CustomerInput first;
  first.name = "One";
  first.identities = std::vector<services::IdentityInput>{{"line", "U123"}};
  services::CustomerInput second = first;
  second.name = "Two";
  ASSERT_TRUE(services::ValidateCustomer(first, true).ok());
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    KZ_TRY(services::CreateCustomer(tx, actor_, first, 1));
    return Ok();
  }).ok());
  Status clash = Write([&](ports::WriteTx& tx) -> Status {
    KZ_TRY(services::CreateCustomer(tx, actor_, second, 1));
    return Ok();
  });
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code, ErrorCode::kConflict);
  EXPECT_EQ(clash.error().field, "identities");
}

}  // namespace
}  // namespace kizuna::testing
