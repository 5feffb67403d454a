// Putting text (an article's link) into a textarea where the caret is, as if typed.

/** `[title](url)` with the characters that would end the title or the address escaped. */
export function markdownLink(title: string, url: string): string {
  const label = title.replace(/\s+/g, " ").trim().replace(/([\\[\]])/g, "\\$1") || url;
  const href = url.trim().replace(/ /g, "%20").replace(/\(/g, "%28").replace(/\)/g, "%29");
  return `[${label}](${href})`;
}

// Chinese characters and kana are written without spaces between words.
const NO_SPACES = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u;

/** Whether a space belongs between the inserted text and the character `ch` next to it. */
function needsSpace(ch: string, side: "before" | "after"): boolean {
  if (!ch || NO_SPACES.test(ch)) return false;
  // Before: after a word or punctuation that ends a phrase ("see: [link]"), not after an
  // opening bracket or a space. After: only in front of a word (punctuation follows directly).
  return side === "before" ? /[\p{L}\p{N}.,:;!?)\]}"'”’]/u.test(ch) : /[\p{L}\p{N}]/u.test(ch);
}

/**
 * `value` with `text` in place of the selection `start`…`end` (clamped); a space is added
 * before or after when the text would otherwise run into a word (not in Chinese or Japanese
 * text, written without spaces). Returns the caret after it.
 */
export function insertAtCursor(value: string, start: number | null | undefined, end: number | null | undefined, text: string): { value: string; caret: number } {
  const len = value.length;
  const clamp = (n: number | null | undefined, dflt: number) => (typeof n === "number" && Number.isFinite(n) ? Math.min(Math.max(0, Math.trunc(n)), len) : dflt);
  let s = clamp(start, len);
  let e = clamp(end, s);
  if (e < s) [s, e] = [e, s];
  const before = value.slice(0, s);
  const after = value.slice(e);
  const lead = needsSpace(before.slice(-1), "before") ? " " : "";
  const trail = needsSpace(after.slice(0, 1), "after") ? " " : "";
  const inserted = lead + text + trail;
  return { value: before + inserted + after, caret: before.length + lead.length + text.length };
}
