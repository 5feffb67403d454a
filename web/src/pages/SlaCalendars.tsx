// Admin → Service levels, business hours: the list of calendars and deleting one.
import { useTranslation } from "react-i18next";
import { api, ApiError, type BusinessCalendar, type ServiceStandard, type SlaPolicy } from "../api";
import { weekSummary } from "../lib/sla";
import { ErrorBanner } from "../components/bits";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { NoticeBanner, useListSection } from "./slaAdminShared";
import { CalendarEditor } from "./SlaCalendarEditor";

export function CalendarsSection(props: {
  calendars: BusinessCalendar[];
  policies: SlaPolicy[];
  /** Service standards count business time in calendars too. */
  standards?: ServiceStandard[];
  setCalendars: (f: (c: BusinessCalendar[] | null) => BusinessCalendar[] | null) => void;
  reload: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { editing, setEditing, formKey, notice, setNotice, deleting, startDelete, deleteBusy, deleteError, saved, confirmDelete } =
    useListSection<BusinessCalendar>({ setItems: props.setCalendars, remove: (id) => api.deleteCalendar(id), reload: props.reload });
  const { calendars, policies } = props;
  const editingCalendar = calendars.find((c) => c.id === editing) ?? null;
  const standardsOf = (id: number) => (props.standards ?? []).filter((s) => s.calendar_id === id);
  const usersOf = (id: number) => [...policies.filter((p) => p.calendar_id === id), ...standardsOf(id)].map((x) => `“${x.name}”`);



  let deleteProblem: string | null = null;
  if (deleteError instanceof ApiError && deleteError.code === "conflict" && deleting) {
    const names = usersOf(deleting.id);
    if (standardsOf(deleting.id).length) deleteProblem = t("standards.admin.calendarInUse", { names: names.join(", ") });
    else deleteProblem = names.length ? t("admin.sla.calendars.inUse", { names: names.join(", ") }) : t("admin.sla.calendars.inUseUnknown");
  }

  return (
    <section className="sla-section" aria-labelledby="cal-section-title" data-testid="calendars-section">
      <div className="sla-section-head">
        <h2 id="cal-section-title">{t("admin.sla.calendars.title")}</h2>
        <p className="muted">{t("admin.sla.calendars.intro")}</p>
      </div>
      <div className="admin-grid sla-grid">
        <CalendarEditor
          key={editingCalendar ? `edit-${editingCalendar.id}` : `new-${formKey}`}
          calendar={editingCalendar}
          onSaved={saved}
          onStale={() => void props.reload()}
          onCancel={() => setEditing(null)}
        />
        <div className="card">
          <NoticeBanner notice={notice} section="calendars" onDismiss={() => setNotice(null)} />
          {calendars.length === 0 ? (
            <div className="empty-state" data-testid="calendars-empty">
              <span className="empty-icon" aria-hidden="true">
                ◷
              </span>
              <p>{t("admin.sla.calendars.empty")}</p>
            </div>
          ) : (
            <ul className="sla-list" data-testid="calendars">
              {[...calendars]
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((c) => (
                  <CalendarItem
                    key={c.id}
                    calendar={c}
                    usedBy={usersOf(c.id)}
                    editing={c.id === editing}
                    onEdit={() => {
                      setNotice(null);
                      setEditing(c.id);
                    }}
                    onDelete={() => {
                      startDelete(c);
                    }}
                  />
                ))}
            </ul>
          )}
        </div>
      </div>
      {deleting && (
        <ConfirmDialog
          title={t("admin.sla.calendars.confirmDelete", { name: deleting.name })}
          confirmLabel={t("admin.sla.calendars.deleteYes")}
          busyLabel={t("admin.sla.calendars.deleting")}
          busy={deleteBusy}
          onConfirm={() => void confirmDelete()}
          onCancel={() => startDelete(null)}
          testId="calendar-delete-dialog"
        >
          <p>{t("admin.sla.calendars.confirmDeleteText")}</p>
          {deleteProblem ? (
            <div className="banner banner-error" role="alert" data-testid="calendar-in-use">
              <span>{deleteProblem}</span>
            </div>
          ) : (
            <ErrorBanner error={deleteError} />
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}

export function CalendarItem(props: { calendar: BusinessCalendar; usedBy: string[]; editing: boolean; onEdit: () => void; onDelete: () => void }) {
  const { t } = useTranslation();
  const c = props.calendar;
  const week = weekSummary(c.hours, (d) => t(`admin.sla.weekdays.${d}`));
  return (
    <li className={`sla-item${props.editing ? " is-editing" : ""}`} data-testid="calendar" data-calendar-id={c.id}>
      <div className="sla-item-head">
        <span className="sla-icon" aria-hidden="true">
          ◷
        </span>
        <div className="sla-item-names">
          <div className="sla-item-name" data-testid="calendar-name">
            {c.name}
          </div>
          <div className="muted small mono">{c.time_zone}</div>
        </div>
      </div>
      <ul className="week-summary" data-testid="calendar-week">
        {week.length ? week.map((w) => <li key={w}>{w}</li>) : <li className="muted">{t("admin.sla.calendars.closedAllWeek")}</li>}
      </ul>
      <div className="sla-item-meta muted small">
        {c.holidays.length > 0 && <span>{t("admin.sla.calendars.holidayCount", { count: c.holidays.length })}</span>}
        {c.exceptions.length > 0 && <span data-testid="calendar-exceptions">{t("admin.sla.calendars.exceptionCount", { count: c.exceptions.length })}</span>}
        {props.usedBy.length > 0 && <span>{t("admin.sla.calendars.usedBy", { names: props.usedBy.join(", ") })}</span>}
      </div>
      <div className="btn-row sla-actions">
        <button type="button" className="btn btn-small" onClick={props.onEdit} aria-label={t("admin.sla.calendars.editLabel", { name: c.name })} data-testid="edit-calendar">
          {t("admin.sla.calendars.edit")}
        </button>
        <button
          type="button"
          className="btn btn-small btn-danger"
          onClick={props.onDelete}
          aria-label={t("admin.sla.calendars.deleteLabel", { name: c.name })}
          data-testid="delete-calendar"
        >
          {t("admin.sla.calendars.delete")}
        </button>
      </div>
    </li>
  );
}
