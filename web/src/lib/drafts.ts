// Composer drafts and the send queue, kept in localStorage per ticket so that nothing an
// agent typed is lost to a reload, a crash or a dropped connection.

import { api, ApiError, newIdempotencyKey, type TicketStatus } from "../api";

export type ComposerKind = "public" | "note";
export interface Draft { kind: ComposerKind; body: string }
export interface Queued {
  kind: ComposerKind; body: string; status?: TicketStatus; attachments?: string[]; key: string; queuedAt: number;
}

const draftKey = (ws: number, ticket: number) => `kizuna.draft.${ws}.${ticket}`;
const queueKey = (ws: number, ticket: number) => `kizuna.outbox.${ws}.${ticket}`;

function read<T>(key: string): T | null {
  try {
    const v = localStorage.getItem(key);
    return v ? (JSON.parse(v) as T) : null;
  } catch {
    return null;
  }
}
function write(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage full or disabled: the draft lives in memory only */
  }
}

export const drafts = {
  load: (ws: number, ticket: number) => read<Draft>(draftKey(ws, ticket)),
  save: (ws: number, ticket: number, d: Draft) => write(draftKey(ws, ticket), d.body.trim() ? d : null),
  clear: (ws: number, ticket: number) => write(draftKey(ws, ticket), null),
};

export const outbox = {
  load: (ws: number, ticket: number) => read<Queued[]>(queueKey(ws, ticket)) ?? [],
  store: (ws: number, ticket: number, items: Queued[]) => write(queueKey(ws, ticket), items.length ? items : null),
  enqueue(ws: number, ticket: number, item: Omit<Queued, "key" | "queuedAt"> & { key?: string }): Queued {
    const q: Queued = { ...item, key: item.key ?? newIdempotencyKey(), queuedAt: Date.now() };
    outbox.store(ws, ticket, [...outbox.load(ws, ticket), q]);
    notify();
    return q;
  },
  /** Every ticket of the workspace with queued messages. */
  tickets(ws: number): number[] {
    const out: number[] = [];
    try {
      const prefix = `kizuna.outbox.${ws}.`;
      for (let i = 0; i < localStorage.length; i++) {
        const k = localStorage.key(i);
        if (k && k.startsWith(prefix)) out.push(Number(k.slice(prefix.length)));
      }
    } catch {
      /* ignore */
    }
    return out;
  },
};

type Listener = () => void;
const listeners = new Set<Listener>();
function notify() {
  for (const l of listeners) l();
}
export function onOutboxChange(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

let flushing = false;
/**
 * Sends every queued message of the workspace, oldest first, each with the idempotency
 * key it was queued with (a retry of a send that did reach the server changes nothing).
 * Stops at the first network error; drops a message the server refuses for good
 * (reporting it through `onRejected`).
 */
export async function flushOutbox(ws: number, onRejected?: (ticket: number, q: Queued, err: ApiError) => void) {
  if (flushing) return;
  flushing = true;
  try {
    for (const ticket of outbox.tickets(ws)) {
      let items = outbox.load(ws, ticket);
      while (items.length) {
        const q = items[0];
        try {
          await api.addMessage(ticket, { kind: q.kind, body: q.body, status: q.status, ...(q.attachments?.length ? { attachments: q.attachments } : {}) }, q.key);
        } catch (e) {
          const err = e instanceof ApiError ? e : new ApiError(0, "network", "");
          if (err.isNetwork || err.status >= 500 || err.status === 429) return;
          onRejected?.(ticket, q, err);
        }
        items = items.slice(1);
        outbox.store(ws, ticket, items);
        notify();
      }
    }
  } finally {
    flushing = false;
  }
}
