import { forwardRef, useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, attachmentUrl, newIdempotencyKey, PRIORITIES, STATUSES, type KEvent, type Message, type Ticket, type Customer } from "../api";
import { useSession, putCustomer } from "../state";
import { stream } from "../lib/stream";
import { drafts, outbox, onOutboxChange, type ComposerKind, type Queued } from "../lib/drafts";
import { analyseConflict, type ConflictAnalysis, type TicketPatch } from "../lib/conflict";
import { errorMessage } from "../lib/errors";
import { absoluteTime } from "../lib/time";
import { Avatar, ErrorBanner, RelTime, Spinner, StatusPill, PriorityMark } from "../components/bits";
import { CustomerPanel } from "./CustomerPanel";
import { tagView } from "./inboxModel";
import { linkClick, navigate } from "../lib/router";
import { usePresenceReporter, useTicketPresence } from "../lib/presence";
import { pastedFiles, useUploads } from "../lib/attachments";
import { AttachButton, AttachmentList, DropZone, PendingFiles } from "../components/Attachments";
import { isEmailMessage, MessageBody } from "../components/MessageBody";
import { channelName } from "../lib/channels";
import { slaEventView } from "../lib/due";
import { callEventView, isCallEvent } from "../lib/calls";
import { CallEvent } from "../components/CallEvent";
import { addSlaDictionaries } from "../i18n/sla";
import { OwnershipCard } from "./Routing";
import { SuggestedArticles } from "../components/SuggestedArticles";
import { insertAtCursor } from "../lib/insertAtCursor";

addSlaDictionaries(); // SLA warnings in the timeline name the target (inbox.due.metrics.*)

const IS_MAC = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
export const SWITCH_KEY_LABEL = IS_MAC ? "⌘⇧X" : "Ctrl+Shift+X";
export const SEND_KEY_LABEL = IS_MAC ? "⌘↵" : "Ctrl+Enter";

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  const tag = el.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
}

interface ConflictState {
  base: Ticket;
  theirs: Ticket;
  mine: TicketPatch;
  analysis: ConflictAnalysis;
  by: string;
}

type TimelineItem =
  | { kind: "message"; at: string; key: string; message: Message }
  | { kind: "event"; at: string; key: string; event: KEvent }
  | { kind: "queued"; at: string; key: string; queued: Queued };

export function TicketPage({ id }: { id: number }) {
  const { t, i18n } = useTranslation();
  const { session, agents, teams, reloadDirectory } = useSession();
  const wsId = session.workspace.id;
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [events, setEvents] = useState<KEvent[]>([]);
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [conflict, setConflict] = useState<ConflictState | null>(null);
  const [pendingRemote, setPendingRemote] = useState<{ ticket: Ticket; by: string } | null>(null);
  const [queued, setQueued] = useState<Queued[]>(() => outbox.load(wsId, id));
  const fieldsRef = useRef<HTMLDivElement>(null);
  const composerRef = useRef<ComposerHandle>(null);
  const ticketRef = useRef<Ticket | null>(null);
  ticketRef.current = ticket;
  const [replying, setReplying] = useState(false);
  usePresenceReporter(id, session.agent.id, replying);
  const colleagues = useTicketPresence(id, session.agent.id);
  // A colleague added since the directory was loaded: fetch the names again (once per id).
  const askedFor = useRef(new Set<number>());
  useEffect(() => {
    const unknown = colleagues.filter((p) => !agents.some((a) => a.id === p.agentId) && !askedFor.current.has(p.agentId));
    if (unknown.length === 0) return;
    for (const p of unknown) askedFor.current.add(p.agentId);
    reloadDirectory();
  }, [colleagues, agents, reloadDirectory]);

  const agentName = useCallback(
    (aid: number | null | undefined) => (aid == null ? t("ticket.unassigned") : agents.find((a) => a.id === aid)?.name ?? `#${aid}`),
    [agents, t],
  );
  const teamName = useCallback(
    (tid: number | null | undefined) => (tid == null ? t("ticket.noTeam") : teams.find((x) => x.id === tid)?.name ?? `#${tid}`),
    [teams, t],
  );

  const loadConversation = useCallback(() => {
    return Promise.all([api.messages(id), api.events(id)]).then(([m, e]) => {
      setMessages(m.messages);
      setEvents(e.events);
    });
  }, [id]);

  const loadAll = useCallback(() => {
    setLoadError(null);
    api
      .ticket(id)
      .then((tk) => {
        setTicket(tk);
        return Promise.all([
          loadConversation(),
          api.customer(tk.requester_id).then((c) => {
            setCustomer(c);
            putCustomer(c);
          }),
        ]);
      })
      .catch(setLoadError);
  }, [id, loadConversation]);

  useEffect(() => {
    setTicket(null);
    setConflict(null);
    setPendingRemote(null);
    setQueued(outbox.load(wsId, id));
    loadAll();
  }, [id, wsId, loadAll]);

  useEffect(
    () =>
      onOutboxChange(() => {
        setQueued(outbox.load(wsId, id));
        void loadConversation().catch(() => {});
      }),
    [wsId, id, loadConversation],
  );

  // Live: reload the conversation; take the other person's field changes unless the agent
  // is in the middle of editing a field (then they are held and shown, see conflict.ts).
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = stream.subscribe((e) => {
      if (e.type === "stream.reset") {
        loadAll();
        return;
      }
      if (!("ticket_id" in e) || e.ticket_id !== id) return;
      // Only stored changes reload the page (not e.g. presence pings).
      if (e.type !== "ticket.updated" && e.type !== "message.created" && e.type !== "ticket.created" && !isCallEvent(e.type)) return;
      const ev = e as KEvent;
      // A change this page already shows (e.g. its own edit, echoed back) needs no reload.
      const v = ev.data?.version;
      const cur0 = ticketRef.current;
      if (ev.type === "ticket.updated" && typeof v === "number" && cur0 && v <= cur0.version) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        void loadConversation().catch(() => {});
        api
          .ticket(id)
          .then((tk) => {
            const cur = ticketRef.current;
            if (!cur || tk.version <= cur.version) return;
            const byMe = ev.actor_id === session.agent.id && ev.actor_type === "agent";
            const editing = fieldsRef.current?.contains(document.activeElement) ?? false;
            if (editing && !byMe) setPendingRemote({ ticket: tk, by: agentName(ev.actor_id) });
            else setTicket(tk);
          })
          .catch(() => {});
      }, 80);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [id, loadAll, loadConversation, session.agent.id, agentName]);

  const applyPendingRemote = useCallback(() => {
    setPendingRemote((p) => {
      if (p) setTicket((cur) => (cur && p.ticket.version > cur.version ? p.ticket : cur));
      return null;
    });
  }, []);

  async function whoChanged(since: number): Promise<string> {
    try {
      const ev = await api.events(id);
      setEvents(ev.events);
      const last = [...ev.events].reverse().find((e) => e.type === "ticket.updated" || e.type === "message.created");
      if (last && last.id > since) return last.actor_type === "customer" ? t("timeline.customer") : agentName(last.actor_id);
      if (last) return last.actor_type === "customer" ? t("timeline.customer") : agentName(last.actor_id);
    } catch {
      /* fall through */
    }
    return t("ticket.someone");
  }

  const update = useCallback(
    async (patch: TicketPatch) => {
      const base = ticketRef.current;
      if (!base) return;
      setActionError(null);
      try {
        const next = await api.updateTicket(id, base.version, patch);
        setTicket(next);
        setPendingRemote(null);
        void loadConversation().catch(() => {});
      } catch (e) {
        if (e instanceof ApiError && e.code === "precondition_failed") {
          // The 412 carries the ticket as it now is; fetch it only from an older server.
          const current = e.problem?.current as Ticket | undefined;
          const theirs = current && typeof current.version === "number" ? current : await api.ticket(id).catch(() => null);
          if (!theirs) {
            setActionError(e);
            return;
          }
          const lastEventId = events.length ? events[events.length - 1].id : 0;
          const by = await whoChanged(lastEventId);
          setPendingRemote(null);
          setConflict({ base, theirs, mine: patch, analysis: analyseConflict(base, theirs, patch), by });
          setTicket(theirs);
        } else {
          setActionError(e);
        }
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [id, events, loadConversation],
  );

  async function reapply() {
    if (!conflict) return;
    const { theirs, analysis } = conflict;
    setConflict(null);
    if (analysis.alreadyApplied) return;
    ticketRef.current = theirs;
    await update(analysis.reapply);
  }

  // r / n / s on the ticket page.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (e.key === "r" || e.key === "n") {
        e.preventDefault();
        composerRef.current?.focus(e.key === "r" ? "public" : "note");
      } else if (e.key === "s") {
        const tk = ticketRef.current;
        if (tk && tk.status !== "solved" && tk.status !== "closed") {
          e.preventDefault();
          void update({ status: "solved" });
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [update]);

  const timeline = useMemo<TimelineItem[]>(() => {
    const items: TimelineItem[] = messages.map((m) => ({ kind: "message", at: m.created_at, key: `m${m.id}`, message: m }));
    for (const e of events) {
      const changes = (e.data?.changes ?? {}) as Record<string, unknown>;
      const relevant =
        e.type === "ticket.created" ||
        (e.type === "ticket.updated" && Object.keys(changes).length > 0) ||
        (e.type === "message.created" && "status" in changes) ||
        e.type === "sla.warning" ||
        e.type === "sla.breached" ||
        isCallEvent(e.type);
      if (relevant) items.push({ kind: "event", at: e.created_at, key: `e${e.id}`, event: e });
    }
    items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.kind === "event" && b.kind === "message" ? -1 : 0));
    for (const q of queued) items.push({ kind: "queued", at: new Date(q.queuedAt).toISOString(), key: `q${q.key}`, queued: q });
    return items;
  }, [messages, events, queued]);

  if (loadError)
    return (
      <div className="page-pad">
        <a href="/inbox/mine" onClick={linkClick} className="back-link">
          ← {t("ticket.back")}
        </a>
        <ErrorBanner error={loadError} onRetry={loadAll} />
      </div>
    );
  if (!ticket) return <Spinner />;

  const requesterName = customer?.name ?? ticket.requester_name ?? "";
  const tz = session.workspace.time_zone;

  const describeEvent = (e: KEvent): string[] => {
    const actor =
      e.actor_type === "customer"
        ? requesterName || t("timeline.customer")
        : e.actor_type === "system"
          ? "Kizuna"
          : e.actor_id === session.agent.id
            ? t("ticket.you")
            : agentName(e.actor_id);
    if (e.type === "ticket.created") return [t("timeline.created", { actor })];
    const changes = (e.data?.changes ?? {}) as Record<string, [unknown, unknown]>;
    const out: string[] = [];
    for (const [field, pair] of Object.entries(changes)) {
      if (!Array.isArray(pair)) continue;
      const [from, to] = pair;
      const fmt = (v: unknown): string => {
        if (v === null || v === undefined || v === "") return t("timeline.none");
        if (field === "status") return t(`status.${v}`);
        if (field === "priority") return t(`priority.${v}`);
        if (field === "assignee_id") return agentName(v as number);
        if (field === "team_id") return teamName(v as number);
        return String(v);
      };
      if (field === "first_reply_at") continue;
      if (field === "tags") out.push(t("timeline.changedTags", { actor }));
      else if (field === "fields") out.push(t("timeline.changedFields", { actor }));
      else {
        const label = field === "assignee_id" ? t("ticket.assignee") : field === "team_id" ? t("ticket.team") : field === "subject" ? t("inbox.subject") : t(`ticket.${field}`);
        out.push(t("timeline.changed", { actor, field: label, from: fmt(from), to: fmt(to) }));
      }
    }
    return out;
  };

  return (
    <div className="ticket-page">
      <section className="ticket-main" aria-labelledby="ticket-subject">
        <div className="ticket-head">
          <a href="/inbox/mine" onClick={linkClick} className="back-link">
            ← {t("ticket.back")}
          </a>
          <h1 id="ticket-subject" data-testid="ticket-subject">
            <span className="ticket-number">#{ticket.number}</span> {ticket.subject}
          </h1>
          <div className="ticket-meta">
            <StatusPill status={ticket.status} />
            <PriorityMark priority={ticket.priority} />
            <span className="muted small">
              {t("ticket.channel")}: {channelName(t, ticket.channel)} · {t("ticket.created")}: {absoluteTime(ticket.created_at, i18n.language, tz)}
            </span>
          </div>
          <div className="presence" aria-live="polite" data-testid="presence">
            {colleagues.map((p) => (
              <span key={p.agentId} className={`presence-item presence-${p.state}`} data-testid={`presence-${p.state}`}>
                <span className="presence-dot" aria-hidden="true" />
                {t(p.state === "replying" ? "presence.replying" : "presence.viewing", { name: agentName(p.agentId) })}
              </span>
            ))}
          </div>
        </div>
        <ErrorBanner error={actionError} onDismiss={() => setActionError(null)} />
        <ol className="timeline" aria-label={t("timeline.label")} data-testid="timeline">
          {timeline.length === 0 && <li className="muted">{t("timeline.empty")}</li>}
          {timeline.map((item) => {
            if (item.kind === "event") {
              const sla = slaEventView(t, item.event.type, item.event.data ?? {}, item.event.created_at);
              if (sla)
                return (
                  <li
                    key={item.key}
                    className={`tl-event tl-sla tl-sla-${sla.tone}`}
                    data-testid="tl-sla"
                    data-tone={sla.tone}
                    title={sla.dueAt ? t("timeline.slaDueAt", { time: absoluteTime(sla.dueAt, i18n.language, tz) }) : undefined}
                  >
                    <span className="tl-sla-icon" aria-hidden="true">
                      {sla.tone === "breached" ? "!" : "◷"}
                    </span>
                    <span className="tl-event-text">
                      <span>{sla.text}</span>
                    </span>
                    <RelTime iso={item.at} timeZone={tz} />
                  </li>
                );
              const call = callEventView(t, item.event.type, item.event.data ?? {}, { agent: agentName, team: teamName });
              if (call) return <CallEvent key={item.key} call={call} fallbackAt={item.at} timeZone={tz} />;
              const lines = describeEvent(item.event);
              if (lines.length === 0) return null;
              return (
                <li key={item.key} className="tl-event" data-testid="tl-event">
                  <span className="tl-event-line" aria-hidden="true" />
                  <span className="tl-event-text">
                    {lines.map((l, i) => (
                      <span key={i}>{l}</span>
                    ))}
                  </span>
                  <RelTime iso={item.at} timeZone={tz} />
                </li>
              );
            }
            if (item.kind === "queued") {
              return (
                <li key={item.key} className={`msg msg-${item.queued.kind} msg-queued`} data-testid="msg-queued">
                  <div className="msg-head">
                    <span className="msg-author">{t("ticket.you")}</span>
                    <span className="msg-tag msg-tag-queued">{t("composer.queued")}</span>
                  </div>
                  <div className="msg-body">{item.queued.body}</div>
                </li>
              );
            }
            const m = item.message;
            const author =
              m.author_type === "customer"
                ? requesterName || t("timeline.customer")
                : m.author_type === "agent"
                  ? agentName(m.author_id)
                  : "Kizuna";
            return (
              <li
                key={item.key}
                className={`msg msg-${m.kind} msg-from-${m.author_type}`}
                data-testid={m.kind === "note" ? "msg-note" : "msg-public"}
              >
                <div className="msg-head">
                  <Avatar name={author} kind={m.author_type} />
                  <span className="msg-author">{author}</span>
                  {m.kind === "note" ? (
                    <span className="msg-tag msg-tag-note">{t("timeline.internalNote")}</span>
                  ) : m.author_type === "agent" ? (
                    <span className="msg-tag msg-tag-public">{t("timeline.publicReply")}</span>
                  ) : null}
                  {isEmailMessage(m) && (
                    <span className="msg-tag msg-tag-email" title={t("timeline.emailTitle")} data-testid="msg-email">
                      <span aria-hidden="true">✉ </span>
                      {t("timeline.email")}
                    </span>
                  )}
                  <RelTime iso={m.created_at} timeZone={tz} />
                </div>
                <MessageBody message={m} />
                <AttachmentList attachments={m.attachments} urlFor={attachmentUrl} />
              </li>
            );
          })}
        </ol>
        <Composer
          ref={composerRef}
          ticket={ticket}
          wsId={wsId}
          requesterName={requesterName}
          onSent={(tk) => {
            setTicket((cur) => (cur && tk.version >= cur.version ? tk : cur));
            void loadConversation().catch(() => {});
          }}
          onQueued={() => setQueued(outbox.load(wsId, id))}
          onReplyingChange={setReplying}
        />
      </section>
      <aside className="ticket-side" aria-label={t("ticket.details")}>
        {conflict && (
          <ConflictPanel
            conflict={conflict}
            agentName={agentName}
            teamName={teamName}
            onReapply={reapply}
            onKeepTheirs={() => setConflict(null)}
          />
        )}
        {pendingRemote && !conflict && (
          <div className="banner banner-info" role="status" data-testid="remote-change">
            <span>{t("ticket.changedElsewhere", { name: pendingRemote.by })}</span>
          </div>
        )}
        <div
          className="card fields-card"
          ref={fieldsRef}
          onBlur={(e) => {
            if (!fieldsRef.current?.contains(e.relatedTarget as Node)) applyPendingRemote();
          }}
        >
          <h2 className="card-title">{t("ticket.details")}</h2>
          <div className="field">
            <label htmlFor="f-status">{t("ticket.status")}</label>
            <select
              id="f-status"
              value={ticket.status}
              disabled={ticket.status === "closed"}
              onChange={(e) => void update({ status: e.target.value as Ticket["status"] })}
            >
              {STATUSES.filter((s) => s !== "new" || ticket.status === "new").map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-priority">{t("ticket.priority")}</label>
            <select id="f-priority" value={ticket.priority} onChange={(e) => void update({ priority: e.target.value as Ticket["priority"] })}>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`priority.${p}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-assignee">{t("ticket.assignee")}</label>
            <select
              id="f-assignee"
              value={ticket.assignee_id ?? ""}
              onChange={(e) => void update({ assignee_id: e.target.value ? Number(e.target.value) : null })}
            >
              <option value="">{t("ticket.unassigned")}</option>
              {agents
                .filter((a) => a.active || a.id === ticket.assignee_id)
                .map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-team">{t("ticket.team")}</label>
            <select id="f-team" value={ticket.team_id ?? ""} onChange={(e) => void update({ team_id: e.target.value ? Number(e.target.value) : null })}>
              <option value="">{t("ticket.noTeam")}</option>
              {teams.map((tm) => (
                <option key={tm.id} value={tm.id}>
                  {tm.name}
                </option>
              ))}
            </select>
          </div>
          <TagEditor tags={ticket.tags} onChange={(tags) => void update({ tags })} />
        </div>
        <SuggestedArticles ticketId={ticket.id} onInsert={(text) => composerRef.current?.insertText(text) ?? false} />
        <OwnershipCard ticket={ticket} />
        <CustomerPanel
          customer={customer}
          currentTicketId={ticket.id}
          onDeleted={session.agent.role === "agent" ? undefined : () => navigate("/inbox/mine")}
        />
      </aside>
    </div>
  );
}

function TagEditor({ tags, onChange }: { tags: string[]; onChange: (tags: string[]) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  function add() {
    const v = text.trim().toLowerCase().replace(/[\s,]+/g, "-");
    if (!v) return;
    setText("");
    if (!tags.includes(v)) onChange([...tags, v].sort());
  }
  return (
    <div className="field">
      <label htmlFor="f-tags">{t("ticket.tags")}</label>
      <ul className="tags">
        {tags.length === 0 && <li className="muted small">{t("ticket.noTags")}</li>}
        {tags.map((tag) => (
          <li key={tag} className="tag">
            <a href={`/inbox/${tagView(tag)}`} onClick={linkClick} className="tag-link">
              {tag}
            </a>
            <button type="button" className="tag-x" aria-label={t("ticket.removeTag", { tag })} onClick={() => onChange(tags.filter((x) => x !== tag))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <input
        id="f-tags"
        value={text}
        placeholder={t("ticket.addTag")}
        aria-describedby="f-tags-hint"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            add();
          }
        }}
      />
      <p className="hint" id="f-tags-hint">
        {t("ticket.addTagHint")}
      </p>
    </div>
  );
}

function ConflictPanel(props: {
  conflict: ConflictState;
  agentName: (id: number | null) => string;
  teamName: (id: number | null) => string;
  onReapply: () => void;
  onKeepTheirs: () => void;
}) {
  const { t } = useTranslation();
  const { conflict, agentName, teamName } = props;
  const { analysis } = conflict;
  const fieldLabel = (f: string) =>
    f === "assignee_id" ? t("ticket.assignee") : f === "team_id" ? t("ticket.team") : f === "subject" ? t("inbox.subject") : t(`ticket.${f}`);
  const fmt = (f: string, v: unknown): string => {
    if (v === undefined) return "—";
    if (f === "status") return t(`status.${v}`);
    if (f === "priority") return t(`priority.${v}`);
    if (f === "assignee_id") return agentName(v as number | null);
    if (f === "team_id") return teamName(v as number | null);
    if (Array.isArray(v)) return v.join(", ") || t("timeline.none");
    return String(v);
  };
  const mineFields = Object.keys(conflict.mine);
  const rows = new Set<string>([...analysis.theirChanges.map((c) => c.field), ...mineFields]);
  return (
    <div className="conflict" role="alertdialog" aria-labelledby="conflict-title" data-testid="conflict">
      <h2 id="conflict-title">{t("conflict.title")}</h2>
      <p>{t("conflict.by", { name: conflict.by })}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("conflict.field")}</th>
            <th scope="col">{t("conflict.theirs")}</th>
            <th scope="col">{t("conflict.yours")}</th>
          </tr>
        </thead>
        <tbody>
          {[...rows].map((f) => (
            <tr key={f} className={analysis.overlapping.includes(f as never) ? "overlap" : undefined}>
              <th scope="row">{fieldLabel(f)}</th>
              <td data-testid={`theirs-${f}`}>{fmt(f, (conflict.theirs as unknown as Record<string, unknown>)[f])}</td>
              <td>{f in conflict.mine ? fmt(f, (conflict.mine as Record<string, unknown>)[f]) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small">
        {analysis.overlapping.length
          ? t("conflict.overlap", { fields: analysis.overlapping.map(fieldLabel).join(", ") })
          : t("conflict.noOverlap")}
      </p>
      <div className="btn-row">
        <button type="button" className="btn btn-primary" onClick={props.onReapply} autoFocus>
          {t("conflict.reapply")}
        </button>
        <button type="button" className="btn" onClick={props.onKeepTheirs}>
          {t("conflict.keepTheirs")}
        </button>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------- composer

export interface ComposerHandle {
  focus: (kind: ComposerKind) => void;
  /** Puts `text` where the caret is (or was last) in the reply box; false when the box is closed. */
  insertText: (text: string) => boolean;
}

const Composer = forwardRef<
  ComposerHandle,
  {
    ticket: Ticket;
    wsId: number;
    requesterName: string;
    onSent: (t: Ticket) => void;
    onQueued: () => void;
    onReplyingChange: (replying: boolean) => void;
  }
>(function Composer({ ticket, wsId, requesterName, onSent, onQueued, onReplyingChange }, ref) {
  const { t } = useTranslation();
  const initial = drafts.load(wsId, ticket.id);
  const [kind, setKind] = useState<ComposerKind>(initial?.kind ?? "public");
  const [body, setBody] = useState(initial?.body ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const ticketId = ticket.id;
  const [focused, setFocused] = useState(false);
  const hasText = body.trim().length > 0;
  const uploads = useUploads("/api/v1/attachments");
  const { clear: clearUploads } = uploads;

  // Presence: "replying" while the composer has focus and text (the reporter throttles).
  useEffect(() => {
    onReplyingChange(focused && hasText);
  }, [focused, hasText, onReplyingChange]);

  useEffect(() => {
    const d = drafts.load(wsId, ticketId);
    setKind(d?.kind ?? "public");
    setBody(d?.body ?? "");
    setError(null);
    clearUploads();
  }, [wsId, ticketId, clearUploads]);

  // Keep the draft on this device while typing.
  useEffect(() => {
    const h = setTimeout(() => {
      drafts.save(wsId, ticketId, { kind, body });
      setSaved(body.trim().length > 0);
    }, 300);
    return () => clearTimeout(h);
  }, [wsId, ticketId, kind, body]);

  useImperativeHandle(ref, () => ({
    focus(k) {
      setKind(k);
      area.current?.focus();
    },
    insertText(text) {
      const el = area.current;
      if (!el || el.disabled) return false;
      // The textarea keeps its selection while another control has the focus.
      const { value, caret } = insertAtCursor(el.value, el.selectionStart, el.selectionEnd, text);
      setBody(value);
      requestAnimationFrame(() => {
        el.focus();
        el.setSelectionRange(caret, caret);
      });
      return true;
    },
  }));

  // Empties the box after a send, unless the agent has already started the next message
  // while it was on its way (the conversation can show the sent one before its answer).
  const bodyNow = useRef(body);
  bodyNow.current = body;
  function clearSent(text: string) {
    if (bodyNow.current.trim() !== text) return;
    setBody("");
    clearUploads();
    drafts.clear(wsId, ticketId);
  }

  async function send(solve: boolean) {
    const text = body.trim();
    if (!text || busy || uploads.uploading || uploads.failed) return;
    const tokens = uploads.tokens;
    const payload = {
      kind,
      body: text,
      status: solve ? ("solved" as const) : undefined,
      ...(tokens.length ? { attachments: tokens } : {}),
    };
    const key = newIdempotencyKey();
    setBusy(true);
    setError(null);
    try {
      const res = await api.addMessage(ticketId, payload, key);
      clearSent(text);
      onSent(res.ticket);
    } catch (e) {
      if (e instanceof ApiError && (e.isNetwork || e.status === 503)) {
        // The connection dropped: keep the message and send it (same key) when back online.
        outbox.enqueue(wsId, ticketId, { ...payload, key });
        clearSent(text);
        onQueued();
      } else {
        setError(e);
      }
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(e: React.KeyboardEvent<HTMLTextAreaElement>) {
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
      e.preventDefault();
      void send(false);
    }
  }

  // Ctrl/⌘+Shift+X toggles reply/note from anywhere on the page.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && (e.key === "X" || e.key === "x")) {
        e.preventDefault();
        setKind((k) => (k === "public" ? "note" : "public"));
        area.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  function onPaste(e: React.ClipboardEvent<HTMLTextAreaElement>) {
    const files = pastedFiles(e.clipboardData);
    if (files.length === 0) return; // plain text pastes as usual
    e.preventDefault();
    uploads.add(files, true);
  }

  const closed = ticket.status === "closed";
  const blocked = busy || !body.trim() || closed || uploads.uploading || uploads.failed;
  return (
    <DropZone className={`composer composer-${kind}`} testId="composer" onFiles={(f) => !closed && uploads.add(f)}>
      <div className="composer-tabs" role="radiogroup" aria-label={t("composer.modeLabel")}>
        <button
          type="button"
          role="radio"
          aria-checked={kind === "public"}
          className={kind === "public" ? "ctab active" : "ctab"}
          onClick={() => setKind("public")}
          data-testid="mode-public"
        >
          {t("composer.reply")} <kbd>r</kbd>
        </button>
        <button
          type="button"
          role="radio"
          aria-checked={kind === "note"}
          className={kind === "note" ? "ctab active" : "ctab"}
          onClick={() => setKind("note")}
          data-testid="mode-note"
        >
          {t("composer.note")} <kbd>n</kbd>
        </button>
        <span className="composer-hint muted small">{t("composer.switchHint", { key: SWITCH_KEY_LABEL })}</span>
      </div>
      <label htmlFor="composer-body" className="sr-only">
        {kind === "public" ? t("composer.reply") : t("composer.note")}
      </label>
      <textarea
        id="composer-body"
        ref={area}
        value={body}
        disabled={closed}
        rows={4}
        placeholder={kind === "public" ? t("composer.placeholderReply", { name: requesterName }) : t("composer.placeholderNote")}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={onKeyDown}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onPaste={onPaste}
        data-testid="composer-body"
      />
      <PendingFiles items={uploads.items} onRemove={uploads.remove} errorText={(e) => errorMessage(t, e)} />
      {uploads.failed && <p className="hint att-blocked">{t("attachments.removeFailed")}</p>}
      {error ? <div className="banner banner-error" role="alert">{errorMessage(t, error)}</div> : null}
      <div className="composer-foot">
        <div className="composer-foot-left">
          <AttachButton onFiles={(f) => uploads.add(f)} disabled={closed} className="btn btn-small att-button" />
          <span className="muted small">
            {kind === "public" ? t("composer.visibleToCustomer") : t("composer.onlyAgents")}
            {saved && body.trim() ? ` · ${t("composer.draftKept")}` : ""}
          </span>
        </div>
        <div className="btn-row">
          {kind === "public" && ticket.status !== "solved" && (
            <button type="button" className="btn" disabled={blocked} onClick={() => void send(true)}>
              {t("composer.sendAndSolve")}
            </button>
          )}
          <button
            type="button"
            className={kind === "public" ? "btn btn-primary" : "btn btn-note"}
            disabled={blocked}
            onClick={() => void send(false)}
            data-testid="send"
            title={SEND_KEY_LABEL}
          >
            {busy ? t("composer.sending") : kind === "public" ? t("composer.sendReply") : t("composer.addNote")}
          </button>
        </div>
      </div>
      <p className="shortcuts muted small">
        {t("composer.shortcutsList", { switchKey: SWITCH_KEY_LABEL, sendKey: SEND_KEY_LABEL })}
      </p>
    </DropZone>
  );
});
