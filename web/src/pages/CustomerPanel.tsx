import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Customer, type Organisation, type Ticket } from "../api";
import { linkClick } from "../lib/router";
import { dateOnly } from "../lib/time";
import { Avatar, RelTime, StatusPill, Spinner } from "../components/bits";

function languageName(tag: string, uiLocale: string): string {
  if (!tag) return "";
  try {
    const dn = new Intl.DisplayNames([uiLocale], { type: "language" });
    return dn.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export function CustomerPanel({ customer, currentTicketId }: { customer: Customer | null; currentTicketId: number }) {
  const { t, i18n } = useTranslation();
  const [tickets, setTickets] = useState<Ticket[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [org, setOrg] = useState<Organisation | null>(null);

  useEffect(() => {
    setTickets(null);
    setOrg(null);
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
    if (customer.organisation_id)
      api
        .organisation(customer.organisation_id)
        .then((o) => live && setOrg(o))
        .catch(() => {});
    return () => {
      live = false;
    };
  }, [customer?.id, customer?.version, customer?.organisation_id]);

  if (!customer)
    return (
      <div className="card">
        <Spinner />
      </div>
    );

  const others = (tickets ?? []).filter((tk) => tk.id !== currentTicketId);
  const none = <span className="muted">{t("customer.none")}</span>;
  return (
    <section className="card customer-card" aria-labelledby="customer-name" data-testid="customer-panel">
      <h2 className="card-title">{t("customer.title")}</h2>
      <div className="customer-head">
        <Avatar name={customer.name} />
        <div>
          <div className="customer-name" id="customer-name" data-testid="customer-name">
            {customer.name}
          </div>
          <div className="muted small">{t("customer.customerSince", { date: dateOnly(customer.created_at, i18n.language) })}</div>
        </div>
      </div>
      {customer.merged_into && <p className="banner banner-info">{t("customer.merged", { id: customer.merged_into })}</p>}
      <dl className="facts">
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
    </section>
  );
}
