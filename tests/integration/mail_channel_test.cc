// The email channel end to end: the real kizuna binary polling a real dovecot over IMAP,
// sending through a real SMTP receiver, and taking mail from `kizuna mail-ingest`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness.h"
#include "mail_servers.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string Eml(const std::string& message_id, const std::string& from, const std::string& subject_header,
                const std::string& body, const std::string& extra_headers = "") {
  return "From: " + from + "\r\nTo: Example Support <support@example.com>\r\nSubject: " + subject_header +
         "\r\nMessage-ID: <" + message_id + ">\r\nDate: Mon, 23 Nov 2026 10:00:00 +0900\r\n" + extra_headers +
         "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
         body + "\r\n";
}

// The value of a header in a raw message (first occurrence, unfolded).
std::string RawHeader(const std::string& raw, const std::string& name) {
  std::istringstream in(raw);
  std::string line, value;
  bool found = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;
    if (found) {
      if (line[0] == ' ' || line[0] == '\t') {
        value += line;
        continue;
      }
      break;
    }
    if (line.size() > name.size() && strncasecmp(line.c_str(), (name + ":").c_str(), name.size() + 1) == 0) {
      value = line.substr(name.size() + 1);
      found = true;
    }
  }
  auto start = value.find_first_not_of(" \t");
  return start == std::string::npos ? "" : value.substr(start);
}

class MailChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    imap_.AddUser("support@example.com", "imap-pass");
    imap_.Start();
    smtp_.Start();
    server_ = std::make_unique<KizunaProcess>(std::vector<std::pair<std::string, std::string>>{
        {"KIZUNA_MAIL_SMTP_URL", smtp_.url()},
        {"KIZUNA_MAIL_DOMAIN", "mail.kizuna.test"},
        {"KIZUNA_MAIL_POLL_INTERVAL_SECONDS", "3600"},  // the test checks mailboxes itself
        {"KIZUNA_MAIL_MAX_MESSAGE_BYTES", "1048576"},
        {"KIZUNA_MAIL_SMTP_TIMEOUT_SECONDS", "1"}});
    server_->Start();
    token_ = server_->CreateWorkspaceWithToken("acme", "admin@acme.test", "admin,tickets:read,tickets:write");
    client_ = std::make_unique<Client>(server_->port());
    client_->set_token(token_);
  }

  json CreateMailbox(bool imap) {
    json body = {{"address", "support@example.com"}, {"display_name", "Acme Support"}};
    if (imap) {
      body["imap_url"] = imap_.url();
      body["imap_username"] = "support@example.com";
      body["imap_password"] = "imap-pass";
    }
    auto created = client_->Post("/api/v1/mailboxes", body);
    EXPECT_EQ(created.status, 201) << created.body;
    return created.Json();
  }

  json Check(std::int64_t mailbox_id) {
    auto checked = client_->Post("/api/v1/mailboxes/" + std::to_string(mailbox_id) + "/check", json::object());
    EXPECT_EQ(checked.status, 200) << checked.body;
    return checked.Json();
  }

  json EmailTickets() {
    auto listed = client_->Get("/api/v1/tickets?channel=email&limit=100");
    EXPECT_EQ(listed.status, 200) << listed.body;
    return listed.Json()["tickets"];
  }

  json MessagesOf(std::int64_t ticket_id) {
    auto listed = client_->Get("/api/v1/tickets/" + std::to_string(ticket_id) + "/messages");
    EXPECT_EQ(listed.status, 200) << listed.body;
    return listed.Json()["messages"];
  }

  DovecotServer imap_;
  SmtpReceiver smtp_;
  std::unique_ptr<KizunaProcess> server_;
  std::unique_ptr<Client> client_;
  std::string token_;
};

TEST_F(MailChannelTest, MailPolledOverImapBecomesATicketAndTheConversationGoesOnByEmail) {
  imap_.Deliver("support@example.com",
                Eml("first@mail.example.jp", "=?UTF-8?B?5bGx55Sw5aSq6YOO?= <taro@example.jp>",
                    "=?UTF-8?B?6KuL5rGC5pu444Gu5YaN55m66KGM?=", "請求書の再発行をお願いします。"));
  json mailbox = CreateMailbox(true);
  json checked = Check(mailbox["id"]);
  EXPECT_EQ(checked["taken"], 1) << checked.dump();
  EXPECT_EQ(checked["error"], "");
  // Marked seen only now that its ticket is durable.
  EXPECT_EQ(imap_.Flags("support@example.com"), std::vector<std::string>{"S"});

  json tickets = EmailTickets();
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets[0]["subject"], "請求書の再発行");
  const std::int64_t ticket_id = tickets[0]["id"];
  const std::int64_t number = tickets[0]["number"];

  // The acknowledgement goes out by SMTP, automatic and in reply to the customer's mail.
  ASSERT_TRUE(smtp_.WaitForMessages(1, 15s));
  auto ack = smtp_.Messages()[0];
  EXPECT_EQ(ack.rcpt_tos, std::vector<std::string>{"taro@example.jp"});
  EXPECT_EQ(RawHeader(ack.data, "Auto-Submitted"), "auto-replied");
  EXPECT_EQ(RawHeader(ack.data, "In-Reply-To"), "<first@mail.example.jp>");

  // An agent answers; the reply reaches the customer threaded, with the ticket's address.
  auto replied = client_->Post("/api/v1/tickets/" + std::to_string(ticket_id) + "/messages",
                               json{{"body", "再発行しました。ご確認ください。"}});
  ASSERT_EQ(replied.status, 201) << replied.body;
  ASSERT_TRUE(smtp_.WaitForMessages(2, 15s));
  auto reply = smtp_.Messages()[1];
  EXPECT_EQ(reply.mail_from, "support@example.com");
  EXPECT_NE(RawHeader(reply.data, "Subject").find("=?"), std::string::npos) << "a Japanese subject is encoded";
  std::string reply_to = RawHeader(reply.data, "Reply-To");
  EXPECT_NE(reply_to.find("support+t" + std::to_string(number) + "-"), std::string::npos) << reply_to;
  std::string our_id = RawHeader(reply.data, "Message-ID");
  ASSERT_FALSE(our_id.empty());
  EXPECT_NE(RawHeader(reply.data, "X-Kizuna-Loop"), "");

  // The customer answers the reply; the answer lands on the same ticket, quotes stripped.
  imap_.Deliver("support@example.com",
                Eml("second@mail.example.jp", "taro@example.jp", "Re: [#" + std::to_string(number) + "]",
                    "届きました。ありがとうございます。\r\n\r\n> 再発行しました。ご確認ください。",
                    "In-Reply-To: " + our_id + "\r\n"));
  EXPECT_EQ(Check(mailbox["id"])["taken"], 1);
  json messages = MessagesOf(ticket_id);
  ASSERT_EQ(messages.size(), 3u) << messages.dump();
  EXPECT_EQ(messages[2]["body"], "届きました。ありがとうございます。");
  EXPECT_NE(messages[2]["body_full"].get<std::string>().find("> 再発行しました"), std::string::npos);

  // The same message delivered again changes nothing.
  imap_.Deliver("support@example.com",
                Eml("second@mail.example.jp", "taro@example.jp", "Re: [#" + std::to_string(number) + "]", "届きました。"));
  EXPECT_EQ(Check(mailbox["id"])["taken"], 1);
  EXPECT_EQ(MessagesOf(ticket_id).size(), 3u);
  EXPECT_EQ(EmailTickets().size(), 1u);
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(smtp_.Messages().size(), 2u) << "no acknowledgement for an answer or a duplicate";
}

TEST_F(MailChannelTest, OneBadMessageNeverStopsAMailbox) {
  json mailbox = CreateMailbox(true);
  imap_.Deliver("support@example.com", "");  // zero bytes
  imap_.Deliver("support@example.com",
                Eml("huge@x", "big@example.com", "Huge", std::string(1'200'000, 'a')));  // over the 1 MiB limit
  imap_.Deliver("support@example.com", Eml("away@x", "away@example.com", "Out of Office", "I am away",
                                           "Auto-Submitted: auto-replied\r\n"));
  imap_.Deliver("support@example.com", Eml("good@x", "good@example.com", "Hello", "A real question"));
  json checked = Check(mailbox["id"]);
  EXPECT_EQ(checked["taken"], 4) << checked.dump();
  EXPECT_EQ(checked["error"], "");
  json tickets = EmailTickets();
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets[0]["subject"], "Hello");
  auto rejections = client_->Get("/api/v1/mail/rejections");
  ASSERT_EQ(rejections.status, 200);
  json list = rejections.Json()["rejections"];
  ASSERT_EQ(list.size(), 3u) << list.dump();
  std::string reasons;
  for (const auto& r : list) reasons += r["reason"].get<std::string>() + "\n";
  EXPECT_NE(reasons.find("automatic reply"), std::string::npos) << reasons;
  EXPECT_NE(reasons.find("MiB"), std::string::npos) << reasons;
  EXPECT_NE(reasons.find("not a readable email"), std::string::npos) << reasons;
  EXPECT_EQ(imap_.Flags("support@example.com"), (std::vector<std::string>{"S", "S", "S", "S"}));
}

TEST_F(MailChannelTest, AReplyWaitsOutAnSmtpOutageAndIsSentOnce) {
  CreateMailbox(false);
  smtp_.SetMode("tempfail");
  auto created = client_->Post("/api/v1/tickets", json{{"subject", "Order 42"},
                                                       {"body", "Where is it?"},
                                                       {"requester", {{"email", "kim@example.kr"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto replied = client_->Post("/api/v1/tickets/" + created.Json()["id"].dump() + "/messages",
                               json{{"body", "It ships today."}});
  ASSERT_EQ(replied.status, 201);
  std::this_thread::sleep_for(2s);
  EXPECT_TRUE(smtp_.Messages().empty());
  smtp_.SetMode("accept");
  ASSERT_TRUE(smtp_.WaitForMessages(1, 20s)) << "the outbox retries after the first delay";
  std::this_thread::sleep_for(2s);
  auto sent = smtp_.Messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(sent[0].data.find("It ships today."), std::string::npos);
}

TEST_F(MailChannelTest, ASlowRelayIsWaitedForAndARestartedOneIsTriedAgain_EachReplySentOnce) {
  CreateMailbox(false);
  auto created = client_->Post("/api/v1/tickets", json{{"subject", "Order 77"},
                                                       {"body", "Any news?"},
                                                       {"requester", {{"email", "lee@example.kr"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string messages = "/api/v1/tickets/" + created.Json()["id"].dump() + "/messages";
  // Slower than the connect timeout (1 s), well within the wait for a reply.
  smtp_.SetMode("slow 3");
  ASSERT_EQ(client_->Post(messages, json{{"body", "Slow but sure."}}).status, 201);
  ASSERT_TRUE(smtp_.WaitForMessages(1, 15s));
  smtp_.SetMode("accept");
  // Down, then back: the reply waits in the outbox and goes once the relay answers.
  smtp_.Stop();
  ASSERT_EQ(client_->Post(messages, json{{"body", "After the restart."}}).status, 201);
  std::this_thread::sleep_for(2s);
  smtp_.Restart();
  ASSERT_TRUE(smtp_.WaitForMessages(2, 20s));
  std::this_thread::sleep_for(7s);  // past the first retry: nothing is sent again
  auto sent = smtp_.Messages();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(sent[0].data.find("Slow but sure."), std::string::npos);
  EXPECT_NE(sent[1].data.find("After the restart."), std::string::npos);
}

TEST_F(MailChannelTest, MailIngestTakesTheCorpusFromAnMtaPipe) {
  CreateMailbox(false);
  EXPECT_EQ(server_->Cli({"mail-ingest", "--workspace", "nobody"}, Eml("x@x", "a@example.com", "Hi", "Hi")).exit_code,
            67);
  EXPECT_EQ(server_->Cli({"mail-ingest", "--workspace", "acme", "--mailbox", "other@example.com"},
                         Eml("x@x", "a@example.com", "Hi", "Hi"))
                .exit_code,
            67);
  std::map<std::string, int> outcomes;
  int files = 0;
  // What each corpus message is (tests/data/email/expected.json "intent"), and so what it
  // must become: automatic mail, bounces and what is no email at all are recorded
  // rejections; people's mail (new, answers, forwards, bulk) a ticket or a message — or a
  // rejection when it names no sender we could answer.
  std::ifstream expected_file(std::string(KIZUNA_EMAIL_CORPUS) + "/expected.json");
  json expected = json::parse(expected_file);
  std::vector<std::filesystem::path> paths;
  std::map<std::string, json> expectation;
  for (const auto& e : expected) expectation[e["file"].get<std::string>()] = e;
  for (const auto& entry : std::filesystem::directory_iterator(KIZUNA_EMAIL_CORPUS)) {
    if (entry.path().extension() == ".eml") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  ASSERT_GE(paths.size(), 50u);
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto result = server_->Cli({"mail-ingest", "--workspace", "acme"}, raw);
    EXPECT_EQ(result.exit_code, 0) << path << ": " << result.out;
    std::string outcome = result.out.substr(0, result.out.find_first_of(" \n:"));
    outcomes[outcome] += 1;
    ++files;
    ASSERT_TRUE(expectation.count(path.filename().string())) << path;
    const json& e = expectation[path.filename().string()];
    const std::string intent = e.value("intent", "");
    const bool noise = intent == "auto-reply" || intent == "bounce" || intent.empty();
    const bool answerable = RawHeader(raw, "From").find('@') != std::string::npos;
    if (noise || !answerable) {
      EXPECT_EQ(outcome, "rejected") << path << " (" << intent << "): " << result.out;
    } else {
      EXPECT_TRUE(outcome == "ticket" || outcome == "message" || outcome == "duplicate")
          << path << " (" << intent << "): " << result.out;
    }
  }
  std::string summary;
  for (const auto& [name, count] : outcomes) summary += name + "=" + std::to_string(count) + " ";
  std::cout << "mail-ingest of " << files << " corpus messages: " << summary << "\n";
  EXPECT_GT(outcomes["ticket"], 20) << summary;
  EXPECT_GT(outcomes["rejected"], 2) << summary;
  // Delivering the whole corpus again makes nothing new.
  auto before = client_->Get("/api/v1/tickets?limit=100").Json()["tickets"].size();
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto result = server_->Cli({"mail-ingest", "--workspace", "acme"}, raw);
    EXPECT_EQ(result.exit_code, 0) << path;
    EXPECT_EQ(result.out.rfind("duplicate", 0), 0u) << path << ": " << result.out;
  }
  EXPECT_EQ(client_->Get("/api/v1/tickets?limit=100").Json()["tickets"].size(), before);
  EXPECT_TRUE(server_->Running());
}

TEST_F(MailChannelTest, MailIngestAsksTheMailServerToRetryWhileTheDatabaseIsBusy) {
  CreateMailbox(false);
  // Another process holds the database's write lock longer than Kizuna waits for it.
  auto lock = std::make_unique<DatabaseWriteLock>(*server_);
  const std::string mail = Eml("busy@x", "busy@example.com", "Are you there?", "Hello");
  auto busy = server_->Cli({"mail-ingest", "--workspace", "acme"}, mail);
  EXPECT_EQ(busy.exit_code, 75) << busy.out;  // EX_TEMPFAIL: the MTA keeps the message
  lock.reset();
  auto taken = server_->Cli({"mail-ingest", "--workspace", "acme"}, mail);
  EXPECT_EQ(taken.exit_code, 0) << taken.out;
  EXPECT_EQ(taken.out.rfind("ticket", 0), 0u) << taken.out;
}

}  // namespace
}  // namespace kizuna::testing
