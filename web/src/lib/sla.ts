// Service levels' admin logic (Admin → Service levels), kept out of the components so it can
// be tested: the calendar and policy forms, what a save sends, minutes ↔ hours, the form field a
// server error names, and the position changes that reorder the policies.
import type {
  BusinessCalendar, CalendarInput, OpenInterval, Priority, SlaClock, SlaEscalations, SlaMetric, SlaPolicy, SlaPolicyInput,
  SlaTargetSpec, Weekday,
} from "../api";

/** Weekdays in the order the editor shows them (the week starts on Monday). */
export const WEEKDAYS: Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
export const METRICS: SlaMetric[] = ["first_reply", "next_reply", "periodic_update", "resolution"];
/** The channels a policy can name; a policy naming another one keeps it. */
export const SLA_CHANNELS = ["email", "web", "api", "chat", "phone", "sms", "form"] as const;
/** Time zones offered first; anything else can be typed. */
export const COMMON_TIME_ZONES = [
  "Asia/Tokyo", "Asia/Seoul", "Asia/Ho_Chi_Minh", "Asia/Singapore", "Asia/Shanghai", "Asia/Kolkata", "Australia/Sydney",
  "Europe/London", "Europe/Paris", "Europe/Berlin", "America/New_York", "America/Chicago", "America/Denver",
  "America/Los_Angeles", "America/Sao_Paulo", "UTC",
] as const;

// ─── Business calendars ─────────────────────────────────────────────────────────────

export interface DayForm {
  open: boolean;
  /** Kept while the day is closed, so reopening it brings its hours back. */
  intervals: OpenInterval[];
}

/** A date with its own hours instead of the weekday's (a short day before New Year), or closed. */
export interface ExceptionForm {
  /** `YYYY-MM-DD` in the calendar's time zone. */
  date: string;
  closed: boolean;
  /** Kept while the date is closed, so opening it again brings its hours back. */
  intervals: OpenInterval[];
}

export interface CalendarForm {
  name: string;
  time_zone: string;
  days: Record<Weekday, DayForm>;
  holidays: string[];
  /** Sorted by date, one per date. */
  exceptions: ExceptionForm[];
}

const OFFICE: OpenInterval = { start: "09:00", end: "18:00" };

/** `24:00` (midnight) as a time input can hold it: an end at or before the start ends the next day. */
const inputTime = (s: string) => (s === "24:00" ? "00:00" : s);

/** The form for a new calendar (Mon–Fri 9:00–18:00 in `timeZone`), or filled in from one. */
export function calendarForm(c?: BusinessCalendar, timeZone = "UTC"): CalendarForm {
  if (!c) return officeHours({ name: "", time_zone: timeZone, days: closedWeek(), holidays: [], exceptions: [] });
  const days = closedWeek();
  for (const d of WEEKDAYS) {
    const list = c.hours[d] ?? [];
    days[d] = list.length
      ? { open: true, intervals: list.map((i) => ({ start: i.start, end: inputTime(i.end) })) }
      : { open: false, intervals: [{ ...OFFICE }] };
  }
  const exceptions = c.exceptions
    .map((e): ExceptionForm => {
      const list = e.hours ?? [];
      return list.length
        ? { date: e.date, closed: false, intervals: list.map((i) => ({ start: i.start, end: inputTime(i.end) })) }
        : { date: e.date, closed: true, intervals: [{ ...OFFICE }] };
    })
    .sort((a, b) => a.date.localeCompare(b.date));
  return { name: c.name, time_zone: c.time_zone, days, holidays: [...c.holidays], exceptions };
}

function closedWeek(): Record<Weekday, DayForm> {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, { open: false, intervals: [{ ...OFFICE }] }])) as Record<Weekday, DayForm>;
}

/** The "Mon–Fri 9:00–18:00" preset: weekdays open those hours, the weekend closed. */
export function officeHours(form: CalendarForm): CalendarForm {
  const days = closedWeek();
  for (const d of ["mon", "tue", "wed", "thu", "fri"] as const) days[d] = { open: true, intervals: [{ ...OFFICE }] };
  return { ...form, days };
}

/** Adds a holiday (a `YYYY-MM-DD` date) once, keeping the list sorted. */
export function addHoliday(holidays: string[], date: string): string[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || holidays.includes(date)) return holidays;
  return [...holidays, date].sort();
}

/** The weekday (sun…sat) of a `YYYY-MM-DD` date. */
export function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split("-").map(Number);
  return (["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const)[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
}

/**
 * Adds a special date (a `YYYY-MM-DD` date) once, keeping the list sorted. It starts with that
 * weekday's hours as the form has them (9:00–18:00 when the weekday is closed), ready to shorten.
 */
export function addException(form: CalendarForm, date: string): CalendarForm {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || form.exceptions.some((e) => e.date === date)) return form;
  const day = form.days[weekdayOf(date)];
  const intervals = day.open && day.intervals.length ? day.intervals.map((i) => ({ ...i })) : [{ ...OFFICE }];
  const exceptions = [...form.exceptions, { date, closed: false, intervals }].sort((a, b) => a.date.localeCompare(b.date));
  return { ...form, exceptions };
}

/** What saving the calendar sends: the whole calendar (hours, holidays and special dates are replaced whole). */
export function calendarRequest(form: CalendarForm): CalendarInput {
  const hours: CalendarInput["hours"] = {};
  for (const d of WEEKDAYS) {
    const day = form.days[d];
    if (day.open && day.intervals.length) hours[d] = day.intervals.map((i) => ({ start: i.start, end: i.end }));
  }
  return {
    name: form.name.trim(),
    time_zone: form.time_zone.trim(),
    hours,
    holidays: [...new Set(form.holidays)].sort(),
    exceptions: form.exceptions.map((e) => ({ date: e.date, hours: e.closed ? [] : e.intervals.map((i) => ({ start: i.start, end: i.end })) })),
  };
}

/** Where a calendar error shows: a field of the form, one weekday's row or one special date's row. */
export type CalendarField = "name" | "time_zone" | "hours" | "holidays" | "exceptions" | `day.${Weekday}` | `exception.${string}`;

/**
 * The form field a server error on a calendar names: `hours.mon[0].end` → Monday's row,
 * `exceptions[1].hours[0].end` → the row of the date sent second in `sent`.
 */
export function calendarErrorField(field: string | undefined, sent?: CalendarInput): CalendarField | null {
  if (!field) return null;
  if (field === "name" || field === "time_zone" || field === "hours") return field;
  const day = /^hours\.(sun|mon|tue|wed|thu|fri|sat)\b/.exec(field);
  if (day) return `day.${day[1] as Weekday}`;
  if (/^holidays\b/.test(field)) return "holidays";
  const exception = /^exceptions\[(\d+)\]/.exec(field);
  if (exception) {
    const date = sent?.exceptions?.[Number(exception[1])]?.date;
    return date ? `exception.${date}` : "exceptions";
  }
  if (/^exceptions\b/.test(field)) return "exceptions";
  return null;
}

/** A short summary of the week for the list: runs of days with the same hours ("Mon–Fri 09:00–18:00"). */
export function weekSummary(hours: BusinessCalendar["hours"], dayName: (d: Weekday) => string): string[] {
  const key = (d: Weekday) => (hours[d] ?? []).map((i) => `${i.start}–${i.end}`).join(", ");
  const out: string[] = [];
  let i = 0;
  while (i < WEEKDAYS.length) {
    const k = key(WEEKDAYS[i]);
    let j = i;
    while (j + 1 < WEEKDAYS.length && key(WEEKDAYS[j + 1]) === k) j++;
    if (k) out.push(`${dayName(WEEKDAYS[i])}${j > i ? `–${dayName(WEEKDAYS[j])}` : ""} ${k}`);
    i = j + 1;
  }
  return out;
}

// ─── SLA policies ───────────────────────────────────────────────────────────────────

export type TimeUnit = "minutes" | "hours";

export interface TargetForm {
  enabled: boolean;
  /** As typed; hours may have a fraction (1.5 h = 90 min). */
  amount: string;
  unit: TimeUnit;
  clock: SlaClock;
}

export type RaisePriority = "" | "high" | "urgent";

export interface EscalationForm {
  /** Email the assignee (or the supervisors and admins) when a target is about to be missed. */
  warningNotify: boolean;
  /** Email the assignee (or the supervisors and admins) when a target is missed. */
  breachNotify: boolean;
  /** "" leaves the priority as it is. */
  raisePriority: RaisePriority;
  /** "" leaves the team as it is, else a team's id. */
  assignTeam: string;
}

export interface PolicyForm {
  name: string;
  priorities: Priority[];
  channels: string[];
  /** Comma- or space-separated, as typed. */
  tags: string;
  organisation_ids: number[];
  /** Lower-case, once each. */
  customer_tiers: string[];
  team_ids: number[];
  /** "" is 24/7, else a calendar's id. */
  calendar: string;
  targets: Record<SlaMetric, TargetForm>;
  /** As typed: a whole number from 1 to 99. */
  warningPercent: string;
  escalation: EscalationForm;
}

export const DEFAULT_WARNING_PERCENT = 75;
export const DEFAULT_ESCALATIONS: SlaEscalations = {
  warning: { notify: true },
  breach: { notify: true, raise_priority: null, assign_team_id: null },
};

/** Minutes as the editor shows them: whole hours in hours, anything else in minutes. */
export function splitMinutes(minutes: number): { amount: string; unit: TimeUnit } {
  if (minutes > 0 && minutes % 60 === 0) return { amount: String(minutes / 60), unit: "hours" };
  return { amount: String(minutes), unit: "minutes" };
}

/** The minutes an amount stands for, or null when it is not a number. Rounded to whole minutes. */
export function toMinutes(amount: string, unit: TimeUnit): number | null {
  const s = amount.trim().replace(",", ".");
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(s)) return null;
  const n = Number(s);
  return Math.round(unit === "hours" ? n * 60 : n);
}

const DEFAULT_TARGET: Record<SlaMetric, { amount: string; unit: TimeUnit }> = {
  first_reply: { amount: "1", unit: "hours" },
  next_reply: { amount: "4", unit: "hours" },
  periodic_update: { amount: "24", unit: "hours" },
  resolution: { amount: "48", unit: "hours" },
};

/** The form for a new policy (a first-reply target of 1 hour), or filled in from one. */
export function policyForm(p?: SlaPolicy): PolicyForm {
  const targets = Object.fromEntries(
    METRICS.map((m) => {
      const spec = p?.targets.find((x) => x.metric === m);
      return [
        m,
        spec
          ? { enabled: true, ...splitMinutes(spec.minutes), clock: spec.clock ?? "business" }
          : { enabled: !p && m === "first_reply", ...DEFAULT_TARGET[m], clock: "business" as SlaClock },
      ];
    }),
  ) as Record<SlaMetric, TargetForm>;
  const c = p?.conditions ?? {};
  const e = p?.escalations ?? DEFAULT_ESCALATIONS;
  return {
    name: p?.name ?? "",
    priorities: [...(c.priorities ?? [])],
    channels: [...(c.channels ?? [])],
    tags: (c.tags ?? []).join(", "),
    organisation_ids: [...(c.organisation_ids ?? [])],
    customer_tiers: [...(c.customer_tiers ?? [])],
    team_ids: [...(c.team_ids ?? [])],
    calendar: p?.calendar_id == null ? "" : String(p.calendar_id),
    targets,
    warningPercent: String(p?.warning_percent ?? DEFAULT_WARNING_PERCENT),
    escalation: {
      warningNotify: e.warning.notify,
      breachNotify: e.breach.notify,
      raisePriority: e.breach.raise_priority ?? "",
      assignTeam: e.breach.assign_team_id == null ? "" : String(e.breach.assign_team_id),
    },
  };
}

export const parseTags = (s: string) => [...new Set(s.split(/[,\s、，]+/).map((x) => x.trim()).filter(Boolean))];

/**
 * A tier as the server keeps it on customers and policies: trimmed, A–Z in lower case
 * ("Gold " → "gold"); other letters as typed, so a policy's tier matches a customer's.
 */
export const normaliseTier = (s: string) => s.trim().replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** Adds typed tiers (several may be separated by commas) to a list, once each. */
export function addTiers(list: string[], typed: string): string[] {
  const out = [...list];
  for (const part of typed.split(/[,、，]/)) {
    const tier = normaliseTier(part);
    if (tier && !out.includes(tier)) out.push(tier);
  }
  return out;
}

/** Where a policy error shows. */
export type PolicyField =
  | "name" | "priorities" | "channels" | "tags" | "organisations" | "tiers" | "teams" | "calendar" | "targets" | `target.${SlaMetric}`
  | "warning_percent" | "escalations" | "escalation.raise_priority" | "escalation.assign_team";

/** The warning share as a whole number, or null when it is not one. */
export function toPercent(typed: string): number | null {
  const s = typed.trim().replace(/%$/, "").trim();
  return /^\d{1,3}$/.test(s) ? Number(s) : null;
}

/** A problem the form can see before asking the server: an amount that is not a number, no target. */
export function policyFormProblem(form: PolicyForm): { field: PolicyField; key: "number" | "targets" | "name" | "percent" } | null {
  if (!form.name.trim()) return { field: "name", key: "name" };
  const on = METRICS.filter((m) => form.targets[m].enabled);
  if (!on.length) return { field: "targets", key: "targets" };
  for (const m of on) if (toMinutes(form.targets[m].amount, form.targets[m].unit) === null) return { field: `target.${m}`, key: "number" };
  if (toPercent(form.warningPercent) === null) return { field: "warning_percent", key: "percent" };
  return null;
}

/**
 * What saving the policy sends: the whole policy (conditions and targets are replaced whole),
 * targets in the metrics' order. An amount that is not a number is sent as 0 (refused, on its field).
 */
export function policyRequest(form: PolicyForm): SlaPolicyInput {
  const targets: SlaTargetSpec[] = METRICS.filter((m) => form.targets[m].enabled).map((m) => {
    const tf = form.targets[m];
    return { metric: m, minutes: toMinutes(tf.amount, tf.unit) ?? 0, clock: tf.clock };
  });
  const e = form.escalation;
  return {
    name: form.name.trim(),
    calendar_id: form.calendar === "" ? null : Number(form.calendar),
    conditions: {
      priorities: form.priorities,
      channels: form.channels,
      tags: parseTags(form.tags),
      organisation_ids: form.organisation_ids,
      customer_tiers: form.customer_tiers,
      team_ids: form.team_ids,
    },
    targets,
    warning_percent: toPercent(form.warningPercent) ?? 0,
    escalations: {
      warning: { notify: e.warningNotify },
      breach: {
        notify: e.breachNotify,
        raise_priority: e.raisePriority === "" ? null : e.raisePriority,
        assign_team_id: e.assignTeam === "" ? null : Number(e.assignTeam),
      },
    },
  };
}

/** The form field a server error on a policy names (`targets[0].minutes` → that target's row). */
export function policyErrorField(field: string | undefined, sent: SlaPolicyInput): PolicyField | null {
  if (!field) return null;
  if (field === "name") return "name";
  if (field === "calendar_id") return "calendar";
  const t = /^targets\[(\d+)\]/.exec(field);
  if (t) {
    const metric = sent.targets?.[Number(t[1])]?.metric;
    return metric ? `target.${metric}` : "targets";
  }
  if (field === "targets") return "targets";
  const c = /^conditions\.(priorities|channels|tags|organisation_ids|customer_tiers|team_ids)\b/.exec(field);
  if (c) return CONDITION_FIELDS[c[1]];
  if (field === "warning_percent") return "warning_percent";
  if (/^escalations\.breach\.raise_priority\b/.test(field)) return "escalation.raise_priority";
  if (/^escalations\.breach\.assign_team_id\b/.test(field)) return "escalation.assign_team";
  if (/^escalations\b/.test(field)) return "escalations";
  return null;
}

const CONDITION_FIELDS: Record<string, PolicyField> = {
  priorities: "priorities", channels: "channels", tags: "tags", organisation_ids: "organisations", customer_tiers: "tiers", team_ids: "teams",
};

/**
 * The position changes that move policy `index` one place up (-1) or down (+1): every policy
 * gets its place in the new order as its position, and only those whose position changes are sent.
 */
export function movePlan(policies: SlaPolicy[], index: number, dir: -1 | 1): { id: number; position: number; version: number }[] {
  const to = index + dir;
  if (index < 0 || index >= policies.length || to < 0 || to >= policies.length) return [];
  const order = [...policies];
  [order[index], order[to]] = [order[to], order[index]];
  return order.flatMap((p, i) => (p.position === i ? [] : [{ id: p.id, position: i, version: p.version }]));
}

/** Policies in matching order: by position, then id (as the server matches them). */
export const byPosition = (a: SlaPolicy, b: SlaPolicy) => a.position - b.position || a.id - b.id;
