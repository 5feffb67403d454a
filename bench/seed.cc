// kizuna-bench-seed: fills a data directory with a workspace of N tickets, fast,
// through the same services the API uses (many tickets per transaction).
#include <chrono>
#include <iostream>
#include <random>
#include <string>

#include "adapters/crypto/sodium_crypto.h"
#include "adapters/storage/sqlite/sqlite_store.h"
#include "services/directory.h"
#include "services/tickets.h"

using namespace kizuna;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: kizuna-bench-seed DATA_DIR TICKETS\n";
    return 2;
  }
  const std::string dir = argv[1];
  const long total = std::stol(argv[2]);
  storage::SqliteOptions options;
  options.path = dir + "/kizuna.db";
  options.synchronous_full = false;  // seeding only; the benchmark server runs with FULL
  auto store = storage::OpenSqliteStore(options, nullptr);
  if (!store.ok()) {
    std::cerr << store.error().message << "\n";
    return 1;
  }
  auto crypto = crypto::MakeSodiumCrypto(crypto::PasswordCost::kMinimum);
  services::Actor actor;
  std::vector<TeamId> teams;
  std::vector<AgentId> agents;
  Status setup = (*store)->WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(Workspace ws, services::CreateWorkspace(tx, services::WorkspaceInput{"bench"}, 1));
    actor = services::Actor::System(ws.id);
    for (int idx = 0; idx < 10; ++idx) {
      KZ_ASSIGN(Team t, services::CreateTeam(tx, actor, services::TeamInput{"team-" + std::to_string(idx), ""}, 1));
      teams.push_back(t.id);
    }
    KZ_ASSIGN(auto hash, crypto->HashPassword("bench-password"));
    for (int idx = 0; idx < 50; ++idx) {
      services::AgentInput in{"agent" + std::to_string(idx) + "@bench.test", "Agent " + std::to_string(idx),
                              idx == 0 ? "admin" : "agent", {"en"}, hash};
      KZ_ASSIGN(Agent a, services::CreateAgent(tx, actor, in, 1));
      agents.push_back(a.id);
    }
    return Ok();
  });
  if (!setup.ok()) {
    std::cerr << setup.error().message << "\n";
    return 1;
  }
  std::mt19937_64 rng(42);
  const char* statuses[] = {"new", "open", "open", "pending", "on_hold", "solved", "solved", "solved"};
  const Timestamp start = 1'640'000'000'000;  // tickets span five years
  auto started = std::chrono::steady_clock::now();
  constexpr long kPerTransaction = 2000;
  for (long done = 0; done < total;) {
    long batch = std::min(kPerTransaction, total - done);
    Status status = (*store)->WriteAndWait([&](ports::WriteTx& tx) -> Status {
      for (long idx = 0; idx < batch; ++idx) {
        long n = done + idx;
        services::CreateTicketInput in;
        in.subject = "Order " + std::to_string(n) + " has not arrived / 注文が届きません";
        in.body = "Hello, my order number " + std::to_string(n) + " is late. Could you check?";
        in.requester.email = "customer" + std::to_string(rng() % 100000) + "@example.com";
        in.requester.name = "Customer";
        in.status = statuses[rng() % 8];
        in.team_id = teams[rng() % teams.size()];
        if (rng() % 3 != 0) in.assignee_id = agents[rng() % agents.size()];
        in.tags = {rng() % 2 ? "billing" : "shipping"};
        in.priority = rng() % 10 == 0 ? "high" : "normal";
        Timestamp at = start + static_cast<Timestamp>(n) * 150'000;
        KZ_TRY(services::CreateTicket(tx, actor, in, at));
      }
      return Ok();
    });
    if (!status.ok()) {
      std::cerr << status.error().message << "\n";
      return 1;
    }
    done += batch;
    if (done % 100000 == 0 || done == total) {
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::cerr << "seeded " << done << " tickets in " << seconds << " s\n";
    }
  }
  std::cout << "workspace bench, team ids " << teams.front() << ".." << teams.back() << ", admin agent0@bench.test\n";
  return 0;
}
