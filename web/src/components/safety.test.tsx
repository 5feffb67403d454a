import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import i18n from "../i18n";
import { CustomerPanel } from "../pages/CustomerPanel";
import { StatusPill } from "./bits";
import { visibleRange } from "./VirtualList";
import type { Customer } from "../api";

const hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>";

describe("text safety", () => {
  it("renders user-supplied customer fields as text", () => {
    const c: Customer = {
      id: 1, name: hostile, language: "ko", organisation_id: null, notes: `VIP ${hostile}`, birthday: "1990-05-04",
      identities: [{ kind: "email", value: "a@example.com" }], merged_into: null,
      created_at: "2026-01-01T00:00:00.000Z", updated_at: "2026-01-01T00:00:00.000Z", version: 1,
    };
    const html = renderToStaticMarkup(<CustomerPanel customer={c} currentTicketId={1} />);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("no source file uses dangerouslySetInnerHTML or innerHTML", () => {
    const root = path.resolve(__dirname, "..");
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = path.join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(tsx?|ts)$/.test(f) && !f.includes(".test.")) files.push(p);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const src = readFileSync(f, "utf8");
      expect(src, f).not.toMatch(/dangerouslySetInnerHTML|\.innerHTML\s*=|insertAdjacentHTML/);
    }
  });

  it("translates status pills", () => {
    expect(renderToStaticMarkup(<StatusPill status="on_hold" />)).toContain("On hold");
  });
});

describe("virtual list window", () => {
  it("renders a few dozen rows out of 10,000", () => {
    const { first, last } = visibleRange(44 * 5000, 800, 44, 10_000, 8);
    expect(first).toBe(4992);
    expect(last - first + 1).toBeLessThan(40);
    expect(visibleRange(0, 800, 44, 10_000, 8).first).toBe(0);
    expect(visibleRange(44 * 20_000, 800, 44, 10_000, 8).last).toBe(9_999);
  });
});

describe("i18n runtime", () => {
  it("formats counts with plurals and digit grouping", () => {
    expect(i18n.getFixedT("en")("inbox.count", { count: 1 })).toBe("1 ticket");
    expect(i18n.getFixedT("en")("inbox.count", { count: 10000 })).toBe("10,000 tickets");
    expect(i18n.getFixedT("ja")("inbox.count", { count: 10000 })).toBe("10,000 件");
    expect(i18n.getFixedT("vi")("inbox.count", { count: 10000 })).toBe("10.000 phiếu");
  });
  it("keeps colons in keys (no namespace split)", () => {
    expect(i18n.getFixedT("ko")("admin.scopes.tickets:write")).toBe("티켓 변경");
  });
});
