// Search (C20): one search over knowledge-base articles, community topics, tickets and
// customers, each result only where the caller may see it.
//
// The index (ports::SearchIndex) is derived: the SearchIndexer follows the store's event log
// of every workspace and re-reads what each event names (a ticket, a customer, an article, a
// topic), so the index catches up after a crash or on another node by itself, and can be
// emptied and rebuilt from the store at any time (`kizuna search-reindex`).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/customer.h"
#include "core/ticket.h"
#include "ports/event_bus.h"
#include "ports/markdown.h"
#include "ports/search_index.h"
#include "ports/store.h"

namespace kizuna::services {

// The documents of one ticket (subject; public messages readable by its requester; internal
// notes for agents only) and one customer (name; identities and notes for agents only).
ports::SearchDoc TicketSearchDoc(const Ticket& ticket, const std::vector<Message>& messages);
ports::SearchDoc CustomerSearchDoc(const Customer& customer);
// One document per translation of an article (public once published; helpfulness from its
// votes), and one per community topic: the question and its visible answers (public while the
// topic is visible). Markdown is indexed as the text a reader sees.
std::vector<ports::SearchDoc> ArticleSearchDocs(const ports::KbArticle& article, const ports::Markdown& markdown);
ports::SearchDoc TopicSearchDoc(const ports::CommunityTopic& topic, const ports::Markdown& markdown);

// `text` with the index's match markers as [{"text":…,"match":bool}] segments.
nlohmann::json MatchSegments(std::string_view text);

class SearchIndexer {
 public:
  using Progress = std::function<void(std::string_view what, std::int64_t done)>;

  SearchIndexer(ports::Store& store, ports::SearchIndex& index, ports::EventBus& bus, const ports::Markdown& markdown);
  ~SearchIndexer();
  SearchIndexer(const SearchIndexer&) = delete;
  SearchIndexer& operator=(const SearchIndexer&) = delete;

  // Where the indexer says what it does on its thread (a rebuild, an error). Before Start().
  void set_log(std::function<void(const std::string&)> log) { log_ = std::move(log); }

  // Starts following the event log on a thread of its own (after a rebuild when the index was
  // never built and the store has events). Stop() or the destructor ends it.
  void Start();
  void Stop();

  // Indexes what the next events (at most `batch`) name and moves the cursor past them.
  // Returns how many events it took (0: caught up).
  Result<std::size_t> CatchUp(std::size_t batch = 500);
  // Empties the index and indexes every workspace's documents again, then follows the log from
  // the event that was last when it began. `progress` hears each kind and how many so far.
  Status Rebuild(const Progress& progress = {});

 private:
  struct Target {
    WorkspaceId ws;
    std::string kind;
    std::int64_t id;
    bool operator<(const Target& o) const { return std::tie(ws, kind, id) < std::tie(o.ws, o.kind, o.id); }
  };
  Status Reindex(const std::set<Target>& targets, std::int64_t cursor);
  void Run();

  ports::Store& store_;
  ports::SearchIndex& index_;
  ports::EventBus& bus_;
  const ports::Markdown& markdown_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool pending_ = false;
  std::uint64_t subscription_ = 0;
  std::thread thread_;
  // Ids of events taken lately: with several writers (PostgreSQL) an event can commit after
  // one with a higher id, so each pass looks back a little and skips what it already took.
  std::set<EventId> recent_;
  std::function<void(const std::string&)> log_;
  bool primed_ = false;
};

// A search as someone may make it: agents see the whole workspace; a customer (or nobody,
// signed out) sees published articles, visible topics and their own tickets. Tickets come
// with their number and status; documents whose record is gone are left out.
struct SearchRequest {
  ports::SearchQuery query;
  std::string help_centre;  // the workspace's name, for the help-centre address of articles and topics
};
Result<nlohmann::json> Search(ports::Store& store, ports::SearchIndex& index, const SearchRequest& request);

}  // namespace kizuna::services
