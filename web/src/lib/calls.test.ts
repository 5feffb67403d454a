import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import { callDuration, callEventView, isCallEvent } from "./calls";

const names = { agent: (id: number) => (id === 7 ? "Ana" : `#${id}`), team: (id: number) => (id === 2 ? "Phone desk" : `#${id}`) };

describe("call events on the timeline", () => {
  const t = i18n.getFixedT("en");

  it("durations read in seconds, then minutes and seconds", () => {
    expect(callDuration(t, 12_400)).toBe("12 s");
    expect(callDuration(t, 60_000)).toBe("1 min");
    expect(callDuration(t, 252_999)).toBe("4 min 12 s");
    expect(callDuration(t, -5)).toBe("0 s");
  });

  it("words each event of a call", () => {
    const view = (type: string, data: Record<string, unknown>) => callEventView(t, type, data, names);
    expect(view("call.ringing", { direction: "inbound", from: "+81 90-1234-5678", team_id: 2, at: "2026-12-06T09:15:02.250Z" })).toEqual({
      kind: "ringing",
      text: "Incoming call from +81 90-1234-5678 for Phone desk",
      at: "2026-12-06T09:15:02.250Z",
    });
    expect(view("call.ringing", { direction: "outbound", from: "1001", to: "+84901234567" })?.text).toBe("Outgoing call to +84901234567");
    expect(view("call.answered", { agent_id: 7, wait_ms: 12_000 })?.text).toBe("Answered by Ana after 12 s");
    expect(view("call.hold", { agent_id: 7 })?.kind).toBe("hold");
    expect(view("call.resumed", { hold_ms: 45_000 })?.text).toBe("Back from hold after 45 s");
    expect(view("call.ended", { answered: true, talk_ms: 252_000, total_hold_ms: 0 })?.text).toBe("Call ended after 4 min 12 s");
    expect(view("call.ended", { answered: true, talk_ms: 252_000, total_hold_ms: 45_000 })?.text).toBe(
      "Call ended after 4 min 12 s (45 s on hold)",
    );
    expect(view("call.ended", { answered: false, ring_ms: 5_000, direction: "inbound", at: "not a time" })).toEqual({
      kind: "missed",
      text: "Missed call: the caller hung up after 5 s of ringing",
      at: null,
    });
    expect(view("ticket.updated", {})).toBeNull();
    expect(isCallEvent("call.ringing") && !isCallEvent("call.transferred")).toBe(true);
  });

  it("speaks Japanese, Korean and Vietnamese too", () => {
    const data = { agent_id: 7, wait_ms: 75_000 };
    expect(callEventView(i18n.getFixedT("ja"), "call.answered", data, names)?.text).toBe("Anaが 1 分 15 秒 で応答");
    expect(callEventView(i18n.getFixedT("ko"), "call.answered", data, names)?.text).toBe("Ana 님이 1분 15초 만에 응답");
    expect(callEventView(i18n.getFixedT("vi"), "call.answered", data, names)?.text).toBe("Ana đã nghe máy sau 1 phút 15 giây");
  });
});
