// The email transports against real servers: ImapSession against dovecot, SendMail
// against aiosmtpd (tests/integration/smtp_receiver.py).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/channels/email/imap_client.h"
#include "adapters/channels/email/smtp_sender.h"
#include "mail_servers.h"

namespace kizuna::email {
namespace {

using kizuna::testing::DovecotServer;
using kizuna::testing::SmtpReceiver;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string Describe(const Error& error) {
  return std::string(ErrorCodeName(error.code)) + " [" + error.field + "] " + error.message;
}

// A socket that listens on 127.0.0.1 and never accepts: connections complete (the
// kernel's backlog) and then hear nothing.
class SilentListener {
 public:
  SilentListener() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    listen(fd_, 16);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~SilentListener() { close(fd_); }
  unsigned short port() const { return port_; }
  // True when someone connected since the last call.
  bool Connected() {
    bool any = false;
    for (int client; (client = accept(fd_, nullptr, nullptr)) >= 0;) {
      close(client);
      any = true;
    }
    return any;
  }

 private:
  int fd_ = -1;
  unsigned short port_ = 0;
};

const std::string kPlainMessage =
    "From: Ana <ana@example.com>\r\n"
    "To: support@example.com\r\n"
    "Subject: Where is my order?\r\n"
    "Message-ID: <plain-1@example.com>\r\n"
    "\r\n"
    "Hello, my order has not arrived.\r\n";

// 8-bit UTF-8 in headers and body, as many Japanese mailers send it.
const std::string kJapaneseMessage =
    "From: =?UTF-8?B?55Sw5Lit?= <tanaka@example.jp>\r\n"
    "To: support@example.com\r\n"
    "Subject: 返金について\r\n"
    "Message-ID: <ja-1@example.jp>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "返金をお願いします。注文番号は１２３４５です。\r\n"
    "よろしくお願いいたします。\r\n";

// Lines that look like IMAP protocol: a parser that does not count literal bytes
// would stop early or misread these.
const std::string kProtocolLookingBody =
    "K5 OK Fetch completed.\r\n"
    "A004 OK gotcha\r\n"
    "* 1 FETCH (UID 99 BODY[] {3}\r\n"
    ")\r\n"
    "+ continue\r\n"
    "a line ending in a literal marker {12}\r\n";

std::string LargeMessage(std::size_t target_size) {
  std::mt19937 random(42);
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string message =
      "From: Ana <ana@example.com>\r\nTo: support@example.com\r\nSubject: big attachment\r\n"
      "Message-ID: <big-1@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n";
  message += kProtocolLookingBody;
  while (message.size() < target_size) {
    for (int char_idx = 0; char_idx < 76; ++char_idx) message += kAlphabet[random() % 64];
    message += "\r\n";
  }
  return message;
}

class ImapSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.AddUser("ana", "secret");
    server_.Start();
  }

  ImapAccount Account(const std::string& folder = "INBOX") const {
    ImapAccount account;
    account.url = server_.url();
    account.username = "ana";
    account.password = "secret";
    account.folder = folder;
    account.timeout_seconds = 5;
    return account;
  }

  DovecotServer server_;
};

TEST(ImapTlsTest, ImapsAndStartTlsWorkAndAnUntrustedCertificateIsRefused) {
  DovecotServer server;
  server.AddUser("tls@example.com", "tls-pass");
  server.EnableTls();
  server.Start();
  const std::string message = "From: a@example.com\r\nSubject: TLS\r\nMessage-ID: <tls@x>\r\n\r\nOver TLS\r\n";
  server.Deliver("tls@example.com", message);
  for (const std::string& url : {server.tls_url(), server.url()}) {  // implicit TLS, then STARTTLS
    SCOPED_TRACE(url);
    ImapAccount account;
    account.url = url;
    account.username = "tls@example.com";
    account.password = "tls-pass";
    account.verify_tls = false;  // self-signed
    ImapSession session(account);
    auto state = session.Select();
    ASSERT_TRUE(state.ok()) << state.error().message;
    auto listed = session.ListFrom(1, 10);
    ASSERT_TRUE(listed.ok()) << listed.error().message;
    ASSERT_EQ(listed->size(), 1u);
    auto raw = session.Fetch((*listed)[0].uid);
    ASSERT_TRUE(raw.ok()) << raw.error().message;
    EXPECT_EQ(*raw, message);
  }
  ImapAccount strict;
  strict.url = server.tls_url();
  strict.username = "tls@example.com";
  strict.password = "tls-pass";
  strict.timeout_seconds = 5;
  ImapSession session(strict);
  auto refused = session.Select();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable) << refused.error().message;
}

TEST_F(ImapSessionTest, SelectGivesUidValidityAndUidNext) {
  server_.Deliver("ana", kPlainMessage);
  server_.Deliver("ana", kJapaneseMessage);
  ImapSession session(Account());
  auto state = session.Select();
  ASSERT_TRUE(state.ok()) << Describe(state.error());
  EXPECT_NE(state->uidvalidity, 0u);
  EXPECT_EQ(state->uidnext, 3u);

  auto again = ImapSession(Account()).Select();
  ASSERT_TRUE(again.ok()) << Describe(again.error());
  EXPECT_EQ(again->uidvalidity, state->uidvalidity);
}

TEST_F(ImapSessionTest, ListsAndFetchesExactBytes) {
  const std::vector<std::string> messages = {kPlainMessage, kJapaneseMessage,
                                             kPlainMessage + kProtocolLookingBody + "end\r\n",
                                             LargeMessage(5 * 1024 * 1024)};
  for (const auto& message : messages) server_.Deliver("ana", message);
  ImapSession session(Account());
  ASSERT_TRUE(session.Select().ok());
  auto listed = session.ListFrom(1, 10);
  ASSERT_TRUE(listed.ok()) << Describe(listed.error());
  ASSERT_EQ(listed->size(), messages.size());
  for (std::size_t message_idx = 0; message_idx < messages.size(); ++message_idx) {
    const ImapMessageInfo& info = (*listed)[message_idx];
    EXPECT_EQ(info.uid, message_idx + 1);
    EXPECT_EQ(info.size, static_cast<std::int64_t>(messages[message_idx].size()));
    auto raw = session.Fetch(info.uid);
    ASSERT_TRUE(raw.ok()) << Describe(raw.error());
    EXPECT_EQ(raw->size(), messages[message_idx].size());
    EXPECT_TRUE(*raw == messages[message_idx]) << "message " << message_idx << " differs";
  }
  // The connection is still in step after the literals: another command works.
  auto unseen = session.ListUnseen(10);
  ASSERT_TRUE(unseen.ok()) << Describe(unseen.error());
  EXPECT_EQ(unseen->size(), messages.size());
}

TEST_F(ImapSessionTest, FetchLeavesSeenAloneAndMarkSeenSetsIt) {
  server_.Deliver("ana", kPlainMessage);
  server_.Deliver("ana", kJapaneseMessage);
  ImapSession session(Account());
  ASSERT_TRUE(session.Select().ok());
  ASSERT_TRUE(session.Fetch(1).ok());
  ASSERT_TRUE(session.Fetch(2).ok());
  EXPECT_EQ(server_.Flags("ana"), (std::vector<std::string>{"", ""}));
  auto unseen = session.ListUnseen(10);
  ASSERT_TRUE(unseen.ok());
  EXPECT_EQ(unseen->size(), 2u);

  ASSERT_TRUE(session.MarkSeen(1).ok());
  EXPECT_EQ(server_.Flags("ana"), (std::vector<std::string>{"S", ""}));
  unseen = session.ListUnseen(10);
  ASSERT_TRUE(unseen.ok());
  ASSERT_EQ(unseen->size(), 1u);
  EXPECT_EQ((*unseen)[0].uid, 2u);
  EXPECT_TRUE(session.MarkSeen(99).ok()) << "a vanished message is not an error";
}

TEST_F(ImapSessionTest, ListUnseenSkipsSeenAndDeletedAndHonoursTheLimit) {
  server_.Deliver("ana", kPlainMessage, "INBOX", "S");
  server_.Deliver("ana", kPlainMessage, "INBOX", "T");  // maildir's \Deleted
  server_.Deliver("ana", kPlainMessage);
  server_.Deliver("ana", kPlainMessage);
  ImapSession session(Account());
  auto unseen = session.ListUnseen(1);
  ASSERT_TRUE(unseen.ok()) << Describe(unseen.error());
  ASSERT_EQ(unseen->size(), 1u);
  EXPECT_EQ((*unseen)[0].uid, 3u);
  unseen = session.ListUnseen(10);
  ASSERT_TRUE(unseen.ok());
  EXPECT_EQ(unseen->size(), 2u);
}

TEST_F(ImapSessionTest, ListFromStartsAtTheUidAndEndsAfterTheLast) {
  for (int message_idx = 0; message_idx < 3; ++message_idx) server_.Deliver("ana", kPlainMessage);
  ImapSession session(Account());
  ASSERT_TRUE(session.Select().ok());
  struct Case {
    std::uint32_t first_uid;
    int limit;
    std::vector<std::uint32_t> uids;
  };
  for (const Case& test : std::vector<Case>{{0, 10, {1, 2, 3}},
                                            {1, 2, {1, 2}},
                                            {2, 10, {2, 3}},
                                            {3, 10, {3}},
                                            {4, 10, {}},  // "4:*" matches uid 3 on the server
                                            {1000, 10, {}}}) {
    auto listed = session.ListFrom(test.first_uid, test.limit);
    ASSERT_TRUE(listed.ok()) << Describe(listed.error());
    std::vector<std::uint32_t> uids;
    for (const auto& info : *listed) uids.push_back(info.uid);
    EXPECT_EQ(uids, test.uids) << "from " << test.first_uid << " limit " << test.limit;
  }
  EXPECT_EQ(session.ListFrom(1, 0).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(ImapSessionTest, ListsManyScatteredMessages) {
  for (int message_idx = 1; message_idx <= 1001; ++message_idx) {
    server_.Deliver("ana", kPlainMessage, "INBOX", message_idx % 2 == 0 ? "T" : "");
  }
  ImapSession session(Account());
  auto listed = session.ListFrom(1, 5000);
  ASSERT_TRUE(listed.ok()) << Describe(listed.error());
  ASSERT_EQ(listed->size(), 501u);  // two batches of UID FETCH
  for (std::size_t listed_idx = 0; listed_idx < listed->size(); ++listed_idx) {
    EXPECT_EQ((*listed)[listed_idx].uid, 2 * listed_idx + 1);
    EXPECT_EQ((*listed)[listed_idx].size, static_cast<std::int64_t>(kPlainMessage.size()));
  }
  auto unseen = session.ListUnseen(450);
  ASSERT_TRUE(unseen.ok()) << Describe(unseen.error());
  EXPECT_EQ(unseen->size(), 450u);
}

TEST_F(ImapSessionTest, FetchOfAMissingUidIsNotFound) {
  server_.Deliver("ana", kPlainMessage);
  ImapSession session(Account());
  auto raw = session.Fetch(7);
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error().code, ErrorCode::kNotFound) << Describe(raw.error());
}

TEST_F(ImapSessionTest, MoveToMovesTheMessage) {
  server_.CreateFolder("ana", "Processed");
  server_.Deliver("ana", kPlainMessage);
  server_.Deliver("ana", kJapaneseMessage);
  ImapSession session(Account());
  ASSERT_TRUE(session.Select().ok());
  auto moved = session.MoveTo(2, "Processed");
  ASSERT_TRUE(moved.ok()) << Describe(moved.error());
  EXPECT_EQ(server_.Count("ana", "INBOX"), 1u);
  EXPECT_EQ(server_.Count("ana", "Processed"), 1u);

  ImapSession processed(Account("Processed"));
  auto listed = processed.ListFrom(1, 10);
  ASSERT_TRUE(listed.ok()) << Describe(listed.error());
  ASSERT_EQ(listed->size(), 1u);
  auto raw = processed.Fetch((*listed)[0].uid);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(*raw, kJapaneseMessage);

  auto missing = session.MoveTo(1, "NoSuchFolder");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound) << Describe(missing.error());
  EXPECT_EQ(server_.Count("ana", "INBOX"), 1u);
}

TEST_F(ImapSessionTest, FoldersWithJapaneseNamesAreSentAsModifiedUtf7) {
  server_.CreateFolder("ana", "&UeZ0Bm4IMH8-");  // 処理済み
  server_.Deliver("ana", kPlainMessage);
  ImapSession session(Account());
  ASSERT_TRUE(session.MoveTo(1, "処理済み").ok());
  ImapSession japanese(Account("処理済み"));
  auto listed = japanese.ListFrom(1, 10);
  ASSERT_TRUE(listed.ok()) << Describe(listed.error());
  EXPECT_EQ(listed->size(), 1u);

  for (const std::string& bad : {std::string("a\r\nK9 LOGOUT"), std::string("\xff\xfe"), std::string()}) {
    auto refused = ImapSession(Account(bad)).Select();
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument) << Describe(refused.error());
  }
}

TEST_F(ImapSessionTest, UnknownFolderIsNotFound) {
  auto state = ImapSession(Account("Nope")).Select();
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.error().code, ErrorCode::kNotFound) << Describe(state.error());
}

TEST_F(ImapSessionTest, WrongPasswordIsUnauthenticated) {
  ImapAccount account = Account();
  account.password = "wrong";
  auto state = ImapSession(account).Select();
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.error().code, ErrorCode::kUnauthenticated) << Describe(state.error());
  EXPECT_EQ(state.error().message, "IMAP login failed for ana@127.0.0.1");

  auto start = Clock::now();
  auto right = ImapSession(Account()).Select();
  EXPECT_TRUE(right.ok()) << Describe(right.error());
  EXPECT_LT(SecondsSince(start), 1.5) << "the test server must not penalise the next login";
}

TEST_F(ImapSessionTest, StoppedServerIsUnavailableAndTheSessionRecoversAfterRestart) {
  server_.Deliver("ana", kPlainMessage);
  ImapSession session(Account());
  ASSERT_TRUE(session.Select().ok());
  server_.Stop();

  auto start = Clock::now();
  auto raw = session.Fetch(1);
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error().code, ErrorCode::kUnavailable) << Describe(raw.error());
  auto fresh = ImapSession(Account()).Select();
  ASSERT_FALSE(fresh.ok());
  EXPECT_EQ(fresh.error().code, ErrorCode::kUnavailable) << Describe(fresh.error());
  EXPECT_LT(SecondsSince(start), 5.0);

  server_.Restart();
  raw = session.Fetch(1);  // reconnects and selects again
  ASSERT_TRUE(raw.ok()) << Describe(raw.error());
  EXPECT_EQ(*raw, kPlainMessage);
}

TEST_F(ImapSessionTest, ChangedUidValidityAfterReconnectIsAConflict) {
  server_.Deliver("ana", kPlainMessage);
  ImapSession session(Account());
  ASSERT_TRUE(session.Select().ok());
  server_.Stop();
  // Without its uid list and indexes dovecot numbers the folder anew.
  for (const auto& entry : std::filesystem::directory_iterator(server_.dir() + "/mail/ana")) {
    if (entry.path().filename().string().rfind("dovecot", 0) == 0) std::filesystem::remove(entry.path());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // UIDVALIDITY is a time in seconds
  server_.Start();
  // The first call finds the old connection gone; the next reconnects and notices.
  auto raw = session.Fetch(1);
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error().code, ErrorCode::kUnavailable) << Describe(raw.error());
  raw = session.Fetch(1);
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error().code, ErrorCode::kConflict) << Describe(raw.error());
  EXPECT_EQ(session.ListFrom(1, 10).error().code, ErrorCode::kConflict) << "until the caller selects again";

  auto state = session.Select();
  ASSERT_TRUE(state.ok()) << Describe(state.error());
  raw = session.Fetch(1);
  ASSERT_TRUE(raw.ok()) << Describe(raw.error());
  EXPECT_EQ(*raw, kPlainMessage);
}

TEST_F(ImapSessionTest, SilentServerTimesOut) {
  SilentListener silent;
  ImapAccount account = Account();
  account.url = "imap://127.0.0.1:" + std::to_string(silent.port());
  account.timeout_seconds = 1;
  auto start = Clock::now();
  auto state = ImapSession(account).Select();
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.error().code, ErrorCode::kUnavailable) << Describe(state.error());
  EXPECT_LT(SecondsSince(start), 3.0);
}

TEST_F(ImapSessionTest, BadUrlIsInvalid) {
  ImapAccount account = Account();
  account.url = "http://127.0.0.1:1";
  auto state = ImapSession(account).Select();
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(state.error().field, "url");
}

TEST_F(ImapSessionTest, FiftySessionsFromEightThreads) {
  const std::vector<std::string> messages = {kPlainMessage, kJapaneseMessage, LargeMessage(200 * 1024)};
  for (const auto& message : messages) server_.Deliver("ana", message);
  std::atomic<int> next_session{0};
  std::atomic<int> succeeded{0};
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  auto work = [&] {
    for (int session_idx; (session_idx = next_session++) < 50;) {
      ImapSession session(Account());
      auto listed = session.ListFrom(1, 10);
      std::string failure;
      if (!listed.ok()) {
        failure = Describe(listed.error());
      } else if (listed->size() != messages.size()) {
        failure = "listed " + std::to_string(listed->size());
      } else {
        std::size_t pick = static_cast<std::size_t>(session_idx) % messages.size();
        auto raw = session.Fetch((*listed)[pick].uid);
        if (!raw.ok()) {
          failure = Describe(raw.error());
        } else if (*raw != messages[pick]) {
          failure = "wrong bytes for message " + std::to_string(pick);
        }
      }
      if (failure.empty()) {
        ++succeeded;
      } else {
        std::lock_guard lock(failures_mutex);
        failures.push_back(failure);
      }
    }
  };
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < 8; ++thread_idx) threads.emplace_back(work);
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(succeeded.load(), 50);
  for (const auto& failure : failures) ADD_FAILURE() << failure;
  EXPECT_EQ(server_.Flags("ana"), (std::vector<std::string>{"", "", ""}));
}

// Servers without MOVE: COPY, \Deleted, then UID EXPUNGE (UIDPLUS) or EXPUNGE.
class ImapServerWithoutMove : public ImapSessionTest, public ::testing::WithParamInterface<const char*> {
 protected:
  void SetUp() override {
    server_.SetImapCapability(GetParam());
    ImapSessionTest::SetUp();
  }
};

TEST_P(ImapServerWithoutMove, MoveToCopiesThenExpunges) {
  server_.CreateFolder("ana", "Processed");
  server_.Deliver("ana", kPlainMessage);
  server_.Deliver("ana", kJapaneseMessage);
  server_.Deliver("ana", kPlainMessage, "INBOX", "T");  // already \Deleted by someone else
  ImapSession session(Account());
  auto moved = session.MoveTo(1, "Processed");
  ASSERT_TRUE(moved.ok()) << Describe(moved.error());
  EXPECT_EQ(server_.Count("ana", "Processed"), 1u);
  // UID EXPUNGE removes just the moved message; a plain EXPUNGE also the other \Deleted one.
  bool uidplus = std::string(GetParam()).find("UIDPLUS") != std::string::npos;
  EXPECT_EQ(server_.Count("ana", "INBOX"), uidplus ? 2u : 1u);
  auto listed = session.ListFrom(1, 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].uid, 2u);
  EXPECT_EQ(session.MoveTo(2, "Missing").error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Capabilities, ImapServerWithoutMove,
                         ::testing::Values("IMAP4rev1 LITERAL+ SASL-IR", "IMAP4rev1 LITERAL+ SASL-IR UIDPLUS"));

// An IMAP server that lets libcurl log in and then answers SELECT and UID FETCH from a
// script, to feed ImapSession the odd output real servers are allowed (or not) to send.
class ScriptedImapServer {
 public:
  struct Answer {
    std::string bytes;  // "TAG" is replaced by the command's tag; empty: the default
    bool close_after = false;
  };
  using Script = std::function<Answer(const std::string& command)>;

  explicit ScriptedImapServer(Script script) : script_(std::move(script)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    listen(listen_fd_, 16);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~ScriptedImapServer() {
    stop_ = true;
    thread_.join();
    close(listen_fd_);
  }
  std::string url() const { return "imap://127.0.0.1:" + std::to_string(port_); }

 private:
  static void SendAll(int fd, const std::string& bytes) {
    for (std::size_t sent = 0; sent < bytes.size();) {
      ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  void Serve() {
    while (!stop_) {
      pollfd poll_fd{listen_fd_, POLLIN, 0};
      if (poll(&poll_fd, 1, 50) <= 0) continue;
      int client = accept(listen_fd_, nullptr, nullptr);
      if (client < 0) continue;
      Converse(client);
      close(client);
    }
  }

  void Converse(int client) {
    SendAll(client, "* OK IMAP4rev1 scripted server ready\r\n");
    std::string pending;
    char buffer[4096];
    while (!stop_) {
      auto end = pending.find("\r\n");
      if (end == std::string::npos) {
        pollfd poll_fd{client, POLLIN, 0};
        if (poll(&poll_fd, 1, 50) <= 0) continue;
        ssize_t n = recv(client, buffer, sizeof buffer, 0);
        if (n <= 0) return;
        pending.append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      std::string line = pending.substr(0, end);
      pending.erase(0, end + 2);
      std::string tag = line.substr(0, line.find(' '));
      std::string command = line.substr(tag.size() + 1);
      Answer answer;
      if (command == "CAPABILITY") {
        answer.bytes = "* CAPABILITY IMAP4rev1\r\nTAG OK done\r\n";
      } else if (command.rfind("LOGIN ", 0) == 0) {
        answer.bytes = "TAG OK logged in\r\n";
      } else if (command == "LOGOUT") {
        answer = {"* BYE bye\r\nTAG OK done\r\n", true};
      } else {
        answer = script_(command);
        if (answer.bytes.empty() && command.rfind("SELECT ", 0) == 0) {
          answer.bytes = "* 1 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT 2] ok\r\nTAG OK [READ-WRITE] done\r\n";
        }
      }
      for (std::size_t at; (at = answer.bytes.find("TAG")) != std::string::npos;) answer.bytes.replace(at, 3, tag);
      SendAll(client, answer.bytes);
      if (answer.close_after) return;
    }
  }

  Script script_;
  int listen_fd_ = -1;
  unsigned short port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(ImapResponses, OddButValidAnswersAreUnderstoodAndBadOnesAreErrorsNotCrashes) {
  struct Case {
    const char* name;
    std::string answer;
    bool close_after;
    std::optional<std::string> body;  // nullopt: an error is expected
    ErrorCode code = ErrorCode::kInternal;
  };
  const std::string deep(2000, '(');
  const std::vector<Case> cases = {
      {"attributes in another order", "* 1 FETCH (BODY[] {5}\r\nhello UID 1)\r\nTAG OK done\r\n", false, "hello"},
      {"unsolicited responses around it",
       "* 2 EXISTS\r\n* 1 FETCH (FLAGS (\\Seen))\r\n* 1 FETCH (UID 1 FLAGS () BODY[] {3}\r\nabc)\r\n* 5 EXPUNGE\r\n"
       "TAG OK done\r\n",
       false, "abc"},
      {"a quoted body", "* 1 FETCH (UID 1 BODY[] \"q\\\"uoted\")\r\nTAG OK done\r\n", false, "q\"uoted"},
      {"non-synchronising literal", "* 1 FETCH (UID 1 BODY[] {2+}\r\nok)\r\nTAG OK done\r\n", false, "ok"},
      {"bare LF line ends", "* 1 FETCH (UID 1 BODY[] {4}\nab\r\n)\nTAG OK done\n", false, "ab\r\n"},
      // K2 is the tag of the UID FETCH (after K1 SELECT).
      {"a literal holding its own tag", "* 1 FETCH (UID 1 BODY[] {24}\r\nK2 OK no\r\n* 1 FETCH (\r\n)\r\nTAG OK done\r\n",
       false, "K2 OK no\r\n* 1 FETCH (\r\n)"},
      {"no UID in the answer", "* 1 FETCH (BODY[] {1}\r\nx)\r\nTAG OK done\r\n", false, "x"},
      {"garbage lines first", "hello world\r\n*\r\n* \r\n* 1 FETCH (UID 1 BODY[] {1}\r\ny)\r\nTAG OK done\r\n", false, "y"},
      {"NIL body", "* 1 FETCH (UID 1 BODY[] NIL)\r\nTAG OK done\r\n", false, std::nullopt, ErrorCode::kNotFound},
      {"another uid's body", "* 1 FETCH (UID 9 BODY[] {1}\r\nz)\r\nTAG OK done\r\n", false, std::nullopt,
       ErrorCode::kNotFound},
      {"unterminated quote", "* 1 FETCH (UID 1 BODY[] \"abc\r\nTAG OK done\r\n", false, "abc"},
      {"a tagged NO", "TAG NO [SERVERBUG] oops\r\n", false, std::nullopt, ErrorCode::kUnavailable},
      {"a tagged BAD", "TAG BAD what\r\n", false, std::nullopt, ErrorCode::kUnavailable},
      {"an unasked continuation", "+ go on\r\n", false, std::nullopt, ErrorCode::kUnavailable},
      {"an absurd literal", "* 1 FETCH (UID 1 BODY[] {99999999999}\r\n", false, std::nullopt,
       ErrorCode::kPayloadTooLarge},
      {"a literal size that overflows", "* 1 FETCH (UID 1 BODY[] {999999999999999999999999}\r\nTAG OK done\r\n", false,
       std::nullopt, ErrorCode::kNotFound},
      {"lists nested too deeply", "* 1 FETCH " + deep + "\r\nTAG OK done\r\n", false, std::nullopt,
       ErrorCode::kUnavailable},
      {"closed inside a literal", "* 1 FETCH (UID 1 BODY[] {100}\r\nshort", true, std::nullopt,
       ErrorCode::kUnavailable},
      {"BYE and close", "* BYE going down for maintenance\r\n", true, std::nullopt, ErrorCode::kUnavailable},
      {"an unknown tagged status", "TAG MAYBE later\r\n", false, std::nullopt, ErrorCode::kUnavailable},
  };
  for (const Case& test : cases) {
    ScriptedImapServer server([&](const std::string& command) -> ScriptedImapServer::Answer {
      if (command.rfind("UID FETCH 1 ", 0) == 0) return {test.answer, test.close_after};
      if (command.rfind("SELECT ", 0) == 0) return {};
      return {"TAG BAD unexpected\r\n", false};
    });
    ImapAccount account;
    account.url = server.url();
    account.username = "ana";
    account.password = "secret";
    account.timeout_seconds = 2;
    ImapSession session(account);
    auto fetched = session.Fetch(1);
    if (test.body) {
      ASSERT_TRUE(fetched.ok()) << test.name << ": " << Describe(fetched.error());
      EXPECT_EQ(*fetched, *test.body) << test.name;
    } else {
      ASSERT_FALSE(fetched.ok()) << test.name << " gave " << *fetched;
      EXPECT_EQ(fetched.error().code, test.code) << test.name << ": " << Describe(fetched.error());
    }
  }
}

TEST(ImapResponses, SelectWithoutUidNextAsksForTheLastUid) {
  ScriptedImapServer server([](const std::string& command) -> ScriptedImapServer::Answer {
    if (command.rfind("SELECT ", 0) == 0) return {"* 3 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\nTAG OK done\r\n"};
    if (command == "UID FETCH * (UID)") return {"* 3 FETCH (UID 41)\r\nTAG OK done\r\n"};
    return {"TAG BAD unexpected\r\n"};
  });
  ImapAccount account;
  account.url = server.url();
  account.username = "ana";
  account.password = "secret";
  auto state = ImapSession(account).Select();
  ASSERT_TRUE(state.ok()) << Describe(state.error());
  EXPECT_EQ(state->uidvalidity, 7u);
  EXPECT_EQ(state->uidnext, 42u);
}

// ---- SMTP ----

class SendMailTest : public ::testing::Test {
 protected:
  void SetUp() override { receiver_.Start(); }

  SmtpRelay Relay(int timeout_seconds = 5) const {
    SmtpRelay relay;
    relay.url = receiver_.url();
    relay.timeout_seconds = timeout_seconds;
    relay.reply_timeout_seconds = timeout_seconds;
    relay.helo_domain = "kizuna.example";
    return relay;
  }

  SmtpReceiver receiver_;
};

TEST_F(SendMailTest, MessageArrivesByteExactWithItsEnvelope) {
  const std::string message = kJapaneseMessage + ".\r\n..two dots\r\n.leading dot\r\n" + kProtocolLookingBody;
  auto sent = SendMail(Relay(), "bounces@kizuna.example", {"tanaka@example.jp", "cc@example.com"}, message);
  ASSERT_TRUE(sent.ok()) << Describe(sent.error());
  auto received = receiver_.Messages();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].mail_from, "bounces@kizuna.example");
  EXPECT_EQ(received[0].rcpt_tos, (std::vector<std::string>{"tanaka@example.jp", "cc@example.com"}));
  EXPECT_FALSE(received[0].received_at.empty());
  EXPECT_EQ(received[0].data, message);
}

TEST_F(SendMailTest, LineEndsBecomeCrlfSoALoneDotCannotEndTheData) {
  const std::string message = "Subject: dots\n\nfirst\n.\nafter a lone dot\r.\rend";
  ASSERT_TRUE(SendMail(Relay(), "a@kizuna.example", {"b@example.com"}, message).ok());
  auto received = receiver_.Messages();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].data, "Subject: dots\r\n\r\nfirst\r\n.\r\nafter a lone dot\r\n.\r\nend\r\n");
}

TEST_F(SendMailTest, LargeMessageArrives) {
  const std::string message = LargeMessage(5 * 1024 * 1024);
  ASSERT_TRUE(SendMail(Relay(), "a@kizuna.example", {"b@example.com"}, message).ok());
  auto received = receiver_.Messages();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_TRUE(received[0].data == message);
}

TEST_F(SendMailTest, NullSenderForBounces) {
  ASSERT_TRUE(SendMail(Relay(), "", {"b@example.com"}, kPlainMessage).ok());
  auto received = receiver_.Messages();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].mail_from, "<>");  // how aiosmtpd records "MAIL FROM:<>"
}

TEST_F(SendMailTest, TempfailIsUnavailable) {
  receiver_.SetMode("tempfail");
  auto sent = SendMail(Relay(), "a@kizuna.example", {"b@example.com"}, kPlainMessage);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable) << Describe(sent.error());
  EXPECT_NE(sent.error().message.find("451 4.3.0 Temporary failure"), std::string::npos) << sent.error().message;
  EXPECT_TRUE(receiver_.Messages().empty());
}

TEST_F(SendMailTest, RejectIsAPermanentInvalidRecipient) {
  receiver_.SetMode("reject");
  auto sent = SendMail(Relay(), "a@kizuna.example", {"nobody@example.com"}, kPlainMessage);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kInvalidArgument) << Describe(sent.error());
  EXPECT_EQ(sent.error().field, "recipient");
  EXPECT_NE(sent.error().message.find("RCPT TO:<nobody@example.com>"), std::string::npos) << sent.error().message;
  EXPECT_NE(sent.error().message.find("550 5.1.1"), std::string::npos) << sent.error().message;
}

TEST_F(SendMailTest, ReceiverDownIsUnavailable) {
  receiver_.Stop();
  auto start = Clock::now();
  auto sent = SendMail(Relay(), "a@kizuna.example", {"b@example.com"}, kPlainMessage);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable) << Describe(sent.error());
  EXPECT_LT(SecondsSince(start), 2.0);

  receiver_.Restart();
  ASSERT_TRUE(SendMail(Relay(), "a@kizuna.example", {"b@example.com"}, kPlainMessage).ok());
  EXPECT_TRUE(receiver_.WaitForMessages(1, std::chrono::seconds(2)));
}

TEST_F(SendMailTest, SlowReplyBeyondTheTimeoutIsUnavailable) {
  receiver_.SetMode("slow 4");
  auto start = Clock::now();
  auto sent = SendMail(Relay(1), "a@kizuna.example", {"b@example.com"}, kPlainMessage);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable) << Describe(sent.error());
  EXPECT_LT(SecondsSince(start), 3.0);
}

TEST_F(SendMailTest, SilentServerTimesOut) {
  SilentListener silent;
  SmtpRelay relay = Relay(1);
  relay.url = "smtp://127.0.0.1:" + std::to_string(silent.port());
  auto start = Clock::now();
  auto sent = SendMail(relay, "a@kizuna.example", {"b@example.com"}, kPlainMessage);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable) << Describe(sent.error());
  EXPECT_LT(SecondsSince(start), 3.0);
}

TEST_F(SendMailTest, InjectionAttemptsAreRefusedBeforeConnecting) {
  SilentListener tripwire;
  SmtpRelay relay = Relay(1);
  relay.url = "smtp://127.0.0.1:" + std::to_string(tripwire.port());
  struct Case {
    std::string from;
    std::vector<std::string> to;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"a@kizuna.example", {"b@example.com>\r\nRCPT TO:<evil@example.com"}, "recipient"},
      {"a@kizuna.example", {"b@example.com\r\nDATA"}, "recipient"},
      {"a@kizuna.example", {"b@example.com\n"}, "recipient"},
      {"a@kizuna.example", {"b@example.com\rQUIT"}, "recipient"},
      {"a@kizuna.example", {"<b@example.com>"}, "recipient"},
      {"a@kizuna.example", {"b @example.com"}, "recipient"},
      {"a@kizuna.example", {"b@example.com NOTIFY=NEVER"}, "recipient"},
      {"a@kizuna.example", {std::string("b@example.com\0x", 15)}, "recipient"},
      {"a@kizuna.example", {"ok@example.com", "b\t@example.com"}, "recipient"},
      {"a@kizuna.example", {""}, "recipient"},
      {"a@kizuna.example", {}, "recipient"},
      {"a@kizuna.example>\r\nRCPT TO:<evil@example.com", {"b@example.com"}, "envelope_from"},
      {"a@kizuna.example SIZE=1", {"b@example.com"}, "envelope_from"},
      {"<>", {"b@example.com"}, "envelope_from"},
  };
  for (const Case& test : cases) {
    auto sent = SendMail(relay, test.from, test.to, kPlainMessage);
    ASSERT_FALSE(sent.ok());
    EXPECT_EQ(sent.error().code, ErrorCode::kInvalidArgument) << Describe(sent.error());
    EXPECT_EQ(sent.error().field, test.field) << Describe(sent.error());
    EXPECT_FALSE(tripwire.Connected()) << "connected for " << test.from;
  }
}

TEST_F(SendMailTest, BadRelayUrlIsInvalid) {
  for (const std::string url : {"http://127.0.0.1:25", "127.0.0.1:25", "smtp://", "imap://127.0.0.1"}) {
    SmtpRelay relay = Relay();
    relay.url = url;
    auto sent = SendMail(relay, "a@kizuna.example", {"b@example.com"}, kPlainMessage);
    ASSERT_FALSE(sent.ok()) << url;
    EXPECT_EQ(sent.error().code, ErrorCode::kInvalidArgument) << url << ": " << Describe(sent.error());
    EXPECT_EQ(sent.error().field, "url") << url;
  }
  SmtpRelay relay = Relay();
  relay.helo_domain = "evil\r\nMAIL FROM:<x>";
  EXPECT_EQ(SendMail(relay, "a@kizuna.example", {"b@example.com"}, kPlainMessage).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_F(SendMailTest, ReceiverRestartKeepsItsPortAndMessages) {
  unsigned short port = receiver_.port();
  ASSERT_TRUE(SendMail(Relay(), "a@kizuna.example", {"b@example.com"}, kPlainMessage).ok());
  receiver_.Restart();
  EXPECT_EQ(receiver_.port(), port);
  ASSERT_TRUE(SendMail(Relay(), "a@kizuna.example", {"c@example.com"}, kJapaneseMessage).ok());
  auto received = receiver_.Messages();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].name, "00001");
  EXPECT_EQ(received[1].name, "00002");
  EXPECT_EQ(received[1].data, kJapaneseMessage);
}

}  // namespace
}  // namespace kizuna::email
