// Beside a ticket: knowledge-base articles that may answer it (GET /api/v1/tickets/{id}/suggested-articles),
// each with "Insert link", which puts `[title](help-centre address)` into the reply at the caret.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { kbApi, type SuggestedArticle } from "../kbApi";
import { linkClick } from "../lib/router";
import { markdownLink } from "../lib/insertAtCursor";
import { Highlighted } from "../lib/segments";
import { addKbDictionaries } from "../i18n/kb";
import "./search.css";

addKbDictionaries();

/** The address of an article for a customer: absolute, on this site when the server gives a path. */
export function absoluteArticleUrl(url: string, origin: string = typeof location === "undefined" ? "" : location.origin): string {
  if (/^https?:\/\//i.test(url)) return url;
  if (url.startsWith("/")) return origin + url;
  return url;
}

export function SuggestedArticles({ ticketId, onInsert }: { ticketId: number; onInsert: (markdown: string) => boolean }) {
  const { t } = useTranslation();
  const [articles, setArticles] = useState<SuggestedArticle[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [inserted, setInserted] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setArticles(null);
    setFailed(false);
    setInserted(null);
    kbApi
      .suggestedArticles(ticketId)
      .then((r) => live && setArticles(Array.isArray(r.articles) ? r.articles : []))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [ticketId]);

  useEffect(() => {
    if (inserted === null) return;
    const h = setTimeout(() => setInserted(null), 4000);
    return () => clearTimeout(h);
  }, [inserted]);

  return (
    <div className="card suggested" data-testid="suggested-articles">
      <h2 className="card-title">{t("suggested.title")}</h2>
      {failed ? (
        <p className="muted small">{t("suggested.failed")}</p>
      ) : articles === null ? (
        <p className="muted small">{t("app.loading")}</p>
      ) : articles.length === 0 ? (
        <p className="muted small" data-testid="suggested-none">
          {t("suggested.none")}
        </p>
      ) : (
        <ul className="suggested-list">
          {articles.map((a) => (
            <li key={`${a.id}-${a.locale}`} className="suggested-item" data-testid="suggested-article" data-article-id={a.id} data-locale={a.locale}>
              <div className="suggested-title">
                <a
                  href={`/kb/articles/${a.id}?locale=${encodeURIComponent(a.locale ?? "")}`}
                  onClick={linkClick}
                  title={t("suggested.open", { title: a.title })}
                  lang={a.locale}
                >
                  {a.title}
                </a>
                {a.locale && <span className="gsearch-locale">{a.locale.toUpperCase()}</span>}
              </div>
              {Array.isArray(a.snippet) && a.snippet.length > 0 && <Highlighted value={a.snippet} className="suggested-snippet" />}
              <div className="suggested-actions">
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={t("suggested.insertLabel", { title: a.title })}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => {
                    if (onInsert(markdownLink(a.title, absoluteArticleUrl(a.url)))) setInserted(`${a.id}-${a.locale}`);
                  }}
                  data-testid="suggested-insert"
                >
                  ↳ {t("suggested.insert")}
                </button>
                {inserted === `${a.id}-${a.locale}` && (
                  <span className="small suggested-done" role="status">
                    ✓ {t("suggested.inserted")}
                  </span>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
