// The Kizuna REST API: typed shapes and one fetch wrapper that turns every failure
// into an ApiError with a stable `code` (translated by the UI, never shown raw).

import type { TicketSla } from "./lib/due";

export type Role = "admin" | "supervisor" | "agent";
export type Locale = "en" | "ja" | "ko" | "vi";
export type TicketStatus = "new" | "open" | "pending" | "on_hold" | "solved" | "closed";
export type Priority = "low" | "normal" | "high" | "urgent";
export type Scope = "tickets:read" | "tickets:write" | "customers:read" | "customers:write" | "admin";
export type ServiceStyle =
  | "aggregator" | "bargain" | "classic" | "old_shoe" | "safe_choice"
  | "solutions" | "specialist" | "trendsetter" | "utility";

export const STATUSES: TicketStatus[] = ["new", "open", "pending", "on_hold", "solved", "closed"];
export const PRIORITIES: Priority[] = ["low", "normal", "high", "urgent"];
export const SCOPES: Scope[] = ["tickets:read", "tickets:write", "customers:read", "customers:write", "admin"];
export const SERVICE_STYLES: ServiceStyle[] = [
  "aggregator", "bargain", "classic", "old_shoe", "safe_choice", "solutions", "specialist", "trendsetter", "utility",
];
export const LOCALES: Locale[] = ["en", "ja", "ko", "vi"];

export interface Workspace {
  id: number; name: string; time_zone: string; locale: Locale; service_style: ServiceStyle; created_at: string;
  /** The team whose queue takes tickets that arrive without a team; null: they wait unassigned. */
  default_team_id?: number | null;
}
export interface Agent {
  id: number; email: string; name: string; role: Role; languages: string[]; active: boolean; created_at: string;
  /** The web app's language the agent chose, kept on the server; "" when not chosen. */
  locale?: Locale | "";
}
export interface Team { id: number; name: string; description: string; created_at: string }
export interface Identity { kind: string; value: string }
export interface Customer {
  id: number; name: string; language: string; organisation_id: number | null; notes: string;
  /** The customer's tier ("gold", "vip"…), lower-case; "" when none. SLA policies can match it. */
  tier?: string;
  /** The agent who keeps the relationship; routing "owner first" gives them this customer's tickets. */
  account_owner_id?: number | null;
  birthday: string | null; identities: Identity[]; merged_into: number | null;
  created_at: string; updated_at: string; version: number;
}
export interface Organisation { id: number; name: string; domain: string; notes: string; created_at: string }
export type { SlaTarget, TicketSla } from "./lib/due";
export interface Ticket {
  id: number; number: number; subject: string; status: TicketStatus; priority: Priority; channel: string;
  requester_id: number; assignee_id: number | null; team_id: number | null; tags: string[];
  fields: Record<string, string>; created_at: string; updated_at: string;
  first_reply_at: string | null; solved_at: string | null; version: number;
  /** The requester's name (so lists need no customer look-ups). */
  requester_name?: string;
  /** The SLA: targets, due times, breach; null when no policy applies (lib/due.ts). */
  sla?: TicketSla | null;
}
export interface Attachment { id: number; name: string; content_type: string; size: number; sha256?: string }
export interface Upload { id: number; token: string; name: string; content_type: string; size: number; sha256: string }
export interface Message {
  id: number; ticket_id: number; kind: "public" | "note"; author_type: "agent" | "customer" | "system";
  author_id: number; body: string; body_html: string; attachments: Attachment[]; created_at: string;
  /** An email's whole original text before quoted history was stripped; "" when the same as body. */
  body_full?: string;
  /** The message's id on its channel (an email's Message-ID); "" or absent when none. */
  external_id?: string;
}
export interface KEvent {
  id: number; type: string; ticket_id: number | null; actor_type: "agent" | "token" | "customer" | "system";
  actor_id: number; data: Record<string, unknown>; created_at: string;
}
export interface ViewCounts {
  unsolved: number; unassigned: number; mine: number;
  by_status: Record<string, number>; by_team: Record<string, number>;
}
export interface ApiToken {
  id: number; name: string; agent_id: number; scopes: Scope[]; created_at: string; revoked_at: string | null;
}
/** An address the workspace receives email at (admins only). */
export interface Mailbox {
  id: number; address: string; display_name: string;
  /** imap:// or imaps:// URL of the account Kizuna collects from; "" when the mail server delivers (kizuna mail-ingest). */
  imap_url: string; imap_username: string;
  /** Whether a password is saved (the password itself is never returned). */
  imap_password_set: boolean;
  imap_folder: string; imap_move_to: string; enabled: boolean; ack_enabled: boolean; ack_template: string;
  last_checked_at: string | null; last_error: string; ingested: number;
  created_at: string; updated_at: string; version: number;
}
/** The writable fields of a mailbox; on PATCH each is optional and imap_password "" clears it. */
export type MailboxInput = Partial<
  Pick<Mailbox, "address" | "display_name" | "imap_url" | "imap_username" | "imap_folder" | "imap_move_to" | "enabled" | "ack_enabled" | "ack_template">
> & { imap_password?: string };
/** An email Kizuna refused (a bounce, an automatic reply, a loop…), newest first. */
export interface MailRejection {
  id: number; mailbox_id: number | null; message_id: string; sender: string; subject: string; reason: string; received_at: string;
}
export interface MailboxCheck { taken: number; error: string; mailbox: Mailbox }
export type Weekday = "sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat";
export interface OpenInterval { start: string; end: string }
export type WeeklyHours = Partial<Record<Weekday, OpenInterval[]>>;
export interface CalendarException { date: string; hours?: OpenInterval[] }
export interface BusinessCalendar {
  id: number; name: string; time_zone: string; hours: WeeklyHours; holidays: string[]; exceptions: CalendarException[];
  created_at: string; updated_at: string; version: number;
}
export interface CalendarInput { name?: string; time_zone?: string; hours?: WeeklyHours; holidays?: string[]; exceptions?: CalendarException[] }
export type SlaMetric = "first_reply" | "next_reply" | "periodic_update" | "resolution";
export type SlaClock = "business" | "calendar";
export interface SlaTargetSpec { metric: SlaMetric; minutes: number; clock?: SlaClock }
export interface SlaConditions {
  priorities?: Priority[]; channels?: string[]; tags?: string[]; organisation_ids?: number[]; customer_tiers?: string[]; team_ids?: number[];
}
/** What happens when a target is about to be missed (warning) and when it is missed (breach). */
export interface SlaEscalations {
  warning: { notify: boolean };
  breach: { notify: boolean; raise_priority: "high" | "urgent" | null; assign_team_id: number | null };
}
export interface SlaPolicy {
  id: number; name: string; position: number; calendar_id: number | null; conditions: SlaConditions; targets: SlaTargetSpec[];
  /** The share of a target (1–99 %) after which it is "about to be missed"; 75 unless set. */
  warning_percent?: number;
  escalations?: SlaEscalations;
  created_at: string; updated_at: string; version: number;
}
export interface SlaPolicyInput {
  name?: string; position?: number; calendar_id?: number | null; conditions?: SlaConditions; targets?: SlaTargetSpec[];
  warning_percent?: number; escalations?: SlaEscalations;
}
/** What a service standard measures (no periodic updates, unlike SLA targets). */
export type ServiceMetric = "first_reply" | "next_reply" | "resolution" | "call_answer" | "call_hold";
/** A measurable promise such as "first email reply within 1 business hour" (capability C3). */
export interface ServiceStandard {
  id: number; name: string; position: number; metric: ServiceMetric;
  /** The ticket channels it covers, sorted; empty covers all. */
  channels: string[];
  target_seconds: number; clock: SlaClock;
  /** The calendar business time is counted in; null is 24/7. */
  calendar_id: number | null;
  created_at: string; updated_at: string; version: number;
}
export type ServiceStandardInput = Partial<Pick<ServiceStandard, "name" | "position" | "metric" | "channels" | "target_seconds" | "clock" | "calendar_id">>;
export type ComplianceGroupBy = "day" | "team" | "agent";
export interface ComplianceFigure {
  /** The date (`day`), or the team's or agent's id; null for no team or agent. */
  key: string | number | null;
  label: string | null;
  met: number; total: number;
  /** met / total; null when total is 0. */
  compliance: number | null;
}
export interface StandardCompliance {
  standard_id: number; name: string; metric: ServiceMetric; channels: string[]; clock: SlaClock; target_seconds: number;
  met: number; total: number; compliance: number | null; groups: ComplianceFigure[];
}
export interface ComplianceReport {
  from: string; to: string; group_by: ComplianceGroupBy; time_zone: string; standards: StandardCompliance[];
}
export interface SessionInfo { agent: Agent; workspace: Workspace; csrf_token: string | null }

/** An error from the API or the network. `code` is the problem code, or "network". */
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    public detail: string,
    public field?: string,
    /** The whole problem body (e.g. `current` on a 412). */
    public problem?: Record<string, unknown>,
  ) {
    super(detail || code);
  }
  get isNetwork(): boolean {
    return this.code === "network";
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}
export function getCsrfToken(): string | null {
  return csrfToken;
}

/** Called when any request answers 401 (the session ended elsewhere). */
let onUnauthenticated: (() => void) | null = null;
export function setUnauthenticatedHandler(fn: (() => void) | null): void {
  onUnauthenticated = fn;
}
export function notifyUnauthenticated(): void {
  onUnauthenticated?.();
}

export interface Answer<T> { body: T; etag: string | null }

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const h: Record<string, string> = { Accept: "application/json", ...headers };
  if (body !== undefined) h["Content-Type"] = "application/json";
  if (method !== "GET" && method !== "HEAD" && csrfToken) h["X-CSRF-Token"] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "network", "network error");
  }
  const text = await res.text().catch(() => "");
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!res.ok) {
    const p = (parsed ?? {}) as { code?: string; detail?: string; field?: string };
    const code = p.code ?? (res.status >= 500 ? "internal" : "unknown");
    const err = new ApiError(res.status, code, p.detail ?? "", p.field, (parsed ?? undefined) as Record<string, unknown> | undefined);
    if (res.status === 401 && !path.startsWith("/api/v1/auth/") && onUnauthenticated) onUnauthenticated();
    throw err;
  }
  return { body: parsed as T, etag: res.headers.get("ETag") };
}

const get = async <T>(path: string) => (await request<T>("GET", path)).body;

export const api = {
  signIn: (workspace: string, email: string, password: string) =>
    request<SessionInfo>("POST", "/api/v1/auth/sign-in", { workspace, email, password }).then((a) => a.body),
  signOut: () => request<unknown>("POST", "/api/v1/auth/sign-out"),
  session: () => get<SessionInfo>("/api/v1/auth/session"),
  counts: () => get<ViewCounts>("/api/v1/views/counts"),
  tickets: (query: Record<string, string | number | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") q.set(k, String(v));
    return get<{ tickets: Ticket[]; next_cursor: string | null }>(`/api/v1/tickets?${q}`);
  },
  ticket: (id: number) => request<Ticket>("GET", `/api/v1/tickets/${id}`).then((a) => a.body),
  updateTicket: (id: number, version: number, patch: Partial<Ticket>) =>
    request<Ticket>("PATCH", `/api/v1/tickets/${id}`, patch, { "If-Match": `"${version}"` }).then((a) => a.body),
  messages: (id: number) => get<{ messages: Message[] }>(`/api/v1/tickets/${id}/messages`),
  addMessage: (
    id: number,
    body: { kind: "public" | "note"; body: string; status?: TicketStatus; attachments?: string[] },
    key: string,
  ) =>
    request<Message & { ticket: Ticket }>("POST", `/api/v1/tickets/${id}/messages`, body, {
      "Idempotency-Key": key,
    }).then((a) => a.body),
  events: (id: number) => get<{ events: KEvent[] }>(`/api/v1/tickets/${id}/events`),
  customer: (id: number) => get<Customer>(`/api/v1/customers/${id}`),
  /** Customers whose name contains `q` or an identity starts with it, by id; `cursor` is the previous page's next_cursor. */
  customers: (q: string, cursor?: string | null, limit = 25) => {
    const p = new URLSearchParams({ limit: String(limit) });
    if (q) p.set("q", q);
    if (cursor) p.set("cursor", cursor);
    return get<{ customers: Customer[]; next_cursor: string | null }>(`/api/v1/customers?${p}`);
  },
  customerTickets: (id: number) => get<{ tickets: Ticket[]; has_more: boolean }>(`/api/v1/customers/${id}/tickets`),
  organisation: (id: number) => get<Organisation>(`/api/v1/organisations/${id}`),
  organisations: () => get<{ organisations: Organisation[] }>("/api/v1/organisations"),
  /** With `version`, the change is refused (412) when someone else changed the customer meanwhile. */
  updateCustomer: (id: number, body: Partial<Pick<Customer, "name" | "language" | "notes" | "tier" | "account_owner_id">>, version?: number) =>
    request<Customer>("PATCH", `/api/v1/customers/${id}`, body, version === undefined ? {} : { "If-Match": `"${version}"` }).then((a) => a.body),
  agents: () => get<{ agents: Agent[] }>("/api/v1/agents"),
  createAgent: (body: { email: string; name?: string; role: Role; languages: string[]; password?: string }) =>
    request<Agent>("POST", "/api/v1/agents", body).then((a) => a.body),
  updateAgent: (id: number, body: Partial<{ name: string; role: Role; languages: string[]; active: boolean; password: string }>) =>
    request<Agent>("PATCH", `/api/v1/agents/${id}`, body).then((a) => a.body),
  teams: () => get<{ teams: Team[] }>("/api/v1/teams"),
  updateTeam: (id: number, body: { name?: string; description?: string }) =>
    request<Team>("PATCH", `/api/v1/teams/${id}`, body).then((a) => a.body),
  deleteCustomer: (id: number) => request<unknown>("DELETE", `/api/v1/customers/${id}`),
  createTeam: (body: { name: string; description?: string }) =>
    request<Team>("POST", "/api/v1/teams", body).then((a) => a.body),
  workspace: () => get<Workspace>("/api/v1/workspace"),
  updateWorkspace: (body: Partial<Pick<Workspace, "time_zone" | "locale" | "service_style" | "default_team_id">>) =>
    request<Workspace>("PATCH", "/api/v1/workspace", body).then((a) => a.body),
  tokens: () => get<{ tokens: ApiToken[] }>("/api/v1/tokens"),
  createToken: (body: { name?: string; scopes: Scope[]; agent_id?: number }) =>
    request<ApiToken & { token: string }>("POST", "/api/v1/tokens", body).then((a) => a.body),
  revokeToken: (id: number) => request<unknown>("DELETE", `/api/v1/tokens/${id}`),
  mailboxes: () => get<{ mailboxes: Mailbox[] }>("/api/v1/mailboxes"),
  createMailbox: (body: MailboxInput) => request<Mailbox>("POST", "/api/v1/mailboxes", body).then((a) => a.body),
  /** With `version`, the change is refused (412) when someone else changed the mailbox meanwhile. */
  updateMailbox: (id: number, body: MailboxInput, version?: number) =>
    request<Mailbox>("PATCH", `/api/v1/mailboxes/${id}`, body, version === undefined ? {} : { "If-Match": `"${version}"` }).then(
      (a) => a.body,
    ),
  deleteMailbox: (id: number) => request<unknown>("DELETE", `/api/v1/mailboxes/${id}`),
  checkMailbox: (id: number) => request<MailboxCheck>("POST", `/api/v1/mailboxes/${id}/check`).then((a) => a.body),
  mailRejections: (before?: number, limit = 50) =>
    get<{ rejections: MailRejection[] }>(`/api/v1/mail/rejections?limit=${limit}${before ? `&before=${before}` : ""}`),
  calendars: () => get<{ calendars: BusinessCalendar[] }>("/api/v1/calendars"),
  createCalendar: (body: CalendarInput) => request<BusinessCalendar>("POST", "/api/v1/calendars", body).then((a) => a.body),
  updateCalendar: (id: number, body: CalendarInput, version?: number) =>
    request<BusinessCalendar>("PATCH", `/api/v1/calendars/${id}`, body, version === undefined ? {} : { "If-Match": `"${version}"` }).then((a) => a.body),
  deleteCalendar: (id: number) => request<unknown>("DELETE", `/api/v1/calendars/${id}`),
  slaPolicies: () => get<{ policies: SlaPolicy[] }>("/api/v1/sla/policies"),
  createSlaPolicy: (body: SlaPolicyInput) => request<SlaPolicy>("POST", "/api/v1/sla/policies", body).then((a) => a.body),
  updateSlaPolicy: (id: number, body: SlaPolicyInput, version?: number) =>
    request<SlaPolicy>("PATCH", `/api/v1/sla/policies/${id}`, body, version === undefined ? {} : { "If-Match": `"${version}"` }).then((a) => a.body),
  deleteSlaPolicy: (id: number) => request<unknown>("DELETE", `/api/v1/sla/policies/${id}`),
  serviceStandards: () => get<{ standards: ServiceStandard[] }>("/api/v1/service-standards"),
  createServiceStandard: (body: ServiceStandardInput) =>
    request<ServiceStandard>("POST", "/api/v1/service-standards", body).then((a) => a.body),
  updateServiceStandard: (id: number, body: ServiceStandardInput, version?: number) =>
    request<ServiceStandard>("PATCH", `/api/v1/service-standards/${id}`, body, version === undefined ? {} : { "If-Match": `"${version}"` }).then(
      (a) => a.body,
    ),
  deleteServiceStandard: (id: number) => request<unknown>("DELETE", `/api/v1/service-standards/${id}`),
  /** Each standard's share of intervals that met its target, on the workspace's dates `from`…`to` (inclusive). */
  compliance: (from: string, to: string, groupBy: ComplianceGroupBy) =>
    get<ComplianceReport>(`/api/v1/service-standards/compliance?${new URLSearchParams({ from, to, group_by: groupBy })}`),
};

/** The download address of an attachment in the agent app. */
export const attachmentUrl = (id: number) => `/api/v1/attachments/${id}`;

export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && "randomUUID" in c) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
