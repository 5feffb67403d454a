// The customer directory: a searchable list (/customers) and one customer's page
// (/customers/{id}) with their profile, lifetime figures and tickets.
// Loaded on demand from App.tsx.
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, type Customer, type Organisation, type Ticket } from "../api";
import { useSession, forgetCustomer, putCustomer } from "../state";
import { linkClick, navigate } from "../lib/router";
import { dateOnly } from "../lib/time";
import { errorMessage } from "../lib/errors";
import { customerFigures, mainContact } from "../lib/customerFigures";
import { ErrorBanner, RelTime, Spinner, StatusPill } from "../components/bits";
import { CustomerProfile, DeleteCustomerDialog, TierChip } from "./CustomerPanel";
import "./customers.css";

const PAGE = 25;

export default function CustomersPage({ id }: { id: number | null }) {
  return id === null ? <CustomerList /> : <CustomerPage id={id} />;
}

// A notice shown on the list after a customer was deleted (kept across the navigation).
let deletedNotice: string | null = null;

/** Organisation names for the ids given, fetched once each. */
function useOrganisations(ids: number[]): Map<number, Organisation> {
  const [orgs, setOrgs] = useState(new Map<number, Organisation>());
  const asked = useRef(new Set<number>());
  const key = [...new Set(ids)].sort((a, b) => a - b).join(",");
  useEffect(() => {
    for (const id of key ? key.split(",").map(Number) : []) {
      if (asked.current.has(id)) continue;
      asked.current.add(id);
      api
        .organisation(id)
        .then((o) => setOrgs((m) => new Map(m).set(id, o)))
        .catch(() => {});
    }
  }, [key]);
  return orgs;
}

function CustomerList() {
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState("");
  const [searched, setSearched] = useState("");
  const [customers, setCustomers] = useState<Customer[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice] = useState(() => {
    const n = deletedNotice;
    deletedNotice = null;
    return n;
  });
  const generation = useRef(0);

  const load = useCallback((q: string) => {
    const gen = ++generation.current;
    setError(null);
    setCustomers(null);
    api
      .customers(q, null, PAGE)
      .then((r) => {
        if (gen !== generation.current) return;
        setCustomers(r.customers);
        setCursor(r.next_cursor);
        setSearched(q);
      })
      .catch((e) => gen === generation.current && setError(e));
  }, []);

  useEffect(() => load(""), [load]);

  // Search as the agent types, after a short pause.
  useEffect(() => {
    const q = query.trim();
    if (q === searched) return;
    const timer = setTimeout(() => load(q), 300);
    return () => clearTimeout(timer);
  }, [query, searched, load]);

  function submit(e: FormEvent) {
    e.preventDefault();
    load(query.trim());
  }

  async function more() {
    if (!cursor) return;
    const gen = generation.current;
    setLoadingMore(true);
    try {
      const r = await api.customers(searched, cursor, PAGE);
      if (gen !== generation.current) return;
      setCustomers((c) => [...(c ?? []), ...r.customers]);
      setCursor(r.next_cursor);
    } catch (e) {
      if (gen === generation.current) setError(e);
    } finally {
      setLoadingMore(false);
    }
  }

  const orgs = useOrganisations((customers ?? []).flatMap((c) => (c.organisation_id ? [c.organisation_id] : [])));

  return (
    <section className="customers page-pad" aria-labelledby="customers-title">
      <h1 id="customers-title">{t("customers.title")}</h1>
      {notice && (
        <div className="banner banner-ok" role="status" data-testid="customers-notice">
          {notice}
        </div>
      )}
      <form className="customers-search" role="search" onSubmit={submit}>
        <label htmlFor="customers-q" className="sr-only">
          {t("customers.searchLabel")}
        </label>
        <input
          id="customers-q"
          type="search"
          value={query}
          maxLength={200}
          placeholder={t("customers.searchPlaceholder")}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="customers-search"
        />
        <button type="submit" className="btn">
          {t("customers.search")}
        </button>
      </form>
      <ErrorBanner error={error} onRetry={() => load(searched)} />
      {customers === null ? (
        !error && <Spinner />
      ) : customers.length === 0 ? (
        <div className="empty customers-empty" data-testid="customers-empty">
          <p className="empty-title">{searched ? t("customers.noMatch", { query: searched }) : t("customers.empty")}</p>
          <p className="muted">{searched ? t("customers.noMatchHint") : t("customers.emptyHint")}</p>
        </div>
      ) : (
        <>
          <table className="customers-table" data-testid="customers-table">
            <thead>
              <tr>
                <th scope="col">{t("customers.name")}</th>
                <th scope="col">{t("customers.contact")}</th>
                <th scope="col">{t("customer.organisation")}</th>
                <th scope="col">{t("customers.created")}</th>
              </tr>
            </thead>
            <tbody>
              {customers.map((c) => {
                const { email, phone } = mainContact(c);
                const org = c.organisation_id ? orgs.get(c.organisation_id) : undefined;
                return (
                  <tr key={c.id} data-testid="customer-row">
                    <td>
                      <a href={`/customers/${c.id}`} onClick={linkClick} className="customer-link">
                        {c.name}
                      </a>{" "}
                      <TierChip tier={c.tier} />
                    </td>
                    <td className="customer-contact">
                      {email || phone ? (
                        <>
                          {email && <span>{email}</span>}
                          {phone && <span>{phone}</span>}
                        </>
                      ) : (
                        <span className="muted">{t("customer.none")}</span>
                      )}
                    </td>
                    <td>
                      {c.organisation_id ? (
                        org ? org.name : t("customer.organisationId", { id: c.organisation_id })
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td>
                      <time dateTime={c.created_at}>{dateOnly(c.created_at, i18n.language)}</time>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {cursor && (
            <div className="customers-more">
              <button type="button" className="btn" onClick={() => void more()} disabled={loadingMore} data-testid="customers-more">
                {loadingMore ? t("app.loading") : t("customers.loadMore")}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function CustomerPage({ id }: { id: number }) {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [tickets, setTickets] = useState<Ticket[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [blocked, setBlocked] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setCustomer(null);
    setTickets(null);
    setError(null);
    setBlocked(false);
    setDeleteError(null);
    Promise.all([api.customer(id), api.customerTickets(id)])
      .then(([c, r]) => {
        if (!live) return;
        setCustomer(c);
        setTickets(r.tickets);
        setHasMore(r.has_more);
      })
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id, attempt]);

  const back = (
    <p className="customers-back">
      <a href="/customers" onClick={linkClick}>
        ← {t("customers.back")}
      </a>
    </p>
  );

  if (error)
    return (
      <section className="customers page-pad">
        {back}
        {error instanceof ApiError && error.code === "not_found" ? (
          <div className="banner banner-error" role="alert">
            {t("customers.notFound")}
          </div>
        ) : (
          <ErrorBanner error={error} onRetry={() => setAttempt((a) => a + 1)} />
        )}
      </section>
    );
  if (!customer || !tickets) return <Spinner />;

  const figures = customerFigures(tickets);
  const canDelete = session.agent.role !== "agent";
  const hasTickets = tickets.length > 0 || hasMore || blocked;
  const date = (iso: string | null) => (iso ? dateOnly(iso, i18n.language) : "—");

  async function remove() {
    if (!customer) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      await api.deleteCustomer(customer.id);
      forgetCustomer(customer.id);
      setConfirming(false);
      deletedNotice = t("customers.deleted", { name: customer.name });
      navigate("/customers");
    } catch (err) {
      // 409: the customer has tickets (perhaps one that arrived a moment ago).
      if (err instanceof ApiError && err.code === "conflict") {
        setDeleteError(t("customer.deleteConflict", { name: customer.name }));
        setBlocked(true);
      } else setDeleteError(errorMessage(t, err));
      setConfirming(false);
    } finally {
      setDeleting(false);
    }
  }

  return (
    <section className="customers page-pad" aria-labelledby="customer-name">
      {back}
      <div className="customer-layout">
        <div className="card customer-card customer-profile" data-testid="customer-profile">
          <CustomerProfile
            customer={customer}
            onChanged={(c) => {
              setCustomer(c);
              putCustomer(c); // the ticket pages' customer panel shows the new tier too
            }}
          />
          {canDelete && (
            <div className="customer-actions">
              {deleteError && (
                <div className="banner banner-error" role="alert" data-testid="customer-delete-error">
                  {deleteError}
                </div>
              )}
              <div className="customer-delete">
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  disabled={hasTickets || deleting}
                  aria-describedby={hasTickets && !deleteError ? "customer-delete-hint" : undefined}
                  onClick={() => {
                    setDeleteError(null);
                    setConfirming(true);
                  }}
                  data-testid="delete-customer"
                >
                  {t("customer.delete")}
                </button>
                {hasTickets && !deleteError && (
                  <span className="hint" id="customer-delete-hint">
                    {t("customer.deleteHasTickets")}
                  </span>
                )}
              </div>
            </div>
          )}
        </div>
        <div className="customer-main">
          <section className="card" aria-labelledby="figures-title">
            <h2 className="card-title" id="figures-title">
              {t("customers.figures")}
            </h2>
            <dl className="figures" data-testid="customer-figures">
              <div data-testid="fig-conversations">
                <dt>{t("customers.conversations")}</dt>
                <dd>{hasMore ? `${figures.conversations}+` : figures.conversations}</dd>
              </div>
              <div data-testid="fig-open">
                <dt>{t("customers.openNow")}</dt>
                <dd>{figures.openNow}</dd>
              </div>
              <div data-testid="fig-solved">
                <dt>{t("customers.solved")}</dt>
                <dd>{figures.solved}</dd>
              </div>
              <div data-testid="fig-first">
                <dt>{t("customers.firstContact")}</dt>
                <dd className="fig-date">{date(figures.firstContact)}</dd>
              </div>
              <div data-testid="fig-last">
                <dt>{t("customers.lastContact")}</dt>
                <dd className="fig-date">{date(figures.lastContact)}</dd>
              </div>
              <div data-testid="fig-channels" className="fig-wide">
                <dt>{t("customers.channels")}</dt>
                <dd className="fig-channels">
                  {figures.channels.length === 0
                    ? "—"
                    : figures.channels.map((c) => (
                      <span key={c} className="channel-chip">
                        {t(`channels.${c}`, { defaultValue: c })}
                      </span>
                    ))}
                </dd>
              </div>
            </dl>
            {hasMore && <p className="muted small">{t("customers.figuresPartial")}</p>}
          </section>
          <section className="card" aria-labelledby="tickets-title">
            <h2 className="card-title" id="tickets-title">
              {t("customers.tickets")}
            </h2>
            {tickets.length === 0 ? (
              <p className="muted" data-testid="customer-no-tickets">
                {t("customers.noTickets")}
              </p>
            ) : (
              <table className="customers-table customer-tickets" data-testid="customer-tickets">
                <thead>
                  <tr>
                    <th scope="col">{t("customers.status")}</th>
                    <th scope="col">{t("customers.subject")}</th>
                    <th scope="col">{t("customers.updated")}</th>
                  </tr>
                </thead>
                <tbody>
                  {tickets.map((tk) => (
                    <tr key={tk.id} data-testid="customer-ticket">
                      <td>
                        <StatusPill status={tk.status} />
                      </td>
                      <td>
                        <a href={`/tickets/${tk.id}`} onClick={linkClick}>
                          <span className="ticket-number">#{tk.number}</span> {tk.subject}
                        </a>
                      </td>
                      <td>
                        <RelTime iso={tk.updated_at} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {hasMore && <p className="muted small">{t("customer.more")}</p>}
          </section>
        </div>
      </div>
      {confirming && (
        <DeleteCustomerDialog
          name={customer.name}
          busy={deleting}
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </section>
  );
}
