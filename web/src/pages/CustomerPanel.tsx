import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, type Agent, type Customer, type Organisation, type Ticket } from "../api";
import { linkClick } from "../lib/router";
import { dateOnly } from "../lib/time";
import { errorMessage } from "../lib/errors";
import { forgetCustomer } from "../state";
import { Avatar, RelTime, StatusPill, Spinner } from "../components/bits";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { customerFigures } from "../lib/customerFigures";

function languageName(tag: string, uiLocale: string): string {
  if (!tag) return "";
  try {
    const dn = new Intl.DisplayNames([uiLocale], { type: "language" });
    return dn.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** A customer's tier as a small chip ("gold"); nothing when they have none. */
export function TierChip({ tier }: { tier?: string }) {
  const { t } = useTranslation();
  if (!tier) return null;
  return (
    <span className="tier-chip" title={t("customer.tierTitle", { tier })} data-testid="customer-tier">
      {tier}
    </span>
  );
}

/**
 * Who a customer is: name, since when, tier, language, contact details, organisation, birthday
 * and notes. Shared by the customer panel on a ticket and the customer's own page; with
 * `onChanged` (the customer's page) the tier can be changed there.
 */
export function CustomerProfile({ customer, onChanged }: { customer: Customer; onChanged?: (c: Customer) => void }) {
  const { t, i18n } = useTranslation();
  const [org, setOrg] = useState<Organisation | null>(null);
  useEffect(() => {
    setOrg(null);
    if (!customer.organisation_id) return;
    let live = true;
    api
      .organisation(customer.organisation_id)
      .then((o) => live && setOrg(o))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [customer.organisation_id]);
  const none = <span className="muted">{t("customer.none")}</span>;
  return (
    <>
      <div className="customer-head">
        <Avatar name={customer.name} />
        <div>
          <div className="customer-name-row">
            <span className="customer-name" id="customer-name" data-testid="customer-name">
              {customer.name}
            </span>
            {!onChanged && <TierChip tier={customer.tier} />}
          </div>
          <div className="muted small">{t("customer.customerSince", { date: dateOnly(customer.created_at, i18n.language) })}</div>
        </div>
      </div>
      {customer.merged_into && <p className="banner banner-info">{t("customer.merged", { id: customer.merged_into })}</p>}
      <dl className="facts">
        {onChanged && (
          <>
            <dt id="tier-label">{t("customer.tier")}</dt>
            <dd>
              <TierEditor customer={customer} onChanged={onChanged} />
            </dd>
          </>
        )}
        <dt id="owner-label">{t("customer.owner")}</dt>
        <dd>
          <AccountOwner customer={customer} onChanged={onChanged} />
        </dd>
        <dt>{t("customer.language")}</dt>
        <dd>{customer.language ? `${languageName(customer.language, i18n.language)} (${customer.language})` : none}</dd>
        <dt>{t("customer.identities")}</dt>
        <dd>
          {customer.identities.length === 0
            ? none
            : (
              <ul className="identities">
                {customer.identities.map((id) => (
                  <li key={`${id.kind}:${id.value}`}>
                    <span className="id-kind">{id.kind}</span>
                    <span className="id-value">{id.value}</span>
                  </li>
                ))}
              </ul>
            )}
        </dd>
        <dt>{t("customer.organisation")}</dt>
        <dd>
          {customer.organisation_id
            ? org
              ? `${org.name} (#${org.id})`
              : t("customer.organisationId", { id: customer.organisation_id })
            : none}
        </dd>
        <dt>{t("customer.birthday")}</dt>
        <dd>{customer.birthday ? dateOnly(customer.birthday, i18n.language) : none}</dd>
        <dt>{t("customer.notes")}</dt>
        <dd className="notes">{customer.notes ? customer.notes : none}</dd>
      </dl>
    </>
  );
}

/**
 * The customer's account owner: their name on a ticket's panel; on the customer's own page a
 * choice among the active agents, saved as soon as it is made.
 */
function AccountOwner({ customer, onChanged }: { customer: Customer; onChanged?: (c: Customer) => void }) {
  const { t } = useTranslation();
  const [agents, setAgents] = useState<Agent[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    let live = true;
    api
      .agents()
      .then((r) => live && setAgents(r.agents))
      .catch(() => live && setAgents([]));
    return () => {
      live = false;
    };
  }, []);
  const ownerId = customer.account_owner_id ?? null;
  const owner = agents?.find((a) => a.id === ownerId);
  const nameOf = (a: Agent) => (a.active ? a.name || a.email : t("customer.ownerInactive", { name: a.name || a.email }));

  if (!onChanged) {
    if (ownerId === null) return <span className="muted">{t("customer.ownerNone")}</span>;
    return <span data-testid="customer-owner">{owner ? nameOf(owner) : `#${ownerId}`}</span>;
  }

  async function choose(value: string) {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const c = await api.updateCustomer(customer.id, { account_owner_id: value ? Number(value) : null }, customer.version);
      onChanged!(c);
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiError && err.code === "precondition_failed") {
        api.customer(customer.id).then(onChanged).catch(() => {});
        setError(t("customer.tierStale"));
      } else setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }

  // The current owner stays in the list even when deactivated, so the choice shows who it is.
  const choices = (agents ?? []).filter((a) => a.active || a.id === ownerId);
  return (
    <div className="owner-row">
      <select
        value={ownerId === null ? "" : String(ownerId)}
        disabled={busy || agents === null}
        onChange={(e) => void choose(e.target.value)}
        aria-labelledby="owner-label"
        aria-describedby="owner-hint"
        aria-invalid={error ? true : undefined}
        data-testid="owner-select"
      >
        <option value="">{t("customer.ownerNone")}</option>
        {choices.map((a) => (
          <option key={a.id} value={String(a.id)}>
            {nameOf(a)}
          </option>
        ))}
      </select>
      {saved && (
        <span className="tier-saved" role="status" data-testid="owner-saved">
          {t("customer.ownerSaved")}
        </span>
      )}
      <p className="hint" id="owner-hint">
        {t("customer.ownerHint")}
      </p>
      {error && (
        <p className="field-error" role="alert" data-testid="owner-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** The customer's tier, shown as a chip with a "Change" button that opens a small form. */
function TierEditor({ customer, onChanged }: { customer: Customer; onChanged: (c: Customer) => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(customer.tier ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const changeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (editing) input.current?.focus();
  }, [editing]);

  async function save(tier: string) {
    setBusy(true);
    setError(null);
    try {
      const c = await api.updateCustomer(customer.id, { tier: tier.trim() }, customer.version);
      onChanged(c);
      setEditing(false);
      setSaved(true);
      setTimeout(() => changeButton.current?.focus(), 0);
    } catch (err) {
      if (err instanceof ApiError && err.code === "precondition_failed") {
        // Someone changed the customer meanwhile: show theirs, keep what was typed.
        api.customer(customer.id).then(onChanged).catch(() => {});
        setError(t("customer.tierStale"));
      } else setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }

  if (!editing)
    return (
      <div className="tier-row" data-testid="tier-row">
        {customer.tier ? <TierChip tier={customer.tier} /> : <span className="muted">{t("customer.tierNone")}</span>}
        <button
          type="button"
          ref={changeButton}
          className="btn btn-small btn-ghost"
          onClick={() => {
            setValue(customer.tier ?? "");
            setSaved(false);
            setError(null);
            setEditing(true);
          }}
          aria-describedby="tier-label"
          data-testid="change-tier"
        >
          {customer.tier ? t("customer.tierChange") : t("customer.tierSet")}
        </button>
        {saved && (
          <span className="tier-saved" role="status" data-testid="tier-saved">
            {t("customer.tierSaved")}
          </span>
        )}
      </div>
    );

  function submit(e: FormEvent) {
    e.preventDefault();
    void save(value);
  }

  return (
    <form className="tier-form" onSubmit={submit} data-testid="tier-form">
      <input
        ref={input}
        value={value}
        maxLength={40}
        spellCheck={false}
        autoComplete="off"
        list="tier-suggestions"
        placeholder={t("customer.tierPlaceholder")}
        aria-labelledby="tier-label"
        aria-describedby="tier-hint"
        aria-invalid={error ? true : undefined}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") setEditing(false);
        }}
        data-testid="tier-input"
      />
      <datalist id="tier-suggestions">
        {["gold", "silver", "bronze", "vip", "enterprise"].map((x) => (
          <option key={x} value={x} />
        ))}
      </datalist>
      <div className="btn-row">
        <button type="submit" className="btn btn-small btn-primary" disabled={busy} data-testid="save-tier">
          {busy ? t("app.saving") : t("customer.tierSave")}
        </button>
        {customer.tier && (
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => void save("")} data-testid="remove-tier">
            {t("customer.tierRemove")}
          </button>
        )}
        <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => setEditing(false)}>
          {t("app.cancel")}
        </button>
      </div>
      <p className="hint" id="tier-hint">
        {t("customer.tierHint")}
      </p>
      {error && (
        <p className="field-error" role="alert" data-testid="tier-error">
          {error}
        </p>
      )}
    </form>
  );
}

/**
 * The requester of the ticket on screen. `onDeleted` (given to supervisors and admins, who may
 * delete customers) adds a "Delete customer" action, possible only for a customer without
 * tickets; it is called once the customer is gone.
 */
export function CustomerPanel({
  customer,
  currentTicketId,
  onDeleted,
}: {
  customer: Customer | null;
  currentTicketId: number;
  onDeleted?: (c: Customer) => void;
}) {
  const { t } = useTranslation();
  const [tickets, setTickets] = useState<Ticket[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [blocked, setBlocked] = useState(false);

  useEffect(() => {
    setTickets(null);
    setConfirming(false);
    setDeleteError(null);
    setBlocked(false);
    if (!customer) return;
    let live = true;
    api
      .customerTickets(customer.id)
      .then((r) => {
        if (!live) return;
        setTickets(r.tickets);
        setHasMore(r.has_more);
      })
      .catch(() => live && setTickets([]));
    return () => {
      live = false;
    };
  }, [customer?.id, customer?.version]);

  if (!customer)
    return (
      <div className="card">
        <Spinner />
      </div>
    );

  const others = (tickets ?? []).filter((tk) => tk.id !== currentTicketId);
  const hasTickets = tickets === null || tickets.length > 0 || hasMore || blocked;

  async function remove() {
    if (!customer) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      await api.deleteCustomer(customer.id);
      setConfirming(false);
      forgetCustomer(customer.id);
      onDeleted?.(customer);
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
    <section className="card customer-card" aria-labelledby="customer-name" data-testid="customer-panel">
      <h2 className="card-title">{t("customer.title")}</h2>
      <CustomerProfile customer={customer} />
      <p className="customer-view">
        <a href={`/customers/${customer.id}`} onClick={linkClick} data-testid="view-customer">
          {t("customer.view")}
        </a>
      </p>
      {tickets !== null && tickets.length > 0 && (
        <PanelFigures tickets={tickets} more={hasMore} />
      )}
      <h3 className="card-subtitle">{t("customer.otherTickets")}</h3>
      {tickets === null ? (
        <Spinner />
      ) : others.length === 0 ? (
        <p className="muted small">{t("customer.noOtherTickets")}</p>
      ) : (
        <ul className="other-tickets">
          {others.map((tk) => (
            <li key={tk.id}>
              <a href={`/tickets/${tk.id}`} onClick={linkClick}>
                <span className="ticket-number">#{tk.number}</span> <span className="ot-subject">{tk.subject}</span>
              </a>
              <span className="ot-meta">
                <StatusPill status={tk.status} /> <RelTime iso={tk.updated_at} />
              </span>
            </li>
          ))}
        </ul>
      )}
      {hasMore && <p className="muted small">{t("customer.more")}</p>}
      {onDeleted && (
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
              aria-describedby={hasTickets && tickets !== null && !deleteError ? "customer-delete-hint" : undefined}
              onClick={() => {
                setDeleteError(null);
                setConfirming(true);
              }}
              data-testid="delete-customer"
            >
              {t("customer.delete")}
            </button>
            {hasTickets && tickets !== null && !deleteError && (
              <span className="hint" id="customer-delete-hint">
                {t("customer.deleteHasTickets")}
              </span>
            )}
          </div>
        </div>
      )}
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

/** The customer's lifetime at a glance: conversations, open now, first contact. */
function PanelFigures({ tickets, more }: { tickets: Ticket[]; more: boolean }) {
  const { t, i18n } = useTranslation();
  const figures = customerFigures(tickets);
  return (
    <dl className="panel-figures" data-testid="panel-figures">
      <div>
        <dt>{t("customers.conversations")}</dt>
        <dd>{more ? `${figures.conversations}+` : figures.conversations}</dd>
      </div>
      <div>
        <dt>{t("customers.openNow")}</dt>
        <dd>{figures.openNow}</dd>
      </div>
      <div>
        <dt>{t("customers.firstContact")}</dt>
        <dd>
          {figures.firstContact
            ? new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium" }).format(Date.parse(figures.firstContact))
            : "—"}
        </dd>
      </div>
    </dl>
  );
}

/** Asks before a customer is deleted for good (the side panel and the customer page). */
export function DeleteCustomerDialog(props: { name: string; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog
      title={t("customer.confirmDelete", { name: props.name })}
      confirmLabel={t("customer.deleteYes")}
      busyLabel={t("customer.deleting")}
      busy={props.busy}
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
      testId="customer-delete-dialog"
    >
      <p>{t("customer.confirmDeleteText")}</p>
    </ConfirmDialog>
  );
}
