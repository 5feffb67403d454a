#include "services/search.h"

#include <algorithm>
#include <chrono>
#include <map>

namespace kizuna::services {
namespace {

using nlohmann::json;

// A ticket's text beyond this is left out of the index (it is a search, not an archive).
constexpr std::size_t kMaxIndexedText = 64 * 1024;
// How far behind the cursor each pass looks for events that committed late.
constexpr EventId kLookBehind = 256;
constexpr std::size_t kRebuildPage = 1000;

void AppendCapped(std::string& out, std::string_view text) {
  if (text.empty() || out.size() >= kMaxIndexedText) return;
  if (!out.empty()) out += '\n';
  std::size_t room = kMaxIndexedText - out.size();
  if (text.size() <= room) {
    out += text;
    return;
  }
  // Cut on a character boundary.
  while (room > 0 && (static_cast<unsigned char>(text[room]) & 0xC0) == 0x80) --room;
  out += text.substr(0, room);
}

std::optional<std::int64_t> IdIn(const json& data, const char* key) {
  auto it = data.find(key);
  if (it == data.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

std::string PlainText(const json& segments) {
  std::string out;
  for (const auto& segment : segments) out += segment["text"].get<std::string>();
  return out;
}

}  // namespace

ports::SearchDoc TicketSearchDoc(const Ticket& ticket, const std::vector<Message>& messages) {
  ports::SearchDoc doc;
  doc.workspace_id = ticket.workspace_id;
  doc.kind = "ticket";
  doc.ref_id = ticket.id;
  doc.title = ticket.subject;
  for (const auto& message : messages) {
    AppendCapped(message.kind == MessageKind::kNote ? doc.internal : doc.body, message.body_text);
  }
  for (const auto& tag : ticket.tags) {
    if (!doc.tags.empty()) doc.tags += ' ';
    doc.tags += tag;
  }
  doc.owner = ticket.requester_id;
  doc.updated_at = ticket.updated_at;
  return doc;
}

ports::SearchDoc CustomerSearchDoc(const Customer& customer) {
  ports::SearchDoc doc;
  doc.workspace_id = customer.workspace_id;
  doc.kind = "customer";
  doc.ref_id = customer.id;
  doc.title = customer.name;
  for (const auto& identity : customer.identities) AppendCapped(doc.internal, identity.value);
  AppendCapped(doc.internal, customer.notes);
  doc.tags = customer.tier;
  doc.updated_at = customer.updated_at;
  return doc;
}

std::vector<ports::SearchDoc> ArticleSearchDocs(const ports::KbArticle& article, const ports::Markdown& markdown) {
  std::vector<ports::SearchDoc> docs;
  std::string tags;
  for (const auto& tag : article.tags) {
    if (!tags.empty()) tags += ' ';
    tags += tag;
  }
  const std::int64_t votes = article.helpful_yes + article.helpful_no;
  // Laplace-smoothed share of "helpful": a new article is 0.5, not 0 or 1.
  const double helpfulness = (static_cast<double>(article.helpful_yes) + 1.0) / (static_cast<double>(votes) + 2.0);
  for (const auto& translation : article.translations) {
    ports::SearchDoc doc;
    doc.workspace_id = article.workspace_id;
    doc.kind = "article";
    doc.ref_id = article.id;
    doc.locale = translation.locale;
    doc.title = translation.title;
    AppendCapped(doc.body, markdown.ToText(translation.body_md));
    doc.tags = tags;
    doc.is_public = article.status == "published";
    doc.updated_at = std::max(article.updated_at, translation.updated_at);
    doc.helpfulness = helpfulness;
    docs.push_back(std::move(doc));
  }
  return docs;
}

ports::SearchDoc TopicSearchDoc(const ports::CommunityTopic& topic, const ports::Markdown& markdown) {
  ports::SearchDoc doc;
  doc.workspace_id = topic.workspace_id;
  doc.kind = "topic";
  doc.ref_id = topic.id;
  doc.locale = topic.locale;
  doc.title = topic.title;
  AppendCapped(doc.body, markdown.ToText(topic.body_md));
  for (const auto& post : topic.posts) {
    // Answers held or hidden by moderators are for agents only.
    AppendCapped(post.status == "visible" ? doc.body : doc.internal, markdown.ToText(post.body_md));
  }
  doc.is_public = topic.status == "visible";
  doc.updated_at = topic.updated_at;
  // Answered, accepted and voted topics help more.
  doc.helpfulness = topic.accepted_post_id || topic.official ? 0.8 : topic.answers > 0 ? 0.6 : 0.4;
  return doc;
}

json MatchSegments(std::string_view text) {
  const std::string_view start = ports::kMatchStart;
  const std::string_view end = ports::kMatchEnd;
  json out = json::array();
  bool match = false;
  std::size_t at = 0;
  auto emit = [&](std::string_view piece) {
    if (piece.empty()) return;
    if (!out.empty() && out.back()["match"].get<bool>() == match) {
      out.back()["text"] = out.back()["text"].get<std::string>() + std::string(piece);
    } else {
      out.push_back(json{{"text", std::string(piece)}, {"match", match}});
    }
  };
  while (at < text.size()) {
    const std::string_view marker = match ? end : start;
    std::size_t next = text.find(marker, at);
    // A stray marker of the other kind is dropped, never shown.
    std::string_view piece = text.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at);
    std::string clean;
    for (std::size_t i = 0; i < piece.size();) {
      std::string_view rest = piece.substr(i);
      if (rest.starts_with(start) || rest.starts_with(end)) {
        i += start.size();
      } else {
        clean += piece[i++];
      }
    }
    emit(clean);
    if (next == std::string_view::npos) break;
    at = next + marker.size();
    match = !match;
  }
  return out;
}

SearchIndexer::SearchIndexer(ports::Store& store, ports::SearchIndex& index, ports::EventBus& bus,
                             const ports::Markdown& markdown)
    : store_(store), index_(index), bus_(bus), markdown_(markdown) {}

SearchIndexer::~SearchIndexer() { Stop(); }

void SearchIndexer::Start() {
  subscription_ = bus_.Subscribe(ports::EventBus::kEveryWorkspace, [this](const Event&) {
    std::lock_guard lock(mutex_);
    pending_ = true;
    wake_.notify_one();
  });
  thread_ = std::thread([this] { Run(); });
}

void SearchIndexer::Stop() {
  if (subscription_ != 0) {
    bus_.Unsubscribe(subscription_);
    subscription_ = 0;
  }
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void SearchIndexer::Run() {
  auto stopping = [this] {
    std::lock_guard lock(mutex_);
    return stopping_;
  };
  // A first start over an existing store builds the index in bulk rather than replaying
  // the whole event log.
  auto cursor = index_.Cursor();
  if (cursor.ok() && *cursor == 0) {
    EventId last = 0;
    Status read = store_.Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(last, tx.LastEventId());
      return Ok();
    });
    if (read.ok() && last > 0) {
      if (log_) log_("search index: building it from the database");
      Status rebuilt = Rebuild();
      if (log_) log_(rebuilt.ok() ? "search index: built" : "search index: building failed: " + rebuilt.error().message);
    }
  }
  std::string last_error;
  while (!stopping()) {
    auto taken = CatchUp();
    if (!taken.ok() && taken.error().message != last_error && log_) log_("search index: " + taken.error().message);
    last_error = taken.ok() ? "" : taken.error().message;
    if (taken.ok() && *taken > 0) continue;
    std::unique_lock lock(mutex_);
    // Woken by a commit on this node; other nodes' events arrive the same way (the store
    // republishes them), and the timeout catches anything else.
    wake_.wait_for(lock, std::chrono::seconds(taken.ok() ? 2 : 5), [this] { return stopping_ || pending_; });
    pending_ = false;
  }
}

Result<std::size_t> SearchIndexer::CatchUp(std::size_t batch) {
  KZ_ASSIGN(std::int64_t cursor, index_.Cursor());
  std::vector<Event> events;
  KZ_TRY(store_.Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(events, tx.ListAllEventsSince(std::max<EventId>(0, cursor - kLookBehind), batch + kLookBehind));
    return Ok();
  }));
  std::set<Target> targets;
  std::size_t taken = 0;
  EventId last = cursor;
  // The first pass (after a start or a rebuild) takes the events up to the cursor as done:
  // the look-behind is for events committed late while this indexer runs.
  if (!primed_) {
    for (const auto& event : events) {
      if (event.id <= cursor) recent_.insert(event.id);
    }
    primed_ = true;
  }
  for (const auto& event : events) {
    if (event.id <= cursor && recent_.count(event.id)) continue;
    if (taken == batch) break;
    ++taken;
    recent_.insert(event.id);
    last = std::max(last, event.id);
    if (event.ticket_id) targets.insert({event.workspace_id, "ticket", *event.ticket_id});
    const std::string_view type = event.type;
    const bool customer = type.starts_with("customer.");
    const bool article = type.starts_with("article.");
    const bool topic = type.starts_with("community.");
    // A ticket's new requester comes with an event of its own (customer.created).
    if (!customer && !article && !topic) continue;
    json data = json::parse(event.data, nullptr, false);
    if (data.is_discarded()) continue;
    if (customer) {
      for (const char* key : {"customer_id", "into_id", "source_id", "target_id"}) {
        if (auto id = IdIn(data, key)) targets.insert({event.workspace_id, "customer", *id});
      }
    } else if (article) {
      if (auto id = IdIn(data, "article_id")) targets.insert({event.workspace_id, "article", *id});
    } else if (topic) {
      if (auto id = IdIn(data, "topic_id")) targets.insert({event.workspace_id, "topic", *id});
    }
  }
  // Forget what is now too far behind to be read again.
  while (!recent_.empty() && *recent_.begin() <= last - kLookBehind) recent_.erase(recent_.begin());
  if (taken == 0) return std::size_t{0};
  KZ_TRY(Reindex(targets, last));
  return taken;
}

Status SearchIndexer::Reindex(const std::set<Target>& targets, std::int64_t cursor) {
  std::vector<ports::SearchDoc> docs;
  std::vector<Target> gone;
  // Tickets and customers are read a workspace at a time, a few queries for all of them.
  std::map<WorkspaceId, std::vector<TicketId>> tickets;
  std::map<WorkspaceId, std::vector<CustomerId>> customers;
  for (const auto& target : targets) {
    if (target.kind == "ticket") tickets[target.ws].push_back(target.id);
    if (target.kind == "customer") customers[target.ws].push_back(target.id);
  }
  KZ_TRY(store_.Read([&](ports::ReadTx& tx) -> Status {
    docs.clear();
    gone.clear();
    for (const auto& [ws, ids] : tickets) {
      KZ_ASSIGN(auto found, tx.GetTicketsWithMessages(ws, ids));
      std::set<TicketId> seen;
      for (const auto& item : found) {
        seen.insert(item.ticket.id);
        docs.push_back(TicketSearchDoc(item.ticket, item.messages));
      }
      for (TicketId id : ids) {
        if (!seen.count(id)) gone.push_back({ws, "ticket", id});
      }
    }
    for (const auto& [ws, ids] : customers) {
      KZ_ASSIGN(auto found, tx.GetCustomers(ws, ids));
      std::set<CustomerId> kept;
      for (const auto& customer : found) {
        // A customer merged into another is found as the one kept.
        if (customer.merged_into) continue;
        kept.insert(customer.id);
        docs.push_back(CustomerSearchDoc(customer));
      }
      for (CustomerId id : ids) {
        if (!kept.count(id)) gone.push_back({ws, "customer", id});
      }
    }
    for (const auto& target : targets) {
      auto missing = [&](const Error& error) -> Status {
        if (error.code != ErrorCode::kNotFound) return error;
        gone.push_back(target);
        return Ok();
      };
      if (target.kind == "article") {
        auto article = tx.GetArticle(target.ws, target.id);
        if (!article.ok()) {
          KZ_TRY(missing(article.error()));
          continue;
        }
        // A translation removed since is not left behind.
        gone.push_back(target);
        for (auto& doc : ArticleSearchDocs(*article, markdown_)) docs.push_back(std::move(doc));
      } else if (target.kind == "topic") {
        auto topic = tx.GetTopic(target.ws, target.id);
        if (!topic.ok()) {
          KZ_TRY(missing(topic.error()));
          continue;
        }
        if (topic->status == "deleted") {
          gone.push_back(target);
        } else {
          docs.push_back(TopicSearchDoc(*topic, markdown_));
        }
      }
    }
    return Ok();
  }));
  for (const auto& target : gone) KZ_TRY(index_.Remove(target.ws, target.kind, target.id));
  return index_.Upsert(docs, cursor);
}

Status SearchIndexer::Rebuild(const Progress& progress) {
  EventId start = 0;
  std::vector<WorkspaceId> workspaces;
  KZ_TRY(store_.Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(start, tx.LastEventId());
    KZ_ASSIGN(workspaces, tx.ListWorkspaceIds());
    return Ok();
  }));
  KZ_TRY(index_.Clear());
  std::map<std::string, std::int64_t> done;
  auto report = [&](const std::string& what, std::size_t n) {
    done[what] += static_cast<std::int64_t>(n);
    if (progress) progress(what, done[what]);
  };
  for (WorkspaceId ws : workspaces) {
    TicketId after = 0;
    while (true) {
      std::vector<ports::SearchDoc> docs;
      KZ_TRY(store_.Read([&](ports::ReadTx& tx) -> Status {
        KZ_ASSIGN(auto page, tx.ListTicketsWithMessages(ws, after, static_cast<int>(kRebuildPage)));
        docs.clear();
        for (const auto& entry : page) docs.push_back(TicketSearchDoc(entry.ticket, entry.messages));
        if (!page.empty()) after = page.back().ticket.id;
        return Ok();
      }));
      if (docs.empty()) break;
      KZ_TRY(index_.Upsert(docs));
      report("tickets", docs.size());
    }
    std::int64_t after_article = 0;
    while (true) {
      std::vector<ports::SearchDoc> docs;
      std::size_t articles = 0;
      KZ_TRY(store_.Read([&](ports::ReadTx& tx) -> Status {
        KZ_ASSIGN(auto page, tx.ListArticlesForIndex(ws, after_article, 200));
        docs.clear();
        articles = page.size();
        for (const auto& article : page) {
          after_article = article.id;
          for (auto& doc : ArticleSearchDocs(article, markdown_)) docs.push_back(std::move(doc));
        }
        return Ok();
      }));
      if (articles == 0) break;
      KZ_TRY(index_.Upsert(docs));
      report("articles", articles);
    }
    std::int64_t after_topic = 0;
    while (true) {
      std::vector<ports::SearchDoc> docs;
      KZ_TRY(store_.Read([&](ports::ReadTx& tx) -> Status {
        ports::TopicFilter filter;
        filter.after_id = after_topic;
        filter.limit = 200;
        KZ_ASSIGN(auto page, tx.ListTopics(ws, filter));
        docs.clear();
        for (const auto& summary : page) {
          after_topic = summary.id;
          KZ_ASSIGN(auto topic, tx.GetTopic(ws, summary.id));
          docs.push_back(TopicSearchDoc(topic, markdown_));
        }
        return Ok();
      }));
      if (docs.empty()) break;
      KZ_TRY(index_.Upsert(docs));
      report("topics", docs.size());
    }
    CustomerId after_customer = 0;
    while (true) {
      std::vector<ports::SearchDoc> docs;
      KZ_TRY(store_.Read([&](ports::ReadTx& tx) -> Status {
        KZ_ASSIGN(auto page, tx.ListCustomers(ws, "", after_customer, 100));
        docs.clear();
        for (const auto& customer : page) {
          after_customer = customer.id;
          if (!customer.merged_into) docs.push_back(CustomerSearchDoc(customer));
        }
        if (page.empty()) after_customer = -1;
        return Ok();
      }));
      if (after_customer < 0) break;
      KZ_TRY(index_.Upsert(docs));
      report("customers", docs.size());
    }
  }
  KZ_TRY(index_.Upsert({}, start));
  // Merging the index's segments after a bulk build halves the cost of each search.
  if (progress) progress("optimising", 0);
  KZ_TRY(index_.Optimize());
  recent_.clear();
  primed_ = false;
  return Ok();
}

Result<json> Search(ports::Store& store, ports::SearchIndex& index, const SearchRequest& request) {
  KZ_ASSIGN(auto hits, index.Search(request.query));
  const WorkspaceId ws = request.query.workspace_id;
  json results = json::array();
  KZ_TRY(store.Read([&](ports::ReadTx& tx) -> Status {
    results = json::array();
    for (const auto& hit : hits) {
      json title = MatchSegments(hit.title);
      json item{{"kind", hit.kind},
                {"id", hit.ref_id},
                {"locale", hit.locale},
                {"title", PlainText(title)},
                {"title_segments", title},
                {"snippet", MatchSegments(hit.snippet)},
                {"score", hit.score}};
      if (hit.kind == "ticket") {
        auto ticket = tx.GetTicket(ws, hit.ref_id);
        if (!ticket.ok()) {
          if (ticket.error().code == ErrorCode::kNotFound) continue;  // gone; the index follows soon
          return ticket.error();
        }
        // The index can lag a change of requester: check again who may see it.
        if (!request.query.agent && ticket->requester_id != request.query.customer.value_or(-1)) continue;
        item["number"] = ticket->number;
        item["status"] = StatusName(ticket->status);
      } else if (hit.kind == "article") {
        item["url"] = "/help/" + request.help_centre + "/articles/" + std::to_string(hit.ref_id) +
                      (hit.locale.empty() ? "" : "?locale=" + hit.locale);
      } else if (hit.kind == "topic") {
        item["url"] = "/help/" + request.help_centre + "/community/" + std::to_string(hit.ref_id);
      }
      results.push_back(std::move(item));
    }
    return Ok();
  }));
  return results;
}

}  // namespace kizuna::services
