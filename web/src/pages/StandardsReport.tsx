// Reports → Service standards: how often each standard was met in a date range, overall and by
// day, team or agent. Every agent may read it; loaded on demand so the inbox's first load stays small.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { api, type ComplianceFigure, type ComplianceGroupBy, type ComplianceReport, type ServiceMetric, type StandardCompliance } from "../api";
import { useSession } from "../state";
import { linkClick } from "../lib/router";
import { stream } from "../lib/stream";
import { isCallEvent } from "../lib/calls";
import { complianceTone, dayCount, dayRows, FAIR_SHARE, GOOD_SHARE, isDate, lastDays, todayIn, type Tone } from "../lib/standards";
import { ErrorBanner, Spinner } from "../components/bits";
import { channelsText, standardSummary } from "./standardsText";
import "./standards.css";

const GROUPS: ComplianceGroupBy[] = ["day", "team", "agent"];
/** How soon after a reply or a solution the figures are asked for again. */
const REFRESH_MS = 5000;
/** The server answers for at most this many days at a time. */
const MAX_DAYS = 366;

interface Query {
  from: string;
  to: string;
  groupBy: ComplianceGroupBy;
}

/** The query in the address (so a report can be shared), else the last 7 days by day. */
function initialQuery(today: string): Query {
  const q = new URLSearchParams(location.search);
  const week = lastDays(today, 7);
  const groupBy = q.get("group_by");
  return {
    from: isDate(q.get("from")) ? q.get("from")! : week.from,
    to: isDate(q.get("to")) ? q.get("to")! : week.to,
    groupBy: GROUPS.includes(groupBy as ComplianceGroupBy) ? (groupBy as ComplianceGroupBy) : "day",
  };
}

function rangeProblem(q: Query): "badRange" | "tooLong" | null {
  if (!isDate(q.from) || !isDate(q.to) || q.from > q.to) return "badRange";
  if (dayCount(q.from, q.to) > MAX_DAYS) return "tooLong";
  return null;
}

export default function StandardsReportPage() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const today = todayIn(session.workspace.time_zone);
  const [query, setQuery] = useState<Query>(() => initialQuery(today));
  const [report, setReport] = useState<ComplianceReport | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const asked = useRef(0);
  const problem = rangeProblem(query);

  const load = useCallback(() => {
    if (rangeProblem(query)) return;
    const n = ++asked.current;
    setLoading(true);
    setError(null);
    api
      .compliance(query.from, query.to, query.groupBy)
      .then((r) => n === asked.current && setReport(r))
      .catch((e) => n === asked.current && setError(e))
      .finally(() => n === asked.current && setLoading(false));
  }, [query]);

  useEffect(() => {
    load();
    const search = `?${new URLSearchParams({ from: query.from, to: query.to, group_by: query.groupBy })}`;
    if (location.search !== search) history.replaceState(null, "", location.pathname + search);
  }, [load, query]);

  // Replies and solutions change the figures: refresh after them, at most every few seconds
  // however busy the help desk is.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = stream.subscribe((e) => {
      if (timer || !(e.type === "message.created" || e.type.startsWith("ticket.") || isCallEvent(e.type) || e.type === "stream.reset")) return;
      timer = setTimeout(() => {
        timer = null;
        load();
      }, REFRESH_MS);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [load]);

  const percent = useMemo(() => new Intl.NumberFormat(i18n.language, { style: "percent", maximumFractionDigits: 1 }), [i18n.language]);
  const whole = useMemo(() => new Intl.NumberFormat(i18n.language, { style: "percent", maximumFractionDigits: 0 }), [i18n.language]);
  const isAdmin = session.agent.role === "admin";
  const preset = (days: number) => {
    const r = lastDays(today, days);
    return query.from === r.from && query.to === r.to;
  };

  return (
    <section className="std-report page-pad" aria-labelledby="std-report-title" data-testid="standards-report">
      <div className="page-head std-report-head">
        <div>
          <h1 id="std-report-title">{t("standards.report.title")}</h1>
          <p className="muted">{t("standards.report.intro")}</p>
        </div>
        {isAdmin && report && report.standards.length > 0 && (
          <a className="btn btn-small" href="/admin/sla#standards" onClick={linkClick} data-testid="manage-standards">
            {t("standards.report.manage")}
          </a>
        )}
      </div>

      {(!report || report.standards.length > 0) && (
        <div className="card std-controls" role="search" aria-label={t("standards.report.title")}>
          <fieldset className="std-range">
            <legend className="sr-only">{t("standards.report.range")}</legend>
            <label className="std-date">
              <span>{t("standards.report.from")}</span>
              <input type="date" value={query.from} max={query.to || undefined} onChange={(e) => setQuery({ ...query, from: e.target.value })} data-testid="report-from" aria-invalid={problem ? true : undefined} />
            </label>
            <span className="std-dash" aria-hidden="true">
              –
            </span>
            <label className="std-date">
              <span>{t("standards.report.to")}</span>
              <input type="date" value={query.to} min={query.from || undefined} onChange={(e) => setQuery({ ...query, to: e.target.value })} data-testid="report-to" aria-invalid={problem ? true : undefined} />
            </label>
            {([7, 30] as const).map((days) => (
              <button
                key={days}
                type="button"
                className={preset(days) ? "btn btn-small std-preset on" : "btn btn-small std-preset"}
                aria-pressed={preset(days)}
                onClick={() => setQuery({ ...query, ...lastDays(today, days) })}
                data-testid={`report-last${days}`}
              >
                {t(`standards.report.last${days}`)}
              </button>
            ))}
          </fieldset>
          <fieldset className="std-group">
            <legend className="std-group-label">{t("standards.report.groupBy")}</legend>
            <div className="std-segmented">
              {GROUPS.map((g) => (
                <label key={g} className={query.groupBy === g ? "on" : undefined}>
                  <input type="radio" name="std-group" value={g} checked={query.groupBy === g} onChange={() => setQuery({ ...query, groupBy: g })} data-testid={`group-${g}`} />
                  {t(`standards.report.groups.${g}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <ul className="std-legend small" aria-label={t("standards.report.compliance")}>
            <li className="tone-good">{t("standards.report.legendGood", { share: whole.format(GOOD_SHARE) })}</li>
            <li className="tone-fair">{t("standards.report.legendFair", { low: whole.format(FAIR_SHARE), high: whole.format(GOOD_SHARE) })}</li>
            <li className="tone-poor">{t("standards.report.legendPoor", { share: whole.format(FAIR_SHARE) })}</li>
          </ul>
        </div>
      )}

      {problem && (
        <div className="banner banner-warn" role="alert" data-testid="range-problem">
          {t(`standards.report.${problem}`)}
        </div>
      )}
      <ErrorBanner error={error} onRetry={load} />

      {!report ? (
        !error && <Spinner />
      ) : report.standards.length === 0 ? (
        <div className="card empty-state std-empty" data-testid="standards-report-empty">
          <span className="empty-icon" aria-hidden="true">
            ◎
          </span>
          <h2>{t("standards.report.empty")}</h2>
          <p>{t(isAdmin ? "standards.report.emptyHintAdmin" : "standards.report.emptyHint")}</p>
          {isAdmin && (
            <a className="btn btn-primary" href="/admin/sla#standards" onClick={linkClick} data-testid="create-first-standard">
              {t("standards.report.emptyAdmin")}
            </a>
          )}
        </div>
      ) : (
        <>
          <p className="muted small std-zone" aria-live="polite">
            {t("standards.report.timeZone", { zone: report.time_zone })}
            {loading && <span className="std-refreshing" aria-hidden="true" />}
          </p>
          <div className="std-cards" aria-busy={loading}>
            {report.standards.map((s) => (
              <StandardCard key={s.standard_id} s={s} groupBy={report.group_by} percent={percent} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}

const toneClass = (tone: Tone) => `tone-${tone}`;

export function StandardCard({ s, groupBy, percent }: { s: StandardCompliance; groupBy: ComplianceGroupBy; percent: Intl.NumberFormat }) {
  const { t, i18n } = useTranslation();
  const tone = complianceTone(s.compliance);
  const titleId = `std-card-${s.standard_id}`;
  return (
    <article className={`card std-card ${toneClass(tone)}`} aria-labelledby={titleId} data-testid="standard-card" data-standard-id={s.standard_id}>
      <header className="std-card-head">
        <div className="std-card-names">
          <h2 className="std-card-title" id={titleId} data-testid="card-name">
            {s.name}
          </h2>
          <p className="muted small">
            {standardSummary(t, s)} · {channelsText(t, s.channels)}
          </p>
        </div>
        <div className="std-figure">
          <span className={`std-big ${toneClass(tone)}`} data-testid="card-share">
            {s.compliance == null ? "—" : percent.format(s.compliance)}
          </span>
          <span className="muted small" data-testid="card-met">
            {s.total ? t("standards.report.met", { met: s.met.toLocaleString(i18n.language), total: s.total.toLocaleString(i18n.language) }) : t("standards.report.noData")}
          </span>
          {tone !== "none" && <span className={`tone-pill ${toneClass(tone)}`}>{t(`standards.report.tones.${tone}`)}</span>}
        </div>
      </header>
      {s.total === 0 ? (
        <p className="muted small std-nodata" data-testid="card-nodata">{t("standards.report.noDataHint")}</p>
      ) : (
        <table className="std-table" aria-labelledby={titleId} data-testid="group-table">
          <thead>
            <tr>
              <th scope="col">{t(`standards.report.columns.${groupBy}`)}</th>
              <th scope="col" className="std-col-bar">
                {t("standards.report.compliance")}
              </th>
              <th scope="col" className="num">
                {t("standards.report.measured")}
              </th>
            </tr>
          </thead>
          <tbody>
            {groupBy === "day"
              ? dayRows(s.groups).map((r) =>
                r.kind === "day" ? (
                  <GroupRow key={String(r.figure.key)} g={r.figure} groupBy={groupBy} percent={percent} t={t} lang={i18n.language} metric={s.metric} />
                ) : (
                  <tr key={r.from} className="is-empty std-gap" data-testid="group-gap">
                    <th scope="row" className="std-group-name">
                      {dateRangeText(r.from, r.to, i18n.language)}
                    </th>
                    <td colSpan={2} className="muted">
                      {t("standards.report.gap", { count: r.days })}
                    </td>
                  </tr>
                ),
              )
              : s.groups.map((g) => <GroupRow key={String(g.key)} g={g} groupBy={groupBy} percent={percent} t={t} lang={i18n.language} metric={s.metric} />)}
          </tbody>
        </table>
      )}
    </article>
  );
}

const dayFormat = (lang: string) => new Intl.DateTimeFormat(lang, { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" });
const utcDate = (date: string) => {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
};

/** "Nov 18 – 23" in the reader's language. */
function dateRangeText(from: string, to: string, lang: string): string {
  const f = new Intl.DateTimeFormat(lang, { month: "short", day: "numeric", timeZone: "UTC" });
  try {
    return f.formatRange(utcDate(from), utcDate(to));
  } catch {
    return `${f.format(utcDate(from))} – ${f.format(utcDate(to))}`;
  }
}

function groupLabel(t: TFunction, g: ComplianceFigure, groupBy: ComplianceGroupBy, lang: string, metric: ServiceMetric): string {
  if (groupBy === "day" && typeof g.key === "string") return dayFormat(lang).format(utcDate(g.key));
  if (g.key == null && groupBy === "team") return t("standards.report.noTeam");
  // Nobody answered a missed call; nobody else is without an agent but a solve by the system.
  if (g.key == null) return metric === "call_answer" ? t("standards.report.missedCalls") : t("standards.report.noAgent");
  return g.label ?? `#${g.key}`;
}

function GroupRow({ g, groupBy, percent, t, lang, metric }: { g: ComplianceFigure; groupBy: ComplianceGroupBy; percent: Intl.NumberFormat; t: TFunction; lang: string; metric: ServiceMetric }) {
  const tone = complianceTone(g.compliance);
  const share = g.compliance == null ? "—" : percent.format(g.compliance);
  return (
    <tr className={g.total ? undefined : "is-empty"} data-testid="group-row" data-key={g.key == null ? "" : String(g.key)}>
      <th scope="row" className="std-group-name" data-testid="group-label">
        {groupLabel(t, g, groupBy, lang, metric)}
      </th>
      <td className="std-col-bar">
        <span className="std-bar-wrap">
          <span className="std-bar" aria-hidden="true">
            {g.compliance != null && <span className={`std-bar-fill ${toneClass(tone)}`} style={{ width: `${Math.max(g.compliance * 100, 1.5)}%` }} />}
          </span>
          <span className={`std-share ${toneClass(tone)}`} data-testid="group-share">
            {share}
          </span>
        </span>
      </td>
      <td className="num muted" data-testid="group-met">
        {g.total ? `${g.met.toLocaleString(lang)} / ${g.total.toLocaleString(lang)}` : "—"}
      </td>
    </tr>
  );
}
