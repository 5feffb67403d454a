#include "server/config.h"

#include <cctype>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <toml++/toml.h>

namespace kizuna::server {
namespace {

struct Key {
  const char* section;
  const char* name;
};

template <typename T>
Status SetFromString(const std::string& key, const std::string& text, T& out) {
  try {
    if constexpr (std::is_same_v<T, std::string>) {
      out = text;
    } else if constexpr (std::is_same_v<T, bool>) {
      if (text == "true" || text == "1") out = true;
      else if (text == "false" || text == "0") out = false;
      else return Error::Invalid(key, key + " must be true or false");
    } else {
      std::size_t used = 0;
      long long value = std::stoll(text, &used);
      if (used != text.size()) return Error::Invalid(key, key + " must be a number");
      out = static_cast<T>(value);
    }
  } catch (const std::exception&) {
    return Error::Invalid(key, key + " must be a number");
  }
  return Ok();
}

template <typename T>
Status Apply(const toml::table* root, Key key, T& out) {
  const std::string dotted = std::string(key.section) + "." + key.name;
  if (root) {
    if (auto node = root->at_path(dotted)) {
      if constexpr (std::is_same_v<T, std::string>) {
        auto v = node.value<std::string>();
        if (!v) return Error::Invalid(dotted, dotted + " must be a string");
        out = *v;
      } else if constexpr (std::is_same_v<T, bool>) {
        auto v = node.value<bool>();
        if (!v) return Error::Invalid(dotted, dotted + " must be true or false");
        out = *v;
      } else {
        auto v = node.value<long long>();
        if (!v) return Error::Invalid(dotted, dotted + " must be a number");
        out = static_cast<T>(*v);
      }
    }
  }
  std::string env = "KIZUNA_" + std::string(key.section) + "_" + key.name;
  for (char& c : env) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (const char* value = std::getenv(env.c_str())) return SetFromString(env, value, out);
  return Ok();
}

}  // namespace

Result<Config> LoadConfig(const std::string& path) {
  Config config;
  toml::table table;
  const toml::table* root = nullptr;
  if (!path.empty()) {
    if (!std::filesystem::exists(path)) return Error::Invalid("config", "no configuration file at " + path);
    try {
      table = toml::parse_file(path);
      root = &table;
    } catch (const toml::parse_error& e) {
      return Error::Invalid("config", std::string("cannot read ") + path + ": " + std::string(e.description()));
    }
  }
  KZ_TRY(Apply(root, {"server", "listen"}, config.listen));
  KZ_TRY(Apply(root, {"server", "io_threads"}, config.io_threads));
  KZ_TRY(Apply(root, {"server", "workers"}, config.workers));
  KZ_TRY(Apply(root, {"server", "read_workers"}, config.read_workers));
  KZ_TRY(Apply(root, {"server", "max_body_bytes"}, config.max_body_bytes));
  KZ_TRY(Apply(root, {"server", "max_upload_bytes"}, config.max_upload_bytes));
  KZ_TRY(Apply(root, {"server", "secure_cookies"}, config.secure_cookies));
  KZ_TRY(Apply(root, {"server", "trusted_proxies"}, config.trusted_proxies));
  KZ_TRY(Apply(root, {"server", "data_dir"}, config.data_dir));
  KZ_TRY(Apply(root, {"server", "web_dir"}, config.web_dir));
  KZ_TRY(Apply(root, {"database", "path"}, config.database_path));
  KZ_TRY(Apply(root, {"database", "url"}, config.database_url));
  KZ_TRY(Apply(root, {"database", "readers"}, config.readers));
  KZ_TRY(Apply(root, {"database", "writers"}, config.writers));
  KZ_TRY(Apply(root, {"database", "synchronous_full"}, config.synchronous_full));
  KZ_TRY(Apply(root, {"auth", "session_hours"}, config.session_hours));
  KZ_TRY(Apply(root, {"auth", "password_cost"}, config.password_cost));
  KZ_TRY(Apply(root, {"log", "level"}, config.log_level));
  KZ_TRY(Apply(root, {"server", "public_url"}, config.public_url));
  KZ_TRY(Apply(root, {"mail", "domain"}, config.mail_domain));
  KZ_TRY(Apply(root, {"mail", "from"}, config.mail_from));
  KZ_TRY(Apply(root, {"mail", "smtp_url"}, config.smtp_url));
  KZ_TRY(Apply(root, {"mail", "smtp_username"}, config.smtp_username));
  KZ_TRY(Apply(root, {"mail", "smtp_password"}, config.smtp_password));
  KZ_TRY(Apply(root, {"mail", "smtp_timeout_seconds"}, config.smtp_timeout_seconds));
  KZ_TRY(Apply(root, {"mail", "smtp_reply_timeout_seconds"}, config.smtp_reply_timeout_seconds));
  KZ_TRY(Apply(root, {"mail", "smtp_verify_tls"}, config.smtp_verify_tls));
  KZ_TRY(Apply(root, {"mail", "poll_threads"}, config.poll_threads));
  KZ_TRY(Apply(root, {"mail", "poll_interval_seconds"}, config.poll_interval_seconds));
  KZ_TRY(Apply(root, {"mail", "sender_hourly_limit"}, config.sender_hourly_limit));
  KZ_TRY(Apply(root, {"mail", "max_message_bytes"}, config.max_message_bytes));
  if (config.poll_threads < 1 || config.poll_threads > 256) return Error::Invalid("mail.poll_threads", "poll_threads is 1 to 256");
  if (config.poll_interval_seconds < 1 || config.poll_interval_seconds > 3600) {
    return Error::Invalid("mail.poll_interval_seconds", "poll_interval_seconds is 1 to 3600");
  }
  if (config.smtp_timeout_seconds < 1 || config.smtp_timeout_seconds > 600) {
    return Error::Invalid("mail.smtp_timeout_seconds", "smtp_timeout_seconds is 1 to 600");
  }
  if (config.smtp_reply_timeout_seconds < 1 || config.smtp_reply_timeout_seconds > 3600) {
    return Error::Invalid("mail.smtp_reply_timeout_seconds", "smtp_reply_timeout_seconds is 1 to 3600");
  }
  if (config.sender_hourly_limit < 1) return Error::Invalid("mail.sender_hourly_limit", "sender_hourly_limit is at least 1");
  if (config.max_message_bytes < 1024) return Error::Invalid("mail.max_message_bytes", "max_message_bytes is at least 1024");
  if (!config.smtp_url.empty() && config.smtp_url.rfind("smtp://", 0) != 0 && config.smtp_url.rfind("smtps://", 0) != 0) {
    return Error::Invalid("mail.smtp_url", "smtp_url is smtp://host:port or smtps://host:port");
  }
  if (config.io_threads < 1 || config.io_threads > 64) return Error::Invalid("server.io_threads", "io_threads is 1 to 64");
  if (config.workers < 1 || config.workers > 1024) return Error::Invalid("server.workers", "workers is 1 to 1024");
  if (config.read_workers < 0 || config.read_workers > 256) {
    return Error::Invalid("server.read_workers", "read_workers is 1 to 256, or 0 for the database's default");
  }
  if (config.read_workers == 0) config.read_workers = config.database_url.empty() ? 4 : 16;
  if (config.max_body_bytes < 1024) return Error::Invalid("server.max_body_bytes", "max_body_bytes is at least 1024");
  if (config.max_upload_bytes < 1024) return Error::Invalid("server.max_upload_bytes", "max_upload_bytes is at least 1024");
  if (!config.database_url.empty() && config.database_url.rfind("postgresql://", 0) != 0 &&
      config.database_url.rfind("postgres://", 0) != 0) {
    return Error::Invalid("database.url", "database.url is a postgresql:// URL (leave it empty for SQLite)");
  }
  for (char c : config.trusted_proxies) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) && c != '.' && c != ':' && c != ',' && c != ' ') {
      return Error::Invalid("server.trusted_proxies", "trusted_proxies is a comma-separated list of IP addresses");
    }
  }
  if (config.writers < 1 || config.writers > 64) return Error::Invalid("database.writers", "writers is 1 to 64");
  if (config.readers < 1 || config.readers > 64) return Error::Invalid("database.readers", "readers is 1 to 64");
  if (config.password_cost != "interactive" && config.password_cost != "minimum") {
    return Error::Invalid("auth.password_cost", "password_cost is interactive or minimum");
  }
  if (config.session_hours < 1 || config.session_hours > 24 * 90) {
    return Error::Invalid("auth.session_hours", "session_hours is 1 to 2160");
  }
  static const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  if (std::find(std::begin(kLevels), std::end(kLevels), config.log_level) == std::end(kLevels)) {
    return Error::Invalid("log.level", "log.level is one of trace, debug, info, warn, error, critical, off");
  }
  KZ_TRY(SplitListen(config.listen));
  return config;
}

Result<std::pair<std::string, unsigned short>> SplitListen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return Error::Invalid("listen", "listen must be HOST:PORT");
  std::string port_text = listen.substr(colon + 1);
  unsigned short port = 0;
  Status status = SetFromString("listen", port_text, port);
  if (!status.ok() || port_text.empty() || std::stol(port_text) > 65535 || std::stol(port_text) < 0) {
    return Error::Invalid("listen", "listen must be HOST:PORT with a port from 0 to 65535");
  }
  return std::make_pair(listen.substr(0, colon), port);
}

}  // namespace kizuna::server
