// A tiny history-API router: the app has a handful of routes, no library needed.
import { useEffect, useState } from "react";

const listeners = new Set<() => void>();

export function navigate(path: string, replace = false): void {
  if (path === location.pathname + location.search) return;
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  for (const l of listeners) l();
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return path;
}

export type Route =
  | { name: "signIn" }
  | { name: "inbox"; view: string }
  | { name: "ticket"; id: number }
  | { name: "admin"; tab: string }
  | { name: "customers"; id: number | null }
  | { name: "reports"; report: string }
  | { name: "kb"; sectionId: number | null }
  | { name: "kbArticle"; id: number | null }
  | { name: "community"; tab: string; topicId: number | null }
  | { name: "notFound" };

export function parseRoute(path: string): Route {
  const parts = path.split("/").filter(Boolean);
  if (parts.length === 0) return { name: "inbox", view: "mine" };
  if (parts[0] === "sign-in") return { name: "signIn" };
  if (parts[0] === "inbox") return { name: "inbox", view: parts[1] ?? "mine" };
  if (parts[0] === "tickets" && parts[1] && /^[1-9][0-9]*$/.test(parts[1])) return { name: "ticket", id: Number(parts[1]) };
  if (parts[0] === "customers" && parts.length === 1) return { name: "customers", id: null };
  if (parts[0] === "customers" && parts.length === 2 && /^[1-9][0-9]*$/.test(parts[1])) return { name: "customers", id: Number(parts[1]) };
  if (parts[0] === "admin") return { name: "admin", tab: parts[1] ?? "agents" };
  if (parts[0] === "reports" && parts.length <= 2) return { name: "reports", report: parts[1] ?? "standards" };
  if (parts[0] === "kb") {
    if (parts.length === 1) return { name: "kb", sectionId: null };
    if (parts[1] === "sections" && parts.length === 3 && /^[1-9][0-9]*$/.test(parts[2])) return { name: "kb", sectionId: Number(parts[2]) };
    if (parts[1] === "articles" && parts.length === 3 && parts[2] === "new") return { name: "kbArticle", id: null };
    if (parts[1] === "articles" && parts.length === 3 && /^[1-9][0-9]*$/.test(parts[2])) return { name: "kbArticle", id: Number(parts[2]) };
  }
  if (parts[0] === "community") {
    if (parts.length === 1) return { name: "community", tab: "pending", topicId: null };
    if (parts[1] === "topics" && parts.length === 3 && /^[1-9][0-9]*$/.test(parts[2])) return { name: "community", tab: "", topicId: Number(parts[2]) };
    if (parts.length === 2 && ["pending", "visible", "hidden", "bans"].includes(parts[1])) return { name: "community", tab: parts[1], topicId: null };
  }
  return { name: "notFound" };
}

/** Click handler for <a href> links that stay in the app (keeps ctrl/cmd-click opening a tab). */
export function linkClick(e: React.MouseEvent<HTMLAnchorElement>): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(e.currentTarget.getAttribute("href") ?? "/");
}
