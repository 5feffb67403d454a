// Admin → Service levels, the policy form: conditions (priorities, channels, tags,
// organisations, customer tiers, teams), targets, business hours, warnings and escalation.
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, PRIORITIES, type BusinessCalendar, type SlaMetric, type SlaPolicy } from "../api";
import {
  addTiers, METRICS, parseTags, policyErrorField, policyForm, policyFormProblem, policyRequest, SLA_CHANNELS, toMinutes, toPercent, type EscalationForm, type PolicyForm, type RaisePriority, type TargetForm,
} from "../lib/sla";
import { ErrorBanner } from "../components/bits";
import { durationText, nameOf, slaFieldErrorText, type Directory, type Field, type FieldProblem } from "./slaAdminShared";

export function PolicyEditor(props: {
  policy: SlaPolicy | null;
  calendars: BusinessCalendar[];
  directory: Directory;
  /** Tiers other policies name, offered while typing. */
  knownTiers: string[];
  onSaved: (p: SlaPolicy, created: boolean) => void;
  onStale: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { policy, calendars, directory } = props;
  const [form, setForm] = useState<PolicyForm>(() => policyForm(policy ?? undefined));
  const [tierText, setTierText] = useState("");
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
  const toggle = <K extends "priorities" | "channels" | "team_ids" | "organisation_ids">(k: K, v: PolicyForm[K][number], on: boolean) =>
    setForm((f) => ({ ...f, [k]: on ? [...(f[k] as unknown[]), v] : (f[k] as unknown[]).filter((x) => x !== v) }));
  const setEscalation = (patch: Partial<EscalationForm>) => setForm((f) => ({ ...f, escalation: { ...f.escalation, ...patch } }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setProblem(null);
    // A tier typed but not yet added is meant to be part of the policy.
    let sending = form;
    if (tierText.trim()) {
      sending = { ...form, customer_tiers: addTiers(form.customer_tiers, tierText) };
      setForm(sending);
      setTierText("");
    }
    const local = policyFormProblem(sending);
    // A typed amount that is not a number is worded here; a number out of range is left to the server.
    if (local) {
      setProblem({ field: local.field, err: null, key: local.key });
      return;
    }
    const body = policyRequest(sending);
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
  const addTier = () => {
    setForm((f) => ({ ...f, customer_tiers: addTiers(f.customer_tiers, tierText) }));
    setTierText("");
  };
  const teamGone = form.escalation.assignTeam !== "" && !directory.teams.some((x) => String(x.id) === form.escalation.assignTeam);
  const orgsLeft = directory.organisations.filter((o) => !form.organisation_ids.includes(o.id));
  // "First reply in 1 h: the warning comes after 45 min", for the first target turned on.
  const firstOn = METRICS.find((m) => form.targets[m].enabled);
  const firstMinutes = firstOn ? toMinutes(form.targets[firstOn].amount, form.targets[firstOn].unit) : null;
  const percent = toPercent(form.warningPercent);
  const warningExample =
    firstOn && firstMinutes && percent && percent >= 1 && percent <= 99
      ? t("admin.sla.policies.warningExample", {
        metric: t(`inbox.due.metrics.${firstOn}`),
        target: durationText(t, firstMinutes),
        after: durationText(t, Math.max(1, Math.round((firstMinutes * percent) / 100))),
      })
      : null;
  const chip = (key: string, label: string, onRemove: () => void, testId: string) => (
    <li key={key} className="cond-chip" data-testid={testId}>
      <span>{label}</span>
      <button type="button" className="chip-x" aria-label={t("admin.sla.policies.removeCondition", { name: label })} onClick={onRemove}>
        ×
      </button>
    </li>
  );

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
        <div className="cond" data-field="organisations">
          <label className="cond-label" htmlFor="pol-org-add">
            {t("admin.sla.policies.organisations")}
          </label>
          {form.organisation_ids.length > 0 && (
            <ul className="cond-chips" data-testid="org-chips">
              {form.organisation_ids.map((id) =>
                chip(String(id), nameOf(directory.organisations, id), () => toggle("organisation_ids", id, false), "org-chip"),
              )}
            </ul>
          )}
          {directory.organisations.length > 0 ? (
            <select
              id="pol-org-add"
              className="cond-add"
              value=""
              disabled={orgsLeft.length === 0}
              aria-describedby="pol-org-hint"
              onChange={(e) => e.target.value && toggle("organisation_ids", Number(e.target.value), true)}
              data-testid="org-add"
              {...invalid("organisations")}
            >
              <option value="">{t("admin.sla.policies.addOrganisation")}</option>
              {orgsLeft.map((o) => (
                <option key={o.id} value={String(o.id)}>
                  {o.domain ? `${o.name} (${o.domain})` : o.name}
                </option>
              ))}
            </select>
          ) : (
            <p className="muted small">{t("admin.sla.policies.noOrganisations")}</p>
          )}
          {fieldErr("organisations")}
          <p className="hint" id="pol-org-hint">{t("admin.sla.policies.organisationsHint")}</p>
        </div>
        <div className="cond" data-field="tiers">
          <label className="cond-label" htmlFor="pol-tier">
            {t("admin.sla.policies.tiers")}
          </label>
          {form.customer_tiers.length > 0 && (
            <ul className="cond-chips" data-testid="tier-chips">
              {form.customer_tiers.map((tier) =>
                chip(tier, tier, () => setForm((f) => ({ ...f, customer_tiers: f.customer_tiers.filter((x) => x !== tier) })), "tier-chip"),
              )}
            </ul>
          )}
          <div className="holiday-add">
            <input
              id="pol-tier"
              className="tier-input"
              list="pol-tier-list"
              value={tierText}
              maxLength={40}
              spellCheck={false}
              autoComplete="off"
              placeholder={t("admin.sla.policies.tiersPlaceholder")}
              aria-describedby="pol-tier-hint"
              onChange={(e) => setTierText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter" || e.key === ",") {
                  e.preventDefault();
                  addTier();
                }
              }}
              data-testid="tier-input"
              {...invalid("tiers")}
            />
            <button type="button" className="btn btn-small" disabled={!tierText.trim()} onClick={addTier} data-testid="add-tier">
              {t("admin.sla.policies.addTier")}
            </button>
          </div>
          <datalist id="pol-tier-list">
            {props.knownTiers
              .filter((x) => !form.customer_tiers.includes(x))
              .map((x) => (
                <option key={x} value={x} />
              ))}
          </datalist>
          {fieldErr("tiers")}
          <p className="hint" id="pol-tier-hint">{t("admin.sla.policies.tiersHint")}</p>
        </div>
        <div className="cond" data-field="teams" role="group" aria-labelledby="pol-team-label">
          <span className="cond-label" id="pol-team-label">{t("admin.sla.policies.teams")}</span>
          {directory.teams.length > 0 || form.team_ids.length > 0 ? (
            <div className="toggle-chips">
              {[...directory.teams, ...form.team_ids.filter((id) => !directory.teams.some((x) => x.id === id)).map((id) => ({ id, name: `#${id}` }))].map((tm) => (
                <label key={tm.id} className={form.team_ids.includes(tm.id) ? "toggle-chip on" : "toggle-chip"}>
                  <input type="checkbox" checked={form.team_ids.includes(tm.id)} onChange={(e) => toggle("team_ids", tm.id, e.target.checked)} data-testid={`team-${tm.id}`} />
                  {tm.name}
                </label>
              ))}
            </div>
          ) : (
            <p className="muted small">{t("admin.sla.policies.noTeams")}</p>
          )}
          {fieldErr("teams")}
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

      <fieldset className="field escalation" data-field="escalations" data-testid="escalation">
        <legend>{t("admin.sla.policies.escalation")}</legend>
        <p className="hint">{t("admin.sla.policies.escalationHint")}</p>
        {fieldErr("escalations")}
        <div className="esc-block esc-block-warning">
          <h4 className="esc-title">
            <span className="esc-dot" aria-hidden="true" />
            {t("admin.sla.policies.aboutToMiss")}
          </h4>
          <div className="esc-field" data-field="warning_percent">
            <label htmlFor="pol-warn">{t("admin.sla.policies.warnWhen")}</label>
            <span className="percent-input">
              <input
                id="pol-warn"
                className="amount"
                inputMode="numeric"
                maxLength={4}
                value={form.warningPercent}
                aria-describedby={warningExample ? "pol-warn-example" : undefined}
                onChange={(e) => {
                  setForm({ ...form, warningPercent: e.target.value });
                  if (problem?.field === "warning_percent") setProblem(null);
                }}
                data-testid="warning-percent"
                {...invalid("warning_percent")}
              />
              <span aria-hidden="true">%</span>
            </span>
            {fieldErr("warning_percent")}
            {warningExample && (
              <p className="hint" id="pol-warn-example" data-testid="warning-example">
                {warningExample}
              </p>
            )}
          </div>
          <label className="check">
            <input type="checkbox" checked={form.escalation.warningNotify} onChange={(e) => setEscalation({ warningNotify: e.target.checked })} data-testid="warning-notify" />
            <span>{t("admin.sla.policies.notify")}</span>
          </label>
        </div>
        <div className="esc-block esc-block-breach">
          <h4 className="esc-title">
            <span className="esc-dot" aria-hidden="true" />
            {t("admin.sla.policies.missed")}
          </h4>
          <label className="check">
            <input type="checkbox" checked={form.escalation.breachNotify} onChange={(e) => setEscalation({ breachNotify: e.target.checked })} data-testid="breach-notify" />
            <span>{t("admin.sla.policies.notify")}</span>
          </label>
          <div className="esc-field esc-inline" data-field="escalation.raise_priority">
            <label htmlFor="pol-raise">{t("admin.sla.policies.raisePriority")}</label>
            <select
              id="pol-raise"
              value={form.escalation.raisePriority}
              onChange={(e) => setEscalation({ raisePriority: e.target.value as RaisePriority })}
              data-testid="breach-priority"
              {...invalid("escalation.raise_priority")}
            >
              <option value="">{t("admin.sla.policies.keepPriority")}</option>
              <option value="high">{t("priority.high")}</option>
              <option value="urgent">{t("priority.urgent")}</option>
            </select>
            {fieldErr("escalation.raise_priority")}
          </div>
          <div className="esc-field esc-inline" data-field="escalation.assign_team">
            <label htmlFor="pol-move">{t("admin.sla.policies.moveToTeam")}</label>
            <select
              id="pol-move"
              value={form.escalation.assignTeam}
              onChange={(e) => setEscalation({ assignTeam: e.target.value })}
              data-testid="breach-team"
              {...invalid("escalation.assign_team")}
            >
              <option value="">{t("admin.sla.policies.keepTeam")}</option>
              {directory.teams.map((tm) => (
                <option key={tm.id} value={String(tm.id)}>
                  {tm.name}
                </option>
              ))}
              {teamGone && <option value={form.escalation.assignTeam}>#{form.escalation.assignTeam}</option>}
            </select>
            {fieldErr("escalation.assign_team")}
          </div>
        </div>
      </fieldset>

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
