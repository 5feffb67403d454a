// Suggested articles while a customer writes a request: what to ask the server, when, and
// which answer to keep. No React here, so the timing can be tested with fake timers.

/** The most of the draft sent as a query (the server matches any of its words, and takes
 * at most 1,000 bytes). */
export const SUGGEST_MAX_CHARS = 300;
export const SUGGEST_MAX_BYTES = 900;
/** Fewest characters worth asking about: two, so 返金 or 환불 already find something. */
export const SUGGEST_MIN_CHARS = 2;
export const SUGGEST_DELAY_MS = 250;
export const SUGGEST_LIMIT = 5;

function codePoints(s: string): string[] {
  return Array.from(s);
}

function utf8Bytes(cp: string): number {
  const c = cp.codePointAt(0) ?? 0;
  return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

/** The query made from the draft: subject, then description, spaces squeezed, capped in whole characters. */
export function suggestQuery(subject: string, body: string): string {
  const text = `${subject.trim()} ${body.trim()}`.replace(/\s+/g, " ").trim();
  let out = "";
  let chars = 0;
  let bytes = 0;
  for (const cp of codePoints(text)) {
    bytes += utf8Bytes(cp);
    if (++chars > SUGGEST_MAX_CHARS || bytes > SUGGEST_MAX_BYTES) break;
    out += cp;
  }
  return out.trim();
}

/** Whether a query is long enough to ask about (counted in characters, not bytes). */
export function canSuggest(query: string): boolean {
  return codePoints(query.trim()).length >= SUGGEST_MIN_CHARS;
}

export interface SuggestState<T> {
  /** The query the shown suggestions answer ("" when none). */
  query: string;
  items: T[];
  loading: boolean;
}

export interface SuggesterOptions<T> {
  fetch: (query: string) => Promise<T[]>;
  onChange: (state: SuggestState<T>) => void;
  delayMs?: number;
  limit?: number;
  timers?: { set: (fn: () => void, ms: number) => unknown; clear: (handle: unknown) => void };
}

/**
 * Debounced suggestions: `update(query)` on every keystroke; the server is asked once the
 * customer pauses for `delayMs`, only for queries of at least two characters, never twice
 * in a row for the same query, and an answer that arrives after a newer question is ignored.
 * A failed request keeps what was shown (suggestions are a help, not an error to report).
 */
export function createSuggester<T>(opts: SuggesterOptions<T>) {
  const delay = opts.delayMs ?? SUGGEST_DELAY_MS;
  const limit = opts.limit ?? SUGGEST_LIMIT;
  const timers = opts.timers ?? {
    set: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clear: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  let state: SuggestState<T> = { query: "", items: [], loading: false };
  let timer: unknown = null;
  let asked = ""; // the query last sent (or being sent)
  let seq = 0;
  let disposed = false;

  const emit = (next: SuggestState<T>) => {
    state = next;
    if (!disposed) opts.onChange(state);
  };

  async function ask(query: string) {
    const mine = ++seq;
    asked = query;
    emit({ ...state, loading: true });
    try {
      const items = await opts.fetch(query);
      if (mine !== seq || disposed) return;
      emit({ query, items: items.slice(0, limit), loading: false });
    } catch {
      if (mine !== seq || disposed) return;
      asked = ""; // let the same query be tried again
      emit({ ...state, loading: false });
    }
  }

  return {
    update(raw: string) {
      const query = raw.trim();
      if (timer !== null) timers.clear(timer);
      timer = null;
      if (!canSuggest(query)) {
        seq++; // forget any answer on its way
        asked = "";
        if (state.items.length || state.loading || state.query) emit({ query: "", items: [], loading: false });
        return;
      }
      if (query === asked) return;
      timer = timers.set(() => {
        timer = null;
        void ask(query);
      }, delay);
    },
    dispose() {
      disposed = true;
      if (timer !== null) timers.clear(timer);
      timer = null;
    },
    get state() {
      return state;
    },
  };
}
