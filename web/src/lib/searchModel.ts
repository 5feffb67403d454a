// The shell's search box: results grouped by kind in a fixed order, one active row moved
// with ↑/↓ across the groups, Enter opening it and Esc closing (then clearing) the box.
import type { SearchKind, SearchResult } from "../kbApi";
import { SEARCH_KINDS } from "../kbApi";

export interface ResultGroup { kind: SearchKind; items: { result: SearchResult; index: number }[] }

/** Groups in the order articles, community, tickets, customers; `index` is the row's place overall. */
export function groupResults(results: SearchResult[]): { groups: ResultGroup[]; flat: SearchResult[] } {
  const groups: ResultGroup[] = [];
  const flat: SearchResult[] = [];
  for (const kind of SEARCH_KINDS) {
    const of = results.filter((r) => r.kind === kind);
    if (of.length === 0) continue;
    groups.push({ kind, items: of.map((result) => ({ result, index: flat.push(result) - 1 })) });
  }
  return { groups, flat };
}

/** Where a result opens in the agent app. */
export function resultHref(r: Pick<SearchResult, "kind" | "id" | "locale">): string {
  switch (r.kind) {
    case "ticket":
      return `/tickets/${r.id}`;
    case "customer":
      return `/customers/${r.id}`;
    case "article":
      return `/kb/articles/${r.id}${r.locale ? `?locale=${encodeURIComponent(r.locale)}` : ""}`;
    case "topic":
      return `/community/topics/${r.id}`;
  }
}

export interface SearchBoxState { open: boolean; active: number; query: string }

export type SearchKeyOutcome =
  | { kind: "state"; state: SearchBoxState }
  | { kind: "open"; index: number; state: SearchBoxState }
  | { kind: "none" };

/** What a key does in the search box with `count` results showing. */
export function searchKey(state: SearchBoxState, key: string, count: number): SearchKeyOutcome {
  switch (key) {
    case "ArrowDown":
    case "ArrowUp": {
      if (count === 0) return state.open ? { kind: "none" } : { kind: "state", state: { ...state, open: true } };
      if (!state.open) return { kind: "state", state: { ...state, open: true, active: key === "ArrowDown" ? 0 : count - 1 } };
      const step = key === "ArrowDown" ? 1 : -1;
      const from = state.active < 0 ? (step === 1 ? -1 : count) : state.active;
      return { kind: "state", state: { ...state, active: (from + step + count) % count } };
    }
    case "Home":
    case "End":
      if (!state.open || count === 0) return { kind: "none" };
      return { kind: "state", state: { ...state, active: key === "Home" ? 0 : count - 1 } };
    case "Enter": {
      if (count === 0 || !state.open) return { kind: "none" };
      const index = state.active >= 0 && state.active < count ? state.active : 0;
      return { kind: "open", index, state: { ...state, open: false, active: -1 } };
    }
    case "Escape":
      if (state.open) return { kind: "state", state: { ...state, open: false, active: -1 } };
      if (state.query) return { kind: "state", state: { ...state, query: "", active: -1 } };
      return { kind: "none" };
    default:
      return { kind: "none" };
  }
}
