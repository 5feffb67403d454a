// Server configuration: kizuna.toml, overridden by KIZUNA_<SECTION>_<KEY> variables.
#pragma once

#include <string>

#include "core/result.h"

namespace kizuna::server {

struct Config {
  std::string listen = "127.0.0.1:8080";
  int io_threads = 2;
  int workers = 32;
  // 0: by the database. On SQLite reads run on the cores and few threads serve them best (4);
  // on PostgreSQL a read worker mostly waits for the server, and many let reads by key gather
  // into one pipeline (16).
  int read_workers = 0;
  long long max_body_bytes = 1 << 20;
  long long max_upload_bytes = 20 << 20;
  bool secure_cookies = false;
  std::string trusted_proxies;  // comma-separated proxy addresses whose X-Forwarded-For is believed
  std::string data_dir = "./data";
  std::string web_dir = "web/dist";  // the built web app; empty: API only
  std::string database_path;  // default: <data_dir>/kizuna.db
  std::string database_url;   // postgresql://…: PostgreSQL (several nodes); empty: SQLite at database_path
  int readers = 4;
  int writers = 4;  // PostgreSQL: writer connections per node (SQLite has one writer)
  bool synchronous_full = true;
  int session_hours = 12;
  std::string password_cost = "interactive";  // or "minimum" (tests, demo)
  std::string log_level = "info";
  // [mail]: the email channel.
  std::string public_url;  // the address customers reach Kizuna at (links in mail); default http://<listen>
  std::string mail_domain = "kizuna.invalid";  // Message-ID domain and loop marker of this installation
  std::string mail_from = "support@kizuna.invalid";  // sender when a workspace has no mailbox
  std::string smtp_url;  // smtp://host:port or smtps://host:port; empty: mail waits in the outbox
  std::string smtp_username;
  std::string smtp_password;
  int smtp_timeout_seconds = 30;         // connecting to the relay
  int smtp_reply_timeout_seconds = 600;  // each wait for a reply (RFC 5321: 10 min after DATA)
  bool smtp_verify_tls = true;
  int poll_threads = 8;           // IMAP mailboxes checked at once
  int poll_interval_seconds = 30; // between two checks of one mailbox
  int sender_hourly_limit = 60;   // more mail than this from one sender in an hour is rejected
  long long max_message_bytes = 25 << 20;
};

// Reads `path` when it is not empty (a missing named file is an error), then the
// environment. Fails with the offending key on a bad value.
Result<Config> LoadConfig(const std::string& path);

// Splits "host:port". Fails on a missing or bad port.
Result<std::pair<std::string, unsigned short>> SplitListen(const std::string& listen);

}  // namespace kizuna::server
