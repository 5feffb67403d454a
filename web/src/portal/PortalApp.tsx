// The public help centre at /help/{workspace}: the knowledge base and its search, the
// community, submitting a request (with suggested articles while typing), signing in with an
// emailed link, following one's requests and replying. A separate small page from the agent app.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import {
  portalApi, portalAttachmentUrl, portalUploadUrl, ApiError, setCsrfToken,
  type HelpCentre, type PortalMessage, type PortalRequest, type PortalSession,
} from "./api";
import { pastedFiles, useUploads } from "../lib/attachments";
import { AttachButton, AttachmentList, DropZone, PendingFiles } from "../components/Attachments";
import { PORTAL_LOCALES, choosePortalLocale, isPortalLocale, resolvePortalLocale } from "./i18n";
import { customerStatus } from "./status";
import { regionalLocale, replyByTime } from "./expected";
import { checkEmail, checkText, LIMITS, validateRequest, type Problem, type RequestField } from "./validate";
import { usePath } from "../lib/router";
import { helpPaths, parsePortalPath, portalLinkClick as linkClick, portalNavigate as navigate } from "./routes";
import { Alert, errorText, Field, Loading, PageHeading, problemText, serverProblem, StatusBadge, useDateFormat } from "./ui";
import { ArticlePage, CategoryPage, KbHome, SearchPage, SectionPage } from "./KnowledgeBase";
import { AskPage, CommunityPage, TopicPage } from "./Community";
import { Suggestions } from "./Suggestions";
import { suggestQuery } from "./suggest";

export { parsePortalPath };

// ------------------------------------------------------------------ helpers

/** "We'll reply by Tue 24 Nov, 10:00" — nothing when no time is promised (or it has passed). */
function ExpectedReply({ at }: { at: string | null | undefined }) {
  const { t, i18n: inst } = useTranslation();
  const browser = typeof navigator === "undefined" ? [] : navigator.languages ?? [navigator.language];
  const time = replyByTime(at, regionalLocale(inst.language, browser), Date.now());
  if (!time || !at) return null;
  return (
    <p className="p-expected" data-testid="expected-reply">
      <span className="p-expected-icon" aria-hidden="true">
        ◷
      </span>
      <time dateTime={at}>{t("expected.replyBy", { time })}</time>
    </p>
  );
}


// ------------------------------------------------------------------ app

export function PortalApp() {
  const { t, i18n: inst } = useTranslation();
  const path = usePath();
  const { ws, route } = parsePortalPath(path);
  const [centre, setCentre] = useState<HelpCentre | null>(null);
  const [centreError, setCentreError] = useState<unknown>(null);
  const [session, setSessionState] = useState<PortalSession | null>(null);
  const [sessionChecked, setSessionChecked] = useState(false);

  // Each change of session counts here, so that the answer to a session check asked before
  // a sign-in (the link page signs in while the first check is on its way) cannot undo it.
  const sessionChanges = useRef(0);
  const setSession = useCallback((s: PortalSession | null) => {
    sessionChanges.current += 1;
    setCsrfToken(s?.csrf_token ?? null);
    setSessionState(s);
  }, []);

  const load = useCallback(() => {
    if (!ws) return;
    setCentreError(null);
    portalApi
      .helpCentre(ws)
      .then((c) => {
        setCentre(c);
        void inst.changeLanguage(resolvePortalLocale(c.locale));
      })
      .catch(setCentreError);
    const asked = sessionChanges.current;
    const answered = (s: PortalSession | null) => {
      if (sessionChanges.current === asked) setSession(s);
    };
    portalApi
      .session(ws)
      .then(answered)
      .catch(() => answered(null))
      .finally(() => setSessionChecked(true));
  }, [ws, inst, setSession]);

  useEffect(load, [load]);

  // Articles, sections, searches and threads name themselves; every other page is the help centre.
  const titledByPage = ["category", "section", "article", "search", "community", "topic"].includes(route.name);
  useEffect(() => {
    if (!titledByPage) document.title = centre ? `${centre.name} · ${t("app.helpCentre")}` : t("app.helpCentre");
  }, [centre, t, titledByPage, route.name]);

  const home = `/help/${encodeURIComponent(ws)}`;

  async function signOut() {
    try {
      await portalApi.signOut(ws);
    } catch {
      /* the session is gone either way */
    }
    setSession(null);
    navigate(`${home}/requests`);
  }

  let content: ReactNode;
  if (!ws || (centreError instanceof ApiError && centreError.status === 404)) {
    content = (
      <div className="p-card p-narrow">
        <Alert>{t("app.noSuchHelpCentre")}</Alert>
      </div>
    );
  } else if (centreError || !centre || (!sessionChecked && route.name !== "signIn")) {
    content = <Loading error={centreError} retry={load} className="p-card p-narrow" />;
  } else if (route.name === "home") {
    content = <KbHome ws={ws} />;
  } else if (route.name === "newRequest") {
    content = <RequestFormPage ws={ws} session={session} />;
  } else if (route.name === "category") {
    content = <CategoryPage ws={ws} id={route.id} />;
  } else if (route.name === "section") {
    content = <SectionPage ws={ws} id={route.id} />;
  } else if (route.name === "article") {
    content = <ArticlePage key={route.id} ws={ws} id={route.id} />;
  } else if (route.name === "search") {
    content = <SearchPage ws={ws} session={session} />;
  } else if (route.name === "community") {
    content = <CommunityPage ws={ws} session={session} />;
  } else if (route.name === "ask") {
    content = <AskPage ws={ws} session={session} onSignedOut={() => setSession(null)} />;
  } else if (route.name === "topic") {
    content = <TopicPage key={route.id} ws={ws} id={route.id} session={session} onSignedOut={() => setSession(null)} />;
  } else if (route.name === "signIn") {
    content = <SignInLinkPage ws={ws} onSignedIn={setSession} />;
  } else if (route.name === "requests") {
    content = session ? <MyRequestsPage ws={ws} onSignedOut={() => setSession(null)} /> : <SignInForm ws={ws} />;
  } else if (route.name === "request") {
    content = session ? (
      <RequestPage ws={ws} number={route.number} onSignedOut={() => setSession(null)} />
    ) : (
      <SignInForm ws={ws} />
    );
  } else {
    content = (
      <div className="p-card p-narrow">
        <PageHeading>{t("app.pageNotFound")}</PageHeading>
        <p>
          <a href={home} onClick={linkClick}>
            {t("app.backHome")}
          </a>
        </p>
      </div>
    );
  }

  const here = route.name;
  const paths = helpPaths(ws);
  const kbHere = ["home", "category", "section", "article", "search"].includes(here);
  const communityHere = ["community", "ask", "topic"].includes(here);
  return (
    <>
      <a href="#main" className="p-skip">
        {t("app.skipToContent")}
      </a>
      <header className="p-header">
        <div className="p-header-inner">
          <a href={home} onClick={linkClick} className="p-brand" data-testid="business-name">
            <span className="p-brand-mark" aria-hidden="true">
              {(centre?.name ?? ws).slice(0, 1).toUpperCase()}
            </span>
            <span className="p-brand-text">
              <span className="p-brand-name">{centre?.name ?? ws}</span>
              <span className="p-brand-sub">{t("app.helpCentre")}</span>
            </span>
          </a>
          <LanguageSwitcher />
        </div>
        <nav className="p-nav" aria-label={t("app.mainNav")}>
          <div className="p-nav-inner">
            <a href={home} onClick={linkClick} aria-current={kbHere ? "page" : undefined} data-testid="nav-articles">
              {t("nav.articles")}
            </a>
            <a href={paths.community()} onClick={linkClick} aria-current={communityHere ? "page" : undefined} data-testid="nav-community">
              {t("nav.community")}
            </a>
            <a href={paths.newRequest} onClick={linkClick} aria-current={here === "newRequest" ? "page" : undefined} data-testid="nav-submit">
              {t("nav.submit")}
            </a>
            <a
              href={`${home}/requests`}
              onClick={linkClick}
              aria-current={here === "requests" || here === "request" ? "page" : undefined}
              data-testid="nav-my-requests"
            >
              {t("nav.myRequests")}
            </a>
            {session && (
              <span className="p-nav-session">
                <span className="p-nav-who">{t("nav.signedInAs", { name: session.customer.name })}</span>
                <button type="button" className="p-linkbtn" onClick={() => void signOut()} data-testid="sign-out">
                  {t("nav.signOut")}
                </button>
              </span>
            )}
          </div>
        </nav>
      </header>
      <main id="main" className="p-main" tabIndex={-1}>
        {content}
      </main>
      <footer className="p-footer">{t("app.footer")}</footer>
    </>
  );
}

function LanguageSwitcher() {
  const { t, i18n: inst } = useTranslation();
  const id = useId();
  return (
    <div className="p-lang">
      <label htmlFor={id} className="p-lang-label">
        {t("app.language")}
      </label>
      <select
        id={id}
        value={inst.language}
        onChange={(e) => isPortalLocale(e.target.value) && choosePortalLocale(e.target.value)}
        data-testid="language-switcher"
      >
        {PORTAL_LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`locales.${l}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

// ------------------------------------------------------------------ submit a request

function RequestFormPage({ ws, session }: { ws: string; session: PortalSession | null }) {
  const { t, i18n: inst } = useTranslation();
  const [values, setValues] = useState({ name: "", email: "", subject: "", body: "" });
  // "This answered my question" on a suggested article: the request is not sent.
  const [answered, setAnswered] = useState<{ id: number; title: string } | null>(null);
  const answeredRef = useRef<HTMLDivElement>(null);
  const [problems, setProblems] = useState<Partial<Record<string, Problem>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ request: PortalRequest; email: string | null } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  const signedIn = !!session;
  const home = `/help/${encodeURIComponent(ws)}`;
  const uploads = useUploads(portalUploadUrl(ws));

  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  useEffect(() => {
    if (answered) answeredRef.current?.focus();
  }, [answered]);

  function deflected(article: { id: number; title: string }, query: string) {
    setAnswered(article);
    // Counted for the team's figures; the customer is done either way.
    portalApi.deflection(ws, article.id, query).catch(() => undefined);
  }

  const set = (k: RequestField) => (e: { target: { value: string } }) => {
    const v = e.target.value;
    setValues((cur) => ({ ...cur, [k]: v }));
    if (problems[k]) setProblems((cur) => ({ ...cur, [k]: undefined }));
  };

  const focusFirst = (fields: string[]) => {
    const first = ["name", "email", "subject", "body"].find((f) => fields.includes(f));
    const el = first ? (formRef.current?.querySelector(`#rq-${first}`) as HTMLElement | null) : null;
    if (el) {
      el.focus({ preventScroll: true });
      el.closest(".p-field")?.scrollIntoView({ block: "center" }); // keep the label in view
    }
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy || uploads.uploading) return;
    setError(null);
    const found = validateRequest(values, signedIn);
    setProblems(found);
    if (Object.keys(found).length) {
      focusFirst(Object.keys(found));
      return;
    }
    setBusy(true);
    try {
      const request = await portalApi.submit(ws, {
        ...(signedIn ? {} : { name: values.name.trim(), email: values.email.trim() }),
        language: inst.language,
        subject: values.subject.trim(),
        body: values.body.trim(),
        ...(uploads.tokens.length ? { attachments: uploads.tokens } : {}),
      });
      uploads.clear();
      setDone({ request, email: signedIn ? null : values.email.trim() });
      setValues({ name: values.name, email: values.email, subject: "", body: "" });
    } catch (err) {
      const p = serverProblem(err);
      if (p) {
        setProblems({ [p.field]: p.problem });
        focusFirst([p.field]);
      } else setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <div className="p-card p-done" ref={doneRef} tabIndex={-1} data-testid="request-submitted">
        <div className="p-done-icon" aria-hidden="true">
          ✓
        </div>
        <h1>{t("done.title")}</h1>
        <p className="p-done-number">
          <span>{t("done.number")}</span>
          <strong data-testid="request-number">#{done.request.number}</strong>
        </p>
        <ExpectedReply at={done.request.expected_reply_at} />
        <p>{done.email ? t("done.copy", { email: done.email }) : t("done.copySignedIn")}</p>
        <p className="p-muted">{replyByTime(done.request.expected_reply_at, inst.language, Date.now()) ? t("done.nextWithTime") : t("done.next")}</p>
        <div className="p-actions">
          <button type="button" className="p-btn p-btn-primary" onClick={() => setDone(null)}>
            {t("done.another")}
          </button>
          <a className="p-btn" href={`${home}/requests`} onClick={linkClick}>
            {t("done.myRequests")}
          </a>
        </div>
      </div>
    );
  }

  if (answered) {
    return (
      <div className="p-card p-done" ref={answeredRef} tabIndex={-1} data-testid="deflected">
        <div className="p-done-icon" aria-hidden="true">
          ☺
        </div>
        <h1>{t("suggest.gladTitle")}</h1>
        <p>{t("suggest.gladText")}</p>
        <p className="p-muted">
          <a href={helpPaths(ws).article(answered.id)} onClick={linkClick}>
            {answered.title}
          </a>
        </p>
        <div className="p-actions">
          <a className="p-btn p-btn-primary" href={home} onClick={linkClick}>
            {t("app.backHome")}
          </a>
          <button type="button" className="p-btn" onClick={() => setAnswered(null)} data-testid="send-anyway">
            {t("suggest.sendAnyway")}
          </button>
        </div>
      </div>
    );
  }

  const err = (f: string) => (problems[f] ? problemText(t, f, problems[f]!) : undefined);
  const hasProblems = Object.values(problems).some(Boolean);
  return (
    <>
      <section className="p-hero">
        <PageHeading id="rq-title">{t("form.title")}</PageHeading>
        <p>{t("home.intro")}</p>
      </section>
      <form className="p-card" onSubmit={submit} noValidate ref={formRef} aria-labelledby="rq-title" data-testid="request-form">
        {hasProblems && <Alert>{t("form.fixFields")}</Alert>}
        {error ? <Alert testId="form-error">{errorText(t, error)}</Alert> : null}
        {signedIn ? (
          <p className="p-muted">{t("form.signedIn", { name: session!.customer.name })}</p>
        ) : (
          <div className="p-row">
            <Field id="rq-name" label={t("form.name")} error={err("name")}>
              {(aria) => (
                <input {...aria} type="text" autoComplete="name" value={values.name} onChange={set("name")} maxLength={400} />
              )}
            </Field>
            <Field id="rq-email" label={t("form.email")} hint={t("form.emailHint")} error={err("email")}>
              {(aria) => (
                <input
                  {...aria}
                  type="email"
                  inputMode="email"
                  autoComplete="email"
                  value={values.email}
                  onChange={set("email")}
                  spellCheck={false}
                />
              )}
            </Field>
          </div>
        )}
        <Field id="rq-subject" label={t("form.subject")} hint={t("form.subjectHint")} error={err("subject")}>
          {(aria) => <input {...aria} type="text" value={values.subject} onChange={set("subject")} />}
        </Field>
        <Field id="rq-body" label={t("form.body")} hint={t("form.bodyHint")} error={err("body")}>
          {(aria) => (
            <textarea
              {...aria}
              rows={7}
              value={values.body}
              onChange={set("body")}
              onPaste={(e) => {
                const files = pastedFiles(e.clipboardData);
                if (files.length) {
                  e.preventDefault();
                  uploads.add(files, true);
                }
              }}
            />
          )}
        </Field>
        <Suggestions ws={ws} query={suggestQuery(values.subject, values.body)} onAnswered={deflected} />
        <Attachments uploads={uploads} />
        <div className="p-actions">
          <button type="submit" className="p-btn p-btn-primary" disabled={busy || uploads.uploading || uploads.failed} data-testid="submit-request">
            {busy ? t("form.submitting") : t("form.submit")}
          </button>
        </div>
      </form>
    </>
  );
}

// ------------------------------------------------------------------ sign in

function SignInForm({ ws, notice }: { ws: string; notice?: ReactNode }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const sentRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (sentTo) sentRef.current?.focus();
  }, [sentTo]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    const p = checkEmail(email);
    setProblem(p);
    if (p) {
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      await portalApi.sendLink(ws, email.trim());
      setSentTo(email.trim());
    } catch (err) {
      const sp = serverProblem(err);
      if (sp) setProblem(sp.problem);
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (sentTo) {
    return (
      <div className="p-card p-narrow p-sent" ref={sentRef} tabIndex={-1} data-testid="link-sent">
        <div className="p-done-icon p-icon-mail" aria-hidden="true">
          ✉
        </div>
        <h1>{t("signIn.sentTitle")}</h1>
        <p>{t("signIn.sent", { email: sentTo })}</p>
        <p className="p-muted">{t("signIn.sentHint")}</p>
        <button type="button" className="p-linkbtn" onClick={() => setSentTo(null)}>
          {t("signIn.again")}
        </button>
      </div>
    );
  }
  return (
    <form className="p-card p-narrow" onSubmit={submit} noValidate data-testid="sign-in-form">
      <PageHeading>{t("signIn.title")}</PageHeading>
      {notice}
      <p>{t("signIn.intro")}</p>
      {error ? <Alert>{errorText(t, error)}</Alert> : null}
      <Field id="si-email" label={t("signIn.email")} error={problem ? problemText(t, "email", problem.problem === "required" ? problem : { problem: "invalidEmail" }) : undefined}>
        {(aria) => (
          <input
            {...aria}
            ref={input}
            type="email"
            inputMode="email"
            autoComplete="email"
            spellCheck={false}
            value={email}
            onChange={(e) => {
              setEmail(e.target.value);
              setProblem(null);
            }}
          />
        )}
      </Field>
      <div className="p-actions">
        <button type="submit" className="p-btn p-btn-primary" disabled={busy} data-testid="send-link">
          {busy ? t("signIn.submitting") : t("signIn.submit")}
        </button>
      </div>
    </form>
  );
}

function SignInLinkPage({ ws, onSignedIn }: { ws: string; onSignedIn: (s: PortalSession) => void }) {
  const { t } = useTranslation();
  const [state, setState] = useState<"working" | "invalid" | "missing" | "error">("working");
  const [error, setError] = useState<unknown>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = new URLSearchParams(location.hash.slice(1)).get("token");
    // The token is single-use; take it out of the address bar and history straight away.
    history.replaceState(null, "", location.pathname + location.search);
    if (!token) {
      setState("missing");
      return;
    }
    portalApi
      .openSession(ws, token)
      .then((s) => {
        onSignedIn(s);
        navigate(`/help/${encodeURIComponent(ws)}/requests`, true);
      })
      .catch((e) => {
        if (e instanceof ApiError && e.code === "unauthenticated") setState("invalid");
        else {
          setError(e);
          setState("error");
        }
      });
  }, [ws, onSignedIn]);

  if (state === "working") return <Loading text={t("signIn.completing")} />;
  const notice = (
    <Alert testId="link-problem">
      {state === "invalid" ? t("signIn.linkInvalid") : state === "missing" ? t("signIn.noToken") : errorText(t, error)}
    </Alert>
  );
  return <SignInForm ws={ws} notice={notice} />;
}

// ------------------------------------------------------------------ my requests

function MyRequestsPage({ ws, onSignedOut }: { ws: string; onSignedOut: () => void }) {
  const { t } = useTranslation();
  const fmt = useDateFormat();
  const [list, setList] = useState<PortalRequest[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const home = `/help/${encodeURIComponent(ws)}`;

  const load = useCallback(() => {
    setError(null);
    portalApi
      .requests(ws)
      .then((r) => setList(r.requests))
      .catch((e) => {
        if (e instanceof ApiError && e.status === 401) onSignedOut();
        else setError(e);
      });
  }, [ws, onSignedOut]);
  useEffect(load, [load]);

  return (
    <div className="p-card">
      <div className="p-card-head">
        <PageHeading>{t("requests.title")}</PageHeading>
        <a href={home} onClick={linkClick} className="p-btn p-btn-small">
          {t("requests.newRequest")}
        </a>
      </div>
      {error || !list ? <Loading error={error} retry={load} /> : null}
      {list && list.length === 0 && <p className="p-muted">{t("requests.empty")}</p>}
      {list && list.length > 0 && (
        <ul className="p-requests" data-testid="my-requests">
          {list.map((r) => (
            <li key={r.number}>
              <a href={`${home}/requests/${r.number}`} onClick={linkClick} className="p-request-link" data-testid="request-link">
                <span className="p-request-subject">{r.subject}</span>
                <span className="p-request-meta">
                  <span>{t("requests.number", { number: r.number })}</span>
                  <span aria-hidden="true"> · </span>
                  <span>{t("requests.updated", { date: fmt(r.updated_at) })}</span>
                </span>
                <StatusBadge status={r.status} />
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// ------------------------------------------------------------------ one request

function RequestPage({ ws, number, onSignedOut }: { ws: string; number: number; onSignedOut: () => void }) {
  const { t } = useTranslation();
  const fmt = useDateFormat();
  const [data, setData] = useState<{ request: PortalRequest; messages: PortalMessage[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reply, setReply] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [sendError, setSendError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const home = `/help/${encodeURIComponent(ws)}`;
  const uploads = useUploads(portalUploadUrl(ws));

  // The page re-reads now and then and after a reply: of overlapping reads only the newest counts.
  const loads = useRef(0);
  const load = useCallback(() => {
    const n = ++loads.current;
    return portalApi
      .request(ws, number)
      .then((d) => {
        if (n !== loads.current) return;
        setData(d);
        setError(null);
      })
      .catch((e) => {
        if (n !== loads.current) return;
        if (e instanceof ApiError && e.status === 401) onSignedOut();
        else setError(e);
      });
  }, [ws, number, onSignedOut]);

  useEffect(() => {
    void load();
    // New replies from the team show up while the page is open.
    const h = setInterval(() => {
      if (document.visibilityState === "visible") void load();
    }, 20000);
    return () => clearInterval(h);
  }, [load]);

  async function send(e: FormEvent) {
    e.preventDefault();
    if (busy || uploads.uploading || uploads.failed) return;
    setSent(false);
    setSendError(null);
    const p = checkText(reply, LIMITS.body, true);
    setProblem(p);
    if (p) {
      area.current?.focus();
      return;
    }
    setBusy(true);
    try {
      await portalApi.reply(ws, number, reply.trim(), uploads.tokens);
      setReply("");
      uploads.clear();
      await load(); // the reply in the conversation, then "sent"
      setSent(true);
    } catch (err) {
      const sp = serverProblem(err);
      if (sp) setProblem(sp.problem);
      else setSendError(err);
    } finally {
      setBusy(false);
    }
  }

  if (error)
    return (
      <div className="p-card p-narrow">
        <a href={`${home}/requests`} onClick={linkClick} className="p-back">
          ← {t("request.back")}
        </a>
        <Alert>{errorText(t, error)}</Alert>
      </div>
    );
  if (!data) return <Loading />;

  const { request, messages } = data;
  const cs = customerStatus(request.status);
  const closed = request.status === "closed";
  return (
    <article className="p-card p-request" aria-labelledby="rq-subject">
      <a href={`${home}/requests`} onClick={linkClick} className="p-back">
        ← {t("request.back")}
      </a>
      <header className="p-request-head">
        <PageHeading className="p-request-title">
          <span id="rq-subject" data-testid="request-subject">
            {request.subject}
          </span>
        </PageHeading>
        <p className="p-request-meta">
          <span>{t("requests.number", { number: request.number })}</span>
          <span aria-hidden="true"> · </span>
          <span>{t("requests.submitted", { date: fmt(request.created_at) })}</span>
        </p>
        <StatusBadge status={request.status} />
        {!closed && <ExpectedReply at={request.expected_reply_at} />}
      </header>
      <h2 className="sr-only">{t("request.conversation")}</h2>
      <ol className="p-convo" data-testid="conversation">
        {messages.length === 0 && <li className="p-muted">{t("request.noMessages")}</li>}
        {messages.map((m) => {
          const mine = m.author_type === "customer";
          const who = mine ? t("request.you") : m.author_name || t("request.support");
          return (
            <li key={m.id} className={mine ? "p-msg p-msg-mine" : "p-msg p-msg-theirs"} data-testid={mine ? "msg-mine" : "msg-agent"}>
              <div className="p-msg-head">
                <span className="p-msg-author" data-testid="msg-author">
                  {who}
                </span>
                <time dateTime={m.created_at}>{fmt(m.created_at)}</time>
              </div>
              <div className="p-msg-body">{m.body}</div>
              <AttachmentList attachments={m.attachments ?? []} urlFor={(id) => portalAttachmentUrl(ws, id)} />
            </li>
          );
        })}
      </ol>
      {closed ? (
        <Alert kind="info">{t("request.closed")}</Alert>
      ) : (
        <form className="p-reply" onSubmit={send} noValidate>
          {cs === "awaiting" && <p className="p-hint-strong">{t("request.awaitingHint")}</p>}
          {cs === "solved" && <p className="p-muted">{t("request.solvedHint")}</p>}
          <Field id="rp-body" label={t("request.replyLabel")} error={problem ? (problem.problem === "required" ? t("validation.replyRequired") : problemText(t, "body", problem)) : undefined}>
            {(aria) => (
              <textarea
                {...aria}
                ref={area}
                rows={4}
                value={reply}
                placeholder={t("request.replyPlaceholder")}
                onChange={(e) => {
                  setReply(e.target.value);
                  setProblem(null);
                  setSent(false);
                }}
                onPaste={(e) => {
                  const files = pastedFiles(e.clipboardData);
                  if (files.length) {
                    e.preventDefault();
                    uploads.add(files, true);
                  }
                }}
                data-testid="reply-body"
              />
            )}
          </Field>
          <Attachments uploads={uploads} />
          {sendError ? <Alert>{errorText(t, sendError)}</Alert> : null}
          {sent && (
            <Alert kind="ok" testId="reply-sent">
              {t("request.sent")}
            </Alert>
          )}
          <div className="p-actions">
            <button type="submit" className="p-btn p-btn-primary" disabled={busy || uploads.uploading || uploads.failed} data-testid="send-reply">
              {busy ? t("request.sending") : t("request.send")}
            </button>
          </div>
        </form>
      )}
    </article>
  );
}

// ------------------------------------------------------------------ attachments

/** The attach button, drop zone and the files being attached, for the form and the reply box. */
function Attachments({ uploads }: { uploads: ReturnType<typeof useUploads> }) {
  const { t } = useTranslation();
  return (
    <DropZone className="p-attach" onFiles={(f) => uploads.add(f)} testId="attach-zone">
      <div className="p-attach-row">
        <AttachButton onFiles={(f) => uploads.add(f)} className="p-btn p-btn-small att-button" />
        <span className="p-hint">{t("attachments.hint")}</span>
      </div>
      <PendingFiles items={uploads.items} onRemove={uploads.remove} errorText={(e) => errorText(t, e)} />
      {uploads.failed && <p className="p-field-error">{t("attachments.removeFailed")}</p>}
    </DropZone>
  );
}
