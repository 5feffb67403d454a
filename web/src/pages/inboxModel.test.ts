import { describe, expect, it } from "vitest";
import { matchesView, upsertTicket } from "./inboxModel";
import type { Ticket } from "../api";

const tk = (id: number, over: Partial<Ticket> = {}): Ticket => ({
  id, number: id, subject: `t${id}`, status: "open", priority: "normal", channel: "api", requester_id: 1,
  assignee_id: null, team_id: null, tags: [], fields: {}, created_at: `2026-11-23T10:00:0${id}.000Z`,
  updated_at: `2026-11-23T10:00:0${id}.000Z`, first_reply_at: null, solved_at: null, version: 1, ...over,
});

describe("live placement of tickets", () => {
  it("a new ticket goes to the top of a recently-updated list", () => {
    const rows = [tk(3), tk(2), tk(1)];
    const out = upsertTicket(rows, tk(4), "unsolved", "-updated_at", 9, false);
    expect(out.map((r) => r.id)).toEqual([4, 3, 2, 1]);
  });

  it("an updated ticket moves, and one that left the view is removed", () => {
    const rows = [tk(3), tk(2), tk(1)];
    const moved = upsertTicket(rows, tk(1, { updated_at: "2026-11-23T11:00:00.000Z" }), "unsolved", "-updated_at", 9, false);
    expect(moved.map((r) => r.id)).toEqual([1, 3, 2]);
    const solved = upsertTicket(rows, tk(2, { status: "solved" }), "unsolved", "-updated_at", 9, false);
    expect(solved.map((r) => r.id)).toEqual([3, 1]);
  });

  it("a ticket that sorts after the loaded page waits for paging", () => {
    const rows = [tk(3), tk(2)];
    expect(upsertTicket(rows, tk(1), "unsolved", "-updated_at", 9, true).map((r) => r.id)).toEqual([3, 2]);
    expect(upsertTicket(rows, tk(1), "unsolved", "-updated_at", 9, false).map((r) => r.id)).toEqual([3, 2, 1]);
  });

  it("views", () => {
    expect(matchesView("mine", tk(1, { assignee_id: 9 }), 9)).toBe(true);
    expect(matchesView("mine", tk(1, { assignee_id: 8 }), 9)).toBe(false);
    expect(matchesView("unassigned", tk(1), 9)).toBe(true);
    expect(matchesView("team-4", tk(1, { team_id: 4 }), 9)).toBe(true);
    expect(matchesView("solved", tk(1, { status: "solved" }), 9)).toBe(true);
    expect(matchesView("unsolved", tk(1, { status: "closed" }), 9)).toBe(false);
  });
});
