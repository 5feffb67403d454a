// Admin → Service levels, the service standard form: what is measured, on which channels,
// the target in the unit people think in, and how time is counted (business hours or elapsed).
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, type BusinessCalendar, type ServiceStandard } from "../api";
import {
  STANDARD_CHANNELS, STANDARD_EXAMPLES, STANDARD_METRICS, isCallMetric, standardErrorField, standardForm, standardFormProblem, standardRequest, targetUnits, toSeconds, withClock, withMetric,
  type StandardField, type StandardForm, type TargetUnit,
} from "../lib/standards";
import { channelName } from "../lib/channels";
import { errorMessage } from "../lib/errors";
import { ErrorBanner } from "../components/bits";
import { targetText } from "./standardsText";

/** A problem about one field: the server's (worded at render, so it follows the language) or the form's own. */
type Problem = { field: StandardField; err: ApiError | null; key?: string };

export function StandardEditor(props: {
  standard: ServiceStandard | null;
  calendars: BusinessCalendar[];
  onSaved: (s: ServiceStandard, created: boolean) => void;
  onStale: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { standard, calendars } = props;
  const [form, setForm] = useState<StandardForm>(() => standardForm(standard ?? undefined));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    if (!problem) return;
    const el = document.querySelector<HTMLElement>(`[data-std-field="${problem.field}"]`);
    el?.scrollIntoView({ block: "center" });
    el?.querySelector<HTMLElement>("input:not([type=checkbox]):not([type=radio]), select")?.focus({ preventScroll: true });
  }, [problem]);

  const change = (patch: Partial<StandardForm>, fields: StandardField[]) => {
    setForm((f) => ({ ...f, ...patch }));
    if (problem && fields.includes(problem.field)) setProblem(null);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setProblem(null);
    const local = standardFormProblem(form);
    if (local) {
      setProblem({ field: local.field, err: null, key: local.key });
      return;
    }
    const body = standardRequest(form);
    setBusy(true);
    try {
      const s = standard ? await api.updateServiceStandard(standard.id, body, standard.version) : await api.createServiceStandard(body);
      props.onSaved(s, !standard);
    } catch (err) {
      const field = err instanceof ApiError && err.code === "invalid_argument" ? standardErrorField(err.field) : null;
      if (field) setProblem({ field, err: err as ApiError });
      else {
        setError(err);
        if (err instanceof ApiError && err.code === "precondition_failed") props.onStale();
      }
    } finally {
      setBusy(false);
    }
  }

  const errorText = (p: Problem) => {
    if (p.key) return t(`standards.errors.${p.key}`);
    if (p.err && p.err.code === "invalid_argument") return t(`standards.errors.${p.field}`);
    return errorMessage(t, p.err);
  };
  const errId = (f: StandardField) => `std-err-${f}`;
  const invalid = (f: StandardField) => (problem?.field === f ? { "aria-invalid": true as const, "aria-errormessage": errId(f) } : {});
  const fieldErr = (f: StandardField) =>
    problem?.field === f ? (
      <p className="field-error" id={errId(f)} role="alert" data-testid="field-error">
        {errorText(problem)}
      </p>
    ) : null;

  const channels = [...STANDARD_CHANNELS, ...form.channels.filter((c) => !(STANDARD_CHANNELS as readonly string[]).includes(c))];
  const seconds = toSeconds(form.amount, form.unit);
  const calendarGone = form.calendar !== "" && !calendars.some((c) => String(c.id) === form.calendar);
  const useExample = (key: keyof typeof STANDARD_EXAMPLES) => {
    const ex = STANDARD_EXAMPLES[key];
    setProblem(null);
    setForm((f) => ({
      ...f,
      ...ex,
      channels: [...ex.channels],
      name: t(`standards.admin.exampleNames.${key}`),
      // Business hours: the first ones there are (24/7 when none).
      calendar: ex.clock === "business" ? f.calendar || (calendars[0] ? String(calendars[0].id) : "") : f.calendar,
    }));
  };

  return (
    <form className={standard ? "card form-card agent-editor std-form" : "card form-card std-form"} onSubmit={submit} noValidate aria-labelledby="std-form-title" data-testid="standard-form">
      <h3 className="card-title" id="std-form-title">
        {standard ? t("standards.admin.editTitle", { name: standard.name }) : t("standards.admin.add")}
      </h3>
      <ErrorBanner error={error} />
      {!standard && (
        <div className="std-examples" role="group" aria-labelledby="std-examples-label">
          <span className="std-examples-label muted small" id="std-examples-label">
            {t("standards.admin.examples")}
          </span>
          {(Object.keys(STANDARD_EXAMPLES) as (keyof typeof STANDARD_EXAMPLES)[]).map((key) => (
            <button key={key} type="button" className="btn btn-small std-example" onClick={() => useExample(key)} data-testid={`example-${key}`}>
              {t(`standards.admin.exampleNames.${key}`)}
            </button>
          ))}
        </div>
      )}

      <div className="field" data-std-field="name">
        <label htmlFor="std-name">{t("standards.admin.name")}</label>
        <input id="std-name" value={form.name} maxLength={120} placeholder={t("standards.admin.namePlaceholder")} onChange={(e) => change({ name: e.target.value }, ["name"])} {...invalid("name")} />
        {fieldErr("name")}
      </div>

      <div className="field" data-std-field="metric">
        <label htmlFor="std-metric">{t("standards.admin.metric")}</label>
        <select id="std-metric" value={form.metric} onChange={(e) => {
            setForm((f) => withMetric(f, e.target.value as StandardForm["metric"]));
            if (problem && ["metric", "clock", "channels"].includes(problem.field)) setProblem(null);
          }} aria-describedby="std-metric-hint" {...invalid("metric")}>
          {STANDARD_METRICS.map((m) => (
            <option key={m} value={m}>
              {t(`standards.metrics.${m}`)}
            </option>
          ))}
        </select>
        {fieldErr("metric")}
        <p className="hint" id="std-metric-hint">{t(`standards.admin.metricHints.${form.metric}`)}</p>
      </div>

      <div className="field" data-std-field="channels" role="group" aria-labelledby="std-chan-label" aria-describedby="std-chan-hint">
        <span className="field-label" id="std-chan-label">{t("standards.admin.channels")}</span>
        <div className="toggle-chips">
          {channels.map((c) => {
            const on = form.channels.includes(c);
            return (
              <label key={c} className={on ? "toggle-chip on" : "toggle-chip"}>
                <input
                  type="checkbox"
                  checked={on}
                  onChange={(e) => change({ channels: e.target.checked ? [...form.channels, c] : form.channels.filter((x) => x !== c) }, ["channels"])}
                  data-testid={`std-chan-${c}`}
                />
                {channelName(t, c)}
              </label>
            );
          })}
        </div>
        {fieldErr("channels")}
        <p className="hint" id="std-chan-hint">{form.channels.length ? t("standards.admin.channelsHint") : t("standards.admin.channelsAll")}</p>
      </div>

      <div className="field" data-std-field="target" data-testid="std-target">
        <span className="field-label" id="std-target-label">{t("standards.admin.target")}</span>
        <div className="target-inputs">
          <input
            className="amount"
            inputMode="decimal"
            value={form.amount}
            aria-label={t("standards.admin.amount")}
            onChange={(e) => change({ amount: e.target.value }, ["target"])}
            data-testid="std-amount"
            {...invalid("target")}
          />
          <select value={form.unit} aria-label={t("standards.admin.unit")} onChange={(e) => change({ unit: e.target.value as TargetUnit }, ["target"])} data-testid="std-unit">
            {targetUnits(form.clock).map((u) => (
              <option key={u} value={u}>
                {t(`standards.admin.units.${u}`)}
              </option>
            ))}
          </select>
        </div>
        {fieldErr("target")}
        <p className="hint" data-testid="std-preview">
          {seconds
            ? t("standards.admin.preview", { metric: t(`standards.admin.previewMetric.${form.metric}`), target: targetText(t, seconds, form.clock) })
            : t("standards.admin.targetHint")}
        </p>
      </div>

      <fieldset className="field" data-std-field="clock">
        <legend>{t("standards.admin.clock")}</legend>
        {isCallMetric(form.metric) ? (
          <p className="hint" data-testid="std-call-clock">{t("standards.admin.callClock")}</p>
        ) : (
          <div className="segmented std-clock">
            {(["business", "calendar"] as const).map((c) => (
              <label key={c} className={form.clock === c ? "on" : undefined}>
                <input type="radio" name="std-clock" value={c} checked={form.clock === c} onChange={() => {
                    setForm((f) => withClock(f, c));
                    if (problem && ["clock", "calendar", "target"].includes(problem.field)) setProblem(null);
                  }} data-testid={`std-clock-${c}`} />
                {c === "business" ? t("standards.admin.business") : t("standards.admin.calendarTime")}
              </label>
            ))}
          </div>
        )}
        {fieldErr("clock")}
      </fieldset>

      {form.clock === "business" && (
        <div className="field" data-std-field="calendar">
          <label htmlFor="std-calendar">{t("standards.admin.calendar")}</label>
          {calendars.length > 0 || calendarGone ? (
            <>
              <select id="std-calendar" value={form.calendar} onChange={(e) => change({ calendar: e.target.value }, ["calendar"])} data-testid="std-calendar" {...invalid("calendar")}>
                <option value="">{t("standards.admin.allDay")}</option>
                {calendars.map((c) => (
                  <option key={c.id} value={String(c.id)}>
                    {c.name} ({c.time_zone})
                  </option>
                ))}
                {calendarGone && <option value={form.calendar}>#{form.calendar}</option>}
              </select>
              {fieldErr("calendar")}
              <p className="hint">{t("standards.admin.calendarHint")}</p>
            </>
          ) : (
            <p className="hint">{t("standards.admin.noCalendars")}</p>
          )}
        </div>
      )}

      <div className="btn-row">
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="save-standard">
          {busy ? t("app.saving") : standard ? t("standards.admin.submitSave") : t("standards.admin.submitAdd")}
        </button>
        {standard && (
          <button className="btn" type="button" onClick={props.onCancel}>
            {t("app.cancel")}
          </button>
        )}
      </div>
    </form>
  );
}
