// The Markdown adapter (adapters/markdown): GitHub-flavoured rendering, and a table of XSS
// attempts none of which may leave a script, an event handler or a dangerous URL behind.
#include "adapters/markdown/cmark_markdown.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <string>

namespace kizuna::markdown {
namespace {

std::string Lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// The tags of rendered HTML (our sanitiser writes every attribute as name="value" with '"'
// escaped, so this simple reading is exact for its output): no dangerous element, no event
// handler, and every href or src is http(s), mailto or relative to the site. Text may mention
// "javascript:" freely: as text it does nothing.
void ExpectSafe(const std::string& html, const std::string& input) {
  const std::string lower = Lower(html);
  for (const char* element : {"<script", "<svg", "<iframe", "<style", "<object", "<embed", "<form", "<math",
                              "<meta", "<link", "<base"}) {
    EXPECT_EQ(lower.find(element), std::string::npos) << input << "\n=> " << html;
  }
  std::size_t pos = 0;
  while ((pos = lower.find('<', pos)) != std::string::npos) {
    std::size_t end = lower.find('>', pos);
    ASSERT_NE(end, std::string::npos) << html;
    const std::string tag = lower.substr(pos + 1, end - pos - 1);
    pos = end;
    std::size_t at = tag.find(' ');
    while (at != std::string::npos && at < tag.size()) {
      std::size_t eq = tag.find('=', at);
      if (eq == std::string::npos) break;
      const std::string name = tag.substr(at + 1, eq - at - 1);
      ASSERT_LT(eq + 1, tag.size()) << tag;
      ASSERT_EQ(tag[eq + 1], '"') << "unquoted attribute in <" << tag << "> from " << input;
      std::size_t close = tag.find('"', eq + 2);
      ASSERT_NE(close, std::string::npos) << tag;
      const std::string value = tag.substr(eq + 2, close - eq - 2);
      EXPECT_FALSE(name.starts_with("on")) << "event handler in <" << tag << "> from " << input;
      if (!name.starts_with("on")) {
        EXPECT_TRUE(name == "href" || name == "src" || name == "rel" || name == "alt" || name == "title" ||
                  name == "align" || name == "type" || name == "disabled" || name == "checked" || name == "start")
          << "attribute " << name << " in <" << tag << "> from " << input;
      }
      if (name == "href" || name == "src") {
        EXPECT_TRUE(value.starts_with("https://") || value.starts_with("http://") || value.starts_with("mailto:") ||
                    value.starts_with("/") || value.starts_with("#"))
            << name << "=" << value << " from " << input;
      }
      at = close + 1;
    }
  }
}

struct XssCase {
  const char* name;
  const char* markdown;
};

const XssCase kXss[] = {
    {"raw script", "<script>alert(1)</script>"},
    {"raw script inline", "hello <script>alert(1)</script> world"},
    {"script with attributes", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"},
    {"img onerror", "<img src=x onerror=alert(1)>"},
    {"img onerror inline", "text <img src=x onerror=\"alert(1)\"> more"},
    {"javascript link", "[x](javascript:alert(1))"},
    {"mixed case javascript", "[x](JaVaScRiPt:alert(1))"},
    {"javascript with spaces", "[x](  javascript:alert(1) )"},
    {"javascript in angle brackets", "[x](<javascript:alert(1)>)"},
    {"entity-encoded colon", "[x](javascript&#58;alert(1))"},
    {"entity-encoded hex colon", "[x](javascript&#x3A;alert(1))"},
    {"entity-encoded letters", "[x](&#106;avascript:alert(1))"},
    {"tab inside scheme", "[x](java\tscript:alert(1))"},
    {"percent-encoded", "[x](javascript%3Aalert(1))"},
    {"vbscript link", "[x](vbscript:msgbox(1))"},
    {"data link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"},
    {"data image", "![x](data:image/png;base64,iVBORw0KGgo=)"},
    {"data svg image", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"},
    {"javascript image", "![x](javascript:alert(1))"},
    {"autolink javascript", "<javascript:alert(1)>"},
    {"bare autolink", "www.example.com/javascript:alert(1) and javascript:alert(1)"},
    {"autolink with quotes", "https://example.com/\"onmouseover=\"alert(1)"},
    {"reference link", "[x][r]\n\n[r]: javascript:alert(1)"},
    {"reference link with title", "[x][r]\n\n[r]: javascript:alert(1) \"t\""},
    {"reference image", "![x][r]\n\n[r]: javascript:alert(1)"},
    {"html in table", "| a | b |\n|---|---|\n| <script>alert(1)</script> | <img src=x onerror=alert(1)> |"},
    {"link in table", "| a |\n|---|\n| [x](javascript:alert(1)) |"},
    {"svg onload", "<svg onload=alert(1)>"},
    {"svg inline", "text <svg><script>alert(1)</script></svg>"},
    {"nested brackets", "[[x](javascript:alert(1))](javascript:alert(2))"},
    {"nested image in link", "[![x](javascript:alert(1))](javascript:alert(2))"},
    {"link title breakout", "[x](https://example.com \"a\\\" onmouseover=\\\"alert(1)\")"},
    {"iframe", "<iframe src=\"javascript:alert(1)\"></iframe>"},
    {"a tag raw", "<a href=\"javascript:alert(1)\">x</a>"},
    {"style tag", "<style>body{background:url(javascript:alert(1))}</style>"},
    {"html block comment trick", "<!-- --><script>alert(1)</script><!-- -->"},
    {"details ontoggle", "<details open ontoggle=alert(1)>"},
    {"math", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"},
    {"code span", "`<script>alert(1)</script>`"},
    {"fenced code", "```\n<script>alert(1)</script>\n```"},
    {"object", "<object data=\"javascript:alert(1)\"></object>"},
    {"form action", "<form action=javascript:alert(1)><button>x</button></form>"},
    {"meta refresh", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">"},
    {"task list html", "- [ ] <img src=x onerror=alert(1)>\n- [x] done"},
    {"strikethrough html", "~~<script>alert(1)</script>~~"},
    // Found by fuzz_markdown: the mail sanitiser's cid: images have no place on a web page.
    {"cid image", "![x](cid:part1@example)"},
    {"cid image in brackets", "[[[sref=![:c)](cid:/oksa.e)[[sref=![:c)](https://oksa.e)"},
};

TEST(MarkdownXss, NoScriptHandlerOrDangerousUrlSurvives) {
  auto md = NewCmarkMarkdown();
  for (const auto& c : kXss) {
    SCOPED_TRACE(c.name);
    ExpectSafe(md->ToHtml(c.markdown), c.markdown);
  }
}

// The checker itself catches what it is there to catch.
TEST(MarkdownXss, CheckerFailsOnUnsafeHtml) {
  EXPECT_NONFATAL_FAILURE(ExpectSafe("<p><script>alert(1)</script></p>", "t"), "script");
  EXPECT_NONFATAL_FAILURE(ExpectSafe("<img src=\"https://x.example\" onerror=\"alert(1)\">", "t"), "event handler");
  EXPECT_NONFATAL_FAILURE(ExpectSafe("<a href=\"javascript:alert(1)\">x</a>", "t"), "href=javascript");
  EXPECT_NONFATAL_FAILURE(ExpectSafe("<img src=\"data:image/png;base64,AA\">", "t"), "src=data");
}

TEST(MarkdownXss, ScriptTextIsShownEscapedInCode) {
  auto md = NewCmarkMarkdown();
  std::string html = md->ToHtml("`<script>alert(1)</script>`");
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos) << html;
}

TEST(MarkdownXss, DangerousLinksKeepTheirTextButLoseTheHref) {
  auto md = NewCmarkMarkdown();
  std::string html = md->ToHtml("[click me](javascript:alert(1))");
  EXPECT_NE(html.find("click me"), std::string::npos) << html;
  EXPECT_EQ(html.find("href"), std::string::npos) << html;
}

TEST(MarkdownRendering, LinksGetNofollowNoopener) {
  auto md = NewCmarkMarkdown();
  std::string html = md->ToHtml("[docs](https://example.com/a?b=1&c=2)");
  EXPECT_NE(html.find("<a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow noopener\">docs</a>"),
            std::string::npos)
      << html;
}

TEST(MarkdownRendering, SiteRelativeLinksAndMailto) {
  auto md = NewCmarkMarkdown();
  std::string html = md->ToHtml("[a](/help/articles/3) [b](#install) [c](mailto:help@example.com)");
  EXPECT_NE(html.find("href=\"/help/articles/3\""), std::string::npos) << html;
  EXPECT_NE(html.find("href=\"#install\""), std::string::npos) << html;
  EXPECT_NE(html.find("href=\"mailto:help@example.com\""), std::string::npos) << html;
}

TEST(MarkdownRendering, GithubExtensions) {
  auto md = NewCmarkMarkdown();
  std::string html = md->ToHtml(
      "# Title\n\n| Plan | Price |\n|:-----|------:|\n| Basic | 10 |\n\n~~old~~ new\n\n"
      "- [x] done\n- [ ] todo\n\nSee https://example.com/x for more.\n\n**bold** _em_ `code`\n\n"
      "```cpp\nint main() {}\n```\n\n![logo](https://example.com/logo.png)");
  EXPECT_NE(html.find("<h1>Title</h1>"), std::string::npos) << html;
  EXPECT_NE(html.find("<table>"), std::string::npos) << html;
  EXPECT_NE(html.find("<th align=\"left\">Plan</th>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td align=\"right\">10</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<del>old</del>"), std::string::npos) << html;
  EXPECT_NE(html.find("<input type=\"checkbox\" disabled=\"\" checked=\"checked\">"), std::string::npos) << html;
  EXPECT_NE(html.find("<input type=\"checkbox\" disabled=\"\">"), std::string::npos) << html;
  EXPECT_NE(html.find("<a href=\"https://example.com/x\" rel=\"nofollow noopener\">"), std::string::npos) << html;
  EXPECT_NE(html.find("<strong>bold</strong>"), std::string::npos) << html;
  EXPECT_NE(html.find("<em>em</em>"), std::string::npos) << html;
  EXPECT_NE(html.find("<code>int main() {}\n</code>"), std::string::npos) << html;
  EXPECT_NE(html.find("<img src=\"https://example.com/logo.png\" alt=\"logo\">"), std::string::npos) << html;
}

struct LocaleCase {
  const char* locale;
  const char* markdown;
  const char* expected_html;  // a fragment
  const char* expected_text;  // a fragment of ToText
};

TEST(MarkdownRendering, JapaneseKoreanVietnamese) {
  const LocaleCase cases[] = {
      {"ja", "## 返金について\n\nご購入から**30日以内**であれば返金できます。[お問い合わせ](/help)ください。",
       "<h2>返金について</h2>", "ご購入から30日以内であれば返金できます。"},
      {"ja", "- 請求書\n- 領収書", "<li>請求書</li>", "領収書"},
      {"ko", "## 환불 안내\n\n구매 후 *30일* 이내에 환불을 요청하세요.", "<em>30일</em>", "구매 후 30일 이내에 환불을 요청하세요."},
      {"ko", "| 요금제 | 가격 |\n|---|---|\n| 기본 | 1만원 |", "<td>기본</td>", "기본"},
      {"vi", "## Hoàn tiền\n\nBạn có thể yêu cầu **hoàn tiền** trong vòng 30 ngày.", "<strong>hoàn tiền</strong>",
       "Bạn có thể yêu cầu hoàn tiền trong vòng 30 ngày."},
      {"vi", "Đặt lại mật khẩu: ~~cũ~~ mới", "<del>cũ</del>", "Đặt lại mật khẩu"},
  };
  auto md = NewCmarkMarkdown();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.locale);
    std::string html = md->ToHtml(c.markdown);
    EXPECT_NE(html.find(c.expected_html), std::string::npos) << html;
    std::string text = md->ToText(c.markdown);
    EXPECT_NE(text.find(c.expected_text), std::string::npos) << text;
    EXPECT_EQ(text.find('<'), std::string::npos) << text;
  }
}

TEST(MarkdownText, NoMarkupBlocksOnLinesAndRawHtmlDropped) {
  auto md = NewCmarkMarkdown();
  std::string text = md->ToText("# Reset\n\nOpen **Settings** and [click here](https://x.example).\n\n"
                                "<script>steal()</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |");
  EXPECT_NE(text.find("Reset\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Open Settings and click here."), std::string::npos) << text;
  EXPECT_EQ(text.find("steal"), std::string::npos) << text;
  EXPECT_EQ(text.find("https://"), std::string::npos) << text;
  EXPECT_NE(text.find("a  b\n1  2"), std::string::npos) << text;
}

TEST(MarkdownRendering, InvalidUtf8AndEmptyInputNeverFail) {
  auto md = NewCmarkMarkdown();
  EXPECT_EQ(md->ToHtml(""), "");
  EXPECT_EQ(md->ToText(""), "");
  std::string bad = "caf\xC3 \xFF\xFE ok";
  std::string html = md->ToHtml(bad);
  EXPECT_NE(html.find("ok"), std::string::npos);
}

TEST(MarkdownRendering, DeepNestingIsBounded) {
  auto md = NewCmarkMarkdown();
  std::string deep(50000, '>');
  deep += " x";
  std::string html = md->ToHtml(deep);
  EXPECT_FALSE(html.empty());
  std::string brackets(20000, '[');
  EXPECT_NO_FATAL_FAILURE(md->ToHtml(brackets + "x" + std::string(20000, ']') + "(javascript:alert(1))"));
}

}  // namespace
}  // namespace kizuna::markdown
