// App: what every handler reaches — the ports, settings, auth and metrics of one server.
#pragma once

#include <cstddef>
#include <functional>
#include <semaphore>
#include <string>

#include "api/auth.h"
#include "api/metrics.h"
#include "core/email.h"
#include "ports/blob_store.h"
#include "ports/clock.h"
#include "ports/crypto.h"
#include "ports/event_bus.h"
#include "ports/markdown.h"
#include "ports/search_index.h"
#include "ports/store.h"

namespace kizuna::api {

struct ApiSettings {
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_upload_bytes = 20 << 20;  // the body of an attachment upload
  bool secure_cookies = false;     // set the Secure flag (behind HTTPS)
  int session_hours = 12;
  int sign_in_per_account = 10;    // attempts per account per 5 minutes
  int sign_in_per_address = 50;    // attempts per client address per 5 minutes
  int portal_per_address = 30;     // help-centre requests, links and sign-ins per address per 10 minutes
};

struct App {
  App(ports::Store& store_in, ports::EventBus& bus_in, ports::Clock& clock_in, ports::Crypto& crypto_in,
      ApiSettings settings_in)
      : store(store_in), bus(bus_in), clock(clock_in), crypto(crypto_in), settings(settings_in),
        auth(store_in, clock_in, crypto_in, bus_in) {}

  ports::Store& store;
  ports::EventBus& bus;
  ports::Clock& clock;
  ports::Crypto& crypto;
  ApiSettings settings;
  Authenticator auth;
  Metrics metrics;
  ports::BlobStore* blobs = nullptr;  // attachments; null: uploads answer 503
  const ports::Markdown* markdown = nullptr;  // knowledge base and community; null: they answer 503
  ports::SearchIndex* search = nullptr;  // null: search answers 503
  // Checks a mailbox over IMAP now: how many messages it took, and the error if it
  // stopped early. Unset: the server polls no mailboxes (POST .../check answers 503).
  std::function<std::pair<int, std::string>(const Mailbox&)> check_mailbox;
  // argon2id costs tens of MiB and ms per hash: at most two run at once.
  std::counting_semaphore<16> password_slots{2};
  AttemptLimiter sign_in_by_account{settings.sign_in_per_account, std::chrono::minutes(5)};
  AttemptLimiter sign_in_by_address{settings.sign_in_per_address, std::chrono::minutes(5)};
  AttemptLimiter portal_by_address{settings.portal_per_address, std::chrono::minutes(10)};
};

}  // namespace kizuna::api
