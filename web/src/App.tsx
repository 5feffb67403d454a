import { Component, lazy, Suspense, useCallback, useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { api, setCsrfToken, setUnauthenticatedHandler, type SessionInfo } from "./api";
import i18n, { resolveLocale } from "./i18n";
import { SessionContext, useDirectory, clearCustomerCache } from "./state";
import { navigate, parseRoute, usePath } from "./lib/router";
import { stream } from "./lib/stream";
import { flushOutbox } from "./lib/drafts";
import { SignInPage } from "./pages/SignIn";
import { Shell } from "./pages/Shell";
import { InboxPage } from "./pages/Inbox";
import { TicketPage } from "./pages/Ticket";
import { AdminPage } from "./pages/Admin";
import { ErrorBanner, Spinner } from "./components/bits";

// The customer directory loads on demand.
const CustomersPage = lazy(() => import("./pages/Customers"));
// So do the reports.
const StandardsReportPage = lazy(() => import("./pages/StandardsReport"));
// And the knowledge base and community moderation (issue 7).
const KnowledgeBasePage = lazy(() => import("./pages/KnowledgeBase"));
const ArticleEditorPage = lazy(() => import("./pages/ArticleEditor"));
const CommunityPage = lazy(() => import("./pages/Community"));

/** Catches render errors so a bug shows a translated message, never a blank page. */
class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: unknown }> {
  state = { error: null as unknown };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  componentDidCatch(error: unknown) {
    console.error(error);
  }
  componentDidUpdate(prev: { resetKey: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }
  render() {
    if (this.state.error) return <Crashed onRetry={() => this.setState({ error: null })} />;
    return this.props.children;
  }
}

function Crashed({ onRetry }: { onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="crashed" role="alert">
      <h1>{t("errors.crashed")}</h1>
      <button type="button" className="btn btn-primary" onClick={onRetry}>
        {t("app.retry")}
      </button>
    </div>
  );
}

export function App() {
  const path = usePath();
  const route = parseRoute(path);
  const [session, setSessionState] = useState<SessionInfo | null>(null);
  const [booting, setBooting] = useState(true);
  const [bootError, setBootError] = useState<unknown>(null);
  const [expired, setExpired] = useState(false);
  const directory = useDirectory(session);

  const setSession = useCallback((s: SessionInfo | null) => {
    setCsrfToken(s?.csrf_token ?? null);
    setSessionState(s);
    if (s) void i18n.changeLanguage(resolveLocale(s.workspace.locale, s.agent.locale));
    else {
      stream.stop();
      clearCustomerCache();
    }
  }, []);

  const boot = useCallback(() => {
    setBooting(true);
    setBootError(null);
    api
      .session()
      .then((s) => setSession(s))
      .catch((e) => {
        if (e.status !== 401) setBootError(e);
      })
      .finally(() => setBooting(false));
  }, [setSession]);

  useEffect(boot, [boot]);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setExpired(true);
      setSession(null);
    });
    return () => setUnauthenticatedHandler(null);
  }, [setSession]);

  // Live stream and the offline send queue, while signed in.
  useEffect(() => {
    if (!session) return;
    stream.start();
    const ws = session.workspace.id;
    const flush = () => void flushOutbox(ws);
    flush();
    window.addEventListener("online", flush);
    const off = stream.onStatus((s) => s === "live" && flush());
    const timer = setInterval(flush, 15_000);
    return () => {
      window.removeEventListener("online", flush);
      off();
      clearInterval(timer);
    };
  }, [session]);

  useEffect(() => {
    if (booting) return;
    if (!session && route.name !== "signIn") navigate("/sign-in", true);
    if (session && route.name === "signIn") navigate("/inbox/mine", true);
  }, [booting, session, route.name]);

  if (booting) return <Spinner />;
  if (bootError)
    return (
      <main className="center-page">
        <ErrorBanner error={bootError} onRetry={boot} />
      </main>
    );
  if (!session)
    return (
      <SignInPage
        expired={expired}
        onSignedIn={(s) => {
          setExpired(false);
          setSession(s);
        }}
      />
    );

  let page: ReactNode;
  switch (route.name) {
    case "inbox":
      page = <InboxPage key={route.view} view={route.view} />; // a view's rows never show under another's title
      break;
    case "ticket":
      page = <TicketPage key={route.id} id={route.id} />; // nothing of the ticket before shows on the next
      break;
    case "admin":
      page = <AdminPage tab={route.tab} />;
      break;
    case "customers":
      page = (
        <Suspense fallback={<Spinner />}>
          <CustomersPage id={route.id} />
        </Suspense>
      );
      break;
    case "reports":
      page =
        route.report === "standards" ? (
          <Suspense fallback={<Spinner />}>
            <StandardsReportPage />
          </Suspense>
        ) : (
          <InboxPage view="mine" />
        );
      break;
    case "kb":
      page = (
        <Suspense fallback={<Spinner />}>
          <KnowledgeBasePage sectionId={route.sectionId} />
        </Suspense>
      );
      break;
    case "kbArticle":
      page = (
        <Suspense fallback={<Spinner />}>
          <ArticleEditorPage key={route.id ?? "new"} id={route.id} />
        </Suspense>
      );
      break;
    case "community":
      page = (
        <Suspense fallback={<Spinner />}>
          <CommunityPage tab={route.tab} topicId={route.topicId} />
        </Suspense>
      );
      break;
    default:
      page = <InboxPage view="mine" />;
  }
  return (
    <SessionContext.Provider value={{ session, setSession, ...directory }}>
      <Shell route={route}>
        <ErrorBoundary resetKey={path}>{page}</ErrorBoundary>
      </Shell>
    </SessionContext.Provider>
  );
}
