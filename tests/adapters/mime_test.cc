#include "adapters/channels/email/mime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/text.h"

namespace kizuna::email {
namespace {

using nlohmann::json;

const std::filesystem::path kCorpus = KIZUNA_EMAIL_CORPUS;

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

json Expectations() {
  static const json expectations = json::parse(ReadFile(kCorpus / "expected.json"));
  return expectations;
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Combining diacritics (U+0300–U+036F) or conjoining jamo (U+1100–U+11FF) left in text.
bool HasDecomposedLetters(std::string_view text) {
  for (std::size_t pos = 0; pos + 1 < text.size(); ++pos) {
    auto c = static_cast<unsigned char>(text[pos]);
    auto next = static_cast<unsigned char>(text[pos + 1]);
    if ((c == 0xCC && next >= 0x80) || (c == 0xCD && next <= 0xAF)) return true;
    if (c == 0xE1 && next >= 0x84 && next <= 0x87) return true;
  }
  return false;
}

// What every parse must give, whatever the message: valid UTF-8 everywhere, one-line
// header values, text without CR or NUL.
void ExpectWellFormed(const InboundEmail& email) {
  std::vector<std::string_view> one_line{email.subject, email.from.name, email.from.address, email.message_id,
                                         email.in_reply_to};
  for (const auto& address : email.to) one_line.insert(one_line.end(), {address.name, address.address});
  for (const auto& address : email.cc) one_line.insert(one_line.end(), {address.name, address.address});
  for (const auto& [name, value] : email.headers) one_line.insert(one_line.end(), {name, value});
  for (const auto& part : email.attachments) one_line.insert(one_line.end(), {part.name, part.content_type});
  for (std::string_view value : one_line) {
    EXPECT_TRUE(IsValidUtf8(value)) << value;
    EXPECT_EQ(value.find_first_of(std::string_view("\r\n\0", 3)), std::string_view::npos) << value;
  }
  EXPECT_TRUE(IsValidUtf8(email.text));
  EXPECT_TRUE(IsValidUtf8(email.html));
  EXPECT_EQ(email.text.find('\r'), std::string::npos);
  EXPECT_EQ(email.text.find('\0'), std::string::npos);
  for (const auto& warning : email.warnings) EXPECT_TRUE(IsValidUtf8(warning));
  for (const auto& [name, value] : email.headers) EXPECT_NE(name, "bcc");
}

// The signals a later ingest step needs to tell the intent the corpus assigns.
void ExpectIntentSignals(const InboundEmail& email, const std::string& intent) {
  std::string content_type = Lower(HeaderValue(email, "content-type"));
  std::string precedence = Lower(HeaderValue(email, "precedence"));
  std::string auto_submitted = Lower(HeaderValue(email, "auto-submitted"));
  std::string subject = Lower(email.subject);
  if (intent == "bounce") {
    EXPECT_TRUE(content_type.starts_with("multipart/report") || Contains(Lower(email.from.address), "mailer-daemon") ||
                !HeaderValue(email, "x-failed-recipients").empty())
        << "no bounce signal";
  } else if (intent == "auto-reply") {
    EXPECT_TRUE((!auto_submitted.empty() && auto_submitted != "no") || !HeaderValue(email, "x-autoreply").empty() ||
                !HeaderValue(email, "x-autorespond").empty() || precedence == "junk" || precedence == "bulk")
        << "no auto-reply signal";
  } else if (intent == "bulk") {
    EXPECT_TRUE(!HeaderValue(email, "list-id").empty() || !HeaderValue(email, "list-unsubscribe").empty() ||
                precedence == "bulk" || precedence == "list")
        << "no bulk signal";
  } else if (intent == "reply") {
    EXPECT_TRUE(!email.in_reply_to.empty() || !email.references.empty() ||
                std::regex_search(email.subject, std::regex(R"(\[#\d+\])")))
        << "no reply signal";
  } else if (intent == "forward") {
    EXPECT_TRUE(subject.starts_with("fwd:") || subject.starts_with("fw:")) << "no forward signal";
  } else {
    EXPECT_EQ(intent, "new");
  }
}

std::vector<std::string> Strings(const json& value) {
  std::vector<std::string> out;
  for (const auto& item : value) out.push_back(item.get<std::string>());
  return out;
}

class CorpusMessage : public testing::TestWithParam<std::string> {};

TEST_P(CorpusMessage, ParsesAsExpected) {
  json expect;
  for (const auto& entry : Expectations()) {
    if (entry["file"] == GetParam()) expect = entry;
  }
  ASSERT_FALSE(expect.is_null());
  auto parsed = ParseEmail(ReadFile(kCorpus / GetParam()));
  if (expect.contains("error")) {
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(parsed.error().field, "message");
    EXPECT_TRUE(Contains(parsed.error().message, expect["error"].get<std::string>())) << parsed.error().message;
    return;
  }
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const InboundEmail& email = *parsed;
  ExpectWellFormed(email);
  std::string warnings;
  for (const auto& warning : email.warnings) warnings += "\n  " + warning;
  SCOPED_TRACE("warnings:" + warnings);

  if (expect.contains("subject")) {
    EXPECT_EQ(email.subject, expect["subject"].get<std::string>());
  }
  if (expect.contains("from")) {
    EXPECT_EQ(email.from.address, expect["from"].get<std::string>());
  }
  if (expect.contains("from_name")) {
    EXPECT_EQ(email.from.name, expect["from_name"].get<std::string>());
  }
  auto addresses = [](const std::vector<MailAddress>& list) {
    std::vector<std::string> out;
    for (const auto& mailbox : list) out.push_back(mailbox.address);
    return out;
  };
  if (expect.contains("to")) {
    EXPECT_EQ(addresses(email.to), Strings(expect["to"]));
  }
  if (expect.contains("cc")) {
    EXPECT_EQ(addresses(email.cc), Strings(expect["cc"]));
  }
  if (expect.contains("cc_names")) {
    std::vector<std::string> names;
    for (const auto& mailbox : email.cc) names.push_back(mailbox.name);
    EXPECT_EQ(names, Strings(expect["cc_names"]));
  }
  if (expect.contains("reply_to")) {
    ASSERT_TRUE(email.reply_to.has_value());
    EXPECT_EQ(email.reply_to->address, expect["reply_to"].get<std::string>());
  }
  if (expect.contains("message_id")) {
    EXPECT_EQ(email.message_id, expect["message_id"].get<std::string>());
  }
  if (expect.contains("in_reply_to")) {
    EXPECT_EQ(email.in_reply_to, expect["in_reply_to"].get<std::string>());
  }
  if (expect.contains("references")) {
    EXPECT_EQ(email.references, Strings(expect["references"]));
  }
  if (expect.contains("references_count")) {
    ASSERT_EQ(email.references.size(), expect["references_count"].get<std::size_t>());
    EXPECT_EQ(email.references.front(), expect["references_first"].get<std::string>());
    EXPECT_EQ(email.references.back(), expect["references_last"].get<std::string>());
  }
  if (expect.contains("date")) {
    if (expect["date"].is_null()) {
      EXPECT_FALSE(email.date.has_value());
    } else {
      ASSERT_TRUE(email.date.has_value());
      EXPECT_EQ(*email.date, expect["date"].get<Timestamp>());
    }
  }
  for (const auto& needle : Strings(expect.value("text_contains", json::array()))) {
    EXPECT_TRUE(Contains(email.text, needle)) << "text lacks: " << needle << "\ntext:\n" << email.text;
  }
  for (const auto& needle : Strings(expect.value("text_not_contains", json::array()))) {
    EXPECT_FALSE(Contains(email.text, needle)) << "text has: " << needle << "\ntext:\n" << email.text;
  }
  for (const auto& needle : Strings(expect.value("html_contains", json::array()))) {
    EXPECT_TRUE(Contains(email.html, needle)) << "html lacks: " << needle << "\nhtml:\n" << email.html;
  }
  for (const auto& needle : Strings(expect.value("html_not_contains", json::array()))) {
    EXPECT_FALSE(Contains(Lower(email.html), Lower(needle))) << "html has: " << needle << "\nhtml:\n" << email.html;
  }
  if (expect.contains("attachments")) {
    const json& wanted = expect["attachments"];
    ASSERT_EQ(email.attachments.size(), wanted.size());
    for (std::size_t idx = 0; idx < wanted.size(); ++idx) {
      const MailPart& part = email.attachments[idx];
      EXPECT_EQ(part.name, wanted[idx]["name"].get<std::string>());
      EXPECT_EQ(part.content_type, wanted[idx]["type"].get<std::string>());
      if (!wanted[idx]["size"].is_null()) {
        EXPECT_EQ(part.data.size(), wanted[idx]["size"].get<std::size_t>());
      }
      if (wanted[idx].contains("inline")) {
        EXPECT_EQ(part.is_inline, wanted[idx]["inline"].get<bool>());
      }
      if (wanted[idx].contains("content_id")) {
        EXPECT_EQ(part.content_id, wanted[idx]["content_id"].get<std::string>());
      }
    }
  }
  if (expect.contains("attachments_count")) {
    EXPECT_EQ(email.attachments.size(), expect["attachments_count"].get<std::size_t>());
  }
  json headers = expect.value("headers", json::object());
  for (const auto& [name, value] : headers.items()) {
    EXPECT_EQ(HeaderValue(email, name), value.get<std::string>()) << name;
  }
  for (const auto& needle : Strings(expect.value("warnings_contain", json::array()))) {
    EXPECT_TRUE(std::any_of(email.warnings.begin(), email.warnings.end(),
                            [&](const std::string& warning) { return Contains(warning, needle); }))
        << "no warning with: " << needle;
  }
  if (expect.value("no_warnings", false)) {
    EXPECT_TRUE(email.warnings.empty());
  }
  if (expect.value("nfc", false)) {
    EXPECT_FALSE(HasDecomposedLetters(email.text));
    EXPECT_FALSE(HasDecomposedLetters(email.subject));
    EXPECT_FALSE(HasDecomposedLetters(email.from.name));
  }
  ASSERT_TRUE(expect.contains("intent"));
  ExpectIntentSignals(email, expect["intent"].get<std::string>());
}

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(kCorpus)) {
    if (entry.path().extension() == ".eml") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

INSTANTIATE_TEST_SUITE_P(EmailCorpus, CorpusMessage, testing::ValuesIn(CorpusFiles()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.size() - 4);
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(EmailCorpus, EveryFileHasAnExpectationAndEveryExpectationAFile) {
  std::set<std::string> files;
  for (const auto& file : CorpusFiles()) files.insert(file);
  std::set<std::string> expected;
  for (const auto& entry : Expectations()) {
    std::string file = entry["file"].get<std::string>();
    EXPECT_TRUE(expected.insert(file).second) << "two expectations for " << file;
    EXPECT_TRUE(files.count(file)) << "no file for expectation " << file;
  }
  for (const auto& file : files) EXPECT_TRUE(expected.count(file)) << "no expectation for " << file;
  EXPECT_GE(files.size(), 55u);
}

// ---- focused cases ------------------------------------------------------------------------

InboundEmail MustParse(const std::string& raw, const MimeLimits& limits = {}) {
  auto parsed = ParseEmail(raw, limits);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
  if (!parsed.ok()) return {};
  ExpectWellFormed(*parsed);
  return std::move(parsed).value();
}

std::string Message(const std::string& headers, const std::string& body) {
  return "From: a@example.com\r\nTo: b@example.com\r\nMessage-ID: <m@example.com>\r\n"
         "Date: Fri, 20 Nov 2026 10:00:00 +0900\r\n" +
         headers + "\r\n" + body;
}

// GMime 3.2.13 decodes only the first of adjacent ISO-2022-JP encoded-words (PITFALLS).
TEST(EncodedWords, JapaneseSubjectSplitAcrossIso2022JpWordsDecodesWhole) {
  struct Case {
    const char* subject;
    const char* why;
  };
  const Case cases[] = {
      {"=?ISO-2022-JP?B?GyRCIVokKkxkJCQ5ZyRvJDshWxsoQg==?= "
       "=?ISO-2022-JP?B?GyRCQ21KOEhWOWYbKEIxMjM0NRskQiROGyhC?=\r\n"
       " =?ISO-2022-JP?B?GyRCR1tBdz51NjckSyREJCQkRhsoQg==?=",
       "three self-contained words, folded"},
      {"=?ISO-2022-JP?B?GyRCIVokKkxkJCQ5ZyRv?= =?ISO-2022-JP?B?JDshW0NtSjhIVjlmGyhCMQ==?=\r\n"
       " =?iso-2022-jp?b?MjM0NRskQiROR1tBdz51NjckSyREJCQkRhsoQg==?=",
       "one byte stream cut mid-escape-state, mixed-case labels"},
  };
  for (const Case& test : cases) {
    InboundEmail email = MustParse(Message(std::string("Subject: ") + test.subject + "\r\n", "x\r\n"));
    EXPECT_EQ(email.subject, "【お問い合わせ】注文番号12345の配送状況について") << test.why;
  }
  InboundEmail two = MustParse(Message(
      "Subject: =?ISO-2022-JP?B?GyRCIVo9RU1XIVsbKEI=?= =?ISO-2022-JP?B?GyRCJCpDTiRpJDsbKEI=?=\r\n", "x\r\n"));
  EXPECT_EQ(two.subject, "【重要】お知らせ");
  // The same words in a file name parameter (Outlook puts RFC 2047 there).
  std::string raw = Message(
      "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n",
      "--b\r\nContent-Type: text/plain\r\n\r\nsee file\r\n--b\r\nContent-Type: application/pdf;\r\n"
      " name=\"=?ISO-2022-JP?B?GyRCOCs=?= =?ISO-2022-JP?B?QFEbKEI=?=.pdf\"\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n--b--\r\n");
  InboundEmail attached = MustParse(raw);
  ASSERT_EQ(attached.attachments.size(), 1u);
  EXPECT_EQ(attached.attachments[0].name, "見積.pdf");
}

struct CharsetCase {
  const char* label;
  std::string bytes;
  const char* text;
};

TEST(Charsets, EachBodyCharsetDecodesToUtf8) {
  const CharsetCase cases[] = {
      {"ISO-2022-JP", "\x1b\x24\x42\x47\x5b\x41\x77\x3e\x75\x36\x37\x2d\x21\x1b\x28\x42", "配送状況①"},
      {"Shift_JIS", "\x94\x7a\x91\x97\x8f\xf3\x8b\xb5\x87\x40", "配送状況①"},
      {"shift-jis", "\x94\x7a\x91\x97\x8f\xf3\x8b\xb5\x87\x40", "配送状況①"},
      {"EUC-JP", "\xc7\xdb\xc1\xf7\xbe\xf5\xb6\xb7", "配送状況"},
      {"EUC-KR", "\xb9\xe8\xbc\xdb", "배송"},
      {"ks_c_5601-1987", "\xb9\xe8\xbc\xdb\x20\x8c\x63", "배송 똠"},
      {"windows-1258", "\x56\x69\xea\xf2\x74\x20\x4e\x61\x6d\x20\x6e\x67\xfd\xf5\xcc\x69", "Việt Nam người"},
      {"UTF-8", "Vi\xe1\xbb\x87t", "Việt"},
      {"iso-8859-1", "\x63\x61\x66\xe9", "café"},
      {"windows-1252", "\x93\x71\x75\x6f\x74\x65\x64\x94\x20\x96\x20\x80", "“quoted” – €"},
  };
  for (const CharsetCase& test : cases) {
    for (const char* encoding : {"8bit", "base64"}) {
      std::string body = test.bytes;
      if (std::string_view(encoding) == "base64") {
        // Written out rather than encoded here: the test checks GMime's decoding, not ours.
        static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        std::string encoded;
        for (std::size_t pos = 0; pos < body.size(); pos += 3) {
          unsigned bits = static_cast<unsigned char>(body[pos]) << 16;
          if (pos + 1 < body.size()) bits |= static_cast<unsigned char>(body[pos + 1]) << 8;
          if (pos + 2 < body.size()) bits |= static_cast<unsigned char>(body[pos + 2]);
          encoded += kAlphabet[(bits >> 18) & 63];
          encoded += kAlphabet[(bits >> 12) & 63];
          encoded += pos + 1 < body.size() ? kAlphabet[(bits >> 6) & 63] : '=';
          encoded += pos + 2 < body.size() ? kAlphabet[bits & 63] : '=';
        }
        body = encoded;
      }
      InboundEmail email = MustParse(Message(std::string("Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; "
                                                         "charset=\"") + test.label +
                                                 "\"\r\nContent-Transfer-Encoding: " + encoding + "\r\n",
                                             body + "\r\n"));
      EXPECT_EQ(email.text, test.text) << test.label << " " << encoding;
      EXPECT_TRUE(email.warnings.empty()) << test.label << ": " << (email.warnings.empty() ? "" : email.warnings[0]);
    }
  }
}

TEST(Charsets, UndeclaredEightBitTextIsGuessed) {
  const CharsetCase cases[] = {
      {"", "\x82\xa8\x96\xe2\x82\xa2\x8d\x87\x82\xed\x82\xb9", "お問い合わせ"},           // Shift_JIS
      {"", "\xa4\xaa\xcc\xe4\xa4\xa4\xb9\xe7\xa4\xef\xa4\xbb", "お問い合わせ"},           // EUC-JP
      {"", "\xc8\xaf\xba\xd2\x20\xbf\xe4\xc3\xbb\xc7\xd5\xb4\xcf\xb4\xd9", "환불 요청합니다"},  // EUC-KR
      {"us-ascii", "\xed\x99\x98\xeb\xb6\x88", "환불"},                                   // UTF-8 under us-ascii
  };
  for (const CharsetCase& test : cases) {
    std::string type = *test.label ? std::string("Content-Type: text/plain; charset=") + test.label + "\r\n" : "";
    InboundEmail email = MustParse(Message("Subject: s\r\n" + type, test.bytes + "\r\n"));
    EXPECT_EQ(email.text, test.text);
    EXPECT_FALSE(email.warnings.empty());
  }
  InboundEmail hopeless = MustParse(Message("Subject: s\r\n", "abc \xff\xfe\xfd def\r\n"));
  EXPECT_EQ(hopeless.text, "abc \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD def");
  EXPECT_FALSE(hopeless.warnings.empty());
}

TEST(Charsets, VietnameseComesOutComposed) {
  // windows-1258 writes tone marks as combining characters; so does Unikey in UTF-8, in
  // either order for a letter with two marks.
  InboundEmail cp1258 = MustParse(Message(
      "Subject: =?windows-1258?Q?Vi=EA=F2t?=\r\nContent-Type: text/plain; charset=windows-1258\r\n",
      "\x6e\x67\xfd\xf5\xcc\x69\x20\x56\x69\xea\xf2\x74\r\n"));
  EXPECT_EQ(cp1258.subject, "Việt");
  EXPECT_EQ(cp1258.text, "người Việt");
  InboundEmail nfd = MustParse(Message("Subject: =?UTF-8?Q?Vie=CC=A3=CC=82t_e=CC=82=CC=A3?=\r\n"
                                       "Content-Type: text/plain; charset=utf-8\r\n",
                                       "Nguye\xcc\x82\xcc\x83n Thi\xcc\xa3 ho\xcc\x9b\xcc\xa3p\r\n"));
  EXPECT_EQ(nfd.subject, "Việt ệ");
  EXPECT_EQ(nfd.text, "Nguyễn Thị hợp");
  // Korean file names from macOS arrive as conjoining jamo.
  InboundEmail jamo = MustParse(Message("Subject: =?UTF-8?B?4YSQ4YWm4YSJ4YWz4YSQ4YWz?=\r\n", "x\r\n"));
  EXPECT_EQ(jamo.subject, "테스트");
}

// ---- WriteEmail -------------------------------------------------------------------------

std::string Bytes(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(random() & 0xFF);
  return out;
}

OutboundEmail Outbound(const std::string& subject, const std::string& text, const std::string& html,
                       const std::string& name) {
  OutboundEmail email;
  email.message_id = "ticket-123.4@kizuna.example";
  email.from = {"Kizuna サポート", "support@kizuna.example"};
  email.to = {{"Nguyễn Thị Hồng Nhung", "nhung@example.vn"}, {"O'Brien, Pat", "pat@example.com"}};
  email.reply_to = MailAddress{"", "reply+123@kizuna.example"};
  email.in_reply_to = "CAF=reply.2@mail.gmail.com";
  email.references = {"ticket-123.1@kizuna.example", "CAF=reply.2@mail.gmail.com"};
  email.subject = subject;
  email.text = text;
  email.html = html;
  email.date = 1795136400000;
  email.headers = {{"X-Kizuna-Ticket", "123"}, {"Auto-Submitted", "auto-replied"}};
  email.attachments.push_back(MailPart{name, "application/pdf", "", false, Bytes(3000, 1)});
  email.attachments.push_back(MailPart{"empty.txt", "text/plain", "", false, ""});
  email.attachments.push_back(MailPart{"logo.png", "image/png", "logo@kizuna.example", true, Bytes(500, 2)});
  return email;
}

void ExpectWireFormat(const std::string& wire) {
  for (std::size_t pos = 0; pos < wire.size(); ++pos) {
    auto byte = static_cast<unsigned char>(wire[pos]);
    ASSERT_LT(byte, 0x80) << "8-bit byte at " << pos;
    if (wire[pos] == '\n') {
      ASSERT_TRUE(pos > 0 && wire[pos - 1] == '\r') << "bare LF at " << pos;
    }
    if (wire[pos] == '\r') {
      ASSERT_TRUE(pos + 1 < wire.size() && wire[pos + 1] == '\n') << "bare CR at " << pos;
    }
  }
  std::size_t start = 0;
  while (start < wire.size()) {
    std::size_t end = wire.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 998u);
    start = end + 2;
  }
}

TEST(WriteEmail, RoundTripsInEveryLanguageWithAttachments) {
  struct Case {
    std::string subject;
    std::string text;
    std::string html;
    std::string file_name;
  };
  const Case cases[] = {
      {"Re: [#123] Refund for order 4471", "Hello Ana,\n\nYour refund has been approved.\n\n-- \nKizuna",
       "<p>Hello Ana,</p><p>Your refund has been <b>approved</b>.</p><p><img src=\"cid:logo@kizuna.example\"></p>",
       "refund-4471.pdf"},
      {"Re: [#127] 【お問い合わせ】注文番号12345の配送状況について（長い件名のテスト、折り返しが必要です）",
       "山田様\n\n商品は本日発送いたしました。\n①②③ ㈱ ～ 髙",
       "<p>山田様</p><p>商品は本日<b>発送</b>いたしました。</p>", "見積書（2026年11月）.pdf"},
      {"Re: [#128] 환불 요청 — 처리 완료", "김민준 고객님,\n환불이 완료되었습니다.", "<p>김민준 고객님,</p><p>환불이 완료되었습니다.</p>",
       "환불_영수증.pdf"},
      {"Re: [#129] Yêu cầu hoàn tiền đã được duyệt", "Chào chị Nhung,\nYêu cầu hoàn tiền của chị đã được duyệt.",
       "<p>Chào chị Nhung,</p><ul><li>Mã đơn: 12345</li></ul>", "Hóa đơn điện tử tháng 11 năm 2026 — bản cuối cùng.pdf"},
  };
  for (const Case& test : cases) {
    SCOPED_TRACE(test.subject);
    OutboundEmail sent = Outbound(test.subject, test.text, test.html, test.file_name);
    std::string wire = WriteEmail(sent);
    ExpectWireFormat(wire);
    EXPECT_EQ(WriteEmail(sent), wire) << "not deterministic";
    InboundEmail received = MustParse(wire);
    EXPECT_TRUE(received.warnings.empty()) << received.warnings.front();
    EXPECT_EQ(received.subject, test.subject);
    EXPECT_EQ(received.text, test.text);
    EXPECT_EQ(received.html, SanitiseHtml(test.html));
    EXPECT_EQ(received.from.name, "Kizuna サポート");
    EXPECT_EQ(received.from.address, "support@kizuna.example");
    ASSERT_EQ(received.to.size(), 2u);
    EXPECT_EQ(received.to[0].name, "Nguyễn Thị Hồng Nhung");
    EXPECT_EQ(received.to[1].name, "O'Brien, Pat");
    EXPECT_EQ(received.to[1].address, "pat@example.com");
    ASSERT_TRUE(received.reply_to.has_value());
    EXPECT_EQ(received.reply_to->address, "reply+123@kizuna.example");
    EXPECT_EQ(received.message_id, sent.message_id);
    EXPECT_EQ(received.in_reply_to, sent.in_reply_to);
    EXPECT_EQ(received.references, sent.references);
    EXPECT_EQ(received.date, sent.date);
    EXPECT_EQ(HeaderValue(received, "x-kizuna-ticket"), "123");
    EXPECT_EQ(HeaderValue(received, "auto-submitted"), "auto-replied");
    ASSERT_EQ(received.attachments.size(), 3u);
    // The inline image travels in multipart/related beside the HTML, so it comes first.
    EXPECT_EQ(received.attachments[0].name, "logo.png");
    EXPECT_TRUE(received.attachments[0].is_inline);
    EXPECT_EQ(received.attachments[0].content_id, "logo@kizuna.example");
    EXPECT_EQ(received.attachments[0].data, sent.attachments[2].data);
    EXPECT_EQ(received.attachments[1].name, test.file_name);
    EXPECT_EQ(received.attachments[1].content_type, "application/pdf");
    EXPECT_EQ(received.attachments[1].data, sent.attachments[0].data);
    EXPECT_FALSE(received.attachments[1].is_inline);
    EXPECT_EQ(received.attachments[2].name, "empty.txt");
    EXPECT_EQ(received.attachments[2].data, "");
  }
}

TEST(WriteEmail, PlainTextAloneIsOnePart) {
  OutboundEmail email;
  email.from = {"", "support@kizuna.example"};
  email.to = {{"", "ana@example.com"}};
  email.subject = "Hello";
  email.text = "Plain words only, so quoted-printable is shorter than base64.";
  std::string wire = WriteEmail(email);
  ExpectWireFormat(wire);
  EXPECT_TRUE(Contains(wire, "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable"));
  EXPECT_FALSE(Contains(wire, "multipart"));
  EXPECT_TRUE(Contains(wire, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
  OutboundEmail japanese = email;
  japanese.text = "日本語だけの本文は base64 のほうが短くなります。日本語だけの本文は base64 のほうが短くなります。";
  EXPECT_TRUE(Contains(WriteEmail(japanese), "Content-Transfer-Encoding: base64"));
  EXPECT_EQ(MustParse(WriteEmail(japanese)).text, japanese.text);
}

TEST(WriteEmail, NoLinePassesRfc5322sLimit) {
  OutboundEmail email;
  email.from = {std::string(3000, 'N'), "support@kizuna.example"};
  email.to = {{"", std::string(2000, 'a') + "@example.com"}, {"", "ok@example.com"}};
  email.subject = std::string(5000, 'S') + " tail";
  email.message_id = std::string(2000, 'i') + "@example.com";
  email.references = {std::string(1500, 'r'), "short@example.com"};
  email.headers = {{"X-Long", std::string(3000, 'h')}};
  email.attachments.push_back(MailPart{std::string(600, 'f') + ".pdf", "application/" + std::string(500, 'x'), "",
                                       false, "data"});
  std::string wire = WriteEmail(email);
  ExpectWireFormat(wire);
  InboundEmail parsed = MustParse(wire);
  EXPECT_EQ(parsed.subject, email.subject);
  EXPECT_EQ(parsed.from.name, email.from.name);
  ASSERT_EQ(parsed.to.size(), 1u);
  EXPECT_EQ(parsed.to[0].address, "ok@example.com");
  EXPECT_EQ(parsed.message_id, "");
  EXPECT_EQ(parsed.references, std::vector<std::string>{"short@example.com"});
  ASSERT_EQ(parsed.attachments.size(), 1u);
  EXPECT_EQ(parsed.attachments[0].content_type, "application/octet-stream");
  EXPECT_EQ(parsed.attachments[0].data, "data");
}

std::vector<std::string> HeaderLines(const std::string& wire) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    std::size_t end = wire.find("\r\n", start);
    if (end == std::string::npos || end == start) break;
    lines.push_back(wire.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

TEST(WriteEmail, HeaderValuesCannotStartNewHeaders) {
  OutboundEmail email;
  email.from = {"Eve\r\nBcc: from@evil.example", "support@kizuna.example\r\nBcc: addr@evil.example"};
  email.to = {{"To\nBcc: to@evil.example", "ana@example.com"}};
  email.reply_to = MailAddress{"x\rBcc: reply@evil.example", "reply@example.com"};
  email.subject = "Hi\r\nBcc: x@evil";
  email.message_id = "id@kizuna.example>\r\nBcc: id@evil.example";
  email.in_reply_to = "a@b\nBcc: irt@evil.example";
  email.references = {"r@b\r\nBcc: ref@evil.example"};
  email.headers = {{"X-Kizuna-Ticket", "1\r\nBcc: extra@evil.example"},
                   {"X-Evil\r\nBcc", "x@evil.example"},
                   {"Bcc", "direct@evil.example"},
                   {"Content-Type", "text/html"}};
  email.text = "body";
  email.attachments.push_back(MailPart{"a.pdf\r\nBcc: name@evil.example", "application/pdf\r\nBcc: t@evil", "c\r\nBcc: cid",
                                       true, "x"});
  std::string wire = WriteEmail(email);
  ExpectWireFormat(wire);
  std::vector<std::string> lines = HeaderLines(wire);
  const std::set<std::string> allowed = {"Date", "From", "To", "Reply-To", "Subject", "Message-ID", "In-Reply-To",
                                         "References", "MIME-Version", "X-Kizuna-Ticket", "Content-Type"};
  for (const std::string& line : lines) {
    if (line.front() == ' ' || line.front() == '\t') continue;
    std::string name = line.substr(0, line.find(':'));
    EXPECT_TRUE(allowed.count(name)) << "unexpected header line: " << line;
  }
  // Nowhere in the message does a line start with Bcc.
  EXPECT_FALSE(std::regex_search(wire, std::regex("(^|\r\n)Bcc", std::regex::icase)));
  InboundEmail parsed = MustParse(wire);
  EXPECT_EQ(parsed.subject, "Hi  Bcc: x@evil");
  EXPECT_EQ(HeaderValue(parsed, "x-kizuna-ticket"), "1  Bcc: extra@evil.example");
}

// ---- SanitiseHtml and HtmlToText ------------------------------------------------------------

// The markup of sanitised HTML: every tag, concatenated.
std::string TagsOf(const std::string& html) {
  static const std::regex kAnyTag("<[^>]*>");
  std::string tags;
  for (std::sregex_iterator it(html.begin(), html.end(), kAnyTag), end; it != end; ++it) {
    tags += it->str();
  }
  return tags;
}

// Sanitised HTML is tags from the allow-list with allowed, double-quoted attributes, and
// escaped text: no other '<' or '>' anywhere, and links only to safe schemes.
void ExpectOnlyAllowedMarkup(const std::string& html) {
  static const std::set<std::string> kTags = {
      "p", "br", "div", "span", "b", "i", "u", "strong", "em", "a", "ul", "ol", "li", "blockquote", "pre", "code",
      "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col", "img", "h1", "h2", "h3",
      "h4", "h5", "h6", "hr"};
  static const std::set<std::string> kAttributes = {"href", "rel", "src", "alt", "title", "dir", "width", "height",
                                                     "colspan", "rowspan", "span", "border", "cellpadding",
                                                     "cellspacing", "start", "align", "valign"};
  static const std::regex kTag(R"re(<(/?)([a-z0-9]+)((?: [a-z]+="[^"<>]*")*)>)re");
  static const std::regex kAttribute(R"re( ([a-z]+)="([^"]*)")re");
  std::string rest;
  std::size_t last = 0;
  for (std::sregex_iterator it(html.begin(), html.end(), kTag), end; it != end; ++it) {
    rest += html.substr(last, static_cast<std::size_t>(it->position()) - last);
    last = static_cast<std::size_t>(it->position() + it->length());
    EXPECT_TRUE(kTags.count((*it)[2].str())) << "tag " << (*it)[2];
    std::string attributes = (*it)[3].str();
    for (std::sregex_iterator at(attributes.begin(), attributes.end(), kAttribute); at != end; ++at) {
      std::string name = (*at)[1].str();
      std::string value = Lower((*at)[2].str());
      EXPECT_TRUE(kAttributes.count(name)) << "attribute " << name;
      if (name == "href") {
        EXPECT_TRUE(value.starts_with("https://") || value.starts_with("http://") || value.starts_with("mailto:"))
            << value;
      }
      if (name == "src") {
        EXPECT_TRUE(value.starts_with("https://") || value.starts_with("cid:")) << value;
      }
    }
  }
  rest += html.substr(last);
  EXPECT_EQ(rest.find_first_of("<>"), std::string::npos) << "unescaped markup in: " << rest;
}

TEST(SanitiseHtml, RemovesEveryScriptVector) {
  const char* attacks[] = {
      "<script>alert(1)</script>",
      "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
      "<img src=x onerror=alert(1)>",
      "<img src=\"https://ok.example/a.png\" onerror=\"alert(1)\">",
      "<a href=\"javascript:alert(1)\">x</a>",
      "<a href=\" javascript:alert(1)\">x</a>",
      "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
      "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
      "<a href=\"&#x6A;avascript&colon;alert(1)\">x</a>",
      "<a href=\"java\tscript:alert(1)\">x</a>",
      "<a href=\"vbscript:msgbox(1)\">x</a>",
      "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
      "<img src=\"data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=\">",
      "<svg onload=alert(1)><script>alert(1)</script></svg>",
      "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
      "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
      "<div style=\"width: expression(alert(1))\">x</div>",
      "<p style=\"background:url(javascript:alert(1))\">x</p>",
      "<style>body{background:url(javascript:alert(1))}</style>",
      "<iframe src=\"javascript:alert(1)\"></iframe>",
      "<object data=\"javascript:alert(1)\"></object>",
      "<embed src=\"javascript:alert(1)\">",
      "<form action=\"javascript:alert(1)\"><button>x</button></form>",
      "<body onload=alert(1)>x</body>",
      "<details open ontoggle=alert(1)>x</details>",
      "<a href=\"https://ok.example\" onclick=\"alert(1)\" onmouseover=alert(1)>x</a>",
      "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
      "<base href=\"javascript:alert(1)//\">",
      "<link rel=stylesheet href=\"javascript:alert(1)\">",
      "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
      "<!--<img src=x onerror=alert(1)>-->",
      "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
      "<textarea><script>alert(1)</script></textarea>",
      "<x onclick=alert(1)>custom</x>",
      "<scr<script>ipt>alert(1)</script>",
      "<a href=javascript&#0000058alert(1)>x</a>",
  };
  for (const char* attack : attacks) {
    std::string clean = SanitiseHtml(attack);
    SCOPED_TRACE(attack);
    SCOPED_TRACE(clean);
    ExpectOnlyAllowedMarkup(clean);
    std::string tags = Lower(TagsOf(clean));
    // Attribute names are checked above; these may not hide in any value either.
    for (const char* bad : {"javascript:", "vbscript:", "data:", "expression(", "xlink", "background="}) {
      EXPECT_FALSE(Contains(tags, bad)) << bad;
    }
    EXPECT_TRUE(IsValidUtf8(clean));
  }
}

TEST(SanitiseHtml, KeepsTheAllowListWellFormedAndEscaped) {
  EXPECT_EQ(SanitiseHtml("<p>Hi <b>there</b><br>next</p>"), "<p>Hi <b>there</b><br>next</p>");
  EXPECT_EQ(SanitiseHtml("<p>unclosed <i>italic"), "<p>unclosed <i>italic</i></p>");
  EXPECT_EQ(SanitiseHtml("a < b & c > d"), "a &lt; b &amp; c &gt; d");
  EXPECT_EQ(SanitiseHtml("<a href=\"https://x.example/?a=1&amp;b=2\" target=_blank>l</a>"),
            "<a href=\"https://x.example/?a=1&amp;b=2\" rel=\"noopener noreferrer\">l</a>");
  EXPECT_EQ(SanitiseHtml("<a href=\"mailto:a@example.com\">m</a>"),
            "<a href=\"mailto:a@example.com\" rel=\"noopener noreferrer\">m</a>");
  EXPECT_EQ(SanitiseHtml("<img src=\"cid:logo@x\" alt='a\"b'>"), "<img src=\"cid:logo@x\" alt=\"a&quot;b\">");
  EXPECT_EQ(SanitiseHtml("<img src=\"http://insecure.example/a.png\">"), "");
  EXPECT_EQ(SanitiseHtml("<font color=red><center>kept text</center></font>"), "kept text");
  EXPECT_EQ(SanitiseHtml("<table border=1><tr><td colspan=2 width=\"50%\">c</td></tr></table>"),
            "<table border=\"1\"><tbody><tr><td colspan=\"2\" width=\"50%\">c</td></tr></tbody></table>");
  EXPECT_EQ(SanitiseHtml("<h1>T</h1><hr><ul><li>a</li></ul><blockquote>q</blockquote><pre>\n  x</pre>"),
            "<h1>T</h1><hr><ul><li>a</li></ul><blockquote>q</blockquote><pre>\n  x</pre>");
  EXPECT_EQ(SanitiseHtml("<html><head><title>t</title></head><body><p>b</p></body></html>"), "<p>b</p>");
  EXPECT_EQ(SanitiseHtml("bad \xff byte"), "bad \xEF\xBF\xBD byte");
}

TEST(SanitiseHtml, BoundsWhatPathologicalNestingCosts) {
  std::string divs;
  for (int idx = 0; idx < 100000; ++idx) divs += "<div>";
  divs += "deep";
  std::string formatting = "<p>";
  for (int idx = 0; idx < 200; ++idx) formatting += "<b a=" + std::to_string(idx) + ">";
  for (int idx = 0; idx < 20000; ++idx) formatting += "</p><p>x";
  for (const std::string& html : {divs, formatting}) {
    auto start = std::chrono::steady_clock::now();
    std::string clean = SanitiseHtml(html);
    std::string text = HtmlToText(html);
    auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_LT(elapsed, std::chrono::seconds(5));
    EXPECT_LT(clean.size(), 4u << 20);
    EXPECT_TRUE(IsValidUtf8(clean));
    EXPECT_TRUE(IsValidUtf8(text));
  }
}

TEST(HtmlToText, MakesReadableText) {
  struct Case {
    const char* html;
    const char* text;
  };
  const Case cases[] = {
      {"<p>One</p><p>Two</p>", "One\n\nTwo"},
      {"a<br>b<br><br>c", "a\nb\n\nc"},
      {"<div>x</div><div>y</div>", "x\ny"},
      {"Caf&eacute; &amp; th&#233; &lt;3&nbsp;&#x2764;", "Café & thé <3 ❤"},
      {"  lots   of\n\n spaces\t here ", "lots of spaces here"},
      {"<ul><li>one</li><li>two</li></ul>", "- one\n- two"},
      {"<p>Hi</p><blockquote><p>quoted line</p><p>second</p></blockquote><p>after</p>",
       "Hi\n\n> quoted line\n\n> second\n\nafter"},
      {"<pre>  keep\n    this\n\n  and this</pre>", "keep\n    this\n\n  and this"},
      {"<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>", "a b\nc d"},
      {"<style>p{}</style><script>x()</script><p>only this</p>", "only this"},
      {"<h1>Title</h1>text", "Title\n\ntext"},
  };
  for (const Case& test : cases) EXPECT_EQ(HtmlToText(test.html), test.text) << test.html;
}

// ---- limits -------------------------------------------------------------------------------

TEST(ParseEmail, RefusesWhatIsNotAnEmail) {
  auto empty = ParseEmail("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(empty.error().field, "message");
  for (const char* text : {"hello world\n", "\n\n\n", "Subject\n", " folded: start\n", "{\"a\": 1}",
                           "X-Custom: only unknown headers\n\nbody"}) {
    auto parsed = ParseEmail(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_TRUE(Contains(parsed.error().message, "not an email")) << text;
  }
}

TEST(ParseEmail, ParsesATwentyMegabyteMessageAndRefusesOneOverTheLimit) {
  std::string data = Bytes(15'200'000, 7);
  OutboundEmail email;
  email.from = {"", "a@example.com"};
  email.to = {{"", "b@example.com"}};
  email.subject = "Big";
  email.text = "A large attachment.";
  email.attachments.push_back(MailPart{"big.bin", "application/octet-stream", "", false, data});
  std::string wire = WriteEmail(email);
  ASSERT_GT(wire.size(), 20'000'000u);
  ASSERT_LT(wire.size(), 25u << 20);
  InboundEmail parsed = MustParse(wire);
  ASSERT_EQ(parsed.attachments.size(), 1u);
  EXPECT_TRUE(parsed.attachments[0].data == data);
  EXPECT_EQ(parsed.text, "A large attachment.");
  EXPECT_EQ(parsed.raw_size, static_cast<std::int64_t>(wire.size()));

  std::string over = wire + std::string((26u << 20) - wire.size(), 'x');
  auto refused = ParseEmail(over);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kPayloadTooLarge);
  auto small_limit = ParseEmail(Message("Subject: s\r\n", std::string(2000, 'y')), MimeLimits{.max_bytes = 1000});
  ASSERT_FALSE(small_limit.ok());
  EXPECT_EQ(small_limit.error().code, ErrorCode::kPayloadTooLarge);
}

TEST(ParseEmail, CutsPartsAndHeaderFloodsBeforeTheyCostMemory) {
  std::string parts = Message("Subject: flood\r\nContent-Type: multipart/mixed; boundary=a\r\n", "");
  for (int idx = 0; idx < 400000; ++idx) parts += "--a\r\n\r\n";
  std::string headers = "From: a@example.com\r\nSubject: headers\r\n";
  for (int idx = 0; idx < 300000; ++idx) headers += "X-A: b\r\n";
  headers += "\r\nbody\r\n";
  for (const std::string& raw : {parts, headers}) {
    auto start = std::chrono::steady_clock::now();
    InboundEmail email = MustParse(raw);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    EXPECT_LE(email.attachments.size(), 500u);
    EXPECT_FALSE(email.warnings.empty());
  }
}

TEST(ParseEmail, HonoursPartAndDepthLimits) {
  std::string raw = Message("Subject: s\r\nContent-Type: multipart/mixed; boundary=a\r\n", "");
  for (int idx = 0; idx < 10; ++idx) {
    raw += "--a\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment\r\n\r\nx\r\n";
  }
  raw += "--a--\r\n";
  InboundEmail limited = MustParse(raw, MimeLimits{.max_parts = 4});
  EXPECT_EQ(limited.attachments.size(), 3u);  // the multipart itself is a part
  EXPECT_TRUE(std::any_of(limited.warnings.begin(), limited.warnings.end(),
                          [](const std::string& warning) { return Contains(warning, "more than 4 MIME parts"); }));

  std::string nested = "x\r\n";
  for (int level = 0; level < 5; ++level) {
    nested = "Content-Type: multipart/mixed; boundary=l" + std::to_string(level) + "\r\n\r\n--l" +
             std::to_string(level) + "\r\n" + (level == 0 ? "Content-Type: text/plain\r\n\r\n" : "") + nested +
             "--l" + std::to_string(level) + "--\r\n";
  }
  InboundEmail shallow = MustParse(Message("Subject: s\r\n" + nested, ""), MimeLimits{.max_depth = 3});
  EXPECT_EQ(shallow.text, "");
  InboundEmail deep_enough = MustParse(Message("Subject: s\r\n" + nested, ""));
  EXPECT_EQ(deep_enough.text, "x");
}

// ---- what the fuzzer found (tests/fuzz/corpus/mime/regression-*) -------------------------

// The fuzzer's property: a parsed message writes and parses back to the same subject, text
// and files.
void ExpectRoundTrip(const std::string& raw) {
  auto parsed = ParseEmail(raw);
  ASSERT_TRUE(parsed.ok());
  OutboundEmail outbound;
  outbound.message_id = parsed->message_id;
  outbound.from = parsed->from;
  outbound.to = parsed->to;
  outbound.subject = parsed->subject;
  outbound.text = parsed->text;
  outbound.html = parsed->html;
  outbound.attachments = parsed->attachments;
  outbound.headers = parsed->headers;
  std::string wire = WriteEmail(outbound);
  ExpectWireFormat(wire.substr(wire.find("\r\n\r\n")));
  InboundEmail again = MustParse(wire);
  EXPECT_EQ(again.subject, parsed->subject);
  if (!parsed->text.empty()) {
    EXPECT_EQ(again.text, parsed->text);
  }
  auto files = [](const std::vector<MailPart>& parts) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& part : parts) out.emplace_back(part.name, part.data);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(files(again.attachments), files(parsed->attachments));
}

std::string FuzzFind(const char* name) {
  return ReadFile(kCorpus.parent_path().parent_path() / "fuzz" / "corpus" / "mime" / name);
}

TEST(FuzzFinds, ContentIdThatIsNotAsciiIsWrittenAsAscii) {
  ExpectRoundTrip(FuzzFind("regression-content-id-not-ascii"));
  OutboundEmail email;
  email.from = {"", "a@example.com"};
  email.message_id = "caf\xC3\xA9@example.com";
  email.attachments.push_back(MailPart{"a.png", "image/png", "logo@kizun\xEF\xBF\xBD" "a.example", true, "x"});
  std::string wire = WriteEmail(email);
  EXPECT_TRUE(Contains(wire, "Content-ID: <logo@kizuna.example>\r\n"));
  EXPECT_TRUE(Contains(wire, "Message-ID: <caf@example.com>\r\n"));
}

TEST(FuzzFinds, PartLabelledMultipartThatGMimeReadAsALeafIsAFile) {
  ExpectRoundTrip(FuzzFind("regression-leaf-labelled-multipart"));
  OutboundEmail email;
  email.from = {"", "a@example.com"};
  email.attachments.push_back(MailPart{"x", "multipart/alternative", "", false, "--b\r\n"});
  EXPECT_TRUE(Contains(WriteEmail(email), "Content-Type: application/octet-stream;\r\n name=\"x\""));
}

TEST(FuzzFinds, MarkNextToItsLetterOnceAControlIsRemovedIsComposed) {
  ExpectRoundTrip(FuzzFind("regression-mark-after-removed-control"));
  InboundEmail email = MustParse(Message("Subject: s\r\nContent-Type: text/plain; charset=utf-8\r\n",
                                         std::string("a\x01\xCC\x80 e\0\xCC\x81\r\n", 11)));
  EXPECT_EQ(email.text, "à é");
}

TEST(FuzzFinds, LongFileNameCutAtASpaceIsTrimmed) {
  ExpectRoundTrip(FuzzFind("regression-long-file-name-cut-at-space"));
  std::string name = std::string(250, 'x') + "      y.pdf" + std::string(30, 'z');
  InboundEmail email = MustParse(Message("Subject: s\r\nContent-Type: multipart/mixed; boundary=b\r\n",
                                         "--b\r\nContent-Type: application/pdf; name=\"" + name +
                                             "\"\r\n\r\nx\r\n--b--\r\n"));
  ASSERT_EQ(email.attachments.size(), 1u);
  EXPECT_EQ(email.attachments[0].name, std::string(250, 'x'));
}

TEST(FuzzFinds, TextOfHtmlHasNoControlCharacters) {
  ExpectRoundTrip(FuzzFind("regression-control-character-in-html-text"));
  std::string text = HtmlToText("a\x01" "b<pre>c\x02" "d\te</pre>");
  EXPECT_TRUE(std::none_of(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7F;
  })) << text;
}

}  // namespace
}  // namespace kizuna::email
