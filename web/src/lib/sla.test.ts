import { describe, expect, it } from "vitest";
import type { BusinessCalendar, SlaPolicy } from "../api";
import {
  addException, addHoliday, addTiers, byPosition, calendarErrorField, calendarForm, calendarRequest, movePlan, officeHours, parseTags, policyErrorField,
  normaliseTier, policyForm, policyFormProblem, policyRequest, splitMinutes, toMinutes, toPercent, weekdayOf, weekSummary,
} from "./sla";

const calendar: BusinessCalendar = {
  id: 4, name: "Tokyo office", time_zone: "Asia/Tokyo",
  hours: { sun: [], mon: [{ start: "09:00", end: "18:00" }], tue: [{ start: "09:00", end: "12:00" }, { start: "13:00", end: "18:00" }], wed: [], thu: [], fri: [{ start: "22:00", end: "24:00" }], sat: [] },
  holidays: ["2027-01-01"], exceptions: [{ date: "2026-12-28", hours: [{ start: "10:00", end: "15:00" }] }],
  created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z", version: 3,
};

const policy = (over: Partial<SlaPolicy> = {}): SlaPolicy => ({
  id: 1, name: "Urgent", position: 0, calendar_id: 4,
  conditions: { priorities: ["urgent"], channels: ["email", "line"], tags: ["vip"], organisation_ids: [], customer_tiers: [], team_ids: [7] },
  targets: [{ metric: "first_reply", minutes: 60, clock: "business" }, { metric: "resolution", minutes: 90, clock: "calendar" }],
  created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z", version: 2, ...over,
});

describe("the business-hours form", () => {
  it("starts a new calendar as Mon–Fri 9:00–18:00 in the workspace's time zone", () => {
    const f = calendarForm(undefined, "Asia/Seoul");
    expect(f.time_zone).toBe("Asia/Seoul");
    expect(calendarRequest({ ...f, name: " HQ " })).toEqual({
      name: "HQ", time_zone: "Asia/Seoul",
      hours: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ start: "09:00", end: "18:00" }]])),
      holidays: [], exceptions: [],
    });
  });

  it("round-trips a calendar, closed days left out, midnight kept as a next-day end, exceptions kept", () => {
    const f = calendarForm(calendar);
    expect(f.days.wed.open).toBe(false);
    expect(f.days.tue.intervals).toHaveLength(2);
    expect(f.days.fri.intervals).toEqual([{ start: "22:00", end: "00:00" }]);
    const body = calendarRequest(f);
    expect(Object.keys(body.hours!)).toEqual(["mon", "tue", "fri"]);
    expect(body.hours!.tue).toEqual(calendar.hours.tue);
    expect(body.holidays).toEqual(["2027-01-01"]);
    expect(body.exceptions).toEqual(calendar.exceptions);
  });

  it("edits special dates: its own hours or closed, sorted, once per date", () => {
    let f = calendarForm(calendar);
    expect(f.exceptions).toEqual([{ date: "2026-12-28", closed: false, intervals: [{ start: "10:00", end: "15:00" }] }]);
    // A Tuesday starts with Tuesday's hours, a Sunday (closed) with 9–18.
    f = addException(f, "2026-12-29");
    expect(f.exceptions[1]).toEqual({ date: "2026-12-29", closed: false, intervals: calendar.hours.tue });
    f = addException(f, "2026-12-27");
    expect(f.exceptions.map((e) => e.date)).toEqual(["2026-12-27", "2026-12-28", "2026-12-29"]);
    expect(f.exceptions[0].intervals).toEqual([{ start: "09:00", end: "18:00" }]);
    expect(addException(f, "2026-12-28")).toBe(f);
    expect(addException(f, "")).toBe(f);
    f.exceptions[0] = { ...f.exceptions[0], closed: true };
    expect(calendarRequest(f).exceptions).toEqual([
      { date: "2026-12-27", hours: [] },
      { date: "2026-12-28", hours: [{ start: "10:00", end: "15:00" }] },
      { date: "2026-12-29", hours: [{ start: "09:00", end: "12:00" }, { start: "13:00", end: "18:00" }] },
    ]);
  });

  it("reads a closed special date and one ending at midnight", () => {
    const f = calendarForm({ ...calendar, exceptions: [{ date: "2027-01-02", hours: [] }, { date: "2026-12-31", hours: [{ start: "18:00", end: "24:00" }] }] });
    expect(f.exceptions).toEqual([
      { date: "2026-12-31", closed: false, intervals: [{ start: "18:00", end: "00:00" }] },
      { date: "2027-01-02", closed: true, intervals: [{ start: "09:00", end: "18:00" }] },
    ]);
  });

  it("knows the weekday of a date", () => {
    expect(["2026-12-27", "2026-12-28", "2027-01-01", "2028-02-29"].map(weekdayOf)).toEqual(["sun", "mon", "fri", "tue"]);
  });

  it("a closed day keeps its hours for when it reopens, but does not send them", () => {
    const f = calendarForm(calendar);
    f.days.mon = { ...f.days.mon, open: false };
    expect(calendarRequest(f).hours!.mon).toBeUndefined();
    f.days.mon = { ...f.days.mon, open: true };
    expect(calendarRequest(f).hours!.mon).toEqual([{ start: "09:00", end: "18:00" }]);
  });

  it("the preset opens weekdays 9–18 and closes the weekend", () => {
    const f = officeHours({ ...calendarForm(calendar), name: "x" });
    expect(f.name).toBe("x");
    expect(f.days.sat.open).toBe(false);
    expect(f.days.tue.intervals).toEqual([{ start: "09:00", end: "18:00" }]);
  });

  it("adds holidays once, sorted, and ignores what is not a date", () => {
    expect(addHoliday(["2027-05-05"], "2027-01-01")).toEqual(["2027-01-01", "2027-05-05"]);
    expect(addHoliday(["2027-01-01"], "2027-01-01")).toEqual(["2027-01-01"]);
    expect(addHoliday([], "")).toEqual([]);
  });

  it("maps the server's field names to the form", () => {
    expect(calendarErrorField("name")).toBe("name");
    expect(calendarErrorField("time_zone")).toBe("time_zone");
    expect(calendarErrorField("hours")).toBe("hours");
    expect(calendarErrorField("hours.mon")).toBe("day.mon");
    expect(calendarErrorField("hours.sat[1].end")).toBe("day.sat");
    expect(calendarErrorField("holidays[2]")).toBe("holidays");
    const sent = { exceptions: [{ date: "2026-12-28", hours: [] }, { date: "2026-12-30", hours: [] }] };
    expect(calendarErrorField("exceptions[1].hours[0].end", sent)).toBe("exception.2026-12-30");
    expect(calendarErrorField("exceptions[0].date", sent)).toBe("exception.2026-12-28");
    expect(calendarErrorField("exceptions[7].date", sent)).toBe("exceptions");
    expect(calendarErrorField("exceptions", sent)).toBe("exceptions");
    expect(calendarErrorField(undefined)).toBeNull();
  });

  it("sums up the week in runs of days", () => {
    const week = weekSummary(
      { mon: [{ start: "09:00", end: "18:00" }], tue: [{ start: "09:00", end: "18:00" }], wed: [{ start: "09:00", end: "18:00" }], sat: [{ start: "10:00", end: "14:00" }] },
      (d) => d,
    );
    expect(week).toEqual(["mon–wed 09:00–18:00", "sat 10:00–14:00"]);
    expect(weekSummary({}, (d) => d)).toEqual([]);
  });
});

describe("minutes and hours", () => {
  it("shows whole hours in hours, anything else in minutes", () => {
    expect(splitMinutes(60)).toEqual({ amount: "1", unit: "hours" });
    expect(splitMinutes(1440)).toEqual({ amount: "24", unit: "hours" });
    expect(splitMinutes(90)).toEqual({ amount: "90", unit: "minutes" });
    expect(splitMinutes(0)).toEqual({ amount: "0", unit: "minutes" });
  });

  it("reads typed amounts, fractions of hours included", () => {
    expect(toMinutes("1", "hours")).toBe(60);
    expect(toMinutes("1.5", "hours")).toBe(90);
    expect(toMinutes("1,5", "hours")).toBe(90);
    expect(toMinutes(" 45 ", "minutes")).toBe(45);
    expect(toMinutes("0", "minutes")).toBe(0);
    expect(toMinutes("", "minutes")).toBeNull();
    expect(toMinutes("abc", "hours")).toBeNull();
    expect(toMinutes("-5", "minutes")).toBeNull();
  });
});

describe("the SLA policy form", () => {
  it("starts a new policy with a 1-hour first reply on business hours, 24/7", () => {
    const f = policyForm();
    expect(policyRequest({ ...f, name: "All" })).toEqual({
      name: "All", calendar_id: null,
      conditions: { priorities: [], channels: [], tags: [], organisation_ids: [], customer_tiers: [], team_ids: [] },
      targets: [{ metric: "first_reply", minutes: 60, clock: "business" }],
      warning_percent: 75,
      escalations: { warning: { notify: true }, breach: { notify: true, raise_priority: null, assign_team_id: null } },
    });
  });

  it("round-trips a policy: conditions, targets, warning and escalation", () => {
    const p = policy({
      warning_percent: 60,
      escalations: { warning: { notify: false }, breach: { notify: true, raise_priority: "high", assign_team_id: 7 } },
    });
    const f = policyForm(p);
    expect(f.targets.first_reply).toEqual({ enabled: true, amount: "1", unit: "hours", clock: "business" });
    expect(f.targets.resolution).toEqual({ enabled: true, amount: "90", unit: "minutes", clock: "calendar" });
    expect(f.targets.next_reply.enabled).toBe(false);
    expect(f.calendar).toBe("4");
    expect(f.warningPercent).toBe("60");
    expect(f.escalation).toEqual({ warningNotify: false, breachNotify: true, raisePriority: "high", assignTeam: "7" });
    expect(policyRequest(f)).toEqual({
      name: "Urgent", calendar_id: 4,
      conditions: { priorities: ["urgent"], channels: ["email", "line"], tags: ["vip"], organisation_ids: [], customer_tiers: [], team_ids: [7] },
      targets: p.targets,
      warning_percent: 60,
      escalations: p.escalations,
    });
  });

  it("sends targets in the metrics' order, hours turned into minutes", () => {
    const f = policyForm();
    f.name = "x";
    f.targets.resolution = { enabled: true, amount: "2.5", unit: "hours", clock: "calendar" };
    f.targets.next_reply = { enabled: true, amount: "30", unit: "minutes", clock: "business" };
    expect(policyRequest(f).targets!.map((x) => [x.metric, x.minutes])).toEqual([["first_reply", 60], ["next_reply", 30], ["resolution", 150]]);
  });

  it("takes tiers in lower case, once each, several at a time", () => {
    expect(normaliseTier("  Gold Plus ")).toBe("gold plus");
    expect(normaliseTier("VÀNG")).toBe("vÀng"); // as the server lower-cases: A–Z only
    expect(addTiers(["gold"], "VIP, gold，Enterprise")).toEqual(["gold", "vip", "enterprise"]);
    expect(addTiers([], " , ")).toEqual([]);
  });

  it("reads the warning share as a whole number", () => {
    expect(toPercent("75")).toBe(75);
    expect(toPercent(" 80 % ")).toBe(80);
    expect(toPercent("7.5")).toBeNull();
    expect(toPercent("")).toBeNull();
    expect(toPercent("0")).toBe(0); // out of range is the server's to say
  });

  it("splits tags on commas and spaces, once each", () => {
    expect(parseTags("vip, enterprise  vip、jp")).toEqual(["vip", "enterprise", "jp"]);
  });

  it("finds problems it can see itself; 0 minutes is left to the server", () => {
    const f = policyForm();
    expect(policyFormProblem(f)).toEqual({ field: "name", key: "name" });
    f.name = "x";
    f.targets.first_reply = { ...f.targets.first_reply, amount: "soon" };
    expect(policyFormProblem(f)).toEqual({ field: "target.first_reply", key: "number" });
    f.targets.first_reply = { ...f.targets.first_reply, amount: "0", unit: "minutes" };
    expect(policyFormProblem(f)).toBeNull();
    f.warningPercent = "most";
    expect(policyFormProblem(f)).toEqual({ field: "warning_percent", key: "percent" });
    f.warningPercent = "75";
    f.targets.first_reply = { ...f.targets.first_reply, enabled: false };
    expect(policyFormProblem(f)).toEqual({ field: "targets", key: "targets" });
  });

  it("maps a target's index in the request back to its row", () => {
    const sent = { targets: [{ metric: "next_reply" as const, minutes: 0 }, { metric: "resolution" as const, minutes: 5 }] };
    expect(policyErrorField("targets[0].minutes", sent)).toBe("target.next_reply");
    expect(policyErrorField("targets[1].clock", sent)).toBe("target.resolution");
    expect(policyErrorField("targets[5].minutes", sent)).toBe("targets");
    expect(policyErrorField("targets", sent)).toBe("targets");
    expect(policyErrorField("calendar_id", sent)).toBe("calendar");
    expect(policyErrorField("conditions.priorities[0]", sent)).toBe("priorities");
    expect(policyErrorField("conditions.team_ids[0]", sent)).toBe("teams");
    expect(policyErrorField("conditions.organisation_ids", sent)).toBe("organisations");
    expect(policyErrorField("conditions.customer_tiers[1]", sent)).toBe("tiers");
    expect(policyErrorField("warning_percent", sent)).toBe("warning_percent");
    expect(policyErrorField("escalations.breach.raise_priority", sent)).toBe("escalation.raise_priority");
    expect(policyErrorField("escalations.breach.assign_team_id", sent)).toBe("escalation.assign_team");
    expect(policyErrorField("escalations.warning", sent)).toBe("escalations");
    expect(policyErrorField("bogus", sent)).toBeNull();
    expect(policyErrorField("name", sent)).toBe("name");
  });
});

describe("reordering policies", () => {
  const list = [policy({ id: 1, position: 0 }), policy({ id: 2, position: 1, version: 5 }), policy({ id: 3, position: 2 })];

  it("swaps two neighbours, sending only the positions that change", () => {
    expect(movePlan(list, 2, -1)).toEqual([{ id: 3, position: 1, version: 2 }, { id: 2, position: 2, version: 5 }]);
    expect(movePlan(list, 0, 1)).toEqual([{ id: 2, position: 0, version: 5 }, { id: 1, position: 1, version: 2 }]);
  });

  it("numbers policies that share a position, and does nothing past either end", () => {
    const tied = [policy({ id: 1, position: 0 }), policy({ id: 2, position: 0 }), policy({ id: 3, position: 0 })];
    expect(movePlan(tied, 1, 1)).toEqual([{ id: 3, position: 1, version: 2 }, { id: 2, position: 2, version: 2 }]);
    expect(movePlan(list, 0, -1)).toEqual([]);
    expect(movePlan(list, 2, 1)).toEqual([]);
  });

  it("orders by position, then id", () => {
    expect([policy({ id: 5, position: 1 }), policy({ id: 9, position: 0 }), policy({ id: 2, position: 1 })].sort(byPosition).map((p) => p.id)).toEqual([9, 2, 5]);
  });
});
