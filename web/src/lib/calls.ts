// Phone calls (C18) on the ticket timeline: a call.* event in words for an agent ("Answered by
// Ana after 12 s", "Call ended after 4 min 12 s"). docs/voice.md lists what each event carries.
import type { TFunction } from "i18next";

export const CALL_EVENTS = ["call.ringing", "call.answered", "call.hold", "call.resumed", "call.ended"] as const;

export const isCallEvent = (type: string): boolean => (CALL_EVENTS as readonly string[]).includes(type);

/** "45 s", "4 min", "4 min 12 s" (whole seconds, rounded down). */
export function callDuration(t: TFunction, ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  if (total < 60) return t("timeline.call.seconds", { s: total });
  if (total % 60 === 0) return t("timeline.call.minutesOnly", { m: total / 60 });
  return t("timeline.call.minutes", { m: Math.floor(total / 60), s: total % 60 });
}

export interface CallEventView {
  /** ringing, answered, hold, resumed, ended, missed: the icon and colour. */
  kind: string;
  text: string;
  /** When it happened by the phone system's clock (the event is recorded when it is heard of). */
  at: string | null;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Names of the agents and teams a call event refers to by id. */
export interface CallNames {
  agent: (id: number) => string;
  team: (id: number) => string;
}

/** A call event in words, or null for any other event. */
export function callEventView(t: TFunction, type: string, data: Record<string, unknown>, names: CallNames): CallEventView | null {
  if (!isCallEvent(type)) return null;
  const at = typeof data.at === "string" && !Number.isNaN(Date.parse(data.at)) ? data.at : null;
  return { ...callEventText(t, type, data, names), at };
}

function callEventText(t: TFunction, type: string, data: Record<string, unknown>, names: CallNames): Omit<CallEventView, "at"> {
  const dur = (v: unknown) => callDuration(t, num(v) ?? 0);
  const agent = num(data.agent_id);
  switch (type) {
    case "call.ringing": {
      const outbound = data.direction === "outbound";
      const number = String((outbound ? data.to : data.from) ?? "");
      const team = num(data.team_id);
      if (outbound) return { kind: "ringing", text: t("timeline.call.dialled", { number }) };
      return {
        kind: "ringing",
        text: team == null ? t("timeline.call.rang", { number }) : t("timeline.call.rangTeam", { number, team: names.team(team) }),
      };
    }
    case "call.answered":
      return { kind: "answered", text: t("timeline.call.answered", { agent: agent == null ? "—" : names.agent(agent), wait: dur(data.wait_ms) }) };
    case "call.hold":
      return { kind: "hold", text: t("timeline.call.hold") };
    case "call.resumed":
      return { kind: "resumed", text: t("timeline.call.resumed", { hold: dur(data.hold_ms) }) };
    default: {
      if (data.answered === false) {
        const key = data.direction === "outbound" ? "timeline.call.notAnswered" : "timeline.call.missed";
        return { kind: "missed", text: t(key, { ring: dur(data.ring_ms) }) };
      }
      const hold = num(data.total_hold_ms) ?? 0;
      return {
        kind: "ended",
        text: hold > 0 ? t("timeline.call.endedHold", { talk: dur(data.talk_ms), hold: dur(hold) }) : t("timeline.call.ended", { talk: dur(data.talk_ms) }),
      };
    }
  }
}
