// Fuzzes the whole request path below the HTTP parser: routing, authentication,
// JSON bodies, validation, services and a real SQLite store. Input: the first line
// is "METHOD /path?query", the rest is the body. No answer may be a 5xx.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "adapters/blob/file_blob_store.h"
#include "adapters/crypto/sodium_crypto.h"
#include "adapters/markdown/cmark_markdown.h"
#include "adapters/storage/sqlite/sqlite_store.h"
#include "api/app.h"
#include "api/router.h"
#include "services/directory.h"

namespace {

using namespace kizuna;

struct World {
  ports::EventBus bus;
  ports::SystemClock clock;
  std::unique_ptr<ports::Crypto> crypto = crypto::MakeSodiumCrypto(crypto::PasswordCost::kMinimum);
  std::unique_ptr<ports::Store> store;
  std::unique_ptr<api::App> app;
  std::unique_ptr<ports::BlobStore> blobs;
  std::unique_ptr<ports::Markdown> markdown = markdown::NewCmarkMarkdown();
  api::Router router = api::BuildRouter();
  std::string token = "kz_fuzz-token-0123456789";

  World() {
    std::string dir = (std::filesystem::temp_directory_path() / "kizuna-fuzz-XXXXXX").string();
    if (!mkdtemp(dir.data())) std::abort();
    storage::SqliteOptions options;
    options.path = dir + "/kizuna.db";
    options.synchronous_full = false;
    store = std::move(storage::OpenSqliteStore(options, &bus).value());
    Status seeded = store->WriteAndWait([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(Workspace ws, services::CreateWorkspace(tx, services::WorkspaceInput{"fuzz"}, 1));
      services::AgentInput in{"fuzz@fuzz.test", "Fuzz", "admin", {}, ""};
      KZ_ASSIGN(Agent agent, services::CreateAgent(tx, services::Actor::System(ws.id), in, 1));
      ports::ApiToken t{0, ws.id, agent.id, "fuzz", crypto->DigestToken(token), {"admin", "tickets:read",
                        "tickets:write", "customers:read", "customers:write"}, 1, {}};
      return tx.InsertApiToken(t);
    });
    if (!seeded.ok()) std::abort();
    app = std::make_unique<api::App>(*store, bus, clock, *crypto, api::ApiSettings{});
    blobs = std::move(blob::OpenFileBlobStore(dir + "/blobs").value());
    app->blobs = blobs.get();
    app->markdown = markdown.get();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World world;
  std::string input(reinterpret_cast<const char*>(data), size);
  auto newline = input.find('\n');
  std::string line = input.substr(0, newline);
  api::HttpRequest request;
  auto space = line.find(' ');
  request.method = line.substr(0, space);
  std::string target = space == std::string::npos ? "/" : line.substr(space + 1);
  auto question = target.find('?');
  request.path = api::PercentDecode(target.substr(0, question), false);
  if (question != std::string::npos) request.query = api::ParseQuery(target.substr(question + 1));
  request.body = newline == std::string::npos ? "" : input.substr(newline + 1);
  request.headers["authorization"] = "Bearer " + world.token;
  request.remote_address = "127.0.0.1";
  api::HttpResponse response = world.router.Dispatch(*world.app, request);
  if (response.status >= 500) {
    std::fprintf(stderr, "%s %s answered %d: %s\n", request.method.c_str(), request.path.c_str(), response.status,
                 response.body.c_str());
    std::abort();
  }
  return 0;
}
