// The community (C22) on a real SQLite store: a thread with answers, votes, an accepted and an
// official answer; moderation; the spam check; bans; the posting limit; events; "make article"
// (services/community.h). Markdown goes through a test double of the port.
#include "services/community.h"

#include <gtest/gtest.h>

#include "fakes/temp_store.h"
#include "services/customers.h"
#include "services/directory.h"
#include "services/kb.h"

namespace kizuna::testing {
namespace {

constexpr Timestamp kMinute = 60 * 1000;

// Escapes everything: enough to tell what the services hand to the renderer.
class EscapingMarkdown final : public ports::Markdown {
 public:
  std::string ToHtml(std::string_view markdown) const override {
    std::string out = "<p>";
    for (char c : markdown) {
      if (c == '<') out += "&lt;";
      else if (c == '>') out += "&gt;";
      else if (c == '&') out += "&amp;";
      else if (c == '"') out += "&quot;";
      else out += c;
    }
    return out + "</p>";
  }
  std::string ToText(std::string_view markdown) const override { return std::string(markdown); }
};

class CommunityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(Workspace w, services::CreateWorkspace(tx, services::WorkspaceInput{"forum", "Asia/Tokyo"}, 1));
      ws_ = w.id;
      admin_ = services::Actor{w.id, "agent", 0, Role::kAdmin};
      KZ_ASSIGN(Agent ren, services::CreateAgent(tx, admin_, services::AgentInput{"ren@forum.test", "Ren", "admin"}, 1));
      admin_.id = ren.id;
      KZ_ASSIGN(aiko_, NewCustomer(tx, "Aiko", "ja"));
      KZ_ASSIGN(minh_, NewCustomer(tx, "Minh", "vi"));
      KZ_ASSIGN(jisoo_, NewCustomer(tx, "Jisoo", "ko"));
      return Ok();
    }).ok());
  }

  Result<CustomerId> NewCustomer(ports::WriteTx& tx, const std::string& name, const std::string& language) {
    services::CustomerInput in;
    in.name = name;
    in.language = language;
    KZ_TRY(services::ValidateCustomer(in, true));
    KZ_ASSIGN(Customer c, services::CreateCustomer(tx, admin_, in, 1));
    return c.id;
  }

  Status Write(const ports::WriteFn& fn) { return db_.store().WriteAndWait(fn); }
  template <typename T, typename Fn>
  Result<T> WriteValue(Fn fn) { return db_.WriteValue<T>(std::move(fn)); }

  Result<ports::CommunityTopic> Ask(CustomerId who, const std::string& title, const std::string& body) {
    services::NewTopic in{title, body, std::nullopt};
    return WriteValue<ports::CommunityTopic>(
        [&](ports::WriteTx& tx) { return services::CreateTopic(tx, ws_, who, in, clock_.Now()); });
  }
  Result<ports::CommunityPost> Answer(const services::Poster& who, std::int64_t topic, const std::string& body) {
    return WriteValue<ports::CommunityPost>(
        [&](ports::WriteTx& tx) { return services::AddPost(tx, ws_, who, topic, body, clock_.Now()); });
  }
  Result<services::VoteOutcome> VoteOn(CustomerId who, std::int64_t post, int value) {
    return WriteValue<services::VoteOutcome>(
        [&](ports::WriteTx& tx) { return services::Vote(tx, ws_, who, post, value, clock_.Now()); });
  }
  Result<ports::CommunityTopic> Read(std::int64_t topic, std::optional<CustomerId> viewer) {
    std::optional<ports::CommunityTopic> out;
    Status s = db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(out, services::ReadTopic(tx, ws_, topic, viewer));
      return Ok();
    });
    if (!s.ok()) return s.error();
    return *out;
  }
  std::vector<Event> Events() {
    std::vector<Event> events;
    EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(events, tx.ListEventsSince(ws_, 0, 1000));
      return Ok();
    }).ok());
    return events;
  }

  TempStore db_;
  FakeClock clock_;
  WorkspaceId ws_ = 0;
  services::Actor admin_;
  CustomerId aiko_ = 0, minh_ = 0, jisoo_ = 0;
};

TEST_F(CommunityTest, AThreadWithAnswersVotesAnOfficialAnswerAndAnAcceptedOne) {
  auto topic = Ask(aiko_, "  返品の送料は？ ", "商品を返品したいです。送料はかかりますか？");
  ASSERT_TRUE(topic.ok()) << topic.error().message;
  EXPECT_EQ(topic->status, "visible");
  EXPECT_EQ(topic->title, "返品の送料は？");  // trimmed
  EXPECT_EQ(topic->locale, "ja");             // the customer's language
  auto minh_answer = Answer(services::Poster::Customer(minh_), topic->id, "Tôi nghĩ là miễn phí.");
  ASSERT_TRUE(minh_answer.ok()) << minh_answer.error().message;
  EXPECT_FALSE(minh_answer->official);
  auto official = Answer(services::Poster::Agent(admin_.id), topic->id, "返品の送料は無料です。");
  ASSERT_TRUE(official.ok()) << official.error().message;
  EXPECT_TRUE(official->official);
  EXPECT_EQ(official->status, "visible");

  // One vote per customer: voting again replaces the vote; 0 takes it back.
  EXPECT_EQ(VoteOn(jisoo_, minh_answer->id, 1)->votes, 1);
  EXPECT_EQ(VoteOn(jisoo_, minh_answer->id, 1)->votes, 1);
  EXPECT_EQ(VoteOn(aiko_, minh_answer->id, 1)->votes, 2);
  EXPECT_EQ(VoteOn(jisoo_, minh_answer->id, -1)->votes, 0);
  EXPECT_EQ(VoteOn(jisoo_, minh_answer->id, 0)->votes, 1);
  EXPECT_EQ(VoteOn(jisoo_, official->id, 1)->votes, 1);
  auto own = VoteOn(minh_, minh_answer->id, 1);
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(own.error().code, ErrorCode::kPermissionDenied);
  auto two = VoteOn(jisoo_, minh_answer->id, 2);
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().field, "value");

  // Only the author accepts, and only an answer of this topic.
  auto by_other = WriteValue<ports::CommunityTopic>([&](ports::WriteTx& tx) {
    return services::AcceptPost(tx, ws_, minh_, topic->id, minh_answer->id, clock_.Now());
  });
  ASSERT_FALSE(by_other.ok());
  EXPECT_EQ(by_other.error().code, ErrorCode::kPermissionDenied);
  auto other_topic = Ask(jisoo_, "다른 질문", "배송은 얼마나 걸리나요?");
  ASSERT_TRUE(other_topic.ok());
  auto other_answer = Answer(services::Poster::Customer(minh_), other_topic->id, "Khoảng 3 ngày.");
  ASSERT_TRUE(other_answer.ok());
  auto wrong = WriteValue<ports::CommunityTopic>([&](ports::WriteTx& tx) {
    return services::AcceptPost(tx, ws_, aiko_, topic->id, other_answer->id, clock_.Now());
  });
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().field, "post_id");
  auto accepted = WriteValue<ports::CommunityTopic>([&](ports::WriteTx& tx) {
    return services::AcceptPost(tx, ws_, aiko_, topic->id, minh_answer->id, clock_.Now());
  });
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  EXPECT_EQ(accepted->accepted_post_id, minh_answer->id);

  auto thread = Read(topic->id, jisoo_);
  ASSERT_TRUE(thread.ok());
  EXPECT_EQ(thread->answers, 2);
  EXPECT_EQ(thread->votes, 2);
  EXPECT_TRUE(thread->official);
  ASSERT_EQ(thread->posts.size(), 2u);
  EXPECT_EQ(thread->posts[0].author_name, "Minh");
  EXPECT_EQ(thread->posts[1].author_name, "Ren");

  EscapingMarkdown md;
  auto json = services::TopicJson(*thread, md, aiko_, {{minh_answer->id, 1}});
  EXPECT_EQ(json["can_accept"], true);
  EXPECT_EQ(json["posts"][0]["accepted"], true);
  EXPECT_EQ(json["posts"][0]["my_vote"], 1);
  EXPECT_EQ(json["posts"][1]["official"], true);
  EXPECT_EQ(json["author"]["kind"], "customer");
  EXPECT_EQ(services::TopicJson(*thread, md, minh_, {})["can_accept"], false);
}

TEST_F(CommunityTest, EveryWriteRecordsItsEventWithTheTopic) {
  auto topic = Ask(aiko_, "Question", "How do I export my data?");
  ASSERT_TRUE(topic.ok());
  auto post = Answer(services::Poster::Customer(minh_), topic->id, "Settings, then Export.");
  ASSERT_TRUE(post.ok());
  ASSERT_TRUE(VoteOn(jisoo_, post->id, 1).ok());
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    KZ_TRY(services::AcceptPost(tx, ws_, aiko_, topic->id, post->id, clock_.Now()));
    KZ_TRY(services::SetPostStatus(tx, admin_, post->id, "hidden", std::nullopt, clock_.Now()));
    KZ_TRY(services::SetPostStatus(tx, admin_, post->id, "visible", std::nullopt, clock_.Now()));
    KZ_TRY(services::SetTopicStatus(tx, admin_, topic->id, "hidden", std::nullopt, clock_.Now()));
    return Ok();
  }).ok());
  std::vector<std::string> types;
  for (const auto& e : Events()) {
    if (!e.type.starts_with("community.")) continue;
    types.push_back(e.type);
    auto data = nlohmann::json::parse(e.data);
    EXPECT_EQ(data["topic_id"], topic->id) << e.type;
    EXPECT_FALSE(e.ticket_id.has_value());
  }
  EXPECT_EQ(types, (std::vector<std::string>{"community.topic.created", "community.post.created", "community.vote",
                                             "community.accepted", "community.post.hidden", "community.post.visible",
                                             "community.topic.hidden"}));
}

TEST_F(CommunityTest, HiddenThingsAreInvisibleToCustomersButNotToAgents) {
  auto topic = Ask(aiko_, "Login fails", "I cannot sign in since yesterday.");
  ASSERT_TRUE(topic.ok());
  auto rude = Answer(services::Poster::Customer(minh_), topic->id, "Figure it out yourself.");
  ASSERT_TRUE(rude.ok());
  auto hidden = WriteValue<ports::CommunityPost>([&](ports::WriteTx& tx) {
    return services::SetPostStatus(tx, admin_, rude->id, "hidden", std::nullopt, clock_.Now());
  });
  ASSERT_TRUE(hidden.ok());
  EXPECT_TRUE(Read(topic->id, jisoo_)->posts.empty());
  EXPECT_TRUE(Read(topic->id, minh_)->posts.empty());  // even its author
  EXPECT_EQ(Read(topic->id, std::nullopt)->posts.size(), 1u);
  EXPECT_EQ(Read(topic->id, std::nullopt)->answers, 0);
  EXPECT_EQ(VoteOn(jisoo_, rude->id, 1).error().code, ErrorCode::kNotFound);

  // A stale version is refused.
  auto stale = WriteValue<ports::CommunityTopic>([&](ports::WriteTx& tx) {
    return services::SetTopicStatus(tx, admin_, topic->id, "hidden", topic->version + 5, clock_.Now());
  });
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  ASSERT_TRUE(WriteValue<ports::CommunityTopic>([&](ports::WriteTx& tx) {
    return services::SetTopicStatus(tx, admin_, topic->id, "hidden", topic->version, clock_.Now());
  }).ok());
  EXPECT_EQ(Read(topic->id, jisoo_).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Read(topic->id, aiko_).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Read(topic->id, std::nullopt)->status, "hidden");
  auto answer = Answer(services::Poster::Customer(jisoo_), topic->id, "Try resetting.");
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::kNotFound);
  auto bad_status = WriteValue<ports::CommunityTopic>([&](ports::WriteTx& tx) {
    return services::SetTopicStatus(tx, admin_, topic->id, "deleted", std::nullopt, clock_.Now());
  });
  EXPECT_EQ(bad_status.error().field, "status");
}

TEST_F(CommunityTest, ANewCustomersLinkWaitsForAModeratorWithItsReason) {
  auto spam = Ask(minh_, "Great deal", "Visit https://cheap.example now");
  ASSERT_TRUE(spam.ok()) << spam.error().message;
  EXPECT_EQ(spam->status, "pending");
  EXPECT_EQ(spam->pending_reason, "links_new_user");
  EXPECT_TRUE(Read(spam->id, minh_).ok());  // the author sees their own pending topic
  EXPECT_EQ(Read(spam->id, jisoo_).error().code, ErrorCode::kNotFound);

  std::vector<ports::CommunityTopic> queue;
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    ports::TopicFilter filter;
    filter.statuses = {"pending"};
    KZ_ASSIGN(queue, tx.ListTopics(ws_, filter));
    return Ok();
  }).ok());
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].id, spam->id);

  // Approving makes it visible; the customer then has a visible post and may link.
  ASSERT_TRUE(WriteValue<ports::CommunityTopic>([&](ports::WriteTx& tx) {
    return services::SetTopicStatus(tx, admin_, spam->id, "visible", std::nullopt, clock_.Now());
  }).ok());
  EXPECT_TRUE(Read(spam->id, jisoo_).ok());
  auto linked = Answer(services::Poster::Customer(minh_), spam->id, "Docs: https://docs.example/help");
  ASSERT_TRUE(linked.ok());
  EXPECT_EQ(linked->status, "visible");

  // A pending answer shows in the queue through its topic, and only to its author.
  auto held = Answer(services::Poster::Customer(jisoo_), spam->id, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(held->status, "pending");
  EXPECT_EQ(held->pending_reason, "repeated_characters");
  EXPECT_EQ(Read(spam->id, jisoo_)->posts.size(), 2u);
  EXPECT_EQ(Read(spam->id, aiko_)->posts.size(), 1u);
  EXPECT_EQ(Read(spam->id, std::nullopt)->pending_posts, 1);

  // Repeating one's previous text is held too, even for an established customer.
  auto again = Answer(services::Poster::Customer(minh_), spam->id, "Docs: https://docs.example/help");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->pending_reason, "duplicate");
}

TEST_F(CommunityTest, BannedCustomersCannotPostOrVote) {
  auto topic = Ask(aiko_, "Question", "Where is the invoice?");
  ASSERT_TRUE(topic.ok());
  auto post = Answer(services::Poster::Customer(jisoo_), topic->id, "In Billing.");
  ASSERT_TRUE(post.ok());
  ASSERT_TRUE(WriteValue<ports::CommunityBan>([&](ports::WriteTx& tx) {
    return services::BanCustomer(tx, admin_, minh_, "spam", clock_.Now());
  }).ok());
  auto asked = Ask(minh_, "Hi", "Hello");
  ASSERT_FALSE(asked.ok());
  EXPECT_EQ(asked.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(asked.error().message, "you cannot post in this community");
  EXPECT_EQ(Answer(services::Poster::Customer(minh_), topic->id, "x").error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(VoteOn(minh_, post->id, 1).error().code, ErrorCode::kPermissionDenied);

  std::vector<ports::CommunityBan> bans;
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(bans, tx.ListCommunityBans(ws_));
    return Ok();
  }).ok());
  ASSERT_EQ(bans.size(), 1u);
  EXPECT_EQ(bans[0].customer_name, "Minh");
  EXPECT_EQ(bans[0].reason, "spam");

  auto unknown = WriteValue<ports::CommunityBan>([&](ports::WriteTx& tx) {
    return services::BanCustomer(tx, admin_, 999999, "", clock_.Now());
  });
  EXPECT_EQ(unknown.error().field, "customer_id");
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) { return services::LiftBan(tx, admin_, minh_, clock_.Now()); }).ok());
  EXPECT_TRUE(Ask(minh_, "Hi", "Hello").ok());
  // Both are on the record: who, whom, why.
  std::vector<std::string> moderation;
  for (const auto& e : Events()) {
    if (e.type.rfind("community.ban.", 0) != 0) continue;
    EXPECT_EQ(e.actor_id, admin_.id);
    EXPECT_NE(e.data.find("\"customer_id\":" + std::to_string(minh_)), std::string::npos) << e.data;
    moderation.push_back(e.type);
  }
  EXPECT_EQ(moderation, (std::vector<std::string>{"community.ban.created", "community.ban.lifted"}));
  EXPECT_EQ(Write([&](ports::WriteTx& tx) { return services::LiftBan(tx, admin_, minh_, clock_.Now()); }).error().code,
            ErrorCode::kNotFound);
}

TEST_F(CommunityTest, ACustomerWritesAtMostFiveTimesInTenMinutes) {
  auto topic = Ask(aiko_, "Question", "Body 0");
  ASSERT_TRUE(topic.ok());
  for (int post_idx = 1; post_idx < 5; ++post_idx) {
    clock_.Advance(kMinute);
    ASSERT_TRUE(Answer(services::Poster::Customer(aiko_), topic->id, "Body " + std::to_string(post_idx)).ok());
  }
  auto sixth = Answer(services::Poster::Customer(aiko_), topic->id, "Body 5");
  ASSERT_FALSE(sixth.ok());
  EXPECT_EQ(sixth.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(Ask(aiko_, "Another", "Body 6").error().code, ErrorCode::kRateLimited);
  std::int64_t wait = 0;
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(wait, services::SecondsUntilMayPost(tx, ws_, aiko_, clock_.Now()));
    return Ok();
  }).ok());
  EXPECT_EQ(wait, 6 * 60);  // the first write, 4 minutes ago, leaves the window in 6
  // Others are not held back, and agents never are.
  EXPECT_TRUE(Answer(services::Poster::Customer(minh_), topic->id, "Other").ok());
  EXPECT_TRUE(Answer(services::Poster::Agent(admin_.id), topic->id, "Official").ok());
  clock_.Advance(6 * kMinute);
  EXPECT_TRUE(Answer(services::Poster::Customer(aiko_), topic->id, "Body 7").ok());
}

TEST_F(CommunityTest, BadInputNamesTheField) {
  EXPECT_EQ(Ask(aiko_, "", "body").error().field, "title");
  EXPECT_EQ(Ask(aiko_, std::string(300, 'a'), "body").error().field, "title");
  EXPECT_EQ(Ask(aiko_, "Title", "").error().field, "body_md");
  EXPECT_EQ(Ask(aiko_, "Title", std::string(50 * 1024 + 1, 'a')).error().field, "body_md");
  EXPECT_EQ(Ask(aiko_, "Two\nlines", "body").error().field, "title");
  services::NewTopic in{"Title", "Body", std::string("fr")};
  EXPECT_EQ(services::ValidateNewTopic(in).error().field, "locale");
  EXPECT_TRUE(Ask(aiko_, std::string(200, 'a'), "body").ok());
}

TEST_F(CommunityTest, ListsByVotesAndPagesByTopic) {
  std::vector<std::int64_t> ids;
  for (int topic_idx = 0; topic_idx < 3; ++topic_idx) {
    auto topic = Ask(topic_idx == 0 ? aiko_ : topic_idx == 1 ? minh_ : jisoo_, "Q" + std::to_string(topic_idx),
                     "Body of question " + std::to_string(topic_idx));
    ASSERT_TRUE(topic.ok());
    ids.push_back(topic->id);
  }
  auto answer = Answer(services::Poster::Customer(aiko_), ids[1], "An answer");
  ASSERT_TRUE(answer.ok());
  ASSERT_TRUE(VoteOn(jisoo_, answer->id, 1).ok());
  auto list = [&](bool by_votes, std::int64_t after, int limit) {
    std::vector<std::int64_t> out;
    EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      ports::TopicFilter filter;
      filter.statuses = {"visible"};
      filter.by_votes = by_votes;
      filter.after_id = after;
      filter.limit = limit;
      KZ_ASSIGN(auto topics, tx.ListTopics(ws_, filter));
      for (const auto& t : topics) out.push_back(t.id);
      return Ok();
    }).ok());
    return out;
  };
  EXPECT_EQ(list(false, 0, 10), (std::vector<std::int64_t>{ids[2], ids[1], ids[0]}));
  EXPECT_EQ(list(false, ids[2], 1), (std::vector<std::int64_t>{ids[1]}));
  EXPECT_EQ(list(true, 0, 10), (std::vector<std::int64_t>{ids[1], ids[2], ids[0]}));
  EXPECT_EQ(list(true, ids[1], 10), (std::vector<std::int64_t>{ids[2], ids[0]}));
}

TEST_F(CommunityTest, MakeArticleTurnsTheThreadIntoADraft) {
  auto topic = Ask(aiko_, "返品の方法", "返品はどうすればいいですか？");
  ASSERT_TRUE(topic.ok());
  auto minh_answer = Answer(services::Poster::Customer(minh_), topic->id, "Tôi không biết.");
  auto official = Answer(services::Poster::Agent(admin_.id), topic->id, "マイページから返品を申し込めます。");
  ASSERT_TRUE(minh_answer.ok() && official.ok());
  std::int64_t section_id = 0;
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    services::KbGroupInput category;
    category.names = std::map<std::string, std::string>{{"ja", "注文"}};
    KZ_TRY(services::ValidateKbGroup(category, true, false));
    KZ_ASSIGN(auto made, services::CreateKbCategory(tx, admin_, category, clock_.Now()));
    services::KbGroupInput section;
    section.names = std::map<std::string, std::string>{{"ja", "返品"}};
    section.category_id = made.id;
    KZ_TRY(services::ValidateKbGroup(section, true, true));
    KZ_ASSIGN(auto sec, services::CreateKbSection(tx, admin_, section, clock_.Now()));
    section_id = sec.id;
    return Ok();
  }).ok());
  auto no_section = WriteValue<std::int64_t>([&](ports::WriteTx& tx) {
    return services::MakeArticle(tx, admin_, topic->id, section_id + 100, clock_.Now());
  });
  ASSERT_FALSE(no_section.ok());
  EXPECT_EQ(no_section.error().field, "section_id");
  auto article_id = WriteValue<std::int64_t>([&](ports::WriteTx& tx) {
    return services::MakeArticle(tx, admin_, topic->id, section_id, clock_.Now());
  });
  ASSERT_TRUE(article_id.ok()) << article_id.error().message;
  EXPECT_EQ(Read(topic->id, std::nullopt)->article_id, *article_id);
  ports::KbArticle article;
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(article, tx.GetArticle(ws_, *article_id));
    return Ok();
  }).ok());
  EXPECT_EQ(article.status, "draft");
  EXPECT_EQ(article.source_topic_id, topic->id);
  ASSERT_EQ(article.translations.size(), 1u);
  EXPECT_EQ(article.translations[0].locale, "ja");
  EXPECT_EQ(article.translations[0].title, "返品の方法");
  EXPECT_NE(article.translations[0].body_md.find("返品はどうすればいいですか？"), std::string::npos);
  EXPECT_NE(article.translations[0].body_md.find("マイページから返品を申し込めます。"), std::string::npos);
  EXPECT_EQ(article.translations[0].body_md.find("Tôi không biết."), std::string::npos);
}

}  // namespace
}  // namespace kizuna::testing
