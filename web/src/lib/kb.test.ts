import { describe, expect, it } from "vitest";
import type { Article } from "../kbApi";
import { articleProblem, changedTranslations, cleanTag, draftsOf, emptyDrafts, helpfulPercent, localeParam, localesOf, pickName } from "./kb";

describe("names in the reader's language", () => {
  it("uses the reader's language, else English, else any", () => {
    expect(pickName({ en: "Billing", ja: "請求" }, "ja")).toBe("請求");
    expect(pickName({ en: "Billing", ja: "請求" }, "ko")).toBe("Billing");
    expect(pickName({ vi: "Thanh toán" }, "ja")).toBe("Thanh toán");
    expect(pickName({ en: "  ", ko: "결제" }, "vi")).toBe("결제");
    expect(pickName({}, "en")).toBe("");
    expect(pickName(null, "en")).toBe("");
  });

  it("lists the languages written, in a fixed order", () => {
    expect(localesOf({ vi: "x", en: "y", ja: "" })).toEqual(["en", "vi"]);
    expect(localesOf(undefined)).toEqual([]);
  });
});

describe("the helpful share", () => {
  it("is a whole percentage, or nothing without votes", () => {
    expect(helpfulPercent(3, 1)).toBe(75);
    expect(helpfulPercent(2, 1)).toBe(67);
    expect(helpfulPercent(0, 4)).toBe(0);
    expect(helpfulPercent(0, 0)).toBeNull();
  });
});

const article = (translations: Article["translations"]): Pick<Article, "translations"> => ({ translations });
const tr = (title: string, body_md: string) => ({ title, body_md, body_html: "", updated_at: "", updated_by: null, revision: 1 });

describe("what a save sends", () => {
  it("sends only the languages whose title or text changed", () => {
    const saved = draftsOf(article({ en: tr("Refunds", "Text"), ja: tr("返金", "本文") }));
    const edited = { ...saved, ja: { title: "返金について", body_md: "本文" } };
    expect(changedTranslations(saved, edited)).toEqual({ ja: { title: "返金について", body_md: "本文" } });
    expect(changedTranslations(saved, saved)).toEqual({});
  });

  it("sends a new language once written, trimming the title", () => {
    const saved = draftsOf(article({ en: tr("Refunds", "Text") }));
    expect(changedTranslations(saved, { ...saved, ko: { title: "  환불 ", body_md: "내용" } })).toEqual({ ko: { title: "환불", body_md: "내용" } });
    expect(changedTranslations(saved, { ...saved, vi: { title: " ", body_md: "" } })).toEqual({});
  });

  it("starts new articles empty in every language", () => {
    expect(draftsOf(null)).toEqual(emptyDrafts());
  });
});

describe("what stops a save", () => {
  const d = emptyDrafts();
  it("needs a section and a title in some language", () => {
    expect(articleProblem(d, [], null)).toEqual({ kind: "noSection" });
    expect(articleProblem(d, [], 1)).toEqual({ kind: "noTitle" });
    expect(articleProblem({ ...d, en: { title: "A", body_md: "" } }, [], 1)).toBeNull();
  });

  it("names the language whose text has no title", () => {
    expect(articleProblem({ ...d, en: { title: "A", body_md: "x" }, vi: { title: "", body_md: "nội dung" } }, [], 1)).toEqual({ kind: "titleMissing", locale: "vi" });
  });

  it("keeps to the server's limits", () => {
    expect(articleProblem({ ...d, ja: { title: "長".repeat(201), body_md: "" } }, [], 1)).toEqual({ kind: "titleTooLong", locale: "ja" });
    expect(articleProblem({ ...d, ja: { title: "長".repeat(200), body_md: "" } }, [], 1)).toBeNull();
    // 200 KB of UTF-8: 70,000 kana are 210,000 bytes.
    expect(articleProblem({ ...d, ja: { title: "t", body_md: "あ".repeat(70_000) } }, [], 1)).toEqual({ kind: "bodyTooLong", locale: "ja" });
    const ok = { ...d, en: { title: "t", body_md: "" } };
    expect(articleProblem(ok, Array.from({ length: 21 }, (_, i) => `t${i}`), 1)).toEqual({ kind: "tooManyTags" });
    expect(articleProblem(ok, ["x".repeat(41)], 1)).toEqual({ kind: "tagTooLong", tag: "x".repeat(41) });
  });
});

describe("tags and the address", () => {
  it("cleans tags as stored", () => {
    expect(cleanTag("  Billing Issue ")).toBe("billing-issue");
    expect(cleanTag(",,")).toBe("");
    expect(cleanTag("返金")).toBe("返金");
  });

  it("reads the editor's language from ?locale=", () => {
    expect(localeParam("?locale=ja")).toBe("ja");
    expect(localeParam("?locale=fr")).toBeNull();
    expect(localeParam("")).toBeNull();
  });
});
