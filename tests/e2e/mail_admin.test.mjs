// End-to-end test of the email channel's admin page (Admin → Email) and of email in the
// ticket timeline: a real `kizuna serve --demo` on a free loopback port with a temp data dir,
// driven in Debian's Chromium through playwright-core. Mail is delivered the way a mail server
// would: `kizuna mail-ingest` with the message on standard input, on the same data dir.
// Run: node --test tests/e2e/mail_admin.test.mjs
//
// Env: KIZUNA_BINARY (default build/src/server/kizuna), KIZUNA_WEB_DIST (default web/dist),
//      CHROMIUM (default /usr/bin/chromium), KIZUNA_SCREENSHOTS (default build/e2e-screenshots).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  BINARY,
  CHROMIUM,
  SHOTS,
  chromium,
  endAgentSession,
  freePort,
  pageApi,
  signInAgent,
  startAgentSession,
} from "./support.mjs";
import path from "node:path";


const SUPPORT = "support@demo-shop.example";
const ORDERS = "orders@demo-shop.example";
const SUBJECT = "Where is my order #4821?";

let server;
let dataDir;
let profileDir;
let base;
let context;
let page;
const dialogs = [];
const cspViolations = [];

async function shot(name) {
  await page.screenshot({ path: path.join(SHOTS, `mail-admin-${name}.png`), fullPage: false });
}

/** An API call from inside the page, with its session and CSRF token. */
const api = (method, p, body) => pageApi(page, method, p, body);

const mailboxNamed = (address) => page.getByTestId("mailbox").filter({ has: page.getByTestId("mailbox-address").getByText(address, { exact: true }) });
const fieldError = () => page.getByTestId("mailbox-form").getByTestId("field-error");

/** Delivers one raw email the way a mail server's pipe would. */
function ingest(raw) {
  const r = spawnSync(BINARY, ["--data", dataDir, "mail-ingest", "--workspace", "demo", "--mailbox", SUPPORT], {
    input: raw.replace(/\n/g, "\r\n"),
    encoding: "utf8",
    timeout: 20000,
  });
  assert.equal(r.status, 0, `mail-ingest exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim();
}

before(async () => {
  ({ server, base, dataDir, profileDir, context, page } = await startAgentSession("kizuna-e2e-mail-", dialogs, cspViolations));
});

after(() => endAgentSession({ server, dataDir, profileDir, context }));

test("admin opens Admin → Email: no mailboxes and no rejected mail yet", async () => {
  await signInAgent(page, base, "admin@demo.kizuna.test", "kizuna-demo-admin");
  await page.locator(".sidenav a[href='/admin/email']").click();
  await page.waitForURL(/\/admin\/email$/);
  assert.equal(await page.locator(".tabs .tab.active").textContent(), "Email");
  const empty = page.getByTestId("mailboxes-empty");
  await empty.waitFor();
  assert.match(await empty.textContent(), /No mailboxes yet/);
  const rejected = page.getByTestId("rejections-empty");
  await rejected.waitFor();
  assert.match(await rejected.textContent(), /No rejected mail/);
  await shot("01-empty");
  await rejected.scrollIntoViewIfNeeded();
  await shot("02-rejected-empty");
});

test("adds a mailbox delivered by the mail server (kizuna mail-ingest) and sees it listed", async () => {
  await page.fill("#mb-address", SUPPORT);
  await page.fill("#mb-display_name", "Demo Shop Support");
  await page.getByTestId("delivery-pipe").check();
  assert.equal(await page.locator("#mb-imap_url").count(), 0, "no IMAP fields for delivery by the mail server");
  assert.equal(
    (await page.getByTestId("pipe-setup").locator("code").textContent()).trim(),
    `kizuna mail-ingest --workspace demo --mailbox ${SUPPORT}`,
  );
  // Automatic acknowledgement with a template; {number} inserted by its chip.
  await page.getByTestId("mb-ack").check();
  await page.fill("#mb-ack_template", "Hello {name}, thank you for writing to Demo Shop. Your ticket is #");
  await page.getByRole("button", { name: "Insert {number}" }).click();
  assert.match(await page.inputValue("#mb-ack_template"), /Your ticket is #\{number\}$/);
  await page.getByTestId("save-mailbox").click();
  await page.getByTestId("mail-notice").filter({ hasText: `${SUPPORT} was added.` }).waitFor();

  const item = mailboxNamed(SUPPORT);
  await item.waitFor();
  assert.equal((await item.getByTestId("mailbox-name").textContent()).trim(), "Demo Shop Support");
  assert.equal((await item.getByTestId("mailbox-incoming").textContent()).trim(), "Delivered by your mail server (kizuna mail-ingest)");
  assert.equal(await item.getByTestId("check-mailbox").count(), 0, "nothing to check without an IMAP account");
  // The form is empty again for the next one.
  assert.equal(await page.inputValue("#mb-address"), "");

  const list = await api("GET", "/api/v1/mailboxes");
  assert.equal(list.status, 200);
  assert.equal(list.body.mailboxes.length, 1);
  const m = list.body.mailboxes[0];
  assert.equal(m.address, SUPPORT);
  assert.equal(m.imap_url, "");
  assert.equal(m.ack_enabled, true);
  assert.equal(m.enabled, true);
  assert.equal(m.ack_template, "Hello {name}, thank you for writing to Demo Shop. Your ticket is #{number}");
  await page.locator(".content").evaluate((el) => el.scrollTo(0, 0));
  await shot("03-added");
});

test("edits the mailbox's sender name", async () => {
  const item = mailboxNamed(SUPPORT);
  await item.getByTestId("edit-mailbox").click();
  await page.locator("#mb-form-title", { hasText: `Edit ${SUPPORT}` }).waitFor();
  assert.equal(await page.inputValue("#mb-display_name"), "Demo Shop Support");
  assert.equal(await page.getByTestId("delivery-pipe").isChecked(), true);
  assert.equal(await page.getByTestId("save-mailbox").isDisabled(), true, "nothing to save before a change");
  await page.fill("#mb-display_name", "Demo Shop Customer Care");
  await page.getByTestId("save-mailbox").click();
  await page.getByTestId("mail-notice").filter({ hasText: `Changes to ${SUPPORT} saved.` }).waitFor();
  await item.getByTestId("mailbox-name").filter({ hasText: "Demo Shop Customer Care" }).waitFor();
  await page.locator("#mb-form-title", { hasText: "Add a mailbox" }).waitFor();
  const m = (await api("GET", "/api/v1/mailboxes")).body.mailboxes[0];
  assert.equal(m.display_name, "Demo Shop Customer Care");
  assert.equal(m.ack_enabled, true, "only the name changed");
});

test("shows translated errors for a bad address, a taken address and an http:// IMAP URL", async () => {
  await page.fill("#mb-address", "support.demo-shop.example");
  await page.getByTestId("delivery-pipe").check();
  await page.getByTestId("save-mailbox").click();
  await fieldError().filter({ hasText: "Please enter a complete email address, such as support@example.com." }).waitFor();
  assert.equal(await page.getAttribute("#mb-address", "aria-invalid"), "true");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "mb-address", "the field with the problem has the focus");
  // The same error in Japanese and Vietnamese after switching the language.
  const switcher = page.getByTestId("language-switcher");
  await switcher.selectOption("ja");
  await fieldError().filter({ hasText: "正しいメールアドレスを入力してください" }).waitFor();
  await switcher.selectOption("vi");
  await fieldError().filter({ hasText: "Vui lòng nhập đầy đủ một địa chỉ email hợp lệ" }).waitFor();
  await switcher.selectOption("en");
  await fieldError().filter({ hasText: "complete email address" }).waitFor();
  // Typing in the field clears its error.
  await page.fill("#mb-address", SUPPORT);
  assert.equal(await fieldError().count(), 0);

  await page.getByTestId("save-mailbox").click();
  await fieldError().filter({ hasText: "This workspace already has a mailbox with this address." }).waitFor();

  await page.fill("#mb-address", ORDERS);
  await page.getByTestId("delivery-imap").check();
  await page.getByTestId("save-mailbox").click();
  await fieldError().filter({ hasText: "Please enter the IMAP server, or choose delivery by your mail server." }).waitFor();
  await page.fill("#mb-imap_url", "http://x");
  await page.getByTestId("save-mailbox").click();
  await fieldError().filter({ hasText: "Enter the IMAP server as imaps://host:port (encrypted) or imap://host:port." }).waitFor();
  assert.equal(await page.getAttribute("#mb-imap_url", "aria-invalid"), "true");
  await page.getByTestId("language-switcher").selectOption("ko");
  await fieldError().filter({ hasText: "IMAP 서버는 imaps://호스트:포트(암호화)" }).waitFor();
  await page.getByTestId("language-switcher").selectOption("en");
  await page.locator("#mb-imap_url").scrollIntoViewIfNeeded();
  await shot("04-errors");
  assert.equal((await api("GET", "/api/v1/mailboxes")).body.mailboxes.length, 1, "nothing was saved");
});

test("an IMAP mailbox: the password shows as saved and stays unless retyped; Check now reports back", async () => {
  const closed = await freePort(); // nothing listens there
  await page.fill("#mb-imap_url", `imap://127.0.0.1:${closed}`);
  await page.fill("#mb-imap_username", ORDERS);
  await page.fill("#mb-imap_password", "an-app-password-1234");
  await page.getByTestId("save-mailbox").click();
  await page.getByTestId("mail-notice").filter({ hasText: `${ORDERS} was added.` }).waitFor();
  let orders = (await api("GET", "/api/v1/mailboxes")).body.mailboxes.find((m) => m.address === ORDERS);
  assert.equal(orders.imap_password_set, true);
  assert.equal(orders.imap_folder, "INBOX");
  assert.equal("imap_password" in orders, false, "the password never comes back");

  const item = mailboxNamed(ORDERS);
  assert.match(await item.getByTestId("mailbox-incoming").textContent(), new RegExp(`imap://127\\.0\\.0\\.1:${closed}`));
  await item.getByTestId("check-mailbox").click();
  const result = item.getByTestId("check-result");
  await result.waitFor({ timeout: 60000 });
  const text = await result.textContent();
  assert.match(text, /The check failed: .+|not set up to collect mail over IMAP/);
  if (text.startsWith("The check failed")) {
    // The error stays on the mailbox, shown as a warning after a reload.
    await page.reload();
    const warning = mailboxNamed(ORDERS).getByTestId("mailbox-last-error");
    await warning.waitFor();
    assert.match(await warning.textContent(), /The last check failed:/);
    const bg = await warning.evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(bg, "rgb(255, 246, 224)", "a warning, in the warning colours");
  }

  await mailboxNamed(ORDERS).getByTestId("edit-mailbox").click();
  await page.getByTestId("password-saved").waitFor();
  assert.equal(await page.inputValue("#mb-imap_password"), "");
  assert.match(await page.getAttribute("#mb-imap_password", "placeholder"), /^Saved/);
  await page.fill("#mb-imap_move_to", "Kizuna");
  await page.getByTestId("save-mailbox").click();
  await page.getByTestId("mail-notice").filter({ hasText: `Changes to ${ORDERS} saved.` }).waitFor();
  orders = (await api("GET", "/api/v1/mailboxes")).body.mailboxes.find((m) => m.address === ORDERS);
  assert.equal(orders.imap_move_to, "Kizuna");
  assert.equal(orders.imap_password_set, true, "the saved password was kept");
  await mailboxNamed(ORDERS).scrollIntoViewIfNeeded();
  await shot("05-imap-mailbox");
});

let ticketId;
test("mail from the mail server: a ticket, a reply with its quoted text folded away, an auto-reply rejected", async () => {
  const first = ingest(`From: Emily Carter <emily@example.com>
To: ${SUPPORT}
Subject: ${SUBJECT}
Message-ID: <e2e-first@mail.example.com>
Date: Mon, 23 Nov 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Hello, my parcel has not arrived yet. Could you check where it is?

Emily
`);
  assert.match(first, /ticket/);
  const reply = ingest(`From: Emily Carter <emily@example.com>
To: ${SUPPORT}
Subject: Re: ${SUBJECT}
Message-ID: <e2e-second@mail.example.com>
In-Reply-To: <e2e-first@mail.example.com>
References: <e2e-first@mail.example.com>
Date: Mon, 23 Nov 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

It arrived this morning, thank you!

Emily

On Mon, 23 Nov 2026 at 09:00, Emily Carter <emily@example.com> wrote:
> Hello, my parcel has not arrived yet. Could you check where it is?
>
> Emily
`);
  assert.match(reply, /message/);
  const auto = ingest(`From: Emily Carter <emily@example.com>
To: ${SUPPORT}
Subject: Out of office: ${SUBJECT}
Message-ID: <e2e-away@mail.example.com>
Auto-Submitted: auto-replied
Date: Mon, 23 Nov 2026 11:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

I am away until Monday.
`);
  assert.match(auto, /rejected/);

  // The rejection is listed with the reason in words.
  await page.getByTestId("rejections-refresh").click();
  const row = page.getByTestId("rejection");
  await row.first().waitFor();
  assert.equal(await row.count(), 1);
  const rowText = await row.textContent();
  assert.ok(rowText.includes("emily@example.com"));
  assert.ok(rowText.includes(`Out of office: ${SUBJECT}`));
  assert.ok(rowText.includes(`To: ${SUPPORT}`));
  assert.ok(rowText.includes("An automatic reply, such as an out-of-office message."));
  await page.getByTestId("rejections").scrollIntoViewIfNeeded();
  await shot("06-rejected-mail");

  // The ticket: channel email, both messages marked as email, the reply's quote folded away.
  const list = (await api("GET", "/api/v1/tickets?status=unsolved&limit=100")).body.tickets;
  const ticket = list.find((t) => t.subject === SUBJECT);
  assert.ok(ticket, "the email became a ticket");
  assert.equal(ticket.channel, "email");
  ticketId = ticket.id;
  const msgs = (await api("GET", `/api/v1/tickets/${ticketId}/messages`)).body.messages;
  assert.equal(msgs.length, 2);
  assert.equal(msgs[1].body.trim(), "It arrived this morning, thank you!\n\nEmily");
  assert.match(msgs[1].body_full, /> Hello, my parcel has not arrived yet/);
  assert.match(msgs[1].external_id, /e2e-second@mail\.example\.com/);

  await page.goto(`${base}/tickets/${ticketId}`);
  await page.locator(".ticket-meta", { hasText: "Channel: Email" }).waitFor();
  await page.getByTestId("msg-email").nth(1).waitFor();
  assert.equal(await page.getByTestId("msg-email").count(), 2);
  const toggle = page.getByTestId("quoted-toggle");
  assert.equal(await toggle.count(), 1, "only the reply had quoted text cut off");
  const quoted = page.getByTestId("msg-quoted");
  assert.equal(await quoted.isVisible(), false);
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  assert.equal((await toggle.textContent()).replace(/•/g, "").trim(), "Show quoted text");
  await toggle.click();
  await quoted.waitFor();
  assert.match(await quoted.textContent(), /^On Mon, 23 Nov 2026 at 09:00, Emily Carter <emily@example\.com> wrote:\n> Hello, my parcel/);
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  assert.match(await toggle.textContent(), /Hide quoted text/);
  await page.waitForTimeout(200);
  await shot("07-ticket-quoted-text");
  await toggle.click();
  await quoted.waitFor({ state: "hidden" });

  // The customer has a ticket: the delete action explains why it is not possible.
  const del = page.getByTestId("delete-customer");
  await del.waitFor();
  await page.locator("#customer-delete-hint", { hasText: "Customers who have tickets cannot be deleted." }).waitFor();
  assert.equal(await del.isDisabled(), true);
  await del.scrollIntoViewIfNeeded();
  await page.getByTestId("customer-panel").screenshot({ path: path.join(SHOTS, "mail-admin-07b-customer-panel.png") });
});

test("deletes mailboxes after confirming; Escape and Cancel keep them", async () => {
  await page.goto(`${base}/admin/email`);
  const support = mailboxNamed(SUPPORT);
  await support.waitFor();
  await support.getByTestId("delete-mailbox").click();
  const dialog = page.getByTestId("mailbox-delete-dialog");
  await dialog.waitFor();
  assert.match(await dialog.textContent(), new RegExp(`Delete the mailbox ${SUPPORT.replace(/\./g, "\\.")}\\?`));
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Cancel", "Cancel has the focus");
  await shot("08-confirm-delete");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });
  await support.waitFor();

  await mailboxNamed(ORDERS).getByTestId("delete-mailbox").click();
  await dialog.waitFor();
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  assert.equal((await api("GET", "/api/v1/mailboxes")).body.mailboxes.length, 2);

  for (const address of [SUPPORT, ORDERS]) {
    await mailboxNamed(address).getByTestId("delete-mailbox").click();
    await dialog.getByTestId("confirm-yes").click();
    await dialog.waitFor({ state: "detached" });
    await page.getByTestId("mail-notice").filter({ hasText: `The mailbox ${address} was deleted.` }).waitFor();
    await mailboxNamed(address).waitFor({ state: "detached" });
  }
  await page.getByTestId("mailboxes-empty").waitFor();
  assert.deepEqual((await api("GET", "/api/v1/mailboxes")).body.mailboxes, []);
  // The ticket made from email stays.
  assert.equal((await api("GET", `/api/v1/tickets/${ticketId}`)).status, 200);
});

test("the page in Japanese; no CSP violations and no browser dialogs", async () => {
  await page.getByTestId("language-switcher").selectOption("ja");
  await page.locator(".tabs .tab.active", { hasText: "メール" }).waitFor();
  await page.getByTestId("mailboxes-empty").filter({ hasText: "メールボックスはまだありません。" }).waitFor();
  await page.getByTestId("rejection").filter({ hasText: "不在通知などの自動返信でした。" }).waitFor();
  await page.locator(".content").evaluate((el) => el.scrollTo(0, 0));
  await shot("09-ja");
  await page.getByTestId("language-switcher").selectOption("en");
  await page.waitForFunction(async () => (await (await fetch("/api/v1/auth/session")).json()).agent.locale === "en");
  assert.deepEqual(dialogs, [], "confirmations are in-page dialogs, not window.confirm");
  assert.deepEqual(cspViolations, [], "the page runs under the server's Content-Security-Policy");
});
