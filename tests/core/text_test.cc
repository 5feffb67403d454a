#include "core/text.h"

#include <gtest/gtest.h>

namespace kizuna {
namespace {

TEST(Utf8, AcceptsJapaneseKoreanVietnameseAndEmoji) {
  EXPECT_TRUE(IsValidUtf8("返金をお願いします"));
  EXPECT_TRUE(IsValidUtf8("환불해 주세요"));
  EXPECT_TRUE(IsValidUtf8("Tôi muốn hoàn tiền"));
  EXPECT_TRUE(IsValidUtf8("ok \xF0\x9F\x98\x80"));
  EXPECT_TRUE(IsValidUtf8(""));
}

TEST(Utf8, RejectsMalformedSequences) {
  const char* cases[] = {
      "\xC0\xAF",          // overlong slash
      "\xE0\x80\xAF",      // overlong
      "\xED\xA0\x80",      // surrogate
      "\xF4\x90\x80\x80",  // past U+10FFFF
      "\xFF",              // never valid
      "abc\xE3\x81",       // truncated
      "\x80",              // lone continuation
  };
  for (const char* text : cases) EXPECT_FALSE(IsValidUtf8(text)) << text;
}

TEST(Utf8, CountsCodePointsNotBytes) {
  EXPECT_EQ(CodePointCount("返金"), 2u);
  EXPECT_EQ(CodePointCount("abc"), 3u);
}

TEST(CheckText, TrimsAndEnforcesRules) {
  auto ok = CheckText("subject", "  Hello  ", TextRule{});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, "Hello");

  auto empty = CheckText("subject", "   ", TextRule{});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().field, "subject");

  auto control = CheckText("subject", "a\x01z", TextRule{});
  EXPECT_FALSE(control.ok());

  auto newline = CheckText("subject", "a\nb", TextRule{});
  EXPECT_FALSE(newline.ok());
  EXPECT_TRUE(CheckText("body", "a\nb", TextRule{.allow_newlines = true}).ok());

  auto long_text = CheckText("subject", std::string(11, 'x'), TextRule{.max_code_points = 10});
  EXPECT_FALSE(long_text.ok());
  // Ten kanji are ten characters although they are thirty bytes.
  EXPECT_TRUE(CheckText("subject", "返金返金返金返金返金", TextRule{.max_code_points = 10}).ok());
}

}  // namespace
}  // namespace kizuna
