// kizuna: the server and its operator commands.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>

#include "core/text.h"

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include "adapters/blob/file_blob_store.h"
#include "adapters/crypto/sodium_crypto.h"
#include "adapters/markdown/cmark_markdown.h"
#include "adapters/search/fts5_index.h"
#include "adapters/storage/postgres/pg_store.h"
#include "adapters/storage/sqlite/sqlite_store.h"
#include "server/migrate_data.h"
#include "api/http_server.h"
#include "api/router.h"
#include "ports/clock.h"
#include "server/config.h"
#include "server/mail_channel.h"
#include "services/directory.h"
#include "services/routing.h"
#include "services/search.h"
#include "services/sla_timer.h"

namespace kizuna::server {
namespace {

int Fail(const Error& error) {
  std::cerr << "kizuna: " << error.message << "\n";
  return error.code == ErrorCode::kInvalidArgument ? 2 : 1;
}

std::string DatabasePath(const Config& config) {
  return config.database_path.empty() ? (std::filesystem::path(config.data_dir) / "kizuna.db").string()
                                      : config.database_path;
}

Result<std::unique_ptr<ports::Store>> OpenStore(const Config& config, ports::EventBus* bus) {
  if (!config.database_url.empty()) {
    storage::PgOptions options;
    options.url = config.database_url;
    options.readers = config.readers;
    options.writers = config.writers;
    return storage::OpenPgStore(options, bus);
  }
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return Error::Unavailable("cannot create the data directory " + config.data_dir + ": " + ec.message());
  storage::SqliteOptions options;
  options.path = DatabasePath(config);
  options.readers = config.readers;
  options.synchronous_full = config.synchronous_full;
  return storage::OpenSqliteStore(options, bus);
}

crypto::PasswordCost Cost(const Config& config) {
  return config.password_cost == "minimum" ? crypto::PasswordCost::kMinimum : crypto::PasswordCost::kInteractive;
}

// The crypto port with the server's secret key (<data>/secret.key, created on first use),
// which seals secrets kept in the database such as mailbox passwords.
Result<std::unique_ptr<ports::Crypto>> OpenCrypto(const Config& config) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return Error::Unavailable("cannot create the data directory " + config.data_dir + ": " + ec.message());
  KZ_ASSIGN(std::string key, crypto::LoadOrCreateKey((std::filesystem::path(config.data_dir) / "secret.key").string()));
  return crypto::MakeSodiumCrypto(Cost(config), key);
}

// The search index of this node (<data>/search.db): derived from the store, rebuilt when lost.
Result<std::unique_ptr<ports::SearchIndex>> OpenSearch(const Config& config) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return Error::Unavailable("cannot create the data directory " + config.data_dir + ": " + ec.message());
  return search::OpenSearchIndex((std::filesystem::path(config.data_dir) / "search.db").string());
}

// `kizuna search-reindex`: empties this node's search index and builds it again from the
// store, saying how far it got.
int SearchReindex(const Config& config, ports::Store& store) {
  auto index = OpenSearch(config);
  if (!index.ok()) return Fail(index.error());
  ports::EventBus bus;
  auto markdown_renderer = markdown::NewCmarkMarkdown();
  services::SearchIndexer indexer(store, **index, bus, *markdown_renderer);
  const auto started = std::chrono::steady_clock::now();
  std::string last_kind;
  std::int64_t last_count = 0;
  auto progress = [&](std::string_view kind, std::int64_t done) {
    if (kind == "optimising") {
      if (!last_kind.empty()) std::cout << "\r  " << last_kind << ": " << last_count << "\n";
      last_kind.clear();
      std::cout << "  optimising the index…" << std::endl;
      return;
    }
    if (kind != last_kind && !last_kind.empty()) std::cout << "\r  " << last_kind << ": " << last_count << "\n";
    last_kind = std::string(kind);
    last_count = done;
    std::cout << "\r  " << kind << ": " << done << std::flush;
  };
  std::cout << "Rebuilding the search index…\n";
  Status rebuilt = indexer.Rebuild(progress);
  if (!last_kind.empty()) std::cout << "\r  " << last_kind << ": " << last_count << "\n";
  if (!rebuilt.ok()) return Fail(rebuilt.error());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "Search index rebuilt in " << std::fixed << std::setprecision(1) << seconds << " s\n";
  return 0;
}

Result<std::unique_ptr<ports::BlobStore>> OpenBlobs(const Config& config) {
  return blob::OpenFileBlobStore((std::filesystem::path(config.data_dir) / "blobs").string());
}

// %j: the log message as the inside of a JSON string, so every line stays valid JSON.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      switch (c) {
        case '"': dest.append(std::string_view("\\\"")); break;
        case '\\': dest.append(std::string_view("\\\\")); break;
        case '\n': dest.append(std::string_view("\\n")); break;
        case '\r': dest.append(std::string_view("\\r")); break;
        case '\t': dest.append(std::string_view("\\t")); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned char>(c));
            dest.append(std::string_view(escaped));
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<spdlog::custom_flag_formatter> clone() const override { return std::make_unique<JsonMessageFlag>(); }
};

void SetUpLogging(const Config& config) {
  auto logger = spdlog::stderr_logger_mt("kizuna");
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<JsonMessageFlag>('j').set_pattern(
      R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","message":"%j"})");
  logger->set_formatter(std::move(formatter));
  logger->set_level(spdlog::level::from_str(config.log_level));
  spdlog::set_default_logger(logger);
}

Result<Workspace> FindWorkspace(ports::Store& store, const std::string& name) {
  Workspace found;
  Status status = store.Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(found, tx.FindWorkspace(name));
    return Ok();
  });
  if (!status.ok()) {
    if (status.error().code == ErrorCode::kNotFound) return Error::Invalid("workspace", "no workspace named " + name);
    return status.error();
  }
  return found;
}

Result<Workspace> CreateWorkspace(ports::Store& store, services::WorkspaceInput input, ports::Clock& clock) {
  KZ_TRY(services::ValidateWorkspace(input));
  Workspace created;
  Status status = store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(created, services::CreateWorkspace(tx, input, clock.Now()));
    return Ok();
  });
  if (!status.ok()) return status.error();
  return created;
}

Result<Agent> CreateAgent(ports::Store& store, ports::Crypto& crypto, ports::Clock& clock, const Workspace& ws,
                          services::AgentInput input, const std::string& password) {
  KZ_TRY(services::ValidateAgent(input));
  KZ_TRY(services::ValidatePassword(password));
  KZ_ASSIGN(input.password_hash, crypto.HashPassword(password));
  Agent created;
  Status status = store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(created, services::CreateAgent(tx, services::Actor::System(ws.id), input, clock.Now()));
    return Ok();
  });
  if (!status.ok()) return status.error();
  return created;
}

// Creates the demo workspace with an admin and an agent when the store has none.
Status SeedDemo(ports::Store& store, ports::Crypto& crypto, ports::Clock& clock) {
  if (FindWorkspace(store, "demo").ok()) {
    std::cout << "Demo workspace already present.\n";
  } else {
    KZ_ASSIGN(Workspace ws, CreateWorkspace(store, {"demo", "Asia/Tokyo", "en", "classic"}, clock));
    KZ_TRY(CreateAgent(store, crypto, clock, ws, {"admin@demo.kizuna.test", "Aiko Admin", "admin", {"ja", "en"}, ""},
                       "kizuna-demo-admin"));
    KZ_TRY(CreateAgent(store, crypto, clock, ws, {"agent@demo.kizuna.test", "Minh Agent", "agent", {"vi", "en"}, ""},
                       "kizuna-demo-agent"));
  }
  std::cout << "Demo sign-in (workspace \"demo\"):\n"
            << "  admin  admin@demo.kizuna.test  password kizuna-demo-admin\n"
            << "  agent  agent@demo.kizuna.test  password kizuna-demo-agent\n";
  return Ok();
}

int Serve(const Config& config, bool demo) {
  // Signals are taken by this thread alone: block them before any thread starts
  // (the store's writers, the indexer, the timers and the mail workers all start below).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto listen = SplitListen(config.listen);
  if (!listen.ok()) return Fail(listen.error());
  ports::EventBus bus;
  ports::SystemClock clock;
  auto opened_crypto = OpenCrypto(config);
  if (!opened_crypto.ok()) return Fail(opened_crypto.error());
  auto& crypto = *opened_crypto;
  auto store = OpenStore(config, &bus);
  if (!store.ok()) return Fail(store.error());
  if (demo) {
    if (auto seeded = SeedDemo(**store, *crypto, clock); !seeded.ok()) return Fail(seeded.error());
  }
  api::ApiSettings settings;
  settings.max_body_bytes = static_cast<std::size_t>(config.max_body_bytes);
  settings.max_upload_bytes = static_cast<std::size_t>(config.max_upload_bytes);
  settings.secure_cookies = config.secure_cookies;
  settings.session_hours = config.session_hours;
  api::App app(**store, bus, clock, *crypto, settings);
  auto blobs = OpenBlobs(config);
  if (!blobs.ok()) return Fail(blobs.error());
  app.blobs = blobs->get();
  auto markdown_renderer = markdown::NewCmarkMarkdown();
  app.markdown = markdown_renderer.get();
  // Search (C20): this node's index, fed from the event log of every workspace.
  auto search_index = OpenSearch(config);
  if (!search_index.ok()) return Fail(search_index.error());
  app.search = search_index->get();
  services::SearchIndexer indexer(**store, **search_index, bus, *markdown_renderer);
  indexer.set_log([](const std::string& line) { spdlog::info("{}", line); });
  indexer.Start();
  MailChannel mail(config, **store, **blobs, *crypto, clock);
  mail.Start(app);
  // Warnings, breaches and escalations, and re-evaluation after SLA changes.
  services::SlaTimer sla_timer(**store, clock);
  sla_timer.Start();
  // Routing (C4): hands waiting tickets to free online agents, overflows long waits.
  services::RoutingWorker routing_worker(**store, clock);
  routing_worker.Start();
  api::ServerOptions options;
  options.host = listen->first;
  options.port = listen->second;
  options.io_threads = config.io_threads;
  options.workers = config.workers;
  options.read_workers = config.read_workers;
  for (std::size_t from = 0; from <= config.trusted_proxies.size();) {
    std::size_t comma = config.trusted_proxies.find(',', from);
    if (comma == std::string::npos) comma = config.trusted_proxies.size();
    std::string address = config.trusted_proxies.substr(from, comma - from);
    address.erase(std::remove(address.begin(), address.end(), ' '), address.end());
    if (!address.empty()) options.trusted_proxies.push_back(address);
    from = comma + 1;
  }

  api::Router router = api::BuildRouter();
  api::StaticSite site = api::StaticSite::Load(config.web_dir);
  if (site.empty()) {
    spdlog::warn("no web app at {}: serving the API only (build it with make web)", config.web_dir);
  }
  router.set_site(std::move(site));
  api::HttpServer server(app, std::move(router), options);
  if (auto started = server.Start(); !started.ok()) return Fail(started.error());
  spdlog::info("listening on http://{}:{}", options.host, server.port());
  std::cout << "Kizuna is serving http://" << options.host << ":" << server.port() << std::endl;
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  spdlog::info("signal {}: stopping", signal_number);
  server.Stop(10);
  sla_timer.Stop();
  routing_worker.Stop();
  indexer.Stop();
  mail.Stop();
  store->reset();  // flushes and joins the writer
  spdlog::info("stopped");
  return 0;
}

}  // namespace
}  // namespace kizuna::server

int main(int argc, char** argv) {
  using namespace kizuna;
  using namespace kizuna::server;
  CLI::App cli{"Kizuna: customer service on every channel, in one fast binary"};
  cli.require_subcommand(1);
  cli.fallthrough();  // --data and --config may also follow the subcommand
  std::string config_path;
  std::string data_dir;
  cli.add_option("--config", config_path, "kizuna.toml to read");
  cli.add_option("--data", data_dir, "data directory (default ./data)");

  auto* serve = cli.add_subcommand("serve", "serve the API and the web app");
  std::string listen;
  bool demo = false;
  serve->add_option("--listen", listen, "HOST:PORT (default 127.0.0.1:8080)");
  serve->add_flag("--demo", demo, "create the demo workspace first when missing");
  std::string web_dir;
  serve->add_option("--web", web_dir, "directory of the built web app (default web/dist)");

  auto* migrate = cli.add_subcommand("migrate", "apply pending database migrations");
  auto* migrate_data = cli.add_subcommand(
      "migrate-data", "copy workspaces between databases (SQLite, PostgreSQL), verified by counts and checksums");
  std::string copy_from, copy_to;
  std::vector<std::string> copy_workspaces;
  migrate_data->add_option("--from", copy_from, "sqlite:PATH or postgresql://…")->required();
  migrate_data->add_option("--to", copy_to, "sqlite:PATH or postgresql://… (migrated first)")->required();
  migrate_data->add_option("--workspace", copy_workspaces, "a workspace name; repeat for more (default: all)");
  auto* demo_cmd = cli.add_subcommand("demo", "create the demo workspace and print its sign-ins");
  auto* search_reindex = cli.add_subcommand("search-reindex", "rebuild this node's search index from the database");

  auto* workspace = cli.add_subcommand("workspace", "manage workspaces");
  workspace->require_subcommand(1);
  auto* workspace_create = workspace->add_subcommand("create", "create a workspace");
  services::WorkspaceInput ws_input;
  workspace_create->add_option("--name", ws_input.name, "short name, a-z 0-9 - _")->required();
  workspace_create->add_option("--time-zone", ws_input.time_zone, "IANA time zone (default UTC)");
  workspace_create->add_option("--locale", ws_input.locale, "en, ja, ko or vi (default en)");
  workspace_create->add_option("--service-style", ws_input.service_style, "one of the nine service styles");

  auto* agent = cli.add_subcommand("agent", "manage agents");
  agent->require_subcommand(1);
  auto* agent_create = agent->add_subcommand("create", "create an agent; the password is read from stdin");
  std::string agent_ws;
  services::AgentInput agent_input;
  bool password_stdin = false;
  std::string languages;
  agent_create->add_option("--workspace", agent_ws, "workspace name")->required();
  agent_create->add_option("--email", agent_input.email, "sign-in email")->required();
  agent_create->add_option("--name", agent_input.name, "display name");
  agent_create->add_option("--role", agent_input.role, "admin, supervisor or agent (default agent)");
  agent_create->add_option("--languages", languages, "comma-separated languages, e.g. ja,en");
  agent_create->add_flag("--password-stdin", password_stdin, "read the password from standard input")->required();

  auto* token = cli.add_subcommand("token", "manage API tokens");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand("create", "create an API token and print it");
  std::string token_ws, token_agent, token_scopes, token_name = "cli";
  token_create->add_option("--workspace", token_ws, "workspace name")->required();
  token_create->add_option("--agent", token_agent, "email of the agent the token acts for")->required();
  token_create->add_option("--scopes", token_scopes, "comma-separated scopes")->required();
  token_create->add_option("--name", token_name, "a name to recognise the token by");

  auto* mail_ingest = cli.add_subcommand(
      "mail-ingest", "take one email from standard input (an MTA pipe); exit 75 means try again later");
  std::string ingest_ws, ingest_mailbox;
  mail_ingest->add_option("--workspace", ingest_ws, "workspace name")->required();
  mail_ingest->add_option("--mailbox", ingest_mailbox, "the mailbox address it was delivered to (default: from its headers)");
  std::vector<std::string> ingest_files;
  mail_ingest->add_option("files", ingest_files, ".eml files to take as a batch (default: one message on stdin)");

  CLI11_PARSE(cli, argc, argv);

  auto loaded = LoadConfig(config_path.empty() && std::filesystem::exists("kizuna.toml") ? "kizuna.toml" : config_path);
  if (!loaded.ok()) return Fail(loaded.error());
  Config config = *loaded;
  if (!data_dir.empty()) config.data_dir = data_dir;
  if (!listen.empty()) config.listen = listen;
  if (!web_dir.empty()) config.web_dir = web_dir;
  SetUpLogging(config);

  if (*serve) return Serve(config, demo);
  if (*migrate_data) return MigrateData(copy_from, copy_to, copy_workspaces);

  if (*migrate) {
    std::filesystem::create_directories(config.data_dir);
    auto report = config.database_url.empty() ? storage::MigrateSqlite(DatabasePath(config))
                                              : storage::MigratePostgres(config.database_url);
    if (!report.ok()) return Fail(report.error());
    std::cout << "Schema at version " << report->to_version
              << (report->to_version == report->from_version ? " (nothing to do)" : "") << "\n";
    return 0;
  }

  ports::SystemClock clock;
  auto opened_crypto = OpenCrypto(config);
  if (!opened_crypto.ok()) return *mail_ingest ? 75 : Fail(opened_crypto.error());
  auto& crypto = *opened_crypto;
  auto store = OpenStore(config, nullptr);
  if (!store.ok()) {
    if (*mail_ingest) {
      std::cerr << "kizuna mail-ingest: " << store.error().message << " (try again later)\n";
      return 75;
    }
    return Fail(store.error());
  }
  if (*mail_ingest) {
    auto blobs = OpenBlobs(config);
    if (!blobs.ok()) {
      std::cerr << "kizuna mail-ingest: " << blobs.error().message << " (try again later)\n";
      return 75;
    }
    return MailIngest(config, **store, **blobs, *crypto, clock, ingest_ws, ingest_mailbox, ingest_files);
  }

  if (*search_reindex) return SearchReindex(config, **store);
  if (*demo_cmd) {
    auto seeded = SeedDemo(**store, *crypto, clock);
    return seeded.ok() ? 0 : Fail(seeded.error());
  }
  if (*workspace_create) {
    auto created = CreateWorkspace(**store, ws_input, clock);
    if (!created.ok()) return Fail(created.error());
    std::cout << "Created workspace " << created->name << " (id " << created->id << ")\n";
    return 0;
  }
  if (*agent_create) {
    auto ws = FindWorkspace(**store, agent_ws);
    if (!ws.ok()) return Fail(ws.error());
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    std::stringstream list(languages);
    for (std::string lang; std::getline(list, lang, ',');) agent_input.languages.push_back(lang);
    auto created = CreateAgent(**store, *crypto, clock, *ws, agent_input, password);
    if (!created.ok()) return Fail(created.error());
    std::cout << "Created agent " << created->email << " (id " << created->id << ", " << RoleName(created->role) << ")\n";
    return 0;
  }
  if (*token_create) {
    auto ws = FindWorkspace(**store, token_ws);
    if (!ws.ok()) return Fail(ws.error());
    std::vector<std::string> scopes;
    std::stringstream list(token_scopes);
    for (std::string scope; std::getline(list, scope, ',');) scopes.push_back(scope);
    if (auto valid = services::ValidateScopes(scopes); !valid.ok()) return Fail(valid.error());
    const std::string secret = "kz_" + crypto->RandomToken(32);
    Status status = (*store)->WriteAndWait([&](ports::WriteTx& tx) -> Status {
      auto found = tx.FindAgentByEmail(ws->id, ToLowerAscii(token_agent));
      if (!found.ok()) return Error::Invalid("agent", "no agent " + token_agent + " in " + token_ws);
      ports::ApiToken record{0, ws->id, found->id, token_name, crypto->DigestToken(secret), scopes, clock.Now(), {}};
      return tx.InsertApiToken(record);
    });
    if (!status.ok()) return Fail(status.error());
    std::cout << secret << "\n";
    return 0;
  }
  return 0;
}
