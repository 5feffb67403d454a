import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import i18n from "../i18n";
import { ApiError, type BusinessCalendar, type SlaPolicy } from "../api";
import { CalendarItem, durationText, PolicyItem, slaFieldErrorText } from "./AdminSla";

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
    const html = renderToStaticMarkup(<PolicyItem policy={pol} index={0} count={2} calendars={[cal]} editing={false} busy={false} onMove={noop} onEdit={noop} onDelete={noop} />);
    expect(html).toContain(">1<");
    expect(html).toContain("Urgent · Email");
    expect(html).toContain("First reply</strong> 1 h");
    expect(html).toContain("Resolution</strong> 2 d");
    expect(html).toContain("in Tokyo office");
    expect(html).toMatch(/disabled="" aria-label="Move Urgent first reply 1h up"/);
    expect(html).not.toMatch(/disabled="" aria-label="Move Urgent first reply 1h down"/);
  });

  it("words field errors by the field they name, in every language", async () => {
    for (const lng of ["en", "ja", "ko", "vi"]) {
      await i18n.changeLanguage(lng);
      const t = i18n.t.bind(i18n);
      expect(slaFieldErrorText(t, { field: "target.first_reply", err: bad("targets[0].minutes") })).toBe(t("admin.sla.errors.minutes"));
      expect(slaFieldErrorText(t, { field: "time_zone", err: bad("time_zone") })).toBe(t("admin.sla.errors.timeZone"));
      expect(slaFieldErrorText(t, { field: "day.mon", err: bad("hours.mon") })).toBe(t("admin.sla.errors.day"));
      expect(slaFieldErrorText(t, { field: "targets", err: null, key: "targets" })).toBe(t("admin.sla.errors.targets"));
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
