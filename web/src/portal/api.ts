// The help-centre API (/api/v1/portal/{workspace}), on the agent app's small fetch wrapper.
import { request, setCsrfToken, getCsrfToken, ApiError } from "../api";
import type { Segment } from "../lib/segments";

export { ApiError, setCsrfToken };

export interface HelpCentre { name: string; locale: string; time_zone: string }
export interface PortalCustomer { id: number; name: string; language: string }
export interface PortalSession { customer: PortalCustomer; csrf_token: string }
export interface PortalRequest {
  number: number; subject: string; status: string; channel?: string; created_at: string; updated_at: string;
  /** By when the customer can expect our next reply; null when we are not the ones to answer next. */
  expected_reply_at?: string | null;
}
export interface PortalAttachment { id: number; name: string; content_type: string; size: number }
export interface PortalMessage {
  id: number; author_type: "agent" | "customer" | "system"; author_name: string; body: string; created_at: string;
  attachments?: PortalAttachment[];
}

// ---- knowledge base, search and community (issue 7)
export interface KbArticleLink { id: number; title: string; locale: string }
export interface KbSection { id: number; name: string; articles: KbArticleLink[] }
export interface KbCategory { id: number; name: string; sections: KbSection[] }
export interface KbTree { categories: KbCategory[] }
export interface KbCrumb { kind: "category" | "section"; id: number; name: string }
export interface KbArticle {
  id: number; locale: string; locales: string[]; title: string; body_html: string; updated_at: string;
  breadcrumbs: KbCrumb[]; related: KbArticleLink[]; helpful_yes: number; helpful_no: number;
}
export interface SearchResult {
  kind: "article" | "topic" | "ticket" | string; id: number; locale: string; title: string;
  title_segments?: Segment[]; snippet: Segment[] | string; score: number;
  /** Tickets (the signed-in customer's own requests). */
  number?: number; status?: string;
}
export interface Suggestion { id: number; locale: string; title: string; title_segments?: Segment[]; snippet: Segment[] | string }
export interface CommunityAuthor { kind: "customer" | "agent"; id: number; name: string }
export type ModerationStatus = "visible" | "pending" | "hidden";
export interface TopicSummary {
  id: number; title: string; status: ModerationStatus; author: CommunityAuthor; created_at: string; updated_at: string;
  answers: number; votes: number; accepted_post_id: number | null; official: boolean;
  /** The language it was asked in. */
  locale?: string;
  /** Why the spam check held it (pending only): a code such as links_new_user (CHANGES.md). */
  pending_reason?: string;
}
export interface CommunityPost {
  id: number; topic_id: number; author: CommunityAuthor; body_md: string; body_html: string; status: ModerationStatus;
  votes: number; official: boolean; accepted: boolean; created_at: string; my_vote?: number; pending_reason?: string;
}
export interface Topic extends TopicSummary {
  body_md: string; body_html: string; posts: CommunityPost[]; article_id: number | null; can_accept?: boolean;
}

/**
 * A write that keeps the Retry-After of a 429 (in `problem.retry_after_header`), which the
 * shared wrapper drops; otherwise the same as `request`.
 */
async function write<T>(method: string, path: string, payload?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (payload !== undefined) headers["Content-Type"] = "application/json";
  const csrf = getCsrfToken();
  if (csrf) headers["X-CSRF-Token"] = csrf;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload), credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "network", "network error");
  }
  const text = await res.text().catch(() => "");
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!res.ok) {
    const p = (parsed && typeof parsed === "object" ? parsed : {}) as Record<string, unknown>;
    const code = typeof p.code === "string" ? p.code : res.status >= 500 ? "internal" : "unknown";
    const problem = { ...p, retry_after_header: res.headers.get("Retry-After") ?? undefined };
    throw new ApiError(res.status, code, typeof p.detail === "string" ? p.detail : "", typeof p.field === "string" ? p.field : undefined, problem);
  }
  return parsed as T;
}

const base = (ws: string) => `/api/v1/portal/${encodeURIComponent(ws)}`;
/** Where files are uploaded, and downloaded from (signed-in customers, their own requests). */
export const portalUploadUrl = (ws: string) => `${base(ws)}/attachments`;
export const portalAttachmentUrl = (ws: string, id: number) => `${base(ws)}/attachments/${id}`;
const body = <T>(p: Promise<{ body: T }>) => p.then((a) => a.body);

export const portalApi = {
  helpCentre: (ws: string) => body(request<HelpCentre>("GET", base(ws))),
  submit: (
    ws: string,
    input: { name?: string; email?: string; language: string; subject: string; body: string; attachments?: string[] },
  ) =>
    body(request<PortalRequest>("POST", `${base(ws)}/requests`, input)),
  sendLink: (ws: string, email: string) => body(request<{ sent: boolean }>("POST", `${base(ws)}/sign-in-link`, { email })),
  openSession: (ws: string, token: string) => body(request<PortalSession>("POST", `${base(ws)}/session`, { token })),
  session: (ws: string) => body(request<PortalSession>("GET", `${base(ws)}/session`)),
  signOut: (ws: string) => body(request<unknown>("POST", `${base(ws)}/sign-out`)),
  requests: (ws: string) => body(request<{ requests: PortalRequest[] }>("GET", `${base(ws)}/requests`)),
  request: (ws: string, n: number) =>
    body(request<{ request: PortalRequest; messages: PortalMessage[] }>("GET", `${base(ws)}/requests/${n}`)),
  reply: (ws: string, n: number, text: string, attachments: string[] = []) =>
    body(
      request<{ id: number; request: PortalRequest }>("POST", `${base(ws)}/requests/${n}/messages`, {
        body: text,
        ...(attachments.length ? { attachments } : {}),
      }),
    ),

  kb: (ws: string, locale: string) => body(request<KbTree>("GET", `${base(ws)}/kb?${new URLSearchParams({ locale })}`)),
  article: (ws: string, id: number, locale: string) =>
    body(request<KbArticle>("GET", `${base(ws)}/kb/articles/${id}?${new URLSearchParams({ locale })}`)),
  feedback: (ws: string, id: number, helpful: boolean) => write<null>("POST", `${base(ws)}/kb/articles/${id}/feedback`, { helpful }),
  deflection: (ws: string, articleId: number, query: string) =>
    write<null>("POST", `${base(ws)}/deflections`, { article_id: articleId, query }),
  search: (ws: string, q: string, locale: string) =>
    body(request<{ results: SearchResult[] }>("GET", `${base(ws)}/search?${new URLSearchParams({ q, locale })}`)),
  suggest: (ws: string, q: string, locale: string) =>
    body(request<{ articles: Suggestion[] }>("GET", `${base(ws)}/suggest?${new URLSearchParams({ q, locale })}`)),
  topics: (ws: string, sort: "recent" | "votes", after?: number | null, limit = 20) => {
    const q = new URLSearchParams({ sort, limit: String(limit) });
    if (after) q.set("after", String(after));
    return body(request<{ topics: TopicSummary[]; next: number | null }>("GET", `${base(ws)}/community/topics?${q}`));
  },
  topic: (ws: string, id: number) => body(request<Topic>("GET", `${base(ws)}/community/topics/${id}`)),
  ask: (ws: string, input: { title: string; body_md: string; locale?: string }) =>
    write<Topic>("POST", `${base(ws)}/community/topics`, input),
  answer: (ws: string, topicId: number, bodyMd: string) =>
    write<CommunityPost>("POST", `${base(ws)}/community/topics/${topicId}/posts`, { body_md: bodyMd }),
  vote: (ws: string, postId: number, value: -1 | 0 | 1) =>
    write<{ votes: number; my_vote: number }>("POST", `${base(ws)}/community/posts/${postId}/vote`, { value }),
  accept: (ws: string, topicId: number, postId: number) =>
    write<Topic>("POST", `${base(ws)}/community/topics/${topicId}/accept`, { post_id: postId }),
};
