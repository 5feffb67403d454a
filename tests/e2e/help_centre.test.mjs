// End-to-end test of the public help centre (/help/{workspace}) together with the agent
// workspace: a customer writes in Japanese (partly on a phone-sized screen), agents see it
// live, see each other's presence, reply; the customer signs in with the emailed link (sent
// over SMTP to a real receiver, tests/integration/smtp_receiver.py) and replies.
// Run: node --test tests/e2e/
//
// Env: KIZUNA_BINARY (default build/src/server/kizuna), KIZUNA_WEB_DIST (default web/dist),
//      CHROMIUM (default /usr/bin/chromium), KIZUNA_SCREENSHOTS (default build/e2e-screenshots).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import zlib from "node:zlib";
import {
  SHOTS,
  launchBrowser,
  newTestPage,
  requireBuilt,
  signInAgent,
  signInTokenFor,
  startMailingDemoServer,
  stopMailingDemoServer,
} from "./support.mjs";
import path from "node:path";


const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 860 };
const CUSTOMER = { name: "佐藤 花子", email: "hanako.sato@example.jp" };
const SUBJECT = "注文した商品がまだ届きません";
const BODY = "11月15日に注文した商品（注文番号 A-20931）がまだ届いていません。\n配送状況を確認していただけますか？";
const AGENT_REPLY = "佐藤様、お問い合わせありがとうございます。配送業者に確認したところ、明日お届けの予定です。ご不便をおかけして申し訳ございません。";
const INTERNAL_NOTE = "社内メモ：配送業者に問い合わせ済み。補償クーポン検討中。";
const CUSTOMER_REPLY = "ご確認ありがとうございます。明日受け取れるのを楽しみにしています。";

// Files sent both ways: a text file from the customer, a PDF-like file and two PNGs (one
// chosen, one pasted) from the agent.
const CUSTOMER_FILE = { name: "注文明細.txt", mimeType: "text/plain", buffer: Buffer.from("注文番号 A-20931\n商品: 電気ケトル 1点\n", "utf8") };
const AGENT_FILE = { name: "delivery-note.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% Kizuna e2e test file\n%%EOF\n") };
const AGENT_PNG = { name: "tracking.png", mimeType: "image/png", buffer: png(96, 64, [29, 92, 134]) };
const PASTED_PNG = png(80, 80, [232, 193, 90]);
const AGENT_FILE_REPLY = "配送状況の画面と納品書を添付します。ご確認ください。";
const sha256 = (b) => createHash("sha256").update(b).digest("hex");

/** A solid-colour PNG (no image library needed). */
function png(width, height, [r, g, b]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const x of buf) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

let server;
let dataDir;
let mailDir;
let smtp;
let base;
let browser;
let customer; // page in a Japanese phone/desktop browser
let aiko; // the admin, Aiko Admin
let ana; // a second agent created by the admin
const cspViolations = [];
const pageErrors = [];

const newPage = (options) => newTestPage(browser, options, { pageErrors, cspViolations });

async function shot(page, name) {
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

async function signInLive(page, email, password) {
  await signInAgent(page, base, email, password);
  await page.locator(".live-live").waitFor();
}

before(async () => {
  await requireBuilt("portal.html");
  // Mail leaves through a real SMTP receiver; the sign-in links are read from what it got.
  ({ server, base, dataDir, mailDir, smtp } = await startMailingDemoServer("kizuna-e2e-help-"));
  browser = await launchBrowser();
  [customer, aiko, ana] = await Promise.all([
    newPage({ viewport: DESKTOP, locale: "ja-JP", timezoneId: "Asia/Tokyo" }),
    newPage({ viewport: DESKTOP, locale: "en-US" }),
    newPage({ viewport: DESKTOP, locale: "en-US" }),
  ]);
});

after(async () => {
  await browser?.close().catch(() => {});
  await stopMailingDemoServer({ server, smtp, dataDir });
});

test("two agents sign in: the admin creates Ana, both watch the inbox", async () => {
  await signInLive(aiko, "admin@demo.kizuna.test", "kizuna-demo-admin");
  const created = await aiko.evaluate(async () => {
    const s = await (await fetch("/api/v1/auth/session")).json();
    const r = await fetch("/api/v1/agents", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": s.csrf_token },
      body: JSON.stringify({
        email: "ana@demo.kizuna.test", name: "Ana Lima", role: "agent", languages: ["en", "ja"],
        password: "ana-long-enough-password",
      }),
    });
    return { status: r.status, body: await r.json() };
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await signInLive(ana, "ana@demo.kizuna.test", "ana-long-enough-password");
  await aiko.click("a[data-view=unsolved]");
  await aiko.waitForURL(/\/inbox\/unsolved$/);
  await aiko.locator(".live-live").waitFor();
});

let number;
test("a customer submits a request in Japanese, on a phone", async () => {
  await customer.goto(`${base}/help/demo`);
  await customer.getByRole("heading", { level: 1, name: "どのようなご用件でしょうか？" }).waitFor();
  assert.equal(await customer.evaluate(() => document.documentElement.lang), "ja");
  assert.match(await customer.getByTestId("business-name").textContent(), /demo/i);
  await shot(customer, "help-01-portal-home");
  // The home page is the knowledge base; the request form is one click away.
  await customer.getByTestId("nav-submit").click();
  await customer.getByTestId("request-form").waitFor();
  await customer.waitForURL(/\/help\/demo\/requests\/new$/);

  await customer.setViewportSize(PHONE);
  // Client-side checks explain the problem in Japanese and focus the first field.
  await customer.getByTestId("submit-request").click();
  await customer.getByTestId("error-rq-name").filter({ hasText: "お名前を入力してください。" }).waitFor();
  await customer.getByTestId("error-rq-email").waitFor();
  assert.equal(await customer.evaluate(() => document.activeElement?.id), "rq-name");
  assert.equal(await customer.locator("#rq-name").getAttribute("aria-invalid"), "true");
  await shot(customer, "help-00-form-errors-phone");

  await customer.getByLabel("お名前").fill(CUSTOMER.name);
  await customer.getByLabel("メールアドレス").fill("hanako.sato@");
  await customer.getByLabel("件名").fill(SUBJECT);
  await customer.getByLabel("お問い合わせ内容").fill(BODY);
  await customer.getByTestId("submit-request").click();
  await customer.getByTestId("error-rq-email").filter({ hasText: "name@example.com" }).waitFor();
  await customer.getByLabel("メールアドレス").fill(CUSTOMER.email);
  // The customer attaches the order details (a file chooser on a phone).
  await customer.getByTestId("attach-input").setInputFiles(CUSTOMER_FILE);
  await customer.getByTestId("pending-attachment").filter({ hasText: CUSTOMER_FILE.name }).and(customer.locator("[data-state=done]")).waitFor();
  await customer.getByTestId("attach-zone").scrollIntoViewIfNeeded();
  await shot(customer, "help-07-request-form-attachment-phone");
  await customer.getByTestId("submit-request").click();

  const done = customer.getByTestId("request-submitted");
  await done.waitFor();
  number = Number((await customer.getByTestId("request-number").textContent()).replace("#", ""));
  assert.ok(number > 0);
  assert.match(await done.textContent(), new RegExp(`控えを ${CUSTOMER.email.replace(".", "\\.")} にお送りしています`));
  assert.ok(await customer.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no sideways scrolling on a phone");
  await shot(customer, "help-02-submitted-phone");
});

let ticketId;
test("the agent sees it arrive without reloading; a colleague sees 'is replying'", async () => {
  const row = aiko.locator(".trow", { hasText: SUBJECT });
  await row.waitFor();
  ticketId = Number(await row.getAttribute("data-ticket-id"));
  await row.click();
  await aiko.waitForURL(new RegExp(`/tickets/${ticketId}$`));
  await aiko.getByTestId("msg-public").filter({ hasText: "A-20931" }).waitFor();
  // The customer's file is on the message, and downloads with the same bytes.
  const custFile = aiko.getByTestId("msg-public").filter({ hasText: "A-20931" }).getByTestId("attachment-file");
  await custFile.filter({ hasText: CUSTOMER_FILE.name }).waitFor();
  const custHref = await custFile.getAttribute("href");
  const got = await aiko.evaluate(async (href) => {
    const r = await fetch(href);
    return { status: r.status, type: r.headers.get("content-type"), text: await r.text() };
  }, custHref);
  assert.equal(got.status, 200);
  assert.equal(got.text, CUSTOMER_FILE.buffer.toString("utf8"));

  // Ana opens the same ticket (in-app, like a click from her inbox).
  await ana.evaluate((id) => {
    history.pushState(null, "", `/tickets/${id}`);
    dispatchEvent(new PopStateEvent("popstate"));
  }, ticketId);
  await ana.getByTestId("ticket-subject").filter({ hasText: SUBJECT }).waitFor();
  // Each sees the other, nobody sees themselves.
  await aiko.getByTestId("presence-viewing").filter({ hasText: "Ana Lima is viewing" }).waitFor();
  await ana.getByTestId("presence-viewing").filter({ hasText: "Aiko Admin is viewing" }).waitFor();
  assert.equal(await aiko.getByTestId("presence").filter({ hasText: "Aiko Admin" }).count(), 0);

  // Aiko types a reply: Ana sees it.
  await aiko.getByTestId("composer-body").click();
  await aiko.keyboard.type(AGENT_REPLY.slice(0, 12));
  await ana.getByTestId("presence-replying").filter({ hasText: "Aiko Admin is replying" }).waitFor();
  await shot(ana, "help-05-agent-presence");
  await aiko.getByTestId("composer-body").fill(AGENT_REPLY);
  await aiko.getByTestId("send").click();
  await aiko.getByTestId("msg-public").filter({ hasText: AGENT_REPLY }).waitFor();
  // Sent and the composer is empty again: back to "viewing".
  await ana.getByTestId("presence-viewing").filter({ hasText: "Aiko Admin is viewing" }).waitFor();
  await ana.getByTestId("msg-public").filter({ hasText: AGENT_REPLY }).waitFor();

  // An internal note the customer must never see, and the ticket waits for the customer.
  await aiko.getByTestId("mode-note").click();
  await aiko.getByTestId("composer-body").fill(INTERNAL_NOTE);
  await aiko.getByTestId("send").click();
  await aiko.getByTestId("msg-note").filter({ hasText: INTERNAL_NOTE }).waitFor();
  await aiko.locator("#f-status").selectOption("pending");
  await aiko.locator(".ticket-meta .pill-pending").waitFor();
});

test("the agent replies with a file, a chosen PNG and a pasted PNG", async () => {
  await aiko.getByTestId("mode-public").click();
  await aiko.getByTestId("composer-body").fill(AGENT_FILE_REPLY);
  await aiko.getByTestId("attach-input").setInputFiles([AGENT_FILE, AGENT_PNG]);
  // A screenshot pasted into the composer (what Ctrl+V of an image does).
  await aiko.getByTestId("composer-body").evaluate((el, bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], "image.png", { type: "image/png" }));
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
  }, [...PASTED_PNG]);
  const pending = aiko.getByTestId("pending-attachment");
  await aiko.waitForFunction(() => document.querySelectorAll("[data-testid=pending-attachment][data-state=done]").length === 3);
  assert.equal(await pending.count(), 3);
  assert.match(await pending.nth(2).textContent(), /pasted-\d{8}-\d{6}\.png/);
  assert.equal(await aiko.getByTestId("composer-body").inputValue(), AGENT_FILE_REPLY, "a pasted image leaves the text alone");
  // Removing one before sending, then choosing it again.
  await pending.filter({ hasText: AGENT_PNG.name }).getByTestId("remove-attachment").click();
  assert.equal(await pending.count(), 2);
  await aiko.getByTestId("attach-input").setInputFiles(AGENT_PNG);
  await aiko.waitForFunction(() => document.querySelectorAll("[data-testid=pending-attachment][data-state=done]").length === 3);
  await aiko.getByTestId("composer").scrollIntoViewIfNeeded();
  await shot(aiko, "help-08-composer-attachments");
  await aiko.getByTestId("composer").screenshot({ path: path.join(SHOTS, "help-08b-composer-attachments-close.png") });

  await aiko.getByTestId("send").click();
  const msg = aiko.getByTestId("msg-public").filter({ hasText: AGENT_FILE_REPLY });
  await msg.waitFor();
  // The composer empties when the send is answered (the live conversation can show it first).
  await aiko.getByTestId("pending-attachment").first().waitFor({ state: "detached" });
  await msg.getByTestId("attachment-file").filter({ hasText: AGENT_FILE.name }).waitFor();
  assert.equal(await msg.getByTestId("attachment-image").count(), 2);
  // The thumbnails load under the page's Content-Security-Policy.
  await aiko.waitForFunction(
    (text) => {
      const li = [...document.querySelectorAll("[data-testid=msg-public]")].find((el) => el.textContent.includes(text));
      const imgs = li ? [...li.querySelectorAll("img")] : [];
      return imgs.length === 2 && imgs.every((i) => i.complete && i.naturalWidth > 0);
    },
    AGENT_FILE_REPLY,
  );
  await msg.scrollIntoViewIfNeeded();
  await shot(aiko, "help-09-timeline-attachments");
  // The colleague sees them too.
  await ana.getByTestId("msg-public").filter({ hasText: AGENT_FILE_REPLY }).getByTestId("attachment-image").first().waitFor();
});

test("the customer signs in with the emailed link, reads the reply and answers", async () => {
  await customer.getByRole("link", { name: "お問い合わせ履歴を見る" }).click();
  await customer.getByTestId("sign-in-form").waitFor();
  await customer.getByLabel("メールアドレス").fill(CUSTOMER.email);
  await customer.getByTestId("send-link").click();
  await customer.getByTestId("link-sent").filter({ hasText: "メールをご確認ください" }).waitFor();

  const token = await signInTokenFor(mailDir, CUSTOMER.email);
  assert.match(token, /^[A-Za-z0-9_-]{20,}$/);
  await customer.goto(`${base}/help/demo/sign-in#token=${token}`);
  await customer.waitForURL(/\/help\/demo\/requests$/);
  assert.ok(!customer.url().includes(token), "the token is gone from the address bar");
  const item = customer.getByTestId("request-link").filter({ hasText: SUBJECT });
  await item.waitFor();
  assert.equal((await item.getByTestId("request-status").textContent()).trim(), "お客様のご返信待ち");
  await shot(customer, "help-03-my-requests-phone");
  // The history entry no longer holds the token either.
  assert.ok(!(await customer.evaluate(() => location.href)).includes("token="));

  await item.click();
  await customer.waitForURL(new RegExp(`/help/demo/requests/${number}$`));
  const agentMsg = customer.getByTestId("msg-agent").filter({ hasText: AGENT_REPLY });
  await agentMsg.waitFor();
  assert.equal((await agentMsg.getByTestId("msg-author").textContent()).trim(), "Aiko Admin");
  await customer.getByTestId("msg-mine").filter({ hasText: "A-20931" }).waitFor();
  assert.ok(!(await customer.getByTestId("conversation").textContent()).includes("社内メモ"), "no internal note");
  // Mine on the right, theirs on the left.
  const mineBox = await customer.getByTestId("msg-mine").first().boundingBox();
  const theirBox = await agentMsg.boundingBox();
  assert.ok(mineBox.x + mineBox.width > theirBox.x + theirBox.width, "the customer's messages are aligned differently");
  await shot(customer, "help-04-request-phone");

  // The agent's files: thumbnails, and a download with the very bytes the agent sent.
  const filesMsg = customer.getByTestId("msg-agent").filter({ hasText: AGENT_FILE_REPLY });
  await filesMsg.waitFor();
  assert.equal(await filesMsg.getByTestId("attachment-image").count(), 2);
  await customer.waitForFunction(() => [...document.querySelectorAll(".p-msg img")].some((i) => i.complete && i.naturalWidth === 96));
  await filesMsg.scrollIntoViewIfNeeded();
  await shot(customer, "help-10-request-attachments-phone");
  const [download] = await Promise.all([
    customer.waitForEvent("download"),
    filesMsg.getByTestId("attachment-file").filter({ hasText: AGENT_FILE.name }).click(),
  ]);
  assert.equal(download.suggestedFilename(), AGENT_FILE.name);
  assert.equal(sha256(readFileSync(await download.path())), sha256(AGENT_FILE.buffer));
  const pngHref = await filesMsg.getByTestId("attachment-image").filter({ hasText: AGENT_PNG.name }).getAttribute("href");
  const pngBytes = await customer.evaluate(async (href) => [...new Uint8Array(await (await fetch(href)).arrayBuffer())], pngHref);
  assert.equal(sha256(Buffer.from(pngBytes)), sha256(AGENT_PNG.buffer));
  // Someone else's attachment id is not served to this customer.
  const other = await customer.evaluate(async () => (await fetch("/api/v1/portal/demo/attachments/999999")).status);
  assert.equal(other, 404);

  await customer.getByTestId("reply-body").fill(CUSTOMER_REPLY);
  await customer.getByTestId("send-reply").click();
  await customer.getByTestId("reply-sent").waitFor();
  await customer.getByTestId("msg-mine").filter({ hasText: CUSTOMER_REPLY }).waitFor();
  await customer.getByTestId("request-status").filter({ hasText: "対応中" }).waitFor();
  await customer.getByTestId("reply-body").scrollIntoViewIfNeeded();
  await shot(customer, "help-06-request-replied-phone");
});

test("the agent sees the customer's reply appear", async () => {
  await aiko.getByTestId("msg-public").filter({ hasText: CUSTOMER_REPLY }).waitFor();
  await aiko.locator(".ticket-meta .pill-open").waitFor();
});

test("the admin deactivates Ana: her open session stops working", async () => {
  await aiko.evaluate(() => {
    history.pushState(null, "", "/admin/agents");
    dispatchEvent(new PopStateEvent("popstate"));
  });
  const row = aiko.getByTestId("agents-table").locator("tr", { hasText: "ana@demo.kizuna.test" });
  await row.getByTestId("edit-agent").click();
  const editor = aiko.getByTestId("agent-editor");
  await editor.waitFor();
  assert.equal(await aiko.locator("#ae-name").inputValue(), "Ana Lima");
  await aiko.locator("#ae-langs").fill("en, ja, pt");
  await aiko.getByTestId("save-agent").click();
  await editor.getByText("Changes to Ana Lima saved.").waitFor();
  await row.filter({ hasText: "en, ja, pt" }).waitFor();
  await shot(aiko, "help-11-admin-agent-editor");
  await editor.screenshot({ path: path.join(SHOTS, "help-11b-admin-agent-editor-close.png") });
  await aiko.getByTestId("deactivate-agent").click();
  await editor.getByText("Ana Lima was deactivated").waitFor();
  await row.getByTestId("agent-active").filter({ hasText: "Inactive" }).waitFor();
  await aiko.getByTestId("reactivate-agent").waitFor();

  // The admin cannot deactivate or demote themself (the controls say why).
  const me = aiko.getByTestId("agents-table").locator("tr", { hasText: "admin@demo.kizuna.test" });
  await me.getByTestId("edit-agent").click();
  assert.ok(await aiko.locator("#ae-role").isDisabled());
  assert.ok(await aiko.getByTestId("deactivate-agent").isDisabled());
  const selfPatch = await aiko.evaluate(async () => {
    const s = await (await fetch("/api/v1/auth/session")).json();
    const r = await fetch(`/api/v1/agents/${s.agent.id}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": s.csrf_token },
      body: JSON.stringify({ active: false }),
    });
    return r.status;
  });
  assert.equal(selfPatch, 409);

  // Ana's session is refused (within the server's 10 s credential cache)…
  await ana.waitForFunction(async () => (await fetch("/api/v1/tickets?limit=1")).status === 401, null, { polling: 500 });
  // …and her app goes back to the sign-in page at its next request.
  await ana.evaluate(() => {
    history.pushState(null, "", "/inbox/unsolved");
    dispatchEvent(new PopStateEvent("popstate"));
  });
  await ana.waitForURL(/\/sign-in$/);
  await ana.getByText("Your session has ended").waitFor();
  // She cannot sign in again either.
  await ana.fill("#si-workspace", "demo");
  await ana.fill("#si-email", "ana@demo.kizuna.test");
  await ana.fill("#si-password", "ana-long-enough-password");
  await ana.click("button[type=submit]");
  await ana.getByTestId("signin-error").waitFor();

  assert.deepEqual(cspViolations, [], "everything runs under the server's Content-Security-Policy");
  assert.deepEqual(pageErrors, []);
});
