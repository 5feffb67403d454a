import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import i18n from "../i18n";
import type { BusinessCalendar, ServiceStandard, StandardCompliance } from "../api";
import { StandardItem } from "./SlaStandards";
import { StandardCard } from "./StandardsReport";

const noop = () => {};
const cal = { id: 4, name: "Tokyo office", time_zone: "Asia/Tokyo" } as BusinessCalendar;
const greeting: ServiceStandard = {
  id: 1, name: "First chat greeting ≤ 60 s", position: 0, metric: "first_reply", channels: ["chat"], target_seconds: 60, clock: "calendar",
  calendar_id: null, created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z", version: 1,
};
const email: ServiceStandard = { ...greeting, id: 2, name: "First email reply", channels: ["email", "line"], target_seconds: 3600, clock: "business", calendar_id: 4 };
const percent = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 1 });
const figures = (patch: Partial<StandardCompliance>): StandardCompliance => ({
  standard_id: 1, name: "Chat greeting ≤ 1 s", metric: "first_reply", channels: ["chat"], clock: "calendar", target_seconds: 1,
  met: 3, total: 4, compliance: 0.75, groups: [], ...patch,
});

describe("service standards in Admin → Service levels", () => {
  it("lists a standard with its target in words, its channels and how time is counted", async () => {
    await i18n.changeLanguage("en");
    const item = (s: ServiceStandard) => renderToStaticMarkup(<StandardItem standard={s} calendars={[cal]} editing={false} onEdit={noop} onDelete={noop} />);
    expect(item(greeting)).toContain("First reply within 60 seconds");
    expect(item(greeting)).toContain("◷ Around the clock");
    expect(item(email)).toContain("First reply within 1 business hour");
    expect(item(email)).toContain("Email, LINE");
    expect(item(email)).toContain("◷ in Tokyo office");
    expect(item({ ...email, channels: [], calendar_id: 9 })).toContain("All channels");
    expect(item({ ...email, calendar_id: 9 })).toContain("in #9");
    await i18n.changeLanguage("ja");
    expect(item(email)).toContain("初回返信: 営業時間で 1 時間以内");
    await i18n.changeLanguage("en");
  });
});

describe("the service standards report", () => {
  it("shows the share, met of measured, and a tone by the thresholds", async () => {
    await i18n.changeLanguage("en");
    const day = (key: string, met: number, total: number) => ({ key, label: key, met, total, compliance: total ? met / total : null });
    const html = renderToStaticMarkup(
      <StandardCard s={figures({ groups: [day("2026-11-18", 0, 0), day("2026-11-19", 0, 0), day("2026-11-20", 0, 0), day("2026-11-21", 3, 4)] })} groupBy="day" percent={percent} />,
    );
    expect(html).toContain("tone-fair");
    expect(html).toContain(">75%<");
    expect(html).toContain("3 of 4 met");
    expect(html).toContain("Close to the standard");
    expect(html).toContain("3 days with nothing measured");
    expect(html).toContain("Sat, Nov 21");
    expect(html).toContain("3 / 4");
  });

  it("names the tickets without a team or an agent, and says so when nothing was measured", async () => {
    await i18n.changeLanguage("en");
    const group = (key: number | null, label: string | null) => ({ key, label, met: 1, total: 2, compliance: 0.5 });
    const team = renderToStaticMarkup(<StandardCard s={figures({ groups: [group(2, "Billing"), group(null, null)] })} groupBy="team" percent={percent} />);
    expect(team).toContain("Billing");
    expect(team).toContain("No team");
    expect(team).toContain("tone-poor");
    const agent = renderToStaticMarkup(<StandardCard s={figures({ groups: [group(null, null)] })} groupBy="agent" percent={percent} />);
    expect(agent).toContain("No agent (solved automatically)");
    const none = renderToStaticMarkup(<StandardCard s={figures({ met: 0, total: 0, compliance: null, groups: [] })} groupBy="agent" percent={percent} />);
    expect(none).toContain("—");
    expect(none).toContain("No data");
    expect(none).toContain("Nothing this standard measures ended in these dates.");
    expect(none).not.toContain("tone-pill");
  });
});
