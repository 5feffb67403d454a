import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en";
import ja from "./ja";
import ko from "./ko";
import vi from "./vi";
import { getCsrfToken, request, type Locale } from "../api";

export const dictionaries = { en, ja, ko, vi } as const;
const STORAGE_KEY = "kizuna.locale";

export function isLocale(v: unknown): v is Locale {
  return v === "en" || v === "ja" || v === "ko" || v === "vi";
}

/** The first supported language of the browser, e.g. "ja-JP" → "ja". */
export function browserLocale(
  languages: readonly string[] = typeof navigator === "undefined" ? [] : navigator.languages ?? [navigator.language],
): Locale | null {
  for (const l of languages) {
    const base = l.toLowerCase().split("-")[0];
    if (isLocale(base)) return base;
  }
  return null;
}

/** The agent's explicit choice from the switcher, if any. */
export function chosenLocale(): Locale | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLocale(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * The agent's choice kept on their profile (it follows them to every browser), then the
 * choice made in this browser, then the workspace's locale, then the browser's, then English.
 */
export function resolveLocale(workspaceLocale?: Locale | null, agentLocale?: Locale | "" | null): Locale {
  return (isLocale(agentLocale) ? agentLocale : null) ?? chosenLocale() ?? workspaceLocale ?? browserLocale() ?? "en";
}

export function chooseLocale(l: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  void i18n.changeLanguage(l);
  // Signed in: keep the choice on the agent's profile too. A failure only costs the
  // choice on other browsers; this one has it already.
  if (getCsrfToken()) saveOnProfile(l);
}

// Choices are saved one after another, and one overtaken by a newer choice is not sent, so
// the profile ends with the last language chosen however quickly they were switched.
let profileSaves: Promise<unknown> = Promise.resolve();
let lastChosen: Locale | null = null;
function saveOnProfile(l: Locale): void {
  lastChosen = l;
  profileSaves = profileSaves.then(() =>
    lastChosen === l ? request("PATCH", "/api/v1/me", { locale: l }).catch(() => undefined) : undefined,
  );
}

i18n.on("languageChanged", (lng) => {
  if (typeof document !== "undefined") document.documentElement.lang = lng;
});

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, ja: { translation: ja }, ko: { translation: ko }, vi: { translation: vi } },
  lng: resolveLocale(),
  fallbackLng: "en",
  interpolation: { escapeValue: false }, // React escapes; nothing is ever set as HTML
  returnNull: false,
  nsSeparator: false, // keys such as "admin.scopes.tickets:read" contain colons
});

export default i18n;
