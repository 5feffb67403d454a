// The article editor (/kb/articles/{id}, /kb/articles/new?section_id=N): a tab per language
// with title and Markdown, a live preview rendered by the server, section and tags, save with
// the version it started from (a 412 says someone else saved meanwhile), publish/unpublish,
// each language's versions and the article's figures. Loaded on demand from App.tsx.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, LOCALES, type Locale } from "../api";
import { kbApi, type Article, type ArticleInput, type ArticleStatus, type ArticleVersion, type KbCategory } from "../kbApi";
import { linkClick, navigate } from "../lib/router";
import {
  articleProblem, changedTranslations, cleanTag, draftsOf, emptyDrafts, helpfulPercent, localeParam, pickName, sameTags,
  TAG_MAX, TAGS_MAX, TITLE_MAX, type ArticleProblem, type Drafts,
} from "../lib/kb";
import { SafeHtml } from "../lib/safeHtml";
import { errorMessage } from "../lib/errors";
import { absoluteTime } from "../lib/time";
import { ErrorBanner, RelTime, Spinner } from "../components/bits";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { addKbDictionaries } from "../i18n/kb";
import { StatusBadge } from "./KnowledgeBase";
import "./kb.css";

addKbDictionaries();

const PREVIEW_MS = 350;

// A notice to show after the page changes address (a new article gets its id).
let carriedNotice: string | null = null;

// Unsaved edits kept when the agent leaves the editor inside the app (a link, the search), so
// coming back finds them; only restored onto the same saved version of the article.
interface Unsaved { version: number; drafts: Drafts; tags: string[]; sectionId: number | null }
const unsavedEdits = new Map<number, Unsaved>();

interface Base {
  article: Article | null;
  saved: Drafts;
  tags: string[];
  sectionId: number | null;
}

export default function ArticleEditorPage({ id }: { id: number | null }) {
  const { t, i18n } = useTranslation();
  const [base, setBase] = useState<Base | null>(null);
  const [drafts, setDrafts] = useState<Drafts>(emptyDrafts);
  const [tags, setTags] = useState<string[]>([]);
  const [sectionId, setSectionId] = useState<number | null>(null);
  const [locale, setLocale] = useState<Locale>(() => localeParam(location.search) ?? "en");
  const [categories, setCategories] = useState<KbCategory[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [busy, setBusy] = useState<"save" | "publish" | "unpublish" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<ArticleProblem | null>(null);
  const [notice, setNotice] = useState<string | null>(() => {
    const n = carriedNotice;
    carriedNotice = null;
    return n;
  });
  const [conflict, setConflict] = useState<Article | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const [versionsTick, setVersionsTick] = useState(0);

  const adopt = useCallback((a: Article, keepEdits: Drafts | null = null) => {
    const saved = draftsOf(a);
    setBase({ article: a, saved, tags: [...(a.tags ?? [])], sectionId: a.section_id });
    setDrafts(keepEdits ?? saved);
    setTags([...(a.tags ?? [])]);
    setSectionId(a.section_id);
  }, []);

  const load = useCallback(() => {
    setLoadError(null);
    if (id === null) {
      const s = Number(new URLSearchParams(location.search).get("section_id"));
      const sec = Number.isInteger(s) && s > 0 ? s : null;
      setBase({ article: null, saved: emptyDrafts(), tags: [], sectionId: sec });
      setSectionId(sec);
      if (!localeParam(location.search)) setLocale((i18n.language as Locale) ?? "en");
      return;
    }
    kbApi
      .article(id)
      .then((a) => {
        const kept = unsavedEdits.get(a.id);
        unsavedEdits.delete(a.id);
        adopt(a, kept && kept.version === a.version ? kept.drafts : null);
        if (kept && kept.version === a.version) {
          setTags(kept.tags);
          setSectionId(kept.sectionId);
          setNotice(t("kb.editor.restored"));
        }
        // Open on the language asked for, else the reader's if written, else the first written.
        if (!localeParam(location.search)) {
          const have = LOCALES.filter((l) => a.translations[l]);
          const ui = i18n.language as Locale;
          setLocale(have.includes(ui) ? ui : have[0] ?? "en");
        }
      })
      .catch(setLoadError);
  }, [id, adopt, i18n.language, t]);

  useEffect(load, [id]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    kbApi
      .categories()
      .then((r) => setCategories(r.categories ?? []))
      .catch(() => {});
  }, []);

  const changes = useMemo(() => (base ? changedTranslations(base.saved, drafts) : {}), [base, drafts]);
  const dirty = !!base && (Object.keys(changes).length > 0 || !sameTags(base.tags, tags) || base.sectionId !== sectionId || base.article === null);

  // Edits not saved yet outlive a move to another page of the app.
  const latest = useRef<Unsaved | null>(null);
  latest.current = dirty && base?.article ? { version: base.article.version, drafts, tags, sectionId } : null;
  const articleId = base?.article?.id;
  useEffect(
    () => () => {
      if (articleId === undefined) return;
      if (latest.current) unsavedEdits.set(articleId, latest.current);
      else unsavedEdits.delete(articleId);
    },
    [articleId],
  );

  // Leaving the page with unsaved text asks first (reload, closing the tab).
  useEffect(() => {
    if (!dirty || !base?.article) return;
    const onBefore = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", onBefore);
    return () => window.removeEventListener("beforeunload", onBefore);
  }, [dirty, base?.article]);

  const save = useCallback(
    async (status?: ArticleStatus, over?: Base) => {
      const b = over ?? base;
      if (!b || busy) return;
      setError(null);
      setNotice(null);
      const p = articleProblem(drafts, tags, sectionId);
      setProblem(p);
      if (p) {
        if ("locale" in p) setLocale(p.locale);
        return;
      }
      setBusy(status === "published" ? "publish" : status === "draft" ? "unpublish" : "save");
      const sent = drafts;
      try {
        if (!b.article) {
          const translations: ArticleInput["translations"] = {};
          for (const l of LOCALES) if (drafts[l].title.trim()) translations[l] = { title: drafts[l].title.trim(), body_md: drafts[l].body_md };
          const created = await kbApi.createArticle({ section_id: sectionId!, tags, status: status ?? "draft", translations });
          let done = created;
          // A server that makes every new article a draft: publish it in a second step.
          if (status === "published" && created.status !== "published")
            done = await kbApi.updateArticle(created.id, created.version, { status: "published" });
          carriedNotice = t(done.status === "published" ? "kb.editor.published" : "kb.editor.created");
          navigate(`/kb/articles/${done.id}?locale=${locale}`, true);
          return;
        }
        const body: ArticleInput = {};
        const tr = changedTranslations(b.saved, drafts);
        if (Object.keys(tr).length) body.translations = tr;
        if (!sameTags(b.tags, tags)) body.tags = tags;
        if (b.sectionId !== sectionId && sectionId) body.section_id = sectionId;
        if (status && status !== b.article.status) body.status = status;
        if (Object.keys(body).length === 0) {
          setNotice(t("kb.editor.saved"));
          return;
        }
        const next = await kbApi.updateArticle(b.article.id, b.article.version, body);
        const saved = draftsOf(next);
        setBase({ article: next, saved, tags: [...(next.tags ?? [])], sectionId: next.section_id });
        // What was typed while saving stays; what was sent is now the saved text.
        setDrafts((cur) => {
          const out = { ...cur };
          for (const l of LOCALES) if (cur[l] === sent[l]) out[l] = saved[l];
          return out;
        });
        setTags([...(next.tags ?? [])]);
        setSectionId(next.section_id);
        setConflict(null);
        setVersionsTick((n) => n + 1);
        setNotice(
          body.status === "published" ? t("kb.editor.published") : body.status === "draft" ? t("kb.editor.unpublished") : t("kb.editor.saved"),
        );
      } catch (e) {
        if (e instanceof ApiError && e.code === "precondition_failed" && b.article) {
          const current = e.problem?.current as Article | undefined;
          const theirs = current && typeof current.version === "number" && current.translations ? current : await kbApi.article(b.article.id).catch(() => null);
          if (theirs) setConflict(theirs);
          else setError(e);
        } else setError(e);
      } finally {
        setBusy(null);
      }
    },
    [base, busy, drafts, tags, sectionId, locale, t],
  );

  // Ctrl/⌘+S saves.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && (e.key === "s" || e.key === "S")) {
        e.preventDefault();
        void save();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [save]);

  function keepTheirs() {
    if (!conflict) return;
    adopt(conflict);
    setConflict(null);
    setVersionsTick((n) => n + 1);
  }

  function overwrite() {
    if (!conflict || !base) return;
    // Start from their saved article; everything that differs from it is sent.
    const b: Base = { article: conflict, saved: draftsOf(conflict), tags: [...(conflict.tags ?? [])], sectionId: conflict.section_id };
    setBase(b);
    setConflict(null);
    void save(undefined, b);
  }

  async function remove() {
    if (!base?.article) return;
    setDeleteBusy(true);
    setDeleteError(null);
    try {
      await kbApi.deleteArticle(base.article.id);
      setDeleting(false);
      navigate(`/kb/sections/${base.article.section_id}`);
    } catch (e) {
      setDeleteError(e);
    } finally {
      setDeleteBusy(false);
    }
  }

  if (loadError)
    return (
      <section className="kb page-pad">
        <a href="/kb" onClick={linkClick} className="back-link">
          ← {t("kb.editor.backKb")}
        </a>
        {loadError instanceof ApiError && loadError.code === "not_found" ? (
          <div className="banner banner-error" role="alert">
            {t("kb.editor.notFound")}
          </div>
        ) : (
          <ErrorBanner error={loadError} onRetry={load} />
        )}
      </section>
    );
  if (!base) return <Spinner />;

  const article = base.article;
  const allSections = categories.flatMap((c) => c.sections.map((s) => ({ s, c })));
  const here = allSections.find((x) => x.s.id === (article?.section_id ?? sectionId));
  const heading = drafts[locale].title.trim() || pickName(Object.fromEntries(LOCALES.map((l) => [l, drafts[l].title])), i18n.language) || t("kb.editor.newTitle");
  const status: ArticleStatus = article?.status ?? "draft";
  const problemText = problem ? problemMessage(t, problem) : null;
  const tr = article?.translations[locale];

  return (
    <section className="kb kb-editor page-pad" aria-labelledby="kb-editor-title" data-testid="kb-editor">
      <a href={here ? `/kb/sections/${here.s.id}` : "/kb"} onClick={linkClick} className="back-link" data-testid="kb-editor-back">
        ← {here ? t("kb.editor.back", { name: pickName(here.s.names, i18n.language) }) : t("kb.editor.backKb")}
      </a>
      <div className="kb-editor-head">
        <div className="kb-editor-titles">
          <h1 id="kb-editor-title" data-testid="kb-editor-heading">
            {heading}
          </h1>
          <div className="kb-editor-meta">
            <StatusBadge status={status} />
            {dirty && article && <span className="kb-unsaved" data-testid="kb-unsaved">{t("kb.editor.unsaved")}</span>}
            {tr?.updated_at && (
              <span className="muted small">
                {t("kb.editor.lastSaved", {
                  time: absoluteTime(tr.updated_at, i18n.language),
                  name: tr.updated_by?.name ?? t("kb.editor.unknownAuthor"),
                })}
              </span>
            )}
          </div>
        </div>
        <div className="btn-row kb-editor-actions">
          {article && (
            <button type="button" className="btn btn-danger" onClick={() => setDeleting(true)} disabled={!!busy} data-testid="kb-delete-article">
              {t("kb.editor.delete")}
            </button>
          )}
          {status === "published" ? (
            <button type="button" className="btn" onClick={() => void save("draft")} disabled={!!busy} data-testid="kb-unpublish">
              {busy === "unpublish" ? t("kb.editor.saving") : t("kb.editor.unpublish")}
            </button>
          ) : (
            <button type="button" className="btn btn-publish" onClick={() => void save("published")} disabled={!!busy} data-testid="kb-publish">
              {busy === "publish" ? t("kb.editor.publishing") : dirty ? t("kb.editor.saveAndPublish") : t("kb.editor.publish")}
            </button>
          )}
          <button type="button" className="btn btn-primary" onClick={() => void save()} disabled={!!busy || (!dirty && !!article)} title="Ctrl+S" data-testid="kb-save">
            {busy === "save" ? t("kb.editor.saving") : t("kb.editor.save")}
          </button>
        </div>
      </div>

      {conflict && (
        <div className="banner banner-warn kb-conflict" role="alertdialog" aria-labelledby="kb-conflict-title" data-testid="kb-conflict">
          <div>
            <strong id="kb-conflict-title">{t("kb.editor.conflictTitle")}</strong>
            <p>{t("kb.editor.conflictText")}</p>
          </div>
          <span className="banner-actions">
            <button type="button" className="btn btn-small" onClick={keepTheirs} data-testid="kb-conflict-load">
              {t("kb.editor.conflictLoad")}
            </button>
            <button type="button" className="btn btn-small btn-primary" onClick={overwrite} data-testid="kb-conflict-overwrite">
              {t("kb.editor.conflictOverwrite")}
            </button>
          </span>
        </div>
      )}
      {notice && (
        <div className="banner banner-ok" role="status" data-testid="kb-editor-notice">
          <span>{notice}</span>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setNotice(null)}>
            {t("app.dismiss")}
          </button>
        </div>
      )}
      {problemText && (
        <div className="banner banner-error" role="alert" data-testid="kb-editor-problem">
          {problemText}
        </div>
      )}
      <ErrorBanner error={error} onDismiss={() => setError(null)} />

      <div className="kb-editor-layout">
        <div className="kb-editor-main">
          <div className="kb-lang-tabs" role="tablist" aria-label={t("kb.editor.languages")}>
            {LOCALES.map((l) => {
              const written = !!article?.translations[l];
              const changed = l in changes;
              const state = changed ? "changed" : written ? "written" : "missing";
              return (
                <button
                  key={l}
                  type="button"
                  role="tab"
                  id={`kb-tab-${l}`}
                  aria-selected={l === locale}
                  aria-controls="kb-tabpanel"
                  className={l === locale ? `kb-lang-tab active kb-lang-${state}` : `kb-lang-tab kb-lang-${state}`}
                  onClick={() => setLocale(l)}
                  title={state === "changed" ? t("kb.editor.unsaved") : state === "missing" ? t("kb.editor.missing") : undefined}
                  data-testid={`kb-tab-${l}`}
                  data-state={state}
                >
                  <span className="kb-lang-dot" aria-hidden="true" />
                  {t(`locales.${l}`)}
                  {state !== "written" && <span className="sr-only">({state === "changed" ? t("kb.editor.unsaved") : t("kb.editor.missing")})</span>}
                </button>
              );
            })}
          </div>
          <div className="kb-editor-panes" id="kb-tabpanel" role="tabpanel" aria-labelledby={`kb-tab-${locale}`}>
            <div className="kb-write card">
              <div className="field">
                <label htmlFor="kb-title-input">{t("kb.editor.articleTitle")}</label>
                <input
                  id="kb-title-input"
                  lang={locale}
                  value={drafts[locale].title}
                  maxLength={TITLE_MAX + 50}
                  placeholder={t("kb.editor.titlePlaceholder")}
                  aria-invalid={problem && "locale" in problem && problem.locale === locale && problem.kind.startsWith("title") ? true : undefined}
                  onChange={(e) => setDrafts((d) => ({ ...d, [locale]: { ...d[locale], title: e.target.value } }))}
                  data-testid="kb-title"
                />
              </div>
              <div className="field kb-body-field">
                <label htmlFor="kb-body-input">{t("kb.editor.body")}</label>
                <textarea
                  id="kb-body-input"
                  lang={locale}
                  value={drafts[locale].body_md}
                  rows={18}
                  spellCheck
                  placeholder={t("kb.editor.bodyPlaceholder")}
                  aria-describedby="kb-md-hint"
                  onChange={(e) => setDrafts((d) => ({ ...d, [locale]: { ...d[locale], body_md: e.target.value } }))}
                  data-testid="kb-body"
                />
                <p className="hint" id="kb-md-hint">
                  {t("kb.editor.markdownHint")}
                </p>
              </div>
            </div>
            <Preview
              title={drafts[locale].title}
              body={drafts[locale].body_md}
              locale={locale}
              savedHtml={tr && tr.body_md === drafts[locale].body_md ? tr.body_html : undefined}
            />
          </div>
        </div>

        <aside className="kb-editor-side" aria-label={t("kb.editor.settings")}>
          <div className="card">
            <h2 className="card-title">{t("kb.editor.settings")}</h2>
            <div className="field">
              <label htmlFor="kb-section">{t("kb.editor.section")}</label>
              <select
                id="kb-section"
                value={sectionId ?? ""}
                onChange={(e) => setSectionId(e.target.value ? Number(e.target.value) : null)}
                data-testid="kb-section-select"
              >
                <option value="">{t("kb.editor.chooseSection")}</option>
                {categories.map((c) => (
                  <optgroup key={c.id} label={pickName(c.names, i18n.language)}>
                    {c.sections.map((s) => (
                      <option key={s.id} value={s.id}>
                        {pickName(s.names, i18n.language)}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            </div>
            <TagsEditor tags={tags} onChange={setTags} />
          </div>
          {article && (
            <div className="card" data-testid="kb-figures">
              <h2 className="card-title">{t("kb.editor.figures")}</h2>
              <dl className="kb-figures">
                <div>
                  <dt>{t("kb.editor.views")}</dt>
                  <dd data-testid="kb-views">{(article.views ?? 0).toLocaleString(i18n.language)}</dd>
                </div>
                <div>
                  <dt>{t("kb.editor.helpful")}</dt>
                  <dd>
                    {helpfulPercent(article.helpful_yes, article.helpful_no) === null ? "—" : `${helpfulPercent(article.helpful_yes, article.helpful_no)}%`}
                    <span className="muted small"> {t("kb.editor.helpfulCount", { yes: article.helpful_yes ?? 0, no: article.helpful_no ?? 0 })}</span>
                  </dd>
                </div>
              </dl>
              {article.source_topic_id && (
                <p className="small kb-from-topic">
                  {t("kb.editor.fromTopic")}{" "}
                  <a href={`/community/topics/${article.source_topic_id}`} onClick={linkClick}>
                    {t("kb.editor.openTopic")}
                  </a>
                </p>
              )}
            </div>
          )}
          {article && (
            <Versions
              articleId={article.id}
              locale={locale}
              current={article.translations[locale]?.revision ?? null}
              tick={versionsTick}
              onUse={(v) => {
                setDrafts((d) => ({ ...d, [locale]: { title: v.title, body_md: v.body_md } }));
                setNotice(t("kb.editor.usedText", { revision: v.revision }));
              }}
            />
          )}
        </aside>
      </div>
      {deleting && article && (
        <ConfirmDialog
          title={t("kb.editor.confirmDelete", { title: heading })}
          confirmLabel={t("kb.editor.deleteYes")}
          busyLabel={t("kb.editor.deleting")}
          busy={deleteBusy}
          onConfirm={() => void remove()}
          onCancel={() => setDeleting(false)}
          testId="kb-article-delete-dialog"
        >
          <p>{t("kb.editor.confirmDeleteText")}</p>
          <ErrorBanner error={deleteError} />
        </ConfirmDialog>
      )}
    </section>
  );
}

function problemMessage(t: (k: string, o?: Record<string, unknown>) => string, p: ArticleProblem): string {
  const language = "locale" in p ? t(`locales.${p.locale}`) : "";
  return t(`kb.editor.problems.${p.kind}`, { language, tag: "tag" in p ? p.tag : "" });
}

/** The server's rendering of the Markdown, asked for a moment after typing stops. */
function Preview({ title, body, locale, savedHtml }: { title: string; body: string; locale: Locale; savedHtml?: string }) {
  const { t } = useTranslation();
  const [html, setHtml] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);
  const asked = useRef(0);
  useEffect(() => {
    const n = ++asked.current;
    // The saved text comes rendered with the article: no need to ask.
    if (typeof savedHtml === "string") {
      setHtml(savedHtml);
      setPending(false);
      setFailed(false);
      return;
    }
    if (!body.trim()) {
      setHtml("");
      setPending(false);
      setFailed(false);
      return;
    }
    setPending(true);
    const timer = setTimeout(() => {
      kbApi
        .preview(body)
        .then((r) => {
          if (n !== asked.current) return;
          setHtml(typeof r.body_html === "string" ? r.body_html : "");
          setFailed(false);
        })
        .catch(() => n === asked.current && setFailed(true))
        .finally(() => n === asked.current && setPending(false));
    }, PREVIEW_MS);
    return () => clearTimeout(timer);
  }, [body, savedHtml]);
  return (
    <div className="kb-preview card" aria-live="off" data-testid="kb-preview">
      <div className="kb-preview-head">
        <h2 className="card-title">{t("kb.editor.preview")}</h2>
        {pending && <span className="muted small" data-testid="kb-preview-pending">{t("kb.editor.previewing")}</span>}
      </div>
      {failed && (
        <div className="banner banner-warn" role="status">
          {t("kb.editor.previewFailed")}
        </div>
      )}
      <article className="kb-preview-doc" lang={locale}>
        {title.trim() && <h1 className="kb-preview-title">{title}</h1>}
        {html ? (
          <SafeHtml html={html} className="md" testId="kb-preview-body" />
        ) : (
          !body.trim() && <p className="muted">{t("kb.editor.previewEmpty")}</p>
        )}
      </article>
    </div>
  );
}

function TagsEditor({ tags, onChange }: { tags: string[]; onChange: (t: string[]) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  function add() {
    const v = cleanTag(text);
    setText("");
    if (!v || tags.includes(v) || tags.length >= TAGS_MAX) return;
    onChange([...tags, v.slice(0, TAG_MAX)]);
  }
  return (
    <div className="field">
      <label htmlFor="kb-tags">{t("kb.editor.tags")}</label>
      <ul className="tags" data-testid="kb-tags">
        {tags.length === 0 && <li className="muted small">{t("kb.editor.noTags")}</li>}
        {tags.map((tag) => (
          <li key={tag} className="tag">
            <span className="tag-text">{tag}</span>
            <button type="button" className="tag-x" aria-label={t("kb.editor.removeTag", { tag })} onClick={() => onChange(tags.filter((x) => x !== tag))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <input
        id="kb-tags"
        value={text}
        maxLength={TAG_MAX + 10}
        placeholder={t("kb.editor.addTag")}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" || e.key === ",") {
            e.preventDefault();
            add();
          }
        }}
        onBlur={add}
        data-testid="kb-tag-input"
      />
    </div>
  );
}

function Versions(props: { articleId: number; locale: Locale; current: number | null; tick: number; onUse: (v: ArticleVersion) => void }) {
  const { t } = useTranslation();
  const [versions, setVersions] = useState<ArticleVersion[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<number | null>(null);
  const { articleId, locale, tick } = props;
  useEffect(() => {
    let live = true;
    setError(null);
    setVersions(null);
    setOpen(null);
    kbApi
      .versions(articleId, locale)
      .then((r) => live && setVersions(r.versions ?? []))
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [articleId, locale, tick]);
  return (
    <div className="card kb-versions" data-testid="kb-versions">
      <h2 className="card-title">{t("kb.editor.versionsIn", { language: t(`locales.${locale}`) })}</h2>
      {error ? (
        <p className="small kb-error-text">{errorMessage(t, error)}</p>
      ) : versions === null ? (
        <p className="muted small">{t("app.loading")}</p>
      ) : versions.length === 0 ? (
        <p className="muted small" data-testid="kb-versions-empty">
          {t("kb.editor.noVersions")}
        </p>
      ) : (
        <ol className="kb-version-list">
          {versions.map((v) => (
            <li key={`${v.locale}-${v.revision}`} className="kb-version" data-testid="kb-version" data-revision={v.revision}>
              <div className="kb-version-row">
                <span className="kb-version-rev">{t("kb.editor.revision", { revision: v.revision })}</span>
                {v.revision === props.current && <span className="kb-version-current">{t("kb.editor.current")}</span>}
                <button
                  type="button"
                  className="btn btn-small btn-ghost kb-version-toggle"
                  aria-expanded={open === v.revision}
                  onClick={() => setOpen((o) => (o === v.revision ? null : v.revision))}
                  data-testid="kb-version-view"
                >
                  {open === v.revision ? t("kb.editor.hideVersion") : t("kb.editor.view")}
                </button>
              </div>
              <div className="muted small">
                {v.author?.name ?? t("kb.editor.unknownAuthor")} · <RelTime iso={v.created_at} />
              </div>
              {open === v.revision && (
                <div className="kb-version-text" data-testid="kb-version-text">
                  <div className="kb-version-title" lang={v.locale}>
                    {v.title}
                  </div>
                  <pre lang={v.locale}>{v.body_md}</pre>
                  {v.revision !== props.current && (
                    <button type="button" className="btn btn-small" onClick={() => props.onUse(v)} data-testid="kb-version-use">
                      {t("kb.editor.useText")}
                    </button>
                  )}
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
