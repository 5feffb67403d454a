// Several Kizuna nodes on one PostgreSQL database (issue: scale out): unique ticket numbers
// under concurrent creation on two nodes, events crossing nodes, no acknowledged ticket lost
// when a node is killed, timers run once across nodes, a database that goes away and comes
// back, a wrong connection string, and migrate-data from SQLite. Runs only on the
// PostgreSQL test cluster (KIZUNA_TEST_PG).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "integration/harness.h"
#include "integration/mail_servers.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using Env = std::vector<std::pair<std::string, std::string>>;

json NewTicket(const std::string& subject) {
  return json{{"subject", subject}, {"body", "Nhờ kiểm tra giúp"}, {"requester", {{"email", "lan@example.vn"}}}};
}

// Node B: another `kizuna serve` on node A's database (its own data directory).
std::unique_ptr<KizunaProcess> SecondNode(const KizunaProcess& a) {
  auto b = std::make_unique<KizunaProcess>(Env{{"KIZUNA_DATABASE_URL", a.DatabaseUrl()}});
  b->Start();
  return b;
}

class ScaleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_a_ = std::make_unique<KizunaProcess>();
    ASSERT_TRUE(node_a_->UsesPostgres()) << "these tests need the PostgreSQL test cluster (KIZUNA_TEST_PG)";
    node_a_->Start();
    token_ = node_a_->CreateWorkspaceWithToken("scale", "admin@scale.test");
    node_b_ = SecondNode(*node_a_);
  }

  std::unique_ptr<KizunaProcess> node_a_;
  std::unique_ptr<KizunaProcess> node_b_;
  std::string token_;
};

TEST_F(ScaleTest, TicketsCreatedOnTwoNodesAtOnceKeepUniqueNumbers) {
  constexpr int kThreadsPerNode = 3;
  constexpr int kEach = 40;
  std::mutex mutex;
  std::vector<long long> numbers;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (auto* node : {node_a_.get(), node_b_.get()}) {
    for (int t = 0; t < kThreadsPerNode; ++t) {
      threads.emplace_back([&, port = node->port(), t] {
        Client client(port);
        client.set_token(token_);
        for (int i = 0; i < kEach; ++i) {
          auto res = client.Post("/api/v1/tickets", NewTicket("並行 " + std::to_string(t) + "/" + std::to_string(i)));
          std::lock_guard lock(mutex);
          if (res.status == 201) numbers.push_back(res.Json()["number"].get<long long>());
          else failures.push_back(std::to_string(res.status) + " " + res.body);
        }
      });
    }
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(failures.empty()) << failures.size() << " failed, first: " << failures.front();
  const std::set<long long> unique(numbers.begin(), numbers.end());
  EXPECT_EQ(unique.size(), numbers.size()) << "no number given twice";
  EXPECT_EQ(numbers.size(), static_cast<std::size_t>(2 * kThreadsPerNode * kEach));
  auto stored = QueryRows(*node_a_, "SELECT count(DISTINCT number), count(*) FROM tickets");
  EXPECT_EQ(stored[0][0], stored[0][1]);
  EXPECT_EQ(stored[0][1], std::to_string(numbers.size()));
}

TEST_F(ScaleTest, EachNodeNumbersFromABlockOfItsOwn) {
  Client a(node_a_->port());
  a.set_token(token_);
  Client b(node_b_->port());
  b.set_token(token_);
  auto number = [&](Client& client) {
    auto res = client.Post("/api/v1/tickets", NewTicket("番号"));
    EXPECT_EQ(res.status, 201) << res.body;
    return res.status == 201 ? res.Json()["number"].get<long long>() : 0LL;
  };
  const long long a1 = number(a);
  const long long b1 = number(b);
  const long long a2 = number(a);
  const long long b2 = number(b);
  EXPECT_EQ(a2, a1 + 1) << "a node numbers on from its own block";
  EXPECT_EQ(b2, b1 + 1);
  EXPECT_GE(std::llabs(b1 - a1), 16) << "the nodes take different blocks";
}

TEST_F(ScaleTest, AChangeOnNodeAReachesAStreamOnNodeBWithinHalfASecond) {
  StreamClient stream;
  ASSERT_TRUE(stream.Connect(node_b_->port(), {{"Authorization", "Bearer " + token_}}));
  auto ready = stream.Next(2000ms);
  ASSERT_TRUE(ready.has_value());
  ASSERT_EQ(json::parse(*ready)["type"], "stream.ready");

  Client a(node_a_->port());
  a.set_token(token_);
  for (int round = 0; round < 3; ++round) {
    auto created = a.Post("/api/v1/tickets", NewTicket("Từ nút A " + std::to_string(round)));
    ASSERT_EQ(created.status, 201) << created.body;
    const auto answered = std::chrono::steady_clock::now();
    const auto id = created.Json()["id"];
    std::optional<json> seen;
    while (std::chrono::steady_clock::now() - answered < 2s) {
      auto message = stream.Next(2000ms);
      if (!message) break;
      auto event = json::parse(*message);
      if (event["type"] == "ticket.created" && event["ticket_id"] == id) {
        seen = event;
        break;
      }
    }
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - answered);
    ASSERT_TRUE(seen.has_value()) << "node B's stream never saw ticket " << id;
    EXPECT_LT(waited.count(), 500) << "round " << round;
  }
}

TEST_F(ScaleTest, ATokenRevokedOnNodeAStopsWorkingOnNodeBWithinASecond) {
  Client a(node_a_->port());
  a.set_token(token_);
  auto made = a.Post("/api/v1/tokens", json{{"name", "connector"}, {"scopes", {"tickets:read"}}});
  ASSERT_EQ(made.status, 201) << made.body;
  Client b(node_b_->port());
  b.set_token(made.Json()["token"].get<std::string>());
  // Node B checks the token and keeps it in its credential cache (10 s).
  ASSERT_EQ(b.Get("/api/v1/tickets").status, 200);
  ASSERT_EQ(a.Request("DELETE", "/api/v1/tokens/" + std::to_string(made.Json()["id"].get<int>()), "").status, 200);
  const auto revoked = std::chrono::steady_clock::now();
  int status = 200;
  while (status == 200 && std::chrono::steady_clock::now() - revoked < 5s) {
    status = b.Get("/api/v1/tickets").status;
    if (status == 200) std::this_thread::sleep_for(50ms);
  }
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - revoked);
  EXPECT_EQ(status, 401);
  EXPECT_LT(waited.count(), 1000) << "node B trusted the revoked token for " << waited.count() << " ms";
}

TEST_F(ScaleTest, PresenceOnNodeAReachesAStreamOnNodeBWithinHalfASecond) {
  Client a(node_a_->port());
  a.set_token(token_);
  auto minh = a.Post("/api/v1/agents", json{{"email", "minh@scale.test"}, {"role", "agent"}});
  ASSERT_EQ(minh.status, 201) << minh.body;
  auto minh_token = a.Post("/api/v1/tokens", json{{"name", "minh"}, {"scopes", {"tickets:read"}},
                                                   {"agent_id", minh.Json()["id"]}});
  ASSERT_EQ(minh_token.status, 201) << minh_token.body;
  StreamClient ana, watcher;
  ASSERT_TRUE(ana.Connect(node_a_->port(), {{"Authorization", "Bearer " + token_}}));
  ASSERT_TRUE(watcher.Connect(node_b_->port(), {{"Authorization", "Bearer " + minh_token.Json()["token"].get<std::string>()}}));
  for (auto* s : {&ana, &watcher}) {
    auto ready = s->Next(2000ms);
    ASSERT_TRUE(ready.has_value());
    ASSERT_EQ(json::parse(*ready)["type"], "stream.ready");
  }
  const int ticket = a.Post("/api/v1/tickets", NewTicket("Ai đang trả lời?")).Json()["id"].get<int>();
  ASSERT_TRUE(ana.Send(json{{"type", "presence"}, {"ticket_id", ticket}, {"state", "replying"}}.dump()));
  const auto sent = std::chrono::steady_clock::now();
  std::optional<json> seen;
  while (!seen && std::chrono::steady_clock::now() - sent < 2s) {
    auto message = watcher.Next(2000ms);
    if (!message) break;
    auto event = json::parse(*message);
    if (event["type"] == "presence") seen = event;
  }
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - sent);
  ASSERT_TRUE(seen.has_value()) << "node B's stream never heard that Ana is replying";
  EXPECT_EQ((*seen)["ticket_id"], ticket);
  EXPECT_EQ((*seen)["data"]["state"], "replying");
  EXPECT_EQ((*seen)["actor_id"], a.Get("/api/v1/auth/session").Json()["agent"]["id"]);
  EXPECT_LT(waited.count(), 500);
}

TEST_F(ScaleTest, AStreamSeesEveryTicketCreatedConcurrentlyOnBothNodes) {
  // Several writers on two nodes commit out of id order; the stream must still carry each.
  StreamClient stream;
  ASSERT_TRUE(stream.Connect(node_a_->port(), {{"Authorization", "Bearer " + token_}}));
  ASSERT_TRUE(stream.Next(2000ms).has_value());  // stream.ready
  std::mutex mutex;
  std::set<long long> created;
  std::vector<std::thread> threads;
  for (auto* node : {node_a_.get(), node_b_.get()}) {
    for (int t = 0; t < 3; ++t) {
      threads.emplace_back([&, port = node->port(), t] {
        Client client(port);
        client.set_token(token_);
        for (int i = 0; i < 15; ++i) {
          auto res = client.Post("/api/v1/tickets", NewTicket("Luồng " + std::to_string(t) + "/" + std::to_string(i)));
          if (res.status != 201) continue;
          std::lock_guard lock(mutex);
          created.insert(res.Json()["id"].get<long long>());
        }
      });
    }
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(created.size(), 90u);
  std::set<long long> seen;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (seen.size() < created.size() && std::chrono::steady_clock::now() < deadline) {
    auto message = stream.Next(2000ms);
    if (!message) break;
    auto event = json::parse(*message);
    if (event["type"] == "ticket.created") seen.insert(event["ticket_id"].get<long long>());
  }
  EXPECT_EQ(seen, created) << "the stream carried " << seen.size() << " of " << created.size();
  EXPECT_TRUE(stream.Send(R"({"type":"presence","ticket_id":1,"state":"viewing"})")) << "the stream is still open";
}

TEST_F(ScaleTest, ANodeKilledDuringACreateLoadLosesNoAcknowledgedTicket) {
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::vector<long long> acknowledged;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Client client(node_a_->port());
      client.set_token(token_);
      for (int i = 0; !stop; ++i) {
        HttpResult res;
        try {
          res = client.Post("/api/v1/tickets", NewTicket("負荷 " + std::to_string(t) + "/" + std::to_string(i)));
        } catch (const std::exception&) {
          return;  // the node died under this request: not acknowledged
        }
        if (res.status == 201) {
          std::lock_guard lock(mutex);
          acknowledged.push_back(res.Json()["id"].get<long long>());
        } else if (res.status == 0) {
          return;  // the node is gone
        }
      }
    });
  }
  std::this_thread::sleep_for(700ms);
  node_a_->Kill();
  stop = true;
  for (auto& t : threads) t.join();
  ASSERT_GT(acknowledged.size(), 10u) << "the load ran";

  Client b(node_b_->port());
  b.set_token(token_);
  for (long long id : acknowledged) {
    auto res = b.Get("/api/v1/tickets/" + std::to_string(id));
    ASSERT_EQ(res.status, 200) << "ticket " << id << " was acknowledged and is gone";
  }
  // Node B goes on taking tickets.
  EXPECT_EQ(b.Post("/api/v1/tickets", NewTicket("Sau sự cố")).status, 201);
}

TEST_F(ScaleTest, SlaWarningsAreGivenOnceAcrossNodes) {
  Client admin(node_a_->port());
  admin.set_token(token_);
  auto policy = admin.Post("/api/v1/sla/policies",
                           {{"name", "Fast"},
                            {"targets", {{{"metric", "first_reply"}, {"minutes", 1}, {"clock", "calendar"}}}},
                            {"warning_percent", 1},
                            {"escalations", {{"warning", {{"notify", false}}}}}});
  ASSERT_EQ(policy.status, 201) << policy.body;
  constexpr int kTickets = 12;
  for (int i = 0; i < kTickets; ++i) {
    Client& via = admin;
    ASSERT_EQ(via.Post("/api/v1/tickets", NewTicket("SLA " + std::to_string(i))).status, 201);
  }
  // Each warning falls due 0.6 s after its ticket; both nodes' timers look every second.
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  std::string warned;
  while (std::chrono::steady_clock::now() < deadline) {
    warned = QueryRows(*node_a_, "SELECT count(DISTINCT ticket_id) FROM events WHERE type = 'sla.warning'")[0][0];
    if (warned == std::to_string(kTickets)) break;
    std::this_thread::sleep_for(200ms);
  }
  ASSERT_EQ(warned, std::to_string(kTickets));
  std::this_thread::sleep_for(2500ms);  // more rounds of both timers
  auto twice = QueryRows(*node_a_,
                         "SELECT ticket_id, count(*) FROM events WHERE type = 'sla.warning' "
                         "GROUP BY ticket_id HAVING count(*) > 1");
  EXPECT_TRUE(twice.empty()) << "ticket " << twice[0][0] << " was warned " << twice[0][1] << " times";
}

TEST(ScaleOutboxTest, EachReplyIsSentOnceByTwoNodes) {
  SmtpReceiver smtp;
  smtp.Start();
  const Env mail{{"KIZUNA_MAIL_SMTP_URL", smtp.url()}, {"KIZUNA_MAIL_DOMAIN", "mail.kizuna.test"}};
  KizunaProcess node_a(mail);
  ASSERT_TRUE(node_a.UsesPostgres()) << "needs the PostgreSQL test cluster (KIZUNA_TEST_PG)";
  node_a.Start();
  const std::string token = node_a.CreateWorkspaceWithToken("outbox", "admin@outbox.test");
  Env mail_b = mail;
  mail_b.emplace_back("KIZUNA_DATABASE_URL", node_a.DatabaseUrl());
  KizunaProcess node_b(mail_b);
  node_b.Start();

  // Replies written on both nodes; both nodes' outbox workers deliver.
  constexpr int kReplies = 16;
  for (int i = 0; i < kReplies; ++i) {
    Client client(i % 2 ? node_b.port() : node_a.port());
    client.set_token(token);
    auto ticket = client.Post("/api/v1/tickets",
                              json{{"subject", "Hóa đơn " + std::to_string(i)},
                                   {"body", "Cho tôi xin hóa đơn"},
                                   {"channel", "email"},
                                   {"requester", {{"email", "khach" + std::to_string(i) + "@example.vn"}}}});
    ASSERT_EQ(ticket.status, 201) << ticket.body;
    auto reply = client.Post("/api/v1/tickets/" + std::to_string(ticket.Json()["id"].get<long long>()) + "/messages",
                             json{{"body", "Chúng tôi đã gửi hóa đơn."}});
    ASSERT_EQ(reply.status, 201) << reply.body;
  }
  ASSERT_TRUE(smtp.WaitForMessages(kReplies, 30s)) << smtp.Messages().size() << " of " << kReplies << " arrived";
  std::this_thread::sleep_for(3s);  // more rounds of both workers
  std::multiset<std::string> recipients;
  for (const auto& m : smtp.Messages()) {
    for (const auto& to : m.rcpt_tos) recipients.insert(to);
  }
  EXPECT_EQ(recipients.size(), static_cast<std::size_t>(kReplies)) << "no reply is sent twice";
  for (int i = 0; i < kReplies; ++i) {
    EXPECT_EQ(recipients.count("khach" + std::to_string(i) + "@example.vn"), 1u) << i;
  }
}

// A throwaway cluster of this test's own, which it stops and starts again.
class OwnCluster {
 public:
  OwnCluster() {
    dir_ = std::filesystem::temp_directory_path() / ("kizuna-pg-own-" + std::to_string(getpid()));
    Run("start");
    std::ifstream in(dir_ / "url");
    std::getline(in, admin_url_);
  }
  ~OwnCluster() { Run("stop"); }
  void Pause() { Run("pause"); }
  void Resume() { Run("resume"); }
  const std::string& admin_url() const { return admin_url_; }

 private:
  void Run(const std::string& action) {
    const std::string command =
        "bash " KIZUNA_SOURCE_DIR "/scripts/pg-cluster.sh " + action + " " + dir_.string() + " >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("pg-cluster.sh " + action + " failed");
  }
  std::filesystem::path dir_;
  std::string admin_url_;
};

TEST(ScaleFaultTest, TheDatabaseGoingAwayGives503AndTheNodeRecoversByItself) {
  OwnCluster cluster;
  KizunaProcess node(Env{{"KIZUNA_DATABASE_URL", cluster.admin_url()}});
  node.Start();
  const std::string token = node.CreateWorkspaceWithToken("outage", "admin@outage.test");
  Client client(node.port());
  client.set_token(token);
  auto before = client.Post("/api/v1/tickets", NewTicket("Trước khi mất kết nối"));
  ASSERT_EQ(before.status, 201) << before.body;
  const std::string id = std::to_string(before.Json()["id"].get<long long>());

  cluster.Pause();
  auto read = client.Get("/api/v1/tickets/" + id);
  EXPECT_EQ(read.status, 503) << read.body;
  EXPECT_EQ(read.Header("content-type"), "application/problem+json");
  EXPECT_EQ(read.Json()["status"], 503);
  auto write = client.Post("/api/v1/tickets", NewTicket("Trong khi mất kết nối"));
  EXPECT_EQ(write.status, 503) << write.body;
  EXPECT_TRUE(node.Running()) << "the node stays up";

  cluster.Resume();
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    status = client.Get("/api/v1/tickets/" + id).status;
    if (status == 200) break;
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(status, 200) << "reads recover";
  EXPECT_EQ(client.Post("/api/v1/tickets", NewTicket("Sau khi kết nối lại")).status, 201) << "writes recover";
}

TEST(ScaleFaultTest, AWrongDatabaseUrlIsAClearErrorAtStartUp) {
  KizunaProcess unreachable(Env{{"KIZUNA_DATABASE_URL", "postgresql://kizuna:secret-pw@127.0.0.1:1/kizuna"}});
  auto res = unreachable.Cli({"migrate"});
  EXPECT_EQ(res.exit_code, 1) << res.err;
  EXPECT_NE(res.err.find("127.0.0.1"), std::string::npos) << res.err;
  EXPECT_EQ(res.err.find("secret-pw"), std::string::npos) << "the password is never shown: " << res.err;
  EXPECT_THROW(unreachable.Start(), std::runtime_error) << "serve exits instead of serving";

  KizunaProcess not_postgres(Env{{"KIZUNA_DATABASE_URL", "mysql://127.0.0.1/kizuna"}});
  auto bad = not_postgres.Cli({"migrate"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("database.url"), std::string::npos) << bad.err;
}

TEST(ScaleMigrateDataTest, AWorkspaceMovesFromSqliteToPostgresWhole) {
  // The source: a server on SQLite with tickets, replies and a customer.
  KizunaProcess sqlite_node(Env{{"KIZUNA_DATABASE_URL", ""}});
  ASSERT_FALSE(std::getenv("KIZUNA_TEST_PG") == nullptr) << "needs the PostgreSQL test cluster";
  sqlite_node.Start();
  const std::string token = sqlite_node.CreateWorkspaceWithToken("moving", "admin@moving.test");
  Client source(sqlite_node.port());
  source.set_token(token);
  std::vector<json> tickets;
  for (int i = 0; i < 25; ++i) {
    auto res = source.Post("/api/v1/tickets", NewTicket("引っ越し " + std::to_string(i)));
    ASSERT_EQ(res.status, 201) << res.body;
    tickets.push_back(res.Json());
  }
  const std::string first = std::to_string(tickets[0]["id"].get<long long>());
  ASSERT_EQ(source.Post("/api/v1/tickets/" + first + "/messages", json{{"kind", "public"}, {"body", "はい、確認します"}}).status,
            201);
  sqlite_node.Stop();

  KizunaProcess pg_node;  // an empty database on the test cluster
  ASSERT_TRUE(pg_node.UsesPostgres());
  const std::string db_file = sqlite_node.data_dir() + "/kizuna.db";
  auto copied = pg_node.Cli({"migrate-data", "--from", "sqlite:" + db_file, "--to", pg_node.DatabaseUrl()});
  ASSERT_EQ(copied.exit_code, 0) << copied.out;
  EXPECT_NE(copied.out.find("counts and checksums match"), std::string::npos) << copied.out;
  EXPECT_NE(copied.out.find("tickets: 25 rows"), std::string::npos) << copied.out;

  // Copying again is refused and changes nothing.
  auto again = pg_node.Cli({"migrate-data", "--from", "sqlite:" + db_file, "--to", pg_node.DatabaseUrl()});
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_NE(again.err.find("already has a workspace"), std::string::npos) << again.err;
  auto bad = pg_node.Cli({"migrate-data", "--from", "sqlite:/nonexistent/kizuna.db", "--to", pg_node.DatabaseUrl()});
  EXPECT_EQ(bad.exit_code, 2) << bad.out;

  // The same token, tickets, numbers and replies on PostgreSQL; new tickets number on.
  pg_node.Start();
  Client moved(pg_node.port());
  moved.set_token(token);
  for (const auto& t : tickets) {
    auto res = moved.Get("/api/v1/tickets/" + std::to_string(t["id"].get<long long>()));
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.Json()["number"], t["number"]);
    EXPECT_EQ(res.Json()["subject"], t["subject"]);
  }
  auto messages = moved.Get("/api/v1/tickets/" + first + "/messages");
  ASSERT_EQ(messages.status, 200) << messages.body;
  EXPECT_EQ(messages.Json()["messages"].size(), 2u) << messages.body;
  auto next = moved.Post("/api/v1/tickets", NewTicket("新しい"));
  ASSERT_EQ(next.status, 201) << next.body;
  EXPECT_EQ(next.Json()["number"], 26);
  EXPECT_GT(next.Json()["id"].get<long long>(), tickets.back()["id"].get<long long>()) << "ids go on after the copy";
}

}  // namespace
}  // namespace kizuna::testing
