// End-to-end test of what service levels promise, where people see it: the help centre tells
// a customer by when to expect our reply (right after they write in, and on the request's
// page once signed in with the emailed link); an agent gives a customer a tier and the
// ticket's customer panel shows it; an SLA warning and a missed target stand out in the
// ticket's timeline. A real `kizuna serve --demo` on a free loopback port with a temp data
// dir and a real SMTP receiver, driven in Debian's Chromium through playwright-core.
// Run: node --test tests/e2e/sla_promises.test.mjs
//
// Env: KIZUNA_BINARY (default build/src/server/kizuna), KIZUNA_WEB_DIST (default web/dist),
//      CHROMIUM (default /usr/bin/chromium), KIZUNA_SCREENSHOTS (default build/e2e-screenshots).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import {
  SHOTS,
  launchBrowser,
  newTestPage,
  openEmailedSignInLink,
  pageApi,
  requireBuilt,
  signInAgent,
  startMailingDemoServer,
  stopMailingDemoServer,
} from "./support.mjs";

const CUSTOMER = { name: "Olivia Bennett", email: "olivia.bennett@example.co.uk" };
const SUBJECT = "The kettle I ordered arrived broken";
// The customer's browser is in New York: the promised time is shown in its zone, not the
// workspace's (Asia/Tokyo).
const CUSTOMER_ZONE = "America/New_York";

let server;
let dataDir;
let mailDir;
let smtp;
let base;
let browser;
let agent; // Aiko Admin
let customer; // Olivia, in a British English browser
let ticketId;
let customerId;
const cspViolations = [];
const pageErrors = [];

const newPage = (options) => newTestPage(browser, options, { pageErrors, cspViolations });

async function shot(page, name) {
  await page.waitForTimeout(100);
  await page.screenshot({ path: path.join(SHOTS, `sla-promises-${name}.png`), fullPage: false });
}

const api = (method, p, body) => pageApi(agent, method, p, body);

/** The reply-by time as the help centre words it (web/src/portal/expected.ts), in the customer's zone. */
function replyBy(iso, locale) {
  const at = Date.parse(iso);
  const year = (ms) => new Intl.DateTimeFormat("en", { year: "numeric", timeZone: CUSTOMER_ZONE }).format(ms);
  return new Intl.DateTimeFormat(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    ...(year(at) === year(Date.now()) ? {} : { year: "numeric" }),
    hour: "2-digit",
    minute: "2-digit",
    timeZone: CUSTOMER_ZONE,
  }).format(at);
}

before(async () => {
  await requireBuilt("portal.html");
  ({ server, base, dataDir, mailDir, smtp } = await startMailingDemoServer("kizuna-e2e-sla-promises-"));
  browser = await launchBrowser();
  [agent, customer] = await Promise.all([
    newPage({ viewport: { width: 1360, height: 860 }, locale: "en-US" }),
    newPage({ viewport: { width: 1100, height: 860 }, locale: "en-GB", timezoneId: CUSTOMER_ZONE }),
  ]);
});

after(async () => {
  await browser?.close().catch(() => {});
  await stopMailingDemoServer({ server, smtp, dataDir });
});

test("the admin promises a first reply within 2 hours around the clock (1 minute when urgent)", async () => {
  await signInAgent(agent, base, "admin@demo.kizuna.test", "kizuna-demo-admin");
  // Matched in order: the urgent one first. It warns after 1% of its minute, so the warning
  // comes within a second or two.
  const urgent = await api("POST", "/api/v1/sla/policies", {
    name: "Urgent: first reply in 1 min",
    conditions: { priorities: ["urgent"] },
    targets: [{ metric: "first_reply", minutes: 1, clock: "calendar" }],
    warning_percent: 1,
  });
  assert.equal(urgent.status, 201, JSON.stringify(urgent.body));
  assert.equal(urgent.body.warning_percent, 1);
  const everyone = await api("POST", "/api/v1/sla/policies", {
    name: "Everyone: first reply in 2 h",
    targets: [{ metric: "first_reply", minutes: 120, clock: "calendar" }],
  });
  assert.equal(everyone.status, 201, JSON.stringify(everyone.body));
  assert.equal(everyone.body.warning_percent, 75, "the default share");
  assert.deepEqual(everyone.body.escalations, {
    warning: { notify: true },
    breach: { notify: true, raise_priority: null, assign_team_id: null },
  });
});

test("a customer writes in and is told by when to expect our reply, in their zone and language", async () => {
  await customer.goto(`${base}/help/demo/requests/new`);
  await customer.fill("#rq-name", CUSTOMER.name);
  await customer.fill("#rq-email", CUSTOMER.email);
  await customer.fill("#rq-subject", SUBJECT);
  await customer.fill("#rq-body", "The lid is cracked and it leaks. Order K-5521.");
  const answer = customer.waitForResponse((r) => r.url().endsWith("/api/v1/portal/demo/requests") && r.request().method() === "POST");
  await customer.getByTestId("submit-request").click();
  const created = await (await answer).json();
  assert.equal(typeof created.expected_reply_at, "string", JSON.stringify(created));
  const promised = Date.parse(created.expected_reply_at) - Date.parse(created.created_at);
  assert.ok(Math.abs(promised - 120 * 60_000) < 2 * 60_000, `expected in about 2 h, got ${promised / 60_000} min`);

  const done = customer.getByTestId("request-submitted");
  await done.waitFor();
  const expected = done.getByTestId("expected-reply");
  assert.equal((await expected.locator("time").textContent()).trim(), `We'll reply by ${replyBy(created.expected_reply_at, "en-GB")}`);
  assert.match(await done.textContent(), /We will reply by email\. Please mention your request number/);
  await shot(customer, "01-submitted");
  await customer.getByTestId("language-switcher").selectOption("ja");
  await expected.filter({ hasText: `${replyBy(created.expected_reply_at, "ja")}までにご返信します` }).waitFor();
  await shot(customer, "02-submitted-ja");
  await customer.getByTestId("language-switcher").selectOption("en");
});

test("signed in with the emailed link, the request page shows it; once we have replied it does not", async () => {
  await customer.goto(`${base}/help/demo/requests`);
  await customer.getByLabel("Email address").fill(CUSTOMER.email);
  await openEmailedSignInLink(customer, base, mailDir, CUSTOMER.email);
  await customer.getByTestId("request-link").filter({ hasText: SUBJECT }).click();
  await customer.getByTestId("request-subject").filter({ hasText: SUBJECT }).waitFor();
  const expected = customer.getByTestId("expected-reply");
  const request = (await pageApi(customer, "GET", `/api/v1/portal/demo/requests/${customer.url().split("/").pop()}`)).body.request;
  assert.equal((await expected.locator("time").textContent()).trim(), `We'll reply by ${replyBy(request.expected_reply_at, "en-GB")}`);
  await shot(customer, "03-request-page");

  // The team answers and waits for the customer: nothing is promised any more.
  const customers = (await api("GET", `/api/v1/customers?q=${encodeURIComponent(CUSTOMER.email)}`)).body.customers;
  assert.equal(customers.length, 1);
  customerId = customers[0].id;
  const tickets = (await api("GET", `/api/v1/customers/${customerId}/tickets`)).body.tickets;
  ticketId = tickets.find((t) => t.subject === SUBJECT).id;
  const reply = await api("POST", `/api/v1/tickets/${ticketId}/messages`, {
    kind: "public",
    body: "We are sorry! A new kettle is on its way; could you send us a photo of the lid?",
    status: "pending",
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  await customer.reload();
  await customer.getByTestId("msg-agent").waitFor();
  assert.equal(await expected.count(), 0);
  const now = (await pageApi(customer, "GET", `/api/v1/portal/demo/requests/${customer.url().split("/").pop()}`)).body.request;
  assert.equal(now.expected_reply_at, null);
});

test("an agent gives the customer a tier; the ticket's customer panel shows it", async () => {
  await agent.goto(`${base}/customers/${customerId}`);
  const profile = agent.getByTestId("customer-profile");
  await profile.getByTestId("tier-row").filter({ hasText: "No tier" }).waitFor();
  await profile.getByTestId("change-tier").click();
  await profile.getByTestId("tier-input").fill("  Gold ");
  await shot(agent, "04-tier-form");
  await profile.getByTestId("save-tier").click();
  await profile.getByTestId("tier-saved").waitFor();
  assert.equal((await profile.getByTestId("customer-tier").textContent()).trim(), "gold");
  assert.equal((await api("GET", `/api/v1/customers/${customerId}`)).body.tier, "gold");
  await agent.reload();
  assert.equal((await profile.getByTestId("customer-tier").textContent()).trim(), "gold");
  await shot(agent, "05-tier-saved");

  await agent.goto(`${base}/tickets/${ticketId}`);
  const panel = agent.getByTestId("customer-panel");
  await panel.getByTestId("customer-tier").waitFor();
  assert.equal((await panel.getByTestId("customer-tier").textContent()).trim(), "gold");
  assert.equal(await panel.getByTestId("customer-tier").getAttribute("title"), "Customer tier: gold");
  await panel.scrollIntoViewIfNeeded();
  await shot(agent, "05b-ticket-panel-tier");

  // Taking it off again.
  await agent.goto(`${base}/customers/${customerId}`);
  await profile.getByTestId("change-tier").click();
  await profile.getByTestId("remove-tier").click();
  await profile.getByTestId("tier-row").filter({ hasText: "No tier" }).waitFor();
  assert.equal((await api("GET", `/api/v1/customers/${customerId}`)).body.tier, "");
});

test("an agent gives the customer an account owner; the ticket's panel names them", async () => {
  const agents = (await api("GET", "/api/v1/agents")).body.agents;
  const colleague = agents.find((a) => a.email === "agent@demo.kizuna.test");
  assert.ok(colleague, "the demo has a second agent");
  await agent.goto(`${base}/customers/${customerId}`);
  const profile = agent.getByTestId("customer-profile");
  const select = profile.getByTestId("owner-select");
  await select.waitFor();
  await agent.waitForFunction(() => document.querySelector("[data-testid=owner-select]")?.disabled === false);
  assert.equal(await select.inputValue(), "", "no owner yet");
  await select.selectOption(String(colleague.id));
  await profile.getByTestId("owner-saved").waitFor();
  assert.equal((await api("GET", `/api/v1/customers/${customerId}`)).body.account_owner_id, colleague.id);
  await shot(agent, "05c-account-owner");

  await agent.goto(`${base}/tickets/${ticketId}`);
  const panel = agent.getByTestId("customer-panel");
  // The owner shows as "#id" until the agents' names have loaded.
  await panel.getByTestId("customer-owner").filter({ hasText: colleague.name || colleague.email }).waitFor();
  assert.equal((await panel.getByTestId("customer-owner").textContent()).trim(), colleague.name || colleague.email);

  // And off again.
  await agent.goto(`${base}/customers/${customerId}`);
  await agent.waitForFunction(() => document.querySelector("[data-testid=owner-select]")?.disabled === false);
  await profile.getByTestId("owner-select").selectOption("");
  await profile.getByTestId("owner-saved").waitFor();
  assert.equal((await api("GET", `/api/v1/customers/${customerId}`)).body.account_owner_id, null);
});

test("an urgent ticket's SLA warning shows in amber in its timeline, a missed target in red", async () => {
  const r = await api("POST", "/api/v1/tickets", {
    subject: "Payments fail for every customer",
    body: "All card payments are declined since 10:02.",
    priority: "urgent",
    requester: { id: customerId },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.id;
  // The SLA timer looks every second; the warning comes after 1% of the minute.
  let events = [];
  for (let i = 0; i < 50 && !events.some((e) => e.type === "sla.warning"); i++) {
    await new Promise((res) => setTimeout(res, 200));
    events = (await api("GET", `/api/v1/tickets/${id}/events`)).body.events;
  }
  const warning = events.find((e) => e.type === "sla.warning");
  assert.ok(warning, `no sla.warning among ${events.map((e) => e.type).join(", ")}`);
  assert.equal(warning.data.metric, "first_reply");

  await agent.goto(`${base}/tickets/${id}`);
  const amber = agent.locator("[data-testid=tl-sla][data-tone=warning]");
  await amber.waitFor();
  assert.equal((await amber.locator(".tl-event-text").textContent()).trim(), "First reply is due in 1 min");
  assert.match(await amber.getAttribute("title"), /^Due /);

  // A missed target comes only after the whole minute: this page is shown the same events
  // plus the breach the timer would record then.
  await agent.route(`**/api/v1/tickets/${id}/events`, async (route) => {
    const real = await route.fetch();
    const json = await real.json();
    json.events.push({
      id: 1_000_000, type: "sla.breached", ticket_id: id, actor_type: "system", actor_id: 0,
      data: { metric: "first_reply", due_at: warning.data.due_at }, created_at: new Date().toISOString(),
    });
    await route.fulfill({ response: real, json });
  });
  await agent.reload();
  const red = agent.locator("[data-testid=tl-sla][data-tone=breached]");
  await red.waitFor();
  assert.equal((await red.locator(".tl-event-text").textContent()).trim(), "First reply target missed");
  const colours = await agent.evaluate(() =>
    [...document.querySelectorAll("[data-testid=tl-sla]")].map((el) => getComputedStyle(el).backgroundColor),
  );
  assert.equal(colours.length, 2);
  assert.notEqual(colours[0], colours[1], "warning and breach look different");
  await red.scrollIntoViewIfNeeded();
  await shot(agent, "06-timeline-sla");
  await agent.getByTestId("language-switcher").selectOption("ja");
  await amber.filter({ hasText: "初回返信の期限まであと1分" }).waitFor();
  await red.filter({ hasText: "初回返信の目標時間を過ぎました" }).waitFor();
  await shot(agent, "07-timeline-sla-ja");
  await agent.getByTestId("language-switcher").selectOption("en");
  await agent.unroute(`**/api/v1/tickets/${id}/events`);

  assert.deepEqual(cspViolations, [], "the pages run under the server's Content-Security-Policy");
  assert.deepEqual(pageErrors, []);
});
