import { useTranslation } from "react-i18next";
import { LOCALES, type Priority, type TicketStatus } from "../api";
import { chooseLocale } from "../i18n";
import { errorMessage } from "../lib/errors";
import { relativeTime, absoluteTime } from "../lib/time";
import { useSyncExternalStore } from "react";

export function StatusPill({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return <span className={`pill pill-${status}`}>{t(`status.${status}`)}</span>;
}

export function PriorityMark({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  return (
    <span className={`prio prio-${priority}`}>
      <span className="prio-dot" aria-hidden="true" />
      {t(`priority.${priority}`)}
    </span>
  );
}

// One shared 30 s clock for every relative time on the page (not one timer per row).
let clockNow = Date.now();
const clockSubs = new Set<() => void>();
let clockTimer: ReturnType<typeof setInterval> | null = null;
function subscribeClock(cb: () => void): () => void {
  clockSubs.add(cb);
  if (!clockTimer) clockNow = Date.now();
  if (!clockTimer)
    clockTimer = setInterval(() => {
      clockNow = Date.now();
      for (const s of clockSubs) s();
    }, 30_000);
  return () => {
    clockSubs.delete(cb);
    if (clockSubs.size === 0 && clockTimer) {
      clearInterval(clockTimer);
      clockTimer = null;
    }
  };
}
export function useNow(): number {
  return useSyncExternalStore(subscribeClock, () => clockNow, () => clockNow);
}

export function RelTime({ iso, timeZone }: { iso: string; timeZone?: string }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  return (
    <time dateTime={iso} title={absoluteTime(iso, i18n.language, timeZone)}>
      {relativeTime(iso, i18n.language, now, t("time.justNow"))}
    </time>
  );
}

export function ErrorBanner({ error, onRetry, onDismiss }: { error: unknown; onRetry?: () => void; onDismiss?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <div className="banner banner-error" role="alert">
      <span>{errorMessage(t, error)}</span>
      <span className="banner-actions">
        {onRetry && (
          <button type="button" className="btn btn-small" onClick={onRetry}>
            {t("app.retry")}
          </button>
        )}
        {onDismiss && (
          <button type="button" className="btn btn-small btn-ghost" onClick={onDismiss}>
            {t("app.dismiss")}
          </button>
        )}
      </span>
    </div>
  );
}

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  return (
    <label className="lang-switch">
      <span className="sr-only">{t("app.language")}</span>
      <span aria-hidden="true" className="lang-icon">
        文A
      </span>
      <select
        value={i18n.language}
        onChange={(e) => chooseLocale(e.target.value as (typeof LOCALES)[number])}
        aria-label={t("app.language")}
        data-testid="language-switcher"
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`locales.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Spinner({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t("app.loading")}</span>
    </div>
  );
}

export function Avatar({ name, kind }: { name: string; kind?: "agent" | "customer" | "system" }) {
  const initial = Array.from(name.trim())[0]?.toUpperCase() ?? "?";
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return (
    <span className={`avatar avatar-${kind ?? "customer"} avatar-hue-${hash % 6}`} aria-hidden="true">
      {initial}
    </span>
  );
}
