import { describe, expect, it } from "vitest";
import { customerStatus } from "./status";
import { checkEmail, checkText, looksLikeEmail, validateRequest } from "./validate";
import { pickLocale } from "./i18n";
import { parsePortalPath } from "./PortalApp";
import { regionalLocale, replyByTime } from "./expected";
import en from "./i18n/en";
import ja from "./i18n/ja";
import ko from "./i18n/ko";
import vi from "./i18n/vi";

describe("customer-facing status", () => {
  it("maps every ticket status to the customer's words", () => {
    expect(customerStatus("pending")).toBe("awaiting");
    expect(customerStatus("solved")).toBe("solved");
    expect(customerStatus("closed")).toBe("solved");
    for (const s of ["new", "open", "on_hold", "something_else"]) expect(customerStatus(s)).toBe("open");
  });
  it("has wording in every language", () => {
    expect(en.status.awaiting).toBe("Awaiting your reply");
    expect(en.status.solved).toBe("Solved");
    expect(en.status.open).toBe("Open");
    for (const d of [ja, ko, vi]) for (const k of ["open", "awaiting", "solved"] as const) expect(d.status[k]).not.toBe(en.status[k]);
    expect(ja.status.awaiting).toContain("返信待ち");
    expect(vi.status.solved).toBe("Đã giải quyết");
  });
});

describe("validation mirrors the server", () => {
  it("checks emails like LooksLikeEmail", () => {
    expect(looksLikeEmail("hoa@example.vn")).toBe(true);
    expect(looksLikeEmail("  Hoa@Example.VN ")).toBe(true);
    for (const bad of ["", "x", "@example.com", "a@", "a@b", "a@@b.c", "a b@c.d", "a@b,c.d", "<a@b.c>"])
      expect(looksLikeEmail(bad), bad).toBe(false);
    expect(checkEmail("")).toEqual({ problem: "required" });
    expect(checkEmail("nope")).toEqual({ problem: "invalidEmail" });
  });
  it("checks text like CheckText", () => {
    expect(checkText("   ", 10)).toEqual({ problem: "required" });
    expect(checkText("a\u0007b", 10)).toEqual({ problem: "control" });
    expect(checkText("line\nline", 20)).toEqual({ problem: "control" });
    expect(checkText("line\nline", 20, true)).toBeNull();
    expect(checkText("返".repeat(250), 250)).toBeNull(); // code points, not bytes
    expect(checkText("返".repeat(251), 250)).toEqual({ problem: "tooLong", max: 250 });
    expect(checkText("😀".repeat(3), 3)).toBeNull();
  });
  it("needs no name or email from a signed-in customer", () => {
    const empty = { name: "", email: "", subject: "", body: "" };
    expect(Object.keys(validateRequest(empty, false))).toEqual(["name", "email", "subject", "body"]);
    expect(Object.keys(validateRequest(empty, true))).toEqual(["subject", "body"]);
    expect(validateRequest({ name: "Lan", email: "lan@example.vn", subject: "Hi", body: "Hello" }, false)).toEqual({});
  });
});

describe("help-centre language and routes", () => {
  it("prefers the customer's choice, then the browser, then the workspace", () => {
    expect(pickLocale({ chosen: "ko", browser: ["ja-JP"], workspace: "vi" })).toBe("ko");
    expect(pickLocale({ browser: ["fr-FR", "ja-JP"], workspace: "vi" })).toBe("ja");
    expect(pickLocale({ browser: ["fr-FR"], workspace: "vi" })).toBe("vi");
    expect(pickLocale({ browser: ["de"], workspace: "de" })).toBe("en");
    expect(pickLocale({ chosen: "xx", browser: ["vi-VN"] })).toBe("vi");
  });
  it("parses /help/{workspace} paths", () => {
    expect(parsePortalPath("/help/demo")).toEqual({ ws: "demo", route: { name: "home" } });
    expect(parsePortalPath("/help/demo/")).toEqual({ ws: "demo", route: { name: "home" } });
    expect(parsePortalPath("/help/demo/sign-in")).toEqual({ ws: "demo", route: { name: "signIn" } });
    expect(parsePortalPath("/help/demo/requests")).toEqual({ ws: "demo", route: { name: "requests" } });
    expect(parsePortalPath("/help/demo/requests/12")).toEqual({ ws: "demo", route: { name: "request", number: 12 } });
    expect(parsePortalPath("/help/demo/requests/0x1").route.name).toBe("notFound");
    expect(parsePortalPath("/help").ws).toBe("");
  });
});

describe("the expected reply time", () => {
  const now = Date.parse("2026-11-23T09:00:00Z");
  it("reads as weekday, date and time in the reader's language and zone", () => {
    expect(replyByTime("2026-11-24T01:00:00Z", "en-GB", now, "Asia/Tokyo")).toBe("Tue 24 Nov, 10:00");
    expect(replyByTime("2026-11-24T01:00:00Z", "ja", now, "Asia/Tokyo")).toBe("11月24日(火) 10:00");
    expect(replyByTime("2026-11-24T01:00:00Z", "en-GB", now, "America/New_York")).toBe("Mon 23 Nov, 20:00");
  });
  it("names the year only when it is not this one", () => {
    expect(replyByTime("2027-01-04T01:00:00Z", "en-GB", now, "Asia/Tokyo")).toMatch(/^Mon,? 4 Jan 2027, 10:00$/);
    expect(replyByTime("2026-12-04T01:00:00Z", "en-GB", now, "Asia/Tokyo")).not.toContain("2026");
  });
  it("says nothing without a time, or when the time has passed", () => {
    expect(replyByTime(null, "en", now)).toBeNull();
    expect(replyByTime(undefined, "en", now)).toBeNull();
    expect(replyByTime("not a date", "en", now)).toBeNull();
    expect(replyByTime("2026-11-23T08:59:00Z", "en", now)).toBeNull();
  });
  it("uses the browser's regional form of the help centre's language", () => {
    expect(regionalLocale("en", ["en-GB", "ja-JP"])).toBe("en-GB");
    expect(regionalLocale("ja", ["en-GB", "ja-JP"])).toBe("ja-JP");
    expect(regionalLocale("vi", ["en-GB"])).toBe("vi");
  });
});
