// Relative and absolute times in the UI language.

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

const rtfCache = new Map<string, Intl.RelativeTimeFormat>();

export function relativeTime(iso: string, locale: string, now: number = Date.now(), justNow = "just now"): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "";
  const seconds = Math.round((t - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return justNow;
  let rtf = rtfCache.get(locale);
  if (!rtf) {
    rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "short" });
    rtfCache.set(locale, rtf);
  }
  for (const [unit, size] of UNITS) {
    if (abs >= size || unit === "minute") return rtf.format(Math.round(seconds / size), unit);
  }
  return justNow;
}

const dtfCache = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(locale: string, timeZone?: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone ?? ""}`;
  let f = dtfCache.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone });
    } catch {
      f = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
    }
    dtfCache.set(key, f);
  }
  return f;
}

export function absoluteTime(iso: string, locale: string, timeZone?: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "";
  return dateTimeFormat(locale, timeZone).format(t);
}

export function dateOnly(isoDate: string, locale: string): string {
  const t = Date.parse(isoDate.length === 10 ? `${isoDate}T00:00:00Z` : isoDate);
  if (Number.isNaN(t)) return isoDate;
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(t);
}
