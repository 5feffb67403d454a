// The help centre's own i18next setup: four small dictionaries, nothing from the agent app.
// Language: the customer's choice from the switcher, then the browser, then the workspace.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en";
import ja from "./ja";
import ko from "./ko";
import vi from "./vi";

export type PortalLocale = "en" | "ja" | "ko" | "vi";
export const PORTAL_LOCALES: PortalLocale[] = ["en", "ja", "ko", "vi"];
export const portalDictionaries = { en, ja, ko, vi } as const;
const STORAGE_KEY = "kizuna.help.locale";

export function isPortalLocale(v: unknown): v is PortalLocale {
  return typeof v === "string" && (PORTAL_LOCALES as string[]).includes(v);
}

function baseOf(tag: string | null | undefined): string {
  return (tag ?? "").toLowerCase().split(/[-_]/)[0];
}

/** Explicit choice, then the first supported browser language, then the workspace's, then English. */
export function pickLocale(opts: {
  chosen?: string | null;
  browser?: readonly string[];
  workspace?: string | null;
}): PortalLocale {
  if (isPortalLocale(opts.chosen)) return opts.chosen;
  for (const l of opts.browser ?? []) {
    const b = baseOf(l);
    if (isPortalLocale(b)) return b;
  }
  const w = baseOf(opts.workspace);
  return isPortalLocale(w) ? w : "en";
}

function chosen(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function browserLanguages(): readonly string[] {
  if (typeof navigator === "undefined") return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

export function resolvePortalLocale(workspace?: string | null): PortalLocale {
  return pickLocale({ chosen: chosen(), browser: browserLanguages(), workspace });
}

export function choosePortalLocale(l: PortalLocale): void {
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    /* private mode: the choice lasts for this page */
  }
  void i18n.changeLanguage(l);
}

i18n.on("languageChanged", (lng) => {
  if (typeof document !== "undefined") document.documentElement.lang = lng;
});

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, ja: { translation: ja }, ko: { translation: ko }, vi: { translation: vi } },
  lng: resolvePortalLocale(),
  fallbackLng: "en",
  interpolation: { escapeValue: false }, // React escapes; nothing is set as HTML
  returnNull: false,
});

export default i18n;
