// Bad input at every layer, against one running server: each case is refused
// with a 4xx problem (or the connection is closed), never a 5xx, the server
// stays healthy, and nothing half-written is left behind.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// How the request bytes are sent.
enum class Pace {
  kAtOnce,     // all bytes, then half-close
  kSlowloris,  // one byte every 500 ms, never finishing the headers
  kSilent,     // connect and send nothing
};

struct BadInput {
  std::string name;
  std::string request;     // the exact bytes sent
  std::set<int> statuses;  // acceptable answers; empty: the server closes without answering
  std::string field;       // the problem's "field", where one field is at fault
  Pace pace = Pace::kAtOnce;
};

// What came back on one connection.
struct RawReply {
  std::string bytes;
  bool closed = false;  // the server closed the connection (FIN or RST) before the deadline
  milliseconds elapsed{0};
};

int Connect(unsigned short port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (fd >= 0) close(fd);
    return -1;
  }
  return fd;
}

// Reads into `reply` until the server closes or `deadline` passes.
void ReadUntilClosed(int fd, Clock::time_point deadline, RawReply& reply) {
  char buf[16384];
  while (Clock::now() < deadline) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd, POLLIN, 0};
    int ready = poll(&p, 1, static_cast<int>(std::max<long long>(1, left)));
    if (ready <= 0) continue;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      reply.closed = true;
      return;
    }
    reply.bytes.append(buf, static_cast<std::size_t>(n));
  }
}

// Sends `bytes` at the given pace and collects the answer within `timeout`.
RawReply Exchange(unsigned short port, const std::string& bytes, Pace pace, milliseconds timeout) {
  RawReply reply;
  auto started = Clock::now();
  auto deadline = started + timeout;
  int fd = Connect(port);
  if (fd < 0) {
    reply.closed = true;
    return reply;
  }
  if (pace == Pace::kAtOnce) {
    // The server may refuse early (413, 431) and close while we still send: keep reading anyway.
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    shutdown(fd, SHUT_WR);
    ReadUntilClosed(fd, deadline, reply);
  } else if (pace == Pace::kSlowloris) {
    for (std::size_t idx = 0; idx < bytes.size() && !reply.closed && Clock::now() < deadline; ++idx) {
      if (send(fd, bytes.data() + idx, 1, MSG_NOSIGNAL) != 1) {
        reply.closed = true;
        break;
      }
      ReadUntilClosed(fd, std::min(deadline, Clock::now() + milliseconds(500)), reply);
    }
    if (!reply.closed) ReadUntilClosed(fd, deadline, reply);
  } else {
    ReadUntilClosed(fd, deadline, reply);
  }
  reply.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
  close(fd);
  return reply;
}

struct ParsedResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string rest;  // bytes after the first response: a second answer means the stream was desynchronised
};

std::optional<ParsedResponse> ParseResponse(const std::string& raw) {
  int status = StatusOf(raw);
  auto end = raw.find("\r\n\r\n");
  if (status == 0 || end == std::string::npos) return std::nullopt;
  ParsedResponse out;
  out.status = status;
  std::size_t line = raw.find("\r\n") + 2;
  while (line < end) {
    std::size_t next = raw.find("\r\n", line);
    std::string header = raw.substr(line, next - line);
    auto colon = header.find(':');
    if (colon != std::string::npos) {
      std::string name = header.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto value = header.find_first_not_of(' ', colon + 1);
      out.headers[name] = value == std::string::npos ? "" : header.substr(value);
    }
    line = next + 2;
  }
  std::size_t length = raw.size() - end - 4;
  if (auto it = out.headers.find("content-length"); it != out.headers.end()) {
    length = std::min<std::size_t>(length, std::stoul(it->second));
  }
  out.body = raw.substr(end + 4, length);
  out.rest = raw.substr(end + 4 + length);
  return out;
}

// A request as bytes, with Content-Length and Connection: close.
std::string Http(const std::string& method, const std::string& target, const std::string& body = "",
                 const std::string& extra_headers = "") {
  std::string out = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!body.empty() || method == "POST" || method == "PATCH") {
    out += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return out + extra_headers + "\r\n" + body;
}

// One client's view of the server: is /healthz answering, and how fast.
struct Health {
  bool ok = false;
  milliseconds latency{0};
};

Health CheckHealth(unsigned short port) {
  RawReply reply = Exchange(port, Http("GET", "/healthz"), Pace::kAtOnce, milliseconds(5000));
  return Health{StatusOf(reply.bytes) == 200, reply.elapsed};
}

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    token_ = server_.CreateWorkspaceWithToken("badinput", "admin@badinput.test");
    admin_ = std::make_unique<Client>(server_.port());
    admin_->set_token(token_);
  }

  std::string Auth() const { return "Authorization: Bearer " + token_ + "\r\n"; }
  // An authenticated API request.
  std::string Api(const std::string& method, const std::string& target, const std::string& body = "",
                  const std::string& extra_headers = "") const {
    return Http(method, target, body, Auth() + extra_headers);
  }

  int CountOf(const std::string& target, const std::string& key) const {
    auto res = admin_->Get(target);
    EXPECT_EQ(res.status, 200) << target << ": " << res.body;
    return static_cast<int>(res.Json()[key].size());
  }

  KizunaProcess server_;
  std::string token_;
  std::unique_ptr<Client> admin_;
};

// A valid ticket body with one member replaced (or removed, when `value` is discarded).
std::string TicketWith(const std::string& key, const json& value) {
  json body{{"subject", "Cannot sign in"}, {"body", "Since this morning."},
            {"requester", {{"name", "Mai"}, {"email", "mai@example.vn"}}}};
  if (value.is_discarded()) {
    body.erase(key);
  } else {
    body[key] = value;
  }
  return body.dump();
}
std::string TicketWithout(const std::string& key) { return TicketWith(key, json(json::value_t::discarded)); }

std::string Repeat(const std::string& unit, std::size_t count) {
  std::string out;
  out.reserve(unit.size() * count);
  for (std::size_t idx = 0; idx < count; ++idx) out += unit;
  return out;
}

TEST_F(BadInputTest, EveryBadRequestIsRefusedCleanlyAndChangesNothing) {
  // The valid setup: what the workspace must hold at the end.
  const std::string subject_250(250, 's');
  auto first = admin_->Post("/api/v1/tickets", json{{"subject", "A real ticket"}, {"body", "本文"},
                                                    {"requester", {{"name", "Yuki"}, {"email", "yuki@example.jp"}}}});
  ASSERT_EQ(first.status, 201) << first.body;
  // The limits themselves are accepted: 250 characters of subject, 65,536 of body.
  auto at_limits = admin_->Post("/api/v1/tickets", json{{"subject", subject_250}, {"body", std::string(65536, 'b')},
                                                        {"requester", {{"email", "yuki@example.jp"}}}});
  ASSERT_EQ(at_limits.status, 201) << at_limits.body;
  auto customer = admin_->Post("/api/v1/customers", json{{"name", "Minh"}});
  ASSERT_EQ(customer.status, 201) << customer.body;
  const int kSetupTickets = 2;
  const std::string ticket = "/api/v1/tickets/" + std::to_string(first.Json()["id"].get<int>());
  const std::string customer_path = "/api/v1/customers/" + std::to_string(customer.Json()["id"].get<int>());
  const int customers_after_setup = CountOf("/api/v1/customers?limit=100", "customers");
  ASSERT_EQ(CountOf("/api/v1/tickets?limit=100", "tickets"), kSetupTickets);

  json identities_21 = json::array();
  for (int idx = 0; idx < 21; ++idx) {
    identities_21.push_back({{"kind", "email"}, {"value", "n" + std::to_string(idx) + "@example.com"}});
  }
  json tags_51 = json::array();
  for (int idx = 0; idx < 51; ++idx) tags_51.push_back("t" + std::to_string(idx));
  std::string flood_small;  // 1,000 headers of 19 bytes: over the 16 KiB header limit
  std::string flood_tiny;   // 1,000 headers of 6 bytes: under it
  for (int idx = 0; idx < 1000; ++idx) {
    char line[32];
    std::snprintf(line, sizeof line, "X-Flood-%04d: 1\r\n", idx);
    flood_small += line;
    flood_tiny += "a" + std::to_string(idx % 10) + ":1\r\n";
  }
  const std::string kTickets = "/api/v1/tickets";
  const std::string kCustomers = "/api/v1/customers";
  const std::string kHealthLine = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  // The start of a raw ticket create, for framing errors after it.
  const std::string kPostTicket = "POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Auth();

  const std::vector<BadInput> cases = {
      // The body is not a JSON object.
      {"invalid JSON", Api("POST", kTickets, R"({"subject": "x",)"), {400}, "body"},
      {"JSON array instead of object", Api("POST", kTickets, R"([{"subject":"x"}])"), {400}, "body"},
      {"JSON number instead of object", Api("POST", kTickets, "42"), {400}, "body"},
      {"JSON string instead of object", Api("POST", kTickets, R"("a ticket")"), {400}, "body"},
      {"JSON null instead of object", Api("POST", kTickets, "null"), {400}, "body"},
      {"empty body", Api("POST", kTickets, ""), {400}, "body"},
      {"10,000 nested arrays", Api("POST", kTickets, std::string(10000, '[')), {400}, "body"},
      {"10,000 nested objects", Api("POST", kTickets, Repeat(R"({"a":)", 10000)), {400}, "body"},
      {"invalid UTF-8 byte in a string",
       Api("POST", kTickets, R"({"subject":"caf)" "\xff" R"(","body":"x","requester":{"email":"a@b.co"}})"), {400},
       "body"},
      {"overlong UTF-8 encoding", Api("POST", kTickets, R"({"subject":")" "\xc0\xaf" R"(","body":"x"})"), {400},
       "body"},
      {"lone UTF-16 surrogate escape", Api("POST", kTickets, R"({"subject":"\ud800","body":"x"})"), {400}, "body"},
      {"raw control byte inside a string",
       Api("POST", kTickets, R"({"subject":"a)" "\x01" R"(b","body":"x","requester":{"email":"a@b.co"}})"), {400},
       "body"},
      // Wrong types, field by field.
      {"subject is a number", Api("POST", kTickets, TicketWith("subject", 42)), {400}, "subject"},
      {"body is an object", Api("POST", kTickets, TicketWith("body", json::object())), {400}, "body"},
      {"tags is not an array", Api("POST", kTickets, TicketWith("tags", "billing")), {400}, "tags"},
      {"tags holds numbers", Api("POST", kTickets, TicketWith("tags", json::array({1, 2}))), {400}, "tags"},
      {"fields holds a number", Api("POST", kTickets, TicketWith("fields", {{"order", 7}})), {400}, "fields"},
      {"fields is an array", Api("POST", kTickets, TicketWith("fields", json::array({"a"}))), {400}, "fields"},
      {"requester is a string", Api("POST", kTickets, TicketWith("requester", "mai@example.vn")), {400}, "requester"},
      {"requester.email is a number", Api("POST", kTickets, TicketWith("requester", {{"email", 5}})), {400},
       "requester.email"},
      {"assignee_id is a string", Api("POST", kTickets, TicketWith("assignee_id", "1")), {400}, "assignee_id"},
      {"assignee_id is negative", Api("POST", kTickets, TicketWith("assignee_id", -1)), {400}, "assignee_id"},
      {"assignee_id is fractional", Api("POST", kTickets, TicketWith("assignee_id", 1.5)), {400}, "assignee_id"},
      {"assignee_id is 2^63", Api("POST", kTickets, TicketWith("assignee_id", 9223372036854775808ULL)), {400},
       "assignee_id"},
      {"team_id is zero", Api("POST", kTickets, TicketWith("team_id", 0)), {400}, "team_id"},
      {"requester.id is negative", Api("POST", kTickets, TicketWith("requester", {{"id", -3}})), {400},
       "requester.id"},
      // Unknown and missing fields.
      {"unknown top-level field", Api("POST", kTickets, TicketWith("priorty", "high")), {400}, "priorty"},
      {"unknown requester field", Api("POST", kTickets, TicketWith("requester", {{"mail", "a@b.co"}})), {400},
       "requester.mail"},
      {"missing subject", Api("POST", kTickets, TicketWithout("subject")), {400}, "subject"},
      {"missing body", Api("POST", kTickets, TicketWithout("body")), {400}, "body"},
      {"missing requester", Api("POST", kTickets, TicketWithout("requester")), {400}, "requester"},
      {"requester without id, email or phone", Api("POST", kTickets, TicketWith("requester", {{"name", "Mai"}})),
       {400}, "requester"},
      // Values out of their domain.
      {"empty subject", Api("POST", kTickets, TicketWith("subject", "")), {400}, "subject"},
      {"blank subject", Api("POST", kTickets, TicketWith("subject", "   ")), {400}, "subject"},
      {"subject of 251 characters", Api("POST", kTickets, TicketWith("subject", std::string(251, 's'))), {400},
       "subject"},
      {"subject of 251 Japanese characters", Api("POST", kTickets, TicketWith("subject", Repeat("返", 251))), {400},
       "subject"},
      {"body of 65,537 characters", Api("POST", kTickets, TicketWith("body", std::string(65537, 'b'))), {400}, "body"},
      {"control character in subject", Api("POST", kTickets, TicketWith("subject", "bell\u0007")), {400}, "subject"},
      {"newline in subject", Api("POST", kTickets, TicketWith("subject", "two\nlines")), {400}, "subject"},
      {"invalid status", Api("POST", kTickets, TicketWith("status", "done")), {400}, "status"},
      {"a new ticket cannot be closed", Api("POST", kTickets, TicketWith("status", "closed")), {400}, "status"},
      {"invalid priority", Api("POST", kTickets, TicketWith("priority", "extreme")), {400}, "priority"},
      {"invalid channel", Api("POST", kTickets, TicketWith("channel", "pigeon")), {400}, "channel"},
      {"51 tags", Api("POST", kTickets, TicketWith("tags", tags_51)), {400}, "tags"},
      {"tag with a space", Api("POST", kTickets, TicketWith("tags", json::array({"two words"}))), {400}, "tags"},
      {"field name with a space", Api("POST", kTickets, TicketWith("fields", {{"Bad Key", "x"}})), {400}, "fields"},
      {"assignee that does not exist", Api("POST", kTickets, TicketWith("assignee_id", 987654321)), {400},
       "assignee_id"},
      {"team that does not exist", Api("POST", kTickets, TicketWith("team_id", 987654321)), {400}, "team_id"},
      {"requester.id that does not exist", Api("POST", kTickets, TicketWith("requester", {{"id", 987654321}})), {400},
       "requester.id"},
      {"requester.email without @", Api("POST", kTickets, TicketWith("requester", {{"email", "mai.example.vn"}})),
       {400}, "requester.email"},
      {"Idempotency-Key of 201 characters",
       Api("POST", kTickets, TicketWith("subject", "retry"), "Idempotency-Key: " + std::string(201, 'k') + "\r\n"),
       {400}, "Idempotency-Key"},
      // Limits of the HTTP layer.
      {"body over 1 MiB", Api("POST", kTickets, TicketWith("body", std::string((1 << 20) + 1, 'b'))), {413}, ""},
      {"header block over 16 KiB", kHealthLine + "X-Big: " + std::string(17000, 'h') + "\r\n\r\n", {431}, ""},
      {"request target over 16 KiB", Http("GET", "/healthz?" + std::string(17000, 'q')), {431, 414}, ""},
      {"1,000 small headers", kHealthLine + flood_small + "\r\n", {431, 400}, ""},
      // Under the size limit the count of headers is not limited: any answer but a 5xx.
      {"1,000 tiny headers under 16 KiB", kHealthLine + flood_tiny + "\r\n", {200, 400, 431}, ""},
      // Malformed HTTP.
      {"garbage request line", "GARBAGE\r\n\r\n", {400}, ""},
      {"request line without a version", "GET /healthz\r\n\r\n", {400}, ""},
      {"invalid HTTP version", "GET /healthz HTTP/1.x\r\nHost: 127.0.0.1\r\n\r\n", {400}, ""},
      {"unsupported HTTP version", "GET /healthz HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n", {400, 505}, ""},
      {"header without a colon", kHealthLine + "NoColonHere\r\n\r\n", {400}, ""},
      {"header name with a space", kHealthLine + "Bad Header: x\r\n\r\n", {400}, ""},
      {"Content-Length not a number",
       kPostTicket + "Content-Length: ten\r\n\r\n{}", {400}, ""},
      {"Content-Length negative",
       kPostTicket + "Content-Length: -2\r\n\r\n{}", {400}, ""},
      {"two different Content-Lengths",
       kPostTicket + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
       {400}, ""},
      {"Content-Length longer than the body",
       kPostTicket + "Content-Length: 500\r\n\r\n{}", {400}, ""},
      {"chunked encoding garbage",
       "POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Auth() +
           "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
       {400}, ""},
      {"Content-Length and chunked together",
       "POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Auth() +
           "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       {400}, ""},
      // RFC 9112 6.3: a request whose last transfer coding is not chunked has no
      // knowable length: 400 and close. Reading it as bodiless would run the
      // "body" below as a second, smuggled request.
      {"Transfer-Encoding that is not chunked",
       "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n"
       "GET /api/v1/smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
       {400}, ""},
      // Query parameters of the ticket list.
      {"unknown query parameter", Api("GET", "/api/v1/tickets?colour=red"), {400}, "colour"},
      {"bad cursor", Api("GET", "/api/v1/tickets?cursor=not-a-cursor"), {400}, "cursor"},
      {"limit=0", Api("GET", "/api/v1/tickets?limit=0"), {400}, "limit"},
      {"limit=1000", Api("GET", "/api/v1/tickets?limit=1000"), {400}, "limit"},
      {"limit not a number", Api("GET", "/api/v1/tickets?limit=ten"), {400}, "limit"},
      {"bad updated_since", Api("GET", "/api/v1/tickets?updated_since=yesterday"), {400}, "updated_since"},
      {"updated_since on 30 February", Api("GET", "/api/v1/tickets?updated_since=2026-02-30T00:00:00Z"), {400},
       "updated_since"},
      {"sort=bogus", Api("GET", "/api/v1/tickets?sort=bogus"), {400}, "sort"},
      {"status filter bogus", Api("GET", "/api/v1/tickets?status=open,bogus"), {400}, "status"},
      {"customer search over 200 bytes", Api("GET", "/api/v1/customers?q=" + std::string(201, 'q')), {400}, "q"},
      {"customer limit=0", Api("GET", "/api/v1/customers?limit=0"), {400}, "limit"},
      // Ids and versions.
      {"non-numeric id", Api("GET", "/api/v1/tickets/abc"), {404}, ""},
      {"id over 64 bits", Api("GET", "/api/v1/tickets/99999999999999999999"), {404}, ""},
      {"id zero", Api("GET", "/api/v1/tickets/0"), {404}, ""},
      {"negative id", Api("GET", "/api/v1/tickets/-1"), {404}, ""},
      {"id with an encoded NUL", Api("GET", "/api/v1/tickets/1%00"), {404}, ""},
      {"PATCH on a missing ticket", Api("PATCH", "/api/v1/tickets/987654321", R"({"status":"open"})"), {404}, ""},
      {"messages of a missing ticket", Api("GET", "/api/v1/tickets/987654321/messages"), {404}, ""},
      {"reply to a missing ticket", Api("POST", "/api/v1/tickets/987654321/messages", R"({"body":"x"})"), {404}, ""},
      {"If-Match garbage", Api("PATCH", ticket, R"({"priority":"high"})", "If-Match: garbage\r\n"), {400}, "If-Match"},
      {"If-Match of no version", Api("PATCH", ticket, R"({"priority":"high"})", "If-Match: \"v-one\"\r\n"), {412},
       "If-Match"},
      {"PATCH with an unknown field", Api("PATCH", ticket, R"({"colour":"red"})"), {400}, "colour"},
      {"reply of an unknown kind", Api("POST", ticket + "/messages", R"({"body":"x","kind":"shout"})"), {400}, "kind"},
      {"empty reply", Api("POST", ticket + "/messages", R"({"body":"  "})"), {400}, "body"},
      // Routing and credentials.
      {"method not allowed", Api("DELETE", "/api/v1/tickets"), {405}, ""},
      {"PUT on a ticket", Api("PUT", ticket, R"({"status":"open"})"), {405}, ""},
      {"unknown path", Api("GET", "/api/v1/nothing-here"), {404}, ""},
      {"dot segments in the path", Api("GET", "/api/v1/../../etc/passwd"), {404}, ""},
      {"no credentials", Http("GET", kTickets), {401}, ""},
      {"Basic instead of Bearer", Http("GET", kTickets, "", "Authorization: Basic YWRtaW46YWRtaW4=\r\n"), {401},
       "Authorization"},
      {"Bearer without a token", Http("GET", kTickets, "", "Authorization: Bearer \r\n"), {401}, ""},
      {"invalid token", Http("GET", kTickets, "", "Authorization: Bearer kz_not-a-real-token\r\n"), {401}, ""},
      {"token of 300 characters",
       Http("GET", kTickets, "", "Authorization: Bearer " + std::string(300, 't') + "\r\n"), {401}, ""},
      // Customers.
      {"identity of kind fax",
       Api("POST", kCustomers, R"({"name":"A","identities":[{"kind":"fax","value":"0312345678"}]})"), {400},
       "identities"},
      {"email identity without @",
       Api("POST", kCustomers, R"({"name":"A","identities":[{"kind":"email","value":"a.example.com"}]})"), {400},
       "identities"},
      {"21 identities", Api("POST", kCustomers, json{{"name", "A"}, {"identities", identities_21}}.dump()), {400},
       "identities"},
      {"identity that is not an object", Api("POST", kCustomers, R"({"name":"A","identities":["a@b.co"]})"), {400},
       "identities"},
      {"identity without a value", Api("POST", kCustomers, R"({"name":"A","identities":[{"kind":"email"}]})"), {400},
       "identities"},
      {"birthday 2026-02-30", Api("POST", kCustomers, R"({"name":"A","birthday":"2026-02-30"})"), {400}, "birthday"},
      {"birthday not a date", Api("POST", kCustomers, R"({"name":"A","birthday":"soon"})"), {400}, "birthday"},
      {"customer without a name", Api("POST", kCustomers, R"({"language":"vi"})"), {400}, "name"},
      {"merge a customer into itself",
       Api("POST", customer_path + "/merge", json{{"into_id", customer.Json()["id"]}}.dump()), {400}, "into_id"},
      {"merge without into_id", Api("POST", customer_path + "/merge", "{}"), {400}, "into_id"},
      {"merge into a missing customer", Api("POST", customer_path + "/merge", R"({"into_id":987654321})"), {404}, ""},
      // Sign-in.
      {"bad JSON on sign-in", Http("POST", "/api/v1/auth/sign-in", R"({"workspace":"badinput",)"), {400}, "body"},
      {"sign-in with a number for email",
       Http("POST", "/api/v1/auth/sign-in", R"({"workspace":"badinput","email":7,"password":"x"})"), {400}, "email"},
      {"sign-in without a password",
       Http("POST", "/api/v1/auth/sign-in", R"({"workspace":"badinput","email":"admin@badinput.test"})"), {400},
       "password"},
      // Clients that never finish: closed by the header timeout (15 s), no answer needed.
      {"slowloris: one header byte every 500 ms", kHealthLine + "X-Slow: " + std::string(200, 's'), {}, "",
       Pace::kSlowloris},
      {"a connection that sends nothing", "", {}, "", Pace::kSilent},
  };

  // The slow clients run alongside everything else, so the cases also show that
  // they do not hold up other clients.
  constexpr auto kSlowLimit = std::chrono::seconds(20);
  std::vector<std::pair<const BadInput*, std::future<RawReply>>> slow;
  for (const auto& c : cases) {
    if (c.pace == Pace::kAtOnce) continue;
    slow.emplace_back(&c, std::async(std::launch::async, [&c, port = server_.port()] {
                        return Exchange(port, c.request, c.pace, milliseconds(25000));
                      }));
  }

  int ran = 0;
  milliseconds slowest_health{0};
  auto check_health = [&](const std::string& after) {
    Health health = CheckHealth(server_.port());
    EXPECT_TRUE(health.ok) << "GET /healthz failed after: " << after;
    slowest_health = std::max(slowest_health, health.latency);
  };
  for (const auto& c : cases) {
    if (c.pace != Pace::kAtOnce) continue;
    SCOPED_TRACE(c.name);
    ++ran;
    RawReply reply = Exchange(server_.port(), c.request, c.pace, milliseconds(5000));
    auto response = ParseResponse(reply.bytes);
    if (!response) {
      ADD_FAILURE() << c.name << ": no HTTP answer (" << reply.bytes.size() << " bytes, "
                    << (reply.closed ? "closed" : "still open") << ")";
      check_health(c.name);
      continue;
    }
    EXPECT_LT(response->status, 500) << c.name << ": " << response->body;
    EXPECT_TRUE(c.statuses.count(response->status)) << c.name << ": answered " << response->status << " "
                                                     << response->body;
    EXPECT_EQ(response->rest, "") << c.name << ": more than one answer to one request";
    if (response->status >= 400) {
      EXPECT_EQ(response->headers["content-type"], "application/problem+json") << c.name;
      json problem = json::parse(response->body, nullptr, false);
      EXPECT_TRUE(problem.is_object()) << c.name << ": " << response->body;
      if (!problem.is_object()) problem = json::object();
      EXPECT_TRUE(problem["code"].is_string() && !problem["code"].get<std::string>().empty()) << c.name;
      EXPECT_EQ(problem.value("status", 0), response->status) << c.name;
      if (!c.field.empty()) {
        EXPECT_EQ(problem.value("field", ""), c.field) << c.name << ": " << response->body;
      }
    }
    check_health(c.name);
  }

  // While the slow clients hang on, the server keeps answering others quickly.
  while (std::any_of(slow.begin(), slow.end(), [](auto& s) {
    return s.second.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready;
  })) {
    check_health("the slow clients");
    std::this_thread::sleep_for(milliseconds(250));
  }
  EXPECT_LT(slowest_health.count(), 1000) << "a GET /healthz took " << slowest_health.count() << " ms";
  for (auto& [c, future] : slow) {
    SCOPED_TRACE(c->name);
    ++ran;
    RawReply reply = future.get();
    EXPECT_TRUE(reply.closed) << c->name << ": still open after " << reply.elapsed.count() << " ms";
    EXPECT_LT(reply.elapsed, kSlowLimit) << c->name;
    int status = StatusOf(reply.bytes);
    EXPECT_TRUE(status == 0 || status == 408 || status == 400) << c->name << ": answered " << status;
  }

  // Nothing half-written: the workspace holds exactly what the valid setup made.
  EXPECT_EQ(CountOf("/api/v1/tickets?limit=100", "tickets"), kSetupTickets);
  EXPECT_EQ(CountOf("/api/v1/customers?limit=100", "customers"), customers_after_setup);
  auto unchanged = admin_->Get(ticket);
  EXPECT_EQ(unchanged.Json()["version"], 1) << unchanged.body;
  EXPECT_EQ(unchanged.Json()["priority"], "normal");
  EXPECT_EQ(admin_->Get(ticket + "/messages").Json()["messages"].size(), 1u);
  EXPECT_TRUE(server_.Running());

  std::printf("[ SUMMARY  ] %d bad-input cases ran (%zu at once, %zu slow clients); slowest /healthz %lld ms\n", ran,
              cases.size() - slow.size(), slow.size(), static_cast<long long>(slowest_health.count()));
  EXPECT_GE(ran, 45);
}

}  // namespace
}  // namespace kizuna::testing
