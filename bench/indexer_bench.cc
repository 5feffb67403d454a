// kizuna-indexer-bench: how fast the search indexer follows the store. N tickets (each with a
// first message and a reply, in four languages) are created through the ticket service on a
// real SQLite file, in transactions of 50 as the server's group commit batches them; then the
// SearchIndexer takes the whole event log into a fresh FTS5 index,
// re-reading each ticket and its messages from the store as it does in the server.
// Reports tickets indexed per second (the issue asks that indexing keep up with 1,000 new
// tickets a second), median of three rounds. Run: build/bench/kizuna-indexer-bench [N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "adapters/markdown/cmark_markdown.h"
#include "adapters/search/fts5_index.h"
#include "fakes/temp_store.h"
#include "services/directory.h"
#include "services/search.h"
#include "services/tickets.h"

using namespace kizuna;
using namespace kizuna::testing;

namespace {

int Fail(const Error& error) {
  std::fprintf(stderr, "kizuna-indexer-bench: %s\n", error.message.c_str());
  return 1;
}

const char* kSubjects[] = {"返金について", "배송 문의", "Hoàn tiền đơn hàng", "My invoice is missing"};
const char* kBodies[] = {"注文した靴の返金をお願いします。届いた商品のサイズが合いませんでした。",
                         "주문한 가방이 아직 도착하지 않았습니다. 배송 상태를 확인해 주세요.",
                         "Tôi muốn được hoàn tiền cho đôi giày vì kích cỡ không vừa.",
                         "I paid for the annual plan last week but never received the invoice by email."};

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::max(100, std::atoi(argv[1])) : 20000;
  auto markdown = markdown::NewCmarkMarkdown();
  std::vector<double> rates;
  for (int round = 0; round < 3; ++round) {
    TempStore db;
    services::Actor actor;
    Status setup = db.store().WriteAndWait([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(Workspace w, services::CreateWorkspace(tx, services::WorkspaceInput{"bench"}, 1));
      actor = services::Actor{w.id, "agent", 0, Role::kAdmin};
      services::AgentInput agent{"ana@bench.test", "Ana", "agent", {"en"}, ""};
      KZ_ASSIGN(Agent a, services::CreateAgent(tx, actor, agent, 1));
      actor.id = a.id;
      return Ok();
    });
    if (!setup.ok()) return Fail(setup.error());
    for (int done = 0; done < n;) {
      Status batch = db.store().WriteAndWait([&](ports::WriteTx& tx) -> Status {
        for (int i = 0; i < 50 && done < n; ++i, ++done) {
          services::CreateTicketInput in;
          in.subject = std::string(kSubjects[done % 4]) + " " + std::to_string(done);
          in.body = kBodies[done % 4];
          in.requester.email = "customer" + std::to_string(done % 5000) + "@example.com";
          KZ_TRY(services::ValidateCreateTicket(in));
          KZ_ASSIGN(Ticket t, services::CreateTicket(tx, actor, in, 1000 + done));
          services::AddMessageInput reply;
          reply.body = "Thank you, we are looking into it.";
          KZ_TRY(services::AddMessage(tx, actor, t.id, reply, 2000 + done));
        }
        return Ok();
      });
      if (!batch.ok()) return Fail(batch.error());
    }
    auto index = search::OpenSearchIndex(db.path() + ".search");
    if (!index.ok()) return Fail(index.error());
    services::SearchIndexer indexer(db.store(), **index, db.bus(), *markdown);
    const auto started = std::chrono::steady_clock::now();
    while (true) {
      auto taken = indexer.CatchUp();
      if (!taken.ok()) return Fail(taken.error());
      if (*taken == 0) break;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    rates.push_back(n / seconds);
    std::printf("round %d: %d tickets indexed in %.2f s: %.0f tickets/s\n", round + 1, n, seconds, n / seconds);
  }
  std::sort(rates.begin(), rates.end());
  std::printf("median: %.0f tickets/s\n", rates[1]);
  return 0;
}
