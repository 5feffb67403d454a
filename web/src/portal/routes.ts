// The help centre's addresses, /help/{workspace}/…, read and made. Every one of them is a
// deep link: the server serves portal.html for any /help/ path (api/static_site.cc).
import { useEffect, useState, type MouseEvent } from "react";
import { linkClick, navigate } from "../lib/router";

export type Route =
  | { name: "home" }
  | { name: "newRequest" }
  | { name: "signIn" }
  | { name: "requests" }
  | { name: "request"; number: number }
  | { name: "category"; id: number }
  | { name: "section"; id: number }
  | { name: "article"; id: number }
  | { name: "search" }
  | { name: "community" }
  | { name: "ask" }
  | { name: "topic"; id: number }
  | { name: "notFound" };

const ID = /^[1-9][0-9]{0,15}$/;
/** An id, optionally followed by a readable slug ("12-reset-your-password"). */
const ID_SLUG = /^([1-9][0-9]{0,15})(?:-[^/]*)?$/;

export function parsePortalPath(path: string): { ws: string; route: Route } {
  const parts = path.split("/").filter(Boolean).slice(1); // drop "help"
  let ws = "";
  try {
    ws = decodeURIComponent(parts[0] ?? "");
  } catch {
    ws = "";
  }
  const rest = parts.slice(1);
  const [a, b, c] = rest;
  const route = ((): Route => {
    if (rest.length === 0) return { name: "home" };
    if (rest.length === 1) {
      if (a === "sign-in") return { name: "signIn" };
      if (a === "requests") return { name: "requests" };
      if (a === "search") return { name: "search" };
      if (a === "community") return { name: "community" };
    }
    if (rest.length === 2) {
      if (a === "requests" && b === "new") return { name: "newRequest" };
      if (a === "requests" && ID.test(b)) return { name: "request", number: Number(b) };
      if (a === "community" && b === "new") return { name: "ask" };
      const m = ID_SLUG.exec(b);
      if (m && a === "community") return { name: "topic", id: Number(m[1]) };
      if (m && a === "articles") return { name: "article", id: Number(m[1]) };
      if (m && a === "categories") return { name: "category", id: Number(m[1]) };
      if (m && a === "sections") return { name: "section", id: Number(m[1]) };
    }
    // The longer form of a topic's address, kept working.
    if (rest.length === 3 && a === "community" && b === "topics") {
      const m = ID_SLUG.exec(c);
      if (m) return { name: "topic", id: Number(m[1]) };
    }
    return { name: "notFound" };
  })();
  return { ws, route };
}

/** The addresses of one help centre. */
export function helpPaths(ws: string) {
  const home = `/help/${encodeURIComponent(ws)}`;
  const withQuery = (p: string, q: Record<string, string | undefined>) => {
    const s = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v) s.set(k, v);
    const text = s.toString();
    return text ? `${p}?${text}` : p;
  };
  return {
    home,
    newRequest: `${home}/requests/new`,
    requests: `${home}/requests`,
    request: (n: number) => `${home}/requests/${n}`,
    category: (id: number) => `${home}/categories/${id}`,
    section: (id: number) => `${home}/sections/${id}`,
    article: (id: number, locale?: string) => withQuery(`${home}/articles/${id}`, { locale }),
    search: (q: string) => withQuery(`${home}/search`, { q }),
    community: (sort?: "recent" | "votes") => withQuery(`${home}/community`, { sort: sort === "votes" ? "votes" : undefined }),
    ask: `${home}/community/new`,
    topic: (id: number) => `${home}/community/${id}`,
  };
}

// The shared router follows only the path; the help centre's pages also read the query
// (?q= of a search, ?locale= of an article, ?sort= of the community), so a change of it is
// announced with this event as well.
const QUERY_EVENT = "kizuna:help-location";

export function portalNavigate(to: string, replace = false): void {
  navigate(to, replace);
  window.dispatchEvent(new Event(QUERY_EVENT));
}

/** linkClick for help-centre links, query strings included. */
export function portalLinkClick(e: MouseEvent<HTMLAnchorElement>): void {
  linkClick(e);
  if (e.defaultPrevented) window.dispatchEvent(new Event(QUERY_EVENT));
}

/** The current query string's parameters, kept up to date. */
export function useQueryParams(): URLSearchParams {
  const [search, setSearch] = useState(() => (typeof location === "undefined" ? "" : location.search));
  useEffect(() => {
    const update = () => setSearch(location.search);
    window.addEventListener(QUERY_EVENT, update);
    window.addEventListener("popstate", update);
    return () => {
      window.removeEventListener(QUERY_EVENT, update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return new URLSearchParams(search);
}
