// The live event stream (WebSocket /api/v1/stream), reconnecting with capped exponential
// backoff and jitter. Events are not replayed by the server, so after a reconnect the
// subscribers get a synthetic "stream.resync" and reload what they show.

import type { KEvent } from "../api";

export type StreamStatus = "connecting" | "live" | "reconnecting" | "closed";
export type StreamEvent = KEvent | { type: "stream.ready" } | { type: "stream.resync" };

type Handler = (e: StreamEvent) => void;
type StatusHandler = (s: StreamStatus) => void;

export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
  return Math.round(base / 2 + (random() * base) / 2);
}

class Stream {
  private ws: WebSocket | null = null;
  private handlers = new Set<Handler>();
  private statusHandlers = new Set<StatusHandler>();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private wanted = false;
  private everReady = false;
  status: StreamStatus = "closed";

  start() {
    if (this.wanted) return;
    this.wanted = true;
    this.everReady = false;
    this.open();
    window.addEventListener("online", this.onOnline);
  }

  stop() {
    this.wanted = false;
    window.removeEventListener("online", this.onOnline);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000);
    this.setStatus("closed");
  }

  /** Sends a client message (presence); false when the socket is not open. */
  send(message: unknown): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || this.status !== "live") return false;
    try {
      ws.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  subscribe(h: Handler): () => void {
    this.handlers.add(h);
    return () => {
      this.handlers.delete(h);
    };
  }

  onStatus(h: StatusHandler): () => void {
    this.statusHandlers.add(h);
    return () => {
      this.statusHandlers.delete(h);
    };
  }

  private onOnline = () => {
    if (this.wanted && this.status !== "live") {
      if (this.timer) clearTimeout(this.timer);
      this.attempt = 0;
      this.open();
    }
  };

  private setStatus(s: StreamStatus) {
    if (this.status === s) return;
    this.status = s;
    for (const h of this.statusHandlers) h(s);
  }

  private emit(e: StreamEvent) {
    for (const h of this.handlers) {
      try {
        h(e);
      } catch (err) {
        console.error("stream handler failed", err);
      }
    }
  }

  private open() {
    if (!this.wanted) return;
    this.setStatus(this.everReady ? "reconnecting" : "connecting");
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    let ws: WebSocket;
    try {
      ws = new WebSocket(`${proto}//${location.host}/api/v1/stream`);
    } catch {
      this.schedule();
      return;
    }
    this.ws = ws;
    ws.onmessage = (m) => {
      let e: StreamEvent;
      try {
        e = JSON.parse(String(m.data)) as StreamEvent;
      } catch {
        return;
      }
      if (e.type === "stream.ready") {
        const wasReady = this.everReady;
        this.everReady = true;
        this.attempt = 0;
        this.setStatus("live");
        if (wasReady) this.emit({ type: "stream.resync" });
        return;
      }
      this.emit(e);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.schedule();
    };
    ws.onerror = () => {
      /* onclose follows */
    };
  }

  private schedule() {
    if (!this.wanted) return;
    this.setStatus("reconnecting");
    const delay = backoffDelay(this.attempt++);
    this.timer = setTimeout(() => this.open(), delay);
  }
}

export const stream = new Stream();
