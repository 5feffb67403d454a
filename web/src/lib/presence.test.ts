import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { activePresence, applyPresence, prunePresence, PresenceReporter, EXPIRE_MS, HEARTBEAT_MS, type PresenceMap } from "./presence";

const ev = (actor: number, state: string, ticket = 7) => ({
  type: "presence", ticket_id: ticket, actor_type: "agent", actor_id: actor, data: { state },
});

describe("presence store", () => {
  it("keeps colleagues, never me, and drops entries after 60 s", () => {
    const m: PresenceMap = new Map();
    expect(applyPresence(m, ev(1, "viewing"), 0)).toBe(true);
    expect(applyPresence(m, ev(2, "replying"), 1000)).toBe(true);
    expect(applyPresence(m, ev(3, "viewing", 8), 1000)).toBe(true);
    expect(activePresence(m, 7, 1, 2000).map((e) => [e.agentId, e.state])).toEqual([[2, "replying"]]);
    expect(activePresence(m, 7, 99, 2000).map((e) => e.agentId)).toEqual([2, 1]); // replying first
    expect(activePresence(m, 7, 99, EXPIRE_MS + 500).map((e) => e.agentId)).toEqual([2]);
    expect(prunePresence(m, EXPIRE_MS + 1500)).toBe(true);
    expect(activePresence(m, 7, 99, EXPIRE_MS + 1500)).toEqual([]);
  });
  it("forgets an agent who left and ignores other events", () => {
    const m: PresenceMap = new Map();
    applyPresence(m, ev(2, "viewing"), 0);
    expect(applyPresence(m, ev(2, "left"), 10)).toBe(true);
    expect(activePresence(m, 7, 1, 20)).toEqual([]);
    expect(applyPresence(m, { type: "ticket.updated", ticket_id: 7, actor_id: 2 }, 0)).toBe(false);
    expect(applyPresence(m, ev(2, "dancing"), 0)).toBe(false);
  });
});

describe("presence reporter", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends changes throttled, repeats its state, and says left", () => {
    const sent: string[] = [];
    const r = new PresenceReporter(7, (m) => (sent.push(m.state), true), () => Date.now());
    r.start();
    expect(sent).toEqual(["viewing"]);
    r.set("replying");
    r.set("viewing");
    r.set("replying");
    expect(sent).toEqual(["viewing"]); // within the minimum interval
    vi.advanceTimersByTime(500);
    expect(sent).toEqual(["viewing", "replying"]); // the last state wins
    r.set("replying");
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(["viewing", "replying"]);
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(sent.at(-1)).toBe("replying");
    r.stop();
    expect(sent.at(-1)).toBe("left");
    const n = sent.length;
    vi.advanceTimersByTime(HEARTBEAT_MS * 2);
    expect(sent.length).toBe(n);
  });
});
