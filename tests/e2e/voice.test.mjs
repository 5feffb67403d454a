// End-to-end test of voice (capability C18 with C3): a phone system posts a call's events,
// an agent sees the call on the ticket's timeline in words, an admin adds the two call
// standards from their examples, and Reports → Service standards shows answered, slow and
// missed calls by agent. A real `kizuna serve --demo` on a free loopback port, driven in
// Debian's Chromium through playwright-core.
// Run: node --test tests/e2e/voice.test.mjs
//
// Env: KIZUNA_BINARY (default build/src/server/kizuna), KIZUNA_WEB_DIST (default web/dist),
//      CHROMIUM (default /usr/bin/chromium), KIZUNA_SCREENSHOTS (default build/e2e-screenshots).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SHOTS, endAgentSession, pageApi, signInAgent, startAgentSession } from "./support.mjs";

const ANSWER = "Calls answered within 15 s";
const HOLD = "On hold at most 30 s";

let session;
let page;
let base;
let minhId;
let aikoId;
let teamId;
let lifeTicket;
const dialogs = [];
const cspViolations = [];

const shot = (name) => page.screenshot({ path: path.join(SHOTS, `voice-${name}.png`), fullPage: false });
const api = (method, p, body) => pageApi(page, method, p, body);
const text = async (locator) => (await locator.textContent()).trim();
const card = (name) => page.getByTestId("standard-card").filter({ has: page.getByTestId("card-name").getByText(name, { exact: true }) });

// The phone system's clock: calls that happened in the last few minutes.
const T0 = Date.now() - 10 * 60 * 1000;
const at = (seconds) => new Date(T0 + seconds * 1000).toISOString();

/** Posts one call event as the phone system would; returns the answer's body. */
async function event(body, status = 200) {
  const r = await api("POST", "/api/v1/voice/events", body);
  assert.equal(r.status, status, `${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
  return r.body;
}

before(async () => {
  session = await startAgentSession("kizuna-e2e-voice-", dialogs, cspViolations);
  ({ page, base } = session);
});

after(() => endAgentSession(session));

test("a call from the phone system shows on its ticket's timeline in words", async () => {
  await signInAgent(page, base, "admin@demo.kizuna.test", "kizuna-demo-admin");
  const agents = (await api("GET", "/api/v1/agents")).body.agents;
  minhId = agents.find((a) => a.email === "agent@demo.kizuna.test").id;
  aikoId = agents.find((a) => a.email === "admin@demo.kizuna.test").id;
  const team = await api("POST", "/api/v1/teams", { name: "Phone desk" });
  assert.equal(team.status, 201, JSON.stringify(team.body));
  teamId = team.body.id;

  const rang = await event({ call_id: "e2e-1", type: "ringing", at: at(0), from: "+81 90-1234-5678", to: "+81 3-1234-0000", team_id: teamId }, 201);
  lifeTicket = rang.call.ticket_id;
  await event({ call_id: "e2e-1", type: "answered", at: at(12), agent_id: minhId });
  await event({ call_id: "e2e-1", type: "hold", at: at(60) });
  await event({ call_id: "e2e-1", type: "resumed", at: at(105) });
  await event({ call_id: "e2e-1", type: "ended", at: at(264) });
  // The phone system retries the last one: nothing new.
  assert.equal((await event({ call_id: "e2e-1", type: "ended", at: at(264) })).replayed, true);

  await page.goto(`${base}/tickets/${lifeTicket}`);
  await page.getByTestId("ticket-subject").filter({ hasText: "Call from +81 90-1234-5678" }).waitFor();
  const calls = page.getByTestId("tl-call");
  await calls.nth(4).waitFor();
  // Agent and team names come from the directory, read beside the ticket.
  await calls.filter({ hasText: "Answered by Minh Agent" }).waitFor();
  await calls.filter({ hasText: "for Phone desk" }).waitFor();
  assert.deepEqual(await calls.locator(".tl-event-text").allTextContents(), [
    "Incoming call from +81 90-1234-5678 for Phone desk",
    "Answered by Minh Agent after 12 s",
    "Call put on hold",
    "Back from hold after 45 s",
    "Call ended after 4 min 12 s (45 s on hold)",
  ], "the call's five events, each once");
  assert.deepEqual(await calls.evaluateAll((els) => els.map((e) => e.dataset.kind)), ["ringing", "answered", "hold", "resumed", "ended"]);
  const ticket = (await api("GET", `/api/v1/tickets/${lifeTicket}`)).body;
  assert.equal(ticket.assignee_id, minhId, "answering assigned the ticket");
  assert.equal(ticket.channel, "phone");
  await page.getByTestId("timeline").evaluate((el) => el.scrollIntoView({ block: "start" }));
  await shot("01-ticket-timeline");

  // A caller who hangs up while it rings: a missed call, in red.
  const missed = await event({ call_id: "e2e-2", type: "ringing", at: at(300), from: "+81 80-5555-0101" }, 201);
  await event({ call_id: "e2e-2", type: "ended", at: at(306) });
  await page.goto(`${base}/tickets/${missed.call.ticket_id}`);
  const miss = page.getByTestId("tl-call").filter({ hasText: "Missed call" });
  await miss.waitFor();
  assert.match(await text(miss), /^Missed call: the caller hung up after 6 s of ringing/);
  assert.equal(await miss.getAttribute("data-kind"), "missed");

  // In Japanese too.
  await page.getByTestId("language-switcher").selectOption("ja");
  await page.getByTestId("tl-call").filter({ hasText: "不在着信" }).waitFor();
  await shot("02-missed-call-ja");
  await page.getByTestId("language-switcher").selectOption("en");
});

test("an admin adds the call standards from their examples; business hours are not offered for them", async () => {
  await page.goto(`${base}/admin/sla#standards`);
  const form = page.getByTestId("standard-form");
  await form.getByTestId("example-callAnswer").click();
  assert.equal(await page.inputValue("#std-name"), ANSWER);
  assert.equal(await form.locator("#std-metric").inputValue(), "call_answer");
  assert.equal(await form.getByTestId("std-chan-phone").isChecked(), true);
  assert.equal(await text(form.getByTestId("std-preview")), "Met when the wait for an answer takes at most 15 seconds.");
  assert.equal(await text(form.getByTestId("std-call-clock")), "Calls are timed in elapsed seconds, around the clock.");
  assert.equal(await form.getByTestId("std-clock-business").count(), 0, "no business-hours choice for calls");
  await form.scrollIntoViewIfNeeded();
  await shot("03-call-standard-form");
  await page.getByTestId("save-standard").click();
  await page.getByTestId("standards-notice").filter({ hasText: `Standard “${ANSWER}” added.` }).waitFor();

  await form.getByTestId("example-callHold").click();
  await page.getByTestId("save-standard").click();
  await page.getByTestId("standards-notice").filter({ hasText: `Standard “${HOLD}” added.` }).waitFor();
  const item = page.getByTestId("standard").filter({ hasText: ANSWER });
  assert.equal(await text(item.getByTestId("standard-summary")), "Call answered within 15 seconds");
  assert.equal(await text(item.getByTestId("standard-channels")), "Phone");

  // Choosing a call metric by hand moves the clock to elapsed time.
  await form.locator("#std-metric").selectOption("resolution");
  await form.getByTestId("std-clock-business").check();
  await form.locator("#std-metric").selectOption("call_hold");
  assert.equal(await form.getByTestId("std-clock-business").count(), 0);

  const saved = (await api("GET", "/api/v1/service-standards")).body.standards;
  assert.deepEqual(
    saved.map(({ name, metric, channels, target_seconds, clock }) => ({ name, metric, channels, target_seconds, clock })),
    [
      { name: ANSWER, metric: "call_answer", channels: ["phone"], target_seconds: 15, clock: "calendar" },
      { name: HOLD, metric: "call_hold", channels: ["phone"], target_seconds: 30, clock: "calendar" },
    ],
  );
});

test("the report counts answered, slow and missed calls by agent", async () => {
  // Aiko answers slowly (40 s) and holds 20 s; the first call was Minh's (answered in 12 s,
  // held 45 s); e2e-2 was missed.
  await event({ call_id: "e2e-3", type: "ringing", at: at(400), from: "+84 90 123 4567", team_id: teamId }, 201);
  await event({ call_id: "e2e-3", type: "answered", at: at(440), agent_id: aikoId });
  await event({ call_id: "e2e-3", type: "hold", at: at(450) });
  await event({ call_id: "e2e-3", type: "resumed", at: at(470) });
  await event({ call_id: "e2e-3", type: "ended", at: at(500) });

  await page.getByTestId("nav-standards").click();
  await page.waitForURL(/\/reports\/standards\?/);
  const answer = card(ANSWER);
  await answer.getByTestId("card-met").filter({ hasText: "1 of 3 met" }).waitFor();
  assert.match(await answer.getAttribute("class"), /tone-poor/);
  const hold = card(HOLD);
  assert.equal(await text(hold.getByTestId("card-met")), "1 of 2 met");

  await page.getByTestId("group-agent").check();
  await page.waitForURL(/group_by=agent/);
  await answer.getByTestId("group-label").filter({ hasText: "Missed calls" }).waitFor();
  const rows = (c) =>
    c.getByTestId("group-row").evaluateAll((els) =>
      els.map((r) => [r.querySelector("[data-testid=group-label]").textContent, r.querySelector("[data-testid=group-met]").textContent]),
    );
  assert.deepEqual(await rows(answer), [
    ["Aiko Admin", "0 / 1"],
    ["Minh Agent", "1 / 1"],
    ["Missed calls", "0 / 1"],
  ]);
  assert.deepEqual(await rows(hold), [
    ["Aiko Admin", "1 / 1"],
    ["Minh Agent", "0 / 1"],
  ]);
  await answer.scrollIntoViewIfNeeded();
  await shot("04-report-calls-by-agent");
  assert.deepEqual(cspViolations, [], "the pages run under the server's Content-Security-Policy");
  assert.deepEqual(dialogs, [], "no native dialogs");
});
