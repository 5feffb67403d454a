// Admin → Service levels, the business-hours form: time zone, weekly hours, holidays and
// special dates, with the server's field errors on the row they name.
import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, type BusinessCalendar, type OpenInterval, type Weekday } from "../api";
import { useSession } from "../state";
import {
  addException, addHoliday, calendarErrorField, calendarForm, calendarRequest, COMMON_TIME_ZONES, officeHours, WEEKDAYS, type CalendarForm, type ExceptionForm,
} from "../lib/sla";
import { ErrorBanner } from "../components/bits";
import { slaFieldErrorText, type Field, type FieldProblem } from "./slaAdminShared";

function nowIn(timeZone: string, lang: string): string | null {
  try {
    return new Intl.DateTimeFormat(lang, { timeZone, hour: "2-digit", minute: "2-digit", weekday: "short" }).format(new Date());
  } catch {
    return null;
  }
}

export function CalendarEditor(props: {
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
  const [special, setSpecial] = useState("");
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
  const setException = (date: string, f: (e: ExceptionForm) => ExceptionForm) =>
    setForm((x) => ({ ...x, exceptions: x.exceptions.map((e) => (e.date === date ? f(e) : e)) }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setProblem(null);
    if (!form.name.trim()) {
      setProblem({ field: "name", err: null, key: "name" });
      return;
    }
    setBusy(true);
    const body = calendarRequest(form);
    try {
      const c = calendar ? await api.updateCalendar(calendar.id, body, calendar.version) : await api.createCalendar(body);
      props.onSaved(c, !calendar);
    } catch (err) {
      const field = err instanceof ApiError && err.code === "invalid_argument" ? calendarErrorField(err.field, body) : null;
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
                <IntervalsEditor
                  label={dayName}
                  intervals={day.intervals}
                  onChange={(intervals) => setDay(d, (x) => ({ ...x, intervals }))}
                  invalid={invalid(`day.${d}`)}
                  error={fieldErr(`day.${d}`)}
                />
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
      </fieldset>

      <fieldset className="field" data-field="exceptions">
        <legend>{t("admin.sla.calendars.exceptions")}</legend>
        <p className="hint">{t("admin.sla.calendars.exceptionsHint")}</p>
        <div className="holiday-add">
          <input type="date" value={special} aria-label={t("admin.sla.calendars.exceptionDate")} onChange={(e) => setSpecial(e.target.value)} data-testid="exception-date" {...invalid("exceptions")} />
          <button
            type="button"
            className="btn btn-small"
            disabled={!special}
            onClick={() => {
              setForm(addException(form, special));
              setSpecial("");
            }}
            data-testid="add-exception"
          >
            {t("admin.sla.calendars.addException")}
          </button>
        </div>
        {fieldErr("exceptions")}
        {form.exceptions.length ? (
          <ul className="exception-list" data-testid="exceptions">
            {form.exceptions.map((e) => (
              <ExceptionRow
                key={e.date}
                exception={e}
                holiday={form.holidays.includes(e.date)}
                onChange={(f) => setException(e.date, f)}
                onRemove={() => setForm((x) => ({ ...x, exceptions: x.exceptions.filter((y) => y.date !== e.date) }))}
                invalid={invalid(`exception.${e.date}`)}
                error={fieldErr(`exception.${e.date}`)}
              />
            ))}
          </ul>
        ) : (
          <p className="muted small">{t("admin.sla.calendars.noExceptions")}</p>
        )}
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

/** One day's open hours: from–to rows, a row added or removed at a time (at most 12). */
function IntervalsEditor(props: {
  /** The day ("Mon", "Mon 28 Dec"), for the inputs' names. */
  label: string;
  intervals: OpenInterval[];
  onChange: (intervals: OpenInterval[]) => void;
  invalid: object;
  error: ReactNode;
}) {
  const { t } = useTranslation();
  const { label, intervals, onChange } = props;
  const set = (i: number, patch: Partial<OpenInterval>) => onChange(intervals.map((y, j) => (j === i ? { ...y, ...patch } : y)));
  return (
    <div className="intervals">
      {intervals.map((iv, i) => (
        <div key={i} className="interval">
          <input type="time" value={iv.start} aria-label={`${label} ${t("admin.sla.calendars.from")}`} onChange={(e) => set(i, { start: e.target.value })} {...props.invalid} />
          <span aria-hidden="true">–</span>
          <input type="time" value={iv.end} aria-label={`${label} ${t("admin.sla.calendars.to")}`} onChange={(e) => set(i, { end: e.target.value })} {...props.invalid} />
          {intervals.length > 1 && (
            <button
              type="button"
              className="btn btn-small btn-ghost icon-btn"
              aria-label={`${label}: ${t("admin.sla.calendars.removeInterval")}`}
              title={t("admin.sla.calendars.removeInterval")}
              onClick={() => onChange(intervals.filter((_, j) => j !== i))}
            >
              ×
            </button>
          )}
        </div>
      ))}
      {intervals.length < 12 && (
        <button
          type="button"
          className="btn btn-small btn-ghost add-interval"
          aria-label={`${label}: ${t("admin.sla.calendars.addInterval")}`}
          onClick={() => {
            const last = intervals[intervals.length - 1];
            onChange([...intervals, last ? { start: last.end, end: last.end } : { start: "09:00", end: "18:00" }]);
          }}
        >
          + {t("admin.sla.calendars.addInterval")}
        </button>
      )}
      {props.error}
    </div>
  );
}

/** "Mon, 28 Dec 2026" for a `YYYY-MM-DD` date, in the reader's language (the date itself, no time zone). */
export function dateLabel(date: string, lang: string): string {
  const [y, m, d] = date.split("-").map(Number);
  try {
    return new Intl.DateTimeFormat(lang, { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(
      new Date(Date.UTC(y, m - 1, d)),
    );
  } catch {
    return date;
  }
}

/** A special date in the calendar form: its own hours, or closed all day. */
function ExceptionRow(props: {
  exception: ExceptionForm;
  holiday: boolean;
  onChange: (f: (e: ExceptionForm) => ExceptionForm) => void;
  onRemove: () => void;
  invalid: object;
  error: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const e = props.exception;
  const label = dateLabel(e.date, i18n.language);
  const name = `exc-${e.date}`;
  return (
    <li className={`exception-row${e.closed ? " is-closed" : ""}`} data-field={`exception.${e.date}`} data-testid="exception" data-date={e.date}>
      <div className="exception-head">
        <strong className="exception-date" title={e.date}>
          {label}
        </strong>
        <span className="exception-controls">
        <span className="segmented" role="radiogroup" aria-label={label}>
          <label className={e.closed ? "" : "on"}>
            <input type="radio" name={name} checked={!e.closed} onChange={() => props.onChange((x) => ({ ...x, closed: false }))} data-testid="exception-open" />
            {t("admin.sla.calendars.specialHours")}
          </label>
          <label className={e.closed ? "on" : ""}>
            <input type="radio" name={name} checked={e.closed} onChange={() => props.onChange((x) => ({ ...x, closed: true }))} data-testid="exception-closed" />
            {t("admin.sla.calendars.closedAllDay")}
          </label>
        </span>
        <button
          type="button"
          className="btn btn-small btn-ghost icon-btn"
          aria-label={t("admin.sla.calendars.removeException", { date: label })}
          title={t("admin.sla.calendars.removeException", { date: label })}
          onClick={props.onRemove}
          data-testid="remove-exception"
        >
          ×
        </button>
        </span>
      </div>
      {e.closed ? (
        props.error
      ) : (
        <IntervalsEditor label={label} intervals={e.intervals} onChange={(intervals) => props.onChange((x) => ({ ...x, intervals }))} invalid={props.invalid} error={props.error} />
      )}
      {props.holiday && <p className="hint exception-holiday">{t("admin.sla.calendars.alsoHoliday")}</p>}
    </li>
  );
}
