import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, type SessionInfo } from "../api";
import { errorMessage } from "../lib/errors";
import { LanguageSwitcher } from "../components/bits";

const LAST_WORKSPACE = "kizuna.lastWorkspace";

export function SignInPage({ onSignedIn, expired }: { onSignedIn: (s: SessionInfo) => void; expired?: boolean }) {
  const { t } = useTranslation();
  const [workspace, setWorkspace] = useState(() => {
    try {
      return localStorage.getItem(LAST_WORKSPACE) ?? "";
    } catch {
      return "";
    }
  });
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api.signIn(workspace.trim(), email.trim(), password);
      try {
        localStorage.setItem(LAST_WORKSPACE, workspace.trim());
      } catch {
        /* ignore */
      }
      onSignedIn(s);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <main className="signin-page" id="main">
      <div className="signin-top">
        <LanguageSwitcher />
      </div>
      <div className="signin-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">絆</span>
          <span className="brand-name">{t("app.name")}</span>
        </div>
        <p className="signin-tagline">{t("app.tagline")}</p>
        <h1>{t("signIn.title")}</h1>
        {expired && !error ? (
          <div className="banner banner-info" role="status">
            {t("errors.unauthenticated")}
          </div>
        ) : null}
        {error ? (
          <div className="banner banner-error" role="alert" data-testid="signin-error">
            {errorMessage(t, error, "signIn")}
          </div>
        ) : null}
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="si-workspace">{t("signIn.workspace")}</label>
            <input
              id="si-workspace"
              name="workspace"
              autoComplete="organization"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={workspace}
              onChange={(e) => setWorkspace(e.target.value)}
              aria-describedby="si-workspace-hint"
            />
            <p className="hint" id="si-workspace-hint">
              {t("signIn.workspaceHint")}
            </p>
          </div>
          <div className="field">
            <label htmlFor="si-email">{t("signIn.email")}</label>
            <input
              id="si-email"
              name="email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="si-password">{t("signIn.password")}</label>
            <input
              id="si-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
            {busy ? t("signIn.submitting") : t("signIn.submit")}
          </button>
        </form>
      </div>
    </main>
  );
}
