// The community in the help centre: the list of questions (recent or most voted), a thread
// with its answers (the accepted one first, the team's official ones marked), asking,
// answering, voting and accepting. Reading is open to all; taking part needs signing in.
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { ApiError, portalApi, type CommunityAuthor, type CommunityPost, type PortalSession, type Topic, type TopicSummary } from "./api";
import { asVote, isOwn, orderAnswers, pendingReason, postFailure, pressVote, reasonOf, waitParts, type PostFailure, type VoteState } from "./community";
import { helpPaths, portalLinkClick as linkClick, portalNavigate, useQueryParams } from "./routes";
import { SafeHtml } from "../lib/safeHtml";
import { Alert, errorText, Field, Loading, PageHeading, problemText, useDateFormat } from "./ui";
import { checkText, type Problem } from "./validate";

const TITLE_MAX = 200;
const BODY_MAX = 20000;

/** The words for a failed community write (ban, too many posts, session, anything else). */
export function failureText(t: TFunction, language: string, f: PostFailure): string {
  switch (f.kind) {
    case "banned":
      return t("community.banned");
    case "rateLimited": {
      if (f.seconds == null) return t("community.rateLimited");
      const { unit, count } = waitParts(f.seconds);
      let time: string;
      try {
        time = new Intl.NumberFormat(language, { style: "unit", unit: unit === "seconds" ? "second" : "minute", unitDisplay: "long" }).format(count);
      } catch {
        time = `${count}`;
      }
      return t("community.rateLimitedWait", { time });
    }
    case "signedOut":
      return t("errors.unauthenticated");
    case "session":
      return t("errors.permission_denied");
    case "invalid":
      return t("errors.invalid_argument");
    case "other":
      return errorText(t, f.error);
  }
}

function heldText(t: TFunction, reason: unknown): string {
  const r = pendingReason(reason);
  return t(`community.held.${r}`);
}

function AuthorName({ author }: { author: CommunityAuthor }) {
  const { t } = useTranslation();
  return (
    <span className="p-author" data-testid="post-author">
      <span className={author.kind === "agent" ? "p-avatar p-avatar-team" : "p-avatar"} aria-hidden="true">
        {(author.name || "?").slice(0, 1).toUpperCase()}
      </span>
      <span className="p-author-name">{author.name}</span>
      {author.kind === "agent" && <span className="p-badge p-badge-team">{t("community.team")}</span>}
    </span>
  );
}

function SignInToTakePart({ ws }: { ws: string }) {
  const { t } = useTranslation();
  return (
    <div className="p-signin-prompt" data-testid="community-sign-in">
      <p>{t("community.signInToPost")}</p>
      <a className="p-btn p-btn-small" href={helpPaths(ws).requests} onClick={linkClick}>
        {t("community.signIn")}
      </a>
    </div>
  );
}

// ------------------------------------------------------------------ topic list

export function CommunityPage({ ws, session }: { ws: string; session: PortalSession | null }) {
  const { t, i18n: inst } = useTranslation();
  const fmt = useDateFormat();
  const params = useQueryParams();
  const sort = params.get("sort") === "votes" ? "votes" : "recent";
  const paths = helpPaths(ws);
  const [list, setList] = useState<{ sort: string; topics: TopicSummary[]; next: number | null } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [more, setMore] = useState(false);

  const load = useCallback(() => {
    let live = true;
    setError(null);
    portalApi.topics(ws, sort).then(
      (r) => live && setList({ sort, topics: r.topics ?? [], next: r.next ?? null }),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [ws, sort]);
  useEffect(load, [load]);
  useEffect(() => {
    document.title = `${t("community.title")} · ${t("app.helpCentre")}`;
  }, [t]);

  async function loadMore() {
    if (!list?.next || more) return;
    setMore(true);
    try {
      const r = await portalApi.topics(ws, sort, list.next);
      setList((cur) => (cur ? { ...cur, topics: [...cur.topics, ...(r.topics ?? [])], next: r.next ?? null } : cur));
    } catch (e) {
      setError(e);
    } finally {
      setMore(false);
    }
  }

  const current = list && list.sort === sort ? list : null;
  return (
    <>
      <section className="p-hero p-hero-community">
        <div>
          <PageHeading>{t("community.title")}</PageHeading>
          <p>{t("community.intro")}</p>
        </div>
        <a className="p-btn p-btn-primary" href={paths.ask} onClick={linkClick} data-testid="ask-community">
          {t("community.ask")}
        </a>
      </section>
      <div className="p-card">
        <nav className="p-tabs" aria-label={t("community.sortLabel")}>
          <a href={paths.community("recent")} onClick={linkClick} aria-current={sort === "recent" ? "page" : undefined} data-testid="sort-recent">
            {t("community.recent")}
          </a>
          <a href={paths.community("votes")} onClick={linkClick} aria-current={sort === "votes" ? "page" : undefined} data-testid="sort-votes">
            {t("community.mostVotes")}
          </a>
        </nav>
        {error || !current ? <Loading error={error} retry={load} /> : null}
        {current && current.topics.length === 0 && (
          <p className="p-muted p-community-empty" data-testid="community-empty">
            {t("community.empty")}
          </p>
        )}
        {current && current.topics.length > 0 && (
          <ul className="p-topics" data-testid="topics">
            {current.topics.map((topic) => (
              <li key={topic.id} className="p-topic-row" data-testid="topic-row" data-status={topic.status}>
                <div className="p-topic-stats">
                  <span className="p-stat">
                    <strong>{topic.votes.toLocaleString(inst.language)}</strong>
                    <span>{t("community.votesLabel")}</span>
                  </span>
                  <span className={topic.accepted_post_id ? "p-stat p-stat-answered" : "p-stat"}>
                    <strong>{topic.answers.toLocaleString(inst.language)}</strong>
                    <span>{t("community.answersLabel")}</span>
                  </span>
                </div>
                <div className="p-topic-main">
                  <a href={paths.topic(topic.id)} onClick={linkClick} className="p-topic-title" data-testid="topic-link" lang={topic.locale || undefined}>
                    {topic.title}
                  </a>
                  <p className="p-topic-meta">
                    <span>{t("community.askedBy", { name: topic.author.name, date: fmt(topic.created_at) })}</span>
                    {topic.accepted_post_id ? <span className="p-badge p-badge-ok">✓ {t("community.answered")}</span> : null}
                    {topic.official ? <span className="p-badge p-badge-team">{t("community.teamAnswered")}</span> : null}
                    {topic.status === "pending" ? <span className="p-badge p-badge-warn">{t("community.pending")}</span> : null}
                  </p>
                </div>
              </li>
            ))}
          </ul>
        )}
        {current?.next ? (
          <div className="p-actions">
            <button type="button" className="p-btn p-btn-small" onClick={() => void loadMore()} disabled={more} data-testid="topics-more">
              {more ? t("app.loading") : t("community.loadMore")}
            </button>
          </div>
        ) : null}
      </div>
      {!session && <SignInToTakePart ws={ws} />}
    </>
  );
}

// ------------------------------------------------------------------ ask

export function AskPage({ ws, session, onSignedOut }: { ws: string; session: PortalSession | null; onSignedOut: () => void }) {
  const { t, i18n: inst } = useTranslation();
  const paths = helpPaths(ws);
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [problems, setProblems] = useState<{ title?: Problem; body?: Problem }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [held, setHeld] = useState<Topic | null>(null);
  const heldRef = useRef<HTMLDivElement>(null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (held) heldRef.current?.focus();
  }, [held]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setFailure(null);
    const found = { title: checkText(title, TITLE_MAX) ?? undefined, body: checkText(body, BODY_MAX, true) ?? undefined };
    setProblems(found);
    if (found.title || found.body) {
      form.current?.querySelector<HTMLElement>(found.title ? "#ask-title" : "#ask-body")?.focus();
      return;
    }
    setBusy(true);
    try {
      const topic = await portalApi.ask(ws, { title: title.trim(), body_md: body.trim(), locale: inst.language });
      if (topic.status === "pending") setHeld(topic);
      else portalNavigate(paths.topic(topic.id));
    } catch (err) {
      const f = postFailure(err);
      if (f.kind === "signedOut") onSignedOut();
      if (f.kind === "invalid" && (f.field === "title" || f.field === "body_md"))
        setProblems(f.field === "title" ? { title: { problem: "required" } } : { body: { problem: "required" } });
      else setFailure(failureText(t, inst.language, f));
    } finally {
      setBusy(false);
    }
  }

  if (held)
    return (
      <div className="p-card p-done" ref={heldRef} tabIndex={-1} data-testid="topic-held">
        <div className="p-done-icon p-icon-wait" aria-hidden="true">
          ◷
        </div>
        <h1>{t("community.heldTitle")}</h1>
        <p data-testid="held-reason">{heldText(t, reasonOf(held))}</p>
        <p className="p-muted">{t("community.pendingNote")}</p>
        <div className="p-actions">
          <a className="p-btn p-btn-primary" href={paths.topic(held.id)} onClick={linkClick}>
            {t("community.viewQuestion")}
          </a>
          <a className="p-btn" href={paths.community()} onClick={linkClick}>
            {t("community.back")}
          </a>
        </div>
      </div>
    );

  return (
    <>
      <a href={paths.community()} onClick={linkClick} className="p-back">
        ← {t("community.back")}
      </a>
      <section className="p-hero">
        <PageHeading id="ask-heading">{t("community.askTitle")}</PageHeading>
        <p>{t("community.askIntro")}</p>
      </section>
      {!session ? (
        <SignInToTakePart ws={ws} />
      ) : (
        <form className="p-card" onSubmit={submit} noValidate ref={form} aria-labelledby="ask-heading" data-testid="ask-form">
          {failure && <Alert testId="community-error">{failure}</Alert>}
          <Field
            id="ask-title"
            label={t("community.titleLabel")}
            hint={t("community.titleHint")}
            error={problems.title ? (problems.title.problem === "required" ? t("community.titleRequired") : problemText(t, "title", problems.title)) : undefined}
          >
            {(aria) => (
              <input
                {...aria}
                type="text"
                value={title}
                maxLength={TITLE_MAX * 2}
                onChange={(e) => {
                  setTitle(e.target.value);
                  setProblems((p) => ({ ...p, title: undefined }));
                }}
              />
            )}
          </Field>
          <Field
            id="ask-body"
            label={t("community.bodyLabel")}
            hint={t("community.bodyHint")}
            error={problems.body ? (problems.body.problem === "required" ? t("community.bodyRequired") : problemText(t, "body", problems.body)) : undefined}
          >
            {(aria) => (
              <textarea
                {...aria}
                rows={8}
                value={body}
                onChange={(e) => {
                  setBody(e.target.value);
                  setProblems((p) => ({ ...p, body: undefined }));
                }}
              />
            )}
          </Field>
          <div className="p-actions">
            <button type="submit" className="p-btn p-btn-primary" disabled={busy} data-testid="post-question">
              {busy ? t("community.posting") : t("community.postQuestion")}
            </button>
          </div>
        </form>
      )}
    </>
  );
}

// ------------------------------------------------------------------ thread

export function TopicPage({ ws, id, session, onSignedOut }: { ws: string; id: number; session: PortalSession | null; onSignedOut: () => void }) {
  const { t, i18n: inst } = useTranslation();
  const fmt = useDateFormat();
  const paths = helpPaths(ws);
  const [topic, setTopic] = useState<Topic | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<{ kind: "error" | "ok" | "info"; text: string } | null>(null);

  const load = useCallback(() => {
    return portalApi.topic(ws, id).then(
      (tp) => {
        setTopic(tp);
        setError(null);
      },
      (e) => setError(e),
    );
  }, [ws, id]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (topic) document.title = `${topic.title} · ${t("app.helpCentre")}`;
  }, [topic, t]);

  const fail = (err: unknown) => {
    const f = postFailure(err);
    if (f.kind === "signedOut") onSignedOut();
    setNotice({ kind: "error", text: failureText(t, inst.language, f) });
  };

  const votesSent = useRef(new Map<number, { last: Promise<unknown>; count: number }>());
  async function vote(post: CommunityPost, pressed: 1 | -1) {
    const before: VoteState = { votes: post.votes, my_vote: asVote(post.my_vote) };
    const { next, send } = pressVote(before, pressed);
    const setPost = (v: VoteState) =>
      setTopic((cur) => (cur ? { ...cur, posts: cur.posts.map((p) => (p.id === post.id ? { ...p, votes: v.votes, my_vote: v.my_vote } : p)) } : cur));
    setNotice(null);
    setPost(next);
    // A post's votes go one after another, so the server keeps the last one pressed, and only
    // the answer to the last one is shown (an earlier answer arriving late would undo it).
    const line = votesSent.current.get(post.id) ?? { last: Promise.resolve(), count: 0 };
    votesSent.current.set(post.id, line);
    const mine = ++line.count;
    const sent = line.last.catch(() => {}).then(() => portalApi.vote(ws, post.id, send));
    line.last = sent;
    try {
      const r = await sent;
      if (line.count === mine) setPost({ votes: r.votes, my_vote: asVote(r.my_vote) });
    } catch (err) {
      // Only the last vote pressed speaks: its failure shows, and the post is read again.
      if (line.count === mine) {
        fail(err);
        void load();
      }
    }
  }

  async function accept(post: CommunityPost) {
    setNotice(null);
    try {
      const updated = await portalApi.accept(ws, id, post.id);
      if (updated && Array.isArray(updated.posts)) setTopic(updated);
      else await load();
      setNotice({ kind: "ok", text: t("community.acceptedDone") });
    } catch (err) {
      fail(err);
    }
  }

  if (error instanceof ApiError && error.status === 404)
    return (
      <div className="p-card p-narrow" data-testid="topic-not-found">
        <PageHeading>{t("community.notFound")}</PageHeading>
        <p>
          <a href={paths.community()} onClick={linkClick}>
            {t("community.back")}
          </a>
        </p>
      </div>
    );
  if (error || !topic) return <Loading error={error} retry={() => void load()} className="p-card" />;

  const me = session?.customer.id ?? null;
  const answers = orderAnswers(topic.posts ?? [], topic.accepted_post_id);
  return (
    <>
      <a href={paths.community()} onClick={linkClick} className="p-back">
        ← {t("community.back")}
      </a>
      <article className="p-card p-topic" aria-labelledby="topic-title" data-testid="topic">
        <PageHeading className="p-topic-heading">
          <span id="topic-title" data-testid="topic-title" lang={topic.locale || undefined}>
            {topic.title}
          </span>
        </PageHeading>
        <p className="p-topic-meta">
          <AuthorName author={topic.author} />
          <time dateTime={topic.created_at}>{fmt(topic.created_at)}</time>
          {topic.status === "pending" && <span className="p-badge p-badge-warn">{t("community.pending")}</span>}
        </p>
        {topic.status === "pending" && (
          <Alert kind="info" testId="topic-pending">
            {heldText(t, reasonOf(topic))} {t("community.pendingNote")}
          </Alert>
        )}
        <SafeHtml html={topic.body_html} className="p-prose" ugc testId="topic-body" lang={topic.locale || undefined} onLinkClick={linkClick} tableWrapClass="p-table-wrap" />
      </article>

      <section className="p-answers" aria-labelledby="answers-title">
        <h2 id="answers-title" className="p-section-title">
          {t("community.answersTitle")} <span className="p-count-pill">{answers.length.toLocaleString(inst.language)}</span>
        </h2>
        {notice && (
          <Alert kind={notice.kind} testId={notice.kind === "error" ? "community-error" : "community-notice"}>
            {notice.text}
          </Alert>
        )}
        {answers.length === 0 && <p className="p-muted p-card">{t("community.noAnswers")}</p>}
        <ol className="p-answer-list" data-testid="answers">
          {answers.map((post) => (
            <Answer
              key={post.id}
              post={post}
              accepted={post.accepted || topic.accepted_post_id === post.id}
              own={isOwn(post.author, me)}
              signedIn={!!session}
              canAccept={!!session && !!topic.can_accept}
              onVote={(v) => void vote(post, v)}
              onAccept={() => void accept(post)}
            />
          ))}
        </ol>
      </section>

      {session ? (
        <AnswerForm ws={ws} topicId={id} onPosted={load} onSignedOut={onSignedOut} />
      ) : (
        <SignInToTakePart ws={ws} />
      )}
    </>
  );
}

function Answer(props: {
  post: CommunityPost;
  accepted: boolean;
  own: boolean;
  signedIn: boolean;
  canAccept: boolean;
  onVote: (pressed: 1 | -1) => void;
  onAccept: () => void;
}) {
  const { t, i18n: inst } = useTranslation();
  const fmt = useDateFormat();
  const { post, accepted, own, signedIn } = props;
  const my = asVote(post.my_vote);
  const cannot = !signedIn ? t("community.signInToVote") : own ? t("community.ownPost") : undefined;
  const classes = ["p-answer", accepted ? "p-answer-accepted" : "", post.official ? "p-answer-official" : "", post.status === "pending" ? "p-answer-pending" : ""];
  return (
    <li
      className={classes.filter(Boolean).join(" ")}
      data-testid="answer"
      data-post-id={post.id}
      data-accepted={accepted ? "true" : "false"}
      data-official={post.official ? "true" : "false"}
    >
      <div className="p-vote" role="group" aria-label={t("community.votesLabel")}>
        <button
          type="button"
          className="p-vote-btn"
          aria-pressed={my === 1}
          aria-label={t("community.voteUp")}
          title={cannot ?? t("community.voteUp")}
          disabled={!!cannot}
          onClick={() => props.onVote(1)}
          data-testid="vote-up"
        >
          ▲
        </button>
        <span className="p-vote-count" data-testid="vote-count" aria-live="polite">
          {post.votes.toLocaleString(inst.language)}
        </span>
        <button
          type="button"
          className="p-vote-btn"
          aria-pressed={my === -1}
          aria-label={t("community.voteDown")}
          title={cannot ?? t("community.voteDown")}
          disabled={!!cannot}
          onClick={() => props.onVote(-1)}
          data-testid="vote-down"
        >
          ▼
        </button>
      </div>
      <div className="p-answer-main">
        {(accepted || post.official || post.status === "pending") && (
          <p className="p-answer-badges">
            {accepted && (
              <span className="p-badge p-badge-ok" data-testid="accepted-badge">
                ✓ {t("community.accepted")}
              </span>
            )}
            {post.official && (
              <span className="p-badge p-badge-team" data-testid="official-badge">
                ★ {t("community.official")}
              </span>
            )}
            {post.status === "pending" && <span className="p-badge p-badge-warn">{t("community.pending")}</span>}
          </p>
        )}
        <SafeHtml html={post.body_html} className="p-prose" ugc testId="answer-body" onLinkClick={linkClick} tableWrapClass="p-table-wrap" />
        <div className="p-answer-foot">
          <AuthorName author={post.author} />
          <time dateTime={post.created_at}>{fmt(post.created_at)}</time>
          {props.canAccept && !accepted && post.status !== "pending" && (
            <button type="button" className="p-btn p-btn-small p-accept" onClick={props.onAccept} data-testid="accept">
              ✓ {t("community.accept")}
            </button>
          )}
        </div>
      </div>
    </li>
  );
}

function AnswerForm({ ws, topicId, onPosted, onSignedOut }: { ws: string; topicId: number; onPosted: () => Promise<unknown>; onSignedOut: () => void }) {
  const { t, i18n: inst } = useTranslation();
  const [body, setBody] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [held, setHeld] = useState<string | null>(null);
  const [posted, setPosted] = useState(false);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setFailure(null);
    setHeld(null);
    setPosted(false);
    const p = checkText(body, BODY_MAX, true);
    setProblem(p);
    if (p) {
      area.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const post = await portalApi.answer(ws, topicId, body.trim());
      setBody("");
      await onPosted(); // the answer in the thread, then the line that says it was posted
      if (post?.status === "pending") setHeld(heldText(t, reasonOf(post)));
      else setPosted(true);
    } catch (err) {
      const f = postFailure(err);
      if (f.kind === "signedOut") onSignedOut();
      setFailure(failureText(t, inst.language, f));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="p-card p-answer-form" onSubmit={submit} noValidate data-testid="answer-form">
      <h2>{t("community.answerTitle")}</h2>
      {failure && <Alert testId="community-error">{failure}</Alert>}
      {held && (
        <Alert kind="info" testId="answer-held">
          {t("community.heldTitle")} {held}
        </Alert>
      )}
      {posted && (
        <Alert kind="ok" testId="answer-posted">
          {t("community.answerPosted")}
        </Alert>
      )}
      <Field
        id="answer-body"
        label={t("community.yourAnswer")}
        hint={t("community.answerHint")}
        error={problem ? (problem.problem === "required" ? t("community.answerRequired") : problemText(t, "body", problem)) : undefined}
      >
        {(aria) => (
          <textarea
            {...aria}
            ref={area}
            rows={5}
            value={body}
            onChange={(e) => {
              setBody(e.target.value);
              setProblem(null);
              setPosted(false);
            }}
            data-testid="answer-input"
          />
        )}
      </Field>
      <div className="p-actions">
        <button type="submit" className="p-btn p-btn-primary" disabled={busy} data-testid="post-answer">
          {busy ? t("community.posting") : t("community.postAnswer")}
        </button>
      </div>
    </form>
  );
}
