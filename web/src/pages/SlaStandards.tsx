// Admin → Service levels, service standards: the list beside the form, editing and deleting them.
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { api, type BusinessCalendar, type ServiceStandard } from "../api";
import { byStandardPosition } from "../lib/standards";
import { linkClick } from "../lib/router";
import { ErrorBanner } from "../components/bits";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { useListSection } from "./slaAdminShared";
import { StandardEditor } from "./SlaStandardEditor";
import { channelsText, standardSummary } from "./standardsText";
import "./standards.css";

export function StandardsSection(props: {
  calendars: BusinessCalendar[];
  standards: ServiceStandard[];
  setStandards: (f: (s: ServiceStandard[] | null) => ServiceStandard[] | null) => void;
  reload: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { editing, setEditing, formKey, notice, setNotice, deleting, startDelete, deleteBusy, deleteError, saved, confirmDelete } =
    useListSection<ServiceStandard>({ setItems: props.setStandards, remove: (id) => api.deleteServiceStandard(id), reload: props.reload, order: byStandardPosition });
  const { standards, calendars } = props;
  const editingStandard = standards.find((s) => s.id === editing) ?? null;

  // The report's "Manage standards" link lands here.
  useEffect(() => {
    if (location.hash === "#standards") document.getElementById("standards")?.scrollIntoView({ block: "start" });
  }, []);



  return (
    <section className="sla-section" id="standards" aria-labelledby="std-section-title" data-testid="standards-section">
      <div className="sla-section-head std-section-head">
        <div>
          <h2 id="std-section-title">{t("standards.admin.title")}</h2>
          <p className="muted">{t("standards.admin.intro")}</p>
        </div>
        <a className="btn btn-small" href="/reports/standards" onClick={linkClick} data-testid="standards-report-link">
          {t("standards.admin.seeReport")} →
        </a>
      </div>
      <div className="admin-grid sla-grid">
        <StandardEditor
          key={editingStandard ? `edit-${editingStandard.id}` : `new-${formKey}`}
          standard={editingStandard}
          calendars={calendars}
          onSaved={saved}
          onStale={() => void props.reload()}
          onCancel={() => setEditing(null)}
        />
        <div className="card">
          {notice && (
            <div className="banner banner-ok" role="status" data-testid="standards-notice">
              <span>{t(`standards.admin.${notice.key}`, { name: notice.name })}</span>
              <span className="banner-actions">
                <button type="button" className="btn btn-small btn-ghost" onClick={() => setNotice(null)}>
                  {t("app.dismiss")}
                </button>
              </span>
            </div>
          )}
          {standards.length === 0 ? (
            <div className="empty-state" data-testid="standards-empty">
              <span className="empty-icon" aria-hidden="true">
                ◎
              </span>
              <p>{t("standards.admin.empty")}</p>
            </div>
          ) : (
            <ul className="sla-list" data-testid="standards">
              {standards.map((s) => (
                <StandardItem
                  key={s.id}
                  standard={s}
                  calendars={calendars}
                  editing={s.id === editing}
                  onEdit={() => {
                    setNotice(null);
                    setEditing(s.id);
                  }}
                  onDelete={() => {
                    startDelete(s);
                  }}
                />
              ))}
            </ul>
          )}
        </div>
      </div>
      {deleting && (
        <ConfirmDialog
          title={t("standards.admin.confirmDelete", { name: deleting.name })}
          confirmLabel={t("standards.admin.deleteYes")}
          busyLabel={t("standards.admin.deleting")}
          busy={deleteBusy}
          onConfirm={() => void confirmDelete()}
          onCancel={() => startDelete(null)}
          testId="standard-delete-dialog"
        >
          <p>{t("standards.admin.confirmDeleteText")}</p>
          <ErrorBanner error={deleteError} />
        </ConfirmDialog>
      )}
    </section>
  );
}

export function StandardItem(props: { standard: ServiceStandard; calendars: BusinessCalendar[]; editing: boolean; onEdit: () => void; onDelete: () => void }) {
  const { t } = useTranslation();
  const { standard: s } = props;
  const cal = s.calendar_id == null ? null : props.calendars.find((x) => x.id === s.calendar_id);
  const counting =
    s.clock === "calendar"
      ? t("standards.admin.elapsed")
      : s.calendar_id == null
        ? t("standards.admin.allDay")
        : t("standards.admin.inHours", { name: cal?.name ?? `#${s.calendar_id}` });
  return (
    <li className={`sla-item standard${props.editing ? " is-editing" : ""}`} data-testid="standard" data-standard-id={s.id}>
      <div className="sla-item-head">
        <span className="std-badge" aria-hidden="true">
          ◎
        </span>
        <div className="sla-item-names">
          <div className="sla-item-name" data-testid="standard-name">
            {s.name}
          </div>
          <div className="muted small" data-testid="standard-summary">
            {standardSummary(t, s)}
          </div>
        </div>
      </div>
      <ul className="target-chips">
        <li className="target-chip" data-testid="standard-channels">
          {channelsText(t, s.channels)}
        </li>
        <li className="target-chip" data-testid="standard-clock">
          ◷ {counting}
        </li>
      </ul>
      <div className="btn-row sla-actions">
        <button type="button" className="btn btn-small" onClick={props.onEdit} aria-label={t("standards.admin.editLabel", { name: s.name })} data-testid="edit-standard">
          {t("standards.admin.edit")}
        </button>
        <button type="button" className="btn btn-small btn-danger" onClick={props.onDelete} aria-label={t("standards.admin.deleteLabel", { name: s.name })} data-testid="delete-standard">
          {t("standards.admin.delete")}
        </button>
      </div>
    </li>
  );
}
