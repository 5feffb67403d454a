import { describe, expect, it } from "vitest";
import { analyseConflict, diffPatch } from "./conflict";
import type { Ticket } from "../api";

const base: Ticket = {
  id: 7, number: 42, subject: "返金について", status: "open", priority: "normal", channel: "email",
  requester_id: 3, assignee_id: 1, team_id: null, tags: ["refund"], fields: {},
  created_at: "2026-11-23T10:00:00.000Z", updated_at: "2026-11-23T10:00:00.000Z",
  first_reply_at: null, solved_at: null, version: 3,
};

describe("analyseConflict", () => {
  it("both changed the same field: overlap, and re-applying sends my value", () => {
    const theirs = { ...base, priority: "high" as const, version: 4 };
    const a = analyseConflict(base, theirs, { priority: "urgent" });
    expect(a.theirChanges).toEqual([{ field: "priority", base: "normal", theirs: "high", mine: "urgent" }]);
    expect(a.overlapping).toEqual(["priority"]);
    expect(a.reapply).toEqual({ priority: "urgent" });
    expect(a.alreadyApplied).toBe(false);
  });

  it("different fields: no overlap, and re-applying never sends their fields back", () => {
    const theirs = { ...base, assignee_id: 2, tags: ["refund", "vip"], version: 5 };
    const a = analyseConflict(base, theirs, { status: "pending" });
    expect(a.overlapping).toEqual([]);
    expect(a.reapply).toEqual({ status: "pending" });
    expect(a.theirChanges.map((c) => c.field)).toEqual(["assignee_id", "tags"]);
    expect("assignee_id" in a.reapply).toBe(false);
  });

  it("they already made the same change: nothing to re-apply", () => {
    const theirs = { ...base, status: "solved" as const, version: 4 };
    const a = analyseConflict(base, theirs, { status: "solved" });
    expect(a.alreadyApplied).toBe(true);
    expect(a.reapply).toEqual({});
  });

  it("compares tag lists by value, and null assignees", () => {
    const theirs = { ...base, assignee_id: null, version: 4 };
    const a = analyseConflict(base, theirs, { tags: ["refund"], assignee_id: 1 });
    expect(a.reapply).toEqual({ assignee_id: 1 });
    expect(a.overlapping).toEqual(["assignee_id"]);
  });
});

describe("diffPatch", () => {
  it("keeps only real changes", () => {
    expect(diffPatch(base, { priority: "normal", status: "pending", tags: ["refund"] })).toEqual({ status: "pending" });
  });
});
