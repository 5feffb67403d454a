// Community moderation (/community/{pending|visible|hidden|bans}, /community/topics/{id}):
// the queue by state beside the chosen topic with its answers (status, votes, accepted,
// official), an official answer, hide/show, banning the author and "Make article", which
// opens the new draft in the article editor. Loaded on demand from App.tsx.
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api";
import { kbApi, type Author, type Ban, type KbCategory, type Post, type Topic, type TopicStatus, type TopicSummary } from "../kbApi";
import { linkClick, navigate } from "../lib/router";
import { stream } from "../lib/stream";
import { pickName } from "../lib/kb";
import { SafeHtml } from "../lib/safeHtml";
import { errorMessage } from "../lib/errors";
import { absoluteTime } from "../lib/time";
import { Avatar, ErrorBanner, RelTime, Spinner } from "../components/bits";
import { addKbDictionaries } from "../i18n/kb";
import "./kb.css";

addKbDictionaries();

const TABS = ["pending", "visible", "hidden", "bans"] as const;
type Tab = (typeof TABS)[number];
const PAGE = 50;

// The list the agent came from, so a topic opened from it keeps that tab.
let lastTab: Tab = "pending";

export default function CommunityPage({ tab, topicId }: { tab: string; topicId: number | null }) {
  const { t } = useTranslation();
  const current: Tab = (TABS as readonly string[]).includes(tab) ? (tab as Tab) : lastTab;
  lastTab = current;
  const [listTick, setListTick] = useState(0);
  return (
    <section className="community page-pad" aria-labelledby="community-title">
      <div className="kb-head">
        <div>
          <h1 id="community-title">{t("community.title")}</h1>
          <p className="muted">{t("community.intro")}</p>
        </div>
      </div>
      <div className="community-tabs" role="tablist" aria-label={t("community.tabsLabel")}>
        {TABS.map((x) => (
          <a
            key={x}
            role="tab"
            href={`/community/${x}`}
            onClick={linkClick}
            aria-selected={x === current}
            className={x === current ? "community-tab active" : "community-tab"}
            data-testid={`community-tab-${x}`}
          >
            {t(`community.tabs.${x}`)}
          </a>
        ))}
      </div>
      {current === "bans" && topicId === null ? (
        <BanList />
      ) : (
        <div className="community-layout">
          {current !== "bans" && <TopicList key={`${current}-${listTick}`} status={current} selected={topicId} />}
          <div className="community-main">
            {topicId === null ? (
              <div className="card">
                <div className="empty-state">
                  <span className="empty-icon" aria-hidden="true">
                    ✉
                  </span>
                  <p>{t("community.choose")}</p>
                </div>
              </div>
            ) : (
              <TopicView key={topicId} id={topicId} onChanged={() => setListTick((n) => n + 1)} />
            )}
          </div>
        </div>
      )}
    </section>
  );
}

function TopicList({ status, selected }: { status: TopicStatus; selected: number | null }) {
  const { t } = useTranslation();
  const [topics, setTopics] = useState<TopicSummary[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [more, setMore] = useState(false);
  const load = useCallback(() => {
    setError(null);
    kbApi
      .topics(status, null, PAGE)
      .then((r) => {
        setTopics(r.topics ?? []);
        setNext(r.next ?? null);
      })
      .catch(setError);
  }, [status]);
  useEffect(load, [load]);
  // New topics and answers arrive live (a customer asks while the moderator watches the queue).
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = stream.subscribe((e) => {
      if (!e.type.startsWith("community.topic.") && !e.type.startsWith("community.post.") && e.type !== "stream.reset") return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(load, 300);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [load]);
  async function loadMore() {
    if (next === null) return;
    setMore(true);
    try {
      const r = await kbApi.topics(status, next, PAGE);
      setTopics((x) => [...(x ?? []), ...(r.topics ?? [])]);
      setNext(r.next ?? null);
    } catch (e) {
      setError(e);
    } finally {
      setMore(false);
    }
  }
  return (
    <div className="card community-list" data-testid="community-list">
      <ErrorBanner error={error} onRetry={load} />
      {topics === null ? (
        !error && <Spinner />
      ) : topics.length === 0 ? (
        <p className="muted community-empty" data-testid="community-empty">
          {t(`community.empty.${status}`)}
        </p>
      ) : (
        <ul className="topic-list">
          {topics.map((tp) => (
            <li key={tp.id}>
              <a
                href={`/community/topics/${tp.id}`}
                onClick={linkClick}
                className={tp.id === selected ? "topic-item active" : "topic-item"}
                aria-current={tp.id === selected ? "page" : undefined}
                data-testid="community-topic"
                data-topic-id={tp.id}
              >
                <span className="topic-item-title">{tp.title}</span>
                <span className="topic-item-meta">
                  <span>{tp.author?.name}</span>
                  <span aria-hidden="true">·</span>
                  <RelTime iso={tp.created_at} />
                </span>
                <span className="topic-item-chips">
                  <span className="chip">{t("community.answers", { count: tp.answers ?? 0 })}</span>
                  <span className="chip">{t("community.votes", { count: tp.votes ?? 0 })}</span>
                  {(tp.pending_posts ?? 0) > 0 && (
                    <span className="chip chip-warn" data-testid="topic-pending-posts">
                      {t("community.pendingPosts", { count: tp.pending_posts })}
                    </span>
                  )}
                  {tp.accepted_post_id != null && <span className="chip chip-ok">✓ {t("community.hasAccepted")}</span>}
                  {tp.official && <span className="chip chip-official">{t("community.official")}</span>}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {next !== null && (
        <div className="kb-more">
          <button type="button" className="btn btn-small" onClick={() => void loadMore()} disabled={more}>
            {more ? t("app.loading") : t("community.loadMore")}
          </button>
        </div>
      )}
    </div>
  );
}

function TopicStatusPill({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`kb-status topic-status-${status}`} data-testid="topic-status">
      {t(`community.status.${status}`, { defaultValue: status })}
    </span>
  );
}

function AuthorLine({ author, at }: { author: Author; at: string }) {
  const { t, i18n } = useTranslation();
  return (
    <span className="post-author">
      <Avatar name={author?.name ?? "?"} kind={author?.kind === "agent" ? "agent" : "customer"} />
      <span className="post-author-name">{author?.name}</span>
      <span className={author?.kind === "agent" ? "chip chip-official" : "chip"}>
        {author?.kind === "agent" ? t("community.agent") : t("community.customer")}
      </span>
      <span className="muted small" title={absoluteTime(at, i18n.language)}>
        <RelTime iso={at} />
      </span>
    </span>
  );
}

function TopicView({ id, onChanged }: { id: number; onChanged: () => void }) {
  const { t } = useTranslation();
  const [topic, setTopic] = useState<Topic | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [banning, setBanning] = useState<Author | null>(null);
  const [making, setMaking] = useState(false);
  const [banned, setBanned] = useState<Set<number>>(new Set());

  // The topic and who is banned, read together; of overlapping reads only the newest counts.
  const loads = useRef(0);
  const load = useCallback(() => {
    const n = ++loads.current;
    setError(null);
    const bans = kbApi
      .bans()
      .then((r) => {
        if (n === loads.current) setBanned(new Set((r.bans ?? []).map((b) => b.customer_id)));
      })
      .catch(() => {});
    const topic = kbApi
      .topic(id)
      .then((tp) => {
        if (n === loads.current) setTopic(tp);
      })
      .catch((e) => {
        if (n === loads.current) setError(e);
      });
    return Promise.all([bans, topic]).then(() => {});
  }, [id]);
  useEffect(() => void load(), [load]);

  async function act(key: string, fn: () => Promise<unknown>, message: string) {
    setBusy(key);
    setActionError(null);
    setNotice(null);
    try {
      await fn();
      await load(); // the topic as it is now, then the notice that says so
      setNotice(message);
      onChanged();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(null);
    }
  }

  if (error)
    return error instanceof ApiError && error.code === "not_found" ? (
      <div className="banner banner-error" role="alert">
        {t("community.notFound")}
      </div>
    ) : (
      <ErrorBanner error={error} onRetry={() => void load()} />
    );
  if (!topic) return <Spinner />;

  const posts = [...(topic.posts ?? [])].sort((a, b) => Number(b.accepted) - Number(a.accepted) || a.created_at.localeCompare(b.created_at));

  return (
    <article className="card topic-view" aria-labelledby="topic-title" data-testid="topic-view" data-topic-id={topic.id}>
      <div className="topic-head">
        <div className="topic-head-text">
          <h2 id="topic-title" className="topic-title" data-testid="topic-title">
            {topic.title}
          </h2>
          <div className="topic-meta">
            <TopicStatusPill status={topic.status} />
            <AuthorLine author={topic.author} at={topic.created_at} />
            {topic.author?.kind === "customer" && banned.has(topic.author.id) && (
              <span className="chip chip-danger" data-testid="author-banned">
                {t("community.bannedBadge")}
              </span>
            )}
          </div>
        </div>
        <div className="btn-row topic-actions">
          {topic.status !== "visible" ? (
            <button
              type="button"
              className="btn btn-small btn-primary"
              disabled={!!busy}
              onClick={() => void act("topic", () => kbApi.setTopicStatus(topic.id, "visible"), t("community.topicShown"))}
              data-testid="topic-show"
            >
              {topic.status === "pending" ? t("community.approve") : t("community.showTopic")}
            </button>
          ) : null}
          {topic.status !== "hidden" && (
            <button
              type="button"
              className="btn btn-small"
              disabled={!!busy}
              onClick={() => void act("topic", () => kbApi.setTopicStatus(topic.id, "hidden"), t("community.topicHidden"))}
              data-testid="topic-hide"
            >
              {t("community.hideTopic")}
            </button>
          )}
          {topic.article_id ? (
            <a className="btn btn-small" href={`/kb/articles/${topic.article_id}`} onClick={linkClick} data-testid="topic-open-article">
              {t("community.openArticle")}
            </a>
          ) : (
            <button type="button" className="btn btn-small" disabled={!!busy} onClick={() => setMaking(true)} data-testid="topic-make-article">
              {t("community.makeArticle")}
            </button>
          )}
          {topic.author?.kind === "customer" && !banned.has(topic.author.id) && (
            <button type="button" className="btn btn-small btn-danger" disabled={!!busy} onClick={() => setBanning(topic.author)} data-testid="topic-ban">
              {t("community.ban")}
            </button>
          )}
          {topic.author?.kind === "customer" && banned.has(topic.author.id) && (
            <button
              type="button"
              className="btn btn-small"
              disabled={!!busy}
              onClick={() =>
                void act("unban", () => kbApi.unban(topic.author.id), t("community.unbanned", { name: topic.author.name }))
              }
              data-testid="topic-unban"
            >
              {t("community.unban")}
            </button>
          )}
        </div>
      </div>
      {notice && (
        <div className="banner banner-ok" role="status" data-testid="topic-notice">
          <span>{notice}</span>
        </div>
      )}
      <ErrorBanner error={actionError} onDismiss={() => setActionError(null)} />
      {making && (
        <MakeArticle
          topic={topic}
          onCancel={() => setMaking(false)}
          onMade={(articleId) => {
            onChanged();
            navigate(`/kb/articles/${articleId}`);
          }}
        />
      )}
      {banning && (
        <BanForm
          key={banning.id}
          author={banning}
          onCancel={() => setBanning(null)}
          onBanned={() => {
            void load(); // read after the ban: a read asked before it no longer counts
            setNotice(t("community.banned", { name: banning.name }));
            setBanned((b) => new Set(b).add(banning.id));
            setBanning(null);
          }}
        />
      )}
      {topic.status === "pending" && topic.pending_reason && <HeldBecause code={topic.pending_reason} />}
      <div className="topic-question">
        <SafeHtml html={topic.body_html ?? ""} className="md" testId="topic-body" />
      </div>
      <h3 className="card-subtitle">
        {t("community.answers", { count: posts.length })}
      </h3>
      {posts.length === 0 ? (
        <p className="muted">{t("community.noPosts")}</p>
      ) : (
        <ol className="post-list">
          {posts.map((p) => (
            <PostItem
              key={p.id}
              post={p}
              busy={!!busy}
              onStatus={(s) =>
                void act(`post-${p.id}`, () => kbApi.setPostStatus(p.id, s), s === "hidden" ? t("community.postHidden") : t("community.postShown"))
              }
              onBan={() => setBanning(p.author)}
              authorBanned={p.author?.kind === "customer" && banned.has(p.author.id)}
            />
          ))}
        </ol>
      )}
      <OfficialAnswer
        topicId={topic.id}
        onPosted={async () => {
          await load();
          setNotice(t("community.answerPosted"));
          onChanged();
        }}
      />
    </article>
  );
}

function PostItem(props: { post: Post; busy: boolean; onStatus: (s: "visible" | "hidden") => void; onBan: () => void; authorBanned: boolean }) {
  const { post, busy, onStatus, onBan, authorBanned } = props;
  const { t } = useTranslation();
  const cls = ["post", post.official ? "post-official" : "", post.accepted ? "post-accepted" : "", post.status !== "visible" ? "post-muted" : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <li className={cls} data-testid="community-post" data-post-id={post.id} data-status={post.status}>
      <div className="post-head">
        <AuthorLine author={post.author} at={post.created_at} />
        <span className="post-badges">
          {post.accepted && <span className="chip chip-ok" data-testid="post-accepted">✓ {t("community.accepted")}</span>}
          {post.official && <span className="chip chip-official" data-testid="post-official">{t("community.officialAnswer")}</span>}
          {post.status !== "visible" && <TopicStatusPill status={post.status} />}
          <span className="chip" title={t("community.votes", { count: post.votes ?? 0 })}>
            ▲ {post.votes ?? 0}
          </span>
        </span>
      </div>
      {post.status === "pending" && post.pending_reason && <HeldBecause code={post.pending_reason} />}
      <SafeHtml html={post.body_html ?? ""} className="md post-body" ugc />
      <div className="post-actions">
        {post.author?.kind === "customer" && !authorBanned && (
          <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={onBan} data-testid="post-ban">
            {t("community.ban")}
          </button>
        )}
        {post.status === "visible" ? (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            disabled={busy}
            aria-label={t("community.hidePostLabel", { name: post.author?.name })}
            onClick={() => onStatus("hidden")}
            data-testid="post-hide"
          >
            {t("community.hidePost")}
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-small"
            disabled={busy}
            aria-label={t("community.showPostLabel", { name: post.author?.name })}
            onClick={() => onStatus("visible")}
            data-testid="post-show"
          >
            {post.status === "pending" ? t("community.approve") : t("community.showPost")}
          </button>
        )}
      </div>
    </li>
  );
}

const HELD_REASONS = ["duplicate", "banned_words", "links_new_user", "too_many_links", "repeated_characters", "repeated_words", "shouting"];

/** Why the spam check held a topic or answer for review. */
function HeldBecause({ code }: { code: string }) {
  const { t } = useTranslation();
  const reason = HELD_REASONS.includes(code) ? t(`community.reasons.${code}`) : t("community.reasons.other");
  return (
    <p className="held-because small" data-testid="held-because">
      <span aria-hidden="true">⚑ </span>
      {t("community.heldBecause", { reason })}
    </p>
  );
}

function OfficialAnswer({ topicId, onPosted }: { topicId: number; onPosted: () => Promise<void> }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function post() {
    if (!text.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      await kbApi.addPost(topicId, text);
      setText("");
      await onPosted();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="official-answer" data-testid="official-answer">
      <label htmlFor="official-answer-text" className="card-subtitle">
        {t("community.answerTitle")}
      </label>
      <textarea
        id="official-answer-text"
        rows={5}
        value={text}
        placeholder={t("community.answerPlaceholder")}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
            e.preventDefault();
            void post();
          }
        }}
        data-testid="official-answer-text"
      />
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <div className="btn-row official-answer-foot">
        <button type="button" className="btn btn-primary" disabled={busy || !text.trim()} onClick={() => void post()} data-testid="official-answer-post">
          {busy ? t("community.posting") : t("community.postAnswer")}
        </button>
      </div>
    </div>
  );
}

function BanForm({ author, onCancel, onBanned }: { author: Author; onCancel: () => void; onBanned: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!reason.trim()) return setError(t("community.reasonRequired"));
    setBusy(true);
    setError(null);
    try {
      await kbApi.ban(author.id, reason.trim());
      onBanned();
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="inline-panel inline-panel-danger" onSubmit={submit} onKeyDown={(e) => e.key === "Escape" && onCancel()} data-testid="ban-form">
      <h3>{t("community.banTitle", { name: author.name })}</h3>
      <p className="muted small">{t("community.banText")}</p>
      <div className="field">
        <label htmlFor="ban-reason">{t("community.reason")}</label>
        <input
          id="ban-reason"
          ref={ref}
          value={reason}
          maxLength={500}
          placeholder={t("community.reasonPlaceholder")}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={error ? true : undefined}
          data-testid="ban-reason"
        />
      </div>
      {error && (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      )}
      <div className="btn-row">
        <button type="submit" className="btn btn-danger-solid btn-small" disabled={busy} data-testid="ban-confirm">
          {busy ? t("community.banning") : t("community.banYes")}
        </button>
        <button type="button" className="btn btn-small" onClick={onCancel} disabled={busy}>
          {t("app.cancel")}
        </button>
      </div>
    </form>
  );
}

function MakeArticle({ topic, onCancel, onMade }: { topic: Topic; onCancel: () => void; onMade: (articleId: number) => void }) {
  const { t, i18n } = useTranslation();
  const [categories, setCategories] = useState<KbCategory[] | null>(null);
  const [section, setSection] = useState<number | "">("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    kbApi
      .categories()
      .then((r) => {
        setCategories(r.categories ?? []);
        const first = (r.categories ?? []).flatMap((c) => c.sections ?? [])[0];
        if (first) setSection(first.id);
      })
      .catch(setError);
  }, []);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!section) return;
    setBusy(true);
    setError(null);
    try {
      const r = await kbApi.makeArticle(topic.id, section);
      onMade(r.article_id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const none = categories !== null && categories.every((c) => (c.sections ?? []).length === 0);
  return (
    <form className="inline-panel" onSubmit={submit} onKeyDown={(e) => e.key === "Escape" && onCancel()} data-testid="make-article-form">
      <h3>{t("community.makeArticleTitle")}</h3>
      <p className="muted small">{t("community.makeArticleText")}</p>
      {none ? (
        <p className="banner banner-warn">
          <span>{t("community.noSections")}</span>
          <a href="/kb" onClick={linkClick}>
            {t("kb.nav.kb")}
          </a>
        </p>
      ) : (
        <div className="field">
          <label htmlFor="make-article-section">{t("kb.editor.section")}</label>
          <select
            id="make-article-section"
            value={section}
            onChange={(e) => setSection(e.target.value ? Number(e.target.value) : "")}
            disabled={categories === null}
            data-testid="make-article-section"
          >
            <option value="">{t("kb.editor.chooseSection")}</option>
            {(categories ?? []).map((c) => (
              <optgroup key={c.id} label={pickName(c.names, i18n.language)}>
                {(c.sections ?? []).map((s) => (
                  <option key={s.id} value={s.id}>
                    {pickName(s.names, i18n.language)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
      )}
      <ErrorBanner error={error} />
      <div className="btn-row">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy || !section} data-testid="make-article-confirm">
          {busy ? t("community.creating") : t("community.createDraft")}
        </button>
        <button type="button" className="btn btn-small" onClick={onCancel} disabled={busy}>
          {t("app.cancel")}
        </button>
      </div>
    </form>
  );
}

function BanList() {
  const { t, i18n } = useTranslation();
  const [bans, setBans] = useState<Ban[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => {
    setError(null);
    kbApi
      .bans()
      .then((r) => setBans(r.bans ?? []))
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  const nameOf = (b: Ban) => b.customer_name || b.name || t("community.customerNumber", { id: b.customer_id });
  async function lift(b: Ban) {
    setError(null);
    try {
      await kbApi.unban(b.customer_id);
      setBans((list) => list?.filter((x) => x.customer_id !== b.customer_id) ?? list);
      setNotice(t("community.unbanned", { name: nameOf(b) }));
      load();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <div className="card" data-testid="community-bans">
      {notice && (
        <div className="banner banner-ok" role="status">
          {notice}
        </div>
      )}
      <ErrorBanner error={error} onRetry={load} />
      {bans === null ? (
        !error && <Spinner />
      ) : bans.length === 0 ? (
        <p className="muted">{t("community.bansEmpty")}</p>
      ) : (
        <ul className="ban-list">
          {bans.map((b) => (
            <li key={b.customer_id} className="ban-item" data-testid="ban-item">
              <div>
                <a href={`/customers/${b.customer_id}`} onClick={linkClick} className="ban-name">
                  {nameOf(b)}
                </a>
                <div className="muted small">
                  {b.reason}
                  {b.created_at ? ` · ${absoluteTime(b.created_at, i18n.language)}` : ""}
                </div>
              </div>
              <button type="button" className="btn btn-small" onClick={() => void lift(b)} data-testid="ban-lift">
                {t("community.unban")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
