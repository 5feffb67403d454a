// End-to-end test of Admin → Service levels: business hours and SLA policies, and the due
// badge a matching ticket then shows in the inbox. A real `kizuna serve --demo` on a free
// loopback port with a temp data dir, driven in Debian's Chromium through playwright-core.
// Run: node --test tests/e2e/sla_admin.test.mjs
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
  pageApi,
  signInAgent,
  startAgentSession,
} from "./support.mjs";
import path from "node:path";


const CALENDAR = "Tokyo office";
const POLICY = "Urgent first reply 1h";

let server;
let dataDir;
let profileDir;
let base;
let context;
let page;
const dialogs = [];
const cspViolations = [];

async function shot(name) {
  await page.screenshot({ path: path.join(SHOTS, `sla-admin-${name}.png`), fullPage: false });
}

/** An API call from inside the page, with its session and CSRF token. */
const api = (method, p, body) => pageApi(page, method, p, body);

const policyForm = () => page.getByTestId("policy-form");
const calendarForm = () => page.getByTestId("calendar-form");

before(async () => {
  ({ server, base, dataDir, profileDir, context, page } = await startAgentSession("kizuna-e2e-sla-", dialogs, cspViolations));
});

after(() => endAgentSession({ server, dataDir, profileDir, context }));

test("admin opens Admin → Service levels: friendly empty states", async () => {
  await signInAgent(page, base, "admin@demo.kizuna.test", "kizuna-demo-admin");
  await page.locator(".sidenav a[href='/admin/sla']").click();
  await page.waitForURL(/\/admin\/sla$/);
  assert.equal(await page.locator(".tabs .tab.active").textContent(), "Service levels");
  await page.getByTestId("calendars-empty").waitFor();
  assert.match(await page.getByTestId("calendars-empty").textContent(), /No business hours yet/);
  assert.match(await page.getByTestId("policies-empty").textContent(), /No SLA policies yet/);
  await shot("01-empty");
});

test("creates a Tokyo Mon–Fri 9–18 calendar with a holiday", async () => {
  await page.fill("#cal-name", CALENDAR);
  await page.selectOption("#cal-tz", "Asia/Tokyo");
  await page.getByTestId("preset-office").click();
  assert.equal(await page.getByTestId("day-sat").getByRole("switch").isChecked(), false);
  assert.equal(await page.getByTestId("day-mon").locator("input[type=time]").first().inputValue(), "09:00");
  await page.getByTestId("holiday-date").fill("2027-01-01");
  await page.getByTestId("add-holiday").click();
  await page.getByTestId("holidays").getByText("2027-01-01").waitFor();
  await calendarForm().scrollIntoViewIfNeeded();
  await shot("02-calendar-form");
  await page.getByTestId("save-calendar").click();
  await page.getByTestId("calendars-notice").filter({ hasText: `Business hours “${CALENDAR}” added.` }).waitFor();
  const item = page.getByTestId("calendar").filter({ hasText: CALENDAR });
  await item.waitFor();
  assert.match(await item.getByTestId("calendar-week").textContent(), /Mon–Fri 09:00–18:00/);
  const list = (await api("GET", "/api/v1/calendars")).body.calendars;
  assert.equal(list.length, 1);
  assert.equal(list[0].time_zone, "Asia/Tokyo");
  assert.deepEqual(list[0].hours.mon, [{ start: "09:00", end: "18:00" }]);
  assert.deepEqual(list[0].hours.sat, []);
  assert.deepEqual(list[0].holidays, ["2027-01-01"]);
});

test("a 0-minute target shows the translated field error on its row", async () => {
  await page.fill("#pol-name", POLICY);
  await page.getByTestId("prio-urgent").check();
  await page.getByTestId("target-first_reply-unit").selectOption("minutes");
  await page.getByTestId("target-first_reply-amount").fill("0");
  await page.getByTestId("save-policy").click();
  const row = page.getByTestId("target-first_reply");
  await row.getByTestId("field-error").filter({ hasText: "Please enter a time of at least 1 minute and at most 10 years." }).waitFor();
  assert.equal(await page.getByTestId("target-first_reply-amount").getAttribute("aria-invalid"), "true");
  await shot("03-target-error");
  const switcher = page.getByTestId("language-switcher");
  await switcher.selectOption("ja");
  await row.getByTestId("field-error").filter({ hasText: "1 分以上、10 年以内の時間を入力してください。" }).waitFor();
  await shot("04-target-error-ja");
  await switcher.selectOption("en");
  assert.equal((await api("GET", "/api/v1/sla/policies")).body.policies.length, 0);
});

test("creates the policy for urgent tickets in the Tokyo hours and sees both listed", async () => {
  await page.getByTestId("target-first_reply-amount").fill("1");
  await page.getByTestId("target-first_reply-unit").selectOption("hours");
  const calId = (await api("GET", "/api/v1/calendars")).body.calendars[0].id;
  await page.selectOption("#pol-calendar", String(calId));
  await page.getByTestId("save-policy").click();
  await page.getByTestId("policies-notice").filter({ hasText: `Policy “${POLICY}” added.` }).waitFor();
  const item = page.getByTestId("policy").filter({ hasText: POLICY });
  await item.waitFor();
  assert.equal((await item.getByTestId("policy-order").textContent()).trim(), "1");
  assert.equal((await item.getByTestId("policy-conditions").textContent()).trim(), "Urgent");
  assert.match(await item.getByTestId("policy-targets").textContent(), /First reply\s*1 h/);
  assert.match(await item.getByTestId("policy-calendar").textContent(), new RegExp(`in ${CALENDAR}`));
  // The calendar now says which policy uses it.
  assert.match(await page.getByTestId("calendar").filter({ hasText: CALENDAR }).textContent(), new RegExp(`Used by “${POLICY}”`));
  const policies = (await api("GET", "/api/v1/sla/policies")).body.policies;
  assert.equal(policies.length, 1);
  assert.deepEqual(policies[0].conditions.priorities, ["urgent"]);
  assert.deepEqual(policies[0].targets, [{ metric: "first_reply", minutes: 60, clock: "business" }]);
  assert.equal(policies[0].calendar_id, calId);
  await page.locator("#pol-section-title").evaluate((el) => el.scrollIntoView({ block: "start" }));
  await shot("05-listed");
});

test("a second policy can be moved above the first", async () => {
  const r = await api("POST", "/api/v1/sla/policies", { name: "Everything else", targets: [{ metric: "resolution", minutes: 2880, clock: "calendar" }] });
  assert.equal(r.status, 201);
  await page.reload();
  const names = () => page.getByTestId("policy-name").allTextContents();
  await page.getByTestId("policy").nth(1).waitFor();
  assert.deepEqual(await names(), [POLICY, "Everything else"]);
  await page.getByRole("button", { name: "Move Everything else up" }).click();
  await page.getByTestId("policies-notice").filter({ hasText: "The order is saved." }).waitFor();
  assert.deepEqual(await names(), ["Everything else", POLICY]);
  const order = (await api("GET", "/api/v1/sla/policies")).body.policies.map((p) => p.name);
  assert.deepEqual(order, ["Everything else", POLICY]);
  // Back again, and the catch-all removed with its confirmation.
  await page.getByRole("button", { name: `Move ${POLICY} up` }).click();
  await page.getByTestId("policies-notice").filter({ hasText: "The order is saved." }).waitFor();
  assert.deepEqual(await names(), [POLICY, "Everything else"]);
  await page.getByRole("button", { name: "Delete Everything else" }).click();
  const dialog = page.getByTestId("policy-delete-dialog");
  await dialog.waitFor();
  await dialog.getByRole("button", { name: "Delete policy" }).click();
  await page.getByTestId("policies-notice").filter({ hasText: "Policy “Everything else” deleted." }).waitFor();
  assert.deepEqual(await names(), [POLICY]);
});

test("deleting business hours a policy uses explains why it cannot", async () => {
  await page.getByRole("button", { name: `Delete ${CALENDAR}` }).click();
  const dialog = page.getByTestId("calendar-delete-dialog");
  await dialog.waitFor();
  await dialog.getByRole("button", { name: "Delete", exact: true }).click();
  await dialog.getByTestId("calendar-in-use").filter({ hasText: `These business hours are still used by “${POLICY}”.` }).waitFor();
  await shot("06-calendar-in-use");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  assert.equal((await api("GET", "/api/v1/calendars")).body.calendars.length, 1);
});

test("an urgent ticket created through the API shows its due badge in the inbox, sorted by due time", async () => {
  const r = await api("POST", "/api/v1/tickets", {
    subject: "Checkout is down for everyone",
    body: "Nobody can pay since this morning.",
    priority: "urgent",
    requester: { name: "Kenji Sato", email: "kenji@example.jp" },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const ticket = r.body;
  assert.ok(ticket.sla, "the policy applies to the new ticket");
  assert.equal(ticket.sla.targets[0].metric, "first_reply");
  await page.goto(`${base}/inbox/unsolved`);
  await page.getByTestId("sort").selectOption("due_at");
  const row = page.locator(`#trow-${ticket.id}`);
  await row.waitFor();
  const badge = row.getByTestId("due-badge");
  await badge.waitFor();
  assert.match(await badge.textContent(), /due in|overdue/);
  assert.match(await badge.getAttribute("title"), /First reply/);
  await shot("07-inbox-due");
  assert.deepEqual(cspViolations, [], "the page runs under the server's Content-Security-Policy");
  assert.deepEqual(dialogs, [], "no native dialogs");
});
