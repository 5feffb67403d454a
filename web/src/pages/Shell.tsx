import { createContext, useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { api, type ViewCounts } from "../api";
import { useSession } from "../state";
import { linkClick, navigate, type Route } from "../lib/router";
import { stream, type StreamStatus } from "../lib/stream";
import { LanguageSwitcher, Avatar } from "../components/bits";
import { PresenceSwitch } from "./Routing";
import { SearchBox } from "../components/SearchBox";

export const CountsContext = createContext<ViewCounts | null>(null);

export function countFor(view: string, c: ViewCounts | null): number | undefined {
  if (!c) return undefined;
  if (view === "mine") return c.mine;
  if (view === "unassigned") return c.unassigned;
  if (view === "unsolved") return c.unsolved;
  if (view === "solved") return c.by_status.solved;
  const m = /^team-(\d+)$/.exec(view);
  if (m) return c.by_team[m[1]] ?? 0;
  return undefined;
}

function useCounts(): ViewCounts | null {
  const [counts, setCounts] = useState<ViewCounts | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      api
        .counts()
        .then((c) => live && setCounts(c))
        .catch(() => {});
    load();
    const off = stream.subscribe((e) => {
      if (e.type.startsWith("ticket.") || e.type === "message.created" || e.type === "stream.reset") {
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(load, 250);
      }
    });
    return () => {
      live = false;
      off();
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);
  return counts;
}

function useStreamStatus(): StreamStatus {
  const [s, setS] = useState(stream.status);
  useEffect(() => stream.onStatus(setS), []);
  return s;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener("online", on);
    window.addEventListener("offline", off);
    return () => {
      window.removeEventListener("online", on);
      window.removeEventListener("offline", off);
    };
  }, []);
  return online;
}

export function Shell({ route, children }: { route: Route; children: ReactNode }) {
  const { t } = useTranslation();
  const { session, setSession, teams } = useSession();
  const counts = useCounts();
  const status = useStreamStatus();
  const online = useOnline();
  const activeView = route.name === "inbox" ? route.view : null;
  const isAdmin = session.agent.role === "admin";

  const views: { id: string; label: string }[] = [
    { id: "mine", label: t("nav.mine") },
    { id: "unassigned", label: t("nav.unassigned") },
    { id: "unsolved", label: t("nav.unsolved") },
    { id: "solved", label: t("nav.solved") },
  ];

  async function signOut() {
    try {
      await api.signOut();
    } catch {
      /* the session is dropped locally either way */
    }
    setSession(null);
    navigate("/sign-in", true);
  }

  const navLink = (id: string, label: string) => {
    const n = countFor(id, counts);
    return (
      <li key={id}>
        <a
          href={`/inbox/${id}`}
          onClick={linkClick}
          className={activeView === id ? "nav-link active" : "nav-link"}
          aria-current={activeView === id ? "page" : undefined}
          data-view={id}
        >
          <span className="nav-label">{label}</span>
          {n !== undefined && <span className="nav-count" data-testid={`count-${id}`}>{n.toLocaleString()}</span>}
        </a>
      </li>
    );
  };

  return (
    <CountsContext.Provider value={counts}>
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <div className="app">
        <header className="topbar">
          <a className="brand" href="/inbox/mine" onClick={linkClick}>
            <span className="brand-mark" aria-hidden="true">絆</span>
            <span className="brand-name">{t("app.name")}</span>
            <span className="brand-ws">{session.workspace.name}</span>
          </a>
          <SearchBox />
          <div className="topbar-right">
            <span className={`live live-${status}`} role="status" data-testid="stream-status">
              <span className="live-dot" aria-hidden="true" />
              {status === "live" ? t("app.live") : t("app.reconnecting")}
            </span>
            <PresenceSwitch />
            <LanguageSwitcher />
            <span className="me" title={t("app.signedInAs", { name: session.agent.name })}>
              <Avatar name={session.agent.name} kind="agent" />
              <span className="me-name">{session.agent.name}</span>
            </span>
            <button type="button" className="btn btn-ghost btn-small" onClick={signOut}>
              {t("app.signOut")}
            </button>
          </div>
        </header>
        {!online && (
          <div className="banner banner-warn banner-flat" role="status">
            {t("app.offline")}
          </div>
        )}
        <div className="body">
          <nav className="sidenav" aria-label={t("nav.mainNav")}>
            <h2 className="nav-heading">{t("nav.views")}</h2>
            <ul>{views.map((v) => navLink(v.id, v.label))}</ul>
            <ul>
              <li>
                <a
                  href="/customers"
                  onClick={linkClick}
                  className={route.name === "customers" ? "nav-link active" : "nav-link"}
                  aria-current={route.name === "customers" ? "page" : undefined}
                  data-testid="nav-customers"
                >
                  <span className="nav-label">{t("nav.customers")}</span>
                </a>
              </li>
            </ul>
            <h2 className="nav-heading">{t("kb.nav.heading")}</h2>
            <ul>
              <li>
                <a
                  href="/kb"
                  onClick={linkClick}
                  className={route.name === "kb" || route.name === "kbArticle" ? "nav-link active" : "nav-link"}
                  aria-current={route.name === "kb" || route.name === "kbArticle" ? "page" : undefined}
                  data-testid="nav-kb"
                >
                  <span className="nav-label">{t("kb.nav.kb")}</span>
                </a>
              </li>
              <li>
                <a
                  href="/community"
                  onClick={linkClick}
                  className={route.name === "community" ? "nav-link active" : "nav-link"}
                  aria-current={route.name === "community" ? "page" : undefined}
                  data-testid="nav-community"
                >
                  <span className="nav-label">{t("kb.nav.community")}</span>
                </a>
              </li>
            </ul>
            <h2 className="nav-heading">{t("nav.reports")}</h2>
            <ul>
              <li>
                <a
                  href="/reports/standards"
                  onClick={linkClick}
                  className={route.name === "reports" ? "nav-link active" : "nav-link"}
                  aria-current={route.name === "reports" ? "page" : undefined}
                  data-testid="nav-standards"
                >
                  <span className="nav-label">{t("nav.standards")}</span>
                </a>
              </li>
            </ul>
            {teams.length > 0 && (
              <>
                <h2 className="nav-heading">{t("nav.teams")}</h2>
                <ul>{teams.map((tm) => navLink(`team-${tm.id}`, tm.name))}</ul>
              </>
            )}
            {isAdmin && (
              <>
                <h2 className="nav-heading">{t("nav.admin")}</h2>
                <ul>
                  {(["agents", "teams", "workspace", "email", "sla", "tokens"] as const).map((tab) => (
                    <li key={tab}>
                      <a
                        href={`/admin/${tab}`}
                        onClick={linkClick}
                        className={route.name === "admin" && route.tab === tab ? "nav-link active" : "nav-link"}
                        aria-current={route.name === "admin" && route.tab === tab ? "page" : undefined}
                      >
                        <span className="nav-label">{t(`admin.tabs.${tab}`)}</span>
                      </a>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </nav>
          <main className="content" id="main" tabIndex={-1}>
            {children}
          </main>
        </div>
      </div>
    </CountsContext.Provider>
  );
}
