#include "engines/email_text.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace kizuna {
namespace {

struct QuoteCase {
  const char* name;
  const char* text;
  const char* expected;
};

void ExpectStripped(const QuoteCase& c) {
  EXPECT_EQ(StripQuotedHistory(c.text), c.expected) << c.name;
}

// Replies as the common clients write them in plain text, in each of our four languages.
TEST(EmailQuote, RemovesHistoryBelowRepliesFromRealClients) {
  const QuoteCase cases[] = {
      {"gmail en",
       "Thanks, that fixed it!\n"
       "\n"
       "Ana\n"
       "\n"
       "On Mon, 23 Nov 2026 at 10:00, Kizuna Support <support@example.com> wrote:\n"
       "\n"
       "> Hi Ana,\n"
       ">\n"
       "> Please try restarting the router.\n"
       ">\n"
       "> --\n"
       "> Kizuna Support\n",
       "Thanks, that fixed it!\n\nAna"},
      {"gmail en, attribution wrapped inside the address",
       "Thanks!\n"
       "\n"
       "On Mon, 23 Nov 2026 at 10:00, Kizuna Support <\n"
       "support@example.com> wrote:\n"
       "\n"
       "> Hi\n",
       "Thanks!"},
      {"gmail en, attribution wrapped before wrote",
       "Thanks!\n"
       "On Mon, 23 Nov 2026 at 10:00, Kizuna Support <support@example.com>\n"
       "wrote:\n"
       "> Hi\n",
       "Thanks!"},
      {"gmail ja",
       "ご対応ありがとうございます。\n"
       "解決しました。\n"
       "\n"
       "2026年11月20日(金) 10:00 Kizuna サポート <support@example.com>:\n"
       "\n"
       "> 山田様\n"
       "> ルーターを再起動してください。\n",
       "ご対応ありがとうございます。\n解決しました。"},
      {"gmail ko",
       "네, 확인했습니다.\n"
       "\n"
       "2026년 11월 20일 (금) 오전 10:00, Kizuna 지원 <support@example.com>님이 작성:\n"
       "\n"
       "> 김민지 님, 주문을 확인해 주세요.\n",
       "네, 확인했습니다."},
      {"gmail vi",
       "Dạ, em cảm ơn anh.\n"
       "\n"
       "Vào Th 6, 20 thg 11, 2026 lúc 10:00 Hỗ trợ Kizuna <support@example.com> đã viết:\n"
       "\n"
       "> Chào anh An,\n"
       "> Đơn hàng của anh đã được gửi.\n",
       "Dạ, em cảm ơn anh."},
      {"gmail vi, attribution wrapped",
       "Dạ, em cảm ơn anh.\n"
       "\n"
       "Vào Th 6, 20 thg 11, 2026 lúc 10:00 Hỗ trợ Kizuna <\n"
       "support@example.com> đã viết:\n"
       "\n"
       "> Chào anh An,\n",
       "Dạ, em cảm ơn anh."},
      {"outlook desktop en",
       "Hi team,\n"
       "\n"
       "The invoice is attached.\n"
       "\n"
       "Best regards,\n"
       "Ana Silva\n"
       "\n"
       "From: Kizuna Support <support@example.com> \n"
       "Sent: Monday, November 23, 2026 10:00 AM\n"
       "To: Ana Silva <ana@example.com>\n"
       "Subject: RE: Invoice [#123]\n"
       "\n"
       "Hello Ana,\n"
       "could you send the invoice?\n",
       "Hi team,\n\nThe invoice is attached.\n\nBest regards,\nAna Silva"},
      {"outlook web en",
       "Sure, Tuesday works.\n"
       "\n"
       "Get Outlook for iOS<https://aka.ms/o0ukef>\n"
       "________________________________\n"
       "From: Kizuna Support <support@example.com>\n"
       "Sent: Monday, November 23, 2026 10:00:00 AM\n"
       "To: Ana Silva <ana@example.com>\n"
       "Subject: Re: Meeting [#123]\n"
       "\n"
       "Does Tuesday work?\n",
       "Sure, Tuesday works.\n\nGet Outlook for iOS<https://aka.ms/o0ukef>"},
      {"outlook web en, headers in bold from HTML",
       "Sure.\n"
       "\n"
       "*From:* Kizuna Support <support@example.com>\n"
       "*Sent:* Monday, November 23, 2026 10:00:00 AM\n"
       "*To:* Ana Silva <ana@example.com>\n"
       "*Subject:* Re: Meeting [#123]\n",
       "Sure."},
      {"outlook ja",
       "お世話になっております。\n"
       "確認いたしました。\n"
       "\n"
       "山田\n"
       "\n"
       "差出人: Kizuna サポート <support@example.com>\n"
       "送信日時: 2026年11月20日 10:00\n"
       "宛先: 山田太郎 <taro@example.jp>\n"
       "件名: RE: 請求書について [#123]\n"
       "\n"
       "山田様\n",
       "お世話になっております。\n確認いたしました。\n\n山田"},
      {"outlook ko",
       "확인했습니다. 감사합니다.\n"
       "\n"
       "보낸 사람: Kizuna 지원 <support@example.com>\n"
       "보낸 날짜: 2026년 11월 20일 금요일 오전 10:00\n"
       "받는 사람: 김민지 <minji@example.kr>\n"
       "제목: RE: 환불 문의 [#123]\n"
       "\n"
       "김민지 님,\n",
       "확인했습니다. 감사합니다."},
      {"outlook vi",
       "Cảm ơn, tôi đã nhận được.\n"
       "\n"
       "Từ: Hỗ trợ Kizuna <support@example.com>\n"
       "Đã gửi: Thứ Sáu, 20 tháng 11, 2026 10:00\n"
       "Đến: Nguyễn Văn An <an@example.vn>\n"
       "Chủ đề: RE: Đơn hàng [#123]\n"
       "\n"
       "Chào anh An,\n",
       "Cảm ơn, tôi đã nhận được."},
      {"outlook original message separator",
       "Please close the ticket.\n"
       "\n"
       "-----Original Message-----\n"
       "From: Kizuna Support [mailto:support@example.com]\n"
       "Sent: Monday, November 23, 2026 10:00 AM\n"
       "\n"
       "Done.\n",
       "Please close the ticket."},
      {"apple mail en (iPhone)",
       "Yes, please cancel it.\n"
       "\n"
       "Sent from my iPhone\n"
       "\n"
       "> On 23 Nov 2026, at 10:00, Kizuna Support <support@example.com> wrote:\n"
       "> \n"
       "> Hi Ana, do you want us to cancel the order?\n",
       "Yes, please cancel it.\n\nSent from my iPhone"},
      {"apple mail en (macOS)",
       "Yes.\n"
       "\n"
       "On 23 Nov 2026, at 10:00, Kizuna Support <support@example.com> wrote:\n"
       "\n"
       "Hi Ana, do you want us to cancel the order?\n",
       "Yes."},
      {"apple mail ja",
       "承知しました。\n"
       "\n"
       "iPhoneから送信\n"
       "\n"
       "2026/11/20 10:00、Kizuna サポート <support@example.com> のメール:\n"
       "\n"
       "> 山田様\n",
       "承知しました。\n\niPhoneから送信"},
      {"thunderbird en, top-posted",
       "Top answer.\n"
       "\n"
       "On 23/11/2026 10:00, Kizuna Support wrote:\n"
       "> Hi Ana,\n"
       "> which version do you use?\n",
       "Top answer."},
      {"thunderbird en, bottom-posted with a signature",
       "On 23/11/2026 10:00, Kizuna Support wrote:\n"
       "> Hi Ana,\n"
       "> which version do you use?\n"
       "\n"
       "Version 115.4, on Debian.\n"
       "\n"
       "-- \n"
       "Ana Silva\n",
       "Version 115.4, on Debian.\n\n-- \nAna Silva"},
      {"thunderbird ja",
       "了解です。\n"
       "\n"
       "Kizuna サポート さんは書きました:\n"
       "> 山田様\n",
       "了解です。"},
      {"japanese original message separator",
       "ありがとうございます。\n"
       "\n"
       "―――― 元のメッセージ ――――\n"
       "差出人: Kizuna サポート\n"
       "本文\n",
       "ありがとうございます。"},
      {"yahoo japan",
       "ご返信ありがとうございます。\n"
       "明日伺います。\n"
       "\n"
       "----- Original Message -----\n"
       "From: Kizuna サポート <support@example.com>\n"
       "To: taro@yahoo.co.jp\n"
       "Date: 2026/11/20 金 10:00\n"
       "Subject: Re: 訪問日程 [#123]\n"
       "\n"
       "山田様\n",
       "ご返信ありがとうございます。\n明日伺います。"},
      {"yahoo japan, dashed attribution",
       "了解しました。\n"
       "\n"
       "--- support@example.com wrote:\n"
       "\n"
       "> 山田様\n",
       "了解しました。"},
      {"naver",
       "네, 그 주소로 보내주세요.\n"
       "\n"
       "-----Original Message-----\n"
       "From: \"Kizuna 지원\"<support@example.com>\n"
       "To: \"김민지\"<minji@naver.com>;\n"
       "Cc:\n"
       "Sent: 2026-11-20 (금) 10:00:00 (GMT+09:00)\n"
       "Subject: 배송지 확인 [#123]\n"
       "\n"
       "김민지 님, 배송지를 확인해 주세요.\n",
       "네, 그 주소로 보내주세요."},
      {"daum",
       "감사합니다!\n"
       "\n"
       "----- 원본 메일 -----\n"
       "보낸사람: Kizuna 지원 <support@example.com>\n"
       "받는사람 : 김민지 <minji@daum.net>\n"
       "날짜: 2026년 11월 20일(금) 10:00:00\n"
       "제목: 환불 완료 [#123]\n",
       "감사합니다!"},
      {"korean original message separator",
       "좋습니다.\n"
       "\n"
       "----- 원본 메시지 -----\n"
       "보낸 사람: Kizuna 지원\n",
       "좋습니다."},
      {"korean header block without a separator",
       "좋습니다.\n"
       "\n"
       "보낸사람 : Kizuna 지원 <support@example.com>\n"
       "받는사람 : 김민지 <minji@daum.net>\n"
       "날짜 : 2026년 11월 20일(금) 10:00:00\n",
       "좋습니다."},
      {"vietnamese original message separator",
       "Cảm ơn.\n"
       "\n"
       "-------- Thư gốc --------\n"
       "Từ: Hỗ trợ Kizuna\n",
       "Cảm ơn."},
      {"french",
       "Merci\n\nLe lun. 23 nov. 2026 à 10:00, Kizuna Support <support@example.com> a écrit :\n> Bonjour\n",
       "Merci"},
      {"german",
       "Danke\n\nAm 23.11.2026 um 10:00 schrieb Kizuna Support <support@example.com>:\n> Hallo\n",
       "Danke"},
      {"attribution wrapped at a space in the name",
       "Thanks\nOn Mon, 23 Nov 2026 at 10:00, Kizuna\nSupport <support@example.com> wrote:\n> x\n",
       "Thanks"},
      {"a line of prose above an attribution is not its first half",
       "On Monday I tried again.\nOn Mon, 23 Nov 2026 at 10:00, Ana <ana@example.com> wrote:\n> x\n",
       "On Monday I tried again."},
      {"a year above an attribution is not its first half",
       "2026 was hard\nAna Silva <ana@example.com> wrote:\n> x\n",
       "2026 was hard"},
      {"indented quotes",
       "ok\n\n  > indented quote\nmore\n",
       "ok\n\nmore"},
      {"crlf line ends",
       "Thanks\r\n\r\nOn Mon, 23 Nov 2026 at 10:00, Ana <ana@example.com> wrote:\r\n> x\r\n",
       "Thanks"},
  };
  for (const QuoteCase& c : cases) ExpectStripped(c);
}

// What is not history stays: forwards, signatures, quotes and answers in between.
TEST(EmailQuote, KeepsWhatIsNotHistory) {
  const QuoteCase cases[] = {
      {"apple mail forward is the whole content",
       "Begin forwarded message:\n"
       "\n"
       "From: Bank <noreply@bank.example>\n"
       "Subject: Payment failed\n"
       "Date: 23 November 2026 at 10:00:00 GMT+9\n"
       "To: Ana Silva <ana@example.com>\n"
       "\n"
       "Your payment of ¥5,000 failed.",
       "Begin forwarded message:\n"
       "\n"
       "From: Bank <noreply@bank.example>\n"
       "Subject: Payment failed\n"
       "Date: 23 November 2026 at 10:00:00 GMT+9\n"
       "To: Ana Silva <ana@example.com>\n"
       "\n"
       "Your payment of ¥5,000 failed."},
      {"gmail forward with a note keeps the forwarded message and its quotes",
       "FYI, see below.\n"
       "\n"
       "---------- Forwarded message ---------\n"
       "From: Bank <noreply@bank.example>\n"
       "Date: Mon, 23 Nov 2026 at 10:00\n"
       "Subject: Payment failed\n"
       "To: <ana@example.com>\n"
       "\n"
       "On Sun, 22 Nov 2026 at 09:00, Ana <ana@example.com> wrote:\n"
       "> Why?",
       "FYI, see below.\n"
       "\n"
       "---------- Forwarded message ---------\n"
       "From: Bank <noreply@bank.example>\n"
       "Date: Mon, 23 Nov 2026 at 10:00\n"
       "Subject: Payment failed\n"
       "To: <ana@example.com>\n"
       "\n"
       "On Sun, 22 Nov 2026 at 09:00, Ana <ana@example.com> wrote:\n"
       "> Why?"},
      {"apple mail ja forward",
       "転送されたメッセージ：\n\n差出人: 銀行 <noreply@bank.example>\n件名: 支払い失敗\n日付: 2026年11月20日 10:00\n\n本文",
       "転送されたメッセージ：\n\n差出人: 銀行 <noreply@bank.example>\n件名: 支払い失敗\n日付: 2026年11月20日 10:00\n\n本文"},
      {"outlook forward without a note comes back whole",
       "________________________________\n"
       "From: Bank <noreply@bank.example>\n"
       "Sent: Monday, November 23, 2026 10:00 AM\n"
       "To: Ana Silva <ana@example.com>\n"
       "Subject: FW: Payment failed\n"
       "\n"
       "Your payment failed.\n",
       "________________________________\n"
       "From: Bank <noreply@bank.example>\n"
       "Sent: Monday, November 23, 2026 10:00 AM\n"
       "To: Ana Silva <ana@example.com>\n"
       "Subject: FW: Payment failed\n"
       "\n"
       "Your payment failed."},
      {"signature is not history",
       "Thanks\n\n-- \nAna Silva\nACME Ltd.\n\n\n",
       "Thanks\n\n-- \nAna Silva\nACME Ltd."},
      {"a body of quotes only comes back trimmed",
       "\n> just a quote\n> > and an older one\n\n",
       "> just a quote\n> > and an older one"},
      {"attribution and quote only comes back trimmed",
       "On Mon, 23 Nov 2026 at 10:00, Ana <ana@example.com> wrote:\n> hi\n",
       "On Mon, 23 Nov 2026 at 10:00, Ana <ana@example.com> wrote:\n> hi"},
      {"answers between quotes without an attribution",
       "Hi,\n"
       "\n"
       "> Which plan are you on?\n"
       "Business.\n"
       "\n"
       "> Since when does it fail?\n"
       "Since Monday.\n"
       "\n"
       "Thanks\n",
       "Hi,\n\nBusiness.\n\nSince Monday.\n\nThanks"},
      {"answers between quotes above an attribution",
       "See inline.\n"
       "> Which plan?\n"
       "> > (older)\n"
       "Business.\n"
       "\n"
       "On Mon, 23 Nov 2026 at 10:00, Kizuna Support <support@example.com> wrote:\n"
       "> Which plan?\n",
       "See inline.\nBusiness."},
      {"answers inline under an attribution",
       "On 23/11/2026 10:00, Kizuna Support wrote:\n"
       "> Which plan are you on?\n"
       "\n"
       "Business.\n"
       "\n"
       "> Since when?\n"
       "\n"
       "Since Monday.\n",
       "Business.\n\nSince Monday."},
      {"inline answers stop at the next history start",
       "On 23/11/2026 10:00, Kizuna Support wrote:\n"
       "> Which plan?\n"
       "Business.\n"
       "\n"
       "-----Original Message-----\n"
       "older\n",
       "Business."},
      {"a bare 'wrote:' followed by more text is not an attribution",
       "As the manual wrote:\n"
       "> Restart the router first.\n"
       "That did not help.\n"
       "\n"
       "On Mon, 23 Nov 2026 at 10:00, Kizuna Support <support@example.com> wrote:\n"
       "> Restart the router.\n",
       "As the manual wrote:\nThat did not help."},
      {"a bare 'wrote:' followed only by quotes is an attribution",
       "Thanks!\n\nAna Silva wrote:\n> old text\n\n",
       "Thanks!"},
      {"an address ending a sentence is not an attribution",
       "Please write to <billing@example.com>:\n- invoice\n- receipt",
       "Please write to <billing@example.com>:\n- invoice\n- receipt"},
      {"a dated mail pasted below a japanese note is not history",
       "以下、11月20日のメール:\n件名: 請求書\n本文です",
       "以下、11月20日のメール:\n件名: 請求書\n本文です"},
      {"a lone From: line is not a header block",
       "From: my phone\nTo: whoever reads this\nThanks",
       "From: my phone\nTo: whoever reads this\nThanks"},
      {"underscores without a From: line are text",
       "Name: ________________\nDate: ________",
       "Name: ________________\nDate: ________"},
      {"trailing blank lines and spaces go",
       "Hello\n\n\n   \n\t\n",
       "Hello"},
      {"japanese quote marker",
       "はい。\n> 引用\n",
       "はい。"},
      {"empty", "", ""},
      {"whitespace", " \n\t\n", ""},
  };
  for (const QuoteCase& c : cases) ExpectStripped(c);
}

// Whatever the lines, the result is never empty for text with content, never longer than
// the input (line ends aside), and stripping is idempotent on text without history.
TEST(EmailQuote, NeverEmptiesTextWithContentOnRandomMixes) {
  const std::vector<std::string> pool = {
      "Thanks!", "", "   ", "> quoted", "> > older", "-- ", "Ana", "From: Kizuna <support@example.com>",
      "Sent: Monday", "To: Ana", "Subject: Re: x", "On Mon, 23 Nov 2026 at 10:00, Ana <ana@example.com> wrote:",
      "Ana wrote:", "-----Original Message-----", "________________________________", "Begin forwarded message:",
      "2026年11月20日(金) 10:00 山田 <taro@example.jp>:", "On Mon, 23 Nov 2026 at 10:00, Ana <", "ana@example.com> wrote:",
      "本文", "Vào Th 6, 20 thg 11, 2026 lúc 10:00 An <an@example.vn> đã viết:", "\r",
  };
  std::mt19937 random(20261123);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    int lines = static_cast<int>(random() % 12);
    for (int line_idx = 0; line_idx < lines; ++line_idx) {
      text += pool[random() % pool.size()];
      text += '\n';
    }
    std::string stripped = StripQuotedHistory(text);
    bool has_content = text.find_first_not_of(" \t\r\n") != std::string::npos;
    EXPECT_EQ(stripped.empty(), !has_content) << text;
    EXPECT_LE(stripped.size(), text.size()) << text;
  }
}

TEST(EmailSubject, FindsTheLastTicketReference) {
  struct Case {
    const char* subject;
    std::optional<std::int64_t> expected;
  } cases[] = {
      {"Re: Printer broken [#123]", 123},
      {"［＃123］ 請求書について", 123},
      {"［＃１２３］ 全角数字", 123},
      {"Re: x [#123 ]", 123},
      {"Re: x [ #123]", 123},
      {"[#123］ mixed brackets", 123},
      {"[#12] merged into [#34]", 34},
      {"[#34] then [#abc]", 34},
      {"[[#56]]", 56},
      {"[#007]", 7},
      {"[#1000000000000000]", 1'000'000'000'000'000},
      {"[#1000000000000001]", std::nullopt},
      {"[#99999999999999999999999999]", std::nullopt},
      {"[#0]", std::nullopt},
      {"[#abc]", std::nullopt},
      {"#123 without brackets", std::nullopt},
      {"[#]", std::nullopt},
      {"[#12", std::nullopt},
      {"[#-5]", std::nullopt},
      {"[# 12]", std::nullopt},
      {"[#12a]", std::nullopt},
      {"", std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(TicketNumberInSubject(c.subject), c.expected) << c.subject;
}

TEST(EmailSubject, NormaliseStripsPrefixesTagsAndReferences) {
  struct Case {
    const char* subject;
    const char* expected;
  } cases[] = {
      {"Re: Printer broken", "Printer broken"},
      {"RE: re: Fwd: FW: fw: Printer", "Printer"},
      {"AW: WG: SV: TR: RV: Réf: RÉF: Antw: x", "x"},
      {"返信: 転送: 請求書", "請求書"},
      {"Re：請求書", "請求書"},
      {"返信：　請求書", "請求書"},
      {"답장: 전달: 회신: 환불", "환불"},
      {"Trả lời: TL: Chuyển tiếp: Đơn hàng", "Đơn hàng"},
      {"TRẢ LỜI: Đơn hàng", "Đơn hàng"},
      {"Re[2]: Re(3): Re^4: Printer", "Printer"},
      {"Re : Printer", "Printer"},
      {"Fwd:Re:Printer", "Printer"},
      {"[ml-users] Re: [ml-users:01234] Printer", "Printer"},
      {"Printer [ml-users]", "Printer [ml-users]"},
      {"Re: Printer broken [#123]", "Printer broken"},
      {"Re: [#123] Re: Printer broken", "Printer broken"},
      {"RE: 請求書について ［＃123］", "請求書について"},
      {"Re:   Printer \t broken  ", "Printer broken"},
      {"Return policy", "Return policy"},
      {"Meeting at 10:00", "Meeting at 10:00"},
      {"Order #123: Re: late", "Order #123: Re: late"},
      {"[#abc] stays", "[#abc] stays"},
      {"Re:", ""},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(NormaliseSubject(c.subject), c.expected) << c.subject;
}

TEST(EmailSubject, OutboundSubjectHasOneReAndOneReference) {
  struct Case {
    const char* subject;
    std::int64_t number;
    const char* expected;
  } cases[] = {
      {"Printer broken", 123, "Re: Printer broken [#123]"},
      {"Re: Printer broken [#123]", 123, "Re: Printer broken [#123]"},
      {"RE: Re: AW: Printer broken", 7, "Re: Printer broken [#7]"},
      {"Re: ［＃123］ 請求書", 123, "Re: 請求書 [#123]"},
      {"Re: old ticket [#99]", 100, "Re: old ticket [#100]"},
      {"", 5, "Re: [#5]"},
  };
  for (const Case& c : cases) {
    std::string subject = SubjectWithReference(c.subject, c.number);
    EXPECT_EQ(subject, c.expected) << c.subject;
    EXPECT_EQ(TicketNumberInSubject(subject), c.number) << c.subject;
    EXPECT_EQ(SubjectWithReference(subject, c.number), subject) << "stable: " << c.subject;
  }
}

constexpr std::string_view kLoopMarker = "ws42-7f3a@loop.kizuna.example";

InboundEmail Mail(std::vector<std::pair<std::string, std::string>> headers, std::string subject = "Help",
                  std::string from = "ana@example.com", std::string message_id = "abc@mail.gmail.com") {
  InboundEmail email;
  email.headers = std::move(headers);
  email.subject = std::move(subject);
  email.from.address = std::move(from);
  email.message_id = std::move(message_id);
  return email;
}

TEST(EmailNoise, ClassifiesEachSign) {
  struct Case {
    const char* name;
    InboundEmail email;
    MailNoise expected;
  } cases[] = {
      {"plain mail", Mail({}), MailNoise::kNone},
      {"own loop header", Mail({{"x-kizuna-loop", std::string(kLoopMarker)}}), MailNoise::kOwnLoop},
      {"own loop header with spaces", Mail({{"x-kizuna-loop", " ws42-7f3a@loop.kizuna.example "}}), MailNoise::kOwnLoop},
      {"another workspace's loop header", Mail({{"x-kizuna-loop", "ws43-0000@loop.kizuna.example"}}), MailNoise::kNone},
      {"own message id", Mail({}, "Re: x", "ana@example.com", "job-17@LOOP.kizuna.example"), MailNoise::kOwnLoop},
      {"message id of a sub-domain", Mail({}, "x", "ana@example.com", "job-17@xloop.kizuna.example"), MailNoise::kNone},
      {"dsn", Mail({{"content-type", "multipart/report; report-type=delivery-status; boundary=\"b\""}}), MailNoise::kBounce},
      {"dsn quoted, upper case", Mail({{"content-type", "Multipart/Report; Report-Type=\"Delivery-Status\""}}),
       MailNoise::kBounce},
      {"read receipt", Mail({{"content-type", "multipart/report; report-type=disposition-notification"}}),
       MailNoise::kBounce},
      {"other report", Mail({{"content-type", "multipart/report; report-type=feedback-report"}}), MailNoise::kNone},
      {"multipart/mixed", Mail({{"content-type", "multipart/mixed; report-type=delivery-status"}}), MailNoise::kNone},
      {"mailer-daemon", Mail({}, "Undelivered Mail Returned to Sender", "MAILER-DAEMON@mx.example.com"),
       MailNoise::kBounce},
      {"postmaster ja", Mail({}, "配信エラー通知", "postmaster@example.jp"), MailNoise::kBounce},
      {"postmaster asking for help", Mail({}, "Need help with our plan", "postmaster@example.com"), MailNoise::kNone},
      {"null return path", Mail({{"return-path", "<>"}}), MailNoise::kBounce},
      {"null return path with spaces", Mail({{"return-path", " < > "}}), MailNoise::kBounce},
      {"null return path of an auto-reply", Mail({{"return-path", "<>"}, {"auto-submitted", "auto-replied"}}),
       MailNoise::kAutoReply},
      {"auto-submitted", Mail({{"auto-submitted", "auto-replied"}}), MailNoise::kAutoReply},
      {"auto-submitted with parameters", Mail({{"auto-submitted", "Auto-Generated; owner-email=x@example.com"}}),
       MailNoise::kAutoReply},
      {"auto-submitted no", Mail({{"auto-submitted", "no"}}), MailNoise::kNone},
      {"auto-submitted NO", Mail({{"auto-submitted", " No "}}), MailNoise::kNone},
      {"x-autoreply", Mail({{"x-autoreply", "yes"}}), MailNoise::kAutoReply},
      {"x-autorespond", Mail({{"x-autorespond", "true"}}), MailNoise::kAutoReply},
      {"x-autoreply no", Mail({{"x-autoreply", "no"}}), MailNoise::kNone},
      {"x-autoreply no, then injected noise", Mail({{"x-autoreply", "no  X-Kizuna-Loop: 1"}}), MailNoise::kNone},
      {"precedence auto_reply", Mail({{"precedence", "auto_reply"}}), MailNoise::kAutoReply},
      {"out of office", Mail({}, "Out of Office: Re: Printer [#123]"), MailNoise::kAutoReply},
      {"automatic reply", Mail({}, "Automatic reply: Re: Printer [#123]"), MailNoise::kAutoReply},
      {"自動返信", Mail({}, "自動返信: Re: 請求書 [#123]"), MailNoise::kAutoReply},
      {"自動応答", Mail({}, "自動応答: Re: 請求書"), MailNoise::kAutoReply},
      {"자동 회신", Mail({}, "자동 회신: RE: 환불 문의"), MailNoise::kAutoReply},
      {"trả lời tự động", Mail({}, "Trả lời tự động: Đơn hàng"), MailNoise::kAutoReply},
      {"talking about an auto-reply", Mail({}, "Re: your automatic reply has the wrong hours"), MailNoise::kNone},
      {"precedence bulk", Mail({{"precedence", "bulk"}}), MailNoise::kBulk},
      {"precedence junk", Mail({{"precedence", "Junk"}}), MailNoise::kBulk},
      {"precedence list", Mail({{"precedence", "list"}}), MailNoise::kBulk},
      {"list-id", Mail({{"list-id", "<users.lists.example.com>"}}), MailNoise::kBulk},
      {"list-unsubscribe", Mail({{"list-unsubscribe", "<mailto:unsub@example.com>"}}), MailNoise::kBulk},
      {"own loop beats bounce", Mail({{"x-kizuna-loop", std::string(kLoopMarker)}, {"return-path", "<>"}}),
       MailNoise::kOwnLoop},
      {"bounce beats auto-reply",
       Mail({{"content-type", "multipart/report; report-type=delivery-status"}, {"auto-submitted", "auto-replied"}}),
       MailNoise::kBounce},
      {"auto-reply beats bulk", Mail({{"auto-submitted", "auto-generated"}, {"list-id", "<x>"}}), MailNoise::kAutoReply},
  };
  for (const Case& c : cases) {
    MailNoise noise = ClassifyNoise(c.email, kLoopMarker);
    EXPECT_EQ(MailNoiseName(noise), std::string(MailNoiseName(c.expected))) << c.name;
    EXPECT_EQ(AllowsAutomaticAnswer(noise), c.expected == MailNoise::kNone) << c.name;
  }
}

TEST(EmailNoise, EmptyMarkerMatchesNothing) {
  EXPECT_EQ(ClassifyNoise(Mail({{"x-kizuna-loop", ""}}), ""), MailNoise::kNone);
  EXPECT_EQ(ClassifyNoise(Mail({}, "x", "a@example.com", ""), "token@"), MailNoise::kNone);
  EXPECT_EQ(ClassifyNoise(Mail({}, "x", "a@example.com", "@"), "token@"), MailNoise::kNone);
  EXPECT_EQ(ClassifyNoise(Mail({{"x-kizuna-loop", "plain-token"}}), "plain-token"), MailNoise::kOwnLoop);
}

TEST(EmailNoise, Names) {
  EXPECT_STREQ(MailNoiseName(MailNoise::kNone), "none");
  EXPECT_STREQ(MailNoiseName(MailNoise::kAutoReply), "auto_reply");
  EXPECT_STREQ(MailNoiseName(MailNoise::kBounce), "bounce");
  EXPECT_STREQ(MailNoiseName(MailNoise::kBulk), "bulk");
  EXPECT_STREQ(MailNoiseName(MailNoise::kOwnLoop), "own_loop");
}

TEST(EmailReplyAddress, CarriesTicketAndTag) {
  EXPECT_EQ(ReplyAddress("support@example.com", 123, "ab12"), "support+t123-ab12@example.com");
  EXPECT_EQ(ReplyAddress("Support.Team@Example.COM", 5, "x"), "Support.Team+t5-x@Example.COM");
  EXPECT_EQ(ReplyAddress("help+desk@example.com", 9, "z"), "help+desk+t9-z@example.com");
  for (std::int64_t number : {std::int64_t{1}, std::int64_t{42}, kMaxMailTicketNumber}) {
    for (const char* mailbox : {"support@example.com", "Support.Team@Example.COM", "help+desk@example.com"}) {
      auto parsed = ParseReplyAddress(ReplyAddress(mailbox, number, "0123456789abcdef"), mailbox);
      ASSERT_TRUE(parsed.has_value()) << mailbox << " " << number;
      EXPECT_EQ(parsed->ticket_number, number);
      EXPECT_EQ(parsed->tag, "0123456789abcdef");
    }
  }
}

TEST(EmailReplyAddress, ParsesOnlyWellFormedAddressesOfTheSameMailbox) {
  struct Case {
    const char* address;
    const char* mailbox;
    std::optional<std::int64_t> number;  // nullopt: rejected
    const char* tag;
  } cases[] = {
      {"support+t123-ab12@example.com", "support@example.com", 123, "ab12"},
      {"support+t123-ab12@EXAMPLE.Com", "support@example.com", 123, "ab12"},
      {"  support+t123-ab12@example.com\r\n", "support@example.com", 123, "ab12"},
      {"support+t1000000000000000-a@example.com", "support@example.com", 1'000'000'000'000'000, "a"},
      {"help+desk+t9-z@example.com", "help+desk@example.com", 9, "z"},
      {"Support+t123-ab12@example.com", "support@example.com", std::nullopt, ""},
      {"support+t123-ab12@example.org", "support@example.com", std::nullopt, ""},
      {"support+t123-ab12@example.com.evil.org", "support@example.com", std::nullopt, ""},
      {"support+t123-ab12@sub.example.com", "support@example.com", std::nullopt, ""},
      {"support+t123-ab12@example.com@example.com", "support@example.com", std::nullopt, ""},
      {"support+t123-ab12@evil.org@example.com", "support@example.com", std::nullopt, ""},
      {"support+t123-ab12", "support@example.com", std::nullopt, ""},
      {"support+t123-ab12@", "support@example.com", std::nullopt, ""},
      {"support@example.com", "support@example.com", std::nullopt, ""},
      {"supportx+t123-ab12@example.com", "support@example.com", std::nullopt, ""},
      {"other+t123-ab12@example.com", "support@example.com", std::nullopt, ""},
      {"support+t123-@example.com", "support@example.com", std::nullopt, ""},
      {"support+t123@example.com", "support@example.com", std::nullopt, ""},
      {"support+t-ab12@example.com", "support@example.com", std::nullopt, ""},
      {"support+tab12@example.com", "support@example.com", std::nullopt, ""},
      {"support+T123-ab12@example.com", "support@example.com", std::nullopt, ""},
      {"support+t0-ab12@example.com", "support@example.com", std::nullopt, ""},
      {"support+t0123-ab12@example.com", "support@example.com", std::nullopt, ""},
      {"support+t1000000000000001-a@example.com", "support@example.com", std::nullopt, ""},
      {"support+t99999999999999999999999-a@example.com", "support@example.com", std::nullopt, ""},
      {"support+t9223372036854775808-a@example.com", "support@example.com", std::nullopt, ""},
      {"support+t-1-ab@example.com", "support@example.com", std::nullopt, ""},
      {"support+t123-ab+cd@example.com", "support@example.com", std::nullopt, ""},
      {"support++t123-ab12@example.com", "support@example.com", std::nullopt, ""},
      {"support+x+t123-ab12@example.com", "support@example.com", std::nullopt, ""},
      {"support+t123-ab12+@example.com", "support@example.com", std::nullopt, ""},
      {"support+t123-AB12@example.com", "support@example.com", std::nullopt, ""},
      {"support+t123-ab_12@example.com", "support@example.com", std::nullopt, ""},
      {"support+t123-ab-12@example.com", "support@example.com", std::nullopt, ""},
      {"support+t123-0123456789abcdefg@example.com", "support@example.com", std::nullopt, ""},
      {"support+t123-ab 12@example.com", "support@example.com", std::nullopt, ""},
      {"support+t１２３-ab12@example.com", "support@example.com", std::nullopt, ""},
      {"\"support+t123-ab12\"@example.com", "support@example.com", std::nullopt, ""},
      {"<support+t123-ab12@example.com>", "support@example.com", std::nullopt, ""},
      {"Ana <support+t123-ab12@example.com>", "support@example.com", std::nullopt, ""},
      {"", "support@example.com", std::nullopt, ""},
      {"support+t123-ab12@example.com", "", std::nullopt, ""},
      {"support+t123-ab12@example.com", "support", std::nullopt, ""},
      {"+t123-ab12@example.com", "@example.com", std::nullopt, ""},
  };
  for (const Case& c : cases) {
    std::optional<ReplyTarget> parsed = ParseReplyAddress(c.address, c.mailbox);
    ASSERT_EQ(parsed.has_value(), c.number.has_value()) << c.address << " for " << c.mailbox;
    if (parsed) {
      EXPECT_EQ(parsed->ticket_number, *c.number) << c.address;
      EXPECT_EQ(parsed->tag, c.tag) << c.address;
    }
  }
}

}  // namespace
}  // namespace kizuna
