#include "adapters/storage/postgres/pg_conn.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "adapters/storage/postgres/pg_sql.h"

namespace kizuna::storage {
namespace {

// Type OIDs of the parameters we send (pg_type.oid); 0 lets the server infer the type.
constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;
constexpr Oid kUnknownOid = 0;

constexpr std::size_t kSqlInMessages = 60;

// libpq's messages end in a newline and continue on tab-indented lines: one line for ours.
std::string OneLine(const char* message) {
  std::string out;
  bool space = false;
  for (const char* p = message ? message : ""; *p; ++p) {
    if (*p == '\n' || *p == '\t' || *p == '\r') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += *p;
    }
  }
  return out;
}

std::string Or(const char* value, const char* fallback) { return value && *value ? value : fallback; }

// "database "x" at host:port as user "u"" for messages about a connection, without secrets.
std::string Describe(const PGconn* conn) {
  return "database \"" + Or(PQdb(conn), "?") + "\" at " + Or(PQhost(conn), "the local socket") + ":" +
         Or(PQport(conn), "5432") + " as user \"" + Or(PQuser(conn), "?") + "\"";
}

// Server notices ("index … does not exist, skipping") would go to stderr by default.
void IgnoreNotice(void*, const char*) {}

// The port setting when it is not a comma-separated list of port numbers (libpq would only
// say so when connecting, which we report as Unavailable), else "".
std::string BadPort(const PQconninfoOption* options) {
  for (const PQconninfoOption* option = options; option->keyword; ++option) {
    if (std::strcmp(option->keyword, "port") != 0 || !option->val) continue;
    std::string_view ports = option->val;
    while (true) {
      std::string_view port = ports.substr(0, ports.find(','));
      int number = 0;
      auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
      if (!port.empty() && (ec != std::errc() || end != port.data() + port.size() || number < 1 || number > 65535)) {
        return std::string(option->val);
      }
      if (port.size() == ports.size()) break;
      ports.remove_prefix(port.size() + 1);
    }
  }
  return {};
}

std::int64_t ParseInt(const char* text) {
  if (!text) return 0;
  // Booleans come back as t/f; SQLite would have given 1/0 for a comparison.
  if (text[0] == 't' && text[1] == '\0') return 1;
  if (text[0] == 'f' && text[1] == '\0') return 0;
  std::int64_t value = 0;
  std::from_chars(text, text + std::strlen(text), value);
  return value;
}

}  // namespace

// ---- PgStmt ----

PgStmt::PgStmt(PgConn& conn, std::string sql) : conn_(conn), sql_(std::move(sql)) {
  int param_count = 0;
  translated_ = TranslateForPostgres(sql_, &param_count);
  params_.resize(static_cast<std::size_t>(param_count));
}

PgStmt::~PgStmt() { PQclear(result_); }

PgStmt::Param* PgStmt::Slot(int index) {
  if (index < 1 || static_cast<std::size_t>(index) > params_.size()) {
    if (!bind_error_) {
      bind_error_ = Error::Internal("parameter " + std::to_string(index) + " bound, but the statement has " +
                                    std::to_string(params_.size()) + " in: " + sql_.substr(0, kSqlInMessages));
    }
    return nullptr;
  }
  return &params_[static_cast<std::size_t>(index - 1)];
}

void PgStmt::BindInt(int index, std::int64_t value) {
  if (Param* slot = Slot(index)) {
    slot->type = ParamType::kInt;
    slot->value = std::to_string(value);
  }
}

void PgStmt::BindText(int index, std::string_view value) {
  Param* slot = Slot(index);
  if (!slot) return;
  // Text parameters travel NUL-terminated, and PostgreSQL text cannot hold NUL at all:
  // refuse rather than store a silently truncated value.
  if (value.find('\0') != std::string_view::npos && !bind_error_) {
    bind_error_ = Error::Invalid("", "text parameter " + std::to_string(index) +
                                         " contains a NUL character, which PostgreSQL cannot store");
  }
  slot->type = ParamType::kText;
  slot->value.assign(value);
}

void PgStmt::BindNull(int index) {
  if (Param* slot = Slot(index)) {
    slot->type = ParamType::kNull;
    slot->value.clear();
  }
}

bool PgStmt::Step() {
  if (!ran_) {
    ran_ = true;
    status_ = Run();
    row_ = 0;
    return status_.ok() && row_ < rows_;
  }
  if (row_ < rows_) ++row_;
  return row_ < rows_;
}

std::string PgStmt::Signature(std::vector<unsigned>& types, std::vector<const char*>& values) const {
  std::string signature(params_.size(), static_cast<char>(ParamType::kNull));
  types.assign(params_.size(), kUnknownOid);
  values.assign(params_.size(), nullptr);
  for (std::size_t param_idx = 0; param_idx < params_.size(); ++param_idx) {
    const Param& param = params_[param_idx];
    signature[param_idx] = static_cast<char>(param.type);
    if (param.type == ParamType::kNull) continue;
    types[param_idx] = param.type == ParamType::kInt ? kInt8Oid : kTextOid;
    values[param_idx] = param.value.c_str();
  }
  return signature;
}

Status PgStmt::ExecLater() { return InsertIdLater(nullptr); }

Status PgStmt::InsertIdLater(std::function<void(std::int64_t)> on_id) {
  if (bind_error_) return *bind_error_;
  if (conn_.via_) return Error::Internal("a connection through a pipeline runs statements at once only");
  if (conn_.Broken()) {
    return Error::Unavailable("the connection to PostgreSQL was lost (" + Describe(conn_.conn_) + ")");
  }
  ran_ = true;
  ++conn_.statements_run_;
  PgConn::Deferred later;
  std::vector<const char*> values;
  later.signature = Signature(later.types, values);
  for (std::size_t idx = 0; idx < values.size(); ++idx) {
    if (values[idx]) later.values.emplace_back(params_[idx].value);
    else later.values.emplace_back(std::nullopt);
  }
  auto prepared = prepared_.find(later.signature);
  if (prepared == prepared_.end()) {
    later.name = conn_.NextStatementName();
    later.sql = translated_;
    prepared_.emplace(later.signature, later.name);
  } else {
    later.name = prepared->second;
  }
  later.owner = this;
  later.on_id = std::move(on_id);
  conn_.deferred_.push_back(std::move(later));
  ++conn_.unchecked_;
  return Ok();
}

Status PgStmt::Run() {
  if (bind_error_) return *bind_error_;
  if (conn_.via_) return RunVia();
  if (conn_.Broken()) {
    return Error::Unavailable("the connection to PostgreSQL was lost (" + Describe(conn_.conn_) + ")");
  }
  KZ_TRY(conn_.Drain());
  ++conn_.statements_run_;
  const int count = static_cast<int>(params_.size());
  std::vector<Oid> types;
  std::vector<const char*> values;
  std::string signature = Signature(types, values);

  auto prepared = prepared_.find(signature);
  const bool needs_prepare = prepared == prepared_.end();
  const std::string name = needs_prepare ? conn_.NextStatementName() : prepared->second;
  if (conn_.deferred_.empty()) {
    if (needs_prepare) {
      PGresult* prepare = PQprepare(conn_.conn_, name.c_str(), translated_.c_str(), count, types.data());
      if (PQresultStatus(prepare) != PGRES_COMMAND_OK) {
        Error error = conn_.CommandError(prepare, sql_);
        PQclear(prepare);
        return error;
      }
      PQclear(prepare);
    }
    result_ = PQexecPrepared(conn_.conn_, name.c_str(), count, values.data(), nullptr, nullptr, 0);
  } else {
    // The deferred commands (BEGIN, SAVEPOINT…), the prepare if any and this statement go
    // out together.
    auto results = conn_.Pipeline(needs_prepare ? 2 : 1, [&] {
      if (needs_prepare && PQsendPrepare(conn_.conn_, name.c_str(), translated_.c_str(), count, types.data()) != 1) {
        return false;
      }
      return PQsendQueryPrepared(conn_.conn_, name.c_str(), count, values.data(), nullptr, nullptr, 0) == 1;
    });
    if (!results.ok()) return results.error();
    if (needs_prepare) {
      PGresult* prepare = (*results)[0];
      if (PQresultStatus(prepare) != PGRES_COMMAND_OK) {
        Error error = conn_.CommandError(prepare, sql_);
        for (PGresult* r : *results) PQclear(r);
        return error;
      }
      PQclear(prepare);
    }
    result_ = results->back();
  }
  if (needs_prepare) prepared_.emplace(std::move(signature), name);
  return Took();
}

Status PgStmt::RunVia() {
  ++conn_.statements_run_;
  PgAsk ask;
  ask.stmt = this;
  ask.signature = Signature(ask.types, ask.values);
  conn_.via_->Run(ask);
  if (ask.error) {
    PQclear(ask.result);
    return *ask.error;
  }
  result_ = ask.result;
  return Took();
}

Status PgStmt::Took() {
  switch (PQresultStatus(result_)) {
    case PGRES_TUPLES_OK:
    case PGRES_COMMAND_OK:
    case PGRES_EMPTY_QUERY: {
      rows_ = PQntuples(result_);
      cols_ = PQnfields(result_);
      const char* changed = PQcmdTuples(result_);  // "" for commands that change no rows
      changes_ = 0;
      std::from_chars(changed, changed + std::strlen(changed), changes_);
      return Ok();
    }
    default: {
      Error error = conn_.CommandError(result_, sql_);
      PQclear(result_);
      result_ = nullptr;
      return error;
    }
  }
}

const char* PgStmt::Field(int col) const {
  if (!result_ || row_ >= rows_ || col < 0 || col >= cols_ || PQgetisnull(result_, row_, col)) return nullptr;
  return PQgetvalue(result_, row_, col);
}

std::int64_t PgStmt::Int(int col) { return ParseInt(Field(col)); }

bool PgStmt::IsNull(int col) { return Field(col) == nullptr; }

std::string PgStmt::Text(int col) {
  const char* value = Field(col);
  if (!value) return {};
  return std::string(value, static_cast<std::size_t>(PQgetlength(result_, row_, col)));
}

void PgStmt::Reset() {
  PQclear(result_);
  result_ = nullptr;
  ran_ = false;
  row_ = rows_ = cols_ = 0;
  for (Param& param : params_) {
    param.type = ParamType::kNull;
    param.value.clear();
  }
  bind_error_.reset();
  status_ = Ok();
  // changes_ stays: like sqlite3_changes(), it describes the last statement that ran.
}

// ---- PgConn ----

Result<std::unique_ptr<PgConn>> PgConn::Open(const std::string& url) {
  // Parse first, so a malformed URL is told apart from a server we cannot reach. libpq's
  // parse errors may quote the URL, password included: scrub them.
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &parse_error);
  if (!options) {
    std::string detail = parse_error ? OneLine(parse_error) : "out of memory";
    PQfreemem(parse_error);
    return Error::Invalid("url", "malformed PostgreSQL URL: " + WithoutPasswords(detail, url));
  }
  std::string bad_port = BadPort(options);
  PQconninfoFree(options);
  if (!bad_port.empty()) return Error::Invalid("url", "malformed PostgreSQL URL: invalid port \"" + bad_port + "\"");

  // Keywords are applied in order and the URL (expanded from "dbname") overrides what comes
  // before it: our defaults first, then the URL, then what we insist on.
  const char* keywords[] = {"application_name", "connect_timeout", "dbname", "client_encoding", nullptr};
  const char* values[] = {"kizuna", "10", url.c_str(), "UTF8", nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (!conn) return Error::Unavailable("cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = "cannot connect to PostgreSQL " + Describe(conn) + ": " + OneLine(PQerrorMessage(conn));
    PQfinish(conn);
    return Error::Unavailable(WithoutPasswords(message, url));
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  return std::unique_ptr<PgConn>(new PgConn(conn));
}

PgConn::~PgConn() {
  cache_.clear();
  PQfinish(conn_);
}

bool PgConn::Broken() const { return !via_ && PQstatus(conn_) == CONNECTION_BAD; }

int PgConn::Socket() const { return PQsocket(conn_); }

Error PgConn::CommandError(const PGresult* result, std::string_view sql) const {
  const std::string context = " in: " + std::string(sql.substr(0, kSqlInMessages));
  if (Broken()) {
    return Error::Unavailable("the connection to PostgreSQL was lost (" + Describe(conn_) +
                              "): " + OneLine(PQerrorMessage(conn_)) + context);
  }
  const char* sqlstate = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const char* constraint = result ? PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME) : nullptr;
  // Without a server message the failure was libpq's own (out of memory, a protocol error).
  std::string message = primary ? primary : OneLine(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
  if (message.empty()) message = OneLine(PQerrorMessage(conn_));
  if (constraint) message += std::string(" (constraint ") + constraint + ")";
  if (sqlstate) message += std::string(" [SQLSTATE ") + sqlstate + "]";
  if (sqlstate && std::strcmp(sqlstate, "42P18") == 0) {
    message += "; a NULL parameter needs a type here, e.g. CAST(? AS BIGINT)";
  }
  message += context;
  switch (PgErrorCode(sqlstate ? sqlstate : "")) {
    case ErrorCode::kConflict: return Error::Conflict(std::move(message));
    case ErrorCode::kUnavailable: return Error::Unavailable(std::move(message));
    default: return Error::Internal(std::move(message));
  }
}

Status PgConn::Usable() const {
  if (Broken()) return Error::Unavailable("the connection to PostgreSQL was lost (" + Describe(conn_) + ")");
  return Ok();
}

Result<SqlStmt*> PgConn::Prepare(const std::string& sql) {
  KZ_TRY(Usable());
  auto it = cache_.find(sql);
  if (it == cache_.end()) it = cache_.emplace(sql, std::make_unique<PgStmt>(*this, sql)).first;
  return it->second.get();
}

void PgConn::SendWithoutWaiting(const std::string& sql) {
  if (via_) return;
  if (!Drain().ok()) return;
  if (!deferred_.empty()) {
    (void)Exec(sql);  // rare (nothing ran since BEGIN was deferred): it all goes, waited for
    return;
  }
  if (PQsendQueryParams(conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1) ++unawaited_;
}

Status PgConn::Drain() {
  // A failed COMMIT of a read-only transaction loses nothing: its answer is dropped. A lost
  // connection matters.
  for (; unawaited_ > 0; --unawaited_) {
    while (PGresult* result = PQgetResult(conn_)) PQclear(result);
  }
  if (Broken()) return Error::Unavailable("the connection to PostgreSQL was lost (" + Describe(conn_) + ")");
  return Ok();
}

Result<std::vector<PGresult*>> PgConn::Pipeline(int extra, const std::function<bool()>& send) {
  std::vector<Deferred> items = std::move(deferred_);
  deferred_.clear();
  unchecked_ = 0;
  // What each result answers, for messages: a command's text or a statement's SQL.
  std::vector<std::string_view> answers;
  std::vector<std::pair<std::size_t, const Deferred*>> prepares;  // result index, item
  std::vector<std::pair<std::size_t, const Deferred*>> ids;       // result index, item (InsertIdLater)
  for (const Deferred& item : items) {
    if (item.prepare()) {
      prepares.emplace_back(answers.size(), &item);
      answers.push_back(item.owner->sql_);
    }
    if (item.on_id) ids.emplace_back(answers.size(), &item);
    answers.push_back(item.statement() ? std::string_view(item.owner->sql_) : std::string_view(item.sql));
  }
  const std::string_view first_sql = answers.empty() ? std::string_view() : answers.front();
  if (PQenterPipelineMode(conn_) != 1) return CommandError(nullptr, first_sql);
  bool sent = true;
  for (const Deferred& item : items) {
    if (!sent) break;
    if (!item.statement()) {
      sent = PQsendQueryParams(conn_, item.sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
      continue;
    }
    const int count = static_cast<int>(item.types.size());
    if (item.prepare()) sent = PQsendPrepare(conn_, item.name.c_str(), item.sql.c_str(), count, item.types.data()) == 1;
    std::vector<const char*> values;
    values.reserve(item.values.size());
    for (const auto& value : item.values) values.push_back(value ? value->c_str() : nullptr);
    sent = sent && PQsendQueryPrepared(conn_, item.name.c_str(), count, values.data(), nullptr, nullptr, 0) == 1;
  }
  sent = sent && send() && PQpipelineSync(conn_) == 1;
  if (!sent) {
    Error error = CommandError(nullptr, first_sql);
    (void)PQexitPipelineMode(conn_);
    return error;
  }
  // Each command's results end with a null; the sync ends the pipeline.
  const std::size_t total = answers.size() + static_cast<std::size_t>(extra);
  std::vector<PGresult*> results(total, nullptr);
  std::size_t at = 0;
  for (int nulls_in_a_row = 0; nulls_in_a_row < 2;) {
    PGresult* result = PQgetResult(conn_);
    if (!result) {
      ++at, ++nulls_in_a_row;
      if (Broken()) break;
      continue;
    }
    nulls_in_a_row = 0;
    if (PQresultStatus(result) == PGRES_PIPELINE_SYNC) {
      PQclear(result);
      break;
    }
    if (at < total) {
      PQclear(results[at]);
      results[at] = result;
    } else {
      PQclear(result);
    }
  }
  (void)PQexitPipelineMode(conn_);
  // A statement whose prepare did not succeed is prepared again at its next use.
  for (const auto& [index, item] : prepares) {
    if (!results[index] || PQresultStatus(results[index]) != PGRES_COMMAND_OK) item->owner->prepared_.erase(item->signature);
  }
  Status first = Ok();
  for (std::size_t idx = 0; idx < answers.size(); ++idx) {
    const ExecStatusType got = results[idx] ? PQresultStatus(results[idx]) : PGRES_FATAL_ERROR;
    if (first.ok() && got != PGRES_COMMAND_OK && got != PGRES_TUPLES_OK) first = CommandError(results[idx], answers[idx]);
  }
  for (const auto& [index, item] : ids) {
    if (!first.ok()) break;
    if (PQntuples(results[index]) < 1) {
      first = Error::Internal("the insert returned no id in: " + std::string(answers[index].substr(0, kSqlInMessages)));
      break;
    }
    item->on_id(ParseInt(PQgetvalue(results[index], 0, 0)));
  }
  for (std::size_t idx = 0; idx < answers.size(); ++idx) PQclear(results[idx]);
  std::vector<PGresult*> out(results.begin() + static_cast<std::ptrdiff_t>(answers.size()), results.end());
  if (!first.ok()) {
    for (PGresult* r : out) PQclear(r);
    return first.error();
  }
  for (PGresult* r : out) {
    if (!r) {
      return Error::Unavailable("the connection to PostgreSQL was lost (" + Describe(conn_) + ")");
    }
  }
  return out;
}

Status PgConn::Flush() {
  if (via_ && !deferred_.empty()) return Error::Internal("a connection through a pipeline runs prepared statements only");
  KZ_TRY(Drain());
  if (deferred_.empty()) return Ok();
  auto flushed = Pipeline(0, [] { return true; });
  if (!flushed.ok()) return flushed.error();
  return Ok();
}

void PgConn::DropUnchecked() {
  std::vector<Deferred> kept;
  for (Deferred& item : deferred_) {
    if (!item.statement()) {
      kept.push_back(std::move(item));
    } else if (item.prepare()) {
      item.owner->prepared_.erase(item.signature);  // never sent
    }
  }
  deferred_ = std::move(kept);
  unchecked_ = 0;
}

Status PgConn::Exec(std::string_view sql) {
  if (via_) return Error::Internal("a connection through a pipeline runs prepared statements only");
  KZ_TRY(Drain());
  ++statements_run_;
  const std::string text(sql);
  if (!deferred_.empty()) {
    if (text.find(';') == std::string::npos) {  // one command: it joins the pipeline
      auto results = Pipeline(1, [&] {
        return PQsendQueryParams(conn_, text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
      });
      if (!results.ok()) return results.error();
      PGresult* result = results->front();
      const ExecStatusType status = PQresultStatus(result);
      if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        PQclear(result);
        return Ok();
      }
      Error error = CommandError(result, sql);
      PQclear(result);
      return error;
    }
    auto flushed = Pipeline(0, [] { return true; });
    if (!flushed.ok()) return flushed.error();
  }
  PGresult* result = PQexec(conn_, text.c_str());
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    PQclear(result);
    return Ok();
  }
  Error error = CommandError(result, sql);
  PQclear(result);
  return error;
}

Status PgConn::Listen(std::string_view channel) {
  char* quoted = PQescapeIdentifier(conn_, channel.data(), channel.size());
  if (!quoted) return Error::Internal("cannot quote the channel name: " + OneLine(PQerrorMessage(conn_)));
  std::string sql = std::string("LISTEN ") + quoted;
  PQfreemem(quoted);
  return Exec(sql);
}

std::vector<std::pair<std::string, std::string>> PgConn::TakeNotifications() {
  // A failed read leaves the connection Broken(); what arrived before still counts.
  PQconsumeInput(conn_);
  std::vector<std::pair<std::string, std::string>> out;
  while (PGnotify* notify = PQnotifies(conn_)) {
    out.emplace_back(notify->relname ? notify->relname : "", notify->extra ? notify->extra : "");
    PQfreemem(notify);
  }
  return out;
}

void PgConn::RunAsks(const std::vector<PgAsk*>& asks) {
  const std::string_view first_sql = asks.empty() ? std::string_view() : std::string_view(asks.front()->stmt->sql_);
  auto fail_all = [&](const Error& error) {
    for (PgAsk* ask : asks) {
      if (!ask->result && !ask->error) ask->error = error;
    }
  };
  if (Broken() || PQenterPipelineMode(conn_) != 1) {
    fail_all(CommandError(nullptr, first_sql));
    PQfinish(conn_);  // a connection that cannot pipeline is replaced
    conn_ = nullptr;
    return;
  }
  std::vector<std::string> keys;  // each ask's prepared statement, and whether it is prepared in this batch
  std::vector<bool> prepares;
  keys.reserve(asks.size());
  bool sent = true;
  for (PgAsk* ask : asks) {
    const PgStmt& stmt = *ask->stmt;
    const int count = static_cast<int>(ask->types.size());
    keys.push_back(stmt.translated_ + '\0' + ask->signature);
    auto prepared = asked_prepared_.find(keys.back());
    prepares.push_back(prepared == asked_prepared_.end());
    if (prepares.back()) {
      prepared = asked_prepared_.emplace(keys.back(), NextStatementName()).first;
      sent = PQsendPrepare(conn_, prepared->second.c_str(), stmt.translated_.c_str(), count, ask->types.data()) == 1;
    }
    sent = sent && PQsendQueryPrepared(conn_, prepared->second.c_str(), count, ask->values.data(), nullptr, nullptr, 0) == 1;
    if (!sent) break;
  }
  sent = sent && PQpipelineSync(conn_) == 1;
  if (!sent) {
    // The connection is in no state to go on with: the pipeline replaces it.
    fail_all(CommandError(nullptr, first_sql));
    asked_prepared_.clear();
    PQfinish(conn_);
    conn_ = nullptr;
    return;
  }
  // The next command's result, with the null that ends it read; nullptr when the connection failed.
  auto next = [this]() -> PGresult* {
    PGresult* result = PQgetResult(conn_);
    if (!result) return nullptr;
    while (PGresult* more = PQgetResult(conn_)) PQclear(more);
    return result;
  };
  bool lost = false;
  for (std::size_t idx = 0; idx < asks.size(); ++idx) {
    PgAsk& ask = *asks[idx];
    const std::string& sql = ask.stmt->sql_;
    if (lost) break;
    if (prepares[idx]) {
      PGresult* prepare = next();
      const ExecStatusType status = prepare ? PQresultStatus(prepare) : PGRES_FATAL_ERROR;
      if (status != PGRES_COMMAND_OK) {
        asked_prepared_.erase(keys[idx]);  // prepared again at its next ask
        if (status == PGRES_PIPELINE_ABORTED) ask.again = true;
        else ask.error = CommandError(prepare, sql);
        PQclear(prepare);
        if (!prepare) {
          lost = true;
          break;
        }
        PQclear(next());  // its execution, skipped
        continue;
      }
      PQclear(prepare);
    }
    PGresult* result = next();
    if (!result) {
      lost = true;
      break;
    }
    switch (PQresultStatus(result)) {
      case PGRES_TUPLES_OK:
      case PGRES_COMMAND_OK:
        ask.result = result;
        break;
      case PGRES_PIPELINE_ABORTED:
        ask.again = true;
        PQclear(result);
        break;
      default:
        ask.error = CommandError(result, sql);
        PQclear(result);
        break;
    }
  }
  if (!lost) {
    PGresult* sync = PQgetResult(conn_);
    lost = !sync || PQresultStatus(sync) != PGRES_PIPELINE_SYNC;
    PQclear(sync);
  }
  (void)PQexitPipelineMode(conn_);
  if (lost) {
    for (PgAsk* ask : asks) ask->again = false;
    fail_all(Error::Unavailable("the connection to PostgreSQL was lost (" + Describe(conn_) + "): " +
                                OneLine(PQerrorMessage(conn_))));
    if (!Broken()) {  // answers out of step with the asks: start afresh
      PQfinish(conn_);
      conn_ = nullptr;
    }
  }
}

// ---- PgPipeline ----

void PgPipeline::Run(PgAsk& ask) {
  std::unique_lock lock(mutex_);
  ++asked_;
  waiting_.push_back(&ask);
  while (!ask.answered) {
    if (leading_) {
      cv_.wait(lock);
      continue;
    }
    leading_ = true;
    std::vector<PgAsk*> batch;
    batch.reserve(std::min(waiting_.size(), PgConn::kMaxAsks));  // before any is taken: pushes cannot throw
    while (!waiting_.empty() && batch.size() < PgConn::kMaxAsks) {
      batch.push_back(waiting_.front());
      waiting_.pop_front();
    }
    ++batches_;
    lock.unlock();
    try {
      Lead(batch);
    } catch (const std::exception& e) {
      // Every ask of the batch is answered, with the failure: none may wait for ever.
      for (PgAsk* asked : batch) {
        asked->again = false;
        if (!asked->result && !asked->error) asked->error = Error::Internal(std::string("a read failed: ") + e.what());
      }
    }
    lock.lock();
    // The ones not run go first in the next batch, in their order.
    for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
      PgAsk* asked = *it;
      if (asked->again) {
        asked->again = false;
        waiting_.push_front(asked);
        ++asked_again_;
      } else {
        asked->answered = true;
      }
    }
    leading_ = false;
    lock.unlock();
    cv_.notify_all();
    lock.lock();
  }
}

void PgPipeline::Lead(std::vector<PgAsk*>& batch) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!db_ || db_->Broken()) {
      db_.reset();
      auto opened = open_();
      if (!opened.ok()) {
        for (PgAsk* ask : batch) ask->error = opened.error();
        return;
      }
      db_ = std::move(*opened);
    }
    db_->RunAsks(batch);
    if (!db_->Broken()) return;
    db_.reset();
    if (attempt > 0) return;
    // Lost on the way (a restarted server, a connection closed while idle): the batch is
    // asked once more on a new connection.
    for (PgAsk* ask : batch) {
      PQclear(ask->result);
      ask->result = nullptr;
      ask->error.reset();
      ask->again = false;
    }
  }
}

std::int64_t PgPipeline::asked() const {
  std::lock_guard lock(mutex_);
  return asked_;
}

std::int64_t PgPipeline::batches() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

std::int64_t PgPipeline::asked_again() const {
  std::lock_guard lock(mutex_);
  return asked_again_;
}

}  // namespace kizuna::storage
