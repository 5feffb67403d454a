#include "adapters/channels/email/smtp_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <utility>

namespace kizuna::email {
namespace {

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool StartsWithNoCase(std::string_view text, std::string_view lower_prefix) {
  if (text.size() < lower_prefix.size()) return false;
  for (std::size_t char_idx = 0; char_idx < lower_prefix.size(); ++char_idx) {
    char c = text[char_idx];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower_prefix[char_idx]) return false;
  }
  return true;
}

// An envelope address goes between < and > on a command line: anything that could end
// the line or the brackets, or split the command, is refused.
Status CheckAddress(const std::string& address, const char* field, bool allow_empty) {
  auto invalid = [&](const std::string& why) { return Error::Invalid(field, "envelope address " + why); };
  if (address.empty()) {
    if (allow_empty) return Ok();
    return invalid("is empty");
  }
  if (address.size() > 254) return invalid("is longer than 254 bytes");
  for (char c : address) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) return invalid("contains a space, line break or control character");
    if (c == '<' || c == '>') return invalid("contains < or >");
  }
  auto at = address.rfind('@');
  if (at == 0) return invalid("has no local part");
  if (at != std::string::npos && at + 1 == address.size()) return invalid("has no domain");
  return Ok();
}

// The relay URL with the EHLO name as its path (how libcurl takes it).
Result<std::string> RelayUrl(const SmtpRelay& relay, std::string& host) {
  if (!StartsWithNoCase(relay.url, "smtp://") && !StartsWithNoCase(relay.url, "smtps://")) {
    return Error::Invalid("url", "an SMTP relay URL starts with smtp:// or smtps://: " + relay.url);
  }
  for (char c : relay.helo_domain) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                   c == '-' || c == '[' || c == ']' || c == ':';
    if (!allowed) return Error::Invalid("helo_domain", "not a host name or address literal: " + relay.helo_domain);
  }
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> url(curl_url(), &curl_url_cleanup);
  if (!url || curl_url_set(url.get(), CURLUPART_URL, relay.url.c_str(), 0) != CURLUE_OK) {
    return Error::Invalid("url", "bad SMTP relay URL " + relay.url);
  }
  char* part = nullptr;
  if (curl_url_get(url.get(), CURLUPART_HOST, &part, 0) != CURLUE_OK || !part || !*part) {
    curl_free(part);
    return Error::Invalid("url", "the SMTP relay URL names no host: " + relay.url);
  }
  host = part;
  curl_free(part);
  part = nullptr;
  bool has_path = curl_url_get(url.get(), CURLUPART_PATH, &part, 0) == CURLUE_OK && part && std::strcmp(part, "/") != 0;
  curl_free(part);
  // A path the operator wrote is libcurl's own way to name the EHLO domain: keep it.
  if (has_path && relay.helo_domain.empty()) return relay.url;
  std::string path = "/" + relay.helo_domain;
  char* full = nullptr;
  if (curl_url_set(url.get(), CURLUPART_PATH, path.c_str(), 0) != CURLUE_OK ||
      curl_url_get(url.get(), CURLUPART_URL, &full, 0) != CURLUE_OK) {
    curl_free(full);
    return Error::Invalid("url", "bad SMTP relay URL " + relay.url);
  }
  std::string result = full;
  curl_free(full);
  return result;
}

// Every line end becomes CRLF, and the message ends with one.
std::string WithCrlf(std::string_view message) {
  std::string out;
  out.reserve(message.size() + message.size() / 50 + 2);
  for (std::size_t byte_idx = 0; byte_idx < message.size(); ++byte_idx) {
    char c = message[byte_idx];
    if (c == '\r') {
      if (byte_idx + 1 < message.size() && message[byte_idx + 1] == '\n') ++byte_idx;
      out += "\r\n";
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() != '\n') out += "\r\n";
  return out;
}

struct Upload {
  std::string_view data;
  std::size_t offset = 0;
};

std::size_t ReadUpload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  std::size_t length = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, length);
  upload->offset += length;
  return length;
}

// The commands sent and replies received, enough to say which step failed and why.
// Credentials never enter it: AUTH and whatever follows it before the next known
// command are recorded as "AUTH".
struct Transcript {
  std::string command;         // the last command, e.g. "RCPT TO:<a@b>"
  std::string failed_command;  // the command refused ("" = the greeting)
  std::string failure;         // the refusal's text
  bool failed = false;         // the last command other than QUIT/RSET was refused
  bool in_reply = false;       // inside a multi-line reply ("250-...")
  bool reply_failed = false;   // the current reply is 4xx/5xx

  void Sent(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    static constexpr std::string_view kKnown[] = {"mail ", "rcpt ", "data", "ehlo ", "helo ", "starttls", "quit", "rset"};
    bool known = std::any_of(std::begin(kKnown), std::end(kKnown),
                             [&](std::string_view prefix) { return StartsWithNoCase(text, prefix); });
    command = known ? std::string(text.substr(0, 600)) : "AUTH";
    in_reply = false;
    // A failure the client went on from (EHLO refused, then HELO) is not the outcome;
    // QUIT and RSET follow the failure that is.
    if (!StartsWithNoCase(text, "quit") && !StartsWithNoCase(text, "rset")) {
      failed = false;
      failure.clear();
      failed_command.clear();
    }
  }

  void Received(std::string_view text) {
    while (!text.empty()) {
      auto end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
      while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.size() < 3 || line[0] < '0' || line[0] > '9') continue;
      if (!in_reply) {
        reply_failed = line[0] == '4' || line[0] == '5';
        if (reply_failed) {
          failed = true;
          failed_command = command;
          failure.clear();
        }
      }
      if (reply_failed && failure.size() < 2000) {
        if (!failure.empty()) failure += ' ';
        failure += std::string(line.substr(0, 512));
      }
      in_reply = line.size() > 3 && line[3] == '-';
    }
  }
};

int Debug(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  auto* transcript = static_cast<Transcript*>(user);
  if (type == CURLINFO_HEADER_OUT) transcript->Sent(std::string_view(data, size));
  if (type == CURLINFO_HEADER_IN) transcript->Received(std::string_view(data, size));
  return 0;
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

Status SendMail(const SmtpRelay& relay, const std::string& envelope_from, const std::vector<std::string>& recipients,
                std::string_view message) {
  KZ_TRY(CheckAddress(envelope_from, "envelope_from", true));
  if (recipients.empty()) return Error::Invalid("recipient", "no recipients");
  for (const std::string& recipient : recipients) KZ_TRY(CheckAddress(recipient, "recipient", false));
  std::string host;
  KZ_ASSIGN(std::string url, RelayUrl(relay, host));

  InitCurlOnce();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return Error::Internal("curl_easy_init failed");
  std::unique_ptr<curl_slist, SlistDeleter> rcpt_list;
  for (const std::string& recipient : recipients) {
    curl_slist* appended = curl_slist_append(rcpt_list.get(), ("<" + recipient + ">").c_str());
    if (!appended) return Error::Internal("out of memory");
    rcpt_list.release();
    rcpt_list.reset(appended);
  }
  std::string data = WithCrlf(message);
  Upload upload{data, 0};
  Transcript transcript;
  char error_text[CURL_ERROR_SIZE] = {};
  long timeout = std::max(1, relay.timeout_seconds);
  long reply_timeout = std::max(1, relay.reply_timeout_seconds);
  std::string mail_from = "<" + envelope_from + ">";

  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (!relay.username.empty()) {
    curl_easy_setopt(handle, CURLOPT_USERNAME, relay.username.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, relay.password.c_str());
  }
  if (StartsWithNoCase(relay.url, "smtp://")) curl_easy_setopt(handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, relay.verify_tls ? 1L : 0L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, relay.verify_tls ? 2L : 0L);
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, rcpt_list.get());
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, &ReadUpload);
  curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
  curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(data.size()));
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, timeout);
  curl_easy_setopt(handle, CURLOPT_SERVER_RESPONSE_TIMEOUT, reply_timeout);
  curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME, reply_timeout);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, &Debug);
  curl_easy_setopt(handle, CURLOPT_DEBUGDATA, &transcript);
  curl_easy_setopt(handle, CURLOPT_VERBOSE, 1L);

  CURLcode code = curl_easy_perform(handle);
  if (code == CURLE_OK) return Ok();

  std::string detail = error_text[0] ? error_text : curl_easy_strerror(code);
  std::string where = "SMTP relay " + host;
  std::string step = transcript.failed_command.empty() ? "the connection" : transcript.failed_command;
  std::string said = transcript.failure.empty() ? detail : transcript.failure;
  switch (code) {
    case CURLE_LOGIN_DENIED:
      return Error{ErrorCode::kUnauthenticated, "SMTP login failed for " + relay.username + "@" + host, {}};
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Error::Invalid("url", "bad SMTP relay URL " + relay.url + ": " + detail);
    case CURLE_OPERATION_TIMEDOUT:
      return Error::Unavailable(where + " did not answer in time (" + detail + ")");
    case CURLE_OUT_OF_MEMORY:
      return Error::Internal(where + ": " + detail);
    default:
      break;
  }
  if (transcript.failed && said.size() >= 1 && said[0] == '5') {
    std::string_view failed = transcript.failed_command;
    // 552: the message is too large, whichever command the relay said it to.
    const char* field = said.rfind("552", 0) == 0           ? "message"
                        : StartsWithNoCase(failed, "mail ") ? "envelope_from"
                        : StartsWithNoCase(failed, "rcpt ") ? "recipient"
                        : StartsWithNoCase(failed, "data")  ? "message"
                                                            : nullptr;
    // 5xx to the greeting, EHLO or STARTTLS is about the relay, not this message.
    if (field) return Error::Invalid(field, where + " refused " + step + ": " + said);
  }
  if (transcript.failed) return Error::Unavailable(where + " refused " + step + ": " + said);
  return Error::Unavailable(where + " unavailable: " + detail);
}

}  // namespace kizuna::email
