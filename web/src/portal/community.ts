// The community's rules as the help centre applies them: votes, the order of answers, why a
// post waits for moderation, and how long to wait after posting too often.
import { ApiError } from "./api";

export type VoteValue = -1 | 0 | 1;

/** Pressing ▲ (1) or ▼ (-1): the same arrow again takes the vote back. */
export function nextVote(current: VoteValue, pressed: 1 | -1): VoteValue {
  return current === pressed ? 0 : pressed;
}

/** The count shown straight away, before the server confirms (then its figure wins). */
export function optimisticVotes(votes: number, from: VoteValue, to: VoteValue): number {
  return votes - from + to;
}

export interface VoteState {
  votes: number;
  my_vote: VoteValue;
}

/** The state after pressing an arrow, and the value to send. */
export function pressVote(state: VoteState, pressed: 1 | -1): { next: VoteState; send: VoteValue } {
  const to = nextVote(state.my_vote, pressed);
  return { next: { votes: optimisticVotes(state.votes, state.my_vote, to), my_vote: to }, send: to };
}

export function asVote(v: unknown): VoteValue {
  return v === 1 || v === -1 ? v : 0;
}

interface Orderable {
  id: number;
  accepted?: boolean;
  votes: number;
  created_at: string;
}

/** The accepted answer first, then the most voted, then the oldest. */
export function orderAnswers<T extends Orderable>(posts: readonly T[], acceptedPostId?: number | null): T[] {
  const accepted = (p: T) => p.accepted === true || (acceptedPostId != null && p.id === acceptedPostId);
  return [...posts].sort((a, b) => {
    const acc = Number(accepted(b)) - Number(accepted(a));
    if (acc) return acc;
    if (b.votes !== a.votes) return b.votes - a.votes;
    const t = Date.parse(a.created_at) - Date.parse(b.created_at);
    return t || a.id - b.id;
  });
}

/** Whether a post is the signed-in customer's own (no voting on it). */
export function isOwn(author: { kind: string; id: number } | undefined, customerId: number | null | undefined): boolean {
  return !!author && customerId != null && author.kind === "customer" && author.id === customerId;
}

export type PendingReason = "links" | "duplicate" | "words" | "style" | "other";

const REASON_CODES: Record<string, PendingReason> = {
  links_new_user: "links",
  too_many_links: "links",
  duplicate: "duplicate",
  banned_words: "words",
  repeated_characters: "style",
  repeated_words: "style",
  shouting: "style",
};

/** Why the spam check held a post: the server's code (CHANGES.md), else guessed from its words. */
export function pendingReason(reason: unknown): PendingReason {
  const r = typeof reason === "string" ? reason.trim().toLowerCase() : "";
  if (REASON_CODES[r]) return REASON_CODES[r];
  if (/link|url/.test(r)) return "links";
  if (/duplicate|same text|already posted/.test(r)) return "duplicate";
  if (/word|blocked|forbidden/.test(r)) return "words";
  if (/repeat|capital|shout/.test(r)) return "style";
  return "other";
}

/** The reason a held topic or post gives, under any of the names it may have. */
export function reasonOf(x: unknown): unknown {
  if (!x || typeof x !== "object") return undefined;
  const o = x as Record<string, unknown>;
  const moderation = o.moderation as Record<string, unknown> | undefined;
  return o.pending_reason ?? o.moderation_reason ?? o.held_reason ?? o.reason ?? moderation?.reason ?? o.pending_reason_text;
}

/**
 * Seconds to wait from a Retry-After value: delta-seconds or an HTTP date (RFC 9110);
 * null when absent or unreadable. Never less than one second.
 */
export function retryAfterSeconds(value: string | null | undefined, now = Date.now()): number | null {
  if (value == null) return null;
  const v = value.trim();
  if (/^[0-9]{1,9}$/.test(v)) return Math.max(1, Number(v));
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(1, Math.ceil((at - now) / 1000));
}

/** A wait for people: whole minutes from 90 seconds on, seconds below. */
export function waitParts(seconds: number): { unit: "seconds" | "minutes"; count: number } {
  return seconds < 90 ? { unit: "seconds", count: seconds } : { unit: "minutes", count: Math.ceil(seconds / 60) };
}

export type PostFailure =
  | { kind: "banned" }
  | { kind: "rateLimited"; seconds: number | null }
  | { kind: "signedOut" }
  | { kind: "session" }
  | { kind: "invalid"; field: string | undefined }
  | { kind: "other"; error: unknown };

/** What went wrong with a community write, in the terms the page explains. */
export function postFailure(e: unknown): PostFailure {
  if (!(e instanceof ApiError)) return { kind: "other", error: e };
  if (e.status === 429) return { kind: "rateLimited", seconds: retryAfterSeconds(e.problem?.retry_after_header as string | undefined) };
  if (e.status === 401) return { kind: "signedOut" };
  // A stale CSRF token names its header; everything else refused is the community's ban.
  if (e.status === 403) return e.field?.toLowerCase() === "x-csrf-token" ? { kind: "session" } : { kind: "banned" };
  if (e.status === 400) return { kind: "invalid", field: e.field };
  return { kind: "other", error: e };
}
