// End-to-end test of service standards (capability C3): an admin keeps them in Admin → Service
// levels, chats are answered through the API by two agents, and Reports → Service standards
// shows how often each standard was met, by day and by agent, to admins and agents alike.
// A real `kizuna serve --demo` on a free loopback port with a temp data dir, driven in
// Debian's Chromium through playwright-core.
// Run: node --test tests/e2e/service_standards.test.mjs
//
// Env: KIZUNA_BINARY (default build/src/server/kizuna), KIZUNA_WEB_DIST (default web/dist),
//      CHROMIUM (default /usr/bin/chromium), KIZUNA_SCREENSHOTS (default build/e2e-screenshots).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SHOTS, endAgentSession, pageApi, signInAgent, startAgentSession } from "./support.mjs";

const GREETING = "First chat greeting ≤ 60 s";
const INSTANT = "Chat greeting ≤ 1 s";
const EMAIL = "First email reply ≤ 1 business hour";
const CALENDAR = "Tokyo office";

let session;
let page;
let base;
let today; // in the workspace's time zone, as the report counts days
let calendarId;
const dialogs = [];
const cspViolations = [];

const shot = (name) => page.screenshot({ path: path.join(SHOTS, `standards-${name}.png`), fullPage: false });
/** An API call as the agent signed in to the page. */
const api = (method, p, body) => pageApi(page, method, p, body);

/** A signed-in API client outside the browser (a second agent answering). */
async function apiAs(email, password) {
  const r = await fetch(`${base}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ workspace: "demo", email, password }),
  });
  assert.equal(r.status, 200);
  const cookie = r.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const { csrf_token } = await r.json();
  return async (method, p, body) => {
    const res = await fetch(base + p, {
      method,
      headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": csrf_token },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  };
}

const card = (name) => page.getByTestId("standard-card").filter({ has: page.getByTestId("card-name").getByText(name, { exact: true }) });
const rowOf = (c, key) => c.locator(`[data-testid=group-row][data-key="${key}"]`);
const text = async (locator) => (await locator.textContent()).trim();

before(async () => {
  session = await startAgentSession("kizuna-e2e-standards-", dialogs, cspViolations);
  ({ page, base } = session);
});

after(() => endAgentSession(session));

test("the report is in the main navigation; without standards it offers an admin to add one", async () => {
  await signInAgent(page, base, "admin@demo.kizuna.test", "kizuna-demo-admin");
  const zone = (await api("GET", "/api/v1/workspace")).body.time_zone;
  today = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  await page.getByTestId("nav-standards").click();
  await page.waitForURL(/\/reports\/standards\?/);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("to"), today, "the range ends today");
  assert.equal(url.searchParams.get("group_by"), "day");
  const from = new Date(`${today}T00:00:00Z`);
  from.setUTCDate(from.getUTCDate() - 6);
  assert.equal(url.searchParams.get("from"), from.toISOString().slice(0, 10), "the last 7 days");
  const empty = page.getByTestId("standards-report-empty");
  await empty.waitFor();
  assert.match(await empty.textContent(), /No service standards yet/);
  await shot("01-report-empty");
  // Business hours for the email standard to count in.
  const cal = await api("POST", "/api/v1/calendars", { name: CALENDAR, time_zone: zone, hours: { mon: [{ start: "09:00", end: "18:00" }], tue: [{ start: "09:00", end: "18:00" }] } });
  assert.equal(cal.status, 201, JSON.stringify(cal.body));
  calendarId = cal.body.id;
  await empty.getByTestId("create-first-standard").click();
  await page.waitForURL(/\/admin\/sla#standards$/);
  await page.getByTestId("standards-empty").waitFor();
});

test("an admin adds a chat greeting standard from an example; a 0-second target is refused on its field", async () => {
  const form = page.getByTestId("standard-form");
  await form.getByTestId("example-chatGreeting").click();
  assert.equal(await page.inputValue("#std-name"), GREETING);
  assert.equal(await form.getByTestId("std-chan-chat").isChecked(), true);
  assert.equal(await form.getByTestId("std-chan-email").isChecked(), false);
  assert.equal(await form.getByTestId("std-unit").inputValue(), "seconds");
  assert.equal(await form.getByTestId("std-clock-calendar").isChecked(), true);
  assert.equal(await text(form.getByTestId("std-preview")), "Met when the first reply takes at most 60 seconds.");

  await form.getByTestId("std-amount").fill("0");
  await page.getByTestId("save-standard").click();
  const target = form.getByTestId("std-target");
  await target.getByTestId("field-error").filter({ hasText: "Please enter a time of at least 1 second and at most 30 days." }).waitFor();
  assert.equal(await form.getByTestId("std-amount").getAttribute("aria-invalid"), "true");
  assert.equal(await form.getByTestId("field-error").count(), 1, "only the target shows an error");
  await form.scrollIntoViewIfNeeded();
  await shot("02-target-error");
  assert.equal((await api("GET", "/api/v1/service-standards")).body.standards.length, 0);

  await form.getByTestId("std-amount").fill("60");
  assert.equal(await target.getByTestId("field-error").count(), 0, "the error goes once the target is changed");
  await page.getByTestId("save-standard").click();
  await page.getByTestId("standards-notice").filter({ hasText: `Standard “${GREETING}” added.` }).waitFor();
  const item = page.getByTestId("standard").filter({ hasText: GREETING });
  assert.equal(await text(item.getByTestId("standard-summary")), "First reply within 60 seconds");
  assert.equal(await text(item.getByTestId("standard-channels")), "Chat");
  assert.equal(await text(item.getByTestId("standard-clock")), "◷ Around the clock");

  // The email example counts business time.
  await form.getByTestId("example-emailReply").click();
  assert.equal(await text(form.getByTestId("std-preview")), "Met when the first reply takes at most 1 business hour.");
  assert.equal(await form.getByTestId("std-calendar").inputValue(), String(calendarId), "the business hours there are");
  await page.getByTestId("save-standard").click();
  await page.getByTestId("standards-notice").filter({ hasText: `Standard “${EMAIL}” added.` }).waitFor();
  const emailItem = page.getByTestId("standard").filter({ hasText: EMAIL });
  assert.equal(await text(emailItem.getByTestId("standard-summary")), "First reply within 1 business hour");
  assert.equal(await text(emailItem.getByTestId("standard-clock")), `◷ in ${CALENDAR}`);

  const saved = (await api("GET", "/api/v1/service-standards")).body.standards;
  assert.deepEqual(
    saved.map(({ name, metric, channels, target_seconds, clock, calendar_id }) => ({ name, metric, channels, target_seconds, clock, calendar_id })),
    [
      { name: GREETING, metric: "first_reply", channels: ["chat"], target_seconds: 60, clock: "calendar", calendar_id: null },
      { name: EMAIL, metric: "first_reply", channels: ["email"], target_seconds: 3600, clock: "business", calendar_id: calendarId },
    ],
  );
  // A strict one, so that a slow answer misses it.
  const strict = await api("POST", "/api/v1/service-standards", { name: INSTANT, metric: "first_reply", channels: ["chat"], target_seconds: 1, clock: "calendar" });
  assert.equal(strict.status, 201, JSON.stringify(strict.body));
  await page.reload();
  await page.getByTestId("standard").nth(2).waitFor();
  await page.locator("#std-section-title").evaluate((el) => el.scrollIntoView({ block: "start" }));
  await shot("03-admin-list");
});

test("chats answered by two agents show as met and missed, by day and by agent", async () => {
  const minh = await apiAs("agent@demo.kizuna.test", "kizuna-demo-agent");
  const chat = async (n) => {
    const r = await api("POST", "/api/v1/tickets", {
      subject: `Chat ${n}`,
      body: "Hello, is anyone there?",
      channel: "chat",
      requester: { name: `Visitor ${n}`, email: `visitor${n}@example.jp` },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };
  const reply = async (as, id) => {
    const r = await as("POST", `/api/v1/tickets/${id}/messages`, { kind: "public", body: "Hi! How can I help?" });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  };
  const aiko = api;
  const [c1, c2, c3, c4] = [await chat(1), await chat(2), await chat(3), await chat(4)];
  await reply(aiko, c1);
  await reply(aiko, c2);
  await reply(minh, c3);
  await new Promise((r) => setTimeout(r, 1300)); // past the strict standard's 1 second
  await reply(minh, c4);

  await page.getByTestId("nav-standards").click();
  await page.waitForURL(/\/reports\/standards\?/);
  const strict = card(INSTANT);
  await strict.getByTestId("card-share").filter({ hasText: "75%" }).waitFor();
  assert.equal(await text(strict.getByTestId("card-met")), "3 of 4 met");
  assert.match(await strict.getAttribute("class"), /tone-fair/);
  assert.equal(await text(rowOf(strict, today).getByTestId("group-share")), "75%");
  assert.equal(await text(rowOf(strict, today).getByTestId("group-met")), "3 / 4");
  // The six days before without chats are one row.
  assert.equal(await strict.getByTestId("group-row").count(), 1);
  assert.match(await text(strict.getByTestId("group-gap")), /6 days with nothing measured$/);
  const greeting = card(GREETING);
  assert.equal(await text(greeting.getByTestId("card-share")), "100%");
  assert.equal(await text(greeting.getByTestId("card-met")), "4 of 4 met");
  assert.match(await greeting.getAttribute("class"), /tone-good/);
  const email = card(EMAIL);
  assert.equal(await text(email.getByTestId("card-share")), "—");
  assert.equal(await text(email.getByTestId("card-met")), "No data");
  await shot("04-report-by-day");

  await page.getByTestId("group-agent").check();
  await page.waitForURL(/group_by=agent/);
  const byAgent = card(INSTANT);
  await byAgent.getByTestId("group-label").filter({ hasText: "Minh Agent" }).waitFor();
  const agents = await byAgent.getByTestId("group-row").evaluateAll((rows) =>
    rows.map((r) => [r.querySelector("[data-testid=group-label]").textContent, r.querySelector("[data-testid=group-share]").textContent, r.querySelector("[data-testid=group-met]").textContent]),
  );
  assert.deepEqual(agents, [
    ["Aiko Admin", "100%", "2 / 2"],
    ["Minh Agent", "50%", "1 / 2"],
  ]);
  assert.equal(await text(card(EMAIL).getByTestId("card-met")), "No data");
  await shot("05-report-by-agent");

  // A start after the end is explained, not sent.
  await page.getByTestId("report-from").fill("2099-01-02");
  await page.getByTestId("range-problem").filter({ hasText: "Please choose a start date on or before the end date." }).waitFor();
  await page.getByTestId("report-last7").click();
  assert.equal(await page.getByTestId("range-problem").count(), 0);
});

test("editing shows the target as saved; deleting asks first, and the report no longer shows it", async () => {
  await page.getByTestId("manage-standards").click();
  await page.waitForURL(/\/admin\/sla#standards$/);
  await page.getByRole("button", { name: `Edit ${GREETING}` }).click();
  const form = page.getByTestId("standard-form");
  assert.equal(await form.getByTestId("std-amount").inputValue(), "60");
  assert.equal(await form.getByTestId("std-unit").inputValue(), "seconds");
  assert.equal(await form.getByTestId("std-clock-calendar").isChecked(), true);
  await form.getByTestId("std-amount").fill("45");
  await page.getByTestId("save-standard").click();
  await page.getByTestId("standards-notice").filter({ hasText: `Standard “${GREETING}” saved.` }).waitFor();
  assert.equal(await text(page.getByTestId("standard").filter({ hasText: GREETING }).getByTestId("standard-summary")), "First reply within 45 seconds");

  // The business hours the email standard counts in cannot go, and the dialog says why.
  await page.getByRole("button", { name: `Delete ${CALENDAR}` }).click();
  const calDialog = page.getByTestId("calendar-delete-dialog");
  await calDialog.getByRole("button", { name: "Delete", exact: true }).click();
  await calDialog.getByTestId("calendar-in-use").filter({ hasText: `These business hours are still used by “${EMAIL}”.` }).waitFor();
  await calDialog.getByRole("button", { name: "Cancel" }).click();

  await page.getByRole("button", { name: `Delete ${INSTANT}` }).click();
  const dialog = page.getByTestId("standard-delete-dialog");
  await dialog.waitFor();
  await shot("06-delete-dialog");
  await dialog.getByRole("button", { name: "Delete standard" }).click();
  await page.getByTestId("standards-notice").filter({ hasText: `Standard “${INSTANT}” deleted.` }).waitFor();
  assert.deepEqual(await page.getByTestId("standard-name").allTextContents(), [GREETING, EMAIL]);
  await page.getByTestId("nav-standards").click();
  await card(GREETING).waitFor();
  assert.equal(await card(INSTANT).count(), 0);
});

test("an agent reads the report too, in their language, without the admin's link", async () => {
  await page.getByRole("button", { name: "Sign out" }).click();
  await signInAgent(page, base, "agent@demo.kizuna.test", "kizuna-demo-agent");
  await page.getByTestId("nav-standards").click();
  const greeting = card(GREETING);
  await greeting.waitFor();
  assert.equal(await page.getByTestId("manage-standards").count(), 0);
  await page.getByTestId("group-agent").check();
  await greeting.getByTestId("group-label").filter({ hasText: "Minh Agent" }).waitFor();
  // A chat answered meanwhile shows without reloading.
  const t = await api("POST", "/api/v1/tickets", { subject: "Chat 5", body: "Hello?", channel: "chat", requester: { name: "Visitor 5", email: "visitor5@example.jp" } });
  assert.equal((await api("POST", `/api/v1/tickets/${t.body.id}/messages`, { kind: "public", body: "Hi!" })).status, 201);
  await greeting.getByTestId("card-met").filter({ hasText: "5 of 5 met" }).waitFor();
  const minhId = (await api("GET", "/api/v1/auth/session")).body.agent.id;
  assert.equal(await text(rowOf(greeting, minhId).getByTestId("group-met")), "3 / 3", "Minh's three chats");
  await page.getByTestId("language-switcher").selectOption("vi");
  await greeting.getByTestId("card-met").filter({ hasText: "Đạt 5 trên 5" }).waitFor();
  await shot("07-report-agent-vi");
  await page.getByTestId("language-switcher").selectOption("en");
  assert.deepEqual(cspViolations, [], "the pages run under the server's Content-Security-Policy");
  assert.deepEqual(dialogs, [], "no native dialogs");
});
