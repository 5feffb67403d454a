// Shared by the browser tests: where things are, a free loopback port, servers and browsers.
import net from "node:net";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const { chromium } = createRequire(path.join(root, "web/package.json"))("playwright-core");
export const BINARY = path.resolve(root, process.env.KIZUNA_BINARY ?? "build/src/server/kizuna");
export const WEB = path.resolve(root, process.env.KIZUNA_WEB_DIST ?? "web/dist");
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const SHOTS = path.resolve(root, process.env.KIZUNA_SCREENSHOTS ?? "build/e2e-screenshots");
// How long a page waits for an element, a navigation or an answer before a test fails. A wait
// ends as soon as what it waits for happens, so only a failing test takes this long; it is
// generous because `make test` runs the browser beside the other tests on two shared cores.
export const WAIT_MS = 30000;

/** An API call from inside `page`, with its session and CSRF token. */
export function pageApi(page, method, p, body) {
  return page.evaluate(
    async ({ method, p, body }) => {
      const s = await (await fetch("/api/v1/auth/session")).json();
      const r = await fetch(p, {
        method,
        headers: { "Content-Type": "application/json", "X-CSRF-Token": s.csrf_token },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: await r.json().catch(() => null) };
    },
    { method, p, body },
  );
}

/** A handler for page.route() that lets each request through `ms` late, as a slow network would. */
export function answerLate(ms = 500) {
  return async (route) => {
    await new Promise((r) => setTimeout(r, ms));
    await route.continue();
  };
}

/**
 * A page.route() handler that sends the first `method` request at once and holds its answer
 * until the test calls `release()` on it (later requests pass untouched).
 */
export function holdAnswer(method = "POST") {
  let release;
  const released = new Promise((resolve) => (release = resolve));
  let held = 0;
  const handler = async (route) => {
    if (route.request().method() !== method || held++ > 0) return route.continue();
    const response = await route.fetch();
    await released;
    await route.fulfill({ response });
  };
  handler.release = release;
  return handler;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function waitReady(url, ms = WAIT_MS) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} not ready`);
}

// Stops a server started by a test: SIGTERM, then SIGKILL after 5 s.
export async function stopServer(server) {
  if (!server || server.exitCode !== null) return;
  server.kill("SIGTERM");
  await new Promise((r) => {
    const t = setTimeout(() => {
      server.kill("SIGKILL");
      r();
    }, 5000);
    server.once("exit", () => {
      clearTimeout(t);
      r();
    });
  });
}

// The SMTP receiver of the integration tests (tests/integration/smtp_receiver.py): mail
// Kizuna sends lands as .eml files in `dir`. Resolves to { process, port, dir }.
export async function startSmtpReceiver(dir) {
  const { spawn } = await import("node:child_process");
  const script = new URL("../integration/smtp_receiver.py", import.meta.url).pathname;
  const child = spawn("/usr/bin/python3", [script, "--dir", dir, "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("the SMTP receiver did not start")), 10000);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/PORT (\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once("exit", (code) => reject(new Error(`the SMTP receiver exited with ${code}`)));
  });
  return { process: child, port, dir };
}

// The text of a received message with its transfer encodings undone: quoted-printable
// (soft breaks and =XX) and base64 blocks, so a test can search it for a link.
export function decodedMail(raw) {
  const qp = raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  let text = Buffer.from(qp, "latin1").toString("utf8");
  // A base64 body: the lines of base64 alphabet right after a part's blank line.
  for (const block of raw.split(/\r?\n\r?\n/)) {
    const lines = [];
    for (const line of block.split(/\r?\n/)) {
      if (!/^[A-Za-z0-9+/=]+$/.test(line)) break;
      lines.push(line);
    }
    const compact = lines.join("");
    if (compact.length >= 16) text += "\n" + Buffer.from(compact, "base64").toString("utf8");
  }
  return text;
}

// Waits until a message to `to` arrives whose decoded text matches `pattern`; returns the match.
export async function waitForMail(dir, to, pattern, ms = WAIT_MS) {
  const { readdirSync, readFileSync } = await import("node:fs");
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const names = readdirSync(dir).filter((n) => n.endsWith(".eml")).sort().reverse();
    for (const name of names) {
      const envelope = JSON.parse(readFileSync(`${dir}/${name.replace(/\.eml$/, ".json")}`, "utf8"));
      if (!envelope.rcpt_tos.includes(to)) continue;
      const m = decodedMail(readFileSync(`${dir}/${name}`, "latin1")).match(pattern);
      if (m) return m;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to} matching ${pattern} within ${ms} ms`);
}

// `kizuna serve --demo` on `port` with `dataDir`, once it is ready (stopped if it never is).
async function serveDemo(binary, web, dataDir, port, env) {
  const { spawn } = await import("node:child_process");
  const server = spawn(binary, ["--data", dataDir, "serve", "--demo", "--listen", `127.0.0.1:${port}`, "--web", web], {
    env: { ...process.env, KIZUNA_AUTH_PASSWORD_COST: "minimum", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    await waitReady(`http://127.0.0.1:${port}`);
  } catch (e) {
    await stopServer(server);
    throw e;
  }
  return server;
}

// `kizuna serve --demo` on a free port with a fresh data directory (prefix names it).
// Resolves to { server, base, dataDir }.
export async function startDemoServer(binary, web, prefix, env = {}) {
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await serveDemo(binary, web, dataDir, port, env);
  return { server, base, dataDir };
}

// Fails unless the kizuna binary and the built web app (`page`: index.html for the agent
// app, portal.html for the help centre) are there; makes the screenshot directory.
export async function requireBuilt(page = "index.html") {
  const { existsSync, mkdirSync } = await import("node:fs");
  if (!existsSync(BINARY)) throw new Error(`no kizuna binary at ${BINARY} (set KIZUNA_BINARY)`);
  const what = page === "portal.html" ? "help centre" : "web app";
  if (!existsSync(path.join(WEB, page))) throw new Error(`no built ${what} at ${WEB} (run make web)`);
  mkdirSync(SHOTS, { recursive: true });
}

// Like startDemoServer (BINARY and WEB), with the mail it sends going to a fresh SMTP
// receiver that writes into <dataDir>/mail and its links pointing at itself.
// Resolves to { server, base, dataDir, mailDir, smtp }; stopMailingDemoServer ends it.
export async function startMailingDemoServer(prefix) {
  const { mkdirSync, mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix));
  const mailDir = path.join(dataDir, "mail");
  mkdirSync(mailDir);
  const smtp = await startSmtpReceiver(mailDir);
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = await serveDemo(BINARY, WEB, dataDir, port, {
      KIZUNA_MAIL_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      KIZUNA_SERVER_PUBLIC_URL: base,
    });
    return { server, base, dataDir, mailDir, smtp };
  } catch (e) {
    await stopMailingDemoServer({ smtp, dataDir });
    throw e;
  }
}

export async function stopMailingDemoServer({ server, smtp, dataDir }) {
  const { rmSync } = await import("node:fs");
  await stopServer(server);
  await stopServer(smtp?.process);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

const BROWSER_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

// Headless Chromium (CHROMIUM) for tests that open a context per person.
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: BROWSER_ARGS });
}

// A page in a new context of `browser` (options: viewport, locale, timezoneId…) that dismisses
// native dialogs and records page errors and CSP violations into the arrays given.
export async function newTestPage(browser, options, { pageErrors, cspViolations, timeout = WAIT_MS }) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  page.on("dialog", (d) => d.dismiss());
  return page;
}

// The help centre's sign-in link emailed to a customer; group 1 is the token.
const SIGN_IN_LINK = /\/help\/demo\/sign-in#token=([A-Za-z0-9_-]+)/;

// The sign-in token of the newest link emailed to `email`, as the SMTP receiver got it.
export async function signInTokenFor(mailDir, email) {
  return (await waitForMail(mailDir, email, SIGN_IN_LINK))[1];
}

// On the help centre's sign-in form with the email filled in: asks for the link, opens the
// one that arrives and waits for "My requests".
export async function openEmailedSignInLink(page, base, mailDir, email) {
  await page.getByTestId("send-link").click();
  await page.getByTestId("link-sent").waitFor();
  const token = await signInTokenFor(mailDir, email);
  await page.goto(`${base}/help/demo/sign-in#token=${token}`);
  await page.waitForURL(/\/help\/demo\/requests$/);
}

// Headless Chromium with its own profile and one desktop page that records native
// dialogs (dismissed) and CSP violations into the arrays given.
export async function openAgentBrowser(chromium, executablePath, profileDir, dialogs, cspViolations) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: BROWSER_ARGS,
    viewport: { width: 1360, height: 860 },
    locale: "en-US",
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(WAIT_MS);
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  page.on("pageerror", (e) => console.error("page error:", e.message));
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  return { context, page };
}

// A demo server and an agent browser for one test file: before() starts them,
// after() stops them and removes their directories.
export async function startAgentSession(prefix, dialogs, cspViolations) {
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  await requireBuilt("index.html");
  const { server, base, dataDir } = await startDemoServer(BINARY, WEB, prefix);
  const profileDir = mkdtempSync(path.join(tmpdir(), "kizuna-e2e-chromium-"));
  const { context, page } = await openAgentBrowser(chromium, CHROMIUM, profileDir, dialogs, cspViolations);
  return { server, base, dataDir, profileDir, context, page };
}

export async function endAgentSession({ server, dataDir, profileDir, context }) {
  const { rmSync } = await import("node:fs");
  await context?.close().catch(() => {});
  await stopServer(server);
  for (const d of [dataDir, profileDir]) if (d) rmSync(d, { recursive: true, force: true });
}

// Signs in through the sign-in page and waits for the agent's inbox.
export async function signInAgent(page, base, email, password) {
  await page.goto(`${base}/sign-in`);
  await page.fill("#si-workspace", "demo");
  await page.fill("#si-email", email);
  await page.fill("#si-password", password);
  await page.click("button[type=submit]");
  await page.waitForURL(/\/inbox\/mine$/);
}
