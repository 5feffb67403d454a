// Admin → Service levels: business hours (calendars) and SLA policies in matching order.
// Loaded on demand (only admins open it), so the agent app's first load stays small.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { api, ApiError, PRIORITIES, type BusinessCalendar, type SlaMetric, type SlaPolicy, type Weekday } from "../api";
import { useSession } from "../state";
import { errorMessage } from "../lib/errors";
import {
  addHoliday, byPosition, calendarErrorField, calendarForm, calendarRequest, COMMON_TIME_ZONES, METRICS, movePlan, officeHours,
  parseTags, policyErrorField, policyForm, policyFormProblem, policyRequest, SLA_CHANNELS, WEEKDAYS, weekSummary,
  type CalendarField, type CalendarForm, type PolicyField, type PolicyForm, type TargetForm,
} from "../lib/sla";
import { ErrorBanner, Spinner } from "../components/bits";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { addSlaAdminDictionaries } from "../i18n/slaAdmin";
import { addSlaDictionaries } from "../i18n/sla";
import "./adminMail.css";
import "./adminSla.css";

addSlaAdminDictionaries();
addSlaDictionaries(); // the metric names (inbox.due.metrics.*)

type Field = CalendarField | PolicyField;
/** A problem about one field: from the server (worded at render, so it follows the language) or found by the form. */
type FieldProblem = { field: Field; err: ApiError | null; key?: string };

const ERROR_KEY: Record<string, string> = {
  name: "name", time_zone: "timeZone", hours: "hours", holidays: "holidays", targets: "targets", calendar: "calendar",
  priorities: "condition", channels: "condition", tags: "condition",
};

/** A field's problem in words: invalid values by the field they name, anything else as the rest of Admin words it. */
export function slaFieldErrorText(t: TFunction, p: FieldProblem): string {
  if (p.key) return t(`admin.sla.errors.${p.key}`);
  const err = p.err;
  if (!err) return t("errors.unknown");
  if (err.code !== "invalid_argument") return errorMessage(t, err);
  if (p.field.startsWith("day.")) return t("admin.sla.errors.day");
  if (p.field.startsWith("target.")) return t("admin.sla.errors.minutes");
  const key = ERROR_KEY[p.field];
  return key ? t(`admin.sla.errors.${key}`) : errorMessage(t, err);
}

/** "1 h", "90 min", "2 d" — in the inbox badges' words. */
export function durationText(t: TFunction, minutes: number): string {
  if (minutes % 1440 === 0) return t("inbox.due.days", { count: minutes / 1440 });
  if (minutes % 60 === 0) return t("inbox.due.hours", { count: minutes / 60 });
  return t("inbox.due.minutes", { count: minutes });
}

type Notice = { key: string; name: string } | null;

export default function SlaTab() {
  const { t } = useTranslation();
  const [calendars, setCalendars] = useState<BusinessCalendar[] | null>(null);
  const [policies, setPolicies] = useState<SlaPolicy[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);

  const load = useCallback(() => {
    setLoadError(null);
    return Promise.all([api.calendars(), api.slaPolicies()])
      .then(([c, p]) => {
        setCalendars(c.calendars);
        setPolicies([...p.policies].sort(byPosition));
      })
      .catch(setLoadError);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  if (!calendars || !policies)
    return loadError ? <ErrorBanner error={loadError} onRetry={() => void load()} /> : <Spinner />;
  return (
    <div className="sla-admin" data-testid="sla-admin">
      <p className="sla-intro">{t("admin.sla.intro")}</p>
      <CalendarsSection calendars={calendars} policies={policies} setCalendars={setCalendars} reload={load} />
      <PoliciesSection calendars={calendars} policies={policies} setPolicies={setPolicies} reload={load} />
    </div>
  );
}

function NoticeBanner({ notice, section, onDismiss }: { notice: Notice; section: string; onDismiss: () => void }) {
  const { t } = useTranslation();
  if (!notice) return null;
  return (
    <div className="banner banner-ok" role="status" data-testid={`${section}-notice`}>
      <span>{t(`admin.sla.${section}.${notice.key}`, { name: notice.name })}</span>
      <span className="banner-actions">
        <button type="button" className="btn btn-small btn-ghost" onClick={onDismiss}>
          {t("app.dismiss")}
        </button>
      </span>
    </div>
  );
}

// ─── Business hours ─────────────────────────────────────────────────────────────────

function CalendarsSection(props: {
  calendars: BusinessCalendar[];
  policies: SlaPolicy[];
  setCalendars: (f: (c: BusinessCalendar[] | null) => BusinessCalendar[] | null) => void;
  reload: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { calendars, policies } = props;
  const [editing, setEditing] = useState<number | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [notice, setNotice] = useState<Notice>(null);
  const [deleting, setDeleting] = useState<BusinessCalendar | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const editingCalendar = calendars.find((c) => c.id === editing) ?? null;
  const usersOf = (id: number) => policies.filter((p) => p.calendar_id === id).map((p) => `“${p.name}”`);

  function saved(c: BusinessCalendar, created: boolean) {
    props.setCalendars((list) => (created ? [...(list ?? []), c] : (list ?? []).map((x) => (x.id === c.id ? c : x))));
    setNotice({ key: created ? "added" : "saved", name: c.name });
    setEditing(null);
    setFormKey((k) => k + 1);
  }

  async function confirmDelete() {
    if (!deleting) return;
    setDeleteBusy(true);
    setDeleteError(null);
    try {
      await api.deleteCalendar(deleting.id);
      props.setCalendars((list) => (list ?? []).filter((x) => x.id !== deleting.id));
      if (editing === deleting.id) setEditing(null);
      setNotice({ key: "deleted", name: deleting.name });
      setDeleting(null);
    } catch (err) {
      if (err instanceof ApiError && err.code === "not_found") {
        setDeleting(null);
        void props.reload();
      } else setDeleteError(err);
    } finally {
      setDeleteBusy(false);
    }
  }

  let deleteProblem: string | null = null;
  if (deleteError instanceof ApiError && deleteError.code === "conflict" && deleting) {
    const names = usersOf(deleting.id);
    deleteProblem = names.length ? t("admin.sla.calendars.inUse", { names: names.join(", ") }) : t("admin.sla.calendars.inUseUnknown");
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
                      setDeleteError(null);
                      setDeleting(c);
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
          onCancel={() => setDeleting(null)}
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

function nowIn(timeZone: string, lang: string): string | null {
  try {
    return new Intl.DateTimeFormat(lang, { timeZone, hour: "2-digit", minute: "2-digit", weekday: "short" }).format(new Date());
  } catch {
    return null;
  }
}

function CalendarEditor(props: {
  calendar: BusinessCalendar | null;
  onSaved: (c: BusinessCalendar, created: boolean) => void;
  onStale: () => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const { calendar } = props;
  const [form, setForm] = useState<CalendarForm>(() => calendarForm(calendar ?? undefined, session.workspace.time_zone || "UTC"));
  const [otherZone, setOtherZone] = useState(() => !(COMMON_TIME_ZONES as readonly string[]).includes(form.time_zone));
  const [holiday, setHoliday] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<FieldProblem | null>(null);

  useEffect(() => {
    if (!problem) return;
    const el = document.querySelector<HTMLElement>(`[data-field="${problem.field}"]`);
    el?.scrollIntoView({ block: "center" });
    el?.querySelector<HTMLElement>("input, select")?.focus({ preventScroll: true });
  }, [problem]);

  const setDay = (d: Weekday, f: (day: CalendarForm["days"][Weekday]) => CalendarForm["days"][Weekday]) =>
    setForm((x) => ({ ...x, days: { ...x.days, [d]: f(x.days[d]) } }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setProblem(null);
    if (!form.name.trim()) {
      setProblem({ field: "name", err: null, key: "name" });
      return;
    }
    setBusy(true);
    try {
      const body = calendarRequest(form);
      const c = calendar ? await api.updateCalendar(calendar.id, body, calendar.version) : await api.createCalendar(body);
      props.onSaved(c, !calendar);
    } catch (err) {
      const field = err instanceof ApiError && err.code === "invalid_argument" ? calendarErrorField(err.field) : null;
      if (field) setProblem({ field, err: err as ApiError });
      else {
        setError(err);
        if (err instanceof ApiError && err.code === "precondition_failed") props.onStale();
      }
    } finally {
      setBusy(false);
    }
  }

  const invalid = (f: Field) => (problem?.field === f ? { "aria-invalid": true as const, "aria-errormessage": `cal-err-${f.replace(".", "-")}` } : {});
  const fieldErr = (f: Field) =>
    problem?.field === f ? (
      <p className="field-error" id={`cal-err-${f.replace(".", "-")}`} role="alert" data-testid="field-error">
        {slaFieldErrorText(t, problem)}
      </p>
    ) : null;
  const zoneNow = nowIn(form.time_zone, i18n.language);

  return (
    <form className={calendar ? "card form-card agent-editor" : "card form-card"} onSubmit={submit} noValidate aria-labelledby="cal-form-title" data-testid="calendar-form">
      <h3 className="card-title" id="cal-form-title">
        {calendar ? t("admin.sla.calendars.editTitle", { name: calendar.name }) : t("admin.sla.calendars.add")}
      </h3>
      <ErrorBanner error={error} />
      <div className="field" data-field="name">
        <label htmlFor="cal-name">{t("admin.sla.calendars.name")}</label>
        <input
          id="cal-name"
          value={form.name}
          maxLength={100}
          placeholder={t("admin.sla.calendars.namePlaceholder")}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          {...invalid("name")}
        />
        {fieldErr("name")}
      </div>
      <div className="field" data-field="time_zone">
        <label htmlFor="cal-tz">{t("admin.sla.calendars.timeZone")}</label>
        <select
          id="cal-tz"
          value={otherZone ? "" : form.time_zone}
          onChange={(e) => {
            if (e.target.value === "") setOtherZone(true);
            else {
              setOtherZone(false);
              setForm({ ...form, time_zone: e.target.value });
            }
          }}
          {...(otherZone ? {} : invalid("time_zone"))}
        >
          {COMMON_TIME_ZONES.map((z) => (
            <option key={z} value={z}>
              {z.replace(/_/g, " ")}
            </option>
          ))}
          <option value="">{t("admin.sla.calendars.otherZone")}</option>
        </select>
        {otherZone && (
          <input
            id="cal-tz-other"
            className="tz-other"
            value={form.time_zone}
            spellCheck={false}
            aria-label={t("admin.sla.calendars.timeZone")}
            placeholder={t("admin.sla.calendars.otherZonePlaceholder")}
            onChange={(e) => setForm({ ...form, time_zone: e.target.value })}
            {...invalid("time_zone")}
          />
        )}
        {fieldErr("time_zone")}
        {zoneNow && problem?.field !== "time_zone" && <p className="hint">{t("admin.sla.calendars.nowThere", { time: zoneNow })}</p>}
      </div>

      <fieldset className="field week" data-field="hours">
        <legend>{t("admin.sla.calendars.week")}</legend>
        <div className="week-presets">
          <button type="button" className="btn btn-small" onClick={() => setForm(officeHours(form))} data-testid="preset-office">
            {t("admin.sla.calendars.preset")}
          </button>
        </div>
        {fieldErr("hours")}
        {WEEKDAYS.map((d) => {
          const day = form.days[d];
          const dayName = t(`admin.sla.weekdays.${d}`);
          return (
            <div key={d} className={`day-row${day.open ? "" : " is-closed"}`} data-field={`day.${d}`} data-testid={`day-${d}`}>
              <label className="check switch day-toggle">
                <input type="checkbox" role="switch" checked={day.open} onChange={(e) => setDay(d, (x) => ({ ...x, open: e.target.checked }))} aria-label={dayName} />
                <span className="day-name">{dayName}</span>
              </label>
              {day.open ? (
                <div className="intervals">
                  {day.intervals.map((iv, i) => (
                    <div key={i} className="interval">
                      <input
                        type="time"
                        value={iv.start}
                        aria-label={`${dayName} ${t("admin.sla.calendars.from")}`}
                        onChange={(e) => setDay(d, (x) => ({ ...x, intervals: x.intervals.map((y, j) => (j === i ? { ...y, start: e.target.value } : y)) }))}
                        {...invalid(`day.${d}`)}
                      />
                      <span aria-hidden="true">–</span>
                      <input
                        type="time"
                        value={iv.end}
                        aria-label={`${dayName} ${t("admin.sla.calendars.to")}`}
                        onChange={(e) => setDay(d, (x) => ({ ...x, intervals: x.intervals.map((y, j) => (j === i ? { ...y, end: e.target.value } : y)) }))}
                        {...invalid(`day.${d}`)}
                      />
                      {day.intervals.length > 1 && (
                        <button
                          type="button"
                          className="btn btn-small btn-ghost icon-btn"
                          aria-label={`${dayName}: ${t("admin.sla.calendars.removeInterval")}`}
                          title={t("admin.sla.calendars.removeInterval")}
                          onClick={() => setDay(d, (x) => ({ ...x, intervals: x.intervals.filter((_, j) => j !== i) }))}
                        >
                          ×
                        </button>
                      )}
                    </div>
                  ))}
                  {day.intervals.length < 12 && (
                    <button
                      type="button"
                      className="btn btn-small btn-ghost add-interval"
                      aria-label={`${dayName}: ${t("admin.sla.calendars.addInterval")}`}
                      onClick={() => {
                        const last = day.intervals[day.intervals.length - 1];
                        setDay(d, (x) => ({ ...x, intervals: [...x.intervals, last ? { start: last.end, end: last.end } : { start: "09:00", end: "18:00" }] }));
                      }}
                    >
                      + {t("admin.sla.calendars.addInterval")}
                    </button>
                  )}
                  {fieldErr(`day.${d}`)}
                </div>
              ) : (
                <span className="muted day-closed">{t("admin.sla.calendars.closed")}</span>
              )}
            </div>
          );
        })}
        <p className="hint">{t("admin.sla.calendars.nightHint")}</p>
      </fieldset>

      <fieldset className="field" data-field="holidays">
        <legend>{t("admin.sla.calendars.holidays")}</legend>
        <p className="hint">{t("admin.sla.calendars.holidaysHint")}</p>
        <div className="holiday-add">
          <input type="date" value={holiday} aria-label={t("admin.sla.calendars.holidayDate")} onChange={(e) => setHoliday(e.target.value)} data-testid="holiday-date" {...invalid("holidays")} />
          <button
            type="button"
            className="btn btn-small"
            disabled={!holiday}
            onClick={() => {
              setForm({ ...form, holidays: addHoliday(form.holidays, holiday) });
              setHoliday("");
            }}
            data-testid="add-holiday"
          >
            {t("admin.sla.calendars.addHoliday")}
          </button>
        </div>
        {fieldErr("holidays")}
        {form.holidays.length ? (
          <ul className="holiday-chips" data-testid="holidays">
            {form.holidays.map((h) => (
              <li key={h} className="holiday-chip">
                <span className="mono">{h}</span>
                <button
                  type="button"
                  className="chip-x"
                  aria-label={t("admin.sla.calendars.removeHoliday", { date: h })}
                  onClick={() => setForm({ ...form, holidays: form.holidays.filter((x) => x !== h) })}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small">{t("admin.sla.calendars.noHolidays")}</p>
        )}
        {form.exceptions.length > 0 && <p className="hint">{t("admin.sla.calendars.exceptionsKept", { count: form.exceptions.length })}</p>}
      </fieldset>

      <div className="btn-row">
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="save-calendar">
          {busy ? t("app.saving") : calendar ? t("admin.sla.calendars.submitSave") : t("admin.sla.calendars.submitAdd")}
        </button>
        {calendar && (
          <button className="btn" type="button" onClick={props.onCancel}>
            {t("app.cancel")}
          </button>
        )}
      </div>
    </form>
  );
}

// ─── SLA policies ───────────────────────────────────────────────────────────────────

function PoliciesSection(props: {
  calendars: BusinessCalendar[];
  policies: SlaPolicy[];
  setPolicies: (f: (p: SlaPolicy[] | null) => SlaPolicy[] | null) => void;
  reload: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { policies, calendars } = props;
  const [editing, setEditing] = useState<number | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [notice, setNotice] = useState<Notice>(null);
  const [moveBusy, setMoveBusy] = useState(false);
  const [listError, setListError] = useState<unknown>(null);
  const [deleting, setDeleting] = useState<SlaPolicy | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const editingPolicy = policies.find((p) => p.id === editing) ?? null;

  function saved(p: SlaPolicy, created: boolean) {
    props.setPolicies((list) => (created ? [...(list ?? []), p] : (list ?? []).map((x) => (x.id === p.id ? p : x))).sort(byPosition));
    setNotice({ key: created ? "added" : "saved", name: p.name });
    setEditing(null);
    setFormKey((k) => k + 1);
  }

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

  async function confirmDelete() {
    if (!deleting) return;
    setDeleteBusy(true);
    setDeleteError(null);
    try {
      await api.deleteSlaPolicy(deleting.id);
      props.setPolicies((list) => (list ?? []).filter((x) => x.id !== deleting.id));
      if (editing === deleting.id) setEditing(null);
      setNotice({ key: "deleted", name: deleting.name });
      setDeleting(null);
    } catch (err) {
      if (err instanceof ApiError && err.code === "not_found") {
        setDeleting(null);
        void props.reload();
      } else setDeleteError(err);
    } finally {
      setDeleteBusy(false);
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
                  editing={p.id === editing}
                  busy={moveBusy}
                  onMove={(dir) => void move(i, dir)}
                  onEdit={() => {
                    setNotice(null);
                    setEditing(p.id);
                  }}
                  onDelete={() => {
                    setDeleteError(null);
                    setDeleting(p);
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
          onCancel={() => setDeleting(null)}
          testId="policy-delete-dialog"
        >
          <p>{t("admin.sla.policies.confirmDeleteText")}</p>
          <ErrorBanner error={deleteError} />
        </ConfirmDialog>
      )}
    </section>
  );
}

export function PolicyItem(props: {
  policy: SlaPolicy;
  index: number;
  count: number;
  calendars: BusinessCalendar[];
  editing: boolean;
  busy: boolean;
  onMove: (dir: -1 | 1) => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  const { policy: p } = props;
  const c = p.conditions;
  const conds: string[] = [];
  if (c.priorities?.length) conds.push(c.priorities.map((x) => t(`priority.${x}`)).join(", "));
  if (c.channels?.length) conds.push(c.channels.map((x) => t(`channels.${x}`, { defaultValue: x })).join(", "));
  if (c.tags?.length) conds.push(t("admin.sla.policies.tagList", { tags: c.tags.join(", ") }));
  if (c.organisation_ids?.length || c.customer_tiers?.length || c.team_ids?.length) conds.push(t("admin.sla.policies.otherConditions"));
  const cal = p.calendar_id == null ? null : props.calendars.find((x) => x.id === p.calendar_id);
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
      <div className="sla-item-meta muted small" data-testid="policy-calendar">
        ◷ {cal ? t("admin.sla.policies.inHours", { name: cal.name }) : t("admin.sla.policies.allDayShort")}
      </div>
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

function PolicyEditor(props: {
  policy: SlaPolicy | null;
  calendars: BusinessCalendar[];
  onSaved: (p: SlaPolicy, created: boolean) => void;
  onStale: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { policy, calendars } = props;
  const [form, setForm] = useState<PolicyForm>(() => policyForm(policy ?? undefined));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<FieldProblem | null>(null);

  useEffect(() => {
    if (!problem) return;
    const el = document.querySelector<HTMLElement>(`[data-field="${problem.field}"]`);
    el?.scrollIntoView({ block: "center" });
    el?.querySelector<HTMLElement>("input[type=text], input:not([type]), input[inputmode], select")?.focus({ preventScroll: true });
  }, [problem]);

  const setTarget = (m: SlaMetric, patch: Partial<TargetForm>) =>
    setForm((f) => ({ ...f, targets: { ...f.targets, [m]: { ...f.targets[m], ...patch } } }));
  const toggle = <K extends "priorities" | "channels">(k: K, v: PolicyForm[K][number], on: boolean) =>
    setForm((f) => ({ ...f, [k]: on ? [...(f[k] as string[]), v] : (f[k] as string[]).filter((x) => x !== v) }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setProblem(null);
    const local = policyFormProblem(form);
    // A typed amount that is not a number is worded here; a number out of range is left to the server.
    if (local) {
      setProblem({ field: local.field, err: null, key: local.key });
      return;
    }
    const body = policyRequest(form);
    setBusy(true);
    try {
      const p = policy ? await api.updateSlaPolicy(policy.id, body, policy.version) : await api.createSlaPolicy(body);
      props.onSaved(p, !policy);
    } catch (err) {
      const field = err instanceof ApiError && err.code === "invalid_argument" ? policyErrorField(err.field, body) : null;
      if (field) setProblem({ field, err: err as ApiError });
      else {
        setError(err);
        if (err instanceof ApiError && err.code === "precondition_failed") props.onStale();
      }
    } finally {
      setBusy(false);
    }
  }

  const errId = (f: Field) => `pol-err-${f.replace(".", "-")}`;
  const invalid = (f: Field) => (problem?.field === f ? { "aria-invalid": true as const, "aria-errormessage": errId(f) } : {});
  const fieldErr = (f: Field) =>
    problem?.field === f ? (
      <p className="field-error" id={errId(f)} role="alert" data-testid="field-error">
        {slaFieldErrorText(t, problem)}
      </p>
    ) : null;
  const channels = [...SLA_CHANNELS, ...form.channels.filter((c) => !(SLA_CHANNELS as readonly string[]).includes(c))];
  const tags = parseTags(form.tags);
  const calendarGone = form.calendar !== "" && !calendars.some((c) => String(c.id) === form.calendar);

  return (
    <form className={policy ? "card form-card agent-editor" : "card form-card"} onSubmit={submit} noValidate aria-labelledby="pol-form-title" data-testid="policy-form">
      <h3 className="card-title" id="pol-form-title">
        {policy ? t("admin.sla.policies.editTitle", { name: policy.name }) : t("admin.sla.policies.add")}
      </h3>
      <ErrorBanner error={error} />
      <div className="field" data-field="name">
        <label htmlFor="pol-name">{t("admin.sla.policies.name")}</label>
        <input id="pol-name" value={form.name} maxLength={100} placeholder={t("admin.sla.policies.namePlaceholder")} onChange={(e) => setForm({ ...form, name: e.target.value })} {...invalid("name")} />
        {fieldErr("name")}
      </div>

      <fieldset className="field">
        <legend>{t("admin.sla.policies.appliesTo")}</legend>
        <p className="hint">{t("admin.sla.policies.appliesHint")}</p>
        <div className="cond" data-field="priorities" role="group" aria-labelledby="pol-prio-label">
          <span className="cond-label" id="pol-prio-label">{t("admin.sla.policies.priorities")}</span>
          <div className="toggle-chips">
            {PRIORITIES.map((p) => (
              <label key={p} className={form.priorities.includes(p) ? "toggle-chip on" : "toggle-chip"}>
                <input type="checkbox" checked={form.priorities.includes(p)} onChange={(e) => toggle("priorities", p, e.target.checked)} data-testid={`prio-${p}`} />
                {t(`priority.${p}`)}
              </label>
            ))}
          </div>
          {fieldErr("priorities")}
        </div>
        <div className="cond" data-field="channels" role="group" aria-labelledby="pol-chan-label">
          <span className="cond-label" id="pol-chan-label">{t("admin.sla.policies.channels")}</span>
          <div className="toggle-chips">
            {channels.map((c) => (
              <label key={c} className={form.channels.includes(c) ? "toggle-chip on" : "toggle-chip"}>
                <input type="checkbox" checked={form.channels.includes(c)} onChange={(e) => toggle("channels", c, e.target.checked)} data-testid={`chan-${c}`} />
                {t(`channels.${c}`, { defaultValue: c })}
              </label>
            ))}
          </div>
          {fieldErr("channels")}
        </div>
        <div className="cond" data-field="tags">
          <label className="cond-label" htmlFor="pol-tags">{t("admin.sla.policies.tags")}</label>
          <input id="pol-tags" value={form.tags} spellCheck={false} placeholder={t("admin.sla.policies.tagsPlaceholder")} aria-describedby="pol-tags-hint" onChange={(e) => setForm({ ...form, tags: e.target.value })} {...invalid("tags")} />
          {fieldErr("tags")}
          <p className="hint" id="pol-tags-hint">
            {t("admin.sla.policies.tagsHint")}
            {tags.length > 1 && <span className="mono"> ({tags.join(" + ")})</span>}
          </p>
        </div>
      </fieldset>

      <fieldset className="field" data-field="targets">
        <legend>{t("admin.sla.policies.targets")}</legend>
        <p className="hint">{t("admin.sla.policies.targetsHint")}</p>
        {fieldErr("targets")}
        {METRICS.map((m) => {
          const tf = form.targets[m];
          const metric = t(`inbox.due.metrics.${m}`);
          return (
            <div key={m} className={tf.enabled ? "target-row on" : "target-row"} data-field={`target.${m}`} data-testid={`target-${m}`}>
              <label className="check switch">
                <input type="checkbox" role="switch" checked={tf.enabled} onChange={(e) => setTarget(m, { enabled: e.target.checked })} data-testid={`target-${m}-on`} />
                <span>{metric}</span>
              </label>
              <p className="hint target-hint">{t(`admin.sla.policies.metricHints.${m}`)}</p>
              {tf.enabled && (
                <div className="target-inputs">
                  <input
                    className="amount"
                    inputMode="decimal"
                    value={tf.amount}
                    aria-label={t("admin.sla.policies.amount", { metric })}
                    onChange={(e) => setTarget(m, { amount: e.target.value })}
                    data-testid={`target-${m}-amount`}
                    {...invalid(`target.${m}`)}
                  />
                  <select value={tf.unit} aria-label={t("admin.sla.policies.unit", { metric })} onChange={(e) => setTarget(m, { unit: e.target.value as TargetForm["unit"] })} data-testid={`target-${m}-unit`}>
                    <option value="minutes">{t("admin.sla.policies.minutes")}</option>
                    <option value="hours">{t("admin.sla.policies.hours")}</option>
                  </select>
                  <select value={tf.clock} aria-label={t("admin.sla.policies.clock", { metric })} onChange={(e) => setTarget(m, { clock: e.target.value as TargetForm["clock"] })} data-testid={`target-${m}-clock`}>
                    <option value="business">{t("admin.sla.policies.business")}</option>
                    <option value="calendar">{t("admin.sla.policies.calendarTime")}</option>
                  </select>
                </div>
              )}
              {fieldErr(`target.${m}`)}
            </div>
          );
        })}
      </fieldset>

      <div className="field" data-field="calendar">
        <label htmlFor="pol-calendar">{t("admin.sla.policies.calendar")}</label>
        <select id="pol-calendar" value={form.calendar} onChange={(e) => setForm({ ...form, calendar: e.target.value })} {...invalid("calendar")}>
          <option value="">{t("admin.sla.policies.allDay")}</option>
          {calendars.map((c) => (
            <option key={c.id} value={String(c.id)}>
              {c.name} ({c.time_zone})
            </option>
          ))}
          {calendarGone && <option value={form.calendar}>#{form.calendar}</option>}
        </select>
        {fieldErr("calendar")}
        <p className="hint">{t("admin.sla.policies.calendarHint")}</p>
      </div>

      <div className="btn-row">
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="save-policy">
          {busy ? t("app.saving") : policy ? t("admin.sla.policies.submitSave") : t("admin.sla.policies.submitAdd")}
        </button>
        {policy && (
          <button className="btn" type="button" onClick={props.onCancel}>
            {t("app.cancel")}
          </button>
        )}
      </div>
    </form>
  );
}

