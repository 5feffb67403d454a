#include "core/ticket.h"

#include <gtest/gtest.h>

#include "core/customer.h"
#include "core/ticket_sla.h"

namespace kizuna {
namespace {

TEST(TicketStatus, NamesRoundTrip) {
  for (auto s : {TicketStatus::kNew, TicketStatus::kOpen, TicketStatus::kPending, TicketStatus::kOnHold,
                 TicketStatus::kSolved, TicketStatus::kClosed}) {
    auto parsed = ParseStatus(StatusName(s));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, s);
  }
  EXPECT_FALSE(ParseStatus("Open").ok());
  EXPECT_EQ(ParseStatus("bogus").error().field, "status");
}

TEST(TicketStatus, ClosedIsFinalAndNothingReturnsToNew) {
  EXPECT_FALSE(IsAllowedTransition(TicketStatus::kClosed, TicketStatus::kOpen));
  EXPECT_FALSE(IsAllowedTransition(TicketStatus::kOpen, TicketStatus::kNew));
  EXPECT_TRUE(IsAllowedTransition(TicketStatus::kSolved, TicketStatus::kOpen));
  EXPECT_TRUE(IsAllowedTransition(TicketStatus::kNew, TicketStatus::kSolved));
}

TEST(Tags, AreTrimmedLoweredSortedAndUnique) {
  auto tags = NormaliseTags({" VIP ", "billing", "vip", "", "返金"});
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(*tags, (std::vector<std::string>{"billing", "vip", "返金"}));
  EXPECT_FALSE(NormaliseTags({"two words"}).ok());
  EXPECT_FALSE(NormaliseTags({std::string(65, 'a')}).ok());
}

TEST(InboxCounters, UnsolvedTicketCountsInItsViews) {
  Ticket t;
  t.status = TicketStatus::kOpen;
  t.team_id = 3;
  EXPECT_EQ(InboxCounterKeys(t), (std::vector<std::string>{"status:open", "unsolved", "unassigned", "team:3"}));
  t.assignee_id = 7;
  EXPECT_EQ(InboxCounterKeys(t), (std::vector<std::string>{"status:open", "unsolved", "assignee:7", "team:3"}));
  t.status = TicketStatus::kSolved;
  EXPECT_EQ(InboxCounterKeys(t), (std::vector<std::string>{"status:solved"}));
}

struct IdentityCase {
  const char* kind;
  const char* value;
  const char* expected;  // nullptr: rejected
};

TEST(Identities, AreNormalisedOrRejected) {
  const IdentityCase cases[] = {
      {"email", " Yuki@Example.JP ", "yuki@example.jp"},
      {"email", "no-at-sign", nullptr},
      {"email", "a@b@c.d", nullptr},
      {"email", "a<b@c.d", nullptr},
      {"phone", "+84 (90) 123-4567", "+84901234567"},
      {"phone", "090-1234-5678", "09012345678"},
      {"phone", "12", nullptr},
      {"phone", "call me", nullptr},
      {"line", "U4af4980629", "U4af4980629"},
      {"fax", "123", nullptr},
  };
  for (const auto& c : cases) {
    auto result = NormaliseIdentity(c.kind, c.value);
    if (c.expected) {
      ASSERT_TRUE(result.ok()) << c.kind << " " << c.value << ": " << result.error().message;
      EXPECT_EQ(result->value, c.expected);
    } else {
      EXPECT_FALSE(result.ok()) << c.kind << " " << c.value;
    }
  }
}

}  // namespace
}  // namespace kizuna

namespace kizuna {
namespace {

TEST(SlaTargetsText, IsPositionalAndEscapesWhatIsNotPlain) {
  TicketSlaTarget running{"first_reply", "running", 1780880400050, false, std::nullopt, 1780878600050, 1, 0, 0};
  TicketSlaTarget breached{"resolution", "fulfilled", std::nullopt, true, 1780880400000, std::nullopt, 2, 1, 2};
  EXPECT_EQ(EncodeSlaTargets({running, breached}),
            "[[\"first_reply\",\"running\",1780880400050,0,null,1780878600050,1,0,0],"
            "[\"resolution\",\"fulfilled\",null,1,1780880400000,null,2,1,2]]");
  EXPECT_EQ(EncodeSlaTargets({}), "[]");
  // Not a word any policy writes, but stored text stays JSON whatever it holds.
  TicketSlaTarget odd{"a\"b\\c\n\x01", "running", -5, false, std::nullopt, std::nullopt, 0, 0, 0};
  EXPECT_EQ(EncodeSlaTargets({odd}), "[[\"a\\\"b\\\\c\\u000a\\u0001\",\"running\",-5,0,null,null,0,0,0]]");
}

}  // namespace
}  // namespace kizuna
