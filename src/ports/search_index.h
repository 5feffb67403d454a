// The search index port (C20): one index over knowledge-base articles, community topics,
// tickets and customers, derived from the store and rebuilt from it at will. It is never the
// record of anything. Implementation: adapters/search (SQLite FTS5 in its own file, with a
// tokenizer that splits Japanese, Korean and Chinese into bigrams, folds Vietnamese tone
// marks and stems English).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/result.h"

namespace kizuna::ports {

// What one document is. Values are stored as these strings.
//   article   one translation of a knowledge-base article (ref_id: article id, locale set)
//   topic     a community topic with its answers (ref_id: topic id)
//   ticket    a ticket: subject and messages (ref_id: ticket id)
//   customer  a customer: name and identities (ref_id: customer id)
inline constexpr const char* kSearchKinds[] = {"article", "topic", "ticket", "customer"};

struct SearchDoc {
  WorkspaceId workspace_id = 0;
  std::string kind;
  std::int64_t ref_id = 0;
  std::string locale;       // en, ja, ko, vi; "" when not one language
  std::string title;        // ticket subject, article title, topic title, customer name
  std::string body;         // what a customer allowed to see the document may read
  std::string internal;     // agents only: internal notes, customer identities
  std::string tags;         // space-separated
  // Who may find it besides agents: customers see public documents, and the documents
  // they own (their own tickets) — never another customer's.
  bool is_public = false;
  std::optional<CustomerId> owner;
  Timestamp updated_at = 0;
  double helpfulness = 0.5;  // 0..1 (an article's share of "helpful" votes; 0.5 unknown)
};

// Highlighted matches are wrapped in these two private-use characters inside title and
// snippet (they are removed from indexed text, so they mark only matches).
inline constexpr const char* kMatchStart = "\xEE\x80\x80";  // U+E000
inline constexpr const char* kMatchEnd = "\xEE\x80\x81";    // U+E001

struct SearchQuery {
  WorkspaceId workspace_id = 0;
  std::string text;                 // what the person typed (any of the four languages)
  std::vector<std::string> kinds;   // empty: every kind
  bool agent = false;               // agents see every document of the workspace
  std::optional<CustomerId> customer;  // not an agent: public documents and these own
  std::string locale;               // preferred language: its articles rank first
  int limit = 10;                   // 1..50
  // false: every term must match (a search box); true: any term may, the more the better
  // (suggestions made from a ticket's or a draft request's whole text).
  bool any_term = false;
};

struct SearchHit {
  std::string kind;
  std::int64_t ref_id = 0;
  std::string locale;
  std::string title;    // with match markers
  std::string snippet;  // up to ~30 words around the best match, with match markers
  double score = 0;     // higher is better
};

class SearchIndex {
 public:
  virtual ~SearchIndex() = default;
  // Adds or replaces documents (keyed by workspace, kind, ref_id, locale) in one transaction.
  virtual Status Upsert(const std::vector<SearchDoc>& docs) = 0;
  // Removes every document of (workspace, kind, ref_id), all locales.
  virtual Status Remove(WorkspaceId ws, std::string_view kind, std::int64_t ref_id) = 0;
  // Best first. An empty or unsearchable query finds nothing (not an error).
  virtual Result<std::vector<SearchHit>> Search(const SearchQuery& query) = 0;
  // The position of the indexer in the store's event log (0: never indexed), saved with
  // the documents of the same Upsert call when `cursor` is given.
  virtual Result<std::int64_t> Cursor() = 0;
  virtual Status Upsert(const std::vector<SearchDoc>& docs, std::int64_t cursor) = 0;
  // Empties the index (before a rebuild).
  virtual Status Clear() = 0;
  // Compacts the index after a rebuild (or from time to time): searches of a freshly
  // bulk-loaded index read many small segments. Takes about as long as writing the index once;
  // searches go on meanwhile, writes wait. Indexes with nothing to compact return at once.
  virtual Status Optimize() { return Ok(); }
};

}  // namespace kizuna::ports
