import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import {
  api, LOCALES, SCOPES, SERVICE_STYLES, type ApiToken, type Role, type Scope, type Workspace,
} from "../api";
import { useSession } from "../state";
import { linkClick } from "../lib/router";
import { chosenLocale } from "../i18n";
import i18n from "../i18n";
import { ErrorBanner, RelTime, Spinner } from "../components/bits";

const TABS = ["agents", "teams", "workspace", "tokens"] as const;

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
  const { agents, reloadDirectory } = useSession();
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
      setNotice(t("admin.agents.created", { name: a.name }));
      setEmail("");
      setName("");
      setLanguages("");
      setPassword("");
      setRole("agent");
      reloadDirectory();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="admin-grid">
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
            </tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <tr key={a.id}>
                <td>{a.name}</td>
                <td className="mono">{a.email}</td>
                <td><span className={`role role-${a.role}`}>{t(`admin.roles.${a.role}`)}</span></td>
                <td>{a.languages.join(", ")}</td>
                <td>{a.active ? t("admin.agents.active") : <span className="muted">{t("admin.agents.inactive")}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
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
      setNotice(t("admin.teams.created", { name: tm.name }));
      setName("");
      setDescription("");
      reloadDirectory();
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
              <li key={tm.id}>
                <strong>{tm.name}</strong>
                {tm.description && <div className="muted small">{tm.description}</div>}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
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
  const { session, setSession } = useSession();
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
      const next = await api.updateWorkspace({ time_zone: ws.time_zone, locale: ws.locale, service_style: ws.service_style });
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
