// The knowledge base in the help centre: home (search and categories), category and section
// pages, an article with breadcrumbs, its languages, related articles and "Was this helpful?",
// and search results with highlighted matches.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, portalApi, type KbArticle, type KbArticleLink, type KbCategory, type KbSection, type KbTree, type PortalSession, type SearchResult } from "./api";
import { isPortalLocale } from "./i18n";
import { helpPaths, portalLinkClick as linkClick, portalNavigate, useQueryParams } from "./routes";
import { Highlighted, segmentsText } from "../lib/segments";
import { SafeHtml } from "../lib/safeHtml";
import { Alert, errorText, Loading, PageHeading, StatusBadge, useDateFormat } from "./ui";

/** Articles listed per section on the home page before "See all". */
const HOME_ARTICLES_PER_SECTION = 5;

// ------------------------------------------------------------------ data

/** How long the tree is reused while moving between pages before it is asked for again. */
const TREE_TTL_MS = 60_000;
const trees = new Map<string, { at: number; tree: Promise<KbTree> }>();

/** The published categories, sections and article titles in `locale`. */
function loadTree(ws: string, locale: string): Promise<KbTree> {
  const key = `${ws}\n${locale}`;
  const cached = trees.get(key);
  if (cached && Date.now() - cached.at < TREE_TTL_MS) return cached.tree;
  const tree = portalApi.kb(ws, locale).catch((e) => {
    trees.delete(key);
    // A help centre without a knowledge base yet is an empty one, not an error.
    if (e instanceof ApiError && e.status === 404) return { categories: [] };
    throw e;
  });
  trees.set(key, { at: Date.now(), tree });
  return tree;
}

function useKbTree(ws: string) {
  const { i18n: inst } = useTranslation();
  const locale = inst.language;
  const [state, setState] = useState<{ tree: KbTree | null; error: unknown; locale: string }>({ tree: null, error: null, locale });
  const load = useCallback(() => {
    let live = true;
    loadTree(ws, locale).then(
      (tree) => live && setState({ tree, error: null, locale }),
      (error) => live && setState({ tree: null, error, locale }),
    );
    return () => {
      live = false;
    };
  }, [ws, locale]);
  useEffect(load, [load]);
  // While another language loads, keep showing the last one rather than a blank page.
  return { tree: state.tree, error: state.error, reload: load };
}

function useDocumentTitle(title: string | null | undefined) {
  const { t } = useTranslation();
  useEffect(() => {
    if (title) document.title = `${title} · ${t("app.helpCentre")}`;
  }, [title, t]);
}

// ------------------------------------------------------------------ pieces

/** The search form: big on the home page, compact above other pages. */
export function SearchBox({ ws, initial = "", big = false }: { ws: string; initial?: string; big?: boolean }) {
  const { t } = useTranslation();
  const [q, setQ] = useState(initial);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  useEffect(() => setQ(initial), [initial]);
  function submit(e: FormEvent) {
    e.preventDefault();
    const text = q.trim();
    if (!text) {
      input.current?.focus();
      return;
    }
    portalNavigate(helpPaths(ws).search(text));
  }
  return (
    <form role="search" className={big ? "p-search p-search-big" : "p-search"} onSubmit={submit} data-testid="kb-search-form">
      <label htmlFor={id} className="sr-only">
        {t("kb.searchLabel")}
      </label>
      <svg className="p-search-icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
        <circle cx="8.5" cy="8.5" r="5.75" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="M13 13l4.5 4.5" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
      </svg>
      <input
        id={id}
        ref={input}
        type="search"
        enterKeyHint="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder={t("kb.searchPlaceholder")}
        maxLength={200}
        autoComplete="off"
        data-testid="kb-search"
      />
      <button type="submit" className="p-btn p-btn-primary" data-testid="kb-search-submit">
        {t("kb.searchButton")}
      </button>
    </form>
  );
}

/** Where the page sits: every level above it is a link; an item without one is the page itself. */
function Breadcrumbs({ items }: { items: { label: string; href?: string; lang?: string }[] }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t("kb.breadcrumb")} className="p-crumbs" data-testid="breadcrumbs">
      <ol>
        {items.map((c, i) => (
          <li key={i}>
            {c.href ? (
              <a href={c.href} onClick={linkClick} lang={c.lang}>
                {c.label}
              </a>
            ) : (
              <span aria-current="page" lang={c.lang}>
                {c.label}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

function ArticleList({ ws, articles, testId }: { ws: string; articles: KbArticleLink[]; testId?: string }) {
  const paths = helpPaths(ws);
  return (
    <ul className="p-article-list" data-testid={testId}>
      {articles.map((a) => (
        <li key={a.id}>
          <a href={paths.article(a.id)} onClick={linkClick} lang={a.locale} data-testid="article-link">
            {a.title}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** "Still need help?": the community and a request, offered wherever an answer may be missing. */
function MoreHelp({ ws, title }: { ws: string; title?: string }) {
  const { t } = useTranslation();
  const paths = helpPaths(ws);
  return (
    <section className="p-more-help" aria-labelledby="more-help-title">
      <h2 id="more-help-title">{title ?? t("kb.stillNeedHelp")}</h2>
      <div className="p-cta-row">
        <a className="p-cta" href={paths.community()} onClick={linkClick} data-testid="cta-community">
          <span className="p-cta-icon" aria-hidden="true">
            ✦
          </span>
          <span className="p-cta-text">
            <strong>{t("kb.communityTitle")}</strong>
            <span>{t("kb.communityText")}</span>
          </span>
        </a>
        <a className="p-cta" href={paths.newRequest} onClick={linkClick} data-testid="cta-request">
          <span className="p-cta-icon" aria-hidden="true">
            ✉
          </span>
          <span className="p-cta-text">
            <strong>{t("kb.requestTitle")}</strong>
            <span>{t("kb.requestText")}</span>
          </span>
        </a>
      </div>
    </section>
  );
}

function NotFoundCard({ ws, text }: { ws: string; text: string }) {
  const { t } = useTranslation();
  return (
    <div className="p-card p-narrow" data-testid="kb-not-found">
      <PageHeading>{text}</PageHeading>
      <p>
        <a href={helpPaths(ws).home} onClick={linkClick}>
          {t("app.backHome")}
        </a>
      </p>
    </div>
  );
}

function findSection(tree: KbTree, id: number): { category: KbCategory; section: KbSection } | null {
  for (const category of tree.categories)
    for (const section of category.sections) if (section.id === id) return { category, section };
  return null;
}

// ------------------------------------------------------------------ home

export function KbHome({ ws }: { ws: string }) {
  const { t } = useTranslation();
  const { tree, error, reload } = useKbTree(ws);
  const paths = helpPaths(ws);
  const categories = tree?.categories.filter((c) => c.sections.some((s) => s.articles.length)) ?? [];
  return (
    <>
      <section className="p-hero p-hero-search">
        <PageHeading>{t("home.title")}</PageHeading>
        <p>{t("kb.heroIntro")}</p>
        <SearchBox ws={ws} big />
      </section>
      {error || !tree ? <Loading error={error} retry={reload} className="p-card" /> : null}
      {tree && categories.length > 0 && (
        <section aria-labelledby="kb-categories-title">
          <h2 id="kb-categories-title" className="p-section-title">
            {t("kb.browse")}
          </h2>
          <div className="p-categories" data-testid="kb-categories">
            {categories.map((c) => (
              <section key={c.id} className="p-card p-category" data-testid="kb-category">
                <h3 className="p-category-name">
                  <a href={paths.category(c.id)} onClick={linkClick}>
                    {c.name}
                  </a>
                </h3>
                {c.sections
                  .filter((s) => s.articles.length)
                  .map((s) => (
                    <div key={s.id} className="p-home-section">
                      <h4>
                        <a href={paths.section(s.id)} onClick={linkClick} data-testid="section-link">
                          {s.name}
                        </a>
                      </h4>
                      <ArticleList ws={ws} articles={s.articles.slice(0, HOME_ARTICLES_PER_SECTION)} />
                      {s.articles.length > HOME_ARTICLES_PER_SECTION && (
                        <a href={paths.section(s.id)} onClick={linkClick} className="p-see-all">
                          {t("kb.seeAll", { count: s.articles.length })}
                        </a>
                      )}
                    </div>
                  ))}
              </section>
            ))}
          </div>
        </section>
      )}
      {tree && categories.length === 0 && (
        <p className="p-muted p-kb-empty" data-testid="kb-empty">
          {t("kb.empty")}
        </p>
      )}
      <MoreHelp ws={ws} title={t("kb.otherWays")} />
    </>
  );
}

// ------------------------------------------------------------------ category and section

export function CategoryPage({ ws, id }: { ws: string; id: number }) {
  const { t } = useTranslation();
  const { tree, error, reload } = useKbTree(ws);
  const paths = helpPaths(ws);
  const category = tree?.categories.find((c) => c.id === id) ?? null;
  useDocumentTitle(category?.name);
  if (error || !tree) return <Loading error={error} retry={reload} className="p-card" />;
  if (!category) return <NotFoundCard ws={ws} text={t("kb.pageNotFound")} />;
  return (
    <>
      <div className="p-subsearch">
        <SearchBox ws={ws} />
      </div>
      <Breadcrumbs items={[{ label: t("app.helpCentre"), href: paths.home }, { label: category.name }]} />
      <div className="p-card">
        <PageHeading>{category.name}</PageHeading>
        {category.sections.length === 0 && <p className="p-muted">{t("kb.noArticles")}</p>}
        {category.sections.map((s) => (
          <section key={s.id} className="p-list-section">
            <h2>
              <a href={paths.section(s.id)} onClick={linkClick}>
                {s.name}
              </a>
            </h2>
            {s.articles.length ? <ArticleList ws={ws} articles={s.articles} /> : <p className="p-muted">{t("kb.noArticles")}</p>}
          </section>
        ))}
      </div>
      <MoreHelp ws={ws} />
    </>
  );
}

export function SectionPage({ ws, id }: { ws: string; id: number }) {
  const { t } = useTranslation();
  const { tree, error, reload } = useKbTree(ws);
  const paths = helpPaths(ws);
  const found = tree ? findSection(tree, id) : null;
  useDocumentTitle(found?.section.name);
  if (error || !tree) return <Loading error={error} retry={reload} className="p-card" />;
  if (!found) return <NotFoundCard ws={ws} text={t("kb.pageNotFound")} />;
  const { category, section } = found;
  return (
    <>
      <div className="p-subsearch">
        <SearchBox ws={ws} />
      </div>
      <Breadcrumbs
        items={[
          { label: t("app.helpCentre"), href: paths.home },
          { label: category.name, href: paths.category(category.id) },
          { label: section.name },
        ]}
      />
      <div className="p-card">
        <PageHeading>{section.name}</PageHeading>
        {section.articles.length ? (
          <ArticleList ws={ws} articles={section.articles} testId="section-articles" />
        ) : (
          <p className="p-muted">{t("kb.noArticles")}</p>
        )}
      </div>
      <MoreHelp ws={ws} />
    </>
  );
}

// ------------------------------------------------------------------ article

/** The article in the language asked for in the address, else the reader's. */
function articleLocale(params: URLSearchParams, fallback: string): string {
  const l = params.get("locale");
  return isPortalLocale(l) ? l : fallback;
}

export function ArticlePage({ ws, id }: { ws: string; id: number }) {
  const { t, i18n: inst } = useTranslation();
  const params = useQueryParams();
  const locale = articleLocale(params, inst.language);
  const fmt = useDateFormat();
  const paths = helpPaths(ws);
  const [article, setArticle] = useState<KbArticle | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    let live = true;
    setError(null);
    portalApi.article(ws, id, locale).then(
      (a) => live && setArticle(a),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [ws, id, locale]);
  useEffect(load, [load]);
  useDocumentTitle(article?.title);

  if (error instanceof ApiError && error.status === 404) return <NotFoundCard ws={ws} text={t("kb.articleNotFound")} />;
  if (error || !article) return <Loading error={error} retry={load} className="p-card" />;

  const crumbs: { label: string; href?: string; lang?: string }[] = [{ label: t("app.helpCentre"), href: paths.home }];
  for (const c of article.breadcrumbs ?? [])
    crumbs.push({ label: c.name, href: c.kind === "category" ? paths.category(c.id) : paths.section(c.id), lang: article.locale });
  const locales = (article.locales ?? []).filter(isPortalLocale);
  return (
    <>
      <div className="p-subsearch">
        <SearchBox ws={ws} />
      </div>
      <Breadcrumbs items={crumbs} />
      <article className="p-card p-article" aria-labelledby="article-title" data-testid="article" data-locale={article.locale}>
        <header className="p-article-head">
          <PageHeading className="p-article-title">
            <span id="article-title" lang={article.locale} data-testid="article-title">
              {article.title}
            </span>
          </PageHeading>
          <p className="p-article-meta">
            <span>{t("kb.updated", { date: fmt(article.updated_at) })}</span>
          </p>
          {locales.length > 1 && (
            <nav className="p-article-langs" aria-label={t("kb.otherLanguages")} data-testid="article-locales">
              <span className="p-article-langs-label">{t("kb.readIn")}</span>
              <ul>
                {locales.map((l) => (
                  <li key={l}>
                    {l === article.locale ? (
                      <span className="p-lang-chip p-lang-chip-current" aria-current="true" lang={l}>
                        {t(`locales.${l}`)}
                      </span>
                    ) : (
                      <a href={paths.article(article.id, l)} onClick={linkClick} className="p-lang-chip" lang={l} hrefLang={l}>
                        {t(`locales.${l}`)}
                      </a>
                    )}
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {article.locale !== locale && isPortalLocale(article.locale) && (
            <p className="p-article-fallback" data-testid="article-fallback">
              {t("kb.notInYourLanguage", { language: t(`locales.${locale}`), shown: t(`locales.${article.locale}`) })}
            </p>
          )}
        </header>
        <SafeHtml html={article.body_html} className="p-prose" lang={article.locale} testId="article-body" onLinkClick={linkClick} tableWrapClass="p-table-wrap" />
        <Feedback key={`${article.id}-${article.locale}`} ws={ws} id={article.id} />
      </article>
      {article.related?.length ? (
        <section className="p-card p-related" aria-labelledby="related-title" data-testid="related">
          <h2 id="related-title">{t("kb.related")}</h2>
          <ArticleList ws={ws} articles={article.related} />
        </section>
      ) : null}
      <MoreHelp ws={ws} />
    </>
  );
}

/** "Was this article helpful? Yes / No", then thanks (the vote is anonymous). */
function Feedback({ ws, id }: { ws: string; id: number }) {
  const { t } = useTranslation();
  const [state, setState] = useState<"ask" | "sending" | "yes" | "no">("ask");
  const [error, setError] = useState<unknown>(null);
  const thanks = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state === "yes" || state === "no") thanks.current?.focus();
  }, [state]);

  async function vote(helpful: boolean) {
    setState("sending");
    setError(null);
    try {
      await portalApi.feedback(ws, id, helpful);
      setState(helpful ? "yes" : "no");
    } catch (e) {
      // Already counted today (or too many votes from here): thank them all the same.
      if (e instanceof ApiError && (e.status === 409 || e.status === 429)) setState(helpful ? "yes" : "no");
      else {
        setError(e);
        setState("ask");
      }
    }
  }

  if (state === "yes" || state === "no")
    return (
      <div className="p-feedback p-feedback-done" ref={thanks} tabIndex={-1} role="status" data-testid="feedback-thanks">
        <span className="p-feedback-icon" aria-hidden="true">
          ♥
        </span>
        <span>{state === "yes" ? t("kb.thanksYes") : t("kb.thanksNo")}</span>
      </div>
    );
  return (
    <div className="p-feedback" data-testid="feedback">
      <span className="p-feedback-q" id={`fb-${id}`}>
        {t("kb.helpful")}
      </span>
      <div className="p-feedback-buttons" role="group" aria-labelledby={`fb-${id}`}>
        <button type="button" className="p-btn p-btn-small" onClick={() => void vote(true)} disabled={state === "sending"} data-testid="helpful-yes">
          {t("kb.yes")}
        </button>
        <button type="button" className="p-btn p-btn-small" onClick={() => void vote(false)} disabled={state === "sending"} data-testid="helpful-no">
          {t("kb.no")}
        </button>
      </div>
      {error ? <Alert>{errorText(t, error)}</Alert> : null}
    </div>
  );
}

// ------------------------------------------------------------------ search

type ResultKind = "article" | "topic" | "ticket";
const KIND_ORDER: ResultKind[] = ["article", "topic", "ticket"];

/** Results by kind, in the page's order, each kind keeping the server's ranking. */
export function groupResults(results: readonly SearchResult[], signedIn: boolean): { kind: ResultKind; results: SearchResult[] }[] {
  return KIND_ORDER.filter((k) => k !== "ticket" || signedIn)
    .map((kind) => ({ kind, results: results.filter((r) => r.kind === kind) }))
    .filter((g) => g.results.length > 0);
}

export function SearchPage({ ws, session }: { ws: string; session: PortalSession | null }) {
  const { t, i18n: inst } = useTranslation();
  const params = useQueryParams();
  const q = (params.get("q") ?? "").trim();
  const locale = inst.language;
  const [state, setState] = useState<{ q: string; locale: string; results: SearchResult[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useDocumentTitle(q ? t("search.resultsFor", { q }) : t("search.title"));

  const load = useCallback(() => {
    let live = true;
    setError(null);
    if (!q) {
      setState({ q, locale, results: [] });
      return;
    }
    portalApi.search(ws, q, locale).then(
      (r) => live && setState({ q, locale, results: r.results ?? [] }),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [ws, q, locale]);
  useEffect(load, [load]);

  const current = state && state.q === q && state.locale === locale ? state : null;
  const groups = current ? groupResults(current.results, !!session) : [];
  return (
    <>
      <section className="p-hero p-hero-search p-hero-compact">
        <PageHeading>{q ? t("search.resultsFor", { q }) : t("search.title")}</PageHeading>
        <SearchBox ws={ws} initial={q} big />
      </section>
      {error || !current ? <Loading error={error} retry={load} className="p-card" /> : null}
      {current && !q && <p className="p-muted">{t("search.prompt")}</p>}
      {current && q && groups.length === 0 && (
        <div className="p-card p-empty" data-testid="search-empty">
          <div className="p-empty-icon" aria-hidden="true">
            ?
          </div>
          <h2>{t("search.noResults", { q })}</h2>
          <p className="p-muted">{t("search.noResultsHint")}</p>
          <div className="p-actions">
            <a className="p-btn p-btn-primary" href={helpPaths(ws).ask} onClick={linkClick} data-testid="empty-ask">
              {t("search.askCommunity")}
            </a>
            <a className="p-btn" href={helpPaths(ws).newRequest} onClick={linkClick} data-testid="empty-request">
              {t("search.submitRequest")}
            </a>
          </div>
        </div>
      )}
      {groups.map((g) => (
        <section key={g.kind} className="p-card p-results" aria-labelledby={`results-${g.kind}`} data-testid={`results-${g.kind}`}>
          <h2 id={`results-${g.kind}`}>
            {t(`search.kind.${g.kind}`)} <span className="p-count-pill">{g.results.length.toLocaleString(locale)}</span>
          </h2>
          <ol className="p-result-list">
            {g.results.map((r) => (
              <ResultItem key={`${r.kind}-${r.id}-${r.locale}`} ws={ws} result={r} />
            ))}
          </ol>
        </section>
      ))}
      {current && q && groups.length > 0 && <MoreHelp ws={ws} />}
    </>
  );
}

function ResultItem({ ws, result }: { ws: string; result: SearchResult }) {
  const { t, i18n: inst } = useTranslation();
  const paths = helpPaths(ws);
  const href =
    result.kind === "article"
      ? paths.article(result.id, result.locale && result.locale !== inst.language ? result.locale : undefined)
      : result.kind === "topic"
        ? paths.topic(result.id)
        : paths.request(result.number ?? result.id);
  const title = result.title_segments?.length ? result.title_segments : result.title;
  const lang = isPortalLocale(result.locale) ? result.locale : undefined;
  let meta: ReactNode = null;
  if (result.kind === "ticket")
    meta = (
      <>
        <span>{t("requests.number", { number: result.number ?? result.id })}</span>
        {result.status ? <StatusBadge status={result.status} /> : null}
      </>
    );
  else if (lang && lang !== inst.language) meta = <span className="p-lang-tag">{t(`locales.${lang}`)}</span>;
  return (
    <li className="p-result" data-testid="search-result" data-kind={result.kind}>
      <a href={href} onClick={linkClick} className="p-result-title" lang={lang}>
        <Highlighted value={title} testId="result-title" markClassName="p-mark" />
      </a>
      {segmentsText(result.snippet) && (
        <p className="p-result-snippet" lang={lang}>
          <Highlighted value={result.snippet} testId="result-snippet" markClassName="p-mark" />
        </p>
      )}
      {meta && <p className="p-result-meta">{meta}</p>}
    </li>
  );
}
