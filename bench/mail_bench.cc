// kizuna-mail-bench: the email channel's throughput on this machine, with the same real
// servers the tests use (dovecot, the aiosmtpd receiver) and the real kizuna binary.
//
//   1. `kizuna mail-ingest` of N generated messages as one batch (files on the command line)
//   2. IMAP: N messages spread over M mailboxes, taken by "check now" on every mailbox at once
//   3. a round over 300 mailboxes: how long until every one was checked once
//   4. outbound: N agent replies delivered to the SMTP receiver
//
// Prints one "RESULT name value unit" line per figure for bench/run.sh.
// Usage: kizuna-mail-bench [messages (10000)] [mailboxes (10)]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <random>
#include <thread>

#include "harness.h"
#include "mail_servers.h"

using namespace kizuna::testing;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// A realistic mix: en/ja/ko/vi, plain and encoded subjects, a third of them answers to
// earlier ones (threaded by In-Reply-To), some with a small attachment.
std::string Message(int idx, const std::string& to) {
  static const char* kSubjects[] = {"Order not delivered", "=?UTF-8?B?6KuL5rGC5pu444Gu5YaN55m66KGM?=",
                                    "=?UTF-8?B?7ZmY67aIIOyalOyyrQ==?=", "=?UTF-8?Q?=C4=90=E1=BB=95i_m=E1=BA=ADt_kh=E1=BA=A9u?="};
  static const char* kBodies[] = {
      "Hello,\r\nmy order #%d has not arrived yet. Could you check?\r\nThanks, Ana",
      "お世話になっております。\r\n注文番号 %d の請求書を再発行していただけますか。\r\nよろしくお願いいたします。",
      "안녕하세요.\r\n주문 번호 %d 환불 요청드립니다.\r\n감사합니다.",
      "Xin chào,\r\ntôi quên mật khẩu của tài khoản %d. Vui lòng giúp tôi.\r\nCảm ơn."};
  int kind = idx % 4;
  int customer = idx % 997;
  char body[512];
  std::snprintf(body, sizeof body, kBodies[kind], idx);
  std::string headers = "From: Customer " + std::to_string(customer) + " <c" + std::to_string(customer) +
                        "@example.com>\r\nTo: " + to + "\r\nSubject: " + (idx % 3 == 1 ? "Re: " : "") + kSubjects[kind] +
                        "\r\nMessage-ID: <bench-" + std::to_string(idx) + "@example.com>\r\n" +
                        "Date: Mon, 23 Nov 2026 10:00:00 +0900\r\nMIME-Version: 1.0\r\n";
  if (idx % 3 == 1 && idx >= 997) headers += "In-Reply-To: <bench-" + std::to_string(idx - 997) + "@example.com>\r\n";
  if (idx % 10 == 0) {
    return headers + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n" +
           "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body +
           "\r\n--b\r\nContent-Type: application/pdf; name=\"receipt.pdf\"\r\nContent-Transfer-Encoding: base64\r\n"
           "Content-Disposition: attachment; filename=\"receipt.pdf\"\r\n\r\nJVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoK\r\n--b--\r\n";
  }
  return headers + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body + "\r\n";
}

}  // namespace

int main(int argc, char** argv) {
  const int messages = argc > 1 ? std::atoi(argv[1]) : 10000;
  const int mailboxes = argc > 2 ? std::atoi(argv[2]) : 10;
  setenv("KIZUNA_AUTH_PASSWORD_COST", "minimum", 1);
  try {
    SmtpReceiver smtp;
    smtp.Start();
    DovecotServer imap;
    KizunaProcess server({{"KIZUNA_MAIL_SMTP_URL", smtp.url()},
                          {"KIZUNA_MAIL_DOMAIN", "mail.bench.test"},
                          {"KIZUNA_MAIL_POLL_INTERVAL_SECONDS", "3600"},
                          {"KIZUNA_MAIL_SENDER_HOURLY_LIMIT", "1000000"}});
    server.Start();
    Client client(server.port());
    client.set_token(server.CreateWorkspaceWithToken("bench", "admin@bench.test", "admin,tickets:read,tickets:write"));
    // Acknowledgements would compete with the measured paths: the MTA mailbox sends none.
    auto made = client.Post("/api/v1/mailboxes", json{{"address", "mta@bench.test"}, {"ack_enabled", false}});
    if (made.status != 201) throw std::runtime_error("mailbox: " + made.body);

    // 1. mail-ingest, one batch of files.
    std::string dir = server.data_dir() + "/bench-eml";
    std::filesystem::create_directories(dir);
    std::vector<std::string> args = {"mail-ingest", "--workspace", "bench", "--mailbox", "mta@bench.test"};
    for (int idx = 0; idx < messages; ++idx) {
      std::string path = dir + "/" + std::to_string(idx) + ".eml";
      std::ofstream(path, std::ios::binary) << Message(idx, "mta@bench.test");
      args.push_back(path);
    }
    auto start = Clock::now();
    auto batch = server.Cli(args);
    double seconds = Since(start);
    if (batch.exit_code != 0) throw std::runtime_error("mail-ingest failed: " + batch.out.substr(0, 2000));
    std::printf("RESULT mail_ingest_batch %.0f messages/s (%d messages in %.2f s)\n", messages / seconds, messages,
                seconds);

    // 2. IMAP: the same number of messages over `mailboxes` mailboxes, checked at once.
    for (int box = 0; box < mailboxes; ++box) imap.AddUser("box" + std::to_string(box) + "@imap.bench.test", "pw");
    imap.Start();
    // The mail waits in the mailboxes first; the clock starts when Kizuna is told about them.
    for (int idx = 0; idx < messages; ++idx) {
      int box = idx % mailboxes;
      imap.Deliver("box" + std::to_string(box) + "@imap.bench.test",
                   Message(messages + idx, "box" + std::to_string(box) + "@imap.bench.test"));
    }
    auto ingested = [&] {
      std::int64_t total = 0;
      const json listed = client.Get("/api/v1/mailboxes").Json();  // kept alive for the loop
      for (const auto& m : listed["mailboxes"]) {
        if (m["imap_url"] != "") total += m["ingested"].get<std::int64_t>();  // the IMAP mailboxes only
      }
      return total;
    };
    start = Clock::now();
    std::vector<std::int64_t> ids;
    for (int box = 0; box < mailboxes; ++box) {
      std::string address = "box" + std::to_string(box) + "@imap.bench.test";
      auto created = client.Post("/api/v1/mailboxes", json{{"address", address},
                                                         {"imap_url", imap.url()},
                                                         {"imap_username", address},
                                                         {"imap_password", "pw"},
                                                         {"ack_enabled", false}});
      if (created.status != 201) throw std::runtime_error("mailbox: " + created.body);
      ids.push_back(created.Json()["id"]);
    }
    // The server's poller starts on each new mailbox at once; "check now" on every mailbox
    // joins in. Done when the mailboxes have taken every message.
    std::vector<std::future<void>> checks;
    for (auto id : ids) {
      checks.push_back(std::async(std::launch::async, [&, id] {
        Client own(server.port());
        own.set_token(client.token());
        for (;;) {
          auto checked = own.Post("/api/v1/mailboxes/" + std::to_string(id) + "/check", json::object());
          if (checked.status != 200) throw std::runtime_error("check: " + checked.body);
          if (!checked.Json()["error"].get<std::string>().empty()) throw std::runtime_error(checked.body);
          if (checked.Json()["taken"] == 0) return;
        }
      }));
    }
    for (auto& check : checks) check.get();
    std::int64_t taken = ingested();
    for (auto deadline = Clock::now() + std::chrono::minutes(5); taken < messages && Clock::now() < deadline;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      taken = ingested();
    }
    seconds = Since(start);
    std::printf("RESULT mail_ingest_imap %.0f messages/s (%lld messages from %d mailboxes in %.2f s)\n",
                taken / seconds, static_cast<long long>(taken), mailboxes, seconds);

    // 3. A round over 300 mailboxes (most empty): every one checked once, 8 at a time.
    const int round = 300;
    for (int box = 0; box < round; ++box) imap.AddUser("r" + std::to_string(box) + "@imap.bench.test", "pw");
    std::vector<std::int64_t> round_ids;
    for (int box = 0; box < round; ++box) {
      std::string address = "r" + std::to_string(box) + "@imap.bench.test";
      auto created = client.Post("/api/v1/mailboxes", json{{"address", address}, {"imap_url", imap.url()},
                                                         {"imap_username", address}, {"imap_password", "pw"}});
      if (created.status != 201) throw std::runtime_error("mailbox: " + created.body);
      round_ids.push_back(created.Json()["id"]);
    }
    start = Clock::now();
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&] {
        Client own(server.port());
        own.set_token(client.token());
        for (std::size_t idx = next++; idx < round_ids.size(); idx = next++) {
          own.Post("/api/v1/mailboxes/" + std::to_string(round_ids[idx]) + "/check", json::object());
        }
      });
    }
    for (auto& thread : threads) thread.join();
    seconds = Since(start);
    std::printf("RESULT mailbox_round %.2f s (%d mailboxes each checked once, 8 at a time)\n", seconds, round);

    // 4. Outbound: replies to N tickets delivered to the SMTP receiver.
    const int replies = std::min(messages, 2000);
    auto listed = client.Get("/api/v1/tickets?channel=email&limit=100").Json()["tickets"];
    std::vector<std::int64_t> tickets;
    for (const auto& t : listed) tickets.push_back(t["id"]);
    start = Clock::now();
    for (int idx = 0; idx < replies; ++idx) {
      auto sent = client.Post("/api/v1/tickets/" + std::to_string(tickets[idx % tickets.size()]) + "/messages",
                              json{{"body", "Thank you, we are on it. (" + std::to_string(idx) + ")"}});
      if (sent.status != 201) throw std::runtime_error("reply: " + sent.body);
    }
    if (!smtp.WaitForMessages(replies, std::chrono::minutes(10))) throw std::runtime_error("replies not delivered");
    seconds = Since(start);
    std::printf("RESULT mail_outbound %.0f messages/s (%d replies queued and delivered over SMTP in %.2f s)\n",
                replies / seconds, replies, seconds);
    server.Stop();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kizuna-mail-bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
