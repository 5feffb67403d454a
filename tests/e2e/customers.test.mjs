// End-to-end test of the Customers page: an agent searches a customer created through the
// API, opens their page and sees their lifetime figures and tickets; an admin deletes a
// customer without tickets. A real `kizuna serve --demo` on a free loopback port with a temp
// data dir, driven in Debian's Chromium through playwright-core.
// Run: node --test tests/e2e/customers.test.mjs
//
// Env: KIZUNA_BINARY (default build/src/server/kizuna), KIZUNA_WEB_DIST (default web/dist),
//      CHROMIUM (default /usr/bin/chromium), KIZUNA_SCREENSHOTS (default build/e2e-screenshots).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  CHROMIUM,
  SHOTS,
  chromium,
  endAgentSession,
  signInAgent,
  pageApi,
  startAgentSession,
} from "./support.mjs";
import path from "node:path";


const NAME = "Watanabe Sakura";
const EMAIL = "sakura.watanabe@e2e.example.jp";
const LONELY = "Đỗ Minh Quân";

let server;
let dataDir;
let profileDir;
let base;
let context;
let page;
let customerId;
let lonelyId;
const dialogs = [];
const cspViolations = [];

async function shot(name) {
  await page.screenshot({ path: path.join(SHOTS, `customers-${name}.png`), fullPage: false });
}

/** An API call from inside the page, with its session and CSRF token. */
const api = (method, p, body) => pageApi(page, method, p, body);

const signIn = (email, password) => signInAgent(page, base, email, password);

async function signOut() {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/sign-in$/);
}

before(async () => {
  ({ server, base, dataDir, profileDir, context, page } = await startAgentSession("kizuna-e2e-customers-", dialogs, cspViolations));
});

after(() => endAgentSession({ server, dataDir, profileDir, context }));

test("an agent finds a customer created through the API", async () => {
  await signIn("agent@demo.kizuna.test", "kizuna-demo-agent");
  const created = await api("POST", "/api/v1/customers", {
    name: NAME,
    language: "ja",
    notes: "Prefers email in the morning.",
    identities: [{ kind: "email", value: EMAIL }, { kind: "phone", value: "+819012345678" }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  customerId = created.body.id;
  // Three conversations on two channels; one solved.
  for (const [subject, channel, status] of [
    ["Order 1042 has not arrived", "email", "open"],
    ["Invoice address", "web", "solved"],
    ["Gift wrapping question", "email", "pending"],
  ]) {
    const r = await api("POST", "/api/v1/tickets", {
      subject, body: `About: ${subject}`, channel, status, requester: { id: customerId },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }

  await page.getByTestId("nav-customers").click();
  await page.waitForURL(/\/customers$/);
  await page.getByTestId("customers-table").waitFor();
  await shot("01-list");

  await page.getByTestId("customers-search").fill("sakura.wat");
  const row = page.getByTestId("customer-row").filter({ hasText: NAME });
  await row.waitFor();
  assert.equal(await page.getByTestId("customer-row").count(), 1);
  assert.match(await row.textContent(), new RegExp(EMAIL.replace(/\./g, "\\.")));
  assert.match(await row.textContent(), /\+819012345678/);
  await shot("02-search");

  await page.getByTestId("customers-search").fill("nobody-here-zzz");
  await page.getByTestId("customers-empty").waitFor();
  assert.match(await page.getByTestId("customers-empty").textContent(), /No customers match “nobody-here-zzz”/);
  await shot("03-no-match");
});

test("the list pages with “load more”", async () => {
  for (let i = 1; i <= 26; i++) {
    const r = await api("POST", "/api/v1/customers", { name: `Paging customer ${String(i).padStart(2, "0")}` });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  await page.getByTestId("customers-search").fill("Paging customer");
  await page.getByTestId("customer-row").filter({ hasText: "Paging customer 25" }).waitFor();
  assert.equal(await page.getByTestId("customer-row").count(), 25);
  await page.getByTestId("customers-more").click();
  await page.getByTestId("customer-row").filter({ hasText: "Paging customer 26" }).waitFor();
  assert.equal(await page.getByTestId("customer-row").count(), 26);
  assert.equal(await page.getByTestId("customers-more").count(), 0);
});

test("the customer page shows the profile, the figures and the tickets", async () => {
  await page.getByTestId("customers-search").fill("Watanabe");
  await page.getByTestId("customer-row").filter({ hasText: NAME }).getByRole("link").click();
  await page.waitForURL(new RegExp(`/customers/${customerId}$`));
  await page.getByTestId("customer-figures").waitFor();
  assert.equal(await page.getByTestId("customer-name").textContent(), NAME);
  assert.match(await page.getByTestId("customer-profile").textContent(), /Prefers email in the morning\./);
  const fig = async (id) => (await page.getByTestId(id).locator("dd").textContent()).trim();
  assert.equal(await fig("fig-conversations"), "3");
  assert.equal(await fig("fig-open"), "2");
  assert.equal(await fig("fig-solved"), "1");
  assert.equal(await fig("fig-channels"), "EmailHelp centre");
  const year = String(new Date().getUTCFullYear());
  assert.match(await fig("fig-first"), new RegExp(year));
  assert.match(await fig("fig-last"), new RegExp(year));
  const rows = page.getByTestId("customer-ticket");
  assert.equal(await rows.count(), 3);
  assert.match(await page.getByTestId("customer-tickets").textContent(), /Order 1042 has not arrived/);
  // An agent may not delete customers.
  assert.equal(await page.getByTestId("delete-customer").count(), 0);
  await shot("04-page");

  // A ticket opens from the list, and its customer panel leads back here.
  await rows.filter({ hasText: "Invoice address" }).getByRole("link").click();
  await page.waitForURL(/\/tickets\/\d+$/);
  await page.getByTestId("view-customer").click();
  await page.waitForURL(new RegExp(`/customers/${customerId}$`));
  await page.getByTestId("customer-figures").waitFor();

  // A deep link works too.
  await page.goto(`${base}/customers/${customerId}`);
  await page.getByTestId("customer-figures").waitFor();
  await signOut();
});

test("an admin deletes a customer without tickets and returns to the list", async () => {
  await signIn("admin@demo.kizuna.test", "kizuna-demo-admin");
  const created = await api("POST", "/api/v1/customers", {
    name: LONELY, identities: [{ kind: "email", value: "quan@e2e.example.vn" }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  lonelyId = created.body.id;

  // A customer with tickets cannot be deleted.
  await page.goto(`${base}/customers/${customerId}`);
  await page.getByTestId("customer-figures").waitFor();
  assert.equal(await page.getByTestId("delete-customer").isDisabled(), true);
  assert.match(await page.locator("#customer-delete-hint").textContent(), /cannot be deleted/);

  await page.getByTestId("nav-customers").click();
  await page.waitForURL(/\/customers$/);
  await page.getByTestId("customers-search").fill("Quân");
  await page.getByTestId("customer-row").filter({ hasText: LONELY }).getByRole("link").click();
  await page.waitForURL(new RegExp(`/customers/${lonelyId}$`));
  await page.getByTestId("customer-no-tickets").waitFor();
  assert.equal(await page.getByTestId("fig-conversations").locator("dd").textContent(), "0");
  await page.getByTestId("delete-customer").click();
  const dialog = page.getByTestId("customer-delete-dialog");
  await dialog.waitFor();
  assert.match(await dialog.textContent(), new RegExp(`Delete ${LONELY}\\?`));
  await shot("05-confirm-delete");
  await dialog.getByTestId("confirm-yes").click();
  await page.waitForURL(/\/customers$/);
  assert.match(await page.getByTestId("customers-notice").textContent(), new RegExp(`${LONELY} was deleted\\.`));
  await page.getByTestId("customers-table").waitFor();
  assert.equal(await page.getByTestId("customer-row").filter({ hasText: LONELY }).count(), 0);
  await shot("06-deleted");
  assert.equal((await api("GET", `/api/v1/customers/${lonelyId}`)).status, 404);
});

test("no native dialogs and no CSP violations", () => {
  assert.deepEqual(dialogs, []);
  assert.deepEqual(cspViolations, []);
});
