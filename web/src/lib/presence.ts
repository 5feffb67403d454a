// Who else is on a ticket: presence over the agent stream. The client sends
// {"type":"presence","ticket_id":N,"state":"viewing"|"replying"|"left"}; every stream of
// the workspace (the sender's too) receives {"type":"presence","ticket_id":N,
// "actor_type":"agent"|"token","actor_id":AGENT_ID,"data":{"state":…}}. Nothing is stored
// on the server, so each tab repeats its state every HEARTBEAT_MS and an entry that has not
// been refreshed for EXPIRE_MS is dropped.
import { useEffect, useState, useSyncExternalStore } from "react";
import { stream, type StreamEvent } from "./stream";

export type PresenceState = "viewing" | "replying";
export interface PresenceEntry {
  agentId: number;
  state: PresenceState;
  at: number;
}

export const EXPIRE_MS = 60_000;
export const HEARTBEAT_MS = 20_000;
export const MIN_INTERVAL_MS = 400; // well under the server's 10 messages per second

/** ticket id → agent id → entry. Pure functions so they can be tested without a socket. */
export type PresenceMap = Map<number, Map<number, PresenceEntry>>;

export function applyPresence(map: PresenceMap, e: unknown, now: number): boolean {
  const ev = e as { type?: string; ticket_id?: unknown; actor_id?: unknown; data?: { state?: unknown } };
  if (!ev || ev.type !== "presence" || typeof ev.ticket_id !== "number" || typeof ev.actor_id !== "number") return false;
  const state = ev.data?.state;
  let forTicket = map.get(ev.ticket_id);
  if (state === "left") {
    if (!forTicket?.delete(ev.actor_id)) return false;
    if (forTicket.size === 0) map.delete(ev.ticket_id);
    return true;
  }
  if (state !== "viewing" && state !== "replying") return false;
  if (!forTicket) map.set(ev.ticket_id, (forTicket = new Map()));
  forTicket.set(ev.actor_id, { agentId: ev.actor_id, state, at: now });
  return true;
}

/** The colleagues on a ticket (never `me`), fresh ones only, replying first, then by arrival. */
export function activePresence(map: PresenceMap, ticketId: number, me: number, now: number): PresenceEntry[] {
  const forTicket = map.get(ticketId);
  if (!forTicket) return [];
  const out: PresenceEntry[] = [];
  for (const entry of forTicket.values()) {
    if (entry.agentId === me || now - entry.at > EXPIRE_MS) continue;
    out.push(entry);
  }
  return out.sort((a, b) => (a.state === b.state ? a.agentId - b.agentId : a.state === "replying" ? -1 : 1));
}

export function prunePresence(map: PresenceMap, now: number): boolean {
  let changed = false;
  for (const [tid, forTicket] of map) {
    for (const [aid, e] of forTicket) {
      if (now - e.at > EXPIRE_MS) {
        forTicket.delete(aid);
        changed = true;
      }
    }
    if (forTicket.size === 0) map.delete(tid);
  }
  return changed;
}

// ---- the app-wide store, fed by the stream from the moment the app loads ----

const presence: PresenceMap = new Map();
const subs = new Set<() => void>();
/** Told when someone new appears on a ticket, so those already there can say so at once. */
const arrivals = new Set<(ticketId: number, agentId: number) => void>();
let version = 0;
function bump() {
  version++;
  for (const s of subs) s();
}

let listening = false;
function listen() {
  if (listening) return;
  listening = true;
  stream.subscribe((e: StreamEvent) => {
    if (e.type === "stream.reconnected" || e.type === "stream.reset") {
      presence.clear(); // others repeat their state within HEARTBEAT_MS
      bump();
      return;
    }
    if (e.type !== "presence") return;
    const p = e as unknown as { ticket_id: number; actor_id: number };
    const isNew = !presence.get(p.ticket_id)?.has(p.actor_id);
    if (!applyPresence(presence, e, Date.now())) return;
    bump();
    if (isNew && presence.get(p.ticket_id)?.has(p.actor_id)) for (const a of arrivals) a(p.ticket_id, p.actor_id);
  });
  stream.onStatus((s) => {
    if (s === "closed") {
      presence.clear();
      bump();
    }
  });
}

/** The colleagues on this ticket, re-evaluated every few seconds so stale entries go. */
export function useTicketPresence(ticketId: number, me: number): PresenceEntry[] {
  listen();
  useSyncExternalStore(
    (cb) => {
      subs.add(cb);
      return () => subs.delete(cb);
    },
    () => version,
  );
  const [, setTick] = useState(0);
  useEffect(() => {
    const h = setInterval(() => {
      if (prunePresence(presence, Date.now())) bump();
      setTick((n) => n + 1);
    }, 5000);
    return () => clearInterval(h);
  }, []);
  return activePresence(presence, ticketId, me, Date.now());
}

// ---- reporting my own state ----

export type Sender = (message: { type: "presence"; ticket_id: number; state: PresenceState | "left" }) => boolean;

/**
 * Sends my state on one ticket: changes at most every MIN_INTERVAL_MS (the last one wins),
 * the same state again every HEARTBEAT_MS, and "left" when stopped.
 */
export class PresenceReporter {
  private state: PresenceState = "viewing";
  private lastSent: PresenceState | null = null;
  private lastAt = -Infinity;
  private pending: ReturnType<typeof setTimeout> | null = null;
  private beat: ReturnType<typeof setInterval> | null = null;
  private stopped = false;

  constructor(
    private ticketId: number,
    private send: Sender,
    private now: () => number = Date.now,
  ) {}

  start(): void {
    this.flush(true);
    this.beat = setInterval(() => this.flush(true), HEARTBEAT_MS);
  }

  set(state: PresenceState): void {
    if (this.stopped) return;
    this.state = state;
    if (state === this.lastSent && !this.pending) return;
    const wait = this.lastAt + MIN_INTERVAL_MS - this.now();
    if (wait <= 0) this.flush(false);
    else if (!this.pending) this.pending = setTimeout(() => this.flush(false), wait);
  }

  /** After the stream (re)connects: the server forgot nothing, but others may have missed it. */
  resend(): void {
    if (!this.stopped) this.flush(true);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.pending) clearTimeout(this.pending);
    if (this.beat) clearInterval(this.beat);
    this.send({ type: "presence", ticket_id: this.ticketId, state: "left" });
  }

  private flush(force: boolean): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = null;
    if (this.stopped || (!force && this.state === this.lastSent)) return;
    if (this.send({ type: "presence", ticket_id: this.ticketId, state: this.state })) {
      this.lastSent = this.state;
      this.lastAt = this.now();
    }
  }
}

/** Reports "viewing"/"replying" for a ticket while mounted, "left" on leaving or closing the tab. */
export function usePresenceReporter(ticketId: number, me: number, replying: boolean): void {
  const [reporter, setReporter] = useState<PresenceReporter | null>(null);
  useEffect(() => {
    listen();
    const r = new PresenceReporter(ticketId, (m) => stream.send(m));
    r.start();
    setReporter(r);
    const offStatus = stream.onStatus((s) => s === "live" && r.resend());
    // A colleague just opened this ticket: tell them we are here without waiting for the heartbeat.
    let welcome: ReturnType<typeof setTimeout> | null = null;
    const onArrival = (tid: number, aid: number) => {
      if (tid !== ticketId || aid === me || welcome) return;
      welcome = setTimeout(() => {
        welcome = null;
        r.resend();
      }, 150);
    };
    arrivals.add(onArrival);
    const onHide = () => r.stop();
    window.addEventListener("pagehide", onHide);
    return () => {
      offStatus();
      arrivals.delete(onArrival);
      if (welcome) clearTimeout(welcome);
      window.removeEventListener("pagehide", onHide);
      r.stop();
    };
  }, [ticketId, me]);
  useEffect(() => {
    reporter?.set(replying ? "replying" : "viewing");
  }, [reporter, replying]);
}
