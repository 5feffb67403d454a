// Helpers shared by the store's transaction files (sql_tx.cc, sql_sla.cc, …):
// preparing a cached statement, and reading one row or all rows of a query.
#pragma once

#include <string>
#include <vector>

#include "adapters/storage/sql/sql_conn.h"
#include "core/ticket.h"

// Prepares `sql` on the transaction's connection (cached) as Query `q`. Inside SqlTx methods.
#define KZ_QUERY(q, sql)                           \
  KZ_ASSIGN(SqlStmt* q##_stmt, db_->Prepare(sql)); \
  Query q(q##_stmt)

namespace kizuna::storage {

// The first row read by `read`, or NotFound("<what> not found").
template <typename T, typename Reader>
Result<T> One(Query& q, Reader read, const char* what) {
  if (q.Step()) return read(q);
  KZ_TRY(q.status());
  return Error::NotFound(std::string(what) + " not found");
}

// A ticket row: the columns to select (from `tickets`) and the reader of a row of them, which
// leaves the query's columns from TicketColumnCount() on to the caller.
const char* TicketColumns();
int TicketColumnCount();
Ticket ReadTicketRow(Query& q);
// Only what a ticket's SLA depends on (see ports::SlaWorkItem), columns qualified by
// `tickets.`, and its reader.
const char* SlaTicketColumns();
int SlaTicketColumnCount();
Ticket ReadSlaTicketRow(Query& q);

template <typename T, typename Reader>
Result<std::vector<T>> All(Query& q, Reader read) {
  std::vector<T> out;
  while (q.Step()) out.push_back(read(q));
  KZ_TRY(q.status());
  return out;
}

}  // namespace kizuna::storage
