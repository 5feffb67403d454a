// The FTS5 search index against the port's contract: the four languages, ranking basics,
// highlights, typo tolerance, permissions, and whatever a person may type.
#include "adapters/search/fts5_index.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace kizuna::search {
namespace {

using ports::SearchDoc;
using ports::SearchHit;
using ports::SearchQuery;

Timestamp NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class SearchIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "kizuna-search-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    auto index = OpenSearchIndex(dir_ + "/search.db");
    ASSERT_TRUE(index.ok()) << index.error().message;
    index_ = std::move(index).value();
  }
  void TearDown() override {
    index_.reset();
    std::filesystem::remove_all(dir_);
  }

  static SearchDoc Doc(std::string kind, std::int64_t ref, std::string title, std::string body,
                       std::string locale = "en") {
    SearchDoc d;
    d.workspace_id = 1;
    d.kind = std::move(kind);
    d.ref_id = ref;
    d.locale = std::move(locale);
    d.title = std::move(title);
    d.body = std::move(body);
    d.is_public = d.kind == "article" || d.kind == "topic";
    d.updated_at = NowMs();
    return d;
  }
  void Add(std::vector<SearchDoc> docs) {
    auto s = index_->Upsert(docs);
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  std::vector<SearchHit> Find(std::string text, bool agent = true, std::optional<CustomerId> customer = {},
                              WorkspaceId ws = 1, std::vector<std::string> kinds = {}) {
    SearchQuery q;
    q.workspace_id = ws;
    q.text = std::move(text);
    q.agent = agent;
    q.customer = customer;
    q.kinds = std::move(kinds);
    q.limit = 20;
    auto hits = index_->Search(q);
    EXPECT_TRUE(hits.ok()) << (hits.ok() ? "" : hits.error().message);
    return hits.ok() ? std::move(hits).value() : std::vector<SearchHit>{};
  }
  static std::vector<std::int64_t> Refs(const std::vector<SearchHit>& hits) {
    std::vector<std::int64_t> out;
    for (const auto& h : hits) out.push_back(h.ref_id);
    return out;
  }
  static bool Has(const std::vector<SearchHit>& hits, std::int64_t ref) {
    for (const auto& h : hits)
      if (h.ref_id == ref) return true;
    return false;
  }

  std::string dir_;
  std::unique_ptr<ports::SearchIndex> index_;
};

const std::string kS = ports::kMatchStart;
const std::string kE = ports::kMatchEnd;

TEST_F(SearchIndexTest, JapaneseTwoKanjiQueryFindsTheArticle) {
  Add({Doc("article", 1, "返金の手続きについて", "ご購入から30日以内であれば返金を受け付けています。", "ja"),
       Doc("article", 2, "パスワードを忘れた場合", "ログイン画面の「パスワードをお忘れですか」から再設定できます。", "ja"),
       Doc("article", 3, "配送について", "金曜日の注文は月曜日に発送します。", "ja")});
  EXPECT_EQ(Refs(Find("返金")), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(Refs(Find("パスワード")), (std::vector<std::int64_t>{2}));
  // A one-character query is a prefix query over the bigrams.
  EXPECT_TRUE(Has(Find("金"), 1));
  EXPECT_TRUE(Has(Find("金"), 3));
  // A whole sentence finds the article with most of its bigrams first.
  auto hits = Find("パスワードを忘れてしまいました");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].ref_id, 2);
}

TEST_F(SearchIndexTest, KoreanWordInsideAWordWithAParticle) {
  Add({Doc("article", 1, "환불 정책", "구매 후 30일 이내에 환불을 요청할 수 있습니다.", "ko"),
       Doc("article", 2, "배송 안내", "주문은 영업일 기준 2일 이내에 발송됩니다.", "ko")});
  EXPECT_EQ(Refs(Find("환불")), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(Refs(Find("환불을")), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(Refs(Find("발송")), (std::vector<std::int64_t>{2}));
}

TEST_F(SearchIndexTest, VietnameseMatchesWithAndWithoutToneMarks) {
  Add({Doc("article", 1, "Chính sách hoàn tiền", "Bạn có thể yêu cầu hoàn tiền trong vòng 30 ngày.", "vi"),
       Doc("article", 2, "Hoan tien nhanh", "Viet khong dau: hoan tien trong 3 ngay lam viec.", "vi"),
       Doc("article", 3, "Đổi mật khẩu", "Vào phần cài đặt để đổi mật khẩu của bạn.", "vi")});
  auto with_marks = Find("hoàn tiền");
  auto without = Find("hoan tien");
  EXPECT_TRUE(Has(with_marks, 1));
  EXPECT_TRUE(Has(with_marks, 2));
  EXPECT_TRUE(Has(without, 1));
  EXPECT_TRUE(Has(without, 2));
  EXPECT_FALSE(Has(without, 3));
  EXPECT_EQ(Refs(Find("doi mat khau")), (std::vector<std::int64_t>{3}));
  EXPECT_EQ(Refs(Find("ĐỔI MẬT KHẨU")), (std::vector<std::int64_t>{3}));
}

TEST_F(SearchIndexTest, EnglishStems) {
  Add({Doc("article", 1, "Replying to customers", "Each reply is sent by email.", "en"),
       Doc("article", 2, "Billing", "Invoices are sent monthly.", "en")});
  EXPECT_EQ(Refs(Find("replies")), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(Refs(Find("reply")), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(Refs(Find("invoice")), (std::vector<std::int64_t>{2}));
}

TEST_F(SearchIndexTest, TypoToleranceForLatinWords) {
  Add({Doc("article", 1, "Reset your password", "Use the link on the sign-in page.", "en"),
       Doc("article", 2, "Cancel a subscription", "Subscriptions can be cancelled at any time.", "en"),
       Doc("article", 3, "Pass", "Nothing to see.", "en")});
  auto hits = Find("pasword");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].ref_id, 1);
  EXPECT_NE(hits[0].title.find(kS + "password" + kE), std::string::npos) << hits[0].title;
  EXPECT_TRUE(Has(Find("subscriptoin"), 2));  // 12 letters: two edits allowed
  EXPECT_TRUE(Has(Find("reset pasword"), 1));
  EXPECT_TRUE(Find("xyzzyq").empty());
  EXPECT_TRUE(Find("pas").empty() || !Has(Find("pas"), 1));  // short words: no typo guess
}

TEST_F(SearchIndexTest, TitleRanksAboveBody) {
  Add({Doc("article", 1, "Shipping times", "How long delivery takes, and what refund applies when late.", "en"),
       Doc("article", 2, "Refund policy", "How and when we give money back.", "en")});
  auto hits = Find("refund");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].ref_id, 2);
}

TEST_F(SearchIndexTest, HelpfulnessAndRecencyBreakTies) {
  auto a = Doc("article", 1, "Export data", "Export your data as CSV.", "en");
  auto b = Doc("article", 2, "Export data", "Export your data as CSV.", "en");
  a.helpfulness = 0.1;
  b.helpfulness = 0.9;
  Add({a, b});
  EXPECT_EQ(Find("export")[0].ref_id, 2);
  auto c = Doc("ticket", 3, "Printer jam", "The printer jams", "");
  auto d = Doc("ticket", 4, "Printer jam", "The printer jams", "");
  c.updated_at = NowMs() - 5LL * 365 * 86400000;  // five years old: still found, ranked after
  Add({c, d});
  auto hits = Find("printer");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].ref_id, 4);
  EXPECT_EQ(hits[1].ref_id, 3);
}

TEST_F(SearchIndexTest, PreferredLocaleFirstForArticles) {
  Add({Doc("article", 1, "iPhone setup", "Set up the app on iPhone.", "en"),
       Doc("article", 1, "iPhone の設定", "iPhone でアプリを設定します。", "ja")});
  SearchQuery q;
  q.workspace_id = 1;
  q.text = "iphone";
  q.locale = "ja";
  auto hits = index_->Search(q);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ((*hits)[0].locale, "ja");
  q.locale = "en";
  EXPECT_EQ((*index_->Search(q))[0].locale, "en");
}

TEST_F(SearchIndexTest, HighlightsLandOnTheOriginalText) {
  Add({Doc("article", 1, "返金手続きのご案内", "商品到着後、返金手続きを行います。詳しくはお問い合わせください。", "ja"),
       Doc("article", 2, "Hoàn Tiền nhanh", "Yêu cầu hoàn tiền tại đây.", "vi"),
       Doc("article", 3, "Café au lait", "Our CAFÉ opens at nine.", "en")});
  auto hits = Find("返金");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].title, kS + "返金" + kE + "手続きのご案内");
  EXPECT_NE(hits[0].snippet.find(kS + "返金" + kE + "手続き"), std::string::npos) << hits[0].snippet;
  hits = Find("返金手続");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].title, kS + "返金手続" + kE + "きのご案内");
  hits = Find("hoan tien");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].title, kS + "Hoàn" + kE + " " + kS + "Tiền" + kE + " nhanh");
  hits = Find("cafe");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].title, kS + "Café" + kE + " au lait");
  EXPECT_NE(hits[0].snippet.find(kS + "CAFÉ" + kE), std::string::npos);
}

TEST_F(SearchIndexTest, MarkerCharactersInTextAreNotMarks) {
  Add({Doc("article", 1, "Fake " + kS + "mark" + kE + " here", "body", "en")});
  auto hits = Find("here");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].title, "Fake mark " + kS + "here" + kE);
}

class SearchPermissionsTest : public SearchIndexTest {
 protected:
  void SetUp() override {
    SearchIndexTest::SetUp();
    auto article = Doc("article", 1, "Refund policy", "Refunds within 30 days.");
    auto draft = Doc("article", 2, "Refund draft", "Unpublished refund text.");
    draft.is_public = false;
    auto mine = Doc("ticket", 10, "Refund for order 1234", "Please refund me.", "");
    mine.owner = 100;
    mine.internal = "internal note: customer is a VIP, approve refund";
    auto theirs = Doc("ticket", 11, "Refund for order 5678", "I want a refund too.", "");
    theirs.owner = 200;
    auto secret = Doc("ticket", 12, "Login trouble", "Cannot sign in.", "");
    secret.owner = 100;
    secret.internal = "zebrafish escalation";
    auto customer = Doc("customer", 100, "Alice Refundsworth", "", "");
    customer.internal = "alice@example.com";
    auto other_ws = Doc("article", 1, "Refund policy", "Refunds elsewhere.");
    other_ws.workspace_id = 2;
    Add({article, draft, mine, theirs, secret, customer, other_ws});
  }
};

TEST_F(SearchPermissionsTest, CustomerSeesPublicDocsAndOwnTicketsOnly) {
  auto hits = Find("refund", false, 100);
  std::vector<std::int64_t> refs = Refs(hits);
  std::sort(refs.begin(), refs.end());
  EXPECT_EQ(refs, (std::vector<std::int64_t>{1, 10}));
  for (const auto& h : hits) EXPECT_EQ(h.snippet.find("VIP"), std::string::npos);
  // Another customer's ticket never, the second customer sees theirs and not the first's.
  EXPECT_FALSE(Has(Find("5678", false, 100), 11));
  EXPECT_TRUE(Has(Find("5678", false, 200), 11));
  EXPECT_FALSE(Has(Find("1234", false, 200), 10));
  // No customer: public documents only.
  EXPECT_EQ(Refs(Find("refund", false, std::nullopt)), (std::vector<std::int64_t>{1}));
}

TEST_F(SearchPermissionsTest, InternalNeverMatchesNorShowsForCustomers) {
  EXPECT_TRUE(Find("zebrafish", false, 100).empty());
  EXPECT_TRUE(Find("vip", false, 100).empty());
  EXPECT_TRUE(Find("alice example com", false, 100).empty());
  // A column filter typed by the customer is just words.
  EXPECT_TRUE(Find("internal:zebrafish", false, 100).empty());
  EXPECT_TRUE(Find("{internal}: zebrafish", false, 100).empty());
  // Agents match internal notes and see them in the snippet.
  auto hits = Find("zebrafish", true);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].ref_id, 12);
  EXPECT_NE(hits[0].snippet.find(kS + "zebrafish" + kE), std::string::npos);
}

TEST_F(SearchPermissionsTest, AgentSeesAllOfTheWorkspaceAndNothingElse) {
  auto hits = Find("refund", true);
  // The article, the draft and both tickets ("Refundsworth" is another word).
  std::vector<std::int64_t> refs = Refs(hits);
  std::sort(refs.begin(), refs.end());
  EXPECT_EQ(refs, (std::vector<std::int64_t>{1, 2, 10, 11}));
  EXPECT_FALSE(Has(Find("elsewhere", true), 1));
  EXPECT_TRUE(Has(Find("elsewhere", true, std::nullopt, 2), 1));
  EXPECT_TRUE(Find("elsewhere", false, std::nullopt, 3).empty());
  EXPECT_EQ(Refs(Find("refund", true, std::nullopt, 1, {"ticket"})).size(), 2u);
  EXPECT_EQ(Refs(Find("alice", true, std::nullopt, 1, {"customer"})), (std::vector<std::int64_t>{100}));
  SearchQuery bad;
  bad.workspace_id = 1;
  bad.text = "refund";
  bad.kinds = {"bogus"};
  auto r = index_->Search(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "kinds");
}

TEST_F(SearchIndexTest, RemoveUpsertAgainAndClear) {
  Add({Doc("article", 1, "Refund policy", "x", "en"), Doc("article", 1, "返金ポリシー", "x", "ja"),
       Doc("topic", 1, "Refund question", "y")});
  EXPECT_EQ(Find("refund").size(), 2u);
  // Upsert replaces by (workspace, kind, ref_id, locale).
  Add({Doc("article", 1, "Shipping policy", "x", "en")});
  EXPECT_EQ(Refs(Find("refund")), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(Find("refund")[0].kind, "topic");
  EXPECT_EQ(Find("返金").size(), 1u);
  ASSERT_TRUE(index_->Remove(1, "article", 1).ok());
  EXPECT_TRUE(Find("返金").empty());
  EXPECT_TRUE(Find("shipping").empty());
  EXPECT_EQ(Find("refund").size(), 1u);
  ASSERT_TRUE(index_->Remove(1, "article", 999).ok());
  ASSERT_TRUE(index_->Upsert({Doc("ticket", 5, "Refund", "z")}, 42).ok());
  ASSERT_TRUE(index_->Clear().ok());
  EXPECT_TRUE(Find("refund").empty());
  EXPECT_EQ(*index_->Cursor(), 0);
  Add({Doc("article", 7, "Refund again", "x")});
  EXPECT_EQ(Refs(Find("refund")), (std::vector<std::int64_t>{7}));
}

TEST_F(SearchIndexTest, OptimizeKeepsEveryDocument) {
  std::vector<SearchDoc> docs;
  for (int i = 1; i <= 50; ++i) docs.push_back(Doc("ticket", i, "返金 refund " + std::to_string(i), "body"));
  for (int batch = 0; batch < 5; ++batch) Add(docs);  // several segments, with replaced rows
  ASSERT_TRUE(index_->Optimize().ok());
  EXPECT_EQ(Find("refund").size(), 20u);  // the limit
  EXPECT_EQ(Refs(Find("37")), (std::vector<std::int64_t>{37}));
  EXPECT_EQ(Find("返金").size(), 20u);
  ASSERT_TRUE(index_->Clear().ok());
  ASSERT_TRUE(index_->Optimize().ok());
  EXPECT_TRUE(Find("refund").empty());
}

TEST_F(SearchIndexTest, CursorIsSavedWithTheDocuments) {
  EXPECT_EQ(*index_->Cursor(), 0);
  ASSERT_TRUE(index_->Upsert({Doc("article", 1, "a title", "b")}, 17).ok());
  EXPECT_EQ(*index_->Cursor(), 17);
  ASSERT_TRUE(index_->Upsert({}, 18).ok());
  EXPECT_EQ(*index_->Cursor(), 18);
  // Without a cursor it stays.
  ASSERT_TRUE(index_->Upsert({Doc("article", 2, "c", "d")}).ok());
  EXPECT_EQ(*index_->Cursor(), 18);
  // A failing batch writes neither documents nor the cursor.
  auto bad = Doc("bogus", 3, "never indexed", "x");
  auto r = index_->Upsert({Doc("article", 3, "never indexed", "x"), bad}, 99);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "kind");
  EXPECT_EQ(*index_->Cursor(), 18);
  EXPECT_TRUE(Find("never").empty());
  // Reopened, the file still has it.
  index_.reset();
  auto reopened = OpenSearchIndex(dir_ + "/search.db");
  ASSERT_TRUE(reopened.ok());
  index_ = std::move(reopened).value();
  EXPECT_EQ(*index_->Cursor(), 18);
  EXPECT_EQ(Find("title").size(), 1u);
}

TEST_F(SearchIndexTest, HostileQueriesFindNothingOrWordsNeverAnError) {
  Add({Doc("article", 1, "Refund AND near title", "The quick brown fox and NEAR things.", "en")});
  std::vector<std::string> queries = {
      "\"", "\"\"\"", "AND", "OR", "NOT", "NEAR(", "NEAR(a b, 3)", "*", "refund*", "^refund", "title:",
      "title:refund", "{title body}: refund", "-refund", "+refund", "(refund", "refund)", "a:b:c", "\\",
      "'", "%", "_", ";DROP TABLE fts;--", "😀", "😀 refund 😀", "\x01\x02\x03", "ｒｅｆｕｎｄ", "",
      "   ", "\t\n", "返金\"", "\"返金", "金*", "NEAR/3", "AND AND OR", "\xEE\x80\x80refund\xEE\x80\x81",
  };
  std::string big;
  while (big.size() < 10 * 1024) big += "refund \"(AND* ";
  queries.push_back(big);
  std::string big_cjk;
  while (big_cjk.size() < 10 * 1024) big_cjk += "返金手続き";
  queries.push_back(big_cjk);
  for (const auto& text : queries) {
    for (bool agent : {true, false}) {
      SearchQuery q;
      q.workspace_id = 1;
      q.text = text;
      q.agent = agent;
      q.customer = 5;
      auto hits = index_->Search(q);
      EXPECT_TRUE(hits.ok()) << text << ": " << (hits.ok() ? "" : hits.error().message);
    }
  }
  EXPECT_TRUE(Find("").empty());
  EXPECT_TRUE(Find("   \t ").empty());
  EXPECT_TRUE(Find("\"").empty());
  EXPECT_TRUE(Find("😀").empty());
  EXPECT_EQ(Refs(Find("title:refund")), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(Refs(Find("AND")), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(Refs(Find("near(")), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(Refs(Find("ｒｅｆｕｎｄ")), (std::vector<std::int64_t>{1}));
}

TEST_F(SearchIndexTest, RandomTypedTextIsNeverAnError) {
  Add({Doc("article", 1, "Refund 返金 환불 hoàn tiền", "body", "en")});
  std::mt19937 rng(20261206);
  const std::vector<std::string> pieces = {"\"", "(", ")", "*", "^", ":", "{", "}", "-", "+", "AND", "OR", "NOT",
                                           "NEAR", "/", ",", " ", "返", "金", "を", "ー", "환", "불", "ắ", "đ",
                                           "refund", "title", "internal", "facets", "w1", "w1p", "\x01", "\xEE\x80\x80",
                                           "😀", "\xFF", "\xC3", "'", "\\", ";"};
  for (int round = 0; round < 300; ++round) {
    std::string text;
    int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) text += pieces[rng() % pieces.size()];
    for (bool agent : {true, false}) {
      SearchQuery q;
      q.workspace_id = 1;
      q.text = text;
      q.agent = agent;
      q.customer = 9;
      auto hits = index_->Search(q);
      EXPECT_TRUE(hits.ok()) << text << ": " << (hits.ok() ? "" : hits.error().message);
    }
  }
  // The facet tokens are not reachable by typing them.
  EXPECT_TRUE(Find("w1p", false, 9).empty());
  EXPECT_TRUE(Find("w1", true).empty());
}

TEST_F(SearchIndexTest, ManyThreadsSearchWhileOneWrites) {
  std::vector<SearchDoc> docs;
  for (int i = 1; i <= 200; ++i) docs.push_back(Doc("ticket", i, "Order " + std::to_string(i) + " refund", "text"));
  Add(docs);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        SearchQuery q;
        q.workspace_id = 1;
        q.text = "refund";
        q.agent = true;
        auto hits = index_->Search(q);
        if (!hits.ok() || hits->empty()) ++failures;
      }
    });
  threads.emplace_back([&] {
    for (int i = 0; i < 20; ++i)
      if (!index_->Upsert({Doc("ticket", 1000 + i, "refund late", "x")}, i).ok()) ++failures;
  });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(*index_->Cursor(), 19);
}

// The work bounds of a large index (walk_budget, scan_window), exercised on a small one by
// making them small.
class SearchWorkBoundsTest : public SearchIndexTest {
 protected:
  void Reopen(SearchIndexOptions options) {
    index_.reset();
    auto index = OpenSearchIndex(dir_ + "/search.db", options);
    ASSERT_TRUE(index.ok()) << index.error().message;
    index_ = std::move(index).value();
  }
};

TEST_F(SearchWorkBoundsTest, ACommonWordIsOptionalWhenRequiringItWouldWalkTooLong) {
  // alpha in 150 tickets, beta in 200 (in their titles), both in 3 (refs 1-3): requiring both
  // would walk all of alpha's doclist for 3 matches, more than the budget of 50.
  std::vector<SearchDoc> docs;
  for (int i = 1; i <= 3; ++i) docs.push_back(Doc("ticket", i, "", "alpha beta filler"));
  for (int i = 4; i <= 150; ++i) docs.push_back(Doc("ticket", i, "", "alpha other filler"));
  for (int i = 151; i <= 350; ++i) docs.push_back(Doc("ticket", i, "beta", "other filler"));
  Add(docs);
  SearchIndexOptions options;
  options.walk_budget = 50;
  Reopen(options);
  auto hits = Find("alpha beta");
  ASSERT_EQ(hits.size(), 20u);
  // The documents with both words still come first (beta counts in the score)...
  std::vector<std::int64_t> first(3);
  for (int i = 0; i < 3; ++i) first[static_cast<std::size_t>(i)] = hits[static_cast<std::size_t>(i)].ref_id;
  std::sort(first.begin(), first.end());
  EXPECT_EQ(first, (std::vector<std::int64_t>{1, 2, 3}));
  // ...followed by alpha's (the rarer word, required), never beta's alone.
  for (const auto& h : hits) EXPECT_LE(h.ref_id, 150) << h.ref_id;
  EXPECT_NE(hits[3].snippet.find(std::string(ports::kMatchStart) + "alpha"), std::string::npos) << hits[3].snippet;

  // An index smaller than the budget requires every word: only the three, then the any-word
  // pass, where beta's titles outrank alpha in bodies.
  options.walk_budget = 1000;
  Reopen(options);
  hits = Find("alpha beta");
  ASSERT_EQ(hits.size(), 20u);
  bool beta_alone = false;
  for (const auto& h : hits) beta_alone |= h.ref_id > 150;
  EXPECT_TRUE(beta_alone);
}

TEST_F(SearchWorkBoundsTest, AgentsReadNewestWindowsFirstAndOlderOnesOnlyWhenTooFew) {
  std::vector<SearchDoc> docs;
  docs.push_back(Doc("ticket", 1, "gamma gamma", "gamma delta"));  // the oldest rowid
  for (int i = 2; i <= 100; ++i) docs.push_back(Doc("ticket", i, "", "gamma filler"));
  Add(docs);
  SearchIndexOptions options;
  options.scan_window = 8;
  options.candidates = 10;  // stop once the 20 asked for are there
  Reopen(options);
  // Windows of 8, 16, 32 … rowids from the newest: 8 + 16 matches reach the 20 asked, so the
  // oldest ticket (the best match) is not read — the bound on an agent's work.
  auto hits = Find("gamma");
  ASSERT_EQ(hits.size(), 20u);
  for (const auto& h : hits) EXPECT_GE(h.ref_id, 77) << h.ref_id;
  // A word only the oldest holds is found through every window.
  hits = Find("delta");
  ASSERT_EQ(Refs(hits), (std::vector<std::int64_t>{1}));
  // One window as large as the index ranks everything: the oldest comes first.
  options.scan_window = 131072;
  Reopen(options);
  hits = Find("gamma");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].ref_id, 1);
}

TEST(SearchIndexOpen, UnwritablePathIsAnError) {
  auto index = OpenSearchIndex("/nonexistent-dir/x/search.db");
  EXPECT_FALSE(index.ok());
}

}  // namespace
}  // namespace kizuna::search
