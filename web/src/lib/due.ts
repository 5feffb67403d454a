// The due badge of an inbox row: the ticket's soonest running SLA target, how long until
// (or since) it is due, in the UI language.

/** One target of a ticket's SLA, as the API sends it (`ticket.sla.targets`). */
export interface SlaTarget {
  metric: "first_reply" | "next_reply" | "periodic_update" | "resolution";
  state: "inactive" | "running" | "paused" | "fulfilled";
  due_at: string | null;
  breached: boolean;
  breached_at: string | null;
}

/** A ticket's SLA (`ticket.sla`); null when no policy applies. */
export interface TicketSla {
  policy_id: number;
  next_due_at: string | null;
  targets: SlaTarget[];
}

/** breached: past due (red); soon: due within the hour; later; paused: waiting on the customer. */
export type DueTone = "breached" | "soon" | "later" | "paused";

export interface Due {
  tone: DueTone;
  metric: SlaTarget["metric"];
  /** Milliseconds until due (negative once past); 0 when paused. */
  ms: number;
  at: string | null;
}

export const SOON_MS = 60 * 60 * 1000;

/** The badge for a ticket's SLA at `now`: its soonest running target, else a paused one, else none. */
export function dueOf(sla: TicketSla | null | undefined, now: number): Due | null {
  if (!sla) return null;
  let soonest: { target: SlaTarget; at: number } | null = null;
  for (const target of sla.targets) {
    if (target.state !== "running" || !target.due_at) continue;
    const at = Date.parse(target.due_at);
    if (Number.isNaN(at)) continue;
    if (!soonest || at < soonest.at) soonest = { target, at };
  }
  if (soonest) {
    const ms = soonest.at - now;
    const tone: DueTone = ms < 0 || soonest.target.breached ? "breached" : ms <= SOON_MS ? "soon" : "later";
    return { tone, metric: soonest.target.metric, ms, at: soonest.target.due_at };
  }
  const paused = sla.targets.find((t) => t.state === "paused");
  return paused ? { tone: "paused", metric: paused.metric, ms: 0, at: null } : null;
}

/** A length of time in whole minutes (under an hour), hours (under two days) or days. */
export function span(ms: number): { unit: "minutes" | "hours" | "days"; count: number } {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  if (minutes < 60) return { unit: "minutes", count: minutes };
  const hours = Math.round(minutes / 60);
  if (hours < 48) return { unit: "hours", count: hours };
  return { unit: "days", count: Math.round(hours / 24) };
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** "due in 2 h", "overdue by 15 min", "paused" (keys under inbox.due, see i18n/sla). */
export function dueLabel(t: Translate, due: Due): string {
  if (due.tone === "paused") return t("inbox.due.paused");
  const { unit, count } = span(due.ms);
  const time = t(`inbox.due.${unit}`, { count });
  return due.tone === "breached" ? t("inbox.due.overdue", { time }) : t("inbox.due.in", { time });
}

/** The badge's tooltip: which target, e.g. "First reply due in 2 h". */
export function dueTitle(t: Translate, due: Due): string {
  return t("inbox.due.title", { metric: t(`inbox.due.metrics.${due.metric}`), label: dueLabel(t, due) });
}

/** An SLA event in a ticket's timeline (`sla.warning`, `sla.breached`), worded; null for any other event. */
export interface SlaEventView {
  tone: "warning" | "breached";
  text: string;
  /** When the target is due, as ISO text; null when the event does not say. */
  dueAt: string | null;
}

/**
 * "First reply is due in 15 min" (how long was left when the warning came) or "First reply
 * target missed", from the event's `data: {metric, due_at}` (keys under timeline.sla*, see i18n/sla).
 */
export function slaEventView(t: Translate, type: string, data: Record<string, unknown>, createdAt: string): SlaEventView | null {
  if (type !== "sla.warning" && type !== "sla.breached") return null;
  const metricKey = typeof data.metric === "string" ? data.metric : "";
  const metric = metricKey ? t(`inbox.due.metrics.${metricKey}`, { defaultValue: metricKey }) : "SLA";
  const dueAt = typeof data.due_at === "string" && !Number.isNaN(Date.parse(data.due_at)) ? data.due_at : null;
  if (type === "sla.breached") return { tone: "breached", text: t("timeline.slaBreached", { metric }), dueAt };
  const left = dueAt ? Date.parse(dueAt) - Date.parse(createdAt) : NaN;
  if (!(left > 0)) return { tone: "warning", text: t("timeline.slaWarningSoon", { metric }), dueAt };
  const { unit, count } = span(left);
  return { tone: "warning", text: t("timeline.slaWarning", { metric, time: t(`inbox.due.${unit}`, { count }) }), dueAt };
}
