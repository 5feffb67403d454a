// The search index (ports/search_index.h) over SQLite FTS5, in its own database file (WAL),
// never the store's: it is derived and can be deleted and rebuilt at any time.
// docs/search.md says what is in it and why.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "ports/search_index.h"

namespace kizuna::search {

// Opens (creating when missing) the index at `path`. The index is thread-safe: Search runs on
// a small pool of reader connections, many threads at once; Upsert, Remove, Clear and
// Optimize take the one writer connection in turn. Errors: Unavailable when the file cannot be opened or is
// locked, Internal otherwise.
Result<std::unique_ptr<ports::SearchIndex>> OpenSearchIndex(const std::string& path);

// Tuning of the ranking and of the pool; the defaults are what docs/search.md describes.
struct SearchIndexOptions {
  int readers = 4;                  // reader connections
  double title_weight = 3.0;        // column weights (kzrank: BM25 per column, weighted)
  double body_weight = 1.0;
  double internal_weight = 0.5;     // agents only
  double tags_weight = 2.0;
  // A query reads at most `scan_limit` matching rows, the most recently indexed
  // first (FTS5's rowid order, no sort), scores them with kzrank (BM25F), and re-ranks the best
  // `candidates` of them with recency, helpfulness and locale. Queries matching fewer rows
  // (any specific query, whatever the age of what it finds) are ranked exactly.
  int scan_limit = 1500;  // the any-words pass reads half as many
  int candidates = 100;
  // The all-words pass requires its rarer words while the doclist walk that leads to stays
  // within this many postings (estimated); commoner words then only add to the score.
  int walk_budget = 20000;
  // The all-words pass reads the newest `scan_window` rowids first, then windows twice as
  // large, and stops after the window that brought `candidates` (or `scan_limit`) rows.
  int scan_window = 131072;
  double locale_boost = 1.6;        // articles in the preferred locale
};
Result<std::unique_ptr<ports::SearchIndex>> OpenSearchIndex(const std::string& path,
                                                            const SearchIndexOptions& options);

}  // namespace kizuna::search
