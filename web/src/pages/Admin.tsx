import { lazy, Suspense, useEffect, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import {
  api, ApiError, LOCALES, SCOPES, SERVICE_STYLES, type Agent, type ApiToken, type Role, type Scope, type Team, type Workspace,
} from "../api";
import { useSession } from "../state";
import { linkClick } from "../lib/router";
import { chosenLocale } from "../i18n";
import i18n from "../i18n";
import { ErrorBanner, RelTime, Spinner } from "../components/bits";
import { AgentRoutingEditor, PresenceBadge, TeamRoutingEditor, TeamRoutingSummary } from "./Routing";

const TABS = ["agents", "teams", "workspace", "email", "sla", "tokens"] as const;

// The email settings load on demand: only admins open them.
const MailTab = lazy(() => import("./AdminMail"));
// So do the service levels (business hours and SLA policies).
const SlaTab = lazy(() => import("./AdminSla"));

export function AdminPage({ tab }: { tab: string }) {
  const { t } = useTranslation();
  const { session } = useSession();
  if (session.agent.role !== "admin")
    return (
      <div className="page-pad">
        <div className="banner banner-error" role="alert">{t("admin.onlyAdmins")}</div>
      </div>
    );
  const current = (TABS as readonly string[]).includes(tab) ? tab : "agents";
  let body: ReactNode;
  if (current === "agents") body = <AgentsTab />;
  else if (current === "teams") body = <TeamsTab />;
  else if (current === "workspace") body = <WorkspaceTab />;
  else if (current === "email")
    body = (
      <Suspense fallback={<Spinner />}>
        <MailTab />
      </Suspense>
    );
  else if (current === "sla")
    body = (
      <Suspense fallback={<Spinner />}>
        <SlaTab />
      </Suspense>
    );
  else body = <TokensTab />;
  return (
    <section className="admin page-pad" aria-labelledby="admin-title">
      <h1 id="admin-title">{t("admin.title")}</h1>
      <nav className="tabs" aria-label={t("admin.title")}>
        {TABS.map((x) => (
          <a key={x} href={`/admin/${x}`} onClick={linkClick} className={x === current ? "tab active" : "tab"} aria-current={x === current ? "page" : undefined}>
            {t(`admin.tabs.${x}`)}
          </a>
        ))}
      </nav>
      {body}
    </section>
  );
}

function Notice({ text }: { text: string | null }) {
  if (!text) return null;
  return <div className="banner banner-ok" role="status">{text}</div>;
}

function AgentsTab() {
  const { t } = useTranslation();
  const { agents, reloadDirectory, session } = useSession();
  const [editing, setEditing] = useState<number | null>(null);
  const editingAgent = agents.find((a) => a.id === editing) ?? null;
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("agent");
  const [languages, setLanguages] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNotice(null);
    setLocalError(null);
    if (password && new TextEncoder().encode(password).length < 10) {
      setLocalError(t("errors.passwordTooShort"));
      return;
    }
    setBusy(true);
    try {
      const a = await api.createAgent({
        email: email.trim(),
        name: name.trim() || undefined,
        role,
        languages: languages.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean),
        password: password || undefined,
      });
      setEmail("");
      setName("");
      setLanguages("");
      setPassword("");
      setRole("agent");
      await reloadDirectory();
      setNotice(t("admin.agents.created", { name: a.name }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="admin-grid">
      <div>
      {editingAgent && (
        <AgentEditor
          key={editingAgent.id}
          agent={editingAgent}
          self={editingAgent.id === session.agent.id}
          onClose={() => setEditing(null)}
          onSaved={reloadDirectory}
        />
      )}
      {editingAgent && <AgentRoutingEditor key={`routing-${editingAgent.id}`} agent={editingAgent} onSaved={reloadDirectory} />}
      <form className="card form-card" onSubmit={submit}>
        <h2 className="card-title">{t("admin.agents.invite")}</h2>
        <Notice text={notice} />
        <ErrorBanner error={error} />
        {localError && <div className="banner banner-error" role="alert">{localError}</div>}
        <div className="field">
          <label htmlFor="ag-email">{t("admin.agents.email")}</label>
          <input id="ag-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="ag-name">{t("admin.agents.name")}</label>
          <input id="ag-name" value={name} placeholder={t("admin.agents.namePlaceholder")} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor="ag-role">{t("admin.agents.role")}</label>
            <select id="ag-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {(["agent", "supervisor", "admin"] as const).map((r) => (
                <option key={r} value={r}>{t(`admin.roles.${r}`)}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="ag-langs">{t("admin.agents.languages")}</label>
            <input id="ag-langs" value={languages} placeholder="ja, en" aria-describedby="ag-langs-hint" onChange={(e) => setLanguages(e.target.value)} />
          </div>
        </div>
        <p className="hint" id="ag-langs-hint">{t("admin.agents.languagesHint")}</p>
        <div className="field">
          <label htmlFor="ag-pass">{t("admin.agents.password")}</label>
          <input id="ag-pass" type="password" autoComplete="new-password" value={password} aria-describedby="ag-pass-hint" onChange={(e) => setPassword(e.target.value)} />
          <p className="hint" id="ag-pass-hint">{t("admin.agents.passwordHint")}</p>
        </div>
        <button className="btn btn-primary" type="submit" disabled={busy || !email.trim()}>
          {busy ? t("app.saving") : t("admin.agents.submit")}
        </button>
      </form>
      </div>
      <div className="card">
        <h2 className="card-title">{t("admin.agents.list")}</h2>
        <table className="table" data-testid="agents-table">
          <thead>
            <tr>
              <th scope="col">{t("admin.agents.name")}</th>
              <th scope="col">{t("admin.agents.email")}</th>
              <th scope="col">{t("admin.agents.role")}</th>
              <th scope="col">{t("admin.agents.languages")}</th>
              <th scope="col"><span className="sr-only">{t("admin.agents.active")}</span></th>
              <th scope="col"><span className="sr-only">{t("admin.agents.actions")}</span></th>
            </tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <tr key={a.id} data-agent-id={a.id} className={`${a.id === editing ? "is-editing" : ""}${a.active ? "" : " is-inactive"}`}>
                <td>
                  {a.name}
                  {a.id === session.agent.id && <span className="muted small"> {t("admin.agents.you")}</span>}
                  <PresenceBadge agent={a} />
                </td>
                <td className="mono">{a.email}</td>
                <td><span className={`role role-${a.role}`}>{t(`admin.roles.${a.role}`)}</span></td>
                <td>{a.languages.join(", ")}</td>
                <td data-testid="agent-active">{a.active ? t("admin.agents.active") : <span className="muted">{t("admin.agents.inactive")}</span>}</td>
                <td>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => setEditing(a.id)}
                    aria-label={t("admin.agents.editTitle", { name: a.name })}
                    data-testid="edit-agent"
                  >
                    {t("admin.agents.edit")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Changes one agent: name, role, languages, a new password, deactivate or reactivate. */
function AgentEditor(props: { agent: Agent; self: boolean; onClose: () => void; onSaved: () => Promise<void> }) {
  const { t } = useTranslation();
  const { agent, self } = props;
  const [name, setName] = useState(agent.name);
  const [role, setRole] = useState<Role>(agent.role);
  const [languages, setLanguages] = useState(agent.languages.join(", "));
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const langs = languages.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);
  const patch: Parameters<typeof api.updateAgent>[1] = {};
  if (name.trim() && name.trim() !== agent.name) patch.name = name.trim();
  if (!self && role !== agent.role) patch.role = role;
  if (langs.join(",") !== agent.languages.join(",")) patch.languages = langs;
  if (password) patch.password = password;
  const changed = Object.keys(patch).length > 0;

  async function save(body: Parameters<typeof api.updateAgent>[1], message: (a: Agent) => string) {
    setError(null);
    setLocalError(null);
    setNotice(null);
    if (body.password !== undefined && new TextEncoder().encode(body.password).length < 10) {
      setLocalError(t("errors.passwordTooShort"));
      return;
    }
    setBusy(true);
    try {
      const a = await api.updateAgent(agent.id, body);
      setPassword("");
      await props.onSaved();
      setNotice(message(a));
    } catch (err) {
      // 409: an admin cannot change their own role or deactivate themself.
      if (err instanceof ApiError && err.code === "conflict") setLocalError(t("admin.agents.self"));
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="card form-card agent-editor"
      data-testid="agent-editor"
      aria-labelledby="ae-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (changed) void save(patch, (a) => t("admin.agents.saved", { name: a.name }));
      }}
    >
      <h2 className="card-title" id="ae-title">
        {t("admin.agents.editTitle", { name: agent.name })}
      </h2>
      <p className="muted small mono">{agent.email}</p>
      <Notice text={notice} />
      <ErrorBanner error={error} />
      {localError && <div className="banner banner-error" role="alert">{localError}</div>}
      <div className="field">
        <label htmlFor="ae-name">{t("admin.agents.name")}</label>
        <input id="ae-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="ae-role">{t("admin.agents.role")}</label>
          <select id="ae-role" value={role} disabled={self} aria-describedby={self ? "ae-self" : undefined} onChange={(e) => setRole(e.target.value as Role)}>
            {(["agent", "supervisor", "admin"] as const).map((r) => (
              <option key={r} value={r}>{t(`admin.roles.${r}`)}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="ae-langs">{t("admin.agents.languages")}</label>
          <input id="ae-langs" value={languages} placeholder="ja, en" onChange={(e) => setLanguages(e.target.value)} />
        </div>
      </div>
      <div className="field">
        <label htmlFor="ae-pass">{t("admin.agents.newPassword")}</label>
        <input id="ae-pass" type="password" autoComplete="new-password" value={password} aria-describedby="ae-pass-hint" onChange={(e) => setPassword(e.target.value)} />
        <p className="hint" id="ae-pass-hint">{t("admin.agents.newPasswordHint")}</p>
      </div>
      <div className="agent-editor-status">
        <div>
          <strong data-testid="agent-editor-state">{agent.active ? t("admin.agents.active") : t("admin.agents.inactive")}</strong>
          <p className="hint" id={self ? "ae-self" : "ae-active-hint"}>
            {self ? t("admin.agents.self") : t("admin.agents.deactivateHint")}
          </p>
        </div>
        {agent.active ? (
          <button
            type="button"
            className="btn btn-danger btn-small"
            disabled={busy || self}
            onClick={() => void save({ active: false }, (a) => t("admin.agents.deactivated", { name: a.name }))}
            data-testid="deactivate-agent"
          >
            {t("admin.agents.deactivate")}
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-small"
            disabled={busy}
            onClick={() => void save({ active: true }, (a) => t("admin.agents.reactivated", { name: a.name }))}
            data-testid="reactivate-agent"
          >
            {t("admin.agents.reactivate")}
          </button>
        )}
      </div>
      <div className="btn-row">
        <button className="btn btn-primary" type="submit" disabled={busy || !changed} data-testid="save-agent">
          {busy ? t("app.saving") : t("admin.agents.save")}
        </button>
        <button className="btn" type="button" onClick={props.onClose}>
          {t("app.close")}
        </button>
      </div>
    </form>
  );
}

function TeamsTab() {
  const { t } = useTranslation();
  const { teams, reloadDirectory } = useSession();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const tm = await api.createTeam({ name: name.trim(), description: description.trim() || undefined });
      setName("");
      setDescription("");
      await reloadDirectory();
      setNotice(t("admin.teams.created", { name: tm.name }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="admin-grid">
      <form className="card form-card" onSubmit={submit}>
        <h2 className="card-title">{t("admin.teams.create")}</h2>
        <Notice text={notice} />
        <ErrorBanner error={error} />
        <div className="field">
          <label htmlFor="tm-name">{t("admin.teams.name")}</label>
          <input id="tm-name" required value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="tm-desc">{t("admin.teams.description")}</label>
          <textarea id="tm-desc" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
        </div>
        <button className="btn btn-primary" type="submit" disabled={busy || !name.trim()}>
          {busy ? t("app.saving") : t("admin.teams.submit")}
        </button>
      </form>
      <div className="card">
        <h2 className="card-title">{t("admin.teams.list")}</h2>
        {teams.length === 0 ? (
          <p className="muted">{t("admin.teams.empty")}</p>
        ) : (
          <ul className="plain-list">
            {teams.map((tm) => (
              <TeamItem key={tm.id} team={tm} onSaved={async (x) => { await reloadDirectory(); setNotice(t("admin.teams.renamed", { name: x.name })); }}
                onRoutingSaved={async (x) => { await reloadDirectory(); setNotice(t("routing.team.saved", { name: x.name })); }} />
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

function TeamItem({ team, onSaved, onRoutingSaved }: { team: Team; onSaved: (t: Team) => Promise<void>; onRoutingSaved: (t: Team) => Promise<void> }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [routing, setRouting] = useState(false);
  const [name, setName] = useState(team.name);
  const [description, setDescription] = useState(team.description);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function save(e: FormEvent) {
    e.preventDefault();
    const body: { name?: string; description?: string } = {};
    if (name.trim() && name.trim() !== team.name) body.name = name.trim();
    if (description.trim() !== team.description) body.description = description.trim();
    if (Object.keys(body).length === 0) {
      setEditing(false);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await api.updateTeam(team.id, body);
      await onSaved(saved); // the list shows the new name, then the form closes
      setEditing(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (editing)
    return (
      <li className="team-item" data-testid="team-item">
        <form className="team-rename" onSubmit={save} aria-label={t("admin.teams.renameTitle", { name: team.name })}>
          <ErrorBanner error={error} />
          <label htmlFor={`tm-rename-${team.id}`} className="sr-only">{t("admin.teams.name")}</label>
          <input id={`tm-rename-${team.id}`} value={name} autoFocus onChange={(e) => setName(e.target.value)} data-testid="team-rename-input" />
          <label htmlFor={`tm-redesc-${team.id}`} className="sr-only">{t("admin.teams.description")}</label>
          <textarea id={`tm-redesc-${team.id}`} rows={2} value={description} placeholder={t("admin.teams.description")} onChange={(e) => setDescription(e.target.value)} />
          <div className="btn-row">
            <button type="submit" className="btn btn-primary btn-small" disabled={busy || !name.trim()} data-testid="team-rename-save">
              {busy ? t("app.saving") : t("admin.teams.save")}
            </button>
            <button type="button" className="btn btn-small" onClick={() => { setEditing(false); setName(team.name); setDescription(team.description); }}>
              {t("app.cancel")}
            </button>
          </div>
        </form>
      </li>
    );
  return (
    <li className="team-item" data-testid="team-item">
      <div>
        <strong>{team.name}</strong>
        {team.description && <div className="muted small">{team.description}</div>}
        <TeamRoutingSummary team={team} />
      </div>
      <div className="btn-row">
        <button type="button" className="btn btn-small" onClick={() => setRouting(!routing)} aria-expanded={routing}
          aria-label={t("routing.team.openTitle", { name: team.name })} data-testid="team-routing-open">
          {t("routing.team.open")}
        </button>
        <button type="button" className="btn btn-small" onClick={() => setEditing(true)} aria-label={t("admin.teams.renameTitle", { name: team.name })} data-testid="team-rename">
          {t("admin.teams.rename")}
        </button>
      </div>
      {routing && (
        <TeamRoutingEditor team={team} onClose={() => setRouting(false)} onSaved={(x) => { setRouting(false); onRoutingSaved(x); }} />
      )}
    </li>
  );
}

const COMMON_ZONES = [
  "Asia/Tokyo", "Asia/Seoul", "Asia/Ho_Chi_Minh", "Asia/Bangkok", "Asia/Singapore", "Asia/Shanghai",
  "Asia/Kolkata", "Australia/Sydney", "Europe/London", "Europe/Paris", "Europe/Berlin",
  "America/New_York", "America/Chicago", "America/Los_Angeles", "UTC",
];

function timeZones(): string[] {
  try {
    const all = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone");
    if (all && all.length) return all.includes("UTC") ? all : [...all, "UTC"];
  } catch {
    /* older browsers */
  }
  return COMMON_ZONES;
}

function WorkspaceTab() {
  const { t } = useTranslation();
  const { session, setSession, teams } = useSession();
  const [ws, setWs] = useState<Workspace | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    api.workspace().then(setWs).catch(setError);
  }, []);

  if (!ws) return error ? <ErrorBanner error={error} /> : <Spinner />;
  const zones = timeZones();
  if (!zones.includes(ws.time_zone)) zones.unshift(ws.time_zone);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!ws) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const next = await api.updateWorkspace({
        time_zone: ws.time_zone,
        locale: ws.locale,
        service_style: ws.service_style,
        default_team_id: ws.default_team_id ?? null,
      });
      setWs(next);
      setSession({ ...session, workspace: next });
      if (!chosenLocale()) void i18n.changeLanguage(next.locale);
      setNotice(t("admin.workspace.saved"));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form-card narrow" onSubmit={submit}>
      <h2 className="card-title">{t("admin.workspace.settings")}</h2>
      <Notice text={notice} />
      <ErrorBanner error={error} />
      <div className="field">
        <label htmlFor="ws-name">{t("admin.workspace.name")}</label>
        <input id="ws-name" value={ws.name} readOnly disabled />
      </div>
      <div className="field">
        <label htmlFor="ws-tz">{t("admin.workspace.timeZone")}</label>
        <select id="ws-tz" value={ws.time_zone} onChange={(e) => setWs({ ...ws, time_zone: e.target.value })}>
          {zones.map((z) => (
            <option key={z} value={z}>{z}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="ws-locale">{t("admin.workspace.locale")}</label>
        <select id="ws-locale" value={ws.locale} onChange={(e) => setWs({ ...ws, locale: e.target.value as Workspace["locale"] })}>
          {LOCALES.map((l) => (
            <option key={l} value={l}>{t(`locales.${l}`)}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="ws-default-team">{t("admin.workspace.defaultTeam")}</label>
        <select
          id="ws-default-team"
          aria-describedby="ws-default-team-hint"
          value={ws.default_team_id ?? ""}
          onChange={(e) => setWs({ ...ws, default_team_id: e.target.value ? Number(e.target.value) : null })}
        >
          <option value="">{t("admin.workspace.noDefaultTeam")}</option>
          {teams.map((tm) => (
            <option key={tm.id} value={tm.id}>{tm.name}</option>
          ))}
          {/* Until the teams are read (or if it was deleted), the chosen team still shows as chosen. */}
          {ws.default_team_id != null && !teams.some((tm) => tm.id === ws.default_team_id) && (
            <option value={ws.default_team_id}>#{ws.default_team_id}</option>
          )}
        </select>
        <p className="hint" id="ws-default-team-hint">{t("admin.workspace.defaultTeamHint")}</p>
      </div>
      <fieldset className="field">
        <legend>{t("admin.workspace.serviceStyle")}</legend>
        <div className="style-grid">
          {SERVICE_STYLES.map((s) => (
            <label key={s} className={ws.service_style === s ? "style-opt active" : "style-opt"}>
              <input type="radio" name="service_style" value={s} checked={ws.service_style === s} onChange={() => setWs({ ...ws, service_style: s })} />
              <span>{t(`admin.styles.${s}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <button className="btn btn-primary" type="submit" disabled={busy}>
        {busy ? t("app.saving") : t("app.save")}
      </button>
    </form>
  );
}

function TokensTab() {
  const { t } = useTranslation();
  const { agents, session } = useSession();
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["tickets:read"]);
  const [agentId, setAgentId] = useState<number>(session.agent.id);
  const [created, setCreated] = useState<(ApiToken & { token: string }) | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = () => api.tokens().then((r) => setTokens(r.tokens)).catch(setError);
  useEffect(() => {
    void load();
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      const tk = await api.createToken({ name: name.trim() || undefined, scopes, agent_id: agentId });
      setCreated(tk);
      setName("");
      void load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(tk: ApiToken) {
    if (!window.confirm(t("admin.tokens.confirmRevoke", { name: tk.name }))) return;
    setError(null);
    try {
      await api.revokeToken(tk.id);
      if (created?.id === tk.id) setCreated(null);
      void load();
    } catch (err) {
      setError(err);
    }
  }

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied(true);
    } catch {
      /* the token stays selectable */
    }
  }

  const agentName = (id: number) => agents.find((a) => a.id === id)?.name ?? `#${id}`;
  return (
    <div className="admin-grid">
      <form className="card form-card" onSubmit={submit}>
        <h2 className="card-title">{t("admin.tokens.create")}</h2>
        <ErrorBanner error={error} />
        {created && (
          <div className="secret" role="status" data-testid="token-secret">
            <p>{t("admin.tokens.shownOnce")}</p>
            <div className="secret-row">
              <code>{created.token}</code>
              <button type="button" className="btn btn-small" onClick={copy}>
                {copied ? t("admin.tokens.copied") : t("admin.tokens.copy")}
              </button>
            </div>
          </div>
        )}
        <div className="field">
          <label htmlFor="tk-name">{t("admin.tokens.name")}</label>
          <input id="tk-name" value={name} placeholder={t("admin.tokens.namePlaceholder")} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="tk-agent">{t("admin.tokens.actsFor")}</label>
          <select id="tk-agent" value={agentId} onChange={(e) => setAgentId(Number(e.target.value))}>
            {agents.filter((a) => a.active).map((a) => (
              <option key={a.id} value={a.id}>{a.name} ({t(`admin.roles.${a.role}`)})</option>
            ))}
          </select>
        </div>
        <fieldset className="field">
          <legend>{t("admin.tokens.scopes")}</legend>
          {SCOPES.map((s) => (
            <label key={s} className="check">
              <input
                type="checkbox"
                checked={scopes.includes(s)}
                onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
              />
              <span>{t(`admin.scopes.${s}`)}</span> <code className="muted small">{s}</code>
            </label>
          ))}
        </fieldset>
        <button className="btn btn-primary" type="submit" disabled={busy || scopes.length === 0}>
          {busy ? t("app.saving") : t("admin.tokens.submit")}
        </button>
      </form>
      <div className="card">
        <h2 className="card-title">{t("admin.tokens.list")}</h2>
        {tokens === null ? (
          <Spinner />
        ) : tokens.length === 0 ? (
          <p className="muted">{t("admin.tokens.empty")}</p>
        ) : (
          <table className="table" data-testid="tokens-table">
            <thead>
              <tr>
                <th scope="col">{t("admin.tokens.name")}</th>
                <th scope="col">{t("admin.tokens.actsFor")}</th>
                <th scope="col">{t("admin.tokens.scopes")}</th>
                <th scope="col">{t("admin.tokens.createdAt")}</th>
                <th scope="col"><span className="sr-only">{t("admin.tokens.revoke")}</span></th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((tk) => (
                <tr key={tk.id} className={tk.revoked_at ? "revoked" : undefined}>
                  <td>{tk.name}</td>
                  <td>{agentName(tk.agent_id)}</td>
                  <td className="mono small">{tk.scopes.join(" ")}</td>
                  <td><RelTime iso={tk.created_at} /></td>
                  <td>
                    {tk.revoked_at ? (
                      <span className="muted">{t("admin.tokens.revoked")}</span>
                    ) : (
                      <button type="button" className="btn btn-small btn-danger" onClick={() => void revoke(tk)}>
                        {t("admin.tokens.revoke")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
