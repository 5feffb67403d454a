import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import i18n from "../i18n";
import { addSlaDictionaries } from "../i18n/sla";
import type { TicketSla } from "../lib/due";
import { DueBadge } from "./DueBadge";

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const running = (due_at: string, breached = false): TicketSla => ({
  policy_id: 1,
  next_due_at: due_at,
  targets: [{ metric: "first_reply", state: "running", due_at, breached, breached_at: null }],
});

describe("the due badge of an inbox row", () => {
  it("says when the ticket is due, red once overdue, and nothing without an SLA", async () => {
    addSlaDictionaries();
    await i18n.changeLanguage("en");
    const later = renderToStaticMarkup(<DueBadge sla={running(inMinutes(121))} timeZone="Asia/Tokyo" />);
    expect(later).toContain("due in 2 h");
    expect(later).toContain("due-later");
    expect(later).toContain('title="First reply: due in 2 h (');
    const overdue = renderToStaticMarkup(<DueBadge sla={running(inMinutes(-20))} />);
    expect(overdue).toContain("overdue by 20 min");
    expect(overdue).toContain("due-breached");
    expect(renderToStaticMarkup(<DueBadge sla={null} />)).toBe("");
    await i18n.changeLanguage("ja");
    expect(renderToStaticMarkup(<DueBadge sla={running(inMinutes(45))} />)).toContain("期限まであと45分");
    await i18n.changeLanguage("en");
  });
});
