#include "engines/search_text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kizuna::search_text {
namespace {

std::vector<std::string> Texts(std::string_view text, TokenizeMode mode = TokenizeMode::kDocument) {
  std::vector<std::string> out;
  for (const auto& t : Tokenize(text, mode)) out.push_back(t.text);
  return out;
}

using V = std::vector<std::string>;

TEST(SearchTextClassify, KnowsTheScriptsOfTheFourLanguages) {
  struct Case {
    char32_t cp;
    Script script;
  } cases[] = {
      {U'a', Script::kLatin},     {U'Z', Script::kLatin},    {U'7', Script::kDigit},
      {U'ắ', Script::kLatin},     {U'ư', Script::kLatin},    {U'đ', Script::kLatin},
      {U'返', Script::kHan},      {U'々', Script::kHan},     {U'ひ', Script::kHiragana},
      {U'カ', Script::kKatakana}, {U'ー', Script::kKatakana}, {U'ｶ', Script::kKatakana},
      {U'환', Script::kHangul},   {U'ㄱ', Script::kHangul},  {U'・', Script::kOther},
      {U'。', Script::kOther},    {U' ', Script::kOther},    {U'\U0001F600', Script::kOther},
      {0xE000, Script::kOther},   {0x0301, Script::kMark},   {U'"', Script::kOther},
  };
  for (const auto& c : cases) EXPECT_EQ(Classify(c.cp), c.script) << static_cast<unsigned>(c.cp);
}

TEST(SearchTextFold, LowercasesAndStripsVietnameseMarks) {
  EXPECT_EQ(FoldText("Hoàn Tiền"), "hoan tien");
  EXPECT_EQ(FoldText("ắằẳẵặ ơ ư Ư Ơ đ Đ"), "aaaaa o u u o d d");
  EXPECT_EQ(FoldText("Tôi muốn được hoàn tiền ngay"), "toi muon duoc hoan tien ngay");
  EXPECT_EQ(FoldText("Ｐａｓｓｗｏｒｄ１２３"), "password123");
  EXPECT_EQ(FoldText("Ça Résumé NAÏVE Straße"), "ca resume naive straße");
  // Decomposed input (NFD): the combining marks go.
  EXPECT_EQ(FoldText("hoa\xCC\x80n"), "hoan");
  EXPECT_EQ(FoldText("返金"), "返金");
}

TEST(SearchTextTokenize, LatinWordsWithSourceOffsets) {
  std::string text = "Reset your Pássword, 2FA!";
  auto tokens = Tokenize(text);
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[2].text, "password");
  EXPECT_EQ(text.substr(tokens[2].start, tokens[2].end - tokens[2].start), "Pássword");
  EXPECT_EQ(tokens[3].text, "2fa");
}

TEST(SearchTextTokenize, CjkRunsBecomeBigramsAndALastCharacter) {
  EXPECT_EQ(Texts("返金手続き"), (V{"返金", "返", "金手", "金", "手続", "手", "続き", "続", "き"}));
  EXPECT_EQ(Texts("返金手続き", TokenizeMode::kQuery), (V{"返金", "金手", "手続", "続き"}));
  EXPECT_EQ(Texts("金", TokenizeMode::kQuery), (V{"金"}));
  EXPECT_EQ(Texts("환불을 요청", TokenizeMode::kQuery), (V{"환불", "불을", "요청"}));
  EXPECT_EQ(Texts("PDFの返金", TokenizeMode::kQuery), (V{"pdf", "の返", "返金"}));
  EXPECT_EQ(Texts("ｶﾀｶﾅ", TokenizeMode::kQuery), (V{"カタ", "タカ", "カナ"}));
  // Single characters share the position of the bigram they start; the last has its own.
  auto tokens = Tokenize("환불을");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_FALSE(tokens[0].colocated);
  EXPECT_TRUE(tokens[1].colocated);
  EXPECT_EQ(tokens[1].text, "환");
  EXPECT_FALSE(tokens[4].colocated);
  EXPECT_EQ(tokens[4].text, "을");
}

TEST(SearchTextTokenize, CjkOffsetsPointAtTheSourceBytes) {
  std::string text = "お支払い、返金";
  auto tokens = Tokenize(text);
  bool found = false;
  for (const auto& t : tokens) {
    if (t.text == "返金") {
      found = true;
      EXPECT_EQ(text.substr(t.start, t.end - t.start), "返金");
    }
  }
  EXPECT_TRUE(found);
}

TEST(SearchTextTokenize, AcceptsAnyBytes) {
  std::string bad = "ab\xFF\xFE\xC3(cd\xE3\x81";
  auto tokens = Tokenize(bad);
  for (const auto& t : tokens) {
    EXPECT_LE(t.start, t.end);
    EXPECT_LE(t.end, bad.size());
  }
  EXPECT_EQ(Texts(bad), (V{"ab", "cd"}));
  EXPECT_TRUE(Tokenize("").empty());
  EXPECT_EQ(Texts(std::string(10000, 'a')).size(), 1u);
  EXPECT_EQ(Texts(std::string(10000, 'a'))[0].size(), kMaxWordBytes);
}

TEST(SearchTextQuery, IgnoresAllFts5Syntax) {
  struct Case {
    const char* typed;
    const char* match;
  } cases[] = {
      {"refund", "\"refund\""},
      {"Reset   PASSWORD", "\"reset\" AND \"password\""},
      {"\"", ""},
      {"   \t\n", ""},
      {"AND", "\"and\""},
      {"a OR b NOT c", "\"a\" AND \"or\" AND \"b\" AND \"not\" AND \"c\""},
      {"NEAR(", "\"near\""},
      {"title:secret", "\"title\" AND \"secret\""},
      {"pass*", "\"pass\""},
      {"^start", "\"start\""},
      {"(x) {y}", "\"x\" AND \"y\""},
      {"\x01\x02-\x7f", ""},
      {"😀😀", ""},
      {"返金", "\"返金\""},
      {"金", "\"金\""},
      {"返金 手続き", "\"返金\" AND \"手続\""},
      {"パスワードを忘れてしまいました", "\"パスワード\" AND \"忘\""},
      {"返金の手続き", "\"返金\" AND \"手続\""},
      {"ありがとう", "\"ありがとう\""},
      {"환불을 요청합니다", "\"환불을\" AND \"요청합니다\""},
      {"hoàn tiền", "\"hoan\" AND \"tien\""},
      {"refund refund", "\"refund\""},
      {"iPhone返金", "\"iphone\" AND \"返金\""},
  };
  for (const auto& c : cases) EXPECT_EQ(BuildMatchExpression(c.typed), c.match) << c.typed;
}

TEST(SearchTextQuery, RemembersWordsTypedWithDiacritics) {
  auto terms = ParseQuery("hóa đơn đỏ do Ｄｏ DO");
  ASSERT_EQ(terms.size(), 3u);
  EXPECT_EQ(terms[0].text, "hoa");
  EXPECT_TRUE(terms[0].marked);
  EXPECT_EQ(terms[2].text, "do");
  EXPECT_TRUE(terms[2].marked);  // đỏ and do are one term; it was typed with marks once
  EXPECT_FALSE(ParseQuery("do")[0].marked);
  EXPECT_FALSE(ParseQuery("ＤＯ")[0].marked);
  EXPECT_TRUE(ParseQuery("hoa\xCC\x80n")[0].marked);
}

TEST(SearchTextQuery, ColumnsAndLimits) {
  EXPECT_EQ(BuildMatchExpression("a b", "{title body}"), "{title body} : \"a\" AND {title body} : \"b\"");
  std::string many;
  for (int i = 0; i < 100; ++i) many += "w" + std::to_string(i) + " ";
  EXPECT_EQ(ParseQuery(many).size(), kMaxQueryTerms);
  std::string long_cjk;
  for (int i = 0; i < 60; ++i) long_cjk += "返";
  for (const auto& t : ParseQuery(long_cjk)) EXPECT_LE(t.text.size(), kMaxCjkRun * 3);
  EXPECT_TRUE(ParseQuery(std::string(10 * 1024, '"')).empty());
}

TEST(SearchTextEditDistance, CountsEditsAndGivesUpEarly) {
  EXPECT_EQ(EditDistance("pasword", "password", 2), 1);
  EXPECT_EQ(EditDistance("password", "password", 2), 0);
  EXPECT_EQ(EditDistance("recieve", "receive", 2), 1);  // a swap is one edit
  EXPECT_EQ(EditDistance("refnud", "refund", 1), 1);
  EXPECT_EQ(EditDistance("abc", "cba", 2), 2);
  EXPECT_EQ(EditDistance("kitten", "sitting", 2), 3);  // more than max: max + 1
  EXPECT_EQ(EditDistance("a", "abcdef", 1), 2);
  EXPECT_EQ(EditDistance("tiền", "tiên", 1), 1);
  EXPECT_EQ(TypoBudget("pay"), 0);
  EXPECT_EQ(TypoBudget("pasword"), 1);
  EXPECT_EQ(TypoBudget("subscription"), 2);
  EXPECT_EQ(TypoBudget("12345678"), 0);
}

}  // namespace
}  // namespace kizuna::search_text
