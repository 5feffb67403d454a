import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import { addSlaDictionaries, slaDictionaries } from "../i18n/sla";
import { dueLabel, dueOf, dueTitle, slaEventView, span, type SlaTarget, type TicketSla } from "./due";

const NOW = Date.parse("2026-11-23T10:00:00.000Z");
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();
const target = (over: Partial<SlaTarget>): SlaTarget => ({
  metric: "first_reply", state: "running", due_at: null, breached: false, breached_at: null, ...over,
});
const sla = (...targets: SlaTarget[]): TicketSla => ({ policy_id: 1, next_due_at: null, targets });

describe("which target a ticket's due badge shows", () => {
  it("nothing without an SLA or with nothing running or paused", () => {
    expect(dueOf(null, NOW)).toBeNull();
    expect(dueOf(undefined, NOW)).toBeNull();
    expect(dueOf(sla(target({ state: "fulfilled" }), target({ metric: "next_reply", state: "inactive" })), NOW)).toBeNull();
  });

  it("the soonest running target, red once past due", () => {
    const two = sla(target({ metric: "resolution", due_at: at(300) }), target({ due_at: at(120) }));
    expect(dueOf(two, NOW)).toEqual({ tone: "later", metric: "first_reply", ms: 120 * 60_000, at: at(120) });
    expect(dueOf(sla(target({ due_at: at(45) })), NOW)?.tone).toBe("soon");
    expect(dueOf(sla(target({ due_at: at(-5) })), NOW)?.tone).toBe("breached");
    expect(dueOf(sla(target({ due_at: at(30), breached: true })), NOW)?.tone).toBe("breached");
  });

  it("paused while the ticket waits on the customer", () => {
    expect(dueOf(sla(target({ metric: "resolution", state: "paused" })), NOW)).toEqual({
      tone: "paused", metric: "resolution", ms: 0, at: null,
    });
  });
});

describe("how long, in words", () => {
  it.each([
    [30_000, "minutes", 1],
    [14 * 60_000, "minutes", 14],
    [59.4 * 60_000, "minutes", 59],
    [59.6 * 60_000, "hours", 1],
    [2 * 3_600_000, "hours", 2],
    [47 * 3_600_000, "hours", 47],
    [50 * 3_600_000, "days", 2],
    [-90 * 60_000, "hours", 2],
  ])("%d ms is %s × %d", (ms, unit, count) => {
    expect(span(ms)).toEqual({ unit, count });
  });

  const cases: [string, number, string, string][] = [
    ["en", 120, "due in 2 h", "overdue by 15 min"],
    ["ja", 120, "期限まであと2時間", "期限を15分超過"],
    ["ko", 120, "기한까지 2시간", "기한 15분 초과"],
    ["vi", 120, "còn 2 giờ đến hạn", "quá hạn 15 phút"],
  ];
  it.each(cases)("in %s", async (lng, minutes, dueIn, overdue) => {
    addSlaDictionaries();
    await i18n.changeLanguage(lng);
    const t = i18n.t.bind(i18n) as (key: string, options?: Record<string, unknown>) => string;
    expect(dueLabel(t, dueOf(sla(target({ due_at: at(minutes) })), NOW)!)).toBe(dueIn);
    expect(dueLabel(t, dueOf(sla(target({ due_at: at(-15) })), NOW)!)).toBe(overdue);
    expect(dueLabel(t, dueOf(sla(target({ state: "paused" })), NOW)!)).not.toMatch(/inbox\./);
    expect(dueTitle(t, dueOf(sla(target({ due_at: at(minutes) })), NOW)!)).toContain(dueIn);
    expect(t("inbox.sortOptions.due_at")).not.toMatch(/inbox\./);
    await i18n.changeLanguage("en");
  });
});

type Tree = { [k: string]: string | Tree };
const flatten = (tree: Tree, prefix = ""): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
};
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]).sort();

describe("the service-level strings", () => {
  const reference = flatten(slaDictionaries.en as unknown as Tree);
  it.each(["ja", "ko", "vi"] as const)("%s has the English keys and placeholders, translated", (lng) => {
    const flat = flatten(slaDictionaries[lng] as unknown as Tree);
    expect([...flat.keys()].sort()).toEqual([...reference.keys()].sort());
    for (const [key, value] of flat) {
      expect(value.trim(), key).not.toBe("");
      expect(placeholders(value), key).toEqual(placeholders(reference.get(key)!));
      if (/[A-Za-z]{4,}/.test(reference.get(key)!.replace(/\{\{[^}]*\}\}/g, ""))) expect(value, key).not.toBe(reference.get(key));
    }
  });
});

describe("SLA events in the ticket's timeline", () => {
  const cases: [string, string, string][] = [
    ["en", "First reply is due in 15 min", "Resolution target missed"],
    ["ja", "初回返信の期限まであと15分", "解決の目標時間を過ぎました"],
    ["ko", "첫 응답 기한까지 15분 남음", "해결 목표 시간 초과"],
    ["vi", "Phản hồi đầu tiên: còn 15 phút đến hạn", "Giải quyết: đã trễ hạn mục tiêu"],
  ];
  it.each(cases)("in %s", async (lng, warning, breached) => {
    addSlaDictionaries();
    await i18n.changeLanguage(lng);
    const t = i18n.t.bind(i18n) as (key: string, options?: Record<string, unknown>) => string;
    expect(slaEventView(t, "sla.warning", { metric: "first_reply", due_at: at(15) }, at(0))).toEqual({ tone: "warning", text: warning, dueAt: at(15) });
    expect(slaEventView(t, "sla.breached", { metric: "resolution", due_at: at(0) }, at(0))).toEqual({ tone: "breached", text: breached, dueAt: at(0) });
    await i18n.changeLanguage("en");
  });

  it("says 'soon' without a due time, and ignores other events", async () => {
    addSlaDictionaries();
    await i18n.changeLanguage("en");
    const t = i18n.t.bind(i18n) as (key: string, options?: Record<string, unknown>) => string;
    expect(slaEventView(t, "sla.warning", { metric: "next_reply" }, at(0))?.text).toBe("Next reply is due soon");
    expect(slaEventView(t, "sla.warning", { metric: "next_reply", due_at: "garbage" }, at(0))?.dueAt).toBeNull();
    expect(slaEventView(t, "ticket.updated", {}, at(0))).toBeNull();
  });
});
