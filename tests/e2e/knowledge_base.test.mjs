// End-to-end test of self-service in the agent app (issue 7): an agent builds the knowledge
// base (a category and a section named in English and Japanese), writes an article in both
// languages with the live preview, saves, meets a conflicting save, publishes and reads the
// versions; the shell's search finds the ticket and the article; the ticket suggests the
// article and "Insert link" puts it in the reply; and a customer's held community topic is
// moderated, answered officially, turned into a draft article, and its author banned.
// A real `kizuna serve --demo` on a free loopback port with a temp data dir and an SMTP
// receiver (the customer signs in to the help centre with the emailed link), driven in
// Debian's Chromium through playwright-core.
// Run: node --test tests/e2e/knowledge_base.test.mjs
//
// Env: KIZUNA_BINARY (default build/src/server/kizuna), KIZUNA_WEB_DIST (default web/dist),
//      CHROMIUM (default /usr/bin/chromium), KIZUNA_SCREENSHOTS (default build/e2e-screenshots).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CHROMIUM, SHOTS, answerLate, chromium, openAgentBrowser, pageApi, requireBuilt, signInAgent, signInTokenFor, startMailingDemoServer,
  stopMailingDemoServer, WAIT_MS,
} from "./support.mjs";

const EN_TITLE = "How do I get a refund?";
const EN_BODY = "You can ask for a **refund** within 30 days.\n\n1. Open *Orders*\n2. Choose the order\n\n[Contact us](https://example.com/contact)\n\n<script>alert('x')</script>";
const JA_TITLE = "返金を受けるには？";
const JA_BODY = "ご購入から30日以内であれば**返金**をお申し込みいただけます。\n\n- 注文履歴を開きます\n- 注文を選びます";
const CUSTOMER = { name: "Lan Nguyen", email: "lan.nguyen@example.vn" };

let server;
let smtp;
let dataDir;
let mailDir;
let profileDir;
let context;
let page;
let base;
let sectionId;
let articleId;
let ticketId;
const dialogs = [];
const cspViolations = [];
const pageErrors = [];

const shot = async (name) => {
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(SHOTS, `kb-${name}.png`), fullPage: false });
};
/** An API call as the agent signed in to the page. */
const api = (method, p, body) => pageApi(page, method, p, body);
const text = async (locator) => (await locator.textContent()).trim();

/** Polls `fn` until it returns a truthy value (the search index is fed asynchronously). */
async function eventually(fn, ms = WAIT_MS, what = "condition") {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not happen within ${ms} ms (last: ${JSON.stringify(last)})`);
}

before(async () => {
  await requireBuilt("index.html");
  ({ server, base, dataDir, mailDir, smtp } = await startMailingDemoServer("kizuna-e2e-kb-"));
  profileDir = mkdtempSync(path.join(tmpdir(), "kizuna-e2e-chromium-"));
  ({ context, page } = await openAgentBrowser(chromium, CHROMIUM, profileDir, dialogs, cspViolations));
  page.on("pageerror", (e) => pageErrors.push(e.message));
});

after(async () => {
  await context?.close().catch(() => {});
  await stopMailingDemoServer({ server, smtp, dataDir });
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

test("an agent builds the tree: a category and a section named in English and Japanese", async () => {
  await signInAgent(page, base, "agent@demo.kizuna.test", "kizuna-demo-agent");
  await page.getByTestId("nav-kb").click();
  await page.waitForURL(/\/kb$/);
  await page.getByTestId("kb-stats").waitFor();
  assert.match(await text(page.locator(".kb-choose")), /No categories yet/);
  await shot("01-empty");

  await page.getByTestId("kb-add-category").click();
  const form = page.getByTestId("kb-names-form");
  // Nothing typed: refused on the form, nothing sent.
  await form.getByTestId("kb-names-save").click();
  await form.getByText("Please enter a name in at least one language.").waitFor();
  await form.getByTestId("kb-name-en").fill("Billing");
  await form.getByTestId("kb-name-ja").fill("請求");
  await form.getByTestId("kb-names-save").click();
  await page.getByTestId("kb-tree-notice").filter({ hasText: "“Billing” added." }).waitFor();
  const category = page.getByTestId("kb-category").filter({ hasText: "Billing" });

  await category.getByTestId("kb-add-section").click();
  await form.getByTestId("kb-name-en").fill("Refunds");
  await form.getByTestId("kb-name-ja").fill("返金");
  await form.getByTestId("kb-names-save").click();
  await page.waitForURL(/\/kb\/sections\/\d+$/);
  sectionId = Number(page.url().match(/sections\/(\d+)/)[1]);
  assert.equal(await text(page.getByTestId("kb-section-title")), "Refunds");
  await page.getByTestId("kb-articles-empty").waitFor();

  // Renamed in English; the Japanese name stays.
  await page.getByTestId("kb-section").filter({ hasText: "Refunds" }).getByTestId("kb-rename-section").click();
  assert.equal(await form.getByTestId("kb-name-ja").inputValue(), "返金");
  await form.getByTestId("kb-name-en").fill("Refunds and returns");
  // The tree's re-read is slow to answer: "saved" still shows only beside the new name.
  const slowTree = answerLate();
  await page.route("**/api/v1/kb/categories", slowTree);
  await form.getByTestId("kb-names-save").click();
  await page.getByTestId("kb-tree-notice").filter({ hasText: "“Refunds and returns” saved." }).waitFor();
  assert.equal(await text(page.getByTestId("kb-section-title")), "Refunds and returns");
  await page.unroute("**/api/v1/kb/categories", slowTree);
  const cats = (await api("GET", "/api/v1/kb/categories")).body.categories;
  assert.deepEqual(cats[0].names, { en: "Billing", ja: "請求" });
  assert.deepEqual(cats[0].sections[0].names, { en: "Refunds and returns", ja: "返金" });

  // Only admins delete categories and sections: an agent is not offered it.
  assert.equal(await page.getByTestId("kb-delete-category").count(), 0);
  assert.equal(await page.getByTestId("kb-delete-section").count(), 0);
  await shot("02-tree");
});

test("writes an article in English and Japanese with a live preview, saves and publishes it", async () => {
  await page.getByTestId("kb-new-article").click();
  await page.waitForURL(/\/kb\/articles\/new\?section_id=\d+$/);
  await page.locator(`#kb-section option[value='${sectionId}']`).waitFor({ state: "attached" });
  assert.equal(await page.getByTestId("kb-section-select").inputValue(), String(sectionId));
  await page.getByTestId("kb-title").fill(EN_TITLE);
  await page.getByTestId("kb-body").fill(EN_BODY);
  const preview = page.getByTestId("kb-preview-body");
  await preview.locator("strong", { hasText: "refund" }).waitFor();
  assert.equal(await preview.locator("ol li").count(), 2);
  assert.equal(await preview.locator("a[href='https://example.com/contact']").getAttribute("rel"), "noopener noreferrer nofollow");
  assert.equal(await preview.locator("script").count(), 0, "no script survives the preview");
  assert.doesNotMatch(await preview.innerHTML(), /alert\('x'\)<\/script>|<script/);
  assert.equal(await text(page.getByTestId("kb-editor-heading")), EN_TITLE);

  await page.getByTestId("kb-tab-ja").click();
  assert.equal(await page.getByTestId("kb-title").inputValue(), "");
  await page.getByTestId("kb-title").fill(JA_TITLE);
  await page.getByTestId("kb-body").fill(JA_BODY);
  await preview.locator("strong", { hasText: "返金" }).waitFor();
  assert.equal(await page.getByTestId("kb-tab-en").getAttribute("data-state"), "changed");
  await page.getByTestId("kb-tags").waitFor();
  await page.getByTestId("kb-tag-input").fill("Refund Policy");
  await page.getByTestId("kb-tag-input").press("Enter");
  await page.getByTestId("kb-tags").getByText("refund-policy").waitFor();
  await shot("03-editor-preview-ja");

  await page.getByTestId("kb-save").click();
  await page.waitForURL(/\/kb\/articles\/\d+\?locale=ja$/);
  articleId = Number(page.url().match(/articles\/(\d+)/)[1]);
  await page.getByTestId("kb-editor-notice").filter({ hasText: "Article created as a draft." }).waitFor();
  assert.equal(await text(page.getByTestId("kb-status")), "Draft");
  assert.equal(await page.getByTestId("kb-title").inputValue(), JA_TITLE);
  assert.equal(await page.getByTestId("kb-tab-en").getAttribute("data-state"), "written");
  const saved = (await api("GET", `/api/v1/kb/articles/${articleId}`)).body;
  assert.equal(saved.translations.en.title, EN_TITLE);
  assert.equal(saved.translations.ja.body_md, JA_BODY);
  assert.deepEqual(saved.tags, ["refund-policy"]);

  // A second English revision.
  await page.getByTestId("kb-tab-en").click();
  await page.getByTestId("kb-body").fill(`${EN_BODY}\n\nRefunds reach your card in 5 days.`);
  await page.getByTestId("kb-unsaved").waitFor();
  await page.getByTestId("kb-save").click();
  await page.getByTestId("kb-editor-notice").filter({ hasText: "Saved." }).waitFor();
  const versions = page.getByTestId("kb-versions");
  await eventually(async () => (await versions.getByTestId("kb-version").count()) >= 2, WAIT_MS, "two English versions");
  assert.match(await text(versions.locator("h2")), /Versions in English/);
  const first = versions.locator("[data-testid=kb-version][data-revision='1']");
  assert.match(await text(first), /Minh Agent/);
  await first.getByTestId("kb-version-view").click();
  const old = await text(first.getByTestId("kb-version-text"));
  assert.ok(old.includes("You can ask for a **refund** within 30 days.") && !old.includes("5 days"), old);
  await shot("04-versions");

  // Someone else saves meanwhile: the agent's save is refused with a clear message, their text kept.
  const current = (await api("GET", `/api/v1/kb/articles/${articleId}`)).body;
  const theirs = await api("PATCH", `/api/v1/kb/articles/${articleId}`, {
    version: current.version, translations: { en: { title: "How can I get my money back?", body_md: current.translations.en.body_md } },
  });
  assert.equal(theirs.status, 200, JSON.stringify(theirs.body));
  await page.getByTestId("kb-title").fill("How do I get a refund quickly?");
  await page.getByTestId("kb-save").click();
  const conflict = page.getByTestId("kb-conflict");
  await conflict.waitFor();
  assert.match(await text(conflict), /Someone else saved this article while you were editing\./);
  assert.equal(await page.getByTestId("kb-title").inputValue(), "How do I get a refund quickly?", "the agent's text is kept");
  await shot("05-conflict");
  await conflict.getByTestId("kb-conflict-load").click();
  assert.equal(await page.getByTestId("kb-title").inputValue(), "How can I get my money back?");
  await page.getByTestId("kb-title").fill(EN_TITLE);

  // Publishing saves the change too.
  await page.getByTestId("kb-publish").click();
  await page.getByTestId("kb-editor-notice").filter({ hasText: "Published." }).waitFor();
  assert.equal(await text(page.getByTestId("kb-status")), "Published");
  const published = (await api("GET", `/api/v1/kb/articles/${articleId}`)).body;
  assert.equal(published.status, "published");
  assert.equal(published.translations.en.title, EN_TITLE);
  await shot("06-published");

  await page.getByTestId("kb-editor-back").click();
  await page.waitForURL(new RegExp(`/kb/sections/${sectionId}$`));
  const row = page.locator(`[data-testid=kb-article-row][data-article-id='${articleId}']`);
  await row.waitFor();
  assert.equal(await text(row.getByTestId("kb-status")), "Published");
  assert.equal(await text(row.getByTestId("kb-article-link")), EN_TITLE);
  await page.getByTestId("kb-stat-published").filter({ hasText: /1/ }).waitFor(); // the figures are read on their own
  await shot("07-list");

  // Unsaved edits survive a trip elsewhere in the app.
  await row.getByTestId("kb-article-link").click();
  await page.waitForURL(new RegExp(`/kb/articles/${articleId}$`));
  await page.getByTestId("kb-title").fill("A title not saved yet");
  await page.getByTestId("kb-editor-back").click();
  await row.waitFor();
  await row.getByTestId("kb-article-link").click();
  await page.getByTestId("kb-editor-notice").filter({ hasText: "Your changes that were not saved yet are back in the editor." }).waitFor();
  assert.equal(await page.getByTestId("kb-title").inputValue(), "A title not saved yet");
  await page.getByTestId("kb-title").fill(EN_TITLE);
  assert.equal(await page.getByTestId("kb-save").isDisabled(), true, "back to the saved text: nothing to save");
  await page.getByTestId("kb-editor-back").click();
  await row.waitFor();
});

test("the shell's search finds the ticket and the article; keys move and open", async () => {
  const t = await api("POST", "/api/v1/tickets", {
    subject: "Refund for order A-1001",
    body: "Hello, the kettle arrived broken. I would like a refund for order A-1001, please.",
    channel: "email",
    requester: CUSTOMER,
  });
  assert.equal(t.status, 201, JSON.stringify(t.body));
  ticketId = t.body.id;
  // The index is fed asynchronously: wait until both are found.
  await eventually(async () => {
    const r = await api("GET", "/api/v1/search?q=refund");
    const kinds = new Set((r.body?.results ?? []).map((x) => `${x.kind}:${x.id}`));
    return kinds.has(`article:${articleId}`) && kinds.has(`ticket:${ticketId}`);
  }, WAIT_MS, "search finding the article and the ticket");

  await page.keyboard.press("/");
  const input = page.getByTestId("global-search-input");
  assert.equal(await input.evaluate((el) => el === document.activeElement), true, "“/” focuses the search");
  await input.fill("refund");
  const panel = page.getByTestId("global-search-panel");
  const article = panel.locator(`[data-testid=search-result][data-kind=article][data-id='${articleId}'][data-locale=en]`);
  const articleJa = panel.locator(`[data-testid=search-result][data-kind=article][data-id='${articleId}'][data-locale=ja]`);
  const ticket = panel.locator(`[data-testid=search-result][data-kind=ticket][data-id='${ticketId}']`);
  await article.waitFor();
  await ticket.waitFor();
  assert.ok((await article.locator("mark").count()) > 0, "the match is highlighted");
  assert.match((await article.locator("mark").first().textContent()).toLowerCase(), /refund/);
  const kinds = await panel.locator(".gsearch-group").evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")));
  assert.deepEqual(kinds.filter((k) => k === "article" || k === "ticket"), ["article", "ticket"], "articles come before tickets");
  await shot("08-search");

  // ↓ until the ticket is active, then Enter opens it.
  const rows = await panel.getByTestId("search-result").evaluateAll((els) => els.map((e) => `${e.dataset.kind}:${e.dataset.id}`));
  const target = rows.indexOf(`ticket:${ticketId}`);
  for (let i = 0; i <= target; i++) await input.press("ArrowDown");
  assert.equal(await ticket.getAttribute("aria-selected"), "true");
  assert.equal(await input.getAttribute("aria-activedescendant"), await ticket.getAttribute("id"));
  await input.press("Enter");
  await page.waitForURL(new RegExp(`/tickets/${ticketId}$`));
  await page.getByTestId("ticket-subject").waitFor();

  // Esc closes, a click on the article opens its editor.
  await input.fill("返金");
  await articleJa.waitFor();
  await input.press("Escape");
  await panel.waitFor({ state: "detached" });
  assert.equal(await input.inputValue(), "返金");
  await input.press("ArrowDown");
  await articleJa.click();
  await page.waitForURL(new RegExp(`/kb/articles/${articleId}\\?locale=ja$`));
  assert.equal(await page.getByTestId("kb-title").inputValue(), JA_TITLE);
});

test("the ticket suggests the article and “Insert link” puts it in the reply at the caret", async () => {
  await page.goto(`${base}/tickets/${ticketId}`);
  const card = page.getByTestId("suggested-articles");
  // In the customer's language (English here: the workspace's, as Lan chose none).
  const suggestion = card.locator(`[data-testid=suggested-article][data-article-id='${articleId}'][data-locale=en]`);
  await suggestion.waitFor();
  assert.match(await text(suggestion), /How do I get a refund\?/);
  const box = page.getByTestId("composer-body");
  await box.fill("Hello Lan,\n\nThanks for writing. You can read more here.\n\nBest regards");
  // The caret after "here" (before the full stop).
  await box.evaluate((el) => {
    const at = el.value.indexOf(" here") + " here".length;
    el.focus();
    el.setSelectionRange(at, at);
  });
  await suggestion.getByTestId("suggested-insert").click();
  const link = `[${EN_TITLE}](${base}/help/demo/articles/${articleId}?locale=en)`;
  await eventually(async () => (await box.inputValue()).includes(link), WAIT_MS, "the link in the reply");
  assert.equal(await box.inputValue(), `Hello Lan,\n\nThanks for writing. You can read more here ${link}.\n\nBest regards`);
  assert.equal(await box.evaluate((el) => el === document.activeElement), true, "the reply keeps the focus");
  await suggestion.getByText("Link inserted into the reply.").waitFor();
  await shot("09-ticket-suggested");
});

test("a held community topic is approved, answered officially, made into an article, and its author banned", async (t) => {
  const probe = await api("GET", "/api/v1/community/topics?status=pending");
  if (probe.status === 404) {
    t.skip("the community API is not in this build");
    return;
  }
  // The customer (known from the ticket) signs in to the help centre with the emailed link.
  const link = await fetch(`${base}/api/v1/portal/demo/sign-in-link`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: CUSTOMER.email }),
  });
  assert.equal(link.status, 202);
  const token = await signInTokenFor(mailDir, CUSTOMER.email);
  const opened = await fetch(`${base}/api/v1/portal/demo/session`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ token }),
  });
  assert.equal(opened.status, 200);
  const cookie = opened.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const { csrf_token } = await opened.json();
  // A new member's links are held for a moderator.
  const asked = await fetch(`${base}/api/v1/portal/demo/community/topics`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": csrf_token },
    body: JSON.stringify({
      title: "Refund to a different card?",
      body_md: "My old card expired. Can the refund go to a new card? See https://example.com/my-order",
      locale: "en",
    }),
  });
  const topic = await asked.json();
  assert.equal(asked.status, 201, JSON.stringify(topic));
  assert.equal(topic.status, "pending");

  await page.getByTestId("nav-community").click();
  await page.waitForURL(/\/community$/);
  const item = page.locator(`[data-testid=community-topic][data-topic-id='${topic.id}']`);
  await item.waitFor();
  await item.click();
  await page.waitForURL(new RegExp(`/community/topics/${topic.id}$`));
  const view = page.getByTestId("topic-view");
  await view.getByTestId("topic-body").getByText("My old card expired.").waitFor();
  assert.equal(await text(view.getByTestId("topic-status").first()), "To review");
  await shot("10-community-pending");

  // The topic's re-read is slow to answer: the notice still comes with it, never beside the old badge.
  const topicPath = `**/api/v1/community/topics/${topic.id}`;
  const slowTopic = answerLate();
  await page.route(topicPath, slowTopic);
  await view.getByTestId("topic-show").click();
  await view.getByTestId("topic-notice").filter({ hasText: "The topic is visible to customers." }).waitFor();
  assert.equal(await text(view.getByTestId("topic-status").first()), "Visible");
  await page.unroute(topicPath, slowTopic);

  await view.getByTestId("official-answer-text").fill("Yes: the refund goes to the card you choose in **Orders → Refund**.");
  await view.getByTestId("official-answer-post").click();
  const answer = view.getByTestId("community-post").filter({ hasText: "the refund goes to the card you choose" });
  await answer.waitFor();
  await answer.getByTestId("post-official").waitFor();
  assert.equal(await answer.locator("strong").textContent(), "Orders → Refund");
  // Hidden and shown again.
  await answer.getByTestId("post-hide").click();
  await view.locator("[data-testid=community-post][data-status=hidden]").waitFor();
  await view.getByTestId("topic-notice").filter({ hasText: "The answer is hidden from customers." }).waitFor();
  await view.getByTestId("post-show").click();
  await view.locator("[data-testid=community-post][data-status=visible]").waitFor();

  await view.getByTestId("topic-ban").click();
  await view.getByTestId("ban-confirm").click();
  await view.getByText("Please give a reason.").waitFor();
  await view.getByTestId("ban-reason").fill("Testing the ban");
  await view.getByTestId("ban-confirm").click();
  await view.getByTestId("topic-notice").filter({ hasText: `${CUSTOMER.name} is banned from the community.` }).waitFor();
  await view.getByTestId("author-banned").waitFor();
  assert.equal(await view.getByTestId("topic-ban").count(), 0, "a banned author is not offered a second ban");
  const bans = (await api("GET", "/api/v1/community/bans")).body.bans;
  assert.equal(bans.length, 1);
  assert.equal(bans[0].reason, "Testing the ban");
  await shot("11-topic");

  await view.getByTestId("topic-make-article").click();
  const make = view.getByTestId("make-article-form");
  await make.locator(`option[value='${sectionId}']`).waitFor({ state: "attached" });
  assert.equal(await make.getByTestId("make-article-section").inputValue(), String(sectionId));
  await make.getByTestId("make-article-confirm").click();
  await page.waitForURL(/\/kb\/articles\/\d+$/);
  assert.notEqual(Number(page.url().match(/articles\/(\d+)/)[1]), articleId);
  assert.equal(await page.getByTestId("kb-title").inputValue(), "Refund to a different card?");
  assert.match(await page.getByTestId("kb-body").inputValue(), /the card you choose/);
  assert.equal(await text(page.getByTestId("kb-status")), "Draft");
  await shot("12-made-article");

  await page.getByTestId("nav-community").click();
  await page.getByTestId("community-tab-bans").click();
  const ban = page.getByTestId("ban-item").filter({ hasText: CUSTOMER.name });
  await ban.waitFor();
  assert.match(await text(ban), /Testing the ban/);
  await shot("13-bans");
  await ban.getByTestId("ban-lift").click();
  await page.getByTestId("community-bans").getByText("Nobody is banned.").waitFor();
  assert.deepEqual((await api("GET", "/api/v1/community/bans")).body.bans, []);
});

test("no native dialogs, page errors or CSP violations", () => {
  assert.deepEqual(dialogs, []);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(cspViolations, []);
});
