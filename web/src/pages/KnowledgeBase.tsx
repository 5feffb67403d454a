// Knowledge base (/kb, /kb/sections/{id}): the figures, the tree of categories and sections
// (add, rename in each language, delete) and the chosen section's articles. Articles open
// in the editor (ArticleEditor.tsx). Loaded on demand from App.tsx.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, LOCALES, type Locale } from "../api";
import { kbApi, type ArticleStatus, type ArticleSummary, type KbCategory, type KbSection, type KbStats, type Names } from "../kbApi";
import { linkClick, navigate } from "../lib/router";
import { useSession } from "../state";
import { helpfulPercent, localesOf, pickName } from "../lib/kb";
import { errorMessage } from "../lib/errors";
import { ErrorBanner, RelTime, Spinner } from "../components/bits";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { addKbDictionaries } from "../i18n/kb";
import "./kb.css";

addKbDictionaries();

const PAGE = 50;
const NAME_MAX = 100;

export default function KnowledgeBasePage({ sectionId }: { sectionId: number | null }) {
  const { t, i18n } = useTranslation();
  const [categories, setCategories] = useState<KbCategory[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  // Reloads can overlap (a save while a retry is on its way): only the newest one's answer counts.
  const loads = useRef(0);
  const load = useCallback(() => {
    const n = ++loads.current;
    setError(null);
    return kbApi
      .categories()
      .then((r) => {
        if (n === loads.current) setCategories(sortTree(r.categories ?? []));
      })
      .catch((e) => {
        if (n === loads.current) setError(e);
      });
  }, []);
  useEffect(() => void load(), [load]);

  // Without a section in the address, show the first one there is.
  useEffect(() => {
    if (sectionId !== null || !categories) return;
    const first = categories.flatMap((c) => c.sections)[0];
    if (first) navigate(`/kb/sections/${first.id}`, true);
  }, [sectionId, categories]);

  const section = categories?.flatMap((c) => c.sections).find((s) => s.id === sectionId) ?? null;
  const category = section ? categories?.find((c) => c.id === section.category_id) ?? null : null;

  return (
    <section className="kb page-pad" aria-labelledby="kb-title">
      <div className="kb-head">
        <div>
          <h1 id="kb-title">{t("kb.title")}</h1>
          <p className="muted">{t("kb.intro")}</p>
        </div>
      </div>
      <StatsStrip />
      <ErrorBanner error={error} onRetry={() => void load()} />
      {categories === null ? (
        !error && <Spinner />
      ) : (
        <div className="kb-layout">
          <CategoryTree categories={categories} selected={sectionId} reload={load} />
          <div className="kb-main">
            {section && category ? (
              <ArticleList key={section.id} section={section} categoryName={pickName(category.names, i18n.language)} />
            ) : (
              <div className="card kb-choose">
                <div className="empty-state">
                  <span className="empty-icon" aria-hidden="true">
                    ☰
                  </span>
                  <p>{categories.length === 0 ? t("kb.tree.empty") : t("kb.list.chooseSection")}</p>
                </div>
              </div>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

function sortTree(categories: KbCategory[]): KbCategory[] {
  const byPos = <T extends { position: number; id: number }>(a: T, b: T) => a.position - b.position || a.id - b.id;
  return [...categories].sort(byPos).map((c) => ({ ...c, sections: [...(c.sections ?? [])].sort(byPos) }));
}

// ---------------------------------------------------------------- figures

function StatsStrip() {
  const { t, i18n } = useTranslation();
  const [stats, setStats] = useState<KbStats | null>(null);
  useEffect(() => {
    let live = true;
    kbApi
      .stats()
      .then((s) => live && setStats(s))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  const n = (v: number | undefined) => (typeof v === "number" ? v.toLocaleString(i18n.language) : t("kb.stats.none"));
  const pct = stats ? helpfulPercent(stats.helpful_yes, stats.helpful_no) : null;
  const items: { key: string; label: string; value: string; hint?: string; sub?: string }[] = [
    { key: "articles", label: t("kb.stats.articles"), value: n(stats?.articles) },
    { key: "published", label: t("kb.stats.published"), value: n(stats?.published) },
    { key: "views", label: t("kb.stats.views"), value: n(stats?.views) },
    {
      key: "helpful",
      label: t("kb.stats.helpful"),
      value: pct === null ? t("kb.stats.none") : `${pct}%`,
      sub: stats ? t("kb.editor.helpfulCount", { yes: n(stats.helpful_yes), no: n(stats.helpful_no) }) : undefined,
    },
    { key: "deflections", label: t("kb.stats.deflections"), value: n(stats?.deflections), hint: t("kb.stats.deflectionsHint") },
    { key: "suggestions", label: t("kb.stats.suggestions"), value: n(stats?.suggestions_shown), hint: t("kb.stats.suggestionsHint") },
  ];
  return (
    <dl className="kb-stats" aria-label={t("kb.stats.label")} data-testid="kb-stats">
      {items.map((it) => (
        <div key={it.key} className="kb-stat" title={it.hint} data-testid={`kb-stat-${it.key}`}>
          <dt>{it.label}</dt>
          <dd>
            <span className="kb-stat-value">{it.value}</span>
            {it.sub && <span className="kb-stat-sub">{it.sub}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

// ---------------------------------------------------------------- the tree

type Editing =
  | { kind: "newCategory" }
  | { kind: "newSection"; categoryId: number }
  | { kind: "category"; id: number }
  | { kind: "section"; id: number }
  | null;

type Deleting = { kind: "category" | "section"; id: number; name: string } | null;

function CategoryTree({ categories, selected, reload }: { categories: KbCategory[]; selected: number | null; reload: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  // Only admins delete categories and sections (the server says so too).
  const canDelete = useSession().session.agent.role === "admin";
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Deleting>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const name = (names: Names) => pickName(names, i18n.language) || t("kb.tree.untitled");

  async function save(names: Names) {
    const e = editing;
    if (!e) return;
    setProblem(null);
    let saved: { names: Names; id: number };
    if (e.kind === "newCategory") saved = await kbApi.createCategory(names, (categories.at(-1)?.position ?? 0) + 1);
    else if (e.kind === "newSection") {
      const cat = categories.find((c) => c.id === e.categoryId);
      saved = await kbApi.createSection(e.categoryId, names, (cat?.sections.at(-1)?.position ?? 0) + 1);
    } else if (e.kind === "category") saved = await kbApi.updateCategory(e.id, { names });
    else saved = await kbApi.updateSection(e.id, { names });
    // The tree first, then the notice: "saved" never shows beside the old name.
    await reload();
    setNotice(t(e.kind === "newCategory" || e.kind === "newSection" ? "kb.tree.added" : "kb.tree.saved", { name: name(saved.names ?? names) }));
    setEditing(null);
    if (e.kind === "newSection") navigate(`/kb/sections/${saved.id}`);
  }

  async function confirmDelete() {
    if (!deleting) return;
    setDeleteBusy(true);
    setDeleteError(null);
    try {
      if (deleting.kind === "category") await kbApi.deleteCategory(deleting.id);
      else await kbApi.deleteSection(deleting.id);
      await reload();
      setNotice(t("kb.tree.deleted", { name: deleting.name }));
      if (deleting.kind === "section" && deleting.id === selected) navigate("/kb", true);
      setDeleting(null);
    } catch (err) {
      if (err instanceof ApiError && err.code === "conflict") {
        setProblem(t(deleting.kind === "category" ? "kb.tree.categoryHasSections" : "kb.tree.sectionHasArticles", { name: deleting.name }));
        setDeleting(null);
      } else setDeleteError(err);
    } finally {
      setDeleteBusy(false);
    }
  }

  const form = (initial: Names, legend: string) => (
    <NamesForm initial={initial} legend={legend} onSave={save} onCancel={() => setEditing(null)} />
  );

  return (
    <nav className="card kb-tree" aria-labelledby="kb-tree-title" data-testid="kb-tree">
      <div className="kb-tree-head">
        <h2 id="kb-tree-title" className="card-title">
          {t("kb.tree.title")}
        </h2>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            setNotice(null);
            setEditing({ kind: "newCategory" });
          }}
          data-testid="kb-add-category"
        >
          + {t("kb.tree.addCategory")}
        </button>
      </div>
      {notice && (
        <div className="banner banner-ok" role="status" data-testid="kb-tree-notice">
          <span>{notice}</span>
        </div>
      )}
      {problem && (
        <div className="banner banner-error" role="alert" data-testid="kb-tree-problem">
          <span>{problem}</span>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setProblem(null)}>
            {t("app.dismiss")}
          </button>
        </div>
      )}
      {editing?.kind === "newCategory" && form({}, t("kb.tree.newCategory"))}
      <ul className="kb-cats">
        {categories.map((c) => (
          <li key={c.id} className="kb-cat" data-testid="kb-category" data-category-id={c.id}>
            {editing?.kind === "category" && editing.id === c.id ? (
              form(c.names, t("kb.tree.editCategory"))
            ) : (
              <div className="kb-row kb-cat-row">
                <span className="kb-cat-name" data-testid="kb-category-name">
                  {name(c.names)}
                </span>
                <LocaleDots names={c.names} />
                <span className="kb-row-actions">
                  <button
                    type="button"
                    className="icon-btn"
                    title={t("kb.tree.addSectionTo", { name: name(c.names) })}
                    aria-label={t("kb.tree.addSectionTo", { name: name(c.names) })}
                    onClick={() => {
                      setNotice(null);
                      setEditing({ kind: "newSection", categoryId: c.id });
                    }}
                    data-testid="kb-add-section"
                  >
                    +
                  </button>
                  <button
                    type="button"
                    className="icon-btn"
                    title={t("kb.tree.renameLabel", { name: name(c.names) })}
                    aria-label={t("kb.tree.renameLabel", { name: name(c.names) })}
                    onClick={() => setEditing({ kind: "category", id: c.id })}
                    data-testid="kb-rename-category"
                  >
                    ✎
                  </button>
                  {canDelete && (
                    <button
                      type="button"
                      className="icon-btn icon-btn-danger"
                      title={t("kb.tree.deleteLabel", { name: name(c.names) })}
                      aria-label={t("kb.tree.deleteLabel", { name: name(c.names) })}
                      onClick={() => {
                        setDeleteError(null);
                        setDeleting({ kind: "category", id: c.id, name: name(c.names) });
                      }}
                      data-testid="kb-delete-category"
                    >
                      ×
                    </button>
                  )}
                </span>
              </div>
            )}
            <ul className="kb-secs">
              {c.sections.length === 0 && !(editing?.kind === "newSection" && editing.categoryId === c.id) && (
                <li className="muted small kb-secs-empty">{t("kb.tree.noSections")}</li>
              )}
              {c.sections.map((s) => (
                <li key={s.id} data-testid="kb-section" data-section-id={s.id}>
                  {editing?.kind === "section" && editing.id === s.id ? (
                    form(s.names, t("kb.tree.editSection"))
                  ) : (
                    <div className={s.id === selected ? "kb-row kb-sec-row active" : "kb-row kb-sec-row"}>
                      <a
                        href={`/kb/sections/${s.id}`}
                        onClick={linkClick}
                        className="kb-sec-link"
                        aria-current={s.id === selected ? "page" : undefined}
                        data-testid="kb-section-link"
                      >
                        {name(s.names)}
                      </a>
                      <LocaleDots names={s.names} />
                      <span className="kb-row-actions">
                        <button
                          type="button"
                          className="icon-btn"
                          title={t("kb.tree.renameLabel", { name: name(s.names) })}
                          aria-label={t("kb.tree.renameLabel", { name: name(s.names) })}
                          onClick={() => setEditing({ kind: "section", id: s.id })}
                          data-testid="kb-rename-section"
                        >
                          ✎
                        </button>
                        {canDelete && (
                          <button
                            type="button"
                            className="icon-btn icon-btn-danger"
                            title={t("kb.tree.deleteLabel", { name: name(s.names) })}
                            aria-label={t("kb.tree.deleteLabel", { name: name(s.names) })}
                            onClick={() => {
                              setDeleteError(null);
                              setDeleting({ kind: "section", id: s.id, name: name(s.names) });
                            }}
                            data-testid="kb-delete-section"
                          >
                            ×
                          </button>
                        )}
                      </span>
                    </div>
                  )}
                </li>
              ))}
              {editing?.kind === "newSection" && editing.categoryId === c.id && <li>{form({}, t("kb.tree.newSection"))}</li>}
            </ul>
          </li>
        ))}
      </ul>
      {deleting && (
        <ConfirmDialog
          title={t(deleting.kind === "category" ? "kb.tree.confirmDeleteCategory" : "kb.tree.confirmDeleteSection", { name: deleting.name })}
          confirmLabel={t("kb.tree.deleteYes")}
          busyLabel={t("kb.tree.deleting")}
          busy={deleteBusy}
          onConfirm={() => void confirmDelete()}
          onCancel={() => setDeleting(null)}
          testId="kb-delete-dialog"
        >
          <p>{t("kb.tree.deleteText")}</p>
          <ErrorBanner error={deleteError} />
        </ConfirmDialog>
      )}
    </nav>
  );
}

/** Small language marks showing which languages a name is written in. */
function LocaleDots({ names }: { names: Names }) {
  const { t } = useTranslation();
  const have = localesOf(names);
  return (
    <span className="kb-locales" aria-label={have.map((l) => t(`locales.${l}`)).join(", ")}>
      {LOCALES.map((l) => (
        <span key={l} className={have.includes(l) ? "kb-locale on" : "kb-locale"} aria-hidden="true">
          {l}
        </span>
      ))}
    </span>
  );
}

/** A name in each language; at least one is needed. */
export function NamesForm(props: { initial: Names; legend: string; onSave: (names: Names) => Promise<void>; onCancel: () => void }) {
  const { t, i18n } = useTranslation();
  const [names, setNames] = useState<Record<Locale, string>>(() => ({
    en: props.initial.en ?? "", ja: props.initial.ja ?? "", ko: props.initial.ko ?? "", vi: props.initial.vi ?? "",
  }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const first = useRef<HTMLInputElement>(null);
  // The agent's own language first: that is the one they are most likely to type.
  const order = [...LOCALES].sort((a, b) => (a === i18n.language ? -1 : b === i18n.language ? 1 : 0));
  useEffect(() => first.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const clean: Names = {};
    for (const l of LOCALES) if (names[l].trim()) clean[l] = names[l].trim();
    if (Object.keys(clean).length === 0) return setError(t("kb.tree.nameRequired"));
    if (Object.values(clean).some((v) => [...v].length > NAME_MAX)) return setError(t("kb.tree.nameTooLong"));
    setBusy(true);
    setError(null);
    try {
      await props.onSave(clean);
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="kb-names-form" onSubmit={submit} onKeyDown={(e) => e.key === "Escape" && props.onCancel()} data-testid="kb-names-form">
      <fieldset className="field">
        <legend>{props.legend}</legend>
        {order.map((l, i) => (
          <div key={l} className="kb-name-input">
            <label htmlFor={`${id}-${l}`} className="kb-name-lang">
              {l.toUpperCase()}
            </label>
            <input
              id={`${id}-${l}`}
              ref={i === 0 ? first : undefined}
              lang={l}
              value={names[l]}
              maxLength={NAME_MAX + 20}
              aria-label={t("kb.tree.nameIn", { language: t(`locales.${l}`) })}
              placeholder={t(`locales.${l}`)}
              onChange={(e) => setNames((n) => ({ ...n, [l]: e.target.value }))}
              data-testid={`kb-name-${l}`}
            />
          </div>
        ))}
        <p className="hint">{t("kb.tree.namesHint")}</p>
      </fieldset>
      {error && (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      )}
      <div className="btn-row">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy} data-testid="kb-names-save">
          {busy ? t("kb.tree.saving") : t("kb.tree.save")}
        </button>
        <button type="button" className="btn btn-small" onClick={props.onCancel} disabled={busy}>
          {t("app.cancel")}
        </button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------- articles

function ArticleList({ section, categoryName }: { section: KbSection; categoryName: string }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<ArticleStatus | "">("");
  const [articles, setArticles] = useState<ArticleSummary[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const gen = useRef(0);
  const sectionName = pickName(section.names, i18n.language) || t("kb.tree.untitled");

  const load = useCallback(() => {
    const n = ++gen.current;
    setArticles(null);
    setError(null);
    kbApi
      .articles({ section_id: section.id, status: status || undefined, limit: PAGE })
      .then((r) => {
        if (n !== gen.current) return;
        setArticles(r.articles ?? []);
        setNext(r.next ?? null);
      })
      .catch((e) => n === gen.current && setError(e));
  }, [section.id, status]);
  useEffect(load, [load]);

  async function more() {
    if (next === null) return;
    const n = gen.current;
    setLoadingMore(true);
    try {
      const r = await kbApi.articles({ section_id: section.id, status: status || undefined, after: next, limit: PAGE });
      if (n !== gen.current) return;
      setArticles((a) => [...(a ?? []), ...(r.articles ?? [])]);
      setNext(r.next ?? null);
    } catch (e) {
      if (n === gen.current) setError(e);
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <div className="card kb-articles" data-testid="kb-articles">
      <div className="kb-articles-head">
        <div>
          <div className="muted small">{categoryName}</div>
          <h2 data-testid="kb-section-title">{sectionName}</h2>
        </div>
        <div className="kb-articles-tools">
          <label className="inline-field">
            {t("kb.list.show")}
            <select value={status} onChange={(e) => setStatus(e.target.value as ArticleStatus | "")} data-testid="kb-status-filter">
              <option value="">{t("kb.list.all")}</option>
              <option value="draft">{t("kb.list.drafts")}</option>
              <option value="published">{t("kb.list.published")}</option>
            </select>
          </label>
          <a className="btn btn-primary" href={`/kb/articles/new?section_id=${section.id}`} onClick={linkClick} data-testid="kb-new-article">
            + {t("kb.list.newArticle")}
          </a>
        </div>
      </div>
      <ErrorBanner error={error} onRetry={load} />
      {articles === null ? (
        !error && <Spinner />
      ) : articles.length === 0 ? (
        <div className="empty-state" data-testid="kb-articles-empty">
          <span className="empty-icon" aria-hidden="true">
            ✎
          </span>
          <p>{t("kb.list.empty")}</p>
          <p className="muted small">{t("kb.list.emptyHint")}</p>
        </div>
      ) : (
        <>
          <table className="kb-table" aria-label={t("kb.tree.articlesIn", { name: sectionName })}>
            <thead>
              <tr>
                <th scope="col">{t("kb.list.articleTitle")}</th>
                <th scope="col">{t("kb.list.status")}</th>
                <th scope="col">{t("kb.list.languages")}</th>
                <th scope="col" className="num">
                  {t("kb.list.helpful")}
                </th>
                <th scope="col" className="num">
                  {t("kb.list.views")}
                </th>
                <th scope="col" className="num">
                  {t("kb.list.updated")}
                </th>
              </tr>
            </thead>
            <tbody>
              {articles.map((a) => {
                const pct = helpfulPercent(a.helpful_yes, a.helpful_no);
                const title = pickName(a.titles, i18n.language);
                return (
                  <tr key={a.id} data-testid="kb-article-row" data-article-id={a.id}>
                    <td className="kb-title-cell">
                      <a href={`/kb/articles/${a.id}`} onClick={linkClick} data-testid="kb-article-link">
                        {title || <span className="muted">{t("kb.list.noTitle")}</span>}
                      </a>
                      {a.tags?.length > 0 && (
                        <span className="kb-tags-inline">
                          {a.tags.slice(0, 4).map((tag) => (
                            <span key={tag} className="kb-tag-mini">
                              {tag}
                            </span>
                          ))}
                        </span>
                      )}
                    </td>
                    <td>
                      <StatusBadge status={a.status} />
                    </td>
                    <td>
                      <LocaleDots names={a.titles} />
                    </td>
                    <td className="num" title={t("kb.editor.helpfulCount", { yes: a.helpful_yes, no: a.helpful_no })}>
                      {pct === null ? (
                        <span className="muted small">{t("kb.list.noVotes")}</span>
                      ) : (
                        <span className={pct >= 70 ? "kb-helpful good" : pct >= 40 ? "kb-helpful fair" : "kb-helpful poor"}>
                          {t("kb.list.helpfulOf", { percent: pct, count: a.helpful_yes + a.helpful_no })}
                        </span>
                      )}
                    </td>
                    <td className="num">{(a.views ?? 0).toLocaleString(i18n.language)}</td>
                    <td className="num muted small">
                      <RelTime iso={a.updated_at} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {next !== null && (
            <div className="kb-more">
              <button type="button" className="btn" onClick={() => void more()} disabled={loadingMore}>
                {loadingMore ? t("app.loading") : t("kb.list.loadMore")}
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`kb-status kb-status-${status}`} data-testid="kb-status">
      {t(`kb.status.${status}`, { defaultValue: status })}
    </span>
  );
}
