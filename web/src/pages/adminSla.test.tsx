import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import i18n from "../i18n";
import { ApiError, type BusinessCalendar, type SlaPolicy } from "../api";
import { durationText, slaFieldErrorText, type Directory } from "./slaAdminShared";
import { CalendarItem } from "./SlaCalendars";
import { dateLabel } from "./SlaCalendarEditor";
import { PolicyItem } from "./SlaPolicies";

const noop = () => {};
const cal: BusinessCalendar = {
  id: 4, name: "Tokyo office", time_zone: "Asia/Tokyo",
  hours: { mon: [{ start: "09:00", end: "18:00" }], tue: [{ start: "09:00", end: "18:00" }], wed: [{ start: "09:00", end: "18:00" }], thu: [{ start: "09:00", end: "18:00" }], fri: [{ start: "09:00", end: "18:00" }] },
  holidays: ["2027-01-01"], exceptions: [], created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z", version: 1,
};
const pol: SlaPolicy = {
  id: 1, name: "Urgent first reply 1h", position: 0, calendar_id: 4,
  conditions: { priorities: ["urgent"], channels: ["email"], tags: [] },
  targets: [{ metric: "first_reply", minutes: 60, clock: "business" }, { metric: "resolution", minutes: 2880, clock: "calendar" }],
  created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z", version: 1,
};
const directory: Directory = {
  organisations: [{ id: 3, name: "Acme KK", domain: "acme.jp", notes: "", created_at: "2026-11-01T00:00:00Z" }],
  teams: [{ id: 2, name: "Billing", description: "", created_at: "2026-11-01T00:00:00Z" }],
};
const bad = (field: string, code = "invalid_argument") => new ApiError(400, code, "detail in English", field);

describe("Admin → Service levels", () => {
  it("lists business hours as runs of days, in the reader's language", async () => {
    await i18n.changeLanguage("en");
    const html = renderToStaticMarkup(<CalendarItem calendar={cal} usedBy={["“Urgent”"]} editing={false} onEdit={noop} onDelete={noop} />);
    expect(html).toContain("Mon–Fri 09:00–18:00");
    expect(html).toContain("1 holiday");
    expect(html).toContain("Used by “Urgent”");
    await i18n.changeLanguage("ja");
    expect(renderToStaticMarkup(<CalendarItem calendar={cal} usedBy={[]} editing={false} onEdit={noop} onDelete={noop} />)).toContain("月–金 09:00–18:00");
    await i18n.changeLanguage("en");
  });

  it("lists a policy with its order, conditions, targets and hours", async () => {
    await i18n.changeLanguage("en");
    const html = renderToStaticMarkup(<PolicyItem policy={pol} index={0} count={2} calendars={[cal]} directory={directory} editing={false} busy={false} onMove={noop} onEdit={noop} onDelete={noop} />);
    expect(html).toContain(">1<");
    expect(html).toContain("Urgent · Email");
    expect(html).toContain("First reply</strong> 1 h");
    expect(html).toContain("Resolution</strong> 2 d");
    expect(html).toContain("in Tokyo office");
    expect(html).toMatch(/disabled="" aria-label="Move Urgent first reply 1h up"/);
    expect(html).not.toMatch(/disabled="" aria-label="Move Urgent first reply 1h down"/);
  });

  it("names organisations, tiers and teams in the summary, and says what happens near and past the target", async () => {
    const p: SlaPolicy = {
      ...pol,
      conditions: { priorities: [], channels: [], tags: [], organisation_ids: [3, 99], customer_tiers: ["gold", "vip"], team_ids: [2] },
      warning_percent: 80,
      escalations: { warning: { notify: true }, breach: { notify: true, raise_priority: "urgent", assign_team_id: 2 } },
    };
    const render = () =>
      renderToStaticMarkup(<PolicyItem policy={p} index={0} count={1} calendars={[cal]} directory={directory} editing={false} busy={false} onMove={noop} onEdit={noop} onDelete={noop} />);
    await i18n.changeLanguage("en");
    let html = render();
    expect(html).toContain("organisations: Acme KK, #99 · tiers: gold, vip · teams: Billing");
    expect(html).not.toContain("through the API");
    expect(html).toContain("Warns at 80% of the target, by email");
    expect(html).toContain("When missed: email the assignee, raise to Urgent, and move to Billing");
    await i18n.changeLanguage("ja");
    html = render();
    expect(html).toContain("組織: Acme KK, #99");
    expect(html).toContain("目標時間の 80% でメール警告");
    expect(html).toContain("優先度を「緊急」に");
    await i18n.changeLanguage("en");
  });

  it("lists a policy without escalation settings (an older server) without a summary for them", async () => {
    await i18n.changeLanguage("en");
    const html = renderToStaticMarkup(<PolicyItem policy={pol} index={0} count={1} calendars={[cal]} directory={directory} editing={false} busy={false} onMove={noop} onEdit={noop} onDelete={noop} />);
    expect(html).not.toContain("Warns at");
  });

  it("counts a calendar's special dates and names a date with its weekday", async () => {
    await i18n.changeLanguage("en");
    const html = renderToStaticMarkup(
      <CalendarItem calendar={{ ...cal, exceptions: [{ date: "2026-12-28", hours: [] }, { date: "2026-12-30", hours: [{ start: "10:00", end: "15:00" }] }] }} usedBy={[]} editing={false} onEdit={noop} onDelete={noop} />,
    );
    expect(html).toContain("2 special dates");
    expect(dateLabel("2026-12-28", "en")).toBe("Mon, Dec 28, 2026");
    expect(dateLabel("2026-12-28", "ja")).toContain("12月28日");
  });

  it("words field errors by the field they name, in every language", async () => {
    for (const lng of ["en", "ja", "ko", "vi"]) {
      await i18n.changeLanguage(lng);
      const t = i18n.t.bind(i18n);
      expect(slaFieldErrorText(t, { field: "target.first_reply", err: bad("targets[0].minutes") })).toBe(t("admin.sla.errors.minutes"));
      expect(slaFieldErrorText(t, { field: "time_zone", err: bad("time_zone") })).toBe(t("admin.sla.errors.timeZone"));
      expect(slaFieldErrorText(t, { field: "day.mon", err: bad("hours.mon") })).toBe(t("admin.sla.errors.day"));
      expect(slaFieldErrorText(t, { field: "targets", err: null, key: "targets" })).toBe(t("admin.sla.errors.targets"));
      expect(slaFieldErrorText(t, { field: "exception.2026-12-28", err: bad("exceptions[0].hours[0].end") })).toBe(t("admin.sla.errors.day"));
      expect(slaFieldErrorText(t, { field: "exception.2026-12-28", err: bad("exceptions[0].date") })).toBe(t("admin.sla.errors.date"));
      expect(slaFieldErrorText(t, { field: "exceptions", err: bad("exceptions") })).toBe(t("admin.sla.errors.exceptions"));
      expect(slaFieldErrorText(t, { field: "warning_percent", err: bad("warning_percent") })).toBe(t("admin.sla.errors.percent"));
      expect(slaFieldErrorText(t, { field: "escalation.assign_team", err: bad("escalations.breach.assign_team_id") })).toBe(t("admin.sla.errors.team"));
      expect(slaFieldErrorText(t, { field: "tiers", err: bad("conditions.customer_tiers[0]") })).toBe(t("admin.sla.errors.tier"));
      expect(t("admin.sla.errors.minutes")).not.toContain("admin.sla");
    }
    await i18n.changeLanguage("en");
  });

  it("says durations the way the inbox's badges do", async () => {
    await i18n.changeLanguage("en");
    const t = i18n.t.bind(i18n);
    expect([durationText(t, 45), durationText(t, 120), durationText(t, 1440)]).toEqual(["45 min", "2 h", "1 d"]);
  });
});
