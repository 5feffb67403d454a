// Which tickets a view shows and in which order: used to place tickets that arrive
// over the live stream without reloading the list.
import type { Ticket } from "../api";

export const UNSOLVED = new Set(["new", "open", "pending", "on_hold"]);
export const SORTS = [
  "-updated_at", "updated_at", "-created_at", "created_at", "-number", "number", "-solved_at", "solved_at", "due_at",
] as const;
export type Sort = (typeof SORTS)[number];

/** The sorts offered in a view (solved-time sorts only where tickets are solved, due time where they are not). */
export function sortsFor(view: string): Sort[] {
  return SORTS.filter((s) => (view === "solved" ? s !== "due_at" : !s.endsWith("solved_at")));
}

/** The default order of a view: "Recently solved" by solve time, the rest by last update. */
export function defaultSort(view: string): Sort {
  return view === "solved" ? "-solved_at" : "-updated_at";
}

/** The tag of a by-tag view (`tag-{tag}`, URL-encoded in the path), or null. */
export function tagOfView(view: string): string | null {
  const m = /^tag-(.+)$/.exec(view);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

/** The view (path segment) showing the unsolved tickets with a tag. */
export function tagView(tag: string): string {
  return `tag-${encodeURIComponent(tag.trim().toLowerCase())}`;
}

export function viewQuery(view: string): Record<string, string> | null {
  switch (view) {
    case "mine":
      return { status: "unsolved", assignee_id: "me" };
    case "unassigned":
      return { status: "unsolved", assignee_id: "none" };
    case "unsolved":
      return { status: "unsolved" };
    case "solved":
      return { status: "solved" };
  }
  const m = /^team-(\d+)$/.exec(view);
  if (m) return { status: "unsolved", team_id: m[1] };
  const tag = tagOfView(view);
  if (tag) return { status: "unsolved", tag };
  return null;
}

export function matchesView(view: string, t: Ticket, me: number): boolean {
  switch (view) {
    case "mine":
      return UNSOLVED.has(t.status) && t.assignee_id === me;
    case "unassigned":
      return UNSOLVED.has(t.status) && t.assignee_id === null;
    case "unsolved":
      return UNSOLVED.has(t.status);
    case "solved":
      return t.status === "solved";
  }
  const m = /^team-(\d+)$/.exec(view);
  if (m) return UNSOLVED.has(t.status) && t.team_id === Number(m[1]);
  const tag = tagOfView(view);
  if (tag) return UNSOLVED.has(t.status) && t.tags.includes(tag);
  return false;
}

export function compareTickets(sort: Sort, a: Ticket, b: Ticket): number {
  const desc = sort.startsWith("-");
  const key = (desc ? sort.slice(1) : sort) as "updated_at" | "created_at" | "number" | "solved_at" | "due_at";
  let c: number;
  if (key === "due_at") {
    // The SLA's next due time; nothing due sorts last, as on the server.
    const av = a.sla?.next_due_at ?? null;
    const bv = b.sla?.next_due_at ?? null;
    c = av === bv ? 0 : av === null ? 1 : bv === null ? -1 : av < bv ? -1 : 1;
  } else {
    const av = a[key];
    const bv = b[key];
    // Unsolved tickets (no solved_at) sort as the oldest.
    c = av === bv ? 0 : av === null ? -1 : bv === null ? 1 : av < bv ? -1 : 1;
  }
  if (c === 0) c = a.id - b.id;
  return desc ? -c : c;
}

/**
 * The list after `t` changed: removed when it left the view, otherwise placed by the sort.
 * A ticket that sorts after the last loaded row is left for paging to bring in.
 */
export function upsertTicket(rows: Ticket[], t: Ticket, view: string, sort: Sort, me: number, hasMore: boolean): Ticket[] {
  const without = rows.filter((r) => r.id !== t.id);
  if (!matchesView(view, t, me)) return without.length === rows.length ? rows : without;
  let lo = 0;
  let hi = without.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareTickets(sort, without[mid], t) < 0) lo = mid + 1;
    else hi = mid;
  }
  if (lo === without.length && hasMore) return without;
  return [...without.slice(0, lo), t, ...without.slice(lo)];
}
