// "We'll reply by Tue 24 Nov, 10:00": when the customer can expect our next reply
// (`expected_reply_at` of a request), in the help centre's language and the browser's time zone.

/**
 * The browser's own regional form of `lang` when it has one (en-GB for "en" in a British
 * browser, so dates read "24 Nov" rather than "Nov 24"), else `lang` itself.
 */
export function regionalLocale(lang: string, browser: readonly string[]): string {
  return browser.find((l) => l.toLowerCase().split(/[-_]/)[0] === lang) ?? lang;
}

/**
 * The reply-by time as words for people: weekday, day, month and time, with the year only when
 * it is not this year's. Null when there is no time, it cannot be read, or it has already passed
 * (a promise in the past helps nobody; the page then says nothing about it).
 * `timeZone` is for tests; the browser's own zone otherwise.
 */
export function replyByTime(iso: string | null | undefined, locale: string, now: number, timeZone?: string): string | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at) || at <= now) return null;
  const year = (ms: number) => new Intl.DateTimeFormat("en", { year: "numeric", timeZone }).format(ms);
  try {
    return new Intl.DateTimeFormat(locale, {
      weekday: "short",
      day: "numeric",
      month: "short",
      ...(year(at) === year(now) ? {} : { year: "numeric" }),
      hour: "2-digit",
      minute: "2-digit",
      timeZone,
    }).format(at);
  } catch {
    return null;
  }
}
