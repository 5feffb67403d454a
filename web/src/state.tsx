// App-wide state: the session, the workspace directory (agents, teams) and a cache of
// customers for names in lists.
import { createContext, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { api, type Agent, type Customer, type SessionInfo, type Team } from "./api";

export interface SessionCtx {
  session: SessionInfo;
  setSession: (s: SessionInfo | null) => void;
  agents: Agent[];
  teams: Team[];
  /** Reads agents and teams again; resolves once the new lists are shown. */
  reloadDirectory: () => Promise<void>;
}

export const SessionContext = createContext<SessionCtx | null>(null);

export function useSession(): SessionCtx {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error("useSession outside a signed-in page");
  return ctx;
}

export function useDirectory(session: SessionInfo | null) {
  const [agents, setAgents] = useState<Agent[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [tick, setTick] = useState(0);
  // Who waits for a re-read, by the number of their ask: a read answers the asks made before
  // it started, once its lists are in (a page shows its "saved" notice then, not beside the
  // old table). A read that stalls lets its askers go after 5 s: the lists follow when it ends.
  const asks = useRef(0);
  const waiting = useRef<{ ask: number; resolve: () => void }[]>([]);
  const answerUpTo = (ask: number) => {
    for (const w of waiting.current) if (w.ask <= ask) w.resolve();
    waiting.current = waiting.current.filter((w) => w.ask > ask);
  };
  useEffect(() => {
    const upTo = asks.current;
    if (!session) {
      answerUpTo(upTo);
      return;
    }
    let live = true;
    void Promise.all([
      api.agents().then((r) => live && setAgents(r.agents)).catch(() => {}),
      api.teams().then((r) => live && setTeams(r.teams)).catch(() => {}),
    ]).then(() => live && answerUpTo(upTo));
    return () => {
      live = false;
    };
  }, [session?.agent.id, session?.workspace.id, tick]);
  const reloadDirectory = useCallback(
    () =>
      new Promise<void>((resolve) => {
        waiting.current.push({ ask: ++asks.current, resolve });
        setTimeout(resolve, 5000);
        setTick((n) => n + 1);
      }),
    [],
  );
  return { agents, teams, reloadDirectory };
}

// ---- customers cache (names in ticket lists; one GET per customer, see report) ----

type Entry = { state: "loading" } | { state: "ok"; customer: Customer } | { state: "error" };
const customers = new Map<number, Entry>();
const subs = new Set<() => void>();
let version = 0;
const queue: number[] = [];
let active = 0;
const MAX_PARALLEL = 6;

function bump() {
  version++;
  for (const s of subs) s();
}

function pump() {
  while (active < MAX_PARALLEL && queue.length) {
    const id = queue.shift()!;
    active++;
    api
      .customer(id)
      .then((c) => customers.set(id, { state: "ok", customer: c }))
      .catch(() => customers.set(id, { state: "error" }))
      .finally(() => {
        active--;
        bump();
        pump();
      });
  }
}

export function requestCustomers(ids: number[]): void {
  let added = false;
  for (const id of ids) {
    if (!customers.has(id)) {
      customers.set(id, { state: "loading" });
      queue.push(id);
      added = true;
    }
  }
  if (added) pump();
}

export function forgetCustomer(id: number): void {
  customers.delete(id);
  bump();
}

export function putCustomer(c: Customer): void {
  customers.set(c.id, { state: "ok", customer: c });
  bump();
}

export function clearCustomerCache(): void {
  customers.clear();
  queue.length = 0;
  bump();
}

export function useCustomerCache(): (id: number) => Customer | undefined {
  useSyncExternalStore(
    (cb) => {
      subs.add(cb);
      return () => subs.delete(cb);
    },
    () => version,
  );
  return (id) => {
    const e = customers.get(id);
    return e && e.state === "ok" ? e.customer : undefined;
  };
}
