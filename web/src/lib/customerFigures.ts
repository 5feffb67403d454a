// Lifetime figures of one customer, computed from their tickets (the Customers page).
import type { Customer, Ticket, TicketStatus } from "../api";

export interface CustomerFigures {
  /** Tickets (conversations) counted; a lower bound when the server returned only the latest. */
  conversations: number;
  /** Not yet solved: new, open, pending or on hold. */
  openNow: number;
  /** Solved or closed. */
  solved: number;
  /** When the first ticket was created; null without tickets. */
  firstContact: string | null;
  /** The latest activity on any ticket; null without tickets. */
  lastContact: string | null;
  /** Every channel used, the most used first (ties by name). */
  channels: string[];
}

const DONE: TicketStatus[] = ["solved", "closed"];

export function isOpenStatus(s: TicketStatus): boolean {
  return !DONE.includes(s);
}

export function customerFigures(tickets: readonly Ticket[]): CustomerFigures {
  let openNow = 0;
  let solved = 0;
  let first: { iso: string; t: number } | null = null;
  let last: { iso: string; t: number } | null = null;
  const channels = new Map<string, number>();
  for (const tk of tickets) {
    if (isOpenStatus(tk.status)) openNow++;
    else solved++;
    const created = Date.parse(tk.created_at);
    if (!Number.isNaN(created) && (!first || created < first.t)) first = { iso: tk.created_at, t: created };
    for (const iso of [tk.created_at, tk.updated_at]) {
      const at = Date.parse(iso);
      if (!Number.isNaN(at) && (!last || at > last.t)) last = { iso, t: at };
    }
    if (tk.channel) channels.set(tk.channel, (channels.get(tk.channel) ?? 0) + 1);
  }
  return {
    conversations: tickets.length,
    openNow,
    solved,
    firstContact: first?.iso ?? null,
    lastContact: last?.iso ?? null,
    channels: [...channels].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c),
  };
}

/** The identity shown for a customer in lists: their first email, else their first phone. */
export function mainContact(c: Pick<Customer, "identities">): { email: string | null; phone: string | null } {
  const email = c.identities.find((i) => i.kind === "email")?.value ?? null;
  const phone = c.identities.find((i) => i.kind === "phone" || i.kind === "sms")?.value ?? null;
  return { email, phone };
}
