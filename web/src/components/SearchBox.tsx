// The shell's search box: one search over articles, community topics, tickets and customers
// (GET /api/v1/search), results grouped by kind with the matches highlighted. A combobox:
// ↑/↓ move through every group, Enter opens, Esc closes and then clears; "/" focuses it.
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { kbApi, type SearchResult } from "../kbApi";
import { navigate } from "../lib/router";
import { groupResults, resultHref, searchKey, type SearchBoxState } from "../lib/searchModel";
import { Highlighted } from "../lib/segments";
import { addKbDictionaries } from "../i18n/kb";
import "./search.css";

addKbDictionaries();

const DEBOUNCE_MS = 180;
const LIMIT = 20;

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable;
}

export function SearchBox() {
  const { t } = useTranslation();
  const [state, setState] = useState<SearchBoxState>({ open: false, active: -1, query: "" });
  const [results, setResults] = useState<SearchResult[] | null>(null);
  const [searchedFor, setSearchedFor] = useState("");
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const asked = useRef(0);
  const input = useRef<HTMLInputElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const listId = useId();
  const q = state.query.trim();

  useEffect(() => {
    if (!q) {
      asked.current++;
      setResults(null);
      setLoading(false);
      setFailed(false);
      return;
    }
    const n = ++asked.current;
    setLoading(true);
    const timer = setTimeout(() => {
      kbApi
        .search(q, { limit: LIMIT })
        .then((r) => {
          if (n !== asked.current) return;
          setResults(Array.isArray(r.results) ? r.results : []);
          setSearchedFor(q);
          setFailed(false);
          setState((s) => ({ ...s, active: -1 }));
        })
        .catch(() => n === asked.current && setFailed(true))
        .finally(() => n === asked.current && setLoading(false));
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [q]);

  // "/" anywhere (but in a text field) puts the caret in the search box.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTyping(e.target)) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // A click elsewhere closes the list.
  useEffect(() => {
    if (!state.open) return;
    const onDown = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setState((s) => ({ ...s, open: false, active: -1 }));
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [state.open]);

  const { groups, flat } = useMemo(() => groupResults(results ?? []), [results]);
  const showList = state.open && q !== "";

  function open(r: SearchResult) {
    setState((s) => ({ ...s, open: false, active: -1 }));
    input.current?.blur();
    navigate(resultHref(r));
  }

  function onKeyDown(e: React.KeyboardEvent<HTMLInputElement>) {
    const out = searchKey(state, e.key, flat.length);
    if (out.kind === "none") return;
    e.preventDefault();
    setState(out.state);
    if (out.kind === "open") open(flat[out.index]);
    else if (e.key === "Escape" && !out.state.open && !out.state.query && !state.open) input.current?.blur();
  }

  // Keep the active row in view.
  useEffect(() => {
    if (state.active < 0) return;
    document.getElementById(`${listId}-${state.active}`)?.scrollIntoView({ block: "nearest" });
  }, [state.active, listId]);

  const activeId = showList && state.active >= 0 && state.active < flat.length ? `${listId}-${state.active}` : undefined;

  return (
    <div className="gsearch" ref={box} data-testid="global-search">
      <label htmlFor={`${listId}-input`} className="sr-only">
        {t("search.label")}
      </label>
      <span className="gsearch-icon" aria-hidden="true">
        ⌕
      </span>
      <input
        id={`${listId}-input`}
        ref={input}
        type="search"
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeId}
        autoComplete="off"
        spellCheck={false}
        maxLength={200}
        value={state.query}
        placeholder={t("search.placeholder")}
        onChange={(e) => setState({ query: e.target.value, open: true, active: -1 })}
        onFocus={() => setState((s) => ({ ...s, open: true }))}
        onKeyDown={onKeyDown}
        data-testid="global-search-input"
      />
      <kbd className="gsearch-kbd" aria-hidden="true">
        /
      </kbd>
      {showList && (
        <div className="gsearch-panel" data-testid="global-search-panel">
          <div className="sr-only" role="status" aria-live="polite">
            {results && !loading ? t("search.count", { count: flat.length }) : ""}
          </div>
          {failed ? (
            <p className="gsearch-note gsearch-failed" role="alert">
              {t("search.failed")}
            </p>
          ) : results === null || (loading && searchedFor !== q && flat.length === 0) ? (
            <p className="gsearch-note">{t("search.searching")}</p>
          ) : flat.length === 0 ? (
            <p className="gsearch-note" data-testid="global-search-empty">
              {t("search.none", { query: searchedFor || q })}
            </p>
          ) : null}
          <ul id={listId} role="listbox" aria-label={t("search.label")} className="gsearch-list">
            {!failed &&
              groups.map((g) => (
                <li key={g.kind} role="presentation" className="gsearch-group" data-kind={g.kind}>
                  <div className="gsearch-group-title" role="presentation" aria-hidden="true">
                    {t(`search.kinds.${g.kind}`)}
                  </div>
                  <ul role="group" aria-label={t(`search.kinds.${g.kind}`)}>
                    {g.items.map(({ result: r, index }) => (
                      <li
                        key={`${r.kind}-${r.id}-${r.locale ?? ""}`}
                        id={`${listId}-${index}`}
                        role="option"
                        aria-selected={index === state.active}
                        className={index === state.active ? "gsearch-item active" : "gsearch-item"}
                        data-testid="search-result"
                        data-kind={r.kind}
                        data-id={r.id}
                        data-locale={r.locale || undefined}
                        onMouseDown={(e) => e.preventDefault()}
                        onMouseEnter={() => setState((s) => ({ ...s, active: index }))}
                        onClick={() => open(r)}
                      >
                        <div className="gsearch-title">
                          {r.kind === "ticket" && r.number != null && <span className="gsearch-num">#{r.number}</span>}
                          <Highlighted value={r.title_segments} text={r.title} className="gsearch-title-text" />
                          {r.kind === "article" && r.locale && <span className="gsearch-locale">{r.locale.toUpperCase()}</span>}
                          {r.status && <span className={`gsearch-status gsearch-status-${r.status}`}>{statusText(t, r)}</span>}
                        </div>
                        {Array.isArray(r.snippet) && r.snippet.length > 0 && (
                          <Highlighted value={r.snippet} className="gsearch-snippet" />
                        )}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
          </ul>
          {flat.length > 0 && <p className="gsearch-keys muted small">{t("search.keys")}</p>}
        </div>
      )}
    </div>
  );
}

function statusText(t: (k: string, o?: Record<string, unknown>) => string, r: SearchResult): string {
  const s = r.status ?? "";
  if (r.kind === "ticket") return t(`status.${s}`, { defaultValue: s });
  if (r.kind === "article") return t(`kb.status.${s}`, { defaultValue: s });
  if (r.kind === "topic") return t(`community.status.${s}`, { defaultValue: s });
  return s;
}
