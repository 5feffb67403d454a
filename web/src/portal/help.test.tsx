import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "./api";
import { helpPaths, parsePortalPath } from "./routes";
import { canSuggest, createSuggester, suggestQuery, SUGGEST_MAX_BYTES, SUGGEST_MAX_CHARS, type SuggestState } from "./suggest";
import {
  asVote, isOwn, nextVote, orderAnswers, pendingReason, postFailure, pressVote, reasonOf, retryAfterSeconds, waitParts,
} from "./community";
import { groupResults } from "./KnowledgeBase";
import { failureText } from "./Community";
import i18n from "./i18n";
import type { SearchResult } from "./api";
import { renderToStaticMarkup } from "react-dom/server";
import { Loading } from "./ui";

// ------------------------------------------------------------------ routes

describe("help-centre addresses", () => {
  it("reads knowledge-base and community paths", () => {
    expect(parsePortalPath("/help/demo/requests/new").route).toEqual({ name: "newRequest" });
    expect(parsePortalPath("/help/demo/articles/12").route).toEqual({ name: "article", id: 12 });
    expect(parsePortalPath("/help/demo/articles/12-reset-your-password").route).toEqual({ name: "article", id: 12 });
    expect(parsePortalPath("/help/demo/categories/3").route).toEqual({ name: "category", id: 3 });
    expect(parsePortalPath("/help/demo/sections/4").route).toEqual({ name: "section", id: 4 });
    expect(parsePortalPath("/help/demo/search").route).toEqual({ name: "search" });
    expect(parsePortalPath("/help/demo/community").route).toEqual({ name: "community" });
    expect(parsePortalPath("/help/demo/community/new").route).toEqual({ name: "ask" });
    expect(parsePortalPath("/help/demo/community/9").route).toEqual({ name: "topic", id: 9 });
    expect(parsePortalPath("/help/demo/community/9-how-to-pay").route).toEqual({ name: "topic", id: 9 });
    expect(parsePortalPath("/help/demo/community/topics/9").route).toEqual({ name: "topic", id: 9 });
    for (const bad of ["/help/demo/articles/0", "/help/demo/articles/abc", "/help/demo/articles/1/2", "/help/demo/community/topics", "/help/demo/kb"])
      expect(parsePortalPath(bad).route.name, bad).toBe("notFound");
    expect(parsePortalPath("/help/%E0%A4%A").ws).toBe(""); // a malformed escape is no workspace, not a crash
  });
  it("makes the addresses it reads", () => {
    const p = helpPaths("demo");
    expect(p.article(5)).toBe("/help/demo/articles/5");
    expect(p.article(5, "ja")).toBe("/help/demo/articles/5?locale=ja");
    expect(p.search("返金 方法")).toBe("/help/demo/search?q=%E8%BF%94%E9%87%91+%E6%96%B9%E6%B3%95");
    expect(p.community()).toBe("/help/demo/community");
    expect(p.community("votes")).toBe("/help/demo/community?sort=votes");
    expect(p.topic(7)).toBe("/help/demo/community/7");
    for (const path of [p.article(5), p.category(1), p.section(2), p.topic(7), p.ask, p.newRequest, p.community(), "/help/demo/search"])
      expect(parsePortalPath(path).route.name, path).not.toBe("notFound");
  });
});

// ------------------------------------------------------------------ suggestions

describe("the suggestion query", () => {
  it("joins subject and description, squeezing spaces", () => {
    expect(suggestQuery("  Refund ", "  I was\n charged   twice ")).toBe("Refund I was charged twice");
    expect(suggestQuery("", "")).toBe("");
  });
  it("caps a long draft at whole characters, within the server's 1,000 bytes", () => {
    expect(Array.from(suggestQuery("refund", "x".repeat(1000))).length).toBe(SUGGEST_MAX_CHARS);
    const ja = suggestQuery("返金", "あ".repeat(1000));
    expect(new TextEncoder().encode(ja).length).toBeLessThanOrEqual(SUGGEST_MAX_BYTES);
    expect(Array.from(ja).length).toBe(SUGGEST_MAX_BYTES / 3);
    const emoji = suggestQuery("返金", "😀".repeat(1000));
    expect(emoji.startsWith("返金 😀")).toBe(true);
    expect(new TextEncoder().encode(emoji).length).toBeLessThanOrEqual(SUGGEST_MAX_BYTES);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF]$/); // never half an emoji
  });
  it("asks from two characters on, counted as characters (two kanji, one Hangul word)", () => {
    expect(canSuggest("返金")).toBe(true);
    expect(canSuggest("환불")).toBe(true);
    expect(canSuggest("返")).toBe(false);
    expect(canSuggest(" a ")).toBe(false);
    expect(canSuggest("😀")).toBe(false); // two UTF-16 units, one character
    expect(canSuggest("ab")).toBe(true);
  });
});

describe("the debounced suggester", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(answer: (q: string) => Promise<string[]> = async (q) => [`${q}-1`, `${q}-2`, `${q}-3`, `${q}-4`, `${q}-5`, `${q}-6`]) {
    const asked: string[] = [];
    const states: SuggestState<string>[] = [];
    const s = createSuggester<string>({
      fetch: (q) => {
        asked.push(q);
        return answer(q);
      },
      onChange: (st) => states.push(st),
    });
    return { s, asked, states, last: () => states[states.length - 1] };
  }

  it("asks once the customer pauses for 250 ms, and shows at most five", async () => {
    const { s, asked, last } = setup();
    for (const q of ["r", "re", "ref", "refu", "refund"]) {
      s.update(q);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(asked).toEqual([]);
    await vi.advanceTimersByTimeAsync(150);
    expect(asked).toEqual(["refund"]);
    expect(last()).toEqual({ query: "refund", items: ["refund-1", "refund-2", "refund-3", "refund-4", "refund-5"], loading: false });
  });
  it("works for a two-kanji query and not for one", async () => {
    const { s, asked } = setup();
    s.update("返");
    await vi.advanceTimersByTimeAsync(300);
    expect(asked).toEqual([]);
    s.update("返金");
    await vi.advanceTimersByTimeAsync(300);
    expect(asked).toEqual(["返金"]);
  });
  it("does not ask again for the same words, and clears when the draft is emptied", async () => {
    const { s, asked, last } = setup();
    s.update("refund");
    await vi.advanceTimersByTimeAsync(300);
    s.update("refund ");
    s.update("refunds");
    s.update("refund");
    await vi.advanceTimersByTimeAsync(300);
    expect(asked).toEqual(["refund"]);
    s.update("");
    expect(last()).toEqual({ query: "", items: [], loading: false });
  });
  it("ignores an answer that arrives after a newer question", async () => {
    const resolvers: Record<string, (v: string[]) => void> = {};
    const { s, last } = setup((q) => new Promise((r) => (resolvers[q] = r)));
    s.update("slow");
    await vi.advanceTimersByTimeAsync(300);
    s.update("fast");
    await vi.advanceTimersByTimeAsync(300);
    resolvers.fast(["F"]);
    await vi.advanceTimersByTimeAsync(0);
    resolvers.slow(["S"]);
    await vi.advanceTimersByTimeAsync(0);
    expect(last().items).toEqual(["F"]);
    expect(last().query).toBe("fast");
  });
  it("keeps what was shown when a request fails, and may try the same words again", async () => {
    let fail = false;
    const { s, asked, last } = setup(async (q) => {
      if (fail) throw new Error("offline");
      return [q];
    });
    s.update("wifi");
    await vi.advanceTimersByTimeAsync(300);
    fail = true;
    s.update("wifi router");
    await vi.advanceTimersByTimeAsync(300);
    expect(last()).toEqual({ query: "wifi", items: ["wifi"], loading: false });
    fail = false;
    s.update("wifi router");
    await vi.advanceTimersByTimeAsync(300);
    expect(asked).toEqual(["wifi", "wifi router", "wifi router"]);
    expect(last().items).toEqual(["wifi router"]);
  });
  it("stops after dispose", async () => {
    const { s, asked } = setup();
    s.update("refund");
    s.dispose();
    await vi.advanceTimersByTimeAsync(300);
    expect(asked).toEqual([]);
  });
});

// ------------------------------------------------------------------ community

describe("votes", () => {
  it("presses an arrow, and pressing it again takes the vote back", () => {
    expect(nextVote(0, 1)).toBe(1);
    expect(nextVote(1, 1)).toBe(0);
    expect(nextVote(1, -1)).toBe(-1);
    expect(nextVote(-1, -1)).toBe(0);
  });
  it("moves the count straight away by the difference", () => {
    expect(pressVote({ votes: 4, my_vote: 0 }, 1)).toEqual({ next: { votes: 5, my_vote: 1 }, send: 1 });
    expect(pressVote({ votes: 5, my_vote: 1 }, 1)).toEqual({ next: { votes: 4, my_vote: 0 }, send: 0 });
    expect(pressVote({ votes: 5, my_vote: 1 }, -1)).toEqual({ next: { votes: 3, my_vote: -1 }, send: -1 });
    expect(pressVote({ votes: -1, my_vote: -1 }, 1)).toEqual({ next: { votes: 1, my_vote: 1 }, send: 1 });
  });
  it("reads my_vote defensively", () => {
    expect(asVote(1)).toBe(1);
    expect(asVote(-1)).toBe(-1);
    expect(asVote(undefined)).toBe(0);
    expect(asVote(2)).toBe(0);
  });
  it("knows one's own posts", () => {
    expect(isOwn({ kind: "customer", id: 3 }, 3)).toBe(true);
    expect(isOwn({ kind: "agent", id: 3 }, 3)).toBe(false);
    expect(isOwn({ kind: "customer", id: 3 }, null)).toBe(false);
  });
});

describe("the order of answers", () => {
  const post = (id: number, votes: number, created_at: string, accepted = false) => ({ id, votes, created_at, accepted });
  it("puts the accepted answer first, then the most voted, then the oldest", () => {
    const posts = [
      post(1, 2, "2026-01-01T00:00:00Z"),
      post(2, 9, "2026-01-02T00:00:00Z"),
      post(3, 0, "2026-01-03T00:00:00Z", true),
      post(4, 2, "2025-12-31T00:00:00Z"),
    ];
    expect(orderAnswers(posts).map((p) => p.id)).toEqual([3, 2, 4, 1]);
    // The topic's accepted_post_id counts even when the post does not say so itself.
    expect(orderAnswers(posts.map((p) => ({ ...p, accepted: false })), 1).map((p) => p.id)).toEqual([1, 2, 4, 3]);
    expect(posts.map((p) => p.id)).toEqual([1, 2, 3, 4]); // the input is left alone
  });
});

describe("moderation and limits", () => {
  it("names why a post waits", () => {
    expect(pendingReason("links_new_user")).toBe("links");
    expect(pendingReason("too_many_links")).toBe("links");
    expect(pendingReason("duplicate")).toBe("duplicate");
    expect(pendingReason("banned_words")).toBe("words");
    expect(pendingReason("repeated_words")).toBe("style");
    expect(pendingReason("repeated_characters")).toBe("style");
    expect(pendingReason("shouting")).toBe("style");
    expect(pendingReason("Links from a new customer")).toBe("links");
    expect(pendingReason(undefined)).toBe("other");
    expect(reasonOf({ status: "pending", pending_reason: "links" })).toBe("links");
    expect(reasonOf({ moderation: { reason: "duplicate" } })).toBe("duplicate");
    expect(reasonOf({ pending_reason_text: "Too many links" })).toBe("Too many links");
    expect(reasonOf(null)).toBeUndefined();
  });
  it("reads Retry-After as seconds or as a date", () => {
    const now = Date.parse("2026-12-06T06:00:00Z");
    expect(retryAfterSeconds("120", now)).toBe(120);
    expect(retryAfterSeconds("0", now)).toBe(1);
    expect(retryAfterSeconds("Sun, 06 Dec 2026 06:01:30 GMT", now)).toBe(90);
    expect(retryAfterSeconds("soon", now)).toBeNull();
    expect(retryAfterSeconds(null, now)).toBeNull();
    expect(waitParts(45)).toEqual({ unit: "seconds", count: 45 });
    expect(waitParts(600)).toEqual({ unit: "minutes", count: 10 });
    expect(waitParts(91)).toEqual({ unit: "minutes", count: 2 });
  });
  it("tells a ban from a stale session, and a rate limit from the rest", () => {
    expect(postFailure(new ApiError(403, "permission_denied", "you cannot post in this community"))).toEqual({ kind: "banned" });
    expect(postFailure(new ApiError(403, "permission_denied", "send the X-CSRF-Token", "X-CSRF-Token"))).toEqual({ kind: "session" });
    expect(postFailure(new ApiError(429, "rate_limited", "", undefined, { retry_after_header: "540" }))).toEqual({ kind: "rateLimited", seconds: 540 });
    expect(postFailure(new ApiError(429, "rate_limited", ""))).toEqual({ kind: "rateLimited", seconds: null });
    expect(postFailure(new ApiError(401, "unauthenticated", ""))).toEqual({ kind: "signedOut" });
    expect(postFailure(new ApiError(400, "invalid_argument", "", "title"))).toEqual({ kind: "invalid", field: "title" });
    expect(postFailure(new Error("x")).kind).toBe("other");
  });
  it("says how long to wait in the reader's language", () => {
    const en = i18n.getFixedT("en");
    const ja = i18n.getFixedT("ja");
    expect(failureText(en, "en", { kind: "rateLimited", seconds: 540 })).toBe("You are posting very quickly. Please wait 9 minutes and try again.");
    expect(failureText(en, "en", { kind: "rateLimited", seconds: 1 })).toContain("wait 1 second and");
    expect(failureText(ja, "ja", { kind: "rateLimited", seconds: 30 })).toContain("30 秒");
    expect(failureText(en, "en", { kind: "banned" })).toBe("You cannot post in this community. If you think this is a mistake, please submit a request.");
  });
});

describe("search results by kind", () => {
  const r = (kind: string, id: number): SearchResult => ({ kind, id, locale: "en", title: `${kind} ${id}`, snippet: [], score: 1 });
  it("orders articles, community, then own requests (signed in only), keeping the ranking within", () => {
    const results = [r("topic", 1), r("article", 2), r("ticket", 3), r("article", 4), r("customer", 5)];
    expect(groupResults(results, true).map((g) => [g.kind, g.results.map((x) => x.id)])).toEqual([
      ["article", [2, 4]],
      ["topic", [1]],
      ["ticket", [3]],
    ]);
    expect(groupResults(results, false).map((g) => g.kind)).toEqual(["article", "topic"]);
    expect(groupResults([], true)).toEqual([]);
  });
});

// ------------------------------------------------------------------ loading

describe("the loading line and the load error", () => {
  beforeEach(() => void i18n.changeLanguage("en"));

  it("says it is loading, in its own words when given", () => {
    expect(renderToStaticMarkup(<Loading />)).toBe('<p class="p-loading" role="status">Loading…</p>');
    expect(renderToStaticMarkup(<Loading text="Signing you in…" className="p-card" />)).toBe('<p class="p-loading" role="status">Signing you in…</p>');
  });

  it("shows the error with a retry button, in a box when asked", () => {
    const error = new ApiError(500, "internal", "");
    const alone = renderToStaticMarkup(<Loading error={error} retry={() => {}} />);
    expect(alone).toMatch(/^<div class="p-alert p-alert-error" role="alert">[^<]+<\/div><button type="button" class="p-btn">Try again<\/button>$/);
    const boxed = renderToStaticMarkup(<Loading error={error} retry={() => {}} className="p-card p-narrow" />);
    expect(boxed).toBe(`<div class="p-card p-narrow">${alone}</div>`);
  });
});
