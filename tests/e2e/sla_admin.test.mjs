// End-to-end test of Admin → Service levels: business hours (with holidays and special
// dates) and SLA policies (conditions on priorities, organisations, customer tiers and teams;
// warnings and escalation), and the due badge a matching ticket then shows in the inbox.
// A real `kizuna serve --demo` on a free loopback port with a temp data dir, driven in
// Debian's Chromium through playwright-core.
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

test("special dates: a short day and a closed day; overlapping hours are shown on their date", async () => {
  await page.goto(`${base}/admin/sla`);
  await page.getByRole("button", { name: `Edit ${CALENDAR}` }).click();
  const form = calendarForm();
  await form.getByTestId("exception-date").fill("2026-12-28");
  await form.getByTestId("add-exception").click();
  const short = form.locator('[data-testid=exception][data-date="2026-12-28"]');
  await short.waitFor();
  assert.match(await short.textContent(), /Mon, Dec 28, 2026/);
  const times = short.locator("input[type=time]");
  assert.equal(await times.nth(0).inputValue(), "09:00", "a Monday starts with Monday's hours");
  await times.nth(0).fill("10:00");
  await times.nth(1).fill("15:00");
  await form.getByTestId("exception-date").fill("2026-12-31");
  await form.getByTestId("add-exception").click();
  const closed = form.locator('[data-testid=exception][data-date="2026-12-31"]');
  await closed.getByTestId("exception-closed").check();
  assert.equal(await closed.locator("input[type=time]").count(), 0);
  // Overlapping hours on the short day: the server's error lands on that date's row.
  await short.getByRole("button", { name: /Add hours/ }).click();
  await times.nth(2).fill("14:00");
  await times.nth(3).fill("16:00");
  await page.getByTestId("save-calendar").click();
  await short.getByTestId("field-error").filter({ hasText: "Please check these hours" }).waitFor();
  assert.equal(await times.nth(0).getAttribute("aria-invalid"), "true");
  assert.equal(await closed.getByTestId("field-error").count(), 0);
  await short.scrollIntoViewIfNeeded();
  await shot("08-exception-error");
  await short.getByRole("button", { name: /Remove these hours/ }).nth(1).click();
  await page.getByTestId("save-calendar").click();
  await page.getByTestId("calendars-notice").filter({ hasText: `Business hours “${CALENDAR}” saved.` }).waitFor();
  const saved = (await api("GET", "/api/v1/calendars")).body.calendars[0];
  assert.deepEqual(saved.exceptions, [
    { date: "2026-12-28", hours: [{ start: "10:00", end: "15:00" }] },
    { date: "2026-12-31", hours: [] },
  ]);
  assert.deepEqual(saved.holidays, ["2027-01-01"], "the holidays are kept");
  // After a reload the list counts them and the editor shows them as saved.
  await page.reload();
  assert.equal((await page.getByTestId("calendar-exceptions").textContent()).trim(), "2 special dates");
  await page.getByRole("button", { name: `Edit ${CALENDAR}` }).click();
  const again = calendarForm().getByTestId("exception");
  assert.equal(await again.count(), 2);
  assert.deepEqual(await again.nth(0).locator("input[type=time]").evaluateAll((els) => els.map((e) => e.value)), ["10:00", "15:00"]);
  assert.equal(await again.nth(1).getByTestId("exception-closed").isChecked(), true);
  await again.nth(0).scrollIntoViewIfNeeded();
  await shot("09-exceptions");
  await calendarForm().getByRole("button", { name: "Cancel" }).click();
});

test("a policy for gold and VIP customers of Acme in Billing: warns at 80%, escalates when missed", async () => {
  const org = await api("POST", "/api/v1/organisations", { name: "Acme KK", domain: "acme.example.jp" });
  assert.equal(org.status, 201, JSON.stringify(org.body));
  const billing = await api("POST", "/api/v1/teams", { name: "Billing" });
  const escalations = await api("POST", "/api/v1/teams", { name: "Escalations" });
  assert.equal(billing.status, 201, JSON.stringify(billing.body));
  await page.reload();
  await page.getByRole("button", { name: `Edit ${POLICY}` }).click();
  const form = policyForm();
  await form.getByTestId("org-add").selectOption({ label: "Acme KK (acme.example.jp)" });
  await form.getByTestId("org-chip").filter({ hasText: "Acme KK" }).waitFor();
  await form.getByTestId("tier-input").fill("Gold");
  await form.getByTestId("tier-input").press("Enter");
  await form.getByTestId("tier-chip").filter({ hasText: /^gold×$/ }).waitFor();
  await form.getByTestId("tier-input").fill("VIP"); // typed, not added: saving takes it too
  await form.getByTestId(`team-${billing.body.id}`).check();
  await form.locator('[data-field="organisations"]').scrollIntoViewIfNeeded();
  await shot("10a-conditions-form");
  assert.equal(await form.getByTestId("warning-percent").inputValue(), "75", "the default share");
  assert.equal(await form.getByTestId("warning-notify").isChecked(), true);
  // 150% is refused by the server, on its field.
  await form.getByTestId("warning-percent").fill("150");
  await page.getByTestId("save-policy").click();
  const percentField = form.locator('[data-field="warning_percent"]');
  await percentField.getByTestId("field-error").filter({ hasText: "Please enter a whole number from 1 to 99." }).waitFor();
  assert.equal(await form.getByTestId("warning-percent").getAttribute("aria-invalid"), "true");
  await form.getByTestId("warning-percent").fill("80");
  assert.equal(await percentField.getByTestId("field-error").count(), 0, "the error goes once the share is changed");
  assert.equal((await form.getByTestId("warning-example").textContent()).trim(), "First reply in 1 h: the warning comes after 48 min.");
  await form.getByTestId("breach-priority").selectOption("high");
  await form.getByTestId("breach-team").selectOption({ label: "Escalations" });
  await form.getByTestId("escalation").scrollIntoViewIfNeeded();
  await shot("10-escalation-form");
  await page.getByTestId("save-policy").click();
  await page.getByTestId("policies-notice").filter({ hasText: `Policy “${POLICY}” saved.` }).waitFor();

  const p = (await api("GET", "/api/v1/sla/policies")).body.policies[0];
  assert.deepEqual(p.conditions.organisation_ids, [org.body.id]);
  assert.deepEqual(p.conditions.customer_tiers, ["gold", "vip"]);
  assert.deepEqual(p.conditions.team_ids, [billing.body.id]);
  assert.equal(p.warning_percent, 80);
  assert.deepEqual(p.escalations, {
    warning: { notify: true },
    breach: { notify: true, raise_priority: "high", assign_team_id: escalations.body.id },
  });

  const check = async () => {
    const item = page.getByTestId("policy").filter({ hasText: POLICY });
    assert.equal((await item.getByTestId("policy-conditions").textContent()).trim(), "Urgent · organisations: Acme KK · tiers: gold, vip · teams: Billing");
    assert.equal((await item.getByTestId("policy-warning").textContent()).trim(), "Warns at 80% of the target, by email");
    assert.equal((await item.getByTestId("policy-breach").textContent()).trim(), "When missed: email the assignee, raise to High, and move to Escalations");
  };
  await check();
  await page.reload();
  await check();
  await page.locator("#pol-section-title").evaluate((el) => el.scrollIntoView({ block: "start" }));
  await shot("11-policy-summary");
  // The editor shows it all again.
  await page.getByRole("button", { name: `Edit ${POLICY}` }).click();
  assert.deepEqual(await form.getByTestId("org-chip").allTextContents(), ["Acme KK×"]);
  assert.deepEqual(await form.getByTestId("tier-chip").allTextContents(), ["gold×", "vip×"]);
  assert.equal(await form.getByTestId(`team-${billing.body.id}`).isChecked(), true);
  assert.equal(await form.getByTestId(`team-${escalations.body.id}`).isChecked(), false);
  assert.equal(await form.getByTestId("warning-percent").inputValue(), "80");
  assert.equal(await form.getByTestId("breach-priority").inputValue(), "high");
  assert.equal(await form.getByTestId("breach-team").inputValue(), String(escalations.body.id));
  // Taking the conditions off again.
  await form.getByRole("button", { name: "Remove Acme KK" }).click();
  await form.getByRole("button", { name: "Remove gold" }).click();
  await form.getByRole("button", { name: "Remove vip" }).click();
  await form.getByTestId(`team-${billing.body.id}`).uncheck();
  await form.getByTestId("breach-team").selectOption("");
  await page.getByTestId("save-policy").click();
  await page.getByTestId("policies-notice").filter({ hasText: `Policy “${POLICY}” saved.` }).waitFor();
  const after = (await api("GET", "/api/v1/sla/policies")).body.policies[0];
  assert.deepEqual([after.conditions.organisation_ids, after.conditions.customer_tiers, after.conditions.team_ids], [[], [], []]);
  assert.equal(after.escalations.breach.assign_team_id, null);
  assert.equal(after.escalations.breach.raise_priority, "high");
  assert.deepEqual(cspViolations, []);
  assert.deepEqual(dialogs, []);
});
