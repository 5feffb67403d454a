// Knowledge-base helpers for the agent app: names in the reader's language, the editor's
// per-language state and what a save sends.
import { LOCALES, type Locale } from "../api";
import type { Article, Names, TranslationInput } from "../kbApi";

export const TITLE_MAX = 200;
export const BODY_MAX_BYTES = 200 * 1024;
export const TAGS_MAX = 20;
export const TAG_MAX = 40;

/** A name in `locale`, else English, else any language given; "" when none. */
export function pickName(names: Names | null | undefined, locale: string): string {
  if (!names) return "";
  const l = locale as Locale;
  return names[l]?.trim() || names.en?.trim() || LOCALES.map((x) => names[x]?.trim()).find(Boolean) || "";
}

/** The languages a name or title is written in, in the fixed order en, ja, ko, vi. */
export function localesOf(names: Names | Partial<Record<Locale, unknown>> | null | undefined): Locale[] {
  if (!names) return [];
  return LOCALES.filter((l) => {
    const v = names[l];
    return typeof v === "string" ? v.trim() !== "" : v != null;
  });
}

/** The share of "yes" answers as a whole percentage; null when nobody answered. */
export function helpfulPercent(yes: number, no: number): number | null {
  const total = (yes || 0) + (no || 0);
  if (total <= 0) return null;
  return Math.round(((yes || 0) * 100) / total);
}

export type Drafts = Record<Locale, TranslationInput>;

export function emptyDrafts(): Drafts {
  return { en: { title: "", body_md: "" }, ja: { title: "", body_md: "" }, ko: { title: "", body_md: "" }, vi: { title: "", body_md: "" } };
}

/** The editor's text per language for an article as saved. */
export function draftsOf(article: Pick<Article, "translations"> | null): Drafts {
  const d = emptyDrafts();
  if (!article) return d;
  for (const l of LOCALES) {
    const tr = article.translations[l];
    if (tr) d[l] = { title: tr.title ?? "", body_md: tr.body_md ?? "" };
  }
  return d;
}

/** The translations the agent changed (title or body) compared with `saved`. */
export function changedTranslations(saved: Drafts, edited: Drafts): Partial<Record<Locale, TranslationInput>> {
  const out: Partial<Record<Locale, TranslationInput>> = {};
  for (const l of LOCALES) {
    const a = saved[l];
    const b = edited[l];
    if (a.title !== b.title || a.body_md !== b.body_md) {
      // A language never written and still empty is no change.
      if (!a.title && !a.body_md && !b.title.trim() && !b.body_md.trim()) continue;
      out[l] = { title: b.title.trim(), body_md: b.body_md };
    }
  }
  return out;
}

export function sameTags(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A tag as stored: trimmed, lower-case, inner spaces as "-"; "" when nothing is left. */
export function cleanTag(raw: string): string {
  return raw.trim().toLowerCase().replace(/[\s,]+/g, "-").replace(/^-+|-+$/g, "");
}

export type ArticleProblem =
  | { kind: "noTitle" }
  | { kind: "titleMissing"; locale: Locale }
  | { kind: "titleTooLong"; locale: Locale }
  | { kind: "bodyTooLong"; locale: Locale }
  | { kind: "tooManyTags" }
  | { kind: "tagTooLong"; tag: string }
  | { kind: "noSection" };

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** What stops the article from being saved, first problem first; null when it can be. */
export function articleProblem(drafts: Drafts, tags: string[], sectionId: number | null): ArticleProblem | null {
  if (!sectionId) return { kind: "noSection" };
  let any = false;
  for (const l of LOCALES) {
    const d = drafts[l];
    const title = d.title.trim();
    if (title) any = true;
    if (!title && d.body_md.trim()) return { kind: "titleMissing", locale: l };
    if ([...title].length > TITLE_MAX) return { kind: "titleTooLong", locale: l };
    if (utf8Length(d.body_md) > BODY_MAX_BYTES) return { kind: "bodyTooLong", locale: l };
  }
  if (!any) return { kind: "noTitle" };
  if (tags.length > TAGS_MAX) return { kind: "tooManyTags" };
  const long = tags.find((t) => [...t].length > TAG_MAX);
  if (long) return { kind: "tagTooLong", tag: long };
  return null;
}

/** A locale from the address (?locale=ja), else null. */
export function localeParam(search: string): Locale | null {
  const v = new URLSearchParams(search).get("locale");
  return LOCALES.includes(v as Locale) ? (v as Locale) : null;
}
