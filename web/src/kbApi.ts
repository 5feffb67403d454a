// The self-service API of the agent app (issue 7): knowledge base, community moderation,
// search and suggested articles. Same fetch wrapper (and error codes) as api.ts.
import { request, type Locale } from "./api";
import type { Segment } from "./lib/segments";

export type Names = Partial<Record<Locale, string>>;
export type ArticleStatus = "draft" | "published";

export interface KbSection { id: number; category_id: number; position: number; names: Names }
export interface KbCategory { id: number; position: number; names: Names; sections: KbSection[] }

export interface ArticleSummary {
  id: number; section_id: number; status: ArticleStatus; tags: string[]; titles: Names; updated_at: string;
  helpful_yes: number; helpful_no: number; views: number;
}
export interface Person { id: number; name: string }
export interface Translation {
  title: string; body_md: string; body_html: string; updated_at: string; updated_by: Person | null; revision: number;
}
export interface Article {
  id: number; section_id: number; status: ArticleStatus; tags: string[]; version: number; created_at: string; updated_at: string;
  helpful_yes: number; helpful_no: number; views: number; source_topic_id: number | null;
  translations: Partial<Record<Locale, Translation>>;
}
export interface ArticleVersion { revision: number; locale: Locale; title: string; body_md: string; author: Person | null; created_at: string }
export interface KbStats {
  articles: number; published: number; views: number; helpful_yes: number; helpful_no: number; deflections: number; suggestions_shown: number;
}
export interface TranslationInput { title: string; body_md: string }
export interface ArticleInput {
  section_id?: number; tags?: string[]; status?: ArticleStatus; translations?: Partial<Record<Locale, TranslationInput>>;
}

/** A piece of a title or snippet; `match` pieces are what the query found. */
export type { Segment };
export type SearchKind = "article" | "topic" | "ticket" | "customer";
export const SEARCH_KINDS: SearchKind[] = ["article", "topic", "ticket", "customer"];
export interface SearchResult {
  kind: SearchKind; id: number; locale: string; title: string; title_segments?: Segment[]; snippet: Segment[]; score: number;
  number?: number; status?: string;
}
export interface SuggestedArticle { id: number; locale: string; title: string; snippet: Segment[]; url: string }

export type TopicStatus = "pending" | "visible" | "hidden";
export interface Author { kind: "customer" | "agent"; id: number; name: string }
export interface TopicSummary {
  id: number; title: string; status: TopicStatus; author: Author; created_at: string; updated_at: string;
  answers: number; votes: number; accepted_post_id: number | null; official: boolean;
  /** Answers waiting for review. */
  pending_posts?: number; locale?: string; version?: number;
  /** Why the spam check held it (a code such as "links_new_user"), while pending. */
  pending_reason?: string; pending_reason_text?: string;
}
export interface Post {
  id: number; topic_id: number; author: Author; body_md: string; body_html: string; status: TopicStatus;
  votes: number; official: boolean; accepted: boolean; created_at: string;
  pending_reason?: string; pending_reason_text?: string;
}
export interface Topic extends TopicSummary { body_md: string; body_html: string; posts: Post[]; article_id: number | null }
export interface Ban { customer_id: number; reason: string; customer_name?: string; name?: string; banned_by?: number; created_at?: string }

const get = async <T>(path: string) => (await request<T>("GET", path)).body;
const qs = (o: Record<string, string | number | null | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
};
const ifMatch = (version: number) => ({ "If-Match": `"${version}"` });

export const kbApi = {
  categories: () => get<{ categories: KbCategory[] }>("/api/v1/kb/categories"),
  createCategory: (names: Names, position?: number) =>
    request<KbCategory>("POST", "/api/v1/kb/categories", { names, ...(position === undefined ? {} : { position }) }).then((a) => a.body),
  updateCategory: (id: number, body: { names?: Names; position?: number }) =>
    request<KbCategory>("PATCH", `/api/v1/kb/categories/${id}`, body).then((a) => a.body),
  deleteCategory: (id: number) => request<unknown>("DELETE", `/api/v1/kb/categories/${id}`),
  createSection: (category_id: number, names: Names, position?: number) =>
    request<KbSection>("POST", "/api/v1/kb/sections", { category_id, names, ...(position === undefined ? {} : { position }) }).then((a) => a.body),
  updateSection: (id: number, body: { names?: Names; position?: number; category_id?: number }) =>
    request<KbSection>("PATCH", `/api/v1/kb/sections/${id}`, body).then((a) => a.body),
  deleteSection: (id: number) => request<unknown>("DELETE", `/api/v1/kb/sections/${id}`),
  articles: (q: { section_id?: number; status?: ArticleStatus; after?: number | null; limit?: number }) =>
    get<{ articles: ArticleSummary[]; next: number | null }>(`/api/v1/kb/articles${qs(q)}`),
  article: (id: number) => get<Article>(`/api/v1/kb/articles/${id}`),
  createArticle: (body: ArticleInput) => request<Article>("POST", "/api/v1/kb/articles", body).then((a) => a.body),
  /** Refused with 412 (precondition_failed) when someone saved the article after `version`. */
  updateArticle: (id: number, version: number, body: ArticleInput) =>
    request<Article>("PATCH", `/api/v1/kb/articles/${id}`, { version, ...body }, ifMatch(version)).then((a) => a.body),
  deleteArticle: (id: number) => request<unknown>("DELETE", `/api/v1/kb/articles/${id}`),
  versions: (id: number, locale: Locale) => get<{ versions: ArticleVersion[] }>(`/api/v1/kb/articles/${id}/versions${qs({ locale })}`),
  preview: (body_md: string) => request<{ body_html: string }>("POST", "/api/v1/kb/preview", { body_md }).then((a) => a.body),
  stats: () => get<KbStats>("/api/v1/kb/stats"),

  search: (q: string, opts: { kinds?: SearchKind[]; limit?: number } = {}) =>
    get<{ results: SearchResult[]; took_ms: number }>(`/api/v1/search${qs({ q, kinds: opts.kinds?.join(","), limit: opts.limit })}`),
  suggestedArticles: (ticketId: number) => get<{ articles: SuggestedArticle[] }>(`/api/v1/tickets/${ticketId}/suggested-articles`),

  topics: (status: TopicStatus, after?: number | null, limit = 50) =>
    get<{ topics: TopicSummary[]; next: number | null }>(`/api/v1/community/topics${qs({ status, after, limit })}`),
  topic: (id: number) => get<Topic>(`/api/v1/community/topics/${id}`),
  addPost: (topicId: number, body_md: string) =>
    request<Post>("POST", `/api/v1/community/topics/${topicId}/posts`, { body_md }).then((a) => a.body),
  setTopicStatus: (id: number, status: "visible" | "hidden") =>
    request<Topic>("PATCH", `/api/v1/community/topics/${id}`, { status }).then((a) => a.body),
  setPostStatus: (id: number, status: "visible" | "hidden") =>
    request<Post>("PATCH", `/api/v1/community/posts/${id}`, { status }).then((a) => a.body),
  makeArticle: (topicId: number, section_id: number) =>
    request<{ article_id: number }>("POST", `/api/v1/community/topics/${topicId}/article`, { section_id }).then((a) => a.body),
  bans: () => get<{ bans: Ban[] }>("/api/v1/community/bans"),
  ban: (customer_id: number, reason: string) => request<Ban>("POST", "/api/v1/community/bans", { customer_id, reason }).then((a) => a.body),
  unban: (customer_id: number) => request<unknown>("DELETE", `/api/v1/community/bans/${customer_id}`),
};
