// Routing (C4) and ownership (C5) in the agent app: the presence switch in the header, a
// team's routing settings and an agent's capacity and skills (Admin), and a ticket's
// handoffs and the agents it passed through (ticket side panel).
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Agent, Team } from "../api";
import { ErrorBanner, RelTime } from "../components/bits";
import { addRoutingDictionaries } from "../i18n/routing";
import { useSession } from "../state";
import {
  PRESENCES, STRATEGIES, WORK_KINDS, formatSkills, parseSkills, routingApi,
  type OwnedTicket, type Presence, type RoutedAgent, type RoutedTeam, type RoutingStrategy, type WorkCapacity,
} from "../lib/routing";
import "./routing.css";

addRoutingDictionaries();

const HEARTBEAT_MS = 60_000;

/** Online / Away / Offline for the signed-in agent; only online agents are routed work. */
export function PresenceSwitch() {
  const { t } = useTranslation();
  const { session } = useSession();
  const [presence, setPresence] = useState<Presence>((session.agent as RoutedAgent).presence ?? "offline");
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  // While online, say so again every minute: the server stops routing work to an agent whose
  // "online" has not been heard for ten minutes (a closed laptop, a lost connection).
  useEffect(() => {
    if (presence !== "online") return undefined;
    const timer = window.setInterval(() => {
      routingApi.setPresence("online").catch(() => undefined);
    }, HEARTBEAT_MS);
    return () => window.clearInterval(timer);
  }, [presence]);

  async function choose(next: Presence) {
    const before = presence;
    setPresence(next);
    setBusy(true);
    setFailed(false);
    try {
      const agent = await routingApi.setPresence(next);
      setPresence(agent.presence ?? next);
    } catch {
      setPresence(before);
      setFailed(true);
    } finally {
      setBusy(false);
    }
  }

  return (
    <label className={`presence-switch presence-${presence}`} title={failed ? t("routing.presence.failed") : undefined}>
      <span className="presence-dot" aria-hidden="true" />
      <span className="sr-only">{t("routing.presence.label")}</span>
      <select
        value={presence}
        disabled={busy}
        aria-label={t("routing.presence.label")}
        aria-invalid={failed || undefined}
        data-testid="presence-switch"
        onChange={(e) => void choose(e.target.value as Presence)}
      >
        {PRESENCES.map((p) => (
          <option key={p} value={p}>
            {t(`routing.presence.${p}`)}
          </option>
        ))}
      </select>
      {failed && (
        <span className="sr-only" role="alert">
          {t("routing.presence.failed")}
        </span>
      )}
    </label>
  );
}

/** One line under a team in Admin → Teams: routing on or off, and how. */
export function TeamRoutingSummary({ team }: { team: Team }) {
  const { t } = useTranslation();
  const { teams } = useSession();
  const rt = team as RoutedTeam;
  const overflow = rt.overflow_team_id && rt.overflow_after_minutes ? teams.find((x) => x.id === rt.overflow_team_id) : undefined;
  return (
    <div className="muted small" data-testid="team-routing-summary">
      {rt.routing_enabled
        ? t("routing.team.on", { strategy: t(`routing.team.strategies.${rt.strategy ?? "least_loaded"}`) })
        : t("routing.team.off")}
      {rt.routing_enabled && overflow && (
        <> · {t("routing.team.overflowSummary", { team: overflow.name, minutes: rt.overflow_after_minutes })}</>
      )}
    </div>
  );
}

/** Admin → Teams: a team's routing settings and members. */
export function TeamRoutingEditor(props: { team: Team; onSaved: (team: Team) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const { agents, teams } = useSession();
  const team = props.team as RoutedTeam;
  const [enabled, setEnabled] = useState(team.routing_enabled ?? false);
  const [strategy, setStrategy] = useState<RoutingStrategy>(team.strategy ?? "least_loaded");
  const [overflowTeam, setOverflowTeam] = useState<number | null>(team.overflow_team_id ?? null);
  const [overflowAfter, setOverflowAfter] = useState(team.overflow_after_minutes ? String(team.overflow_after_minutes) : "");
  const [matchLanguage, setMatchLanguage] = useState(team.match_language ?? false);
  const [skills, setSkills] = useState(formatSkills(team.required_skills));
  const [members, setMembers] = useState<number[]>(team.member_ids ?? []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const id = `tr-${team.id}`;

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setLocalError(null);
    const parsed = parseSkills(skills);
    if (parsed.bad.length) {
      setLocalError(t("routing.team.badSkills", { list: parsed.bad.join(", ") }));
      return;
    }
    setBusy(true);
    try {
      const saved = await routingApi.updateTeamRouting(team.id, {
        routing_enabled: enabled,
        strategy,
        overflow_team_id: overflowTeam,
        overflow_after_minutes: overflowTeam && overflowAfter ? Number(overflowAfter) : null,
        match_language: matchLanguage,
        required_skills: parsed.skills,
        member_ids: members,
      });
      props.onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="team-routing" onSubmit={save} aria-label={t("routing.team.title", { name: team.name })} data-testid="team-routing">
      <h3 className="team-routing-title">{t("routing.team.title", { name: team.name })}</h3>
      <ErrorBanner error={error} />
      {localError && <div className="banner banner-error" role="alert">{localError}</div>}
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="routing-enabled" />
        <span>{t("routing.team.enabled")}</span>
      </label>
      <p className="hint">{t("routing.team.enabledHint")}</p>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-strategy`}>{t("routing.team.strategy")}</label>
          <select id={`${id}-strategy`} value={strategy} onChange={(e) => setStrategy(e.target.value as RoutingStrategy)} data-testid="routing-strategy">
            {STRATEGIES.map((s) => (
              <option key={s} value={s}>{t(`routing.team.strategies.${s}`)}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-skills`}>{t("routing.team.requiredSkills")}</label>
          <input id={`${id}-skills`} value={skills} placeholder="product:billing 2" aria-describedby={`${id}-skills-hint`} onChange={(e) => setSkills(e.target.value)} />
          <p className="hint" id={`${id}-skills-hint`}>{t("routing.team.requiredSkillsHint")}</p>
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={matchLanguage} onChange={(e) => setMatchLanguage(e.target.checked)} data-testid="routing-match-language" />
        <span>{t("routing.team.matchLanguage")}</span>
      </label>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-overflow`}>{t("routing.team.overflowTeam")}</label>
          <select
            id={`${id}-overflow`}
            value={overflowTeam ?? ""}
            onChange={(e) => setOverflowTeam(e.target.value ? Number(e.target.value) : null)}
            data-testid="routing-overflow-team"
          >
            <option value="">{t("routing.team.noOverflow")}</option>
            {teams.filter((x) => x.id !== team.id).map((x) => (
              <option key={x.id} value={x.id}>{x.name}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-after`}>{t("routing.team.overflowAfter")}</label>
          <input
            id={`${id}-after`}
            type="number"
            min={1}
            max={43200}
            inputMode="numeric"
            value={overflowAfter}
            disabled={!overflowTeam}
            onChange={(e) => setOverflowAfter(e.target.value)}
            data-testid="routing-overflow-after"
          />
        </div>
      </div>
      <fieldset className="field">
        <legend>{t("routing.team.members")}</legend>
        {agents.length === 0 && <p className="muted">{t("routing.team.noAgents")}</p>}
        <div className="routing-members">
          {agents.filter((a) => a.active || members.includes(a.id)).map((a) => (
            <label key={a.id} className="check">
              <input
                type="checkbox"
                checked={members.includes(a.id)}
                onChange={(e) => setMembers(e.target.checked ? [...members, a.id] : members.filter((m) => m !== a.id))}
                data-testid={`routing-member-${a.id}`}
              />
              <span>{a.name}</span>
              <PresenceBadge agent={a} />
            </label>
          ))}
        </div>
      </fieldset>
      <div className="btn-row">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy} data-testid="routing-save">
          {busy ? t("app.saving") : t("routing.team.save")}
        </button>
        <button type="button" className="btn btn-small" onClick={props.onClose}>
          {t("app.close")}
        </button>
      </div>
    </form>
  );
}

/** A small coloured dot and word for an agent's presence, when the viewer may see it. */
export function PresenceBadge({ agent }: { agent: Agent }) {
  const { t } = useTranslation();
  const presence = (agent as RoutedAgent).presence;
  if (!presence) return null;
  return (
    <span className={`presence-badge presence-${presence}`} data-testid="presence-badge">
      <span className="presence-dot" aria-hidden="true" />
      {t(`routing.presence.${presence}`)}
    </span>
  );
}

/** Admin → Agents: an agent's capacity per kind of work and skills. */
export function AgentRoutingEditor(props: { agent: Agent; onSaved: () => Promise<void> }) {
  const { t } = useTranslation();
  const agent = props.agent as RoutedAgent;
  const [capacity, setCapacity] = useState<WorkCapacity>(agent.capacity ?? { ticket: 8, chat: 3, call: 1 });
  const [skills, setSkills] = useState(formatSkills(agent.skills));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setLocalError(null);
    setNotice(null);
    const parsed = parseSkills(skills);
    if (parsed.bad.length) {
      setLocalError(t("routing.team.badSkills", { list: parsed.bad.join(", ") }));
      return;
    }
    setBusy(true);
    try {
      const saved = await routingApi.updateAgentRouting(agent.id, { capacity, skills: parsed.skills });
      await props.onSaved();
      setNotice(t("routing.agent.saved", { name: saved.name }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form-card agent-routing" onSubmit={save} aria-labelledby="ar-title" data-testid="agent-routing">
      <h2 className="card-title" id="ar-title">{t("routing.agent.title")}</h2>
      {notice && <div className="banner banner-ok" role="status">{notice}</div>}
      <ErrorBanner error={error} />
      {localError && <div className="banner banner-error" role="alert">{localError}</div>}
      {agent.presence && (
        <p className="small">
          {t("routing.agent.status")}: <PresenceBadge agent={agent} />
        </p>
      )}
      <fieldset className="field">
        <legend>{t("routing.agent.capacity")}</legend>
        <div className="routing-capacity">
          {WORK_KINDS.map((kind) => (
            <label key={kind} className="routing-capacity-kind">
              <span>{t(`routing.agent.kinds.${kind}`)}</span>
              <input
                type="number"
                min={0}
                max={100}
                inputMode="numeric"
                value={capacity[kind]}
                onChange={(e) => setCapacity({ ...capacity, [kind]: Math.max(0, Math.min(100, Number(e.target.value) || 0)) })}
                data-testid={`capacity-${kind}`}
              />
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor="ar-skills">{t("routing.agent.skills")}</label>
        <input id="ar-skills" value={skills} placeholder="lang:ja 5, product:billing 3" aria-describedby="ar-skills-hint" onChange={(e) => setSkills(e.target.value)} data-testid="agent-skills" />
        <p className="hint" id="ar-skills-hint">{t("routing.agent.skillsHint")}</p>
      </div>
      <button className="btn btn-primary" type="submit" disabled={busy} data-testid="save-agent-routing">
        {busy ? t("app.saving") : t("routing.agent.save")}
      </button>
    </form>
  );
}

/** Ticket side panel: handoffs, the agents it passed through, first-contact resolution. */
export function OwnershipCard({ ticket }: { ticket: OwnedTicket }) {
  const { t } = useTranslation();
  const { agents } = useSession();
  const nameOf = (id: number) => agents.find((a) => a.id === id)?.name ?? `#${id}`;
  const path = ticket.agent_path ?? [];
  const fcr = ticket.first_contact_resolved;
  return (
    <div className="card ownership-card" data-testid="ownership">
      <h2 className="card-title">{t("routing.ticket.title")}</h2>
      <dl className="facts">
        <dt>{t("routing.ticket.handoffs")}</dt>
        <dd data-testid="handoffs">{ticket.handoffs ?? 0}</dd>
        <dt>{t("routing.ticket.path")}</dt>
        <dd data-testid="agent-path">
          {path.length === 0 ? (
            <span className="muted">{t("routing.ticket.noPath")}</span>
          ) : (
            <ol className="agent-path">
              {path.map((id, idx) => (
                <li key={`${idx}-${id}`}>{nameOf(id)}</li>
              ))}
            </ol>
          )}
        </dd>
        <dt>{t("routing.ticket.fcr")}</dt>
        <dd data-testid="fcr">
          {fcr === true ? t("routing.ticket.fcrYes") : fcr === false ? t("routing.ticket.fcrNo") : <span className="muted">{t("routing.ticket.fcrPending")}</span>}
        </dd>
        {ticket.queued_at && (
          <>
            <dt>{t("routing.ticket.waiting")}</dt>
            <dd>
              <RelTime iso={ticket.queued_at} />
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}
