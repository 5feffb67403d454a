// Service standards (capability C3), kept out of the components so it can be tested: the
// standard form and what a save sends, seconds ↔ the units people type, the form field a server
// error names, the report's date range and how a compliance share is coloured.
import type { ComplianceFigure, ServiceMetric, ServiceStandard, ServiceStandardInput, SlaClock } from "../api";

export const STANDARD_METRICS: ServiceMetric[] = ["first_reply", "next_reply", "resolution", "call_answer", "call_hold"];
/** Seconds on the phone: always elapsed time (the server refuses business hours for them). */
export const isCallMetric = (metric: ServiceMetric): boolean => metric === "call_answer" || metric === "call_hold";
/** The channels a standard can name; a standard naming another one keeps it. */
export const STANDARD_CHANNELS = ["chat", "email", "phone", "web", "form", "sms", "api"] as const;
/** The server refuses longer targets (30 days). */
export const MAX_TARGET_SECONDS = 30 * 86_400;

// ─── Targets in the units people think in ──────────────────────────────────────────

export type TargetUnit = "seconds" | "minutes" | "hours" | "days";
const UNIT_SECONDS: Record<TargetUnit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

/**
 * The units a target can be typed in. A business day is not 24 business hours, so targets
 * counted in business hours are never shown or typed in days.
 */
export function targetUnits(clock: SlaClock): TargetUnit[] {
  return clock === "business" ? ["seconds", "minutes", "hours"] : ["seconds", "minutes", "hours", "days"];
}

/**
 * Seconds as people say them: up to 90 in seconds (chat greetings), else in the largest unit
 * that holds them whole — 3600 → 1 hour, 5400 → 90 minutes, 86400 → 1 day (24 hours in business time).
 */
export function splitSeconds(seconds: number, clock: SlaClock = "calendar"): { count: number; unit: TargetUnit } {
  if (seconds <= 90) return { count: seconds, unit: "seconds" };
  for (const unit of [...targetUnits(clock)].reverse()) {
    const size = UNIT_SECONDS[unit];
    if (seconds % size === 0) return { count: seconds / size, unit };
  }
  return { count: seconds, unit: "seconds" };
}

/** The seconds an amount stands for ("1.5" hours = 5400), or null when it is not a number. Rounded to whole seconds. */
export function toSeconds(amount: string, unit: TargetUnit): number | null {
  const s = amount.trim().replace(",", ".");
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(s)) return null;
  return Math.round(Number(s) * UNIT_SECONDS[unit]);
}

// ─── The standard form ─────────────────────────────────────────────────────────────

export interface StandardForm {
  name: string;
  metric: ServiceMetric;
  /** Empty covers every channel. */
  channels: string[];
  /** As typed; may have a fraction (1.5 hours). */
  amount: string;
  unit: TargetUnit;
  clock: SlaClock;
  /** "" is 24/7, else a calendar's id; only used when the clock is business. */
  calendar: string;
}

/** The form for a new standard (first reply within 1 business hour), or filled in from one. */
export function standardForm(s?: ServiceStandard): StandardForm {
  if (!s) return { name: "", metric: "first_reply", channels: [], amount: "1", unit: "hours", clock: "business", calendar: "" };
  const { count, unit } = splitSeconds(s.target_seconds, s.clock);
  return {
    name: s.name,
    metric: s.metric,
    channels: [...s.channels],
    amount: String(count),
    unit,
    clock: s.clock,
    calendar: s.calendar_id == null ? "" : String(s.calendar_id),
  };
}

/** Examples an admin can start from: a chat greeting within a minute, an email reply within a business hour, solved in 2 days. */
export const STANDARD_EXAMPLES = {
  chatGreeting: { metric: "first_reply", channels: ["chat"], amount: "60", unit: "seconds", clock: "calendar" },
  emailReply: { metric: "first_reply", channels: ["email"], amount: "1", unit: "hours", clock: "business" },
  resolution: { metric: "resolution", channels: [], amount: "2", unit: "days", clock: "calendar" },
  callAnswer: { metric: "call_answer", channels: ["phone"], amount: "15", unit: "seconds", clock: "calendar" },
  callHold: { metric: "call_hold", channels: ["phone"], amount: "30", unit: "seconds", clock: "calendar" },
} as const satisfies Record<string, Omit<StandardForm, "name" | "calendar">>;

/**
 * The form measuring another metric. A call metric counts elapsed time and, when no channel
 * was chosen, the phone; leaving calls drops that phone-only default again.
 */
export function withMetric(form: StandardForm, metric: ServiceMetric): StandardForm {
  const phoneOnly = form.channels.length === 1 && form.channels[0] === "phone";
  if (isCallMetric(metric)) return { ...form, metric, clock: "calendar", channels: form.channels.length ? form.channels : ["phone"] };
  if (isCallMetric(form.metric) && phoneOnly) return { ...form, metric, channels: [] };
  return { ...form, metric };
}

/** The form with another clock: a target in days becomes hours when counted in business hours. */
export function withClock(form: StandardForm, clock: SlaClock): StandardForm {
  if (clock === "business" && form.unit === "days") {
    const seconds = toSeconds(form.amount, "days");
    return { ...form, clock, unit: "hours", amount: seconds === null ? form.amount : String(seconds / 3600) };
  }
  return { ...form, clock };
}

export type StandardField = "name" | "metric" | "channels" | "target" | "clock" | "calendar";

/** A problem the form can see before asking the server; a number out of range is left to the server. */
export function standardFormProblem(form: StandardForm): { field: StandardField; key: "name" | "number" } | null {
  if (!form.name.trim()) return { field: "name", key: "name" };
  if (toSeconds(form.amount, form.unit) === null) return { field: "target", key: "number" };
  return null;
}

/** What saving sends: the whole standard. Elapsed time needs no calendar, so none is sent with it. */
export function standardRequest(form: StandardForm): Required<Omit<ServiceStandardInput, "position">> {
  return {
    name: form.name.trim(),
    metric: form.metric,
    channels: [...form.channels].sort(),
    target_seconds: toSeconds(form.amount, form.unit) ?? 0,
    clock: form.clock,
    calendar_id: form.clock === "business" && form.calendar !== "" ? Number(form.calendar) : null,
  };
}

/** The form field a server error names (`channels[1]` → the channels). */
export function standardErrorField(field: string | undefined): StandardField | null {
  if (!field) return null;
  if (field === "name" || field === "metric" || field === "clock") return field;
  if (field === "target_seconds") return "target";
  if (field === "calendar_id") return "calendar";
  if (/^channels\b/.test(field)) return "channels";
  return null;
}

/** Standards in the order the server lists them: by position, then id. */
export const byStandardPosition = (a: ServiceStandard, b: ServiceStandard) => a.position - b.position || a.id - b.id;

// ─── The report ────────────────────────────────────────────────────────────────────

/** At or above: meets the standard. */
export const GOOD_SHARE = 0.9;
/** At or above (and below GOOD_SHARE): worth watching. */
export const FAIR_SHARE = 0.75;

export type Tone = "good" | "fair" | "poor" | "none";

/** How a share is coloured: green from 90 %, amber from 75 %, red below, grey without data. */
export function complianceTone(share: number | null): Tone {
  if (share == null) return "none";
  if (share >= GOOD_SHARE) return "good";
  if (share >= FAIR_SHARE) return "fair";
  return "poor";
}

/** Today's date (`YYYY-MM-DD`) in a time zone; the browser's when the zone is unknown. */
export function todayIn(timeZone: string, now = new Date()): string {
  const format = (tz?: string) =>
    new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
  try {
    return format(timeZone);
  } catch {
    return format();
  }
}

/** `date` moved by `days` (`YYYY-MM-DD`, calendar arithmetic). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export const isDate = (s: string | null | undefined): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && addDays(s, 0) === s;

/** The last `days` days, today included. */
export function lastDays(today: string, days: number): { from: string; to: string } {
  return { from: addDays(today, -(days - 1)), to: today };
}

/** The days `from`…`to` count, both included (0 when `to` is before `from`). */
export function dayCount(from: string, to: string): number {
  const ms = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`);
  return Math.max(0, Math.round(ms / 86_400_000) + 1);
}

/** A row of the by-day table: one day, or a run of days with nothing measured. */
export type DayRow = { kind: "day"; figure: ComplianceFigure } | { kind: "gap"; from: string; to: string; days: number };

/** The days as table rows: runs of at least `minGap` days with nothing measured become one row. */
export function dayRows(days: ComplianceFigure[], minGap = 3): DayRow[] {
  const out: DayRow[] = [];
  let run: ComplianceFigure[] = [];
  const flush = () => {
    if (run.length >= minGap) out.push({ kind: "gap", from: String(run[0].key), to: String(run[run.length - 1].key), days: run.length });
    else for (const figure of run) out.push({ kind: "day", figure });
    run = [];
  };
  for (const figure of days) {
    if (figure.total === 0) run.push(figure);
    else {
      flush();
      out.push({ kind: "day", figure });
    }
  }
  flush();
  return out;
}
