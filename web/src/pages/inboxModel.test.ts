import { describe, expect, it } from "vitest";
import { compareTickets, defaultSort, matchesView, sortsFor, tagOfView, tagView, upsertTicket, viewQuery } from "./inboxModel";
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

describe("views by tag and by solve time", () => {
  it("a tag view lists the unsolved tickets with the tag, also for non-ASCII tags", () => {
    expect(tagView("Refund")).toBe("tag-refund");
    expect(tagOfView(tagView("返金"))).toBe("返金");
    expect(viewQuery(tagView("返金"))).toEqual({ status: "unsolved", tag: "返金" });
    expect(matchesView("tag-refund", tk(1, { tags: ["refund"] }), 9)).toBe(true);
    expect(matchesView("tag-refund", tk(1, { tags: ["refund"], status: "solved" }), 9)).toBe(false);
    expect(matchesView("tag-refund", tk(1, { tags: ["vip"] }), 9)).toBe(false);
  });

  it("Recently solved sorts by solve time, and only it offers those sorts", () => {
    expect(defaultSort("solved")).toBe("-solved_at");
    expect(defaultSort("unsolved")).toBe("-updated_at");
    expect(sortsFor("unsolved")).not.toContain("-solved_at");
    expect(sortsFor("solved")).toContain("-solved_at");
    const a = tk(1, { status: "solved", solved_at: "2026-11-23T12:00:00.000Z" });
    const b = tk(2, { status: "solved", solved_at: "2026-11-23T11:00:00.000Z" });
    expect([b, a].sort((x, y) => compareTickets("-solved_at", x, y)).map((r) => r.id)).toEqual([1, 2]);
    expect(compareTickets("solved_at", tk(3), a)).toBeLessThan(0);
  });
});

describe("the due-time sort", () => {
  const due = (id: number, next: string | null) =>
    tk(id, { sla: { policy_id: 1, next_due_at: next, targets: [] } });

  it("puts the soonest due first and tickets with nothing due last", () => {
    const rows = [due(2, "2026-11-23T10:30:00.000Z"), due(5, "2026-11-23T12:00:00.000Z"), tk(1), due(3, null)];
    const out = upsertTicket(rows, due(4, "2026-11-23T11:00:00.000Z"), "unsolved", "due_at", 9, false);
    expect(out.map((r) => r.id)).toEqual([2, 4, 5, 1, 3]);
    expect(compareTickets("due_at", due(6, "2026-11-23T09:00:00.000Z"), tk(1))).toBeLessThan(0);
  });

  it("is offered where tickets are unsolved, not among the solved", () => {
    expect(sortsFor("unsolved")).toContain("due_at");
    expect(sortsFor("mine")).toContain("due_at");
    expect(sortsFor("solved")).not.toContain("due_at");
  });
});
