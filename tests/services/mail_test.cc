// The email channel's use cases on a real SQLite store: ingesting parsed mail (threading,
// duplicates, noise, limits) and composing what goes out.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/blob/file_blob_store.h"
#include "adapters/crypto/sodium_crypto.h"
#include "fakes/temp_store.h"
#include "engines/local_time.h"
#include "services/directory.h"
#include "services/mail_ingest.h"
#include "services/mail_outbound.h"
#include "services/mailboxes.h"
#include "services/sla.h"
#include "services/tickets.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;

class MailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto_ = crypto::MakeSodiumCrypto(crypto::PasswordCost::kMinimum);
    std::string pattern = (std::filesystem::temp_directory_path() / "kizuna-blobs-XXXXXX").string();
    blob_dir_ = mkdtemp(pattern.data());
    blobs_ = std::move(blob::OpenFileBlobStore(blob_dir_).value());
    ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(Workspace w, services::CreateWorkspace(tx, services::WorkspaceInput{"mail"}, 1));
      ws_ = w.id;
      services::AgentInput agent{"ana@mail.test", "Ana", "agent", {"ja"}, ""};
      actor_ = services::Actor{w.id, "agent", 0, Role::kAdmin};
      KZ_ASSIGN(Agent a, services::CreateAgent(tx, actor_, agent, 1));
      actor_.id = a.id;
      services::MailboxInput box;
      box.address = "Support@Example.com";
      box.display_name = "Example Support";
      box.imap_folder = "INBOX";
      KZ_TRY(services::ValidateMailbox(box, true));
      KZ_ASSIGN(mailbox_, services::CreateMailbox(tx, *crypto_, actor_, box, 1));
      return Ok();
    }).ok());
    policy_.loop_marker = "mail.kizuna.test";
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(blob_dir_, ec);
  }

  Status Write(const ports::WriteFn& fn) { return db_.store().WriteAndWait(fn); }

  InboundEmail Mail(const std::string& message_id, const std::string& from, const std::string& subject,
                    const std::string& text) {
    InboundEmail email;
    email.message_id = message_id;
    email.from = MailAddress{"Kim Minji", from};
    email.to = {MailAddress{"", "support@example.com"}};
    email.subject = subject;
    email.text = text;
    return email;
  }

  services::IngestOutcome Ingest(const InboundEmail& email, std::vector<Attachment> files = {}) {
    services::IngestInput input{mailbox_, email, "rawdigest-" + email.message_id, std::move(files)};
    services::IngestOutcome outcome;
    Status s = Write([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(outcome, services::IngestEmail(tx, *crypto_, ws_, input, policy_, clock_.Now()));
      return Ok();
    });
    EXPECT_TRUE(s.ok()) << s.error().message;
    clock_.Advance(1000);
    return outcome;
  }

  template <typename T, typename Fn>
  T ReadValue(Fn fn) {
    T value{};
    EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(value, fn(tx));
      return Ok();
    }).ok());
    return value;
  }

  Ticket TicketById(TicketId id) {
    return ReadValue<Ticket>([&](ports::ReadTx& tx) { return tx.GetTicket(ws_, id); });
  }
  std::vector<Message> Messages(TicketId id) {
    return ReadValue<std::vector<Message>>([&](ports::ReadTx& tx) { return tx.ListMessages(ws_, id); });
  }
  std::vector<ports::OutboxJob> Outbox() {
    return ReadValue<std::vector<ports::OutboxJob>>([&](ports::ReadTx& tx) { return tx.ListOutbox(ws_, 100); });
  }
  std::vector<MailRejection> Rejections() {
    return ReadValue<std::vector<MailRejection>>([&](ports::ReadTx& tx) { return tx.ListMailRejections(ws_, 0, 100); });
  }
  std::int64_t TicketCount() {
    auto page = ReadValue<ports::TicketPage>([&](ports::ReadTx& tx) {
      ports::TicketFilter filter;
      filter.limit = 100;
      return tx.ListTickets(ws_, filter);
    });
    return static_cast<std::int64_t>(page.tickets.size());
  }

  std::optional<services::ComposedEmail> Compose(const ports::OutboxJob& job) {
    services::OutboundSettings settings;
    settings.loop_marker = policy_.loop_marker;
    settings.public_url = "https://help.example.com";
    std::optional<services::ComposedEmail> composed;
    Status s = db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(composed, services::ComposeEmail(tx, *blobs_, *crypto_, job, settings, clock_.Now()));
      return Ok();
    });
    EXPECT_TRUE(s.ok()) << s.error().message;
    return composed;
  }

  TempStore db_;
  FakeClock clock_;
  std::unique_ptr<ports::Crypto> crypto_;
  std::string blob_dir_;
  std::unique_ptr<ports::BlobStore> blobs_;
  WorkspaceId ws_ = 0;
  services::Actor actor_;
  Mailbox mailbox_;
  services::MailPolicy policy_;
};

TEST_F(MailTest, NewMailBecomesAnEmailTicketWithItsRequesterAndAnAcknowledgement) {
  auto outcome = Ingest(Mail("a1@mail.example.kr", "Minji@Example.kr", "Re: 환불 요청", "주문 번호 42 환불 부탁드립니다."));
  ASSERT_EQ(outcome.outcome, "ticket");
  Ticket t = TicketById(*outcome.ticket_id);
  EXPECT_EQ(t.channel, "email");
  EXPECT_EQ(t.subject, "환불 요청");
  EXPECT_EQ(t.requester_name, "Kim Minji");
  auto messages = Messages(t.id);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].external_id, "a1@mail.example.kr");
  auto jobs = Outbox();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].kind, "email");
  EXPECT_EQ(json::parse(jobs[0].payload)["template"], "ack");
}

TEST_F(MailTest, TheSameMessageTwiceIsTakenOnce) {
  auto first = Ingest(Mail("dup@x", "a@example.com", "Hello", "Body"));
  auto second = Ingest(Mail("dup@x", "a@example.com", "Hello", "Body"));
  EXPECT_EQ(first.outcome, "ticket");
  EXPECT_EQ(second.outcome, "duplicate");
  auto mailbox = ReadValue<Mailbox>([&](ports::ReadTx& tx) { return tx.GetMailbox(ws_, mailbox_.id); });
  EXPECT_EQ(mailbox.ingested, 1) << "the mailbox counts what it took, once";
  EXPECT_EQ(second.ticket_id, first.ticket_id);
  EXPECT_EQ(TicketCount(), 1);
  EXPECT_EQ(Outbox().size(), 1u);
}

TEST_F(MailTest, AReplyThreadsByInReplyToAndKeepsOnlyTheNewText) {
  auto first = Ingest(Mail("q1@example.jp", "taro@example.jp", "請求書について", "請求書の再発行をお願いします。"));
  ASSERT_EQ(first.outcome, "ticket");
  // The ticket is solved; the customer's answer reopens it.
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    services::UpdateTicketInput solve;
    solve.status = "solved";
    KZ_TRY(services::UpdateTicket(tx, actor_, *first.ticket_id, solve, clock_.Now()));
    return Ok();
  }).ok());
  auto reply = Mail("q2@example.jp", "taro@example.jp", "Re: 請求書について",
                    "ありがとうございます。届きました。\n\n2026年11月20日(金) 10:00 Example Support <support@example.com>:\n> "
                    "再発行しました。\n");
  reply.in_reply_to = "q1@example.jp";
  auto second = Ingest(reply);
  ASSERT_EQ(second.outcome, "message");
  EXPECT_EQ(second.ticket_id, first.ticket_id);
  auto messages = Messages(*first.ticket_id);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].body_text, "ありがとうございます。届きました。");
  EXPECT_NE(messages[1].body_full.find("再発行しました"), std::string::npos);
  EXPECT_EQ(TicketById(*first.ticket_id).status, TicketStatus::kOpen);
  EXPECT_EQ(Outbox().size(), 1u) << "an answer on a ticket is not acknowledged again";
}

TEST_F(MailTest, ASubjectReferenceThreadsOnlyForTheRequester) {
  auto first = Ingest(Mail("s1@x", "an@example.vn", "Đổi mật khẩu", "Tôi quên mật khẩu"));
  Ticket t = TicketById(*first.ticket_id);
  std::string ref = "Re: Đổi mật khẩu [#" + std::to_string(t.number) + "]";
  auto own = Ingest(Mail("s2@x", "AN@example.vn", ref, "Cảm ơn"));
  EXPECT_EQ(own.outcome, "message");
  EXPECT_EQ(own.ticket_id, first.ticket_id);
  auto stranger = Ingest(Mail("s3@x", "mallory@evil.example", ref, "let me in"));
  EXPECT_EQ(stranger.outcome, "ticket") << "someone else's mail never lands on a ticket by its number";
  EXPECT_NE(stranger.ticket_id, first.ticket_id);
}

TEST_F(MailTest, OurOwnMessageIdAndTheTicketReplyAddressThread) {
  auto first = Ingest(Mail("o1@x", "lee@example.kr", "배송 문의", "언제 도착하나요?"));
  Ticket t = TicketById(*first.ticket_id);
  auto by_id = Mail("o2@x", "lee@example.kr", "Re: 배송 문의", "감사합니다");
  by_id.in_reply_to = "kz." + std::to_string(ws_) + ".t" + std::to_string(t.id) + ".m5@mail.kizuna.test";
  EXPECT_EQ(Ingest(by_id).ticket_id, first.ticket_id);

  // A colleague copied in answers through the ticket's reply address.
  std::string tag = services::ReplyTag(*crypto_, mailbox_, t.number);
  auto colleague = Mail("o3@x", "park@example.kr", "Re: 배송 문의", "저도 궁금합니다");
  colleague.to = {MailAddress{"", "support+t" + std::to_string(t.number) + "-" + tag + "@example.com"}};
  auto added = Ingest(colleague);
  EXPECT_EQ(added.outcome, "message");
  EXPECT_EQ(added.ticket_id, first.ticket_id);

  auto forged = Mail("o4@x", "park@example.kr", "Re: 배송 문의", "guess");
  forged.to = {MailAddress{"", "support+t" + std::to_string(t.number) + "-000000000000@example.com"}};
  EXPECT_EQ(Ingest(forged).outcome, "ticket") << "a reply address with the wrong tag opens a new ticket";
}

TEST_F(MailTest, NoiseIsRecordedAndNeverAnswered) {
  auto auto_reply = Mail("n1@x", "away@example.com", "Out of Office: Re: Hello", "I am away");
  auto_reply.headers = {{"auto-submitted", "auto-replied"}};
  EXPECT_EQ(Ingest(auto_reply).outcome, "rejected");
  auto bounce = Mail("n2@x", "mailer-daemon@example.com", "Undelivered Mail Returned to Sender", "failed");
  bounce.headers = {{"content-type", "multipart/report; report-type=delivery-status"}};
  EXPECT_EQ(Ingest(bounce).outcome, "rejected");
  auto loop = Mail("n3@x", "support@example.com", "Re: [#1]", "ours");
  loop.headers = {{"x-kizuna-loop", services::LoopMarker(policy_.loop_marker)}};
  EXPECT_EQ(Ingest(loop).outcome, "rejected");
  auto bulk = Mail("n4@x", "news@example.com", "Our newsletter", "Deals");
  bulk.headers = {{"precedence", "bulk"}};
  auto bulk_outcome = Ingest(bulk);
  EXPECT_EQ(bulk_outcome.outcome, "ticket");
  EXPECT_EQ(TicketById(*bulk_outcome.ticket_id).tags, std::vector<std::string>{"bulk"});
  EXPECT_TRUE(Outbox().empty()) << "no automatic answer to noise";
  auto rejections = Rejections();
  ASSERT_EQ(rejections.size(), 3u);
  EXPECT_NE(rejections[0].reason.find("own"), std::string::npos);
  EXPECT_NE(rejections[2].reason.find("automatic reply"), std::string::npos);
  EXPECT_EQ(rejections[2].raw_sha256, "rawdigest-n1@x");
}

TEST_F(MailTest, AFloodingSenderIsLimitedAndWhatIsRefusedIsKept) {
  policy_.sender_hourly_limit = 3;
  for (int idx = 0; idx < 3; ++idx) {
    EXPECT_EQ(Ingest(Mail("f" + std::to_string(idx) + "@x", "flood@example.com", "spam", "x")).outcome, "ticket");
  }
  auto over = Ingest(Mail("f9@x", "flood@example.com", "spam", "x"));
  EXPECT_EQ(over.outcome, "rejected");
  EXPECT_NE(over.reason.find("within an hour"), std::string::npos);
  clock_.Advance(3'600'000);
  EXPECT_EQ(Ingest(Mail("f10@x", "flood@example.com", "later", "x")).outcome, "ticket");
}

TEST_F(MailTest, AnswersToAClosedTicketOpenANewOne) {
  auto first = Ingest(Mail("c1@x", "c@example.com", "Broken", "It broke"));
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    services::UpdateTicketInput close;
    close.status = "solved";
    KZ_TRY(services::UpdateTicket(tx, actor_, *first.ticket_id, close, clock_.Now()));
    close.status = "closed";
    KZ_TRY(services::UpdateTicket(tx, actor_, *first.ticket_id, close, clock_.Now()));
    return Ok();
  }).ok());
  auto again = Mail("c2@x", "c@example.com", "Re: Broken", "Still broken");
  again.in_reply_to = "c1@x";
  auto outcome = Ingest(again);
  EXPECT_EQ(outcome.outcome, "ticket");
  EXPECT_NE(outcome.ticket_id, first.ticket_id);
}

TEST_F(MailTest, FilesGoWithTheMessageAndAMessageWithoutIdIsKeyedByItsBytes) {
  auto digest = blobs_->Put("%PDF-1.4 invoice");
  ASSERT_TRUE(digest.ok());
  auto email = Mail("", "files@example.com", "", "");
  auto outcome = Ingest(email, {Attachment{0, "請求書.pdf", "application/pdf", 16, *digest},
                                Attachment{0, "", "image/png", 0, *digest}});
  ASSERT_EQ(outcome.outcome, "ticket");
  Ticket t = TicketById(*outcome.ticket_id);
  EXPECT_EQ(t.subject, "(no subject)");
  auto messages = Messages(t.id);
  ASSERT_EQ(messages[0].attachments.size(), 2u);
  EXPECT_EQ(messages[0].attachments[0].name, "請求書.pdf");
  EXPECT_EQ(messages[0].attachments[1].name, "attachment-2");
  EXPECT_EQ(messages[0].external_id, "sha256:rawdigest-");
}

TEST_F(MailTest, AnAgentReplyIsComposedAsAThreadedEmailToTheRequester) {
  auto first = Ingest(Mail("r1@example.kr", "minji@example.kr", "환불 요청", "환불해 주세요"));
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    services::AddMessageInput reply;
    reply.body = "환불 처리했습니다.";
    KZ_TRY(services::AddMessage(tx, actor_, *first.ticket_id, reply, clock_.Now()));
    return Ok();
  }).ok());
  auto jobs = Outbox();
  ASSERT_EQ(jobs.size(), 2u);
  ASSERT_EQ(jobs[0].kind, "reply");
  auto composed = Compose(jobs[0]);
  ASSERT_TRUE(composed.has_value());
  Ticket t = TicketById(*first.ticket_id);
  const OutboundEmail& email = composed->email;
  EXPECT_EQ(composed->recipients, std::vector<std::string>{"minji@example.kr"});
  EXPECT_EQ(composed->envelope_from, "support@example.com");
  EXPECT_EQ(email.from.name, "Example Support");
  EXPECT_EQ(email.subject, "Re: 환불 요청 [#" + std::to_string(t.number) + "]");
  EXPECT_EQ(email.in_reply_to, "r1@example.kr");
  ASSERT_TRUE(email.reply_to.has_value());
  EXPECT_EQ(email.reply_to->address, "support+t" + std::to_string(t.number) + "-" +
                                         services::ReplyTag(*crypto_, mailbox_, t.number) + "@example.com");
  EXPECT_NE(email.text.find("환불 처리했습니다."), std::string::npos);
  EXPECT_EQ(email.message_id.rfind("kz." + std::to_string(ws_) + ".t" + std::to_string(t.id) + ".", 0), 0u);
  bool loop_header = false;
  for (const auto& [name, value] : email.headers) loop_header |= name == "X-Kizuna-Loop";
  EXPECT_TRUE(loop_header);
  // The acknowledgement speaks the workspace's language and says it is automatic.
  auto ack = Compose(jobs[1]);
  ASSERT_TRUE(ack.has_value());
  EXPECT_NE(ack->email.text.find("#" + std::to_string(t.number)), std::string::npos);
  bool auto_submitted = false;
  for (const auto& [name, value] : ack->email.headers) auto_submitted |= name == "Auto-Submitted" && value == "auto-replied";
  EXPECT_TRUE(auto_submitted);
}

TEST_F(MailTest, TheAcknowledgementSaysWhenToExpectAReplyFromTheSlaPolicy) {
  services::SlaPolicyInput policy;
  policy.name = "Email first reply in 4 hours";
  policy.conditions = json{{"channels", {"email"}}};
  policy.targets = json::array({json{{"metric", "first_reply"}, {"minutes", 240}, {"clock", "calendar"}}});
  ASSERT_TRUE(services::ValidateSlaPolicy(policy, true).ok());
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    KZ_TRY(services::CreateSlaPolicy(tx, actor_, policy, clock_.Now()));
    return Ok();
  }).ok());
  auto outcome = Ingest(Mail("sla1@x", "due@example.com", "Help", "Please help"));
  Ticket t = TicketById(*outcome.ticket_id);
  ASSERT_TRUE(t.sla.has_value());
  auto jobs = Outbox();
  ASSERT_EQ(jobs.size(), 1u);
  auto ack = Compose(jobs[0]);
  ASSERT_TRUE(ack.has_value());
  // The workspace is in UTC and English: the first reply is due 4 hours after it arrived.
  std::string expected = FormatLocalTime(clock_.Now() - 1000 + 240 * 60'000, "UTC", "en");
  EXPECT_NE(ack->email.text.find("We will reply by " + expected + "."), std::string::npos) << ack->email.text;
}

TEST_F(MailTest, ARequesterWithoutEmailGetsNothingByEmail) {
  services::CreateTicketInput create;
  create.subject = "Phone call";
  create.body = "Called about billing";
  create.requester.phone = "+81 90 1234 5678";
  ASSERT_TRUE(services::ValidateCreateTicket(create).ok());
  Ticket t;
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(t, services::CreateTicket(tx, actor_, create, clock_.Now()));
    services::AddMessageInput reply;
    reply.body = "Called back";
    KZ_TRY(services::AddMessage(tx, actor_, t.id, reply, clock_.Now()));
    return Ok();
  }).ok());
  auto jobs = Outbox();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_FALSE(Compose(jobs[0]).has_value());
}

TEST_F(MailTest, MailboxPasswordsAreSealedAndAddressesValidated) {
  services::MailboxInput bad;
  bad.address = "support+x@example.com";
  EXPECT_EQ(services::ValidateMailbox(bad, true).error().field, "address");
  services::MailboxInput url;
  url.address = "help@example.com";
  url.imap_url = "http://example.com";
  EXPECT_EQ(services::ValidateMailbox(url, true).error().field, "imap_url");
  services::MailboxInput good;
  good.address = "help@example.com";
  good.imap_url = "imaps://imap.example.com:993";
  good.imap_password = "s3cret";
  ASSERT_TRUE(services::ValidateMailbox(good, true).ok());
  Mailbox created;
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(created, services::CreateMailbox(tx, *crypto_, actor_, good, 5));
    return Ok();
  }).ok());
  EXPECT_EQ(created.imap_password.find("s3cret"), std::string::npos);
  EXPECT_EQ(crypto_->Open(created.imap_password).value(), "s3cret");
  auto duplicate = Write([&](ports::WriteTx& tx) -> Status {
    KZ_TRY(services::CreateMailbox(tx, *crypto_, actor_, good, 6));
    return Ok();
  });
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
}

}  // namespace
}  // namespace kizuna::testing
