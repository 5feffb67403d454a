// End-to-end test of the help centre's knowledge base (issue 7): agents write articles through
// the API; a customer browses categories to an article with breadcrumbs, reads it in Japanese,
// says it helped; searches in Japanese with a two-kanji word and in Vietnamese typed without
// tone marks and sees the matches highlighted; and, writing a request, is offered an article
// that answers it ("This answered my question"), which the team's figures count.
// Run: node --test tests/e2e/help_centre_kb.test.mjs
//
// Env: KIZUNA_BINARY (default build/src/server/kizuna), KIZUNA_WEB_DIST (default web/dist),
//      CHROMIUM (default /usr/bin/chromium), KIZUNA_SCREENSHOTS (default build/e2e-screenshots).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import path from "node:path";
import {
  BINARY, SHOTS, WAIT_MS, WEB, launchBrowser, newTestPage, pageApi, requireBuilt, signInAgent, startDemoServer, stopServer,
} from "./support.mjs";

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

const CATEGORIES = {
  orders: { en: "Orders and delivery", ja: "ご注文と配送", vi: "Đơn hàng và giao hàng" },
  account: { en: "Your account", ja: "アカウント", vi: "Tài khoản của bạn" },
};
const SECTIONS = {
  refunds: { en: "Refunds and returns", ja: "返金と返品", vi: "Hoàn tiền và đổi trả" },
  delivery: { en: "Delivery", ja: "配送", vi: "Giao hàng" },
  signIn: { en: "Signing in", ja: "ログイン", vi: "Đăng nhập" },
};
const REFUND = {
  en: {
    title: "How to get a refund",
    body_md:
      "You can get a refund within **30 days** of your order.\n\n## Steps\n\n1. Open *My orders*.\n2. Choose the order and press **Request a refund**.\n3. Tell us why, and send.\n\n" +
      "> The refund reaches your card in 3–5 business days.\n\n| Paid with | Refund arrives |\n|---|---|\n| Card | 3–5 business days |\n| Bank transfer | 1 week |\n\n" +
      "- [x] Keep your receipt\n- [ ] Pack the item well\n\nSee also [the card network's rules](https://example.com/cards).",
  },
  ja: {
    title: "返金の方法",
    body_md:
      "ご注文から **30日以内** であれば返金をお受けしています。\n\n## 手順\n\n1. 「注文履歴」を開きます。\n2. 対象のご注文を選び、**返金を申請** を押します。\n3. 理由をご記入のうえ送信します。\n\n> 返金はカードに3〜5営業日で反映されます。",
  },
  vi: {
    title: "Cách được hoàn tiền",
    body_md: "Bạn có thể được hoàn tiền trong vòng **30 ngày** kể từ khi đặt hàng.\n\n1. Mở *Đơn hàng của tôi*.\n2. Chọn đơn hàng và bấm **Yêu cầu hoàn tiền**.",
  },
};
const RETURNS = {
  en: { title: "Return an item", body_md: "Pack the item in its box and print the return label from *My orders*. Returns are free for 30 days." },
  ja: { title: "商品を返品する", body_md: "商品を箱に入れ、「注文履歴」から返品ラベルを印刷してください。30日間は返品送料無料です。" },
};
const TRACKING = {
  en: { title: "Track your delivery", body_md: "Open *My orders* and press **Track** to see where your parcel is." },
  ja: { title: "配送状況を確認する", body_md: "「注文履歴」の **配送状況** から、お荷物の現在地を確認できます。" },
  vi: { title: "Theo dõi đơn hàng đang giao", body_md: "Mở *Đơn hàng của tôi* và bấm **Theo dõi** để xem kiện hàng đang ở đâu." },
};
const PASSWORD = {
  en: { title: "Reset your password", body_md: "Press **Forgot password?** on the sign-in page and follow the link we email you." },
  ja: { title: "パスワードを再設定する", body_md: "ログイン画面の **パスワードをお忘れですか？** を押し、メールのリンクから再設定してください。" },
  ko: { title: "비밀번호 재설정", body_md: "로그인 화면에서 **비밀번호를 잊으셨나요?** 를 누르고 메일로 받은 링크를 여세요." },
};
const DRAFT = { en: { title: "Winter sale preview (draft)", body_md: "Not published yet." } };

let server;
let base;
let dataDir;
let browser;
let agent; // Aiko Admin, who writes the articles
const pages = [];
const cspViolations = [];
const pageErrors = [];
const ids = {};

async function newPage(options) {
  const page = await newTestPage(browser, options, { pageErrors, cspViolations });
  pages.push(page);
  return page;
}

async function shot(page, name, fullPage = true) {
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

async function api(method, p, body) {
  const r = await pageApi(agent, method, p, body);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function publishedArticle(sectionId, translations, tags = []) {
  let a = await api("POST", "/api/v1/kb/articles", { section_id: sectionId, status: "published", tags, translations });
  if (a.status !== "published") a = await api("PATCH", `/api/v1/kb/articles/${a.id}`, { version: a.version, status: "published" });
  assert.equal(a.status, "published");
  return a.id;
}

/** Waits until the help centre's search finds `q` (the index follows the store's events). */
async function waitSearchable(q, locale, titleWanted) {
  const end = Date.now() + WAIT_MS;
  let last;
  while (Date.now() < end) {
    const r = await fetch(`${base}/api/v1/portal/demo/search?${new URLSearchParams({ q, locale })}`);
    last = await r.json().catch(() => null);
    if (r.ok && last?.results?.some((x) => x.title === titleWanted)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`search for ${q} never found ${titleWanted}: ${JSON.stringify(last)}`);
}

before(async () => {
  await requireBuilt("portal.html");
  ({ server, base, dataDir } = await startDemoServer(BINARY, WEB, "kizuna-e2e-kb-"));
  browser = await launchBrowser();
  agent = await newPage({ viewport: DESKTOP, locale: "en-US" });
  await signInAgent(agent, base, "admin@demo.kizuna.test", "kizuna-demo-admin");

  // The agents' knowledge base, written through the API.
  const orders = await api("POST", "/api/v1/kb/categories", { names: CATEGORIES.orders, position: 1 });
  const account = await api("POST", "/api/v1/kb/categories", { names: CATEGORIES.account, position: 2 });
  const refunds = await api("POST", "/api/v1/kb/sections", { category_id: orders.id, names: SECTIONS.refunds, position: 1 });
  const delivery = await api("POST", "/api/v1/kb/sections", { category_id: orders.id, names: SECTIONS.delivery, position: 2 });
  const signIn = await api("POST", "/api/v1/kb/sections", { category_id: account.id, names: SECTIONS.signIn });
  Object.assign(ids, { orders: orders.id, account: account.id, refunds: refunds.id, delivery: delivery.id, signIn: signIn.id });
  ids.refund = await publishedArticle(refunds.id, REFUND, ["refund", "payment"]);
  ids.returns = await publishedArticle(refunds.id, RETURNS, ["refund", "returns"]);
  ids.tracking = await publishedArticle(delivery.id, TRACKING, ["delivery"]);
  ids.password = await publishedArticle(signIn.id, PASSWORD, ["account"]);
  const draft = await api("POST", "/api/v1/kb/articles", { section_id: refunds.id, translations: DRAFT });
  assert.equal(draft.status, "draft");
  ids.draft = draft.id;
});

after(async () => {
  await browser?.close().catch(() => {});
  await stopServer(server);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("a customer browses categories to an article, with breadcrumbs, reads it in Japanese and says it helped", async () => {
  const customer = await newPage({ viewport: DESKTOP, locale: "en-US", timezoneId: "Europe/London" });
  await customer.goto(`${base}/help/demo`);
  await customer.getByRole("heading", { level: 1, name: "How can we help?" }).waitFor();
  const categories = customer.getByTestId("kb-category");
  await categories.first().waitFor();
  assert.equal(await categories.count(), 2);
  const home = await customer.getByTestId("kb-categories").textContent();
  for (const text of [CATEGORIES.orders.en, SECTIONS.refunds.en, REFUND.en.title, TRACKING.en.title, PASSWORD.en.title])
    assert.ok(home.includes(text), `the home page lists ${text}`);
  assert.ok(!home.includes(DRAFT.en.title), "a draft is not shown");
  await customer.getByTestId("cta-community").waitFor();
  await customer.getByTestId("cta-request").waitFor();
  await shot(customer, "kb-01-home");

  // Category → its page with sections → the article.
  await customer.getByRole("link", { name: CATEGORIES.orders.en, exact: true }).click();
  await customer.waitForURL(new RegExp(`/help/demo/categories/${ids.orders}$`));
  await customer.getByRole("heading", { level: 1, name: CATEGORIES.orders.en }).waitFor();
  await customer.getByRole("link", { name: SECTIONS.delivery.en, exact: true }).waitFor();
  await customer.getByRole("link", { name: REFUND.en.title, exact: true }).click();
  await customer.waitForURL(new RegExp(`/help/demo/articles/${ids.refund}$`));
  const article = customer.getByTestId("article");
  await article.waitFor();
  assert.equal((await customer.getByTestId("article-title").textContent()).trim(), REFUND.en.title);
  const crumbs = customer.getByTestId("breadcrumbs");
  assert.deepEqual(
    (await crumbs.locator("li").allTextContents()).map((s) => s.trim()),
    ["Help centre", CATEGORIES.orders.en, SECTIONS.refunds.en],
  );
  // The article's Markdown arrives as HTML and is shown formatted, in a styled container.
  const body = customer.getByTestId("article-body");
  await body.getByRole("heading", { name: "Steps" }).waitFor();
  assert.equal(await body.locator("ol > li").count(), 3);
  assert.equal(await body.locator("table td").first().textContent(), "Card");
  assert.equal(await body.locator("strong").first().textContent(), "30 days");
  const external = body.getByRole("link", { name: "the card network's rules" });
  assert.equal(await external.getAttribute("target"), "_blank");
  assert.match(await external.getAttribute("rel"), /noopener/);
  await customer.getByTestId("related").waitFor();
  await shot(customer, "kb-02-article");

  // A deep link survives a reload (the server serves the help centre for /help/… paths).
  await customer.reload();
  await customer.getByTestId("article-title").filter({ hasText: REFUND.en.title }).waitFor();

  // The section's breadcrumb leads to the section, and back.
  await crumbs.getByRole("link", { name: SECTIONS.refunds.en, exact: true }).click();
  await customer.waitForURL(new RegExp(`/help/demo/sections/${ids.refunds}$`));
  await customer.getByTestId("section-articles").getByRole("link", { name: RETURNS.en.title }).waitFor();
  await customer.goBack();
  await customer.getByTestId("article-title").filter({ hasText: REFUND.en.title }).waitFor();

  // The article in Japanese: title, text and breadcrumbs change; the address says so.
  const locales = customer.getByTestId("article-locales");
  assert.deepEqual((await locales.locator("li").allTextContents()).map((s) => s.trim()), ["English", "日本語", "Tiếng Việt"]);
  await locales.getByRole("link", { name: "日本語" }).click();
  await customer.locator("[data-testid=article][data-locale=ja]").waitFor();
  assert.match(customer.url(), /\?locale=ja$/);
  assert.equal((await customer.getByTestId("article-title").textContent()).trim(), REFUND.ja.title);
  await body.getByRole("heading", { name: "手順" }).waitFor();
  assert.equal(await body.getAttribute("lang"), "ja");
  assert.deepEqual(
    (await crumbs.locator("li").allTextContents()).map((s) => s.trim()),
    ["Help centre", CATEGORIES.orders.ja, SECTIONS.refunds.ja],
  );
  await shot(customer, "kb-03-article-ja");

  // "Was this helpful?" → thanks; the team sees the vote.
  const before = await api("GET", `/api/v1/kb/articles/${ids.refund}`);
  await customer.getByTestId("helpful-yes").click();
  await customer.getByTestId("feedback-thanks").filter({ hasText: "Thank you for your feedback" }).waitFor();
  await customer.getByTestId("feedback-thanks").scrollIntoViewIfNeeded();
  await shot(customer, "kb-04-article-helpful", false);
  const afterVote = await api("GET", `/api/v1/kb/articles/${ids.refund}`);
  assert.equal(afterVote.helpful_yes, before.helpful_yes + 1);
  assert.ok(afterVote.views >= 1, "the customer's reading is counted as a view");

  // A draft's address is "not available", not an error.
  await customer.goto(`${base}/help/demo/articles/${ids.draft}`);
  await customer.getByTestId("kb-not-found").waitFor();
});

test("a Japanese customer searches with a two-kanji word; a Vietnamese one types without tone marks", async () => {
  await waitSearchable("返金", "ja", REFUND.ja.title);
  await waitSearchable("hoan tien", "vi", REFUND.vi.title);
  const customer = await newPage({ viewport: DESKTOP, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
  await customer.goto(`${base}/help/demo`);
  await customer.getByRole("heading", { level: 1, name: "どのようなご用件でしょうか？" }).waitFor();
  // The home page is in Japanese: category names too.
  await customer.getByTestId("kb-categories").getByText(CATEGORIES.orders.ja).waitFor();
  await customer.getByTestId("kb-search").fill("返金");
  await customer.getByTestId("kb-search").press("Enter");
  await customer.waitForURL(/\/help\/demo\/search\?q=%E8%BF%94%E9%87%91$/);
  await customer.getByRole("heading", { level: 1, name: "「返金」の検索結果" }).waitFor();
  const articles = customer.getByTestId("results-article");
  const hit = articles.getByTestId("search-result").filter({ hasText: REFUND.ja.title });
  await hit.waitFor();
  assert.deepEqual(await hit.getByTestId("result-title").locator("mark").allTextContents(), ["返金"]);
  const snippetMarks = await hit.getByTestId("result-snippet").locator("mark").allTextContents();
  assert.ok(snippetMarks.length > 0 && snippetMarks.every((m) => m === "返金"), `snippet marks: ${snippetMarks}`);
  await shot(customer, "kb-05-search-ja");
  await hit.getByRole("link").click();
  await customer.getByTestId("article-title").filter({ hasText: REFUND.ja.title }).waitFor();

  // Vietnamese without tone marks: "hoan tien" finds "hoàn tiền" and highlights it.
  await customer.getByTestId("language-switcher").selectOption("vi");
  await customer.getByTestId("kb-search").fill("hoan tien");
  await customer.getByTestId("kb-search").press("Enter");
  await customer.getByRole("heading", { level: 1, name: "Kết quả cho “hoan tien”" }).waitFor();
  const viHit = customer.getByTestId("results-article").getByTestId("search-result").filter({ hasText: REFUND.vi.title });
  await viHit.waitFor();
  const viMarks = (await viHit.getByTestId("result-title").locator("mark").allTextContents()).join(" ");
  assert.match(viMarks, /hoàn/);
  assert.match(viMarks, /tiền/);
  await shot(customer, "kb-06-search-vi-no-tone-marks");

  // Nothing found: the page offers the community and a request.
  await customer.getByTestId("kb-search").fill("zzqx kkvv");
  await customer.getByTestId("kb-search").press("Enter");
  const empty = customer.getByTestId("search-empty");
  await empty.waitFor();
  assert.match(await empty.textContent(), /Không tìm thấy kết quả cho “zzqx kkvv”/);
  await empty.getByTestId("empty-ask").waitFor();
  await empty.getByTestId("empty-request").click();
  await customer.waitForURL(/\/help\/demo\/requests\/new$/);
  await customer.getByTestId("language-switcher").selectOption("ja");
});

test("writing a request, a customer is offered an article, reads it, and leaves satisfied", async () => {
  const stats0 = await api("GET", "/api/v1/kb/stats");
  const customer = await newPage({ viewport: DESKTOP, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
  await customer.goto(`${base}/help/demo/requests/new`);
  await customer.getByTestId("request-form").waitFor();
  await customer.getByLabel("お名前").fill("山田 太郎");
  await customer.getByLabel("メールアドレス").fill("taro.yamada@example.jp");
  // Typing a two-kanji subject, a key at a time: suggestions follow once the customer pauses.
  await customer.getByLabel("件名").pressSequentially("返金", { delay: 60 });
  const suggestion = customer.getByTestId("suggestion").filter({ hasText: REFUND.ja.title });
  await suggestion.waitFor();
  assert.ok((await customer.getByTestId("suggestion").count()) <= 5);
  assert.deepEqual(await suggestion.locator(".p-suggest-item-title mark").allTextContents(), ["返金"]);
  await shot(customer, "kb-07-suggestions-while-typing");

  await suggestion.click();
  const open = customer.getByTestId("suggestion-open");
  await open.getByTestId("suggestion-body").getByRole("heading", { name: "手順" }).waitFor();
  await shot(customer, "kb-08-suggestion-open");
  await open.getByTestId("answered").click();
  const glad = customer.getByTestId("deflected");
  await glad.filter({ hasText: "お役に立ててうれしいです！" }).waitFor();
  await shot(customer, "kb-09-deflected", false);

  // The team's figures: one more deflection, suggestions shown counted.
  const end = Date.now() + WAIT_MS;
  let stats = await api("GET", "/api/v1/kb/stats");
  while (stats.deflections < stats0.deflections + 1 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 200));
    stats = await api("GET", "/api/v1/kb/stats");
  }
  assert.equal(stats.deflections, stats0.deflections + 1);
  assert.ok(stats.suggestions_shown > stats0.suggestions_shown, `suggestions_shown ${stats0.suggestions_shown} → ${stats.suggestions_shown}`);

  // Still needing help, the customer gets the form back as it was.
  await glad.getByTestId("send-anyway").click();
  assert.equal(await customer.getByLabel("件名").inputValue(), "返金");
  assert.equal(await customer.getByLabel("お名前").inputValue(), "山田 太郎");
});

test("on a phone the help centre fits the screen", async () => {
  const customer = await newPage({ viewport: PHONE, locale: "ko-KR", timezoneId: "Asia/Seoul" });
  await customer.goto(`${base}/help/demo`);
  await customer.getByRole("heading", { level: 1, name: "무엇을 도와드릴까요?" }).waitFor();
  await customer.getByTestId("kb-category").first().waitFor();
  assert.ok(await customer.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no sideways scrolling");
  await shot(customer, "kb-10-home-phone-ko");
  // Written in Korean: shown in Korean. Not (yet): the reader is told which language it is in.
  await customer.goto(`${base}/help/demo/articles/${ids.password}`);
  await customer.getByTestId("article-title").filter({ hasText: PASSWORD.ko.title }).waitFor();
  assert.equal(await customer.getByTestId("article-fallback").count(), 0);
  await customer.goto(`${base}/help/demo/articles/${ids.refund}`);
  await customer.getByTestId("article-body").locator("table").waitFor();
  await customer.getByTestId("article-fallback").filter({ hasText: "이 문서는 아직 한국어 버전이 없어 English 버전으로 보여 드립니다." }).waitFor();
  assert.ok(await customer.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "the table scrolls on its own");
  await shot(customer, "kb-11-article-phone");
});

test("everything ran under the Content-Security-Policy, without page errors", () => {
  assert.deepEqual(cspViolations, []);
  assert.deepEqual(pageErrors, []);
});
