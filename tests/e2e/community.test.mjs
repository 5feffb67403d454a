// End-to-end test of the help centre's community (issue 7): a signed-in customer asks, another
// answers, they vote, the author accepts an answer; an agent's answer shows as official;
// markup in posts stays text and runs nothing; a new member's link waits for a moderator;
// posting too often and being banned are explained.
// Customers sign in with the emailed link, as in help_centre.test.mjs (a real SMTP receiver).
// Run: node --test tests/e2e/community.test.mjs
//
// Env: KIZUNA_BINARY (default build/src/server/kizuna), KIZUNA_WEB_DIST (default web/dist),
//      CHROMIUM (default /usr/bin/chromium), KIZUNA_SCREENSHOTS (default build/e2e-screenshots).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import {
  SHOTS, WAIT_MS, holdAnswer, launchBrowser, newTestPage, openEmailedSignInLink, pageApi, requireBuilt, signInAgent,
  signInTokenFor, startMailingDemoServer, stopMailingDemoServer,
} from "./support.mjs";

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const LAN = { name: "Lan Nguyen", email: "lan.nguyen@example.vn", language: "en" };
const KENJI = { name: "佐藤 健二", email: "kenji.sato@example.jp", language: "ja" };
const HOA = { name: "Trần Thị Hoa", email: "hoa.tran@example.vn", language: "vi" };
const MINH = { name: "Phạm Văn Minh", email: "minh.pham@example.vn", language: "vi" };
const QUESTION = {
  title: "How long does a refund take to reach my card?",
  body: "I asked for a refund **last Monday** for order K-5521.\n\nWhen will it show on my Visa card?",
};
const KENJI_ANSWER = "Mine took 4 business days. You can follow it under *My orders* → **Refund status**.";
const OFFICIAL_ANSWER = "Refunds leave us the same day; card issuers take **3–5 business days** to show them. Reply here if it takes longer!";
const HOSTILE_TITLE = `画面が真っ白です <img src=x onerror="window.__xss='title'"> <b>help</b>`;
const HOSTILE_BODY =
  `The page is blank. <img src=x onerror="window.__xss='img'"><script>window.__xss='script'</script>\n\n` +
  `[click me](javascript:window.__xss='link') <a href="javascript:window.__xss='a'" onclick="window.__xss='click'">here</a>`;

let server;
let base;
let dataDir;
let mailDir;
let smtp;
let browser;
let agent;
let lan;
let kenji;
let hoa;
let topicId;
const cspViolations = [];
const pageErrors = [];

const newPage = (options) => newTestPage(browser, options, { pageErrors, cspViolations });

async function shot(page, name, fullPage = true) {
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

async function agentApi(method, p, body) {
  const r = await pageApi(agent, method, p, body);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A customer who once wrote in, signed in to the help centre through the emailed link. */
async function signedInCustomer(who, options) {
  const r = await fetch(`${base}/api/v1/portal/demo/requests`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: who.name, email: who.email, language: who.language, subject: "Hello", body: "A first question." }),
  });
  assert.equal(r.status, 201, await r.text());
  const page = await newPage(options);
  await page.goto(`${base}/help/demo/requests`);
  await page.getByTestId("sign-in-form").waitFor();
  await page.locator("#si-email").fill(who.email);
  await openEmailedSignInLink(page, base, mailDir, who.email);
  await page.getByTestId("sign-out").waitFor();
  return page;
}

/** A customer's own API call from their page (portal session and CSRF token). */
function customerApi(page, method, p, body) {
  return page.evaluate(
    async ({ method, p, body }) => {
      const s = await (await fetch("/api/v1/portal/demo/session")).json();
      const r = await fetch(p, {
        method,
        headers: { "Content-Type": "application/json", "X-CSRF-Token": s.csrf_token },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: await r.json().catch(() => null), session: s };
    },
    { method, p, body },
  );
}

const answer = (page, text) => page.getByTestId("answer").filter({ hasText: text });

before(async () => {
  await requireBuilt("portal.html");
  ({ server, base, dataDir, mailDir, smtp } = await startMailingDemoServer("kizuna-e2e-community-"));
  browser = await launchBrowser();
  agent = await newPage({ viewport: DESKTOP, locale: "en-US" });
  await signInAgent(agent, base, "admin@demo.kizuna.test", "kizuna-demo-admin");
  lan = await signedInCustomer(LAN, { viewport: DESKTOP, locale: "en-GB", timezoneId: "Asia/Ho_Chi_Minh" });
  kenji = await signedInCustomer(KENJI, { viewport: DESKTOP, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
});

after(async () => {
  await browser?.close().catch(() => {});
  await stopMailingDemoServer({ server, smtp, dataDir });
});

test("a signed-in customer asks the community", async () => {
  await lan.getByTestId("nav-community").click();
  await lan.waitForURL(/\/help\/demo\/community$/);
  await lan.getByRole("heading", { level: 1, name: "Community" }).waitFor();
  await lan.getByTestId("community-empty").waitFor();
  await lan.getByTestId("ask-community").click();
  await lan.waitForURL(/\/help\/demo\/community\/new$/);
  // Nothing written: the form says what is missing.
  await lan.getByTestId("post-question").click();
  await lan.getByTestId("error-ask-title").filter({ hasText: "Please write your question." }).waitFor();
  await lan.getByLabel("Your question").fill(QUESTION.title);
  await lan.getByLabel("Details").fill(QUESTION.body);
  await shot(lan, "community-01-ask");
  await lan.getByTestId("post-question").click();
  await lan.waitForURL(/\/help\/demo\/community\/\d+$/);
  topicId = Number(lan.url().match(/community\/(\d+)$/)[1]);
  await lan.getByTestId("topic-title").filter({ hasText: QUESTION.title }).waitFor();
  assert.equal(await lan.getByTestId("topic-body").locator("strong").textContent(), "last Monday");
  await lan.getByText("No answers yet. Do you know the answer?").waitFor();
  // Deep link: a reload shows the same thread.
  await lan.reload();
  await lan.getByTestId("topic-title").filter({ hasText: QUESTION.title }).waitFor();
});

test("another customer answers; an agent's answer shows as official", async () => {
  await kenji.goto(`${base}/help/demo/community`);
  const row = kenji.getByTestId("topic-row").filter({ hasText: QUESTION.title });
  await row.waitFor();
  await row.getByTestId("topic-link").click();
  await kenji.waitForURL(new RegExp(`/help/demo/community/${topicId}$`));
  await kenji.getByTestId("answer-input").fill(KENJI_ANSWER.replace("*My orders* → **Refund status**", "*注文履歴* → **返金状況**"));
  await kenji.getByTestId("post-answer").click();
  await kenji.getByTestId("answer-posted").filter({ hasText: "回答を投稿しました。" }).waitFor();
  const mine = answer(kenji, "Mine took 4 business days");
  await mine.waitFor();
  // One cannot vote on one's own answer, nor accept on someone else's question.
  assert.ok(await mine.getByTestId("vote-up").isDisabled());
  assert.equal(await kenji.getByTestId("accept").count(), 0);

  // Aiko answers from the agent side: the team's answer is official.
  const official = await agentApi("POST", `/api/v1/community/topics/${topicId}/posts`, { body_md: OFFICIAL_ANSWER });
  assert.equal(official.official, true);

  await lan.reload();
  const fromTeam = answer(lan, "Refunds leave us the same day");
  await fromTeam.waitFor();
  assert.equal(await fromTeam.getAttribute("data-official"), "true");
  await fromTeam.getByTestId("official-badge").filter({ hasText: "Official answer" }).waitFor();
  await fromTeam.getByTestId("post-author").filter({ hasText: "Team" }).waitFor();
  assert.equal(await fromTeam.locator("strong").textContent(), "3–5 business days");
  assert.equal(await answer(lan, "Mine took 4 business days").getAttribute("data-official"), "false");
});

test("customers vote, and the author accepts an answer, which comes first", async () => {
  // Lan votes Kenji's answer up: the count moves at once and stays after a reload.
  const kenjis = answer(lan, "Mine took 4 business days");
  await kenjis.getByTestId("vote-up").click();
  await kenjis.getByTestId("vote-count").filter({ hasText: /^1$/ }).waitFor();
  assert.equal(await kenjis.getByTestId("vote-up").getAttribute("aria-pressed"), "true");
  // Kenji votes the official answer down, then at once changes his mind to up, while the
  // answer to his first vote is held back: the page and the server end with his last vote.
  await kenji.reload();
  const officialForKenji = answer(kenji, "Refunds leave us the same day");
  const votes = "**/api/v1/portal/demo/community/posts/*/vote";
  const firstVote = holdAnswer();
  await kenji.route(votes, firstVote);
  await officialForKenji.getByTestId("vote-down").click();
  await officialForKenji.getByTestId("vote-count").filter({ hasText: /^-1$/ }).waitFor();
  await officialForKenji.getByTestId("vote-up").click();
  await officialForKenji.getByTestId("vote-count").filter({ hasText: /^1$/ }).waitFor();
  const lastAnswered = kenji.waitForResponse((r) => r.url().includes("/vote") && r.request().postDataJSON()?.value === 1);
  firstVote.release();
  await lastAnswered;
  await kenji.unroute(votes, firstVote);
  assert.equal((await officialForKenji.getByTestId("vote-count").textContent()).trim(), "1");
  assert.equal(await officialForKenji.getByTestId("vote-down").getAttribute("aria-pressed"), "false");
  assert.equal(await officialForKenji.getByTestId("vote-up").getAttribute("aria-pressed"), "true");
  await kenji.reload();
  await answer(kenji, "Refunds leave us the same day").getByTestId("vote-count").filter({ hasText: /^1$/ }).waitFor();
  await lan.reload();
  assert.equal(await answer(lan, "Mine took 4 business days").getByTestId("vote-up").getAttribute("aria-pressed"), "true");
  assert.equal((await answer(lan, "Mine took 4 business days").getByTestId("vote-count").textContent()).trim(), "1");

  // Lan accepts Kenji's answer: marked, and first in the thread.
  await answer(lan, "Mine took 4 business days").getByTestId("accept").click();
  await lan.getByTestId("community-notice").filter({ hasText: "You accepted this answer" }).waitFor();
  const first = lan.getByTestId("answer").first();
  await first.getByTestId("accepted-badge").filter({ hasText: "Accepted answer" }).waitFor();
  assert.match(await first.textContent(), /Mine took 4 business days/);
  assert.equal(await lan.locator("[data-testid=answer][data-accepted=true]").count(), 1);
  await shot(lan, "community-02-thread-accepted");

  // Kenji sees the same, in Japanese.
  await kenji.reload();
  await kenji.getByTestId("answer").first().getByTestId("accepted-badge").filter({ hasText: "ベストアンサー" }).waitFor();
  await shot(kenji, "community-03-thread-ja");

  // The list shows it answered, with the team's answer; "most votes" sorts by votes.
  await lan.goto(`${base}/help/demo/community`);
  const row = lan.getByTestId("topic-row").filter({ hasText: QUESTION.title });
  await row.filter({ hasText: "Answered" }).waitFor();
  await row.filter({ hasText: "Team answered" }).waitFor();
  await lan.getByTestId("sort-votes").click();
  await lan.waitForURL(/\/help\/demo\/community\?sort=votes$/);
  await lan.getByTestId("topic-row").first().waitFor();
  assert.equal(await lan.getByTestId("sort-votes").getAttribute("aria-current"), "page");
});

test("search finds the thread, and the signed-in customer's own request, but nobody else's", async () => {
  // The index follows the store: wait until the topic is searchable.
  const end = Date.now() + WAIT_MS;
  for (;;) {
    const r = await fetch(`${base}/api/v1/portal/demo/search?q=refund+card&locale=en`);
    const body = await r.json().catch(() => null);
    if (body?.results?.some((x) => x.kind === "topic" && x.id === topicId)) break;
    assert.ok(Date.now() < end, `the topic never became searchable: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await lan.goto(`${base}/help/demo`);
  await lan.getByTestId("kb-search").fill("refund card");
  await lan.getByTestId("kb-search").press("Enter");
  const topicHit = lan.getByTestId("results-topic").getByTestId("search-result").filter({ hasText: QUESTION.title });
  await topicHit.waitFor();
  assert.ok((await topicHit.locator("mark").allTextContents()).some((m) => /refund/i.test(m)));
  // Lan's first request ("A first question.") is hers to find; Kenji's is not.
  await lan.getByTestId("kb-search").fill("first question");
  await lan.getByTestId("kb-search").press("Enter");
  const mine = lan.getByTestId("results-ticket").getByTestId("search-result");
  await mine.first().waitFor();
  assert.equal(await mine.count(), 1, "only her own request");
  await mine.first().getByTestId("request-status").waitFor();
  await shot(lan, "community-08-search-topic-and-own-request");
  await mine.first().getByRole("link").click();
  await lan.waitForURL(/\/help\/demo\/requests\/\d+$/);
  await lan.getByTestId("request-subject").filter({ hasText: "Hello" }).waitFor();
});

test("markup in posts stays text and runs nothing", async () => {
  const created = await customerApi(kenji, "POST", "/api/v1/portal/demo/community/topics", { title: HOSTILE_TITLE, body_md: HOSTILE_BODY, locale: "ja" });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await customerApi(kenji, "POST", `/api/v1/portal/demo/community/topics/${created.body.id}/posts`, { body_md: HOSTILE_BODY.replace("blank", "still blank") });
  for (const page of [lan, kenji]) {
    await page.goto(`${base}/help/demo/community/${created.body.id}`);
    await page.getByTestId("topic-title").waitFor();
    assert.equal(await page.getByTestId("topic-title").textContent(), HOSTILE_TITLE, "the title is shown as typed");
    await page.getByTestId("topic-body").filter({ hasText: "The page is blank." }).waitFor();
    await page.getByTestId("answer").first().waitFor();
    for (const area of ["topic-body", "answer-body"]) {
      const box = page.getByTestId(area).first();
      assert.equal(await box.locator("script, iframe, [onerror], [onclick]").count(), 0);
      for (const href of await box.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? "")))
        assert.doesNotMatch(href, /^\s*javascript:/i);
    }
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__xss), undefined, "no injected code ran");
  }
  await shot(lan, "community-04-markup-as-text");
});

test("a new member's link waits for a moderator, with the reason", async () => {
  hoa = await signedInCustomer(HOA, { viewport: PHONE, locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh" });
  await hoa.goto(`${base}/help/demo/community/new`);
  await hoa.getByLabel("Câu hỏi của bạn").fill("Mã giảm giá không dùng được");
  await hoa.getByLabel("Chi tiết").fill("Tôi nhập mã ở trang https://shop.example.vn/cart nhưng báo lỗi.");
  await hoa.getByTestId("post-question").click();
  const held = hoa.getByTestId("topic-held");
  await held.waitFor();
  assert.match(await held.getByTestId("held-reason").textContent(), /đường link của thành viên mới/);
  await shot(hoa, "community-05-held-phone-vi");
  // Only its author sees it, marked as waiting.
  await held.getByRole("link", { name: "Xem câu hỏi của tôi" }).click();
  await hoa.getByTestId("topic-pending").waitFor();
  const pendingId = Number(hoa.url().match(/community\/(\d+)$/)[1]);
  const forOthers = await fetch(`${base}/api/v1/portal/demo/community/topics/${pendingId}`);
  assert.equal(forOthers.status, 404);
});

test("posting too often and being banned are explained", async () => {
  // The community allows five topics or answers per ten minutes: Hoa writes until refused…
  const statuses = [];
  for (let i = 1; i <= 6 && statuses.at(-1) !== 429; i++) {
    const r = await customerApi(hoa, "POST", `/api/v1/portal/demo/community/topics/${topicId}/posts`, { body_md: `Cảm ơn, mình cũng gặp trường hợp này (${i}).` });
    statuses.push(r.status);
  }
  assert.equal(statuses.at(-1), 429, `statuses: ${statuses}`);
  assert.ok(statuses.slice(0, -1).every((s) => s === 201), `statuses: ${statuses}`);
  // …and the page says how long to wait.
  await hoa.goto(`${base}/help/demo/community/${topicId}`);
  await hoa.getByTestId("answer-input").fill("Một câu trả lời nữa.");
  await hoa.getByTestId("post-answer").click();
  const limited = hoa.getByTestId("community-error");
  await limited.waitFor();
  assert.match(await limited.textContent(), /Bạn đang đăng bài quá nhanh\. Vui lòng đợi \d+ phút rồi thử lại\./);
  await limited.scrollIntoViewIfNeeded();
  await shot(hoa, "community-06-rate-limited-phone-vi", false);

  // A moderator bans Hoa: her next post is refused with the reason in her language.
  const session = await customerApi(hoa, "GET", "/api/v1/portal/demo/session");
  await agentApi("POST", "/api/v1/community/bans", { customer_id: session.body.customer.id, reason: "Testing the ban" });
  await hoa.getByTestId("post-answer").click();
  await hoa.getByTestId("community-error").filter({ hasText: "Bạn không thể đăng bài trong cộng đồng này." }).waitFor();
  const vote = await customerApi(hoa, "POST", `/api/v1/portal/demo/community/posts/${1}/vote`, { value: 1 });
  assert.equal(vote.status, 403);
});

test("signed out, the thread can be read but not answered", async () => {
  const reader = await newPage({ viewport: PHONE, locale: "en-US" });
  await reader.goto(`${base}/help/demo/community/${topicId}`);
  await reader.getByTestId("answer").first().getByTestId("accepted-badge").waitFor();
  await reader.getByTestId("community-sign-in").waitFor();
  assert.equal(await reader.getByTestId("answer-form").count(), 0);
  assert.ok(await reader.getByTestId("vote-up").first().isDisabled());
  assert.ok(await reader.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no sideways scrolling");
  await shot(reader, "community-07-thread-phone-signed-out");
});

test("the emailed link signs in even when the page's first session check answers after it", async () => {
  // The link page asks who is signed in and opens the session with the token at once. On a
  // slow connection the first answer ("nobody") can arrive after the session is open: here
  // it is asked first and held until the session's answer has come.
  const r = await fetch(`${base}/api/v1/portal/demo/requests`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: MINH.name, email: MINH.email, language: MINH.language, subject: "Xin chào", body: "Câu hỏi đầu tiên." }),
  });
  assert.equal(r.status, 201, await r.text());
  const minh = await newPage({ viewport: PHONE, locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh" });
  await minh.goto(`${base}/help/demo/requests`);
  await minh.getByTestId("sign-in-form").waitFor();
  await minh.locator("#si-email").fill(MINH.email);
  await minh.getByTestId("send-link").click();
  await minh.getByTestId("link-sent").waitFor();
  const token = await signInTokenFor(mailDir, MINH.email);

  let staleAsked;
  const stale = new Promise((resolve) => (staleAsked = resolve));
  let opened;
  const open = new Promise((resolve) => (opened = resolve));
  const staleStatuses = [];
  await minh.route("**/api/v1/portal/demo/session", async (route) => {
    if (route.request().method() === "POST") {
      await stale; // the check went first…
      const response = await route.fetch();
      await route.fulfill({ response });
      opened();
    } else if (staleStatuses.length === 0) {
      const response = await route.fetch();
      staleStatuses.push(response.status());
      staleAsked();
      await open; // …and its answer comes last
      await route.fulfill({ response });
    } else {
      await route.continue();
    }
  });
  await minh.goto(`${base}/help/demo/sign-in#token=${token}`);
  await minh.waitForURL(/\/help\/demo\/requests$/);
  await minh.getByTestId("sign-out").waitFor();
  await minh.getByTestId("request-link").filter({ hasText: "Xin chào" }).waitFor();
  assert.deepEqual(staleStatuses, [401], "the held check was asked before the session was open");
  await minh.unroute("**/api/v1/portal/demo/session");
  await minh.reload();
  await minh.getByTestId("sign-out").waitFor();
});

test("everything ran under the Content-Security-Policy, without page errors", () => {
  assert.deepEqual(cspViolations, []);
  assert.deepEqual(pageErrors, []);
});
