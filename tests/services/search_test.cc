// The search indexer on a real SQLite store and a real FTS5 index: it follows the event log,
// re-reads what events name, removes what is gone, rebuilds from the store, and resumes from
// its cursor after a restart.
#include "services/search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "adapters/markdown/cmark_markdown.h"
#include "adapters/search/fts5_index.h"
#include "fakes/temp_store.h"
#include "services/customers.h"
#include "services/directory.h"
#include "services/tickets.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;

class SearchIndexerTest : public ::testing::Test {
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
    OpenIndex();
  }

  void OpenIndex() {
    indexer_.reset();
    index_.reset();
    auto opened = search::OpenSearchIndex(db_.path() + ".search");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    index_ = std::move(opened).value();
    indexer_ = std::make_unique<services::SearchIndexer>(db_.store(), *index_, db_.bus(), *markdown_);
  }

  Status Write(const ports::WriteFn& fn) { return db_.store().WriteAndWait(fn); }

  Ticket Create(const std::string& subject, const std::string& body, const std::string& email) {
    services::CreateTicketInput in;
    in.subject = subject;
    in.body = body;
    in.requester.email = email;
    EXPECT_TRUE(services::ValidateCreateTicket(in).ok());
    Ticket t;
    EXPECT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(t, services::CreateTicket(tx, actor_, in, 1000));
      return Ok();
    }).ok());
    return t;
  }

  // Kinds and ids found, as an agent or as `customer`.
  std::vector<std::string> Find(const std::string& text, std::optional<CustomerId> customer = std::nullopt,
                                bool agent = true) {
    ports::SearchQuery q;
    q.workspace_id = actor_.workspace_id;
    q.text = text;
    q.agent = agent;
    q.customer = customer;
    auto hits = index_->Search(q);
    EXPECT_TRUE(hits.ok()) << hits.error().message;
    std::vector<std::string> out;
    if (hits.ok()) {
      for (const auto& hit : *hits) out.push_back(hit.kind + ":" + std::to_string(hit.ref_id));
    }
    return out;
  }

  void CatchUpAll() {
    for (int i = 0; i < 100; ++i) {
      auto taken = indexer_->CatchUp();
      ASSERT_TRUE(taken.ok()) << taken.error().message;
      if (*taken == 0) return;
    }
    FAIL() << "the indexer never caught up";
  }

  TempStore db_;
  services::Actor actor_;
  std::unique_ptr<ports::Markdown> markdown_ = markdown::NewCmarkMarkdown();
  std::unique_ptr<ports::SearchIndex> index_;
  std::unique_ptr<services::SearchIndexer> indexer_;
};

TEST_F(SearchIndexerTest, FollowsTheEventLog) {
  Ticket ticket = Create("返金について", "靴の返金をお願いします", "yuki@example.jp");
  EXPECT_TRUE(Find("返金").empty());  // nothing indexed before it catches up
  CatchUpAll();
  const std::string id = "ticket:" + std::to_string(ticket.id);
  EXPECT_EQ(Find("返金"), std::vector<std::string>{id});
  // The requester was indexed with the ticket: found by identity.
  auto customers = Find("yuki@example.jp");
  ASSERT_EQ(customers.size(), 1u);
  EXPECT_EQ(customers[0], "customer:" + std::to_string(ticket.requester_id));

  // A note is found by agents, never by the requester; the requester finds their ticket.
  services::AddMessageInput note;
  note.internal_note = true;
  note.body = "warehouse shortage";
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    return services::AddMessage(tx, actor_, ticket.id, note, 2000).ok() ? Ok() : Error::Internal("add");
  }).ok());
  CatchUpAll();
  EXPECT_EQ(Find("warehouse"), std::vector<std::string>{id});
  EXPECT_TRUE(Find("warehouse", ticket.requester_id, false).empty());
  EXPECT_EQ(Find("返金", ticket.requester_id, false), std::vector<std::string>{id});
  EXPECT_TRUE(Find("返金", ticket.requester_id + 1, false).empty());
  EXPECT_EQ(*index_->Cursor() > 0, true);
  EXPECT_EQ(*indexer_->CatchUp(), 0u);
}

TEST_F(SearchIndexerTest, IndexesManyNewTicketsAndTheirRequestersInOneCatchUp) {
  const std::vector<std::string> words = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};
  std::vector<Ticket> tickets;
  for (const auto& word : words) {
    tickets.push_back(Create("About " + word, "The " + word + "widget broke", word + "@example.com"));
  }
  // One more message on a ticket, in the same catch-up as its creation.
  services::AddMessageInput reply;
  reply.body = "kilowatt";
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    return services::AddMessage(tx, actor_, tickets[2].id, reply, 2000).ok() ? Ok() : Error::Internal("add");
  }).ok());
  auto taken = indexer_->CatchUp();
  ASSERT_TRUE(taken.ok()) << taken.error().message;
  EXPECT_GE(*taken, words.size());
  for (std::size_t idx = 0; idx < words.size(); ++idx) {
    EXPECT_EQ(Find(words[idx] + "widget"), std::vector<std::string>{"ticket:" + std::to_string(tickets[idx].id)})
        << words[idx];
    auto found = Find(words[idx] + "@example.com");
    const std::string requester = "customer:" + std::to_string(tickets[idx].requester_id);
    EXPECT_NE(std::find(found.begin(), found.end(), requester), found.end()) << words[idx];
  }
  // Every requester was indexed, each once.
  auto everyone = Find("example.com");
  EXPECT_EQ(std::count_if(everyone.begin(), everyone.end(), [](const std::string& hit) { return hit.starts_with("customer:"); }),
            static_cast<std::ptrdiff_t>(words.size()));
  EXPECT_EQ(Find("kilowatt"), std::vector<std::string>{"ticket:" + std::to_string(tickets[2].id)});
  EXPECT_EQ(*indexer_->CatchUp(), 0u);
}

TEST_F(SearchIndexerTest, ResumesFromItsCursorAndRebuildsFromTheStore) {
  Create("Invoice missing", "Where is my invoice?", "kim@example.com");
  CatchUpAll();
  const std::int64_t cursor = *index_->Cursor();
  // Reopened, it goes on from where it was.
  OpenIndex();
  EXPECT_EQ(*index_->Cursor(), cursor);
  Create("Invoice wrong", "The invoice has the wrong address", "lee@example.com");
  CatchUpAll();
  auto both = Find("invoice");
  EXPECT_EQ(both.size(), 2u);

  // Emptied and rebuilt from the store, with progress and the cursor at the last event.
  ASSERT_TRUE(index_->Clear().ok());
  EXPECT_TRUE(Find("invoice").empty());
  std::map<std::string, std::int64_t> progress;
  ASSERT_TRUE(indexer_->Rebuild([&](std::string_view kind, std::int64_t n) { progress[std::string(kind)] = n; }).ok());
  EXPECT_EQ(Find("invoice").size(), 2u);
  EXPECT_EQ(progress["tickets"], 2);
  EXPECT_EQ(progress["customers"], 2);
  EXPECT_EQ(*indexer_->CatchUp(), 0u);
}

TEST_F(SearchIndexerTest, ForgetsDeletedCustomersAndMergedOnes) {
  Create("Hello", "Question", "gone@example.com");
  Customer lone;
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    services::CustomerInput in;
    in.name = "Lone Wolf";
    KZ_ASSIGN(lone, services::CreateCustomer(tx, actor_, in, 3000));
    return Ok();
  }).ok());
  CatchUpAll();
  EXPECT_EQ(Find("Lone Wolf"), std::vector<std::string>{"customer:" + std::to_string(lone.id)});
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) { return services::DeleteCustomer(tx, actor_, lone.id, 4000); }).ok());
  CatchUpAll();
  EXPECT_TRUE(Find("Lone Wolf").empty());
}

TEST(MatchSegments, SplitsOnMarkersAndDropsStrayOnes) {
  const std::string s = ports::kMatchStart;
  const std::string e = ports::kMatchEnd;
  EXPECT_EQ(services::MatchSegments("a " + s + "返金" + e + " b"),
            json::parse(R"([{"text":"a ","match":false},{"text":"返金","match":true},{"text":" b","match":false}])"));
  EXPECT_EQ(services::MatchSegments(""), json::array());
  // An end without a start, and a start never ended, show as text without markers.
  EXPECT_EQ(services::MatchSegments("x" + e + "y"), json::parse(R"([{"text":"xy","match":false}])"));
  EXPECT_EQ(services::MatchSegments(s + "open"), json::parse(R"([{"text":"open","match":true}])"));
}

TEST(SearchDocs, ArticlesArePublicOnlyWhenPublishedAndTopicsHideModeratedAnswers) {
  auto markdown = markdown::NewCmarkMarkdown();
  ports::KbArticle article;
  article.id = 7;
  article.workspace_id = 1;
  article.status = "draft";
  article.helpful_yes = 9;
  article.helpful_no = 1;
  article.translations = {{"en", "Refunds", "**Refunds** take 5 days", 1, 10, std::nullopt},
                          {"ja", "返金", "返金には5日かかります", 1, 10, std::nullopt}};
  auto docs = services::ArticleSearchDocs(article, *markdown);
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_FALSE(docs[0].is_public);
  EXPECT_EQ(docs[0].body.find("**"), std::string::npos);  // indexed as read, not as written
  EXPECT_GT(docs[0].helpfulness, 0.7);
  article.status = "published";
  EXPECT_TRUE(services::ArticleSearchDocs(article, *markdown)[1].is_public);

  ports::CommunityTopic topic;
  topic.id = 3;
  topic.workspace_id = 1;
  topic.title = "Wi-Fi drops";
  topic.body_md = "My router restarts";
  topic.status = "visible";
  ports::CommunityPost shown;
  shown.body_md = "Update the firmware";
  ports::CommunityPost hidden;
  hidden.body_md = "buy cheap pills";
  hidden.status = "hidden";
  topic.posts = {shown, hidden};
  auto doc = services::TopicSearchDoc(topic, *markdown);
  EXPECT_TRUE(doc.is_public);
  EXPECT_NE(doc.body.find("firmware"), std::string::npos);
  EXPECT_EQ(doc.body.find("pills"), std::string::npos);
  EXPECT_NE(doc.internal.find("pills"), std::string::npos);
}

}  // namespace
}  // namespace kizuna::testing
