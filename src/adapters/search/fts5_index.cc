#include "adapters/search/fts5_index.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "engines/search_text.h"

namespace kizuna::search {
namespace {

namespace st = search_text;
using ports::SearchDoc;
using ports::SearchHit;
using ports::SearchQuery;

// ---- the tokenizer FTS5 calls: search_text::ForEachToken, wrapped by `porter` ----

struct TokenizerInstance {};

int TokenizerCreate(void*, const char**, int, Fts5Tokenizer** out) {
  *out = reinterpret_cast<Fts5Tokenizer*>(new TokenizerInstance());
  return SQLITE_OK;
}
void TokenizerDelete(Fts5Tokenizer* t) { delete reinterpret_cast<TokenizerInstance*>(t); }

int TokenizerTokenize(Fts5Tokenizer*, void* ctx, int flags, const char* text, int n,
                      int (*token)(void*, int, const char*, int, int, int)) {
  // Queries get bigrams only; documents and snippet/highlight (AUX) also the last character of
  // each CJK run, so their token positions agree with what was indexed.
  auto mode = (flags & FTS5_TOKENIZE_QUERY) ? st::TokenizeMode::kQuery : st::TokenizeMode::kDocument;
  int rc = SQLITE_OK;
  st::ForEachToken(std::string_view(text, n > 0 ? static_cast<std::size_t>(n) : 0), mode, [&](const st::Token& t) {
    if (rc != SQLITE_OK) return;
    rc = token(ctx, t.colocated ? FTS5_TOKEN_COLOCATED : 0, t.text.data(), static_cast<int>(t.text.size()), static_cast<int>(t.start),
               static_cast<int>(t.end));
  });
  return rc;
}

// ---- kzrank(fts, term_map, w_title, w_body, w_internal, w_tags): BM25F for the scan ----
//
// `term_map` names, for each phrase typed, the query term it stands for ("0 0 1": a word and
// its typo correction, then a second word); phrases after them (the facets) are not scored.
// Per term, its best phrase counts; per phrase, BM25 per column (k1 1.2, b 0.75, the
// column's own average length) times the column's weight, summed — so a title match weighs
// its weight whatever the body holds (FTS5's bm25() saturates the weighted sum instead, and
// a long body full of a word beats a title with it). Terms found next to each other (a
// Vietnamese word is several syllables: "đổi trả"; "money back") add a proximity bonus.
//
// FTS5's bm25() also counts, once per query, every document of every phrase to get its IDF —
// the facet phrases too (a workspace's facet is in every document of it) and common words:
// tens of milliseconds over a million tickets before the first row is scored. kzrank counts
// each typed phrase's documents only up to kDfCount and estimates the rest from how far into
// the rowids the count got (rowids are dense and a word spreads over them): exact IDF for
// rare words, a close one for common words.
constexpr int kDfCount = 500;
constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
constexpr double kProximity = 1.0;
constexpr int kScoredColumns = 4;  // title, body, internal, tags

struct RankData {
  int phrases = 0;
  int terms = 0;
  std::vector<int> term_of;   // per phrase
  std::vector<int> size;      // per phrase, in tokens
  std::vector<double> idf;    // per phrase
  double avg_len[kScoredColumns] = {1, 1, 1, 1};
};

struct DfCount {
  sqlite3_int64 count = 0;
  sqlite3_int64 last_rowid = 0;
};

int CountDocs(const Fts5ExtensionApi* api, Fts5Context* fts, void* user) {
  auto* df = static_cast<DfCount*>(user);
  df->last_rowid = api->xRowid(fts);
  return ++df->count >= kDfCount ? SQLITE_DONE : SQLITE_OK;
}

RankData* LoadRankData(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_value* term_map, int* rc) {
  auto* data = static_cast<RankData*>(api->xGetAuxdata(fts, 0));
  if (data) return data;
  data = new RankData();
  *rc = api->xSetAuxdata(fts, data, [](void* p) { delete static_cast<RankData*>(p); });
  if (*rc != SQLITE_OK) return nullptr;
  const char* map = reinterpret_cast<const char*>(sqlite3_value_text(term_map));
  const int phrase_count = api->xPhraseCount(fts);
  for (const char* p = map ? map : ""; *p && static_cast<int>(data->term_of.size()) < phrase_count;) {
    char* end = nullptr;
    long t = std::strtol(p, &end, 10);
    if (end == p) break;
    data->term_of.push_back(static_cast<int>(std::clamp(t, 0L, 1000L)));
    data->terms = std::max(data->terms, static_cast<int>(t) + 1);
    p = end;
  }
  data->phrases = static_cast<int>(data->term_of.size());
  sqlite3_int64 rows = 0;
  api->xRowCount(fts, &rows);
  rows = std::max<sqlite3_int64>(rows, 1);
  const double r = static_cast<double>(rows);
  for (int col = 0; col < kScoredColumns; ++col) {
    sqlite3_int64 tokens = 0;
    api->xColumnTotalSize(fts, col, &tokens);
    data->avg_len[col] = std::max(1.0, static_cast<double>(tokens) / r);
  }
  for (int i = 0; i < data->phrases; ++i) {
    DfCount df;
    *rc = api->xQueryPhrase(fts, i, &df, CountDocs);
    if (*rc != SQLITE_OK) return nullptr;
    double count = static_cast<double>(df.count);
    if (df.count >= kDfCount && df.last_rowid > 0) count = std::min(r, count * r / static_cast<double>(df.last_rowid));
    data->idf.push_back(std::max(1e-6, std::log((r - count + 0.5) / (count + 0.5) + 1.0)));
    data->size.push_back(std::max(1, api->xPhraseSize(fts, i)));
  }
  return data;
}

void KzRank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int n, sqlite3_value** args) {
  if (n != 1 + kScoredColumns) {
    sqlite3_result_error(ctx, "kzrank: wrong number of arguments", -1);
    return;
  }
  int rc = SQLITE_OK;
  RankData* data = LoadRankData(api, fts, args[0], &rc);
  if (!data) {
    sqlite3_result_error_code(ctx, rc == SQLITE_OK ? SQLITE_ERROR : rc);
    return;
  }
  double weights[kScoredColumns];
  for (int i = 0; i < kScoredColumns; ++i) weights[i] = sqlite3_value_double(args[1 + i]);
  const auto phrases = static_cast<std::size_t>(data->phrases);
  // Hits per phrase and column, and where each typed phrase starts (for proximity).
  std::vector<double> tf(phrases * kScoredColumns, 0.0);
  struct At {
    int phrase, col, off;
  };
  std::vector<At> at;
  int inst = 0;
  if (api->xInstCount(fts, &inst) != SQLITE_OK) inst = 0;
  for (int i = 0; i < inst; ++i) {
    int phrase = 0, col = 0, off = 0;
    if (api->xInst(fts, i, &phrase, &col, &off) != SQLITE_OK) break;
    if (phrase >= data->phrases || col < 0 || col >= kScoredColumns || weights[col] <= 0) continue;
    tf[static_cast<std::size_t>(phrase) * kScoredColumns + static_cast<std::size_t>(col)] += 1;
    if (data->terms > 1) at.push_back(At{phrase, col, off});
  }
  double len[kScoredColumns];
  for (int col = 0; col < kScoredColumns; ++col) {
    int l = 0;
    api->xColumnSize(fts, col, &l);
    len[col] = static_cast<double>(l);
  }
  std::vector<double> term_score(static_cast<std::size_t>(data->terms), 0.0);
  for (std::size_t p = 0; p < phrases; ++p) {
    double s = 0;
    for (int col = 0; col < kScoredColumns; ++col) {
      double f = tf[p * kScoredColumns + static_cast<std::size_t>(col)];
      if (f == 0) continue;
      double norm = kK1 * (1 - kB + kB * len[col] / data->avg_len[col]);
      s += weights[col] * f * (kK1 + 1) / (f + norm);
    }
    auto t = static_cast<std::size_t>(data->term_of[p]);
    term_score[t] = std::max(term_score[t], data->idf[p] * s);
  }
  double score = 0;
  for (double s : term_score) score += s;
  // Proximity: term t+1 starting right where a phrase of term t ends, in the same column.
  if (data->terms > 1) {
    std::vector<double> pair_bonus(static_cast<std::size_t>(data->terms), 0.0);
    for (const auto& a : at) {
      int t = data->term_of[static_cast<std::size_t>(a.phrase)];
      for (const auto& b : at) {
        if (b.col != a.col || data->term_of[static_cast<std::size_t>(b.phrase)] != t + 1) continue;
        if (b.off != a.off + data->size[static_cast<std::size_t>(a.phrase)]) continue;
        double bonus = kProximity * weights[a.col] *
                       std::min(data->idf[static_cast<std::size_t>(a.phrase)], data->idf[static_cast<std::size_t>(b.phrase)]);
        auto ut = static_cast<std::size_t>(t);
        pair_bonus[ut] = std::max(pair_bonus[ut], bonus);
      }
    }
    for (double b : pair_bonus) score += b;
  }
  sqlite3_result_double(ctx, score);
}

Error SqlError(sqlite3* db, int rc, std::string_view context) {
  std::string message = std::string("search index: ") + std::string(context) + ": " +
                        (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return Error::Unavailable(message);
    default: return Error::Internal(message);
  }
}

// One connection with its prepared statements.
class Conn {
 public:
  ~Conn() {
    for (auto& [sql, stmt] : stmts_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  static Result<std::unique_ptr<Conn>> Open(const std::string& path, bool writer) {
    sqlite3* raw = nullptr;
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_READWRITE | (writer ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    if (rc != SQLITE_OK) {
      Error e = SqlError(raw, rc, "cannot open " + path);
      sqlite3_close_v2(raw);
      return e;
    }
    std::unique_ptr<Conn> conn(new Conn(raw));
    sqlite3_busy_timeout(raw, 10000);
    KZ_TRY(conn->Exec(writer ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;"
                               "PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=4000;"
                               // A rebuild's WAL is cut back to 64 MiB once copied in (as the store's).
                               "PRAGMA journal_size_limit=67108864;"
                             : "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768;"));
    KZ_TRY(conn->RegisterTokenizer());
    return conn;
  }

  sqlite3* db() const { return db_; }

  Status Exec(const char* sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      return SqlError(nullptr, rc, msg);
    }
    return Ok();
  }

  // A cached statement, reset and unbound.
  Result<sqlite3_stmt*> Prepare(const std::string& sql) {
    auto it = stmts_.find(sql);
    if (it != stmts_.end()) {
      sqlite3_reset(it->second);
      sqlite3_clear_bindings(it->second);
      return it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqlError(db_, rc, "prepare");
    stmts_.emplace(sql, stmt);
    return stmt;
  }

  // Runs a statement that returns no rows.
  Status Run(sqlite3_stmt* stmt) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) return Ok();
    return SqlError(db_, rc, "step");
  }

 private:
  explicit Conn(sqlite3* db) : db_(db) {}

  Status RegisterTokenizer() {
    fts5_api* api = nullptr;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, "SELECT fts5(?1)", -1, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqlError(db_, rc, "fts5 is not available");
    sqlite3_bind_pointer(stmt, 1, reinterpret_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (!api) return Error::Internal("search index: no fts5_api");
    static fts5_tokenizer tokenizer{TokenizerCreate, TokenizerDelete, TokenizerTokenize};
    rc = api->xCreateTokenizer(api, "kizuna", nullptr, &tokenizer, nullptr);
    if (rc != SQLITE_OK) return SqlError(db_, rc, "register tokenizer");
    rc = api->xCreateFunction(api, "kzrank", nullptr, KzRank, nullptr);
    if (rc != SQLITE_OK) return SqlError(db_, rc, "register kzrank");
    return Ok();
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> stmts_;
};

void BindText(sqlite3_stmt* s, int i, std::string_view v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
std::string ColumnText(sqlite3_stmt* s, int i) {
  const auto* p = sqlite3_column_text(s, i);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s, i)))
           : std::string();
}

// The schema. `fts` holds the searchable text; `facets` (weight 0, never in a user's column
// filter) holds one token per filter a query needs — workspace, public, owner, kind — so that
// permissions and kinds are doclist intersections inside FTS5 rather than a row-by-row check.
// `docs` (same rowid) holds what ranking and results need in small rows: reading them costs
// one b-tree probe per candidate, where UNINDEXED columns of `fts` would load the whole
// stored document (body included) for every candidate.
constexpr const char* kFtsSchema =
    "CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, body, internal, tags, facets,"
    " tokenize='porter kizuna');";
constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS docs(id INTEGER PRIMARY KEY, workspace_id INTEGER NOT NULL,"
    " kind TEXT NOT NULL, ref_id INTEGER NOT NULL, locale TEXT NOT NULL, is_public INTEGER NOT NULL,"
    " owner INTEGER, updated_at INTEGER NOT NULL, helpfulness REAL NOT NULL);"
    "CREATE UNIQUE INDEX IF NOT EXISTS docs_key ON docs(workspace_id, kind, ref_id, locale);"
    // The Latin vocabulary for typo tolerance, by first letter and length so that the words
    // within reach of a typo are one short index range.
    "CREATE TABLE IF NOT EXISTS terms(first TEXT NOT NULL, len INTEGER NOT NULL, term TEXT NOT NULL,"
    " PRIMARY KEY(first, len, term)) WITHOUT ROWID;";

char KindLetter(std::string_view kind) {
  if (kind == "article") return 'a';
  if (kind == "topic") return 't';
  if (kind == "ticket") return 'k';
  if (kind == "customer") return 'c';
  return 0;
}

std::string WsFacet(WorkspaceId ws) { return "w" + std::to_string(ws); }
std::string PublicFacet(WorkspaceId ws) { return WsFacet(ws) + "p"; }
std::string OwnerFacet(WorkspaceId ws, CustomerId c) { return WsFacet(ws) + "o" + std::to_string(c); }
std::string KindFacet(WorkspaceId ws, char k) { return WsFacet(ws) + "x" + k; }

std::string StripMarkers(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i + 2 < text.size() + 0 && static_cast<unsigned char>(text[i]) == 0xEE &&
        static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(text[i + 2]) == 0x80 || static_cast<unsigned char>(text[i + 2]) == 0x81)) {
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

// The first code point of a word, as UTF-8, and the word's length in code points.
std::pair<std::string, int> FirstAndLength(std::string_view word) {
  std::size_t pos = 0;
  st::DecodeUtf8(word, pos);
  std::string first(word.substr(0, pos));
  int len = 1;
  while (pos < word.size()) {
    st::DecodeUtf8(word, pos);
    ++len;
  }
  return {first, len};
}

// Words too common to narrow a search: left out of a query that has other words. English
// ones only when typed without marks and not by a Vietnamese reader ("hóa đơn đỏ", "hoa don
// do": đỏ is red); Vietnamese ones for Vietnamese readers or words typed with marks.
bool IsStopWord(const search_text::QueryTerm& term, std::string_view locale) {
  const std::string& w = term.text;
  static const std::unordered_set<std::string_view> kEnglish = {
      "a", "an", "the", "and", "or", "to", "of", "in", "on", "for", "is", "are", "be", "it", "my", "i",
      "me", "we", "you", "your", "do", "does", "how", "what", "why", "can", "with", "at", "this", "that",
      "from", "by", "as", "not", "no", "am", "was", "get", "want", "need", "when", "where", "which", "will"};
  // Folded Vietnamese function words.
  static const std::unordered_set<std::string_view> kVietnamese = {
      "toi", "cua", "la", "va", "co", "the", "nao", "lam", "cho", "duoc", "mot", "cac", "nhung",
      "voi", "de", "bi", "da", "se", "thi", "ma", "o", "tai", "ve", "ban", "minh"};
  if (locale == "vi" || term.marked) return kVietnamese.count(w) > 0;
  return kEnglish.count(w) > 0;
}

class Fts5SearchIndex final : public ports::SearchIndex {
 public:
  Fts5SearchIndex(std::string path, SearchIndexOptions options) : path_(std::move(path)), options_(options) {}

  Status Init() {
    KZ_ASSIGN(writer_, Conn::Open(path_, true));
    KZ_TRY(writer_->Exec(kSchema));
    KZ_TRY(writer_->Exec(kFtsSchema));
    int readers = std::clamp(options_.readers, 1, 16);
    for (int i = 0; i < readers; ++i) {
      KZ_ASSIGN(auto conn, Conn::Open(path_, false));
      idle_.push_back(conn.get());
      readers_.push_back(std::move(conn));
    }
    return Ok();
  }

  Status Upsert(const std::vector<SearchDoc>& docs) override { return Write(docs, std::nullopt); }
  Status Upsert(const std::vector<SearchDoc>& docs, std::int64_t cursor) override { return Write(docs, cursor); }

  Status Remove(WorkspaceId ws, std::string_view kind, std::int64_t ref_id) override {
    std::lock_guard lock(write_mu_);
    Conn& c = *writer_;
    KZ_TRY(c.Exec("BEGIN IMMEDIATE"));
    Status s = RemoveLocked(c, ws, kind, ref_id, nullptr);
    return Finish(c, std::move(s));
  }

  Status Clear() override {
    std::lock_guard lock(write_mu_);
    Conn& c = *writer_;
    KZ_TRY(c.Exec("BEGIN IMMEDIATE"));
    // Dropping the FTS table is far faster than deleting a million rows from it.
    Status s = c.Exec("DROP TABLE IF EXISTS fts; DELETE FROM docs; DELETE FROM terms; DELETE FROM meta;");
    if (s.ok()) s = c.Exec(kFtsSchema);
    s = Finish(c, std::move(s));
    if (s.ok()) {
      std::lock_guard terms_lock(terms_mu_);
      known_terms_.clear();
    }
    return s;
  }

  Status Optimize() override {
    std::lock_guard lock(write_mu_);
    return writer_->Exec("INSERT INTO fts(fts) VALUES('optimize')");
  }

  Result<std::int64_t> Cursor() override {
    auto reader = Acquire();
    KZ_ASSIGN(sqlite3_stmt * s, reader.conn->Prepare("SELECT value FROM meta WHERE key = 'cursor'"));
    int rc = sqlite3_step(s);
    std::int64_t value = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqlError(reader.conn->db(), rc, "cursor");
    sqlite3_reset(s);
    return value;
  }

  Result<std::vector<SearchHit>> Search(const SearchQuery& q) override;

 private:
  // A reader connection borrowed from the pool for one call.
  struct Lease {
    Fts5SearchIndex* owner;
    Conn* conn;
    Lease(Fts5SearchIndex* o, Conn* c) : owner(o), conn(c) {}
    Lease(const Lease&) = delete;
    ~Lease() {
      std::lock_guard lock(owner->pool_mu_);
      owner->idle_.push_back(conn);
      owner->pool_cv_.notify_one();
    }
  };
  Lease Acquire() {
    std::unique_lock lock(pool_mu_);
    pool_cv_.wait(lock, [&] { return !idle_.empty(); });
    Conn* c = idle_.back();
    idle_.pop_back();
    return Lease(this, c);
  }

  Status Finish(Conn& c, Status s) {
    if (s.ok()) {
      s = c.Exec("COMMIT");
      if (s.ok()) return s;
    }
    (void)c.Exec("ROLLBACK");
    return s;
  }

  Status Write(const std::vector<SearchDoc>& docs, std::optional<std::int64_t> cursor) {
    for (const auto& d : docs) {
      if (d.workspace_id <= 0) return Error::Invalid("workspace_id", "a document needs a workspace");
      if (!KindLetter(d.kind)) return Error::Invalid("kind", "unknown document kind: " + d.kind);
    }
    std::lock_guard lock(write_mu_);
    Conn& c = *writer_;
    KZ_TRY(c.Exec("BEGIN IMMEDIATE"));
    std::vector<std::string> new_terms;
    Status s = Ok();
    for (const auto& d : docs) {
      s = WriteOne(c, d, new_terms);
      if (!s.ok()) break;
    }
    if (s.ok() && cursor) {
      auto stmt = c.Prepare("INSERT INTO meta(key, value) VALUES('cursor', ?1)"
                            " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
      if (!stmt.ok()) {
        s = stmt.error();
      } else {
        sqlite3_bind_int64(*stmt, 1, *cursor);
        s = c.Run(*stmt);
      }
    }
    s = Finish(c, std::move(s));
    if (s.ok()) {
      std::lock_guard terms_lock(terms_mu_);
      // A bounded memory of the vocabulary only saves INSERT OR IGNOREs of known words.
      if (known_terms_.size() > 4'000'000) known_terms_.clear();
      for (auto& t : new_terms) known_terms_.insert(std::move(t));
    }
    return s;
  }

  Status RemoveLocked(Conn& c, WorkspaceId ws, std::string_view kind, std::int64_t ref_id, const std::string* locale) {
    std::string sql = "SELECT id FROM docs WHERE workspace_id = ?1 AND kind = ?2 AND ref_id = ?3";
    if (locale) sql += " AND locale = ?4";
    KZ_ASSIGN(sqlite3_stmt * sel, c.Prepare(sql));
    sqlite3_bind_int64(sel, 1, ws);
    BindText(sel, 2, kind);
    sqlite3_bind_int64(sel, 3, ref_id);
    if (locale) BindText(sel, 4, *locale);
    std::vector<std::int64_t> ids;
    int rc;
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW) ids.push_back(sqlite3_column_int64(sel, 0));
    if (rc != SQLITE_DONE) return SqlError(c.db(), rc, "select doc");
    sqlite3_reset(sel);
    for (auto id : ids) {
      KZ_ASSIGN(sqlite3_stmt * del_fts, c.Prepare("DELETE FROM fts WHERE rowid = ?1"));
      sqlite3_bind_int64(del_fts, 1, id);
      KZ_TRY(c.Run(del_fts));
      KZ_ASSIGN(sqlite3_stmt * del_doc, c.Prepare("DELETE FROM docs WHERE id = ?1"));
      sqlite3_bind_int64(del_doc, 1, id);
      KZ_TRY(c.Run(del_doc));
    }
    return Ok();
  }

  Status WriteOne(Conn& c, const SearchDoc& d, std::vector<std::string>& new_terms) {
    KZ_TRY(RemoveLocked(c, d.workspace_id, d.kind, d.ref_id, &d.locale));
    KZ_ASSIGN(sqlite3_stmt * ins_doc,
              c.Prepare("INSERT INTO docs(workspace_id, kind, ref_id, locale, is_public, owner, updated_at,"
                        " helpfulness) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    sqlite3_bind_int64(ins_doc, 1, d.workspace_id);
    BindText(ins_doc, 2, d.kind);
    sqlite3_bind_int64(ins_doc, 3, d.ref_id);
    BindText(ins_doc, 4, d.locale);
    sqlite3_bind_int(ins_doc, 5, d.is_public ? 1 : 0);
    if (d.owner) sqlite3_bind_int64(ins_doc, 6, *d.owner);
    sqlite3_bind_int64(ins_doc, 7, d.updated_at);
    sqlite3_bind_double(ins_doc, 8, std::isfinite(d.helpfulness) ? std::clamp(d.helpfulness, 0.0, 1.0) : 0.5);
    KZ_TRY(c.Run(ins_doc));
    std::int64_t id = sqlite3_last_insert_rowid(c.db());

    std::string facets = WsFacet(d.workspace_id) + " " + KindFacet(d.workspace_id, KindLetter(d.kind));
    if (d.is_public) facets += " " + PublicFacet(d.workspace_id);
    if (d.owner) facets += " " + OwnerFacet(d.workspace_id, *d.owner);
    std::string title = StripMarkers(d.title), body = StripMarkers(d.body), internal = StripMarkers(d.internal),
                tags = StripMarkers(d.tags);
    KZ_ASSIGN(sqlite3_stmt * ins_fts,
              c.Prepare("INSERT INTO fts(rowid, title, body, internal, tags, facets) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"));
    sqlite3_bind_int64(ins_fts, 1, id);
    BindText(ins_fts, 2, title);
    BindText(ins_fts, 3, body);
    BindText(ins_fts, 4, internal);
    BindText(ins_fts, 5, tags);
    BindText(ins_fts, 6, facets);
    KZ_TRY(c.Run(ins_fts));
    return AddTerms(c, {&title, &body, &tags}, new_terms);
  }

  // Records the Latin words a customer could mistype (not `internal`: its words must not
  // shape a customer's query).
  Status AddTerms(Conn& c, std::initializer_list<const std::string*> texts, std::vector<std::string>& new_terms) {
    std::set<std::string> words;
    for (const auto* text : texts)
      st::ForEachToken(*text, st::TokenizeMode::kDocument, [&](const st::Token& t) {
        if (!t.cjk && st::TypoBudget(t.text) > 0) words.insert(t.text);
      });
    if (words.empty()) return Ok();
    {
      std::lock_guard lock(terms_mu_);
      for (auto it = words.begin(); it != words.end();) it = known_terms_.count(*it) ? words.erase(it) : std::next(it);
    }
    KZ_ASSIGN(sqlite3_stmt * ins, c.Prepare("INSERT OR IGNORE INTO terms(first, len, term) VALUES(?1, ?2, ?3)"));
    for (const auto& w : words) {
      auto [first, len] = FirstAndLength(w);
      sqlite3_reset(ins);
      BindText(ins, 1, first);
      sqlite3_bind_int(ins, 2, len);
      BindText(ins, 3, w);
      KZ_TRY(c.Run(ins));
      new_terms.push_back(w);
    }
    return Ok();
  }

  // Vocabulary words within the typo budget of `word`, closest first, at most 4; empty when
  // the word itself is known.
  Result<std::vector<std::string>> TypoAlternatives(Conn& c, const std::string& word) {
    std::vector<std::string> out;
    int budget = st::TypoBudget(word);
    if (budget == 0) return out;
    auto [first, len] = FirstAndLength(word);
    KZ_ASSIGN(sqlite3_stmt * known, c.Prepare("SELECT 1 FROM terms WHERE first = ?1 AND len = ?2 AND term = ?3"));
    BindText(known, 1, first);
    sqlite3_bind_int(known, 2, len);
    BindText(known, 3, word);
    int known_rc = sqlite3_step(known);
    sqlite3_reset(known);
    if (known_rc == SQLITE_ROW) return out;
    if (known_rc != SQLITE_DONE) return SqlError(c.db(), known_rc, "terms");
    KZ_ASSIGN(sqlite3_stmt * s, c.Prepare("SELECT term FROM terms WHERE first = ?1 AND len BETWEEN ?2 AND ?3"
                                          " LIMIT 20000"));
    BindText(s, 1, first);
    sqlite3_bind_int(s, 2, len - budget);
    sqlite3_bind_int(s, 3, len + budget);
    std::vector<std::pair<int, std::string>> found;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      std::string term = ColumnText(s, 0);
      int d = st::EditDistance(word, term, budget);
      if (d == 0) {
        sqlite3_reset(s);
        return std::vector<std::string>{};
      }
      if (d <= budget) found.emplace_back(d, std::move(term));
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return SqlError(c.db(), rc, "terms");
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 0; i < found.size() && i < 4; ++i) out.push_back(std::move(found[i].second));
    return out;
  }

  // One word of the all-words query: its MATCH expression (the word, its typo corrections).
  struct AllPart {
    std::string expr;
    int term;     // its query term (kzrank: proximity of term t and t+1)
    int phrases;  // how many phrases `expr` holds
  };

  // How many documents `match` finds, estimated: exact up to kDfProbe, otherwise from how far
  // back its kDfProbe most recent documents reach (rowids are dense and a word spreads over
  // them) — a few hundred postings read, where counting a common word would read all of them.
  static constexpr int kDfProbe = 256;
  Result<double> EstimateDocs(Conn& c, const std::string& match) {
    KZ_ASSIGN(sqlite3_stmt * s, c.Prepare("SELECT rowid FROM fts WHERE fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2"));
    BindText(s, 1, match);
    sqlite3_bind_int(s, 2, kDfProbe);
    std::int64_t first = 0, last = 0;
    int n = 0, rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      last = sqlite3_column_int64(s, 0);
      if (n++ == 0) first = last;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return SqlError(c.db(), rc, "estimate");
    if (n < kDfProbe || first <= last) return static_cast<double>(n);
    return static_cast<double>(n - 1) * static_cast<double>(first) / static_cast<double>(first - last);
  }

  // Which words of the all-words query are required (the others only add to the score).
  // FTS5 intersects doclists by walking them side by side, so requiring every word walks the
  // shortest doclist until `scan_limit` rows matched — all of it when few documents hold every
  // word. Taking the words rarest first (the filter — workspace, public, own, kinds — always
  // required), a word is required while the walk it leads to, estimated from document
  // frequencies (words taken as independent), stays within `walk_budget` postings; the first
  // one past it and all commoner ones are optional. The rarest word is always required, and
  // an index smaller than the budget requires every word.
  Result<std::vector<bool>> RequiredTerms(Conn& c, const std::vector<AllPart>& parts, const std::string& filter) {
    std::vector<bool> required(parts.size(), true);
    if (parts.size() < 2) return required;
    KZ_ASSIGN(sqlite3_stmt * m, c.Prepare("SELECT max(id) FROM docs"));
    int rc = sqlite3_step(m);
    const double docs = rc == SQLITE_ROW ? sqlite3_column_double(m, 0) : 0;
    sqlite3_reset(m);
    if (rc != SQLITE_ROW) return SqlError(c.db(), rc, "docs");
    const double budget = std::max(1, options_.walk_budget);
    if (docs <= budget) return required;
    KZ_ASSIGN(double matches, EstimateDocs(c, filter));
    std::vector<std::pair<double, std::size_t>> df;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      KZ_ASSIGN(double d, EstimateDocs(c, parts[i].expr));
      df.emplace_back(d, i);
    }
    std::stable_sort(df.begin(), df.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    const double scan = std::max(10, options_.scan_limit);
    double shortest = matches;
    bool past_budget = false;
    for (std::size_t k = 0; k < df.size(); ++k) {
      double next_matches = matches * std::min(1.0, df[k].first / docs);
      double next_shortest = std::min(shortest, df[k].first);
      double walk = next_shortest * std::min(1.0, scan / std::max(next_matches, 1.0));
      past_budget |= k > 0 && walk > budget;
      if (past_budget) {
        required[df[k].second] = false;
        continue;
      }
      matches = next_matches;
      shortest = next_shortest;
    }
    return required;
  }

  struct Candidate {
    std::int64_t rowid;
    double score;
    bool all_terms;
  };

  // Runs one MATCH and adds its best rows (by bm25) to `out`.
  // `term_map`: for each phrase typed (they come first in `match`), its query term.
  Status Collect(Conn& c, const std::string& match, const std::vector<int>& term_map, bool agent, bool all_terms,
                 std::vector<Candidate>& out, std::unordered_set<std::int64_t>& seen, int scan_limit,
                 std::int64_t min_rowid, std::int64_t max_rowid) {
    char weights[160];
    std::snprintf(weights, sizeof weights, "kzrank(fts, ?3, %.3f, %.3f, %.3f, %.3f)", options_.title_weight,
                  options_.body_weight, agent ? options_.internal_weight : 0.0, options_.tags_weight);
    std::string map;
    for (int t : term_map) map += std::to_string(t) + " ";
    // Rowid order is FTS5's own: LIMIT stops the scan, where ORDER BY bm25 would score and
    // sort every match (hundreds of milliseconds for a common word over a million tickets).
    KZ_ASSIGN(sqlite3_stmt * s, c.Prepare(std::string("SELECT rowid, ") + weights +
                                          " FROM fts WHERE fts MATCH ?1 AND rowid >= ?4 AND rowid <= ?5"
                                          " ORDER BY rowid DESC LIMIT ?2"));
    BindText(s, 1, match);
    sqlite3_bind_int(s, 2, scan_limit);
    BindText(s, 3, map);
    sqlite3_bind_int64(s, 4, min_rowid);
    sqlite3_bind_int64(s, 5, max_rowid);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      std::int64_t rowid = sqlite3_column_int64(s, 0);
      if (!seen.insert(rowid).second) continue;
      out.push_back(Candidate{rowid, sqlite3_column_double(s, 1), all_terms});
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return SqlError(c.db(), rc, "search");
    return Ok();
  }

  std::string path_;
  SearchIndexOptions options_;
  std::unique_ptr<Conn> writer_;
  std::mutex write_mu_;
  std::vector<std::unique_ptr<Conn>> readers_;
  std::vector<Conn*> idle_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::mutex terms_mu_;
  std::unordered_set<std::string> known_terms_;
};

std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

Result<std::vector<SearchHit>> Fts5SearchIndex::Search(const SearchQuery& q) {
  std::vector<SearchHit> hits;
  if (q.workspace_id <= 0) return Error::Invalid("workspace_id", "a search needs a workspace");
  std::string kinds_filter;
  for (const auto& kind : q.kinds) {
    char k = KindLetter(kind);
    if (!k) return Error::Invalid("kinds", "unknown kind: " + kind);
    if (!kinds_filter.empty()) kinds_filter += " OR ";
    kinds_filter += "facets : " + KindFacet(q.workspace_id, k);
  }
  auto terms = st::ParseQuery(q.text);
  if (terms.empty()) return hits;
  int limit = std::clamp(q.limit, 1, 50);

  // Who may see what: every document of the workspace for agents; public ones and the
  // customer's own otherwise, with `internal` outside the columns a query may match.
  std::string scope;
  if (q.agent) {
    scope = "facets : " + WsFacet(q.workspace_id);
  } else {
    scope = "facets : " + PublicFacet(q.workspace_id);
    if (q.customer) scope += " OR facets : " + OwnerFacet(q.workspace_id, *q.customer);
  }
  std::string filter = "(" + scope + ")";
  if (!kinds_filter.empty()) filter += " AND (" + kinds_filter + ")";
  const std::string cols = q.agent ? "{title body internal tags} : " : "{title body tags} : ";

  auto lease = Acquire();
  Conn& c = *lease.conn;

  // The all-words query and the any-words query, with which query term each of their phrases
  // stands for (kzrank scores a term by its best phrase and rewards terms found side by side).
  // Each Latin word also matches its likely corrections when unknown. Stop words ("my",
  // "how") are left out when the query has other words.
  bool has_content = false;
  for (const auto& term : terms) has_content |= term.cjk || !IsStopWord(term, q.locale);
  std::vector<AllPart> all_parts;
  std::vector<std::string> any_parts;
  std::vector<int> any_map;
  int all_terms = 0;
  int typo_lookups = 0;
  constexpr int kMaxTypoLookups = 4;
  auto all_hiragana = [](const std::string& text) {
    for (std::size_t pos = 0; pos < text.size();)
      if (st::Classify(st::DecodeUtf8(text, pos)) != st::Script::kHiragana) return false;
    return true;
  };
  for (const auto& term : terms) {
    std::string part;
    int phrases = 1;
    if (term.cjk) {
      part = cols + st::TermExpression(term);
      auto bigrams = st::Tokenize(term.text, st::TokenizeMode::kQuery);
      if (bigrams.size() > 1) {
        // For the any-words query, bigrams of kana particles and endings (をお, ました) say
        // little and match nearly every Japanese document: only the others, when there are.
        std::size_t informative = 0;
        for (const auto& b : bigrams) informative += all_hiragana(b.text) ? 0 : 1;
        for (const auto& b : bigrams) {
          if (informative != 0 && all_hiragana(b.text)) continue;
          any_map.push_back(static_cast<int>(any_parts.size()));
          any_parts.push_back(cols + Quote(b.text));
        }
      } else {
        any_map.push_back(static_cast<int>(any_parts.size()));
        any_parts.push_back(part);
      }
    } else {
      if (has_content && IsStopWord(term, q.locale)) continue;
      part = cols + Quote(term.text);
      // Typo lookups are bounded per query: a pasted paragraph of unknown words stays fast.
      std::vector<std::string> alternatives;
      if (typo_lookups < kMaxTypoLookups && st::TypoBudget(term.text) > 0) {
        ++typo_lookups;
        KZ_ASSIGN(alternatives, TypoAlternatives(c, term.text));
      }
      for (const auto& alt : alternatives) part += " OR " + cols + Quote(alt);
      if (!alternatives.empty()) part = "(" + part + ")";
      for (std::size_t i = 0; i <= alternatives.size(); ++i) any_map.push_back(static_cast<int>(any_parts.size()));
      phrases = static_cast<int>(alternatives.size()) + 1;
      any_parts.push_back(part);
    }
    all_parts.push_back(AllPart{part, all_terms, phrases});
    ++all_terms;
  }
  if (all_parts.empty()) return hits;
  std::string all;
  for (const auto& p : all_parts) all += (all.empty() ? "" : " AND ") + p.expr;

  // Which words the all-words pass requires. FTS5 finds the documents holding every word by
  // walking the doclists side by side; when each word is common but few documents hold them
  // all (a sentence of everyday words over a million tickets), the walk covers the whole
  // shortest doclist before the scan limit is reached — tens of milliseconds. Words whose
  // requirement would make that walk long are optional (they still count in the score).
  KZ_ASSIGN(std::vector<bool> required, RequiredTerms(c, all_parts, filter));
  std::string all_required, optional;
  std::vector<int> all_map;
  for (std::size_t i = 0; i < all_parts.size(); ++i) {
    if (!required[i]) continue;
    all_required += (all_required.empty() ? "" : " AND ") + all_parts[i].expr;
    all_map.insert(all_map.end(), static_cast<std::size_t>(all_parts[i].phrases), all_parts[i].term);
  }
  for (std::size_t i = 0; i < all_parts.size(); ++i) {
    if (required[i]) continue;
    optional += (optional.empty() ? "" : " OR ") + all_parts[i].expr;
    all_map.insert(all_map.end(), static_cast<std::size_t>(all_parts[i].phrases), all_parts[i].term);
  }
  if (!optional.empty()) {
    // `R AND (O1 OR O2 OR R)` matches what R matches, and puts O1 and O2 in the expression
    // so that kzrank sees their hits. The OR child seeks only to the rows R reaches.
    const auto& first = all_parts[static_cast<std::size_t>(std::find(required.begin(), required.end(), true) -
                                                           required.begin())];
    optional += " OR " + first.expr;
    all_map.insert(all_map.end(), static_cast<std::size_t>(first.phrases), first.term);
    all_required += " AND (" + optional + ")";
  }

  std::vector<Candidate> candidates;
  std::unordered_set<std::int64_t> seen;
  {
    // For agents, newest first in windows of rowids (the first `scan_window`, then twice as
    // many each time): a window that fills the scan limit ends the pass as the limit always
    // did, and one that brings the candidates to `candidates` ends it too, so a long walk over
    // a few scattered matches (a long CJK phrase of common bigrams over a million tickets)
    // stops once there are enough to rank. A query with fewer matches (a rare word, a
    // five-year-old ticket) reads every window. A customer's scope (public documents and
    // their own) is short already, and mostly old: one window.
    KZ_ASSIGN(sqlite3_stmt * m, c.Prepare("SELECT max(id) FROM docs"));
    int rc = sqlite3_step(m);
    std::int64_t hi = rc == SQLITE_ROW ? sqlite3_column_int64(m, 0) : 0;
    sqlite3_reset(m);
    if (rc != SQLITE_ROW) return SqlError(c.db(), rc, "docs");
    const int scan = std::max(10, options_.scan_limit);
    std::int64_t size = q.agent ? std::max<std::int64_t>(1, options_.scan_window) : hi;
    for (bool newest = true;; newest = false) {
      const std::int64_t lo = hi - size < 1 ? std::numeric_limits<std::int64_t>::min() : hi - size + 1;
      // The newest window is open above: documents written since max(id) was read count too.
      KZ_TRY(Collect(c, "(" + all_required + ") AND " + filter, all_map, q.agent, true, candidates, seen,
                     scan - static_cast<int>(candidates.size()), lo,
                     newest ? std::numeric_limits<std::int64_t>::max() : hi));
      if (static_cast<int>(candidates.size()) >= std::min(scan, std::max(options_.candidates, limit))) break;
      if (lo == std::numeric_limits<std::int64_t>::min()) break;
      hi = lo - 1;
      size *= 2;
    }
  }
  // Too few documents have every word: documents with some of them follow.
  if (static_cast<int>(candidates.size()) < limit && any_parts.size() > 1) {
    std::string any;
    for (const auto& p : any_parts) any += (any.empty() ? "" : " OR ") + p;
    KZ_TRY(Collect(c, "(" + any + ") AND " + filter, any_map, q.agent, false, candidates, seen,
                   std::max(10, options_.scan_limit / 2), std::numeric_limits<std::int64_t>::min(),
                   std::numeric_limits<std::int64_t>::max()));
  }
  if (candidates.empty()) return hits;
  // Only the best by kzrank are worth reading their rows for: the other factors move a score
  // by less than 3x.
  std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.all_terms != b.all_terms) return a.all_terms;
    return a.score > b.score;
  });
  if (candidates.size() > static_cast<std::size_t>(std::max(options_.candidates, limit)))
    candidates.resize(static_cast<std::size_t>(std::max(options_.candidates, limit)));

  // Re-rank them with recency, helpfulness and the preferred locale.
  const double now_ms = static_cast<double>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  struct Ranked {
    Candidate cand;
    std::string kind, locale;
    std::int64_t ref_id;
    double score;
  };
  std::vector<Ranked> ranked;
  ranked.reserve(candidates.size());
  KZ_ASSIGN(sqlite3_stmt * doc_stmt,
            c.Prepare("SELECT kind, ref_id, locale, updated_at, helpfulness FROM docs WHERE id = ?1"));
  for (const auto& cand : candidates) {
    sqlite3_reset(doc_stmt);
    sqlite3_bind_int64(doc_stmt, 1, cand.rowid);
    if (sqlite3_step(doc_stmt) != SQLITE_ROW) continue;
    Ranked r{cand, ColumnText(doc_stmt, 0), ColumnText(doc_stmt, 2), sqlite3_column_int64(doc_stmt, 1), 0};
    double age_days = std::max(0.0, (now_ms - static_cast<double>(sqlite3_column_int64(doc_stmt, 3))) / 86'400'000.0);
    double helpful = sqlite3_column_double(doc_stmt, 4);
    // Gentle on purpose: an old document that matches well still comes first (no age cap).
    double recency = 0.8 + 0.2 * std::exp(-age_days / 365.0);
    double helpfulness = 0.85 + 0.3 * helpful;
    double locale = (r.kind == "article" && !q.locale.empty() && r.locale == q.locale) ? options_.locale_boost : 1.0;
    r.score = cand.score * recency * helpfulness * locale;
    ranked.push_back(std::move(r));
  }
  sqlite3_reset(doc_stmt);
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.cand.all_terms != b.cand.all_terms) return a.cand.all_terms;
    return a.score > b.score;
  });
  if (static_cast<int>(ranked.size()) > limit) ranked.resize(static_cast<std::size_t>(limit));

  // Titles and snippets for the few results only: snippet() re-tokenizes the stored text.
  // A document holding the typed words is marked where it holds them (a CJK word as a
  // whole); one found by the any-word pass where it holds any word or bigram. (Marking the
  // bigrams of a long CJK word in every result cost ~2 ms a result: snippet() scores windows
  // per pair of hits, and common bigrams hit dozens of times in a document.)
  std::string words_match;
  for (const auto& p : all_parts) words_match += (words_match.empty() ? "" : " OR ") + p.expr;
  const std::string any_match = [&] {
    std::string any;
    for (const auto& p : any_parts) any += (any.empty() ? "" : " OR ") + p;
    return any.empty() ? all : "(" + any + ") OR (" + all + ")";
  }();
  // A customer's statement never reads `internal`.
  KZ_ASSIGN(sqlite3_stmt * hl,
            c.Prepare(std::string("SELECT highlight(fts, 0, ?2, ?3), snippet(fts, 1, ?2, ?3, '…', 24)") +
                      (q.agent ? ", snippet(fts, 2, ?2, ?3, '…', 24)" : "") +
                      " FROM fts WHERE fts MATCH ?1 AND rowid = ?4"));
  for (const auto& r : ranked) {
    SearchHit hit;
    hit.kind = r.kind;
    hit.ref_id = r.ref_id;
    hit.locale = r.locale;
    hit.score = r.score;
    sqlite3_reset(hl);
    BindText(hl, 1, r.cand.all_terms ? words_match : any_match);
    BindText(hl, 2, ports::kMatchStart);
    BindText(hl, 3, ports::kMatchEnd);
    sqlite3_bind_int64(hl, 4, r.cand.rowid);
    if (sqlite3_step(hl) == SQLITE_ROW) {
      hit.title = ColumnText(hl, 0);
      hit.snippet = ColumnText(hl, 1);
      if (q.agent && hit.snippet.find(ports::kMatchStart) == std::string::npos) {
        std::string internal = ColumnText(hl, 2);
        if (internal.find(ports::kMatchStart) != std::string::npos) hit.snippet = std::move(internal);
      }
    }
    hits.push_back(std::move(hit));
  }
  sqlite3_reset(hl);
  return hits;
}

}  // namespace

Result<std::unique_ptr<ports::SearchIndex>> OpenSearchIndex(const std::string& path, const SearchIndexOptions& options) {
  auto index = std::make_unique<Fts5SearchIndex>(path, options);
  KZ_TRY(index->Init());
  return std::unique_ptr<ports::SearchIndex>(std::move(index));
}

Result<std::unique_ptr<ports::SearchIndex>> OpenSearchIndex(const std::string& path) {
  return OpenSearchIndex(path, SearchIndexOptions{});
}

}  // namespace kizuna::search
