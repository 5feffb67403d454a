// Admin → Service levels, SLA policies: the list in matching order, moving and deleting them.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type BusinessCalendar, type SlaPolicy } from "../api";
import { byPosition, movePlan } from "../lib/sla";
import { ErrorBanner } from "../components/bits";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { durationText, nameOf, NoticeBanner, type Directory, useListSection } from "./slaAdminShared";
import { PolicyEditor } from "./SlaPolicyEditor";

export function PoliciesSection(props: {
  calendars: BusinessCalendar[];
  policies: SlaPolicy[];
  directory: Directory;
  setPolicies: (f: (p: SlaPolicy[] | null) => SlaPolicy[] | null) => void;
  reload: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { editing, setEditing, formKey, notice, setNotice, deleting, startDelete, deleteBusy, deleteError, saved, confirmDelete } =
    useListSection<SlaPolicy>({ setItems: props.setPolicies, remove: (id) => api.deleteSlaPolicy(id), reload: props.reload, order: byPosition });
  const { policies, calendars } = props;
  const [moveBusy, setMoveBusy] = useState(false);
  const [listError, setListError] = useState<unknown>(null);
  const editingPolicy = policies.find((p) => p.id === editing) ?? null;


  async function move(index: number, dir: -1 | 1) {
    setMoveBusy(true);
    setListError(null);
    setNotice(null);
    try {
      for (const step of movePlan(policies, index, dir)) {
        const p = await api.updateSlaPolicy(step.id, { position: step.position }, step.version);
        props.setPolicies((list) => (list ?? []).map((x) => (x.id === p.id ? p : x)).sort(byPosition));
      }
      setNotice({ key: "moved", name: "" });
    } catch (err) {
      setListError(err);
      void props.reload();
    } finally {
      setMoveBusy(false);
    }
  }


  return (
    <section className="sla-section" aria-labelledby="pol-section-title" data-testid="policies-section">
      <div className="sla-section-head">
        <h2 id="pol-section-title">{t("admin.sla.policies.title")}</h2>
        <p className="muted">{t("admin.sla.policies.intro")}</p>
      </div>
      <div className="admin-grid sla-grid">
        <PolicyEditor
          key={editingPolicy ? `edit-${editingPolicy.id}` : `new-${formKey}`}
          policy={editingPolicy}
          calendars={calendars}
          directory={props.directory}
          knownTiers={[...new Set(policies.flatMap((p) => p.conditions.customer_tiers ?? []))].sort()}
          onSaved={saved}
          onStale={() => void props.reload()}
          onCancel={() => setEditing(null)}
        />
        <div className="card">
          <NoticeBanner notice={notice} section="policies" onDismiss={() => setNotice(null)} />
          <ErrorBanner error={listError} />
          {policies.length === 0 ? (
            <div className="empty-state" data-testid="policies-empty">
              <span className="empty-icon" aria-hidden="true">
                ⏱
              </span>
              <p>{t("admin.sla.policies.empty")}</p>
            </div>
          ) : (
            <ol className="sla-list" data-testid="policies">
              {policies.map((p, i) => (
                <PolicyItem
                  key={p.id}
                  policy={p}
                  index={i}
                  count={policies.length}
                  calendars={calendars}
                  directory={props.directory}
                  editing={p.id === editing}
                  busy={moveBusy}
                  onMove={(dir) => void move(i, dir)}
                  onEdit={() => {
                    setNotice(null);
                    setEditing(p.id);
                  }}
                  onDelete={() => {
                    startDelete(p);
                  }}
                />
              ))}
            </ol>
          )}
        </div>
      </div>
      {deleting && (
        <ConfirmDialog
          title={t("admin.sla.policies.confirmDelete", { name: deleting.name })}
          confirmLabel={t("admin.sla.policies.deleteYes")}
          busyLabel={t("admin.sla.policies.deleting")}
          busy={deleteBusy}
          onConfirm={() => void confirmDelete()}
          onCancel={() => startDelete(null)}
          testId="policy-delete-dialog"
        >
          <p>{t("admin.sla.policies.confirmDeleteText")}</p>
          <ErrorBanner error={deleteError} />
        </ConfirmDialog>
      )}
    </section>
  );
}

/** "a, b and c" in the reader's language. */
function listText(items: string[], lang: string): string {
  try {
    return new Intl.ListFormat(lang, { type: "conjunction" }).format(items);
  } catch {
    return items.join(", ");
  }
}


export function PolicyItem(props: {
  policy: SlaPolicy;
  index: number;
  count: number;
  calendars: BusinessCalendar[];
  directory: Directory;
  editing: boolean;
  busy: boolean;
  onMove: (dir: -1 | 1) => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { policy: p } = props;
  const c = p.conditions;
  const conds: string[] = [];
  if (c.priorities?.length) conds.push(c.priorities.map((x) => t(`priority.${x}`)).join(", "));
  if (c.channels?.length) conds.push(c.channels.map((x) => t(`channels.${x}`, { defaultValue: x })).join(", "));
  if (c.tags?.length) conds.push(t("admin.sla.policies.tagList", { tags: c.tags.join(", ") }));
  const { organisations, teams } = props.directory;
  if (c.organisation_ids?.length) conds.push(t("admin.sla.policies.orgList", { names: c.organisation_ids.map((id) => nameOf(organisations, id)).join(", ") }));
  if (c.customer_tiers?.length) conds.push(t("admin.sla.policies.tierList", { tiers: c.customer_tiers.join(", ") }));
  if (c.team_ids?.length) conds.push(t("admin.sla.policies.teamList", { names: c.team_ids.map((id) => nameOf(teams, id)).join(", ") }));
  const cal = p.calendar_id == null ? null : props.calendars.find((x) => x.id === p.calendar_id);
  const esc = p.escalations;
  const missed: string[] = [];
  if (esc?.breach.notify) missed.push(t("admin.sla.policies.actionNotify"));
  if (esc?.breach.raise_priority) missed.push(t("admin.sla.policies.actionRaise", { priority: t(`priority.${esc.breach.raise_priority}`) }));
  if (esc?.breach.assign_team_id != null) missed.push(t("admin.sla.policies.actionTeam", { team: nameOf(teams, esc.breach.assign_team_id) }));
  return (
    <li className={`sla-item policy${props.editing ? " is-editing" : ""}`} data-testid="policy" data-policy-id={p.id}>
      <div className="sla-item-head">
        <span className="order-badge" title={t("admin.sla.policies.order", { n: props.index + 1 })} data-testid="policy-order">
          {props.index + 1}
        </span>
        <div className="sla-item-names">
          <div className="sla-item-name" data-testid="policy-name">
            {p.name}
          </div>
          <div className="muted small" data-testid="policy-conditions">
            {conds.length ? conds.join(" · ") : t("admin.sla.policies.anyTicket")}
          </div>
        </div>
        <div className="move-btns">
          <button type="button" className="btn btn-small btn-ghost icon-btn" disabled={props.busy || props.index === 0} onClick={() => props.onMove(-1)} aria-label={t("admin.sla.policies.moveUp", { name: p.name })} title={t("admin.sla.policies.moveUp", { name: p.name })} data-testid="move-up">
            ↑
          </button>
          <button type="button" className="btn btn-small btn-ghost icon-btn" disabled={props.busy || props.index === props.count - 1} onClick={() => props.onMove(1)} aria-label={t("admin.sla.policies.moveDown", { name: p.name })} title={t("admin.sla.policies.moveDown", { name: p.name })} data-testid="move-down">
            ↓
          </button>
        </div>
      </div>
      <ul className="target-chips" data-testid="policy-targets">
        {p.targets.map((x) => (
          <li key={x.metric} className="target-chip">
            <strong>{t(`inbox.due.metrics.${x.metric}`)}</strong> {durationText(t, x.minutes)}
            <span className="muted"> · {t(`admin.sla.policies.${x.clock === "calendar" ? "calendar_short" : "business_short"}`)}</span>
          </li>
        ))}
      </ul>
      <div className="sla-item-meta muted small">
        <span data-testid="policy-calendar">◷ {cal ? t("admin.sla.policies.inHours", { name: cal.name }) : t("admin.sla.policies.allDayShort")}</span>
      </div>
      {p.warning_percent != null && (
        <ul className="escalation-summary small" data-testid="policy-escalation">
          <li className="esc-warning" data-testid="policy-warning">
            {t(esc?.warning.notify ? "admin.sla.policies.warnsAtNotify" : "admin.sla.policies.warnsAt", { percent: p.warning_percent })}
          </li>
          {missed.length > 0 && (
            <li className="esc-breach" data-testid="policy-breach">
              {t("admin.sla.policies.whenMissed", { actions: listText(missed, i18n.language) })}
            </li>
          )}
        </ul>
      )}
      <div className="btn-row sla-actions">
        <button type="button" className="btn btn-small" onClick={props.onEdit} aria-label={t("admin.sla.policies.editLabel", { name: p.name })} data-testid="edit-policy">
          {t("admin.sla.policies.edit")}
        </button>
        <button type="button" className="btn btn-small btn-danger" onClick={props.onDelete} aria-label={t("admin.sla.policies.deleteLabel", { name: p.name })} data-testid="delete-policy">
          {t("admin.sla.policies.delete")}
        </button>
      </div>
    </li>
  );
}
