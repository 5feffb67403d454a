// The live event stream (WebSocket /api/v1/stream), reconnecting with capped exponential
// backoff and jitter. A reconnect resumes with `?since=<id of the last stored event
// received>`: the server replays the missed events once and in order, so views just keep
// applying events. Subscribers reload what they show only on "stream.reset": sent by the
// server when more than 1,000 events were missed, or made up here when there is nothing to
// resume from. Every reconnect also emits "stream.reconnected" (presence is never replayed).

import type { KEvent } from "../api";

export type StreamStatus = "connecting" | "live" | "reconnecting" | "closed";
export type StreamEvent =
  | KEvent
  | { type: "stream.ready" }
  | { type: "stream.reset" }
  | { type: "stream.reconnected" };

/** The id of the last stored event delivered; drops replayed duplicates. */
export class ResumeCursor {
  last = 0;
  /** False for a stored event already delivered (ids only grow); presence (id 0) always passes. */
  accept(e: { id?: unknown }): boolean {
    const id = e.id;
    if (typeof id !== "number" || id <= 0) return true;
    if (id <= this.last) return false;
    this.last = id;
    return true;
  }
  /** The stream's path, resuming after the last event when there is one. */
  path(): string {
    return this.last > 0 ? `/api/v1/stream?since=${this.last}` : "/api/v1/stream";
  }
  reset(): void {
    this.last = 0;
  }
}

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
  private cursor = new ResumeCursor();
  status: StreamStatus = "closed";

  start() {
    if (this.wanted) return;
    this.wanted = true;
    this.everReady = false;
    this.cursor.reset();
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
      ws = new WebSocket(`${proto}//${location.host}${this.cursor.path()}`);
    } catch {
      this.schedule();
      return;
    }
    this.ws = ws;
    const resuming = this.everReady;
    const canResume = this.cursor.last > 0;
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
        if (wasReady) {
          this.emit({ type: "stream.reconnected" });
          // Nothing to resume from: the views reload instead of waiting for a replay.
          if (resuming && !canResume) this.emit({ type: "stream.reset" });
        }
        return;
      }
      if (e.type === "stream.reset") {
        this.emit(e);
        return;
      }
      if (!this.cursor.accept(e as { id?: unknown })) return;
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
