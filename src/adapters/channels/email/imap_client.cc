// libcurl opens the connection and signs in (CURLOPT_CONNECT_ONLY: TLS, STARTTLS and
// SASL stay curl's job); the commands after that are written and read here.
//
// Why not curl's own IMAP requests (checked against curl 7.88.1 and dovecot 2.3.19):
//  - imap://host/INBOX/;UID=n sends "UID FETCH n BODY[]" after SELECT, which sets \Seen.
//  - A CURLOPT_CUSTOMREQUEST ("UID FETCH n BODY.PEEK[]") hands the write callback only the
//    lines that start with "* ": a message's own lines are lost. The header callback sees
//    every line, but curl ends the response at the first line that starts with its
//    (predictable) tag, so a message containing "A004 OK" comes back truncated with
//    CURLE_OK, and the rest of it is read as the answer to the next command. One crafted
//    email could stall a mailbox forever.
// Reading literals by their announced length ({N}) here avoids both.
#include "adapters/channels/email/imap_client.h"

#include <curl/curl.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

namespace kizuna::email {
namespace {

constexpr std::size_t kMaxLineBytes = 16u << 20;      // one response line, literals excluded
constexpr std::size_t kMaxLiteralBytes = 128u << 20;  // one message
constexpr std::size_t kMaxResponseBytes = 256u << 20; // everything answering one command
constexpr std::size_t kMaxNesting = 64;               // parenthesised lists inside one response

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && Upper(text.substr(0, prefix.size())) == prefix;
}

// A strictly decimal number that fits in T, or nullopt.
template <typename T>
std::optional<T> ParseNumber(std::string_view text) {
  if (text.empty()) return std::nullopt;
  constexpr auto kMax = static_cast<unsigned long long>(std::numeric_limits<T>::max());
  unsigned long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    auto digit = static_cast<unsigned long long>(c - '0');
    if (value > (kMax - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return static_cast<T>(value);
}

// One item of a parsed response: an atom (also numbers, NIL, BODY[...]), a string
// (quoted or literal) or a parenthesised list.
struct Value {
  enum class Kind { kAtom, kString, kList };
  Kind kind = Kind::kAtom;
  std::string text;
  std::vector<Value> items;

  bool IsAtom(std::string_view upper) const { return kind == Kind::kAtom && Upper(text) == upper; }
};

// An untagged response. Status responses (OK, NO, BAD, BYE, PREAUTH) keep their text
// unparsed, since free text may hold unbalanced brackets and quotes.
struct Untagged {
  std::string status;  // upper-case status word, empty for data responses
  std::string code;    // inside [...] of a status response
  std::string text;
  std::vector<Value> values;  // data responses: "1", "FETCH", (...)
};

struct Response {
  std::vector<Untagged> untagged;
  std::string status;  // OK, NO or BAD
  std::string code;
  std::string text;

  bool ok() const { return status == "OK"; }
  std::string CodeWord() const { return Upper(code.substr(0, code.find(' '))); }
};

// "[CODE args] text" after a status word.
void SplitStatusText(std::string_view rest, std::string& code, std::string& text) {
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    if (close != std::string_view::npos) {
      code = std::string(rest.substr(1, close - 1));
      rest.remove_prefix(close + 1);
      if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    }
  }
  text = std::string(rest);
}

bool IsStatusWord(std::string_view upper) {
  return upper == "OK" || upper == "NO" || upper == "BAD" || upper == "BYE" || upper == "PREAUTH";
}

// The byte count when `line[pos..]` is exactly "{N}", "{N+}" or "~{N}" (a literal follows).
std::optional<std::size_t> LiteralAt(std::string_view line, std::size_t pos) {
  if (pos < line.size() && line[pos] == '~') ++pos;
  if (pos >= line.size() || line[pos] != '{' || line.back() != '}') return std::nullopt;
  std::string_view digits = line.substr(pos + 1, line.size() - pos - 2);
  if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
  return ParseNumber<std::size_t>(digits);
}

// "1:3,7,9:10" for ascending uids.
std::string UidSet(const std::vector<std::uint32_t>& uids) {
  std::string out;
  for (std::size_t uid_idx = 0; uid_idx < uids.size();) {
    std::size_t run_end = uid_idx;
    while (run_end + 1 < uids.size() && uids[run_end + 1] == uids[run_end] + 1) ++run_end;
    if (!out.empty()) out += ',';
    out += std::to_string(uids[uid_idx]);
    if (run_end > uid_idx) out += ':' + std::to_string(uids[run_end]);
    uid_idx = run_end + 1;
  }
  return out;
}

// A folder name as an IMAP quoted string in modified UTF-7 (RFC 3501 5.1.3).
Result<std::string> QuoteMailbox(const std::string& name) {
  if (name.empty()) return Error::Invalid("folder", "the IMAP folder name is empty");
  static constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
  std::string out = "\"";
  std::vector<std::uint16_t> pending;  // UTF-16 units of the current non-ASCII run
  auto flush = [&] {
    if (pending.empty()) return;
    out += '&';
    std::uint32_t bits = 0;
    int bit_count = 0;
    for (std::uint16_t unit : pending) {
      bits = (bits << 16) | unit;
      bit_count += 16;
      while (bit_count >= 6) {
        bit_count -= 6;
        out += kBase64[(bits >> bit_count) & 0x3f];
      }
      bits &= (1u << bit_count) - 1;
    }
    if (bit_count > 0) out += kBase64[(bits << (6 - bit_count)) & 0x3f];
    out += '-';
    pending.clear();
  };
  for (std::size_t byte_idx = 0; byte_idx < name.size();) {
    auto byte = static_cast<unsigned char>(name[byte_idx]);
    if (byte < 0x80) {
      if (byte < 0x20 || byte == 0x7f) return Error::Invalid("folder", "the IMAP folder name contains a control character");
      flush();
      if (byte == '&') {
        out += "&-";
      } else {
        if (byte == '"' || byte == '\\') out += '\\';
        out += static_cast<char>(byte);
      }
      ++byte_idx;
      continue;
    }
    int length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 0;
    if (length == 0 || byte >= 0xf8 || byte_idx + static_cast<std::size_t>(length) > name.size()) {
      return Error::Invalid("folder", "the IMAP folder name is not valid UTF-8");
    }
    std::uint32_t code_point = byte & (0x7f >> length);
    for (int cont_idx = 1; cont_idx < length; ++cont_idx) {
      auto cont = static_cast<unsigned char>(name[byte_idx + static_cast<std::size_t>(cont_idx)]);
      if ((cont & 0xc0) != 0x80) return Error::Invalid("folder", "the IMAP folder name is not valid UTF-8");
      code_point = (code_point << 6) | (cont & 0x3f);
    }
    static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kMinimum[length] || code_point > 0x10ffff || (code_point >= 0xd800 && code_point <= 0xdfff)) {
      return Error::Invalid("folder", "the IMAP folder name is not valid UTF-8");
    }
    if (code_point >= 0x10000) {
      code_point -= 0x10000;
      pending.push_back(static_cast<std::uint16_t>(0xd800 + (code_point >> 10)));
      pending.push_back(static_cast<std::uint16_t>(0xdc00 + (code_point & 0x3ff)));
    } else {
      pending.push_back(static_cast<std::uint16_t>(code_point));
    }
    byte_idx += static_cast<std::size_t>(length);
  }
  flush();
  return out + '"';
}

// The attributes of a "* n FETCH (...)" response, or nullptr for other responses.
const std::vector<Value>* FetchAttributes(const Untagged& response) {
  if (!response.status.empty() || response.values.size() < 3) return nullptr;
  if (!response.values[1].IsAtom("FETCH") || response.values[2].kind != Value::Kind::kList) return nullptr;
  return &response.values[2].items;
}

// The value following attribute `name` ("UID", "BODY[]") in a FETCH attribute list.
const Value* Attribute(const std::vector<Value>& attributes, std::string_view name) {
  for (std::size_t attr_idx = 0; attr_idx + 1 < attributes.size(); attr_idx += 2) {
    if (attributes[attr_idx].IsAtom(name)) return &attributes[attr_idx + 1];
  }
  return nullptr;
}

std::optional<std::uint32_t> UidOf(const std::vector<Value>& attributes) {
  const Value* uid = Attribute(attributes, "UID");
  if (!uid || uid->kind != Value::Kind::kAtom) return std::nullopt;
  return ParseNumber<std::uint32_t>(uid->text);
}

// The host of `url`, and host:port when the URL names a port.
std::pair<std::string, std::string> HostOf(const std::string& url) {
  std::string host, port;
  CURLU* parsed = curl_url();
  if (parsed && curl_url_set(parsed, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    char* part = nullptr;
    if (curl_url_get(parsed, CURLUPART_HOST, &part, 0) == CURLUE_OK) host = part;
    curl_free(part);
    part = nullptr;
    if (curl_url_get(parsed, CURLUPART_PORT, &part, 0) == CURLUE_OK) port = part;
    curl_free(part);
  }
  curl_url_cleanup(parsed);
  if (host.empty()) return {url, url};
  return {host, port.empty() ? host : host + ":" + port};
}

}  // namespace

// The connection, its read buffer and the response reader.
struct ImapSession::Connection {
  CURL* curl = nullptr;
  curl_socket_t socket = CURL_SOCKET_BAD;
  int timeout_ms = 30000;
  std::string server;  // host:port for messages
  std::string buffer;
  std::size_t read_pos = 0;
  std::size_t response_bytes = 0;  // read for the current command
  unsigned tag_counter = 0;
  bool healthy = true;
  bool selected = false;
  std::optional<std::vector<std::string>> capabilities;
  std::string bye;  // text of an untagged BYE, explains a closed connection

  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // libcurl does not log out of a CONNECT_ONLY connection; a healthy one says LOGOUT
  // and waits (two seconds at most) for the answer, so the server ends the session cleanly.
  ~Connection() {
    if (!curl) return;
    if (healthy && socket != CURL_SOCKET_BAD) {
      timeout_ms = std::min(timeout_ms, 2000);
      (void)Run("LOGOUT");
    }
    curl_easy_cleanup(curl);
  }

  static Result<std::unique_ptr<Connection>> Open(const ImapAccount& account) {
    InitCurlOnce();
    bool implicit_tls = StartsWithNoCase(account.url, "IMAPS://");
    if (!implicit_tls && !StartsWithNoCase(account.url, "IMAP://")) {
      return Error::Invalid("url", "an IMAP URL starts with imap:// or imaps://: " + account.url);
    }
    auto connection = std::make_unique<Connection>();
    connection->timeout_ms = std::max(1, account.timeout_seconds) * 1000;
    auto [host, server] = HostOf(account.url);
    connection->server = server;
    connection->curl = curl_easy_init();
    CURL* curl = connection->curl;
    if (!curl) return Error::Internal("curl_easy_init failed");
    char error_text[CURL_ERROR_SIZE] = {};
    long timeout = std::max(1, account.timeout_seconds);
    curl_easy_setopt(curl, CURLOPT_URL, account.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "imap,imaps");
    curl_easy_setopt(curl, CURLOPT_USERNAME, account.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, account.password.c_str());
    curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, timeout);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
    if (!implicit_tls) curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, account.verify_tls ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, account.verify_tls ? 2L : 0L);
    CURLcode code = curl_easy_perform(curl);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
    if (code != CURLE_OK) {
      std::string detail = error_text[0] ? error_text : curl_easy_strerror(code);
      switch (code) {
        case CURLE_LOGIN_DENIED:
          return Error{ErrorCode::kUnauthenticated, "IMAP login failed for " + account.username + "@" + host, {}};
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
          return Error::Invalid("url", "bad IMAP URL " + account.url + ": " + detail);
        case CURLE_OUT_OF_MEMORY:
          return Error::Internal("IMAP connection to " + connection->server + ": " + detail);
        case CURLE_OPERATION_TIMEDOUT:
          return Error::Unavailable("IMAP server " + connection->server + " did not answer within " +
                                    std::to_string(timeout) + " s: " + detail);
        default:
          return Error::Unavailable("IMAP server " + connection->server + " unavailable: " + detail);
      }
    }
    curl_easy_getinfo(curl, CURLINFO_ACTIVESOCKET, &connection->socket);
    if (connection->socket == CURL_SOCKET_BAD) {
      return Error::Unavailable("IMAP server " + connection->server + " closed the connection after login");
    }
    return connection;
  }

  Error Broken(std::string message) {
    healthy = false;
    selected = false;
    return Error::Unavailable("IMAP server " + server + ": " + std::move(message));
  }

  Status Wait(short events) {
    pollfd poll_fd{socket, events, 0};
    int ready = 0;
    do {
      ready = poll(&poll_fd, 1, timeout_ms);
    } while (ready < 0 && errno == EINTR);
    if (ready == 0) return Broken("no answer within " + std::to_string(timeout_ms / 1000) + " s");
    if (ready < 0) return Broken(std::string("poll failed: ") + std::strerror(errno));
    return Ok();
  }

  Status Send(std::string_view bytes) {
    while (!bytes.empty()) {
      std::size_t sent = 0;
      CURLcode code = curl_easy_send(curl, bytes.data(), bytes.size(), &sent);
      if (code == CURLE_AGAIN) {
        KZ_TRY(Wait(POLLOUT));
        continue;
      }
      if (code != CURLE_OK) return Broken(std::string("sending failed: ") + curl_easy_strerror(code));
      bytes.remove_prefix(sent);
    }
    return Ok();
  }

  // Appends what the server sent next to `buffer`.
  Status Fill() {
    constexpr std::size_t kChunk = 64 * 1024;
    for (;;) {
      std::size_t old_size = buffer.size();
      buffer.resize(old_size + kChunk);
      std::size_t received = 0;
      CURLcode code = curl_easy_recv(curl, buffer.data() + old_size, kChunk, &received);
      buffer.resize(old_size + (code == CURLE_OK ? received : 0));
      if (code == CURLE_AGAIN) {
        KZ_TRY(Wait(POLLIN));
        continue;
      }
      if (code != CURLE_OK) return Broken(std::string("receiving failed: ") + curl_easy_strerror(code));
      if (received == 0) return Broken(bye.empty() ? "the server closed the connection" : "the server said BYE: " + bye);
      return Ok();
    }
  }

  // The next line without its line end (CRLF, or a bare LF from a sloppy server).
  Result<std::string> ReadLine() {
    std::size_t scanned = read_pos;
    for (;;) {
      auto end = buffer.find('\n', scanned);
      if (end != std::string::npos) {
        std::size_t length = end - read_pos;
        if (length > 0 && buffer[end - 1] == '\r') --length;
        std::string line = buffer.substr(read_pos, length);
        response_bytes += end + 1 - read_pos;
        read_pos = end + 1;
        if (response_bytes > kMaxResponseBytes) return Broken("an answer is larger than 256 MiB");
        return line;
      }
      scanned = buffer.size();
      if (buffer.size() - read_pos > kMaxLineBytes) return Broken("a response line is longer than 16 MiB");
      KZ_TRY(Fill());
    }
  }

  Result<std::string> ReadBytes(std::size_t count) {
    response_bytes += count;
    if (response_bytes > kMaxResponseBytes) return Broken("an answer is larger than 256 MiB");
    if (buffer.size() - read_pos < count) buffer.reserve(read_pos + count);
    while (buffer.size() - read_pos < count) KZ_TRY(Fill());
    std::string bytes = buffer.substr(read_pos, count);
    read_pos += count;
    return bytes;
  }

  // Parses a data response starting at line[pos], reading literals and the lines that
  // follow them. Lenient: unbalanced brackets close at the end, stray ')' are skipped.
  Result<std::vector<Value>> ParseValues(std::string line, std::size_t pos) {
    std::vector<std::vector<Value>> open(1);
    for (;;) {
      if (pos >= line.size()) break;
      char c = line[pos];
      if (c == ' ') {
        ++pos;
      } else if (c == '(') {
        if (open.size() > kMaxNesting) return Broken("a response nests lists too deeply");
        open.emplace_back();
        ++pos;
      } else if (c == ')') {
        if (open.size() > 1) {
          Value list{Value::Kind::kList, {}, std::move(open.back())};
          open.pop_back();
          open.back().push_back(std::move(list));
        }
        ++pos;
      } else if (c == '"') {
        std::string text;
        for (++pos; pos < line.size() && line[pos] != '"'; ++pos) {
          if (line[pos] == '\\' && pos + 1 < line.size()) ++pos;
          text += line[pos];
        }
        ++pos;
        open.back().push_back(Value{Value::Kind::kString, std::move(text), {}});
      } else if (auto literal = LiteralAt(line, pos)) {
        if (*literal > kMaxLiteralBytes) {
          healthy = false;
          selected = false;
          return Error{ErrorCode::kPayloadTooLarge,
                       "IMAP server " + server + " sent " + std::to_string(*literal) + " bytes; the limit is 128 MiB",
                       {}};
        }
        KZ_ASSIGN(std::string bytes, ReadBytes(*literal));
        open.back().push_back(Value{Value::Kind::kString, std::move(bytes), {}});
        KZ_ASSIGN(line, ReadLine());
        pos = 0;
      } else {
        std::size_t start = pos;
        int bracket_depth = 0;
        for (; pos < line.size(); ++pos) {
          char a = line[pos];
          if (a == '[') ++bracket_depth;
          if (a == ']' && bracket_depth > 0) --bracket_depth;
          if (bracket_depth == 0 && (a == ' ' || a == '(' || a == ')')) break;
        }
        open.back().push_back(Value{Value::Kind::kAtom, line.substr(start, pos - start), {}});
      }
    }
    while (open.size() > 1) {
      Value list{Value::Kind::kList, {}, std::move(open.back())};
      open.pop_back();
      open.back().push_back(std::move(list));
    }
    return std::move(open.front());
  }

  // Sends one command and reads up to its tagged answer. Errors are transport or
  // protocol failures (the connection is then unusable); NO and BAD are in the Response.
  Result<Response> Run(const std::string& command) {
    if (!healthy) return Broken("the connection was lost earlier");
    buffer.erase(0, read_pos);
    read_pos = 0;
    response_bytes = 0;
    std::string tag = "K" + std::to_string(++tag_counter);
    KZ_TRY(Send(tag + " " + command + "\r\n"));
    Response response;
    for (;;) {
      KZ_ASSIGN(std::string line, ReadLine());
      if (line.size() >= 2 && line[0] == '*' && line[1] == ' ') {
        std::string_view rest = std::string_view(line).substr(2);
        std::string word = Upper(rest.substr(0, rest.find(' ')));
        Untagged untagged;
        if (IsStatusWord(word)) {
          untagged.status = word;
          SplitStatusText(rest.size() > word.size() ? rest.substr(word.size() + 1) : std::string_view(),
                          untagged.code, untagged.text);
          if (word == "BYE") bye = untagged.text;
        } else {
          KZ_ASSIGN(untagged.values, ParseValues(std::move(line), 2));
        }
        response.untagged.push_back(std::move(untagged));
      } else if (line.compare(0, tag.size() + 1, tag + " ") == 0) {
        std::string_view rest = std::string_view(line).substr(tag.size() + 1);
        response.status = Upper(rest.substr(0, rest.find(' ')));
        SplitStatusText(rest.size() > response.status.size() ? rest.substr(response.status.size() + 1)
                                                             : std::string_view(),
                        response.code, response.text);
        if (response.status != "OK" && response.status != "NO" && response.status != "BAD") {
          return Broken("unexpected answer to " + command.substr(0, command.find(' ', 4)) + ": " + line.substr(0, 200));
        }
        return response;
      } else if (!line.empty() && line[0] == '+') {
        return Broken("the server asked for a continuation nobody sent");
      }
      // Anything else (another tag, garbage) is not ours to interpret.
    }
  }

  // The first `limit` uids >= `first_uid` matching `criteria`, ascending. "UID n:*" also
  // matches the last message when n is past it, hence the filter.
  Result<std::vector<std::uint32_t>> SearchUids(const std::string& criteria, std::uint32_t first_uid, int limit) {
    KZ_ASSIGN(Response response, Run("UID SEARCH " + criteria));
    if (!response.ok()) return Error::Unavailable("IMAP server " + server + " refused UID SEARCH: " + response.text);
    std::vector<std::uint32_t> uids;
    for (const Untagged& untagged : response.untagged) {
      if (untagged.values.empty() || !untagged.values[0].IsAtom("SEARCH")) continue;
      for (const Value& value : untagged.values) {
        auto uid = ParseNumber<std::uint32_t>(value.text);
        if (uid && *uid >= first_uid) uids.push_back(*uid);
      }
    }
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    if (uids.size() > static_cast<std::size_t>(limit)) uids.resize(static_cast<std::size_t>(limit));
    return uids;
  }

  // Uid and size of each of `uids` (ascending) that still exists. Batches of 500 keep
  // a sparse uid set under servers' command length limits (dovecot: 64 KiB).
  Result<std::vector<ImapMessageInfo>> Sizes(const std::vector<std::uint32_t>& uids) {
    constexpr std::size_t kBatch = 500;
    std::vector<ImapMessageInfo> messages;
    for (std::size_t batch_start = 0; batch_start < uids.size(); batch_start += kBatch) {
      std::vector<std::uint32_t> batch(uids.begin() + static_cast<std::ptrdiff_t>(batch_start),
                                       uids.begin() + static_cast<std::ptrdiff_t>(std::min(uids.size(), batch_start + kBatch)));
      KZ_ASSIGN(Response response, Run("UID FETCH " + UidSet(batch) + " (UID RFC822.SIZE)"));
      if (!response.ok()) return Error::Unavailable("IMAP server " + server + " refused UID FETCH: " + response.text);
      for (const Untagged& untagged : response.untagged) {
        const auto* attributes = FetchAttributes(untagged);
        auto uid = attributes ? UidOf(*attributes) : std::nullopt;
        if (!uid || !std::binary_search(batch.begin(), batch.end(), *uid)) continue;
        const Value* size = Attribute(*attributes, "RFC822.SIZE");
        auto bytes = size ? ParseNumber<std::int64_t>(size->text) : std::nullopt;
        messages.push_back(ImapMessageInfo{*uid, bytes.value_or(0)});
      }
    }
    auto by_uid = [](const ImapMessageInfo& a, const ImapMessageInfo& b) { return a.uid < b.uid; };
    auto same_uid = [](const ImapMessageInfo& a, const ImapMessageInfo& b) { return a.uid == b.uid; };
    std::sort(messages.begin(), messages.end(), by_uid);
    messages.erase(std::unique(messages.begin(), messages.end(), same_uid), messages.end());
    return messages;
  }

  Result<bool> HasCapability(std::string_view name) {
    if (!capabilities) {
      KZ_ASSIGN(Response response, Run("CAPABILITY"));
      capabilities.emplace();
      for (const Untagged& untagged : response.untagged) {
        if (untagged.values.empty() || !untagged.values[0].IsAtom("CAPABILITY")) continue;
        for (const Value& value : untagged.values) capabilities->push_back(Upper(value.text));
      }
    }
    return std::find(capabilities->begin(), capabilities->end(), name) != capabilities->end();
  }
};

ImapSession::ImapSession(ImapAccount account) : account_(std::move(account)) {}
ImapSession::~ImapSession() = default;
ImapSession::ImapSession(ImapSession&&) noexcept = default;
ImapSession& ImapSession::operator=(ImapSession&&) noexcept = default;

Error ImapSession::Dropped(Error error) {
  if (connection_ && !connection_->healthy) connection_.reset();
  return error;
}

Result<ImapSession::Connection*> ImapSession::Connected() {
  if (connection_ && !connection_->healthy) connection_.reset();
  if (!connection_) {
    KZ_ASSIGN(connection_, Connection::Open(account_));
  }
  return connection_.get();
}

Result<ImapFolderState> ImapSession::Select() {
  KZ_ASSIGN(ImapFolderState state, SelectFolder());
  connection_->selected = true;
  known_uidvalidity_ = state.uidvalidity;
  return state;
}

Result<ImapFolderState> ImapSession::SelectFolder() {
  KZ_ASSIGN(std::string mailbox, QuoteMailbox(account_.folder));
  KZ_ASSIGN(Connection * connection, Connected());
  connection->selected = false;
  auto response = connection->Run("SELECT " + mailbox);
  if (!response.ok()) return Dropped(response.error());
  if (!response->ok()) {
    std::string code = response->CodeWord();
    std::string where = "IMAP folder \"" + account_.folder + "\" on " + connection->server;
    if (response->status == "NO" && (code == "UNAVAILABLE" || code == "SERVERBUG" || code == "INUSE" || code == "LIMIT")) {
      return Error::Unavailable(where + " cannot be opened now: " + response->text);
    }
    if (response->status == "BAD") return Error::Invalid("folder", where + " was refused: " + response->text);
    return Error::NotFound(where + " not found: " + response->text);
  }
  ImapFolderState state;
  bool has_uidnext = false;
  std::uint32_t exists = 0;
  for (const Untagged& untagged : response->untagged) {
    if (untagged.status == "OK") {
      std::string word = Upper(untagged.code.substr(0, untagged.code.find(' ')));
      std::string argument = untagged.code.size() > word.size() ? untagged.code.substr(word.size() + 1) : "";
      if (word == "UIDVALIDITY") state.uidvalidity = ParseNumber<std::uint32_t>(argument).value_or(0);
      if (word == "UIDNEXT") {
        auto uidnext = ParseNumber<std::uint32_t>(argument);
        has_uidnext = uidnext.has_value();
        state.uidnext = uidnext.value_or(0);
      }
    } else if (untagged.values.size() == 2 && untagged.values[1].IsAtom("EXISTS")) {
      exists = ParseNumber<std::uint32_t>(untagged.values[0].text).value_or(0);
    }
  }
  if (state.uidvalidity == 0) {
    return Error::Unavailable("IMAP server " + connection->server + " sent no UIDVALIDITY for \"" + account_.folder + "\"");
  }
  if (!has_uidnext && exists > 0) {
    // Some servers leave UIDNEXT out; the highest uid plus one is as good.
    auto last = connection->Run("UID FETCH * (UID)");
    if (!last.ok()) return Dropped(last.error());
    for (const Untagged& untagged : last->untagged) {
      const auto* attributes = FetchAttributes(untagged);
      if (auto uid = attributes ? UidOf(*attributes) : std::nullopt) state.uidnext = std::max(state.uidnext, *uid + 1);
    }
  }
  return state;
}

Status ImapSession::EnsureSelected() {
  if (connection_ && connection_->healthy && connection_->selected) return Ok();
  KZ_ASSIGN(ImapFolderState state, SelectFolder());
  // The uids the caller holds belong to the old numbering: refuse until it calls Select().
  if (known_uidvalidity_ != 0 && state.uidvalidity != known_uidvalidity_) {
    return Error::Conflict("UIDVALIDITY of IMAP folder \"" + account_.folder + "\" changed from " +
                           std::to_string(known_uidvalidity_) + " to " + std::to_string(state.uidvalidity) +
                           "; call Select() again");
  }
  if (known_uidvalidity_ == 0) known_uidvalidity_ = state.uidvalidity;
  connection_->selected = true;
  return Ok();
}

Result<std::vector<ImapMessageInfo>> ImapSession::ListFrom(std::uint32_t first_uid, int limit) {
  if (limit <= 0) return Error::Invalid("limit", "limit must be positive");
  first_uid = std::max<std::uint32_t>(first_uid, 1);
  KZ_TRY(EnsureSelected());
  auto uids = connection_->SearchUids("UID " + std::to_string(first_uid) + ":* UNDELETED", first_uid, limit);
  if (!uids.ok()) return Dropped(uids.error());
  auto messages = connection_->Sizes(*uids);
  if (!messages.ok()) return Dropped(messages.error());
  return messages;
}

Result<std::vector<ImapMessageInfo>> ImapSession::ListUnseen(int limit) {
  if (limit <= 0) return Error::Invalid("limit", "limit must be positive");
  KZ_TRY(EnsureSelected());
  auto uids = connection_->SearchUids("UNSEEN UNDELETED", 1, limit);
  if (!uids.ok()) return Dropped(uids.error());
  auto messages = connection_->Sizes(*uids);
  if (!messages.ok()) return Dropped(messages.error());
  return messages;
}

Result<std::string> ImapSession::Fetch(std::uint32_t uid) {
  KZ_TRY(EnsureSelected());
  auto response = connection_->Run("UID FETCH " + std::to_string(uid) + " (UID BODY.PEEK[])");
  if (!response.ok()) return Dropped(response.error());
  if (!response->ok()) {
    return Error::Unavailable("IMAP server " + connection_->server + " refused to fetch uid " + std::to_string(uid) +
                              ": " + response->text);
  }
  const Value* anonymous_body = nullptr;
  int bodies = 0;
  for (const Untagged& untagged : response->untagged) {
    const auto* attributes = FetchAttributes(untagged);
    const Value* body = attributes ? Attribute(*attributes, "BODY[]") : nullptr;
    if (!body || body->kind != Value::Kind::kString) continue;
    auto found = UidOf(*attributes);
    if (found == uid) return body->text;
    if (!found) {
      anonymous_body = body;
      ++bodies;
    }
  }
  // A server that leaves UID out of the answer to a single-uid fetch still answered it.
  if (anonymous_body && bodies == 1) return anonymous_body->text;
  return Error::NotFound("no message with uid " + std::to_string(uid) + " in IMAP folder \"" + account_.folder + "\"");
}

Status ImapSession::MarkSeen(std::uint32_t uid) {
  KZ_TRY(EnsureSelected());
  auto response = connection_->Run("UID STORE " + std::to_string(uid) + " +FLAGS.SILENT (\\Seen)");
  if (!response.ok()) return Dropped(response.error());
  if (!response->ok()) {
    return Error::Unavailable("IMAP server " + connection_->server + " refused to mark uid " + std::to_string(uid) +
                              " seen: " + response->text);
  }
  return Ok();
}

Status ImapSession::MoveTo(std::uint32_t uid, const std::string& folder) {
  KZ_ASSIGN(std::string target, QuoteMailbox(folder));
  KZ_TRY(EnsureSelected());
  Connection* connection = connection_.get();
  std::string id = std::to_string(uid);
  auto refused = [&](const Response& response, const char* command) -> Error {
    std::string code = response.CodeWord();
    if (code == "TRYCREATE" || code == "NONEXISTENT") {
      return Error::NotFound("IMAP folder \"" + folder + "\" does not exist on " + connection->server);
    }
    return Error::Unavailable("IMAP server " + connection->server + " refused " + command + " of uid " + id + ": " +
                              response.text);
  };
  auto has_move = connection->HasCapability("MOVE");
  if (!has_move.ok()) return Dropped(has_move.error());
  if (*has_move) {
    auto moved = connection->Run("UID MOVE " + id + " " + target);
    if (!moved.ok()) return Dropped(moved.error());
    if (!moved->ok()) return refused(*moved, "UID MOVE");
    return Ok();
  }
  auto copied = connection->Run("UID COPY " + id + " " + target);
  if (!copied.ok()) return Dropped(copied.error());
  if (!copied->ok()) return refused(*copied, "UID COPY");
  auto deleted = connection->Run("UID STORE " + id + " +FLAGS.SILENT (\\Deleted)");
  if (!deleted.ok()) return Dropped(deleted.error());
  if (!deleted->ok()) return refused(*deleted, "UID STORE \\Deleted");
  auto has_uidplus = connection->HasCapability("UIDPLUS");
  if (!has_uidplus.ok()) return Dropped(has_uidplus.error());
  // Without UIDPLUS, EXPUNGE also removes messages others marked \Deleted: that is what
  // \Deleted asks for anyway.
  auto expunged = connection->Run(*has_uidplus ? "UID EXPUNGE " + id : std::string("EXPUNGE"));
  if (!expunged.ok()) return Dropped(expunged.error());
  if (!expunged->ok()) return refused(*expunged, "EXPUNGE");
  return Ok();
}

}  // namespace kizuna::email
