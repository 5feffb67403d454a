// Shared by the browser tests: a free loopback port and waiting for a server to be ready.
import net from "node:net";

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

export async function waitReady(url, ms = 15000) {
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
