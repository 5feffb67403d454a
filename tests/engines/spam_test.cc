// The community's spam check: which new topics and posts are held for a moderator, and why.
#include "engines/spam.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace kizuna {
namespace {

struct SpamCase {
  const char* name;
  std::string text;
  std::int64_t earlier_visible_posts;
  std::optional<std::string> previous;
  std::string reason;  // empty: shown at once
};

TEST(SpamCheck, HoldsWhatLooksLikeSpamAndPassesOrdinaryQuestions) {
  const std::vector<SpamCase> cases = {
      {"plain question", "How do I reset my password?\nThe email never arrives.", 0, std::nullopt, ""},
      {"japanese question", "パスワードを再設定するにはどうすればいいですか？", 0, std::nullopt, ""},
      {"korean question", "비밀번호를 재설정하려면 어떻게 해야 하나요?", 0, std::nullopt, ""},
      {"vietnamese question", "Làm thế nào để đặt lại mật khẩu?", 0, std::nullopt, ""},
      {"new user with a link", "See https://example.com for details", 0, std::nullopt, "links_new_user"},
      {"new user with www", "Look at www.example.com", 0, std::nullopt, "links_new_user"},
      {"established user with a link", "See https://example.com/help", 3, std::nullopt, ""},
      {"many links", "a http://a.example b http://b.example c http://c.example d https://d.example e www.e.example", 0,
       std::nullopt, "too_many_links"},
      {"repeated letters", "Hellooooooooooooo anyone?", 0, std::nullopt, "repeated_characters"},
      {"repeated kana", "助けてええええええええええええ", 0, std::nullopt, "repeated_characters"},
      {"markdown rule is fine", "Question\n\n----------------\n\nDetails here", 0, std::nullopt, ""},
      {"repeated words in a row", "buy buy buy buy now", 0, std::nullopt, "repeated_words"},
      {"one word over half", "cheap a cheap b cheap c cheap d cheap e cheap f cheap", 0, std::nullopt,
       "repeated_words"},
      {"shouting", "WHY DOES THIS NOT WORK AT ALL I AM ANGRY", 0, std::nullopt, "shouting"},
      {"short capitals are fine", "VPN and SSO on iOS", 0, std::nullopt, ""},
      {"banned english", "Best Online Casino bonus here", 5, std::nullopt, "banned_words"},
      {"banned japanese", "副業で稼ぐ方法を教えます", 5, std::nullopt, "banned_words"},
      {"banned korean", "바카라 사이트 추천", 5, std::nullopt, "banned_words"},
      {"banned vietnamese", "Nhà cái uy tín, cá cược bóng đá", 5, std::nullopt, "banned_words"},
      {"duplicate of the previous post", "  Same text again\n", 5, std::string("Same text again"), "duplicate"},
      {"different from the previous post", "New text", 0, std::string("Old text"), ""},
      {"invalid bytes do not crash", std::string("abc\xff\xfe\xc3", 6), 0, std::nullopt, ""},
  };
  for (const auto& c : cases) {
    SpamInput input;
    input.body = c.text;
    input.earlier_visible_posts = c.earlier_visible_posts;
    if (c.previous) input.previous_body = *c.previous;
    const SpamVerdict verdict = CheckSpam(input);
    EXPECT_EQ(verdict.reason, c.reason) << c.name;
    EXPECT_EQ(verdict.hold, !c.reason.empty()) << c.name;
  }
}

TEST(SpamCheck, ChecksATopicsTitleWithItsBody) {
  SpamInput input;
  input.title = "FREE MONEY FOR EVERYONE CLICK NOW";
  input.body = "ok";  // 28 capitals of 30 letters: the title shouts for the topic
  EXPECT_EQ(CheckSpam(input).reason, "shouting");
  input.title = "Casino";
  input.body = "https://example.com";
  EXPECT_EQ(CheckSpam(input).reason, "links_new_user");
}

TEST(SpamCheck, DuplicateComparesBodiesOnly) {
  SpamInput input;
  input.title = "A new title";
  input.body = "the same body";
  input.previous_body = "the same body";
  input.earlier_visible_posts = 2;
  EXPECT_EQ(CheckSpam(input).reason, "duplicate");
}

TEST(SpamCheck, AnyBytesGiveAVerdictWithAKnownReason) {
  const std::vector<std::string> known = {"",
                                          "duplicate",
                                          "banned_words",
                                          "too_many_links",
                                          "links_new_user",
                                          "repeated_characters",
                                          "repeated_words",
                                          "shouting"};
  std::mt19937 random(7);
  for (int case_idx = 0; case_idx < 2000; ++case_idx) {
    std::string bytes(random() % 300, '\0');
    for (char& c : bytes) c = static_cast<char>(random() % 256);
    SpamInput input;
    input.title = std::string_view(bytes).substr(0, bytes.size() / 3);
    input.body = bytes;
    input.earlier_visible_posts = static_cast<std::int64_t>(random() % 2);
    const SpamVerdict verdict = CheckSpam(input);
    EXPECT_NE(std::find(known.begin(), known.end(), verdict.reason), known.end()) << verdict.reason;
    EXPECT_EQ(verdict.hold, !verdict.reason.empty());
  }
}

TEST(SpamCheck, CountsAUrlWithWwwOnce) {
  EXPECT_EQ(CountLinks("https://www.example.com and http://x.example"), 2);
  EXPECT_EQ(CountLinks("no links here"), 0);
  EXPECT_EQ(CountLinks("HTTPS://EXAMPLE.COM"), 1);
}

}  // namespace
}  // namespace kizuna
