// The only file with Boost.Beast: HTTP sessions, WebSocket streams, the accept loop.
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp needs std::exchange

#include "api/http_server.h"

#include <atomic>
#include <charconv>
#include <chrono>
#include <deque>
#include <unordered_set>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "api/dto.h"
#include "api/error_mapping.h"

namespace kizuna::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kMaxQueuedEvents = 10000;
constexpr std::size_t kMaxReplay = 1000;  // events a reconnecting stream may catch up on

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The client's address: the peer, or behind trusted proxies the right-most address of
// X-Forwarded-For that is not a proxy's (the ones to its left are the client's to invent).
std::string ClientAddress(const std::string& peer, const std::map<std::string, std::string>& headers,
                          const std::vector<std::string>& trusted) {
  auto is_trusted = [&](std::string_view address) {
    return std::find(trusted.begin(), trusted.end(), address) != trusted.end();
  };
  if (!is_trusted(peer)) return peer;
  auto forwarded = headers.find("x-forwarded-for");
  if (forwarded == headers.end()) return peer;
  std::string_view list = forwarded->second;
  while (!list.empty()) {
    const auto comma = list.rfind(',');
    std::string_view entry = comma == std::string_view::npos ? list : list.substr(comma + 1);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(0, comma);
    while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t')) entry.remove_prefix(1);
    while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t')) entry.remove_suffix(1);
    if (entry.empty() || entry.size() > 64) return peer;  // malformed: trust nothing of it
    if (!is_trusted(entry)) return std::string(entry);
  }
  return peer;
}

HttpRequest ToHttpRequest(const http::request<http::string_body>& req, const std::string& remote,
                          const std::vector<std::string>& trusted_proxies) {
  HttpRequest out;
  out.method = std::string(req.method_string());
  std::string_view target(req.target().data(), req.target().size());
  auto question = target.find('?');
  out.path = PercentDecode(target.substr(0, question), false);
  if (question != std::string_view::npos) out.query = ParseQuery(target.substr(question + 1));
  for (const auto& field : req) {
    std::string name = Lower(std::string_view(field.name_string().data(), field.name_string().size()));
    std::string value(field.value().data(), field.value().size());
    auto [it, inserted] = out.headers.emplace(name, value);
    if (!inserted) it->second += (name == "cookie" ? "; " : ", ") + value;
  }
  out.body = req.body();
  out.remote_address = ClientAddress(remote, out.headers, trusted_proxies);
  return out;
}

http::response<http::string_body> ToBeastResponse(HttpResponse&& in, unsigned version, bool keep_alive,
                                                  bool head) {
  http::response<http::string_body> res{static_cast<http::status>(in.status), version};
  res.set(http::field::server, "Kizuna");
  res.set(http::field::content_type, in.content_type);
  res.set("X-Content-Type-Options", "nosniff");
  bool has_cache_control = false;
  for (auto& [name, value] : in.headers) {
    has_cache_control = has_cache_control || Lower(name) == "cache-control";
    res.insert(name, value);
  }
  if (!has_cache_control) res.set(http::field::cache_control, "no-store");
  res.keep_alive(keep_alive);
  res.body() = std::move(in.body);
  res.prepare_payload();
  if (head) res.body().clear();
  return res;
}

// Whether a stream shows `event` to `viewer`: agents see their own availability (online,
// away, offline), sign-outs and token revocations but not their colleagues', as in the API;
// supervisors and admins see all.
bool StreamShows(const services::Actor& viewer, const Event& event) {
  if (viewer.role != Role::kAgent) return true;
  if (event.type != "agent.presence" && event.type != "agent.signed_out" && event.type != "token.revoked") return true;
  return event.actor_id == viewer.id;
}

// What a WebSocket stream shares with the event bus callback.
struct StreamState {
  explicit StreamState(asio::any_io_executor ex) : wake(ex) { wake.expires_at(asio::steady_timer::time_point::max()); }
  asio::steady_timer wake;
  std::mutex mutex;
  std::deque<std::pair<EventId, std::string>> queue;  // id 0: not a stored event
  bool closed = false;
  bool overflowed = false;

  void Push(EventId id, std::string message) {
    {
      std::lock_guard lock(mutex);
      if (closed) return;
      if (queue.size() >= kMaxQueuedEvents) {
        overflowed = true;
      } else {
        queue.emplace_back(id, std::move(message));
      }
    }
    asio::post(wake.get_executor(), [this] { wake.cancel(); });
  }
};

// Attachment uploads may be larger than other bodies.
bool IsUpload(const http::request<http::string_body>& req) {
  if (req.method() != http::verb::post) return false;
  std::string_view target(req.target().data(), req.target().size());
  target = target.substr(0, target.find('?'));
  return target == "/api/v1/attachments" || (target.starts_with("/api/v1/portal/") && target.ends_with("/attachments"));
}

// RFC 9112 6.3: only "chunked" as the sole transfer coding, and never with Content-Length.
bool FramingIsSafe(const http::request<http::string_body>& req) {
  auto te = req.find(http::field::transfer_encoding);
  if (te == req.end()) return true;
  if (req.find(http::field::content_length) != req.end()) return false;
  return Lower(std::string_view(te->value().data(), te->value().size())) == "chunked" &&
         req.count(http::field::transfer_encoding) == 1;
}

// {"type":"presence","ticket_id":N,"state":"viewing|replying|left"} from an agent's
// stream becomes an event for the workspace's other streams. It is not stored.
std::optional<Event> ParsePresence(const std::string& text, const services::Actor& actor) {
  auto message = nlohmann::json::parse(text, nullptr, false);
  if (!message.is_object() || message.value("type", "") != "presence") return std::nullopt;
  auto ticket = message.find("ticket_id");
  auto state = message.find("state");
  if (ticket == message.end() || !ticket->is_number_integer() || ticket->get<std::int64_t>() <= 0) return std::nullopt;
  if (state == message.end() || !state->is_string()) return std::nullopt;
  const std::string value = state->get<std::string>();
  if (value != "viewing" && value != "replying" && value != "left") return std::nullopt;
  Event event;
  event.workspace_id = actor.workspace_id;
  event.ticket_id = ticket->get<std::int64_t>();
  event.type = "presence";
  event.actor_type = actor.type;
  event.actor_id = actor.id;
  event.data = nlohmann::json{{"state", value}}.dump();
  return event;
}

bool SameOrigin(const HttpRequest& request) {
  const std::string& origin = request.Header("origin");
  if (origin.empty()) return true;  // not a browser
  auto scheme_end = origin.find("://");
  std::string host = scheme_end == std::string::npos ? origin : origin.substr(scheme_end + 3);
  return host == request.Header("host");
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(App& app, Router router, ServerOptions options)
      : app_(app), router_(std::move(router)), options_(std::move(options)), ioc_(options_.io_threads),
        pool_(static_cast<std::size_t>(std::max(1, options_.workers))),
        read_pool_(static_cast<std::size_t>(std::max(1, options_.read_workers))), acceptor_(ioc_) {}

  ~Impl() { Stop(1); }

  Status Start() {
    beast::error_code ec;
    auto address = asio::ip::make_address(options_.host, ec);
    if (ec) return Error::Invalid("listen", "not an IP address: " + options_.host);
    tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Error::Unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port) + ": " +
                                ec.message());
    }
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(ioc_, Accept(), asio::detached);
    for (int idx = 0; idx < std::max(1, options_.io_threads); ++idx) {
      threads_.emplace_back([this] { ioc_.run(); });
    }
    return Ok();
  }

  unsigned short port() const { return port_; }

  void Stop(int grace_seconds) {
    if (stopped_.exchange(true)) return;
    asio::post(ioc_, [this] {
      beast::error_code ec;
      acceptor_.close(ec);
    });
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(grace_seconds);
    while (in_flight_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    {
      std::lock_guard lock(streams_mutex_);
      for (auto handle : stream_handles_) app_.bus.Unsubscribe(handle);
      stream_handles_.clear();
    }
    ioc_.stop();
    for (auto& thread : threads_) thread.join();
    threads_.clear();
    pool_.join();
    read_pool_.join();
  }

 private:
  asio::awaitable<void> Accept() {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket = co_await acceptor_.async_accept(asio::make_strand(ioc_), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (!acceptor_.is_open()) co_return;
        continue;  // e.g. too many open files: keep serving the others
      }
      auto executor = socket.get_executor();
      asio::co_spawn(executor, Session(std::move(socket)), asio::detached);
    }
  }

  // Runs `fn` (blocking work: the router, the store) on the handler pool and
  // resumes the caller on its own strand with the result.
  template <typename T, typename Token>
  auto OnPool(asio::thread_pool& pool, std::function<T()> fn, Token&& token) {
    return asio::async_initiate<Token, void(T)>(
        [&pool](auto handler, std::function<T()> work_fn) {
          auto work = asio::make_work_guard(asio::get_associated_executor(handler));
          asio::post(pool, [handler = std::move(handler), work_fn = std::move(work_fn), work = std::move(work)]() mutable {
            T result = work_fn();
            auto ex = asio::get_associated_executor(handler);
            asio::post(ex, [handler = std::move(handler), result = std::move(result)]() mutable {
              std::move(handler)(std::move(result));
            });
          });
        },
        token, std::move(fn));
  }

  asio::awaitable<void> WriteProblem(beast::tcp_stream& stream, int status, const char* code, const char* detail) {
    auto res = ToBeastResponse(ProblemResponse(status, code, detail), 11, false, false);
    beast::error_code ec;
    stream.expires_after(std::chrono::seconds(5));
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
  }

  asio::awaitable<void> Session(tcp::socket socket) {
    beast::error_code ec;
    auto remote_endpoint = socket.remote_endpoint(ec);
    std::string remote = ec ? "unknown" : remote_endpoint.address().to_string();
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    bool first = true;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options_.header_limit));
      parser.body_limit(app_.settings.max_body_bytes);
      stream.expires_after(std::chrono::seconds(first ? options_.header_timeout_seconds : options_.idle_timeout_seconds));
      first = false;
      co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      if (!ec && IsUpload(parser.get())) parser.body_limit(app_.settings.max_upload_bytes);
      if (!ec && websocket::is_upgrade(parser.get())) {
        co_await Upgrade(std::move(stream), parser.release(), remote);
        co_return;
      }
      if (!ec && !FramingIsSafe(parser.get())) {
        // A length the server and a proxy in front of it could read differently smuggles requests.
        co_await WriteProblem(stream, 400, "bad_request", "Transfer-Encoding must be exactly chunked, without Content-Length");
        break;
      }
      if (!ec) {
        if (parser.get()[http::field::expect] == "100-continue") {
          http::response<http::empty_body> cont{http::status::continue_, 11};
          co_await http::async_write(stream, cont, asio::redirect_error(asio::use_awaitable, ec));
        }
        stream.expires_after(std::chrono::seconds(options_.header_timeout_seconds));
        if (!ec) co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      }
      if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::connection_reset ||
          ec == asio::error::eof || ec == asio::error::operation_aborted) {
        break;
      }
      if (ec == http::error::header_limit) {
        co_await WriteProblem(stream, 431, "headers_too_large", "the request headers are too large");
        break;
      }
      if (ec == http::error::body_limit) {
        co_await WriteProblem(stream, 413, "payload_too_large", "the request body is over the limit");
        break;
      }
      if (ec) {
        co_await WriteProblem(stream, 400, "bad_request", "the request is not valid HTTP/1.1");
        break;
      }
      auto& req = parser.get();
      const bool keep_alive = req.keep_alive() && !stopped_.load();
      const bool head = req.method() == http::verb::head;
      const unsigned version = req.version();
      in_flight_.fetch_add(1);
      // Named, not a temporary: g++ 12 destroys temporaries of a co_await expression twice.
      std::function<HttpResponse()> dispatch = [this, request = ToHttpRequest(req, remote,
                                                                              options_.trusted_proxies)]() mutable {
        return router_.Dispatch(app_, request);
      };
      // Reads and changes run on separate pools: a change waits for its group commit,
      // and many of them waiting must not leave reads without a thread, nor many
      // reading threads crowd two cores.
      auto& pool = head || req.method() == http::verb::get ? read_pool_ : pool_;
      HttpResponse response = co_await OnPool<HttpResponse>(pool, std::move(dispatch), asio::use_awaitable);
      auto res = ToBeastResponse(std::move(response), version, keep_alive, head);
      stream.expires_after(std::chrono::seconds(30));
      co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
      in_flight_.fetch_sub(1);
      if (ec || !keep_alive) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  // /api/v1/stream: authenticates like any request, then pushes the workspace's events.
  asio::awaitable<void> Upgrade(beast::tcp_stream stream, http::request<http::string_body> req, std::string remote) {
    HttpRequest request = ToHttpRequest(req, remote, options_.trusted_proxies);
    auto refuse = [&](HttpResponse problem) -> asio::awaitable<void> {
      auto res = ToBeastResponse(std::move(problem), req.version(), false, false);
      beast::error_code ec;
      co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    };
    if (request.path != "/api/v1/stream") {
      co_await refuse(ProblemResponse(404, "not_found", "no WebSocket at " + request.path));
      co_return;
    }
    auto principal = app_.auth.Authenticate(request);
    if (!principal.ok()) {
      co_await refuse(ProblemResponse(principal.error()));
      co_return;
    }
    if (principal->via_session && !SameOrigin(request)) {
      co_await refuse(ProblemResponse(403, "origin_not_allowed", "the stream is only open to pages of this server"));
      co_return;
    }
    if (!principal->HasScope("tickets:read")) {
      co_await refuse(ProblemResponse(Error::Denied("the API token lacks the scope tickets:read")));
      co_return;
    }
    std::optional<EventId> since;
    if (const std::string* text = request.Query("since")) {
      EventId value = 0;
      auto [end, parse_ec] = std::from_chars(text->data(), text->data() + text->size(), value);
      if (parse_ec != std::errc() || end != text->data() + text->size() || value < 0) {
        co_await refuse(ProblemResponse(Error::Invalid("since", "since must be the id of an event received before")));
        co_return;
      }
      since = value;
    }
    stream.expires_never();
    auto ws = std::make_shared<websocket::stream<beast::tcp_stream>>(std::move(stream));
    ws->set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws->read_message_max(4096);
    beast::error_code ec;
    co_await ws->async_accept(req, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;

    auto state = std::make_shared<StreamState>(ws->get_executor());
    const services::Actor viewer = principal->actor;
    std::uint64_t handle = app_.bus.Subscribe(viewer.workspace_id, [state, viewer](const Event& event) {
      if (!StreamShows(viewer, event)) return;
      state->Push(event.id, ToJson(event).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    });
    {
      std::lock_guard lock(streams_mutex_);
      stream_handles_.insert(handle);
    }
    asio::co_spawn(ws->get_executor(), ReadUntilClosed(ws, state, &app_.bus, &app_.store, principal->actor),
                   asio::detached);
    // A first message tells the client it is subscribed (after the replay, if asked for one).
    if (!since) {
      state->Push(0, nlohmann::json{{"type", "stream.ready"}, {"workspace_id", principal->actor.workspace_id}}.dump());
    }
    // The events sent by the replay, so that one also queued live is sent once. Live events
    // are not compared by id: with several writers or nodes, ids need not arrive in order.
    std::unordered_set<EventId> replayed;
    if (since) {
      // Replay what the client missed. Subscribing first means nothing falls between
      // the replay and the live events; an event in both is sent once (by id).
      const WorkspaceId ws_id = principal->actor.workspace_id;
      using Replay = std::pair<Status, std::vector<Event>>;
      std::function<Replay()> read_missed = [this, ws_id, after = *since]() {
        std::vector<Event> events;
        Status status = app_.store.Read([&](ports::ReadTx& tx) -> Status {
          KZ_ASSIGN(events, tx.ListEventsSince(ws_id, after, kMaxReplay + 1));
          return Ok();
        });
        return Replay{status, std::move(events)};
      };
      Replay replay = co_await OnPool<Replay>(read_pool_, std::move(read_missed), asio::use_awaitable);
      std::vector<std::string> messages;
      messages.push_back(nlohmann::json{{"type", "stream.ready"}, {"workspace_id", ws_id}}.dump());
      if (!replay.first.ok() || replay.second.size() > kMaxReplay) {
        // Too much was missed (or it cannot be read): the client reloads instead.
        messages.push_back(nlohmann::json{{"type", "stream.reset"}}.dump());
      } else {
        for (const auto& event : replay.second) {
          if (!StreamShows(viewer, event)) continue;
          messages.push_back(ToJson(event).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
          replayed.insert(event.id);
        }
      }
      for (auto& message : messages) {
        ws->text(true);
        co_await ws->async_write(asio::buffer(message), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
      }
    }
    const bool replay_failed = static_cast<bool>(ec);
    while (!replay_failed) {
      std::deque<std::pair<EventId, std::string>> batch;
      bool overflowed = false;
      {
        std::lock_guard lock(state->mutex);
        if (state->closed) break;
        batch.swap(state->queue);
        overflowed = state->overflowed;
      }
      if (overflowed) break;  // a client that cannot keep up reconnects and reloads
      if (batch.empty()) {
        state->wake.expires_at(asio::steady_timer::time_point::max());
        co_await state->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        ec = {};  // woken (the timer cancelled): not an error of the stream
        continue;
      }
      for (auto& [id, message] : batch) {
        if (id != 0 && replayed.count(id)) continue;  // already sent by the replay
        ws->text(true);
        co_await ws->async_write(asio::buffer(message), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
      }
      if (ec) break;
    }
    {
      std::lock_guard lock(streams_mutex_);
      if (stream_handles_.erase(handle)) app_.bus.Unsubscribe(handle);
    }
    {
      std::lock_guard lock(state->mutex);
      state->closed = true;
    }
    if (ws->is_open()) {
      co_await ws->async_close(websocket::close_code::going_away, asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  // Reads client messages (presence) until the client goes, then wakes the writer.
  static asio::awaitable<void> ReadUntilClosed(std::shared_ptr<websocket::stream<beast::tcp_stream>> ws,
                                               std::shared_ptr<StreamState> state, ports::EventBus* bus,
                                               ports::Store* store, services::Actor actor) {
    beast::flat_buffer buffer;
    beast::error_code ec;
    auto window_start = std::chrono::steady_clock::now();
    int in_window = 0;
    for (;;) {
      co_await ws->async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      std::string text = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      auto now = std::chrono::steady_clock::now();
      if (now - window_start > std::chrono::seconds(1)) {
        window_start = now;
        in_window = 0;
      }
      if (++in_window > 10) continue;  // a chatty client loses presence updates, not the stream
      // Id 0: never stored; the other nodes' streams hear of it through the store.
      if (auto presence = ParsePresence(text, actor)) {
        bus->Publish({*presence});
        store->Broadcast(*presence);
      }
    }
    {
      std::lock_guard lock(state->mutex);
      state->closed = true;
    }
    state->wake.cancel();
  }

  App& app_;
  Router router_;
  ServerOptions options_;
  asio::io_context ioc_;
  asio::thread_pool pool_;
  asio::thread_pool read_pool_;
  tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  unsigned short port_ = 0;
  std::atomic<int> in_flight_{0};
  std::atomic<bool> stopped_{false};
  std::mutex streams_mutex_;
  std::set<std::uint64_t> stream_handles_;
};

HttpServer::HttpServer(App& app, Router router, ServerOptions options)
    : impl_(std::make_unique<Impl>(app, std::move(router), std::move(options))) {}
HttpServer::~HttpServer() = default;
Status HttpServer::Start() { return impl_->Start(); }
unsigned short HttpServer::port() const { return impl_->port(); }
void HttpServer::Stop(int grace_seconds) { impl_->Stop(grace_seconds); }

}  // namespace kizuna::api
