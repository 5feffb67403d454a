import { memo, useCallback, useContext, useEffect, useLayoutEffect, useReducer, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, type Ticket } from "../api";
import { useSession } from "../state";
import { navigate } from "../lib/router";
import { stream } from "../lib/stream";
import { initialNav, keyToNavAction, navReducer } from "../lib/navReducer";
import { VirtualList } from "../components/VirtualList";
import { ErrorBanner, PriorityMark, RelTime, StatusPill, Spinner } from "../components/bits";
import { DueBadge } from "../components/DueBadge";
import { addSlaDictionaries } from "../i18n/sla";
import { defaultSort, sortsFor, tagOfView, tagView, upsertTicket, viewQuery, type Sort } from "./inboxModel";
import { CountsContext, countFor } from "./Shell";

const ROW_HEIGHT = 44;
const PAGE = 100;

addSlaDictionaries();

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  const tag = el.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
}

function loadSort(view: string): Sort {
  try {
    const s = localStorage.getItem(`kizuna.sort.${view}`);
    if (s && (sortsFor(view) as string[]).includes(s)) return s as Sort;
  } catch {
    /* ignore */
  }
  return defaultSort(view);
}

// Render timing: "kizuna:inbox-data" is marked when a page of tickets arrives, and the
// measure "kizuna:inbox-render" runs from there until the rows are in the DOM and laid out
// (tests/e2e/agent_workspace.test.mjs reads it; see web/README.md).
const MARK_DATA = "kizuna:inbox-data";
const MEASURE_RENDER = "kizuna:inbox-render";
function markData(): void {
  try {
    performance.clearMarks(MARK_DATA);
    performance.mark(MARK_DATA);
  } catch {
    /* no User Timing */
  }
}

export function InboxPage({ view }: { view: string }) {
  const { t } = useTranslation();
  const { session, teams } = useSession();
  const counts = useContext(CountsContext);
  const me = session.agent.id;
  const [sort, setSort] = useState<Sort>(() => loadSort(view));
  const [rows, setRows] = useState<Ticket[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [nav, dispatch] = useReducer(navReducer, initialNav);
  const generation = useRef(0);
  const arrived = useRef<Ticket[] | null>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const loadingMore = useRef(false);
  const state = useRef({ rows, cursor, sort, view });
  state.current = { rows, cursor, sort, view };

  useEffect(() => setSort(loadSort(view)), [view]);

  const query = viewQuery(view);
  const loadFirst = useCallback(() => {
    const q = viewQuery(view);
    if (!q) return;
    const gen = ++generation.current;
    setLoading(true);
    setError(null);
    api
      .tickets({ ...q, sort, limit: PAGE })
      .then((page) => {
        if (gen !== generation.current) return;
        markData();
        arrived.current = page.tickets;
        setRows(page.tickets);
        setCursor(page.next_cursor);
      })
      .catch((e) => gen === generation.current && setError(e))
      .finally(() => gen === generation.current && setLoading(false));
  }, [view, sort]);

  useEffect(loadFirst, [loadFirst]);

  // The first commit showing a freshly arrived page: measure once the list has settled
  // (the virtual list may re-render synchronously to fit its height) and is laid out.
  useLayoutEffect(() => {
    if (!arrived.current || arrived.current !== rows) return;
    arrived.current = null;
    queueMicrotask(() => {
      const table = tableRef.current;
      if (!table) return;
      void table.getBoundingClientRect().height; // style and layout, as before a paint
      try {
        performance.measure(MEASURE_RENDER, {
          start: MARK_DATA,
          detail: { rows: rows.length, inDom: table.querySelectorAll("[data-ticket-id]").length },
        });
      } catch {
        /* no User Timing */
      }
    });
  }, [rows]);

  const loadMore = useCallback(() => {
    const q = viewQuery(view);
    const c = state.current.cursor;
    if (!q || !c || loadingMore.current) return;
    loadingMore.current = true;
    const gen = generation.current;
    api
      .tickets({ ...q, sort, limit: PAGE, cursor: c })
      .then((page) => {
        if (gen !== generation.current) return;
        setRows((prev) => {
          const seen = new Set(prev.map((r) => r.id));
          return [...prev, ...page.tickets.filter((r) => !seen.has(r.id))];
        });
        setCursor(page.next_cursor);
      })
      .catch((e) => gen === generation.current && setError(e))
      .finally(() => {
        loadingMore.current = false;
      });
  }, [view, sort]);

  // Live: place created and changed tickets without a reload.
  useEffect(() => {
    const pending = new Map<number, ReturnType<typeof setTimeout>>();
    const off = stream.subscribe((e) => {
      if (e.type === "stream.reset") {
        loadFirst();
        return;
      }
      if (!("ticket_id" in e) || !e.ticket_id) return;
      if (e.type !== "ticket.created" && e.type !== "ticket.updated" && e.type !== "message.created") return;
      const id = e.ticket_id;
      // Events carry the ticket's new version: a row already showing it needs no fetch.
      const v = e.data?.version;
      if (typeof v === "number" && state.current.rows.some((r) => r.id === id && r.version >= v)) return;
      if (pending.has(id)) clearTimeout(pending.get(id));
      pending.set(
        id,
        setTimeout(() => {
          pending.delete(id);
          api
            .ticket(id)
            .then((tk) => {
              const s = state.current;
              setRows((prev) => upsertTicket(prev, tk, s.view, s.sort, me, s.cursor !== null));
            })
            .catch(() => {});
        }, 60),
      );
    });
    return () => {
      off();
      for (const tm of pending.values()) clearTimeout(tm);
    };
  }, [loadFirst, me]);

  useEffect(() => dispatch({ type: "rows", ids: rows.map((r) => r.id) }), [rows]);

  // j/k/Enter anywhere on the page (not while typing).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (e.key === "Enter" || e.key === "o") {
        const tag = (e.target as HTMLElement | null)?.tagName;
        if (e.key === "Enter" && (tag === "A" || tag === "BUTTON")) return; // let links and buttons act
        if (nav.selectedId !== null) {
          e.preventDefault();
          navigate(`/tickets/${nav.selectedId}`);
        }
        return;
      }
      const a = keyToNavAction(e.key, 10);
      if (a) {
        e.preventDefault();
        dispatch(a);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [nav.selectedId]);

  const onRange = useCallback(
    (_first: number, last: number) => {
      if (last >= state.current.rows.length - 30) loadMore();
    },
    [loadMore],
  );

  const onSelectRow = useCallback((index: number, open: boolean, id: number) => {
    dispatch({ type: "select", index });
    if (open) navigate(`/tickets/${id}`);
  }, []);

  function changeSort(s: Sort) {
    setSort(s);
    try {
      localStorage.setItem(`kizuna.sort.${view}`, s);
    } catch {
      /* ignore */
    }
  }

  const teamMatch = /^team-(\d+)$/.exec(view);
  const tag = tagOfView(view);
  const title = teamMatch
    ? teams.find((tm) => tm.id === Number(teamMatch[1]))?.name ?? t("nav.teams")
    : tag
      ? t("inbox.tagTitle", { tag })
      : t(`nav.${view === "mine" || view === "unassigned" || view === "unsolved" || view === "solved" ? view : "inbox"}`);
  const total = countFor(view, counts);

  if (!query) return <ErrorBanner error={{}} />;

  return (
    <section className="inbox" aria-labelledby="inbox-title">
      <div className="page-head">
        <div>
          <h1 id="inbox-title">{title}</h1>
          <p className="muted small">
            {total !== undefined && <span data-testid="view-total">{t("inbox.count", { count: total })} · </span>}
            <span className="kbd-hint">{t("inbox.keyboardHint")}</span>
          </p>
        </div>
        <div className="inbox-tools">
        <TagFilter current={tag} />
        <label className="inline-field">
          <span>{t("inbox.sort")}</span>
          <select value={sort} onChange={(e) => changeSort(e.target.value as Sort)} data-testid="sort">
            {sortsFor(view).map((s) => (
              <option key={s} value={s}>
                {t(`inbox.sortOptions.${s}`)}
              </option>
            ))}
          </select>
        </label>
        </div>
      </div>
      <ErrorBanner error={error} onRetry={loadFirst} />
      <div className="ticket-table" ref={tableRef}>
        <div className="trow thead" aria-hidden="true">
          <span className="c-num">{t("inbox.number")}</span>
          <span className="c-subject">{t("inbox.subject")}</span>
          <span className="c-req">{t("inbox.requester")}</span>
          <span className="c-status">{t("inbox.status")}</span>
          <span className="c-prio">{t("inbox.priority")}</span>
          <span className="c-upd">{t("inbox.updated")}</span>
        </div>
        {loading && rows.length === 0 ? (
          <Spinner />
        ) : rows.length === 0 && !error ? (
          <div className="empty">{t("inbox.empty")}</div>
        ) : (
          <VirtualList
            items={rows}
            rowHeight={ROW_HEIGHT}
            selectedIndex={nav.index}
            onRangeChange={onRange}
            label={t("inbox.ticketList")}
            rowKey={(r) => r.id}
            activeDescendant={nav.selectedId !== null ? `trow-${nav.selectedId}` : undefined}
            renderRow={(r, i) => (
              <TicketRow
                ticket={r}
                index={i}
                selected={i === nav.index}
                requester={r.requester_name}
                timeZone={session.workspace.time_zone}
                onSelect={onSelectRow}
              />
            )}
          />
        )}
      </div>
    </section>
  );
}

interface RowProps {
  ticket: Ticket;
  index: number;
  selected: boolean;
  requester: string | undefined;
  timeZone: string;
  onSelect: (index: number, open: boolean, id: number) => void;
}

/** One inbox row; memoised so scrolling renders only the rows that come into view. */
const TicketRow = memo(function TicketRow({ ticket: r, index, selected, requester, timeZone, onSelect }: RowProps) {
  return (
    <div
      id={`trow-${r.id}`}
      role="option"
      aria-selected={selected}
      className={`trow${selected ? " selected" : ""}${r.status === "new" ? " is-new" : ""}`}
      data-ticket-id={r.id}
      onClick={(e) => onSelect(index, !(e.target as HTMLElement).closest("a"), r.id)}
    >
      <span className="c-num">#{r.number}</span>
      <span className="c-subject">
        <DueBadge sla={r.sla} timeZone={timeZone} />
        <a
          href={`/tickets/${r.id}`}
          tabIndex={-1}
          onClick={(e) => {
            if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
            e.preventDefault();
            onSelect(index, true, r.id);
          }}
        >
          {r.subject}
        </a>
      </span>
      <span className="c-req">{requester ?? ""}</span>
      <span className="c-status">
        <StatusPill status={r.status} />
      </span>
      <span className="c-prio">
        <PriorityMark priority={r.priority} />
      </span>
      <span className="c-upd">
        <RelTime iso={r.updated_at} timeZone={timeZone} />
      </span>
    </div>
  );
});

/** Shows the unsolved tickets carrying a tag (the view `tag-{tag}`). */
function TagFilter({ current }: { current: string | null }) {
  const { t } = useTranslation();
  const [text, setText] = useState(current ?? "");
  useEffect(() => setText(current ?? ""), [current]);
  function submit(e: FormEvent) {
    e.preventDefault();
    const v = text.trim().toLowerCase().replace(/[\s,]+/g, "-");
    if (v) navigate(`/inbox/${tagView(v)}`);
  }
  return (
    <form className="tag-filter" onSubmit={submit} role="search" data-testid="tag-filter">
      <label htmlFor="tag-filter-input" className="sr-only">
        {t("inbox.tag")}
      </label>
      <input
        id="tag-filter-input"
        type="search"
        value={text}
        placeholder={t("inbox.tagPlaceholder")}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
      />
      <button type="submit" className="btn btn-small" disabled={!text.trim()}>
        {t("inbox.tagApply")}
      </button>
      {current && (
        <button type="button" className="btn btn-small btn-ghost" onClick={() => navigate("/inbox/unsolved")} aria-label={t("inbox.clearTag")} title={t("inbox.clearTag")}>
          ×
        </button>
      )}
    </form>
  );
}
