// Service levels' admin logic (Admin → Service levels), kept out of the components so it can
// be tested: the calendar and policy forms, what a save sends, minutes ↔ hours, the form field a
// server error names, and the position changes that reorder the policies.
import type {
  BusinessCalendar, CalendarException, CalendarInput, OpenInterval, Priority, SlaClock, SlaMetric, SlaPolicy, SlaPolicyInput,
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

export interface CalendarForm {
  name: string;
  time_zone: string;
  days: Record<Weekday, DayForm>;
  holidays: string[];
  /** Dated special hours are not edited here; a save keeps them as they are. */
  exceptions: CalendarException[];
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
  return { name: c.name, time_zone: c.time_zone, days, holidays: [...c.holidays], exceptions: c.exceptions.map((e) => ({ ...e })) };
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

/** What saving the calendar sends: the whole calendar (hours and holidays are replaced whole). */
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
    exceptions: form.exceptions,
  };
}

/** Where a calendar error shows: a field of the form, or one weekday's row. */
export type CalendarField = "name" | "time_zone" | "hours" | "holidays" | `day.${Weekday}`;

/** The form field a server error on a calendar names (`hours.mon[0].end` → Monday's row). */
export function calendarErrorField(field: string | undefined): CalendarField | null {
  if (!field) return null;
  if (field === "name" || field === "time_zone" || field === "hours") return field;
  const day = /^hours\.(sun|mon|tue|wed|thu|fri|sat)\b/.exec(field);
  if (day) return `day.${day[1] as Weekday}`;
  if (/^holidays\b/.test(field)) return "holidays";
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

export interface PolicyForm {
  name: string;
  priorities: Priority[];
  channels: string[];
  /** Comma- or space-separated, as typed. */
  tags: string;
  /** "" is 24/7, else a calendar's id. */
  calendar: string;
  targets: Record<SlaMetric, TargetForm>;
  /** Conditions the editor does not show (organisations, tiers, teams); a save keeps them. */
  other: Pick<SlaPolicyInput["conditions"] & object, "organisation_ids" | "customer_tiers" | "team_ids">;
}

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
  return {
    name: p?.name ?? "",
    priorities: [...(c.priorities ?? [])],
    channels: [...(c.channels ?? [])],
    tags: (c.tags ?? []).join(", "),
    calendar: p?.calendar_id == null ? "" : String(p.calendar_id),
    targets,
    other: {
      ...(c.organisation_ids?.length ? { organisation_ids: c.organisation_ids } : {}),
      ...(c.customer_tiers?.length ? { customer_tiers: c.customer_tiers } : {}),
      ...(c.team_ids?.length ? { team_ids: c.team_ids } : {}),
    },
  };
}

export const parseTags = (s: string) => [...new Set(s.split(/[,\s、，]+/).map((x) => x.trim()).filter(Boolean))];

/** Where a policy error shows. */
export type PolicyField = "name" | "priorities" | "channels" | "tags" | "calendar" | "targets" | `target.${SlaMetric}`;

/** A problem the form can see before asking the server: an amount that is not a number, no target. */
export function policyFormProblem(form: PolicyForm): { field: PolicyField; key: "number" | "targets" | "name" } | null {
  if (!form.name.trim()) return { field: "name", key: "name" };
  const on = METRICS.filter((m) => form.targets[m].enabled);
  if (!on.length) return { field: "targets", key: "targets" };
  for (const m of on) if (toMinutes(form.targets[m].amount, form.targets[m].unit) === null) return { field: `target.${m}`, key: "number" };
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
  return {
    name: form.name.trim(),
    calendar_id: form.calendar === "" ? null : Number(form.calendar),
    conditions: { priorities: form.priorities, channels: form.channels, tags: parseTags(form.tags), ...form.other },
    targets,
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
  const c = /^conditions\.(priorities|channels|tags)\b/.exec(field);
  if (c) return c[1] as PolicyField;
  return null;
}

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
