// End-to-end test of routing (C4) and ownership (C5): the presence switch in the header, a
// team's routing settings in Admin → Teams, an agent's skills and capacity in Admin → Agents,
// and a waiting ticket routed to the online admin, its ownership shown on the ticket.
// A real `kizuna serve --demo` on a free loopback port with a temp data dir, driven in
// Debian's Chromium through playwright-core.
// Run: node --test tests/e2e/routing.test.mjs
//
// Env: KIZUNA_BINARY (default build/src/server/kizuna), KIZUNA_WEB_DIST (default web/dist),
//      CHROMIUM (default /usr/bin/chromium), KIZUNA_SCREENSHOTS (default build/e2e-screenshots).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SHOTS, endAgentSession, pageApi, signInAgent, startAgentSession } from "./support.mjs";

let server;
let dataDir;
let profileDir;
let base;
let context;
let page;
const dialogs = [];
const cspViolations = [];
let tier1;
let tier2;

async function shot(name) {
  await page.screenshot({ path: path.join(SHOTS, `routing-${name}.png`), fullPage: false });
}

const api = (method, p, body) => pageApi(page, method, p, body);

before(async () => {
  ({ server, base, dataDir, profileDir, context, page } = await startAgentSession("kizuna-e2e-routing-", dialogs, cspViolations));
});

after(() => endAgentSession({ server, dataDir, profileDir, context }));

test("the presence switch in the header sets the agent's status", async () => {
  await signInAgent(page, base, "admin@demo.kizuna.test", "kizuna-demo-admin");
  const sw = page.getByTestId("presence-switch");
  await sw.waitFor();
  assert.equal(await sw.inputValue(), "offline");
  await sw.selectOption("online");
  await page.waitForFunction(() => !document.querySelector("[data-testid=presence-switch]").disabled);
  const session = (await api("GET", "/api/v1/auth/session")).body;
  assert.equal(session.agent.presence, "online");
  assert.equal(await sw.inputValue(), "online");
  await shot("01-presence-online");
  // In Japanese the choices are translated; the status stays.
  await page.getByTestId("language-switcher").selectOption("ja");
  await page.locator("[data-testid=presence-switch] option[value=online]").filter({ hasText: "対応可能" }).waitFor({ state: "attached" });
  await shot("02-presence-ja");
  await page.getByTestId("language-switcher").selectOption("en");
  // The language is saved on the profile in the background: reload once it is.
  await page.waitForFunction(async () => (await (await fetch("/api/v1/auth/session")).json()).agent.locale === "en", null, { polling: 250 });
  // It survives a reload (it is the server's).
  await page.reload();
  await page.getByTestId("presence-switch").waitFor();
  assert.equal(await page.getByTestId("presence-switch").inputValue(), "online");
});

test("Admin → Teams: a team's routing settings, members and overflow", async () => {
  tier1 = (await api("POST", "/api/v1/teams", { name: "Tier 1" })).body;
  tier2 = (await api("POST", "/api/v1/teams", { name: "Tier 2" })).body;
  await page.goto(`${base}/admin/teams`);
  const item = page.getByTestId("team-item").filter({ hasText: "Tier 1" });
  await item.waitFor();
  assert.equal((await item.getByTestId("team-routing-summary").textContent()).trim(), "Routing off");
  await item.getByTestId("team-routing-open").click();
  const form = item.getByTestId("team-routing");
  await form.waitFor();
  await form.getByTestId("routing-enabled").check();
  await form.getByTestId("routing-strategy").selectOption("round_robin");
  await form.getByTestId("routing-overflow-team").selectOption(String(tier2.id));
  await form.getByTestId("routing-overflow-after").fill("15");
  const agents = (await api("GET", "/api/v1/agents")).body.agents;
  for (const a of agents) await form.getByTestId(`routing-member-${a.id}`).check();
  // A skill that cannot be read is refused before anything is sent.
  await form.getByLabel("Required skills").fill("product billing extra");
  await form.getByTestId("routing-save").click();
  await form.getByRole("alert").filter({ hasText: "These skills cannot be read: product billing extra" }).waitFor();
  await form.scrollIntoViewIfNeeded();
  await shot("03-team-routing-form");
  await form.getByLabel("Required skills").fill("product:billing 2");
  await form.getByTestId("routing-save").click();
  await page.getByRole("status").filter({ hasText: "Routing of Tier 1 saved." }).waitFor();
  await item.getByTestId("team-routing-summary").filter({ hasText: "Routing on · Round robin · then to Tier 2 after 15 min" }).waitFor();
  await shot("04-team-routing-saved");
  const team = (await api("GET", `/api/v1/teams/${tier1.id}`)).body;
  assert.equal(team.routing_enabled, true);
  assert.equal(team.strategy, "round_robin");
  assert.equal(team.overflow_team_id, tier2.id);
  assert.equal(team.overflow_after_minutes, 15);
  assert.deepEqual(team.required_skills, { "product:billing": 2 });
  assert.deepEqual(team.member_ids, agents.map((a) => a.id).sort((x, y) => x - y));
});

test("Admin → Agents: skills and capacity; then a waiting ticket is routed to the admin", async () => {
  const me = (await api("GET", "/api/v1/auth/session")).body.agent;
  // Nobody has the skill yet: the ticket waits.
  const ticket = (
    await api("POST", "/api/v1/tickets", {
      subject: "Invoice question",
      body: "Why was I charged twice?",
      team_id: tier1.id,
      requester: { email: "yuki@example.jp", language: "ja" },
    })
  ).body;
  assert.ok(ticket.queued_at, JSON.stringify(ticket));
  await page.goto(`${base}/admin/agents`);
  await page.locator(`tr[data-agent-id="${me.id}"]`).getByTestId("edit-agent").click();
  const form = page.getByTestId("agent-routing");
  await form.waitFor();
  await form.getByTestId("capacity-chat").fill("2");
  await form.getByTestId("agent-skills").fill("product:billing 3, lang:ja 5");
  await form.scrollIntoViewIfNeeded();
  await shot("05-agent-routing");
  await form.getByTestId("save-agent-routing").click();
  await form.getByRole("status").waitFor();
  const agent = (await api("GET", `/api/v1/agents/${me.id}`)).body;
  assert.deepEqual(agent.skills, { "lang:ja": 5, "product:billing": 3 });
  assert.equal(agent.capacity.chat, 2);

  // The routing worker runs every second: the online admin now qualifies.
  let routed;
  for (let attempt = 0; attempt < 50; attempt++) {
    routed = (await api("GET", `/api/v1/tickets/${ticket.id}`)).body;
    if (routed.assignee_id !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(routed.assignee_id, me.id);
  assert.deepEqual(routed.agent_path, [me.id]);
  assert.equal(routed.handoffs, 0);

  // Handed on to the demo agent: one handoff, shown on the ticket.
  const other = (await api("GET", "/api/v1/agents")).body.agents.find((a) => a.id !== me.id);
  await api("PATCH", `/api/v1/tickets/${ticket.id}`, { assignee_id: other.id });
  await page.goto(`${base}/tickets/${ticket.id}`);
  const card = page.getByTestId("ownership");
  await card.waitFor();
  // Names come from the directory, read beside the ticket.
  await card.locator(".agent-path li").last().filter({ hasText: other.name }).waitFor();
  assert.equal((await card.getByTestId("handoffs").textContent()).trim(), "1");
  const names = await card.locator(".agent-path li").allTextContents();
  assert.deepEqual(names, [me.name, other.name]);
  assert.equal((await card.getByTestId("fcr").textContent()).trim(), "Not solved yet");
  await card.scrollIntoViewIfNeeded();
  await shot("06-ticket-ownership");
  assert.deepEqual(dialogs, []);
  assert.deepEqual(cspViolations, []);
});

test("Admin → Workspace: tickets without a team go to a team's queue and are routed there", async () => {
  const me = (await api("GET", "/api/v1/auth/session")).body.agent;
  await page.goto(`${base}/admin/workspace`);
  const select = page.getByLabel("Tickets without a team go to");
  await select.waitFor();
  assert.equal(await select.inputValue(), "");
  await select.selectOption(String(tier1.id));
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("status").filter({ hasText: "Settings saved." }).waitFor();
  await shot("07-workspace-default-team");
  assert.equal((await api("GET", "/api/v1/workspace")).body.default_team_id, tier1.id);

  // An email-like ticket that names no team: the routing pass puts it in Tier 1, which routes it.
  const ticket = (
    await api("POST", "/api/v1/tickets", {
      subject: "Billing address change",
      body: "Please update the address on my invoices.",
      requester: { email: "haruto@example.jp", language: "ja" },
    })
  ).body;
  assert.equal(ticket.team_id, null);
  let routed;
  for (let attempt = 0; attempt < 50; attempt++) {
    routed = (await api("GET", `/api/v1/tickets/${ticket.id}`)).body;
    if (routed.assignee_id !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(routed.team_id, tier1.id);
  assert.equal(routed.assignee_id, me.id);

  // Back to none: the choice survives a reload.
  await page.reload();
  await select.waitFor();
  assert.equal(await select.inputValue(), String(tier1.id));
  await select.selectOption("");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("status").filter({ hasText: "Settings saved." }).waitFor();
  assert.equal((await api("GET", "/api/v1/workspace")).body.default_team_id, null);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(cspViolations, []);
});
