// Suggested articles under the request form: they appear while the customer types, open in
// place, and "This answered my question" records a deflection instead of a request.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { portalApi, type KbArticle, type Suggestion } from "./api";
import { isPortalLocale } from "./i18n";
import { helpPaths, portalLinkClick } from "./routes";
import { Highlighted, segmentsText } from "../lib/segments";
import { SafeHtml } from "../lib/safeHtml";
import { createSuggester, type SuggestState } from "./suggest";
import { errorText, Loading } from "./ui";

export function Suggestions({
  ws,
  query,
  onAnswered,
}: {
  ws: string;
  /** The draft as a query (suggest.ts suggestQuery). */
  query: string;
  onAnswered: (article: { id: number; title: string }, query: string) => void;
}) {
  const { t, i18n: inst } = useTranslation();
  const locale = inst.language;
  const [state, setState] = useState<SuggestState<Suggestion>>({ query: "", items: [], loading: false });
  const [open, setOpen] = useState<Suggestion | null>(null);
  const suggester = useRef<ReturnType<typeof createSuggester<Suggestion>> | null>(null);

  useEffect(() => {
    const s = createSuggester<Suggestion>({
      fetch: (q) => portalApi.suggest(ws, q, locale).then((r) => r.articles ?? []),
      onChange: setState,
    });
    suggester.current = s;
    return () => s.dispose();
  }, [ws, locale]);

  useEffect(() => {
    suggester.current?.update(query);
  }, [query, ws, locale]);

  if (open)
    return (
      <OpenSuggestion
        ws={ws}
        suggestion={open}
        onBack={() => setOpen(null)}
        onAnswered={(article) => onAnswered(article, state.query || query)}
      />
    );

  const items = state.items;
  return (
    <div className="p-suggest" aria-live="polite" data-testid="suggestions" data-state={state.loading ? "loading" : "idle"}>
      {items.length > 0 && (
        <>
          <p className="p-suggest-title">
            <span className="p-suggest-icon" aria-hidden="true">
              ✦
            </span>
            {t("suggest.title")}
          </p>
          <ul className="p-suggest-list">
            {items.map((s) => {
              const lang = isPortalLocale(s.locale) ? s.locale : undefined;
              return (
                <li key={`${s.id}-${s.locale}`}>
                  <button type="button" className="p-suggest-item" onClick={() => setOpen(s)} data-testid="suggestion" lang={lang}>
                    <Highlighted value={s.title_segments?.length ? s.title_segments : s.title} className="p-suggest-item-title" markClassName="p-mark" />
                    {segmentsText(s.snippet) && <Highlighted value={s.snippet} className="p-suggest-item-snippet" markClassName="p-mark" />}
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}

function OpenSuggestion({
  ws,
  suggestion,
  onBack,
  onAnswered,
}: {
  ws: string;
  suggestion: Suggestion;
  onBack: () => void;
  onAnswered: (article: { id: number; title: string }) => void;
}) {
  const { t } = useTranslation();
  const [article, setArticle] = useState<KbArticle | null>(null);
  const [error, setError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    portalApi.article(ws, suggestion.id, suggestion.locale).then(
      (a) => live && setArticle(a),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [ws, suggestion.id, suggestion.locale]);
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const title = article?.title ?? segmentsText(suggestion.title_segments?.length ? suggestion.title_segments : suggestion.title);
  const lang = article?.locale ?? suggestion.locale;
  return (
    <section className="p-suggest p-suggest-open" aria-labelledby="suggest-open-title" data-testid="suggestion-open">
      <button type="button" className="p-linkbtn p-suggest-back" onClick={onBack} data-testid="suggestion-back">
        ← {t("suggest.back")}
      </button>
      <h3 id="suggest-open-title" ref={heading} tabIndex={-1} lang={lang}>
        {title}
      </h3>
      {error ? <p className="p-field-error">{errorText(t, error)}</p> : null}
      {!article && !error && <Loading />}
      {article && <SafeHtml html={article.body_html} className="p-prose p-suggest-body" lang={article.locale} testId="suggestion-body" onLinkClick={portalLinkClick} tableWrapClass="p-table-wrap" />}
      <div className="p-suggest-answer">
        <p className="p-suggest-ask">{t("suggest.didItHelp")}</p>
        <div className="p-actions">
          <button type="button" className="p-btn p-btn-primary" onClick={() => onAnswered({ id: suggestion.id, title })} data-testid="answered">
            {t("suggest.answered")}
          </button>
          <button type="button" className="p-btn" onClick={onBack} data-testid="not-answered">
            {t("suggest.notAnswered")}
          </button>
          <a className="p-suggest-newtab" href={helpPaths(ws).article(suggestion.id, suggestion.locale)} target="_blank" rel="noopener">
            {t("suggest.openFull")}
          </a>
        </div>
      </div>
    </section>
  );
}
