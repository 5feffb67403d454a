import { describe, expect, it } from "vitest";
import type { ServiceStandard } from "../api";
import {
  addDays, complianceTone, dayRows, dayCount, isDate, lastDays, splitSeconds, standardErrorField, standardForm, standardFormProblem, standardRequest,
  isCallMetric, todayIn, toSeconds, withClock, withMetric,
} from "./standards";

const saved = (patch: Partial<ServiceStandard>): ServiceStandard => ({
  id: 1, name: "Chat", position: 0, metric: "first_reply", channels: ["chat"], target_seconds: 60, clock: "calendar", calendar_id: null,
  created_at: "", updated_at: "", version: 1, ...patch,
});

describe("targets in people's units", () => {
  it.each([
    [45, "calendar", 45, "seconds"],
    [60, "calendar", 60, "seconds"],
    [90, "calendar", 90, "seconds"],
    [120, "calendar", 2, "minutes"],
    [3600, "business", 1, "hours"],
    [5400, "calendar", 90, "minutes"],
    [86_400, "calendar", 1, "days"],
    [86_400, "business", 24, "hours"],
    [3601, "calendar", 3601, "seconds"],
  ] as const)("%i s counted %s reads as %i %s", (seconds, clock, count, unit) => {
    expect(splitSeconds(seconds, clock)).toEqual({ count, unit });
  });

  it("reads typed amounts, with a decimal comma too, and refuses what is not a number", () => {
    expect(toSeconds("1.5", "hours")).toBe(5400);
    expect(toSeconds(" 2,5 ", "minutes")).toBe(150);
    expect(toSeconds("0", "seconds")).toBe(0);
    expect(toSeconds("1h", "hours")).toBeNull();
    expect(toSeconds("", "hours")).toBeNull();
  });

  it("turns days into hours when time is counted in business hours", () => {
    const form = { ...standardForm(), amount: "2", unit: "days" as const, clock: "calendar" as const };
    expect(withClock(form, "business")).toMatchObject({ amount: "48", unit: "hours", clock: "business" });
    expect(withClock(form, "calendar")).toMatchObject({ amount: "2", unit: "days" });
  });
});

describe("the standard form", () => {
  it("fills in from a saved standard and sends it back the same", () => {
    const s = saved({ channels: ["email", "chat"], target_seconds: 3600, clock: "business", calendar_id: 4 });
    const form = standardForm(s);
    expect(form).toMatchObject({ amount: "1", unit: "hours", clock: "business", calendar: "4" });
    expect(standardRequest(form)).toEqual({
      name: "Chat", metric: "first_reply", channels: ["chat", "email"], target_seconds: 3600, clock: "business", calendar_id: 4,
    });
  });

  it("sends no calendar with elapsed time", () => {
    expect(standardRequest({ ...standardForm(), name: "x", clock: "calendar", calendar: "4" }).calendar_id).toBeNull();
  });

  it("finds a missing name and a target that is not a number before asking the server", () => {
    expect(standardFormProblem(standardForm())).toEqual({ field: "name", key: "name" });
    expect(standardFormProblem({ ...standardForm(), name: "x", amount: "soon" })).toEqual({ field: "target", key: "number" });
    expect(standardFormProblem({ ...standardForm(), name: "x", amount: "0" })).toBeNull();
  });

  it.each([
    ["target_seconds", "target"],
    ["channels[1]", "channels"],
    ["calendar_id", "calendar"],
    ["name", "name"],
    ["position", null],
    [undefined, null],
  ] as const)("shows the server's error on %s at %s", (field, expected) => {
    expect(standardErrorField(field)).toBe(expected);
  });
});

describe("the report", () => {
  it("colours shares by the thresholds", () => {
    expect([1, 0.9, 0.899, 0.75, 0.74, 0, null].map(complianceTone)).toEqual(["good", "good", "fair", "fair", "poor", "poor", "none"]);
  });

  it("counts dates in the workspace's zone and across months", () => {
    expect(todayIn("Asia/Tokyo", new Date("2026-11-23T18:52:00Z"))).toBe("2026-11-24");
    expect(todayIn("Not/AZone", new Date("2026-11-23T12:00:00Z"))).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(lastDays("2026-03-03", 7)).toEqual({ from: "2026-02-25", to: "2026-03-03" });
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(dayCount("2026-01-01", "2026-12-31")).toBe(365);
    expect(dayCount("2026-01-02", "2026-01-01")).toBe(0);
    expect([isDate("2026-02-29"), isDate("2028-02-29"), isDate("2026-1-1"), isDate(null)]).toEqual([false, true, false, false]);
  });

  it("folds runs of three or more days without figures into one row", () => {
    const day = (key: string, total: number) => ({ key, label: key, met: total, total, compliance: total ? 1 : null });
    const rows = dayRows([day("d1", 0), day("d2", 0), day("d3", 0), day("d4", 2), day("d5", 0), day("d6", 0), day("d7", 1)]);
    expect(rows.map((r) => (r.kind === "gap" ? `${r.from}…${r.to}:${r.days}` : String(r.figure.key)))).toEqual(["d1…d3:3", "d4", "d5", "d6", "d7"]);
    expect(dayRows([day("d1", 0), day("d2", 0), day("d3", 0)])).toEqual([{ kind: "gap", from: "d1", to: "d3", days: 3 }]);
  });
});

describe("call standards", () => {
  it("count elapsed time on the phone unless channels were chosen", () => {
    const form = standardForm();
    const call = withMetric(form, "call_answer");
    expect(call).toMatchObject({ metric: "call_answer", clock: "calendar", channels: ["phone"] });
    expect(standardRequest({ ...call, name: "Answer ≤ 15 s", amount: "15", unit: "seconds" })).toMatchObject({
      metric: "call_answer", channels: ["phone"], clock: "calendar", calendar_id: null, target_seconds: 15,
    });
    expect(withMetric({ ...form, channels: ["chat", "phone"] }, "call_hold").channels).toEqual(["chat", "phone"]);
    // Back to replies: the phone-only default goes with the call metric.
    expect(withMetric(call, "first_reply").channels).toEqual([]);
    expect(isCallMetric("call_hold") && !isCallMetric("resolution")).toBe(true);
  });
});
