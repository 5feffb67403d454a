// The quoted history of an email message: the server keeps the new part as `body` and the
// whole original as `body_full` (when they differ). The timeline shows the body and, on
// request, what was cut: just the tail when the body is the start of the original (a reply
// written above the quote), else the whole original (an answer written between quotes).

export type QuotedText =
  /** The text that follows the body in the original. */
  | { kind: "rest"; text: string }
  /** The whole original (the body is not simply its beginning). */
  | { kind: "full"; text: string };

const lf = (s: string) => s.replace(/\r\n?/g, "\n");

export function quotedText(body: string, bodyFull: string | undefined | null): QuotedText | null {
  if (!bodyFull) return null;
  const full = lf(bodyFull).replace(/\s+$/, "");
  const shown = lf(body).replace(/\s+$/, "");
  if (!full.trim() || full.trim() === shown.trim()) return null;
  const head = shown.replace(/^\s+/, "");
  const start = full.indexOf(head);
  if (head && start >= 0 && !full.slice(0, start).trim()) {
    // The body is the beginning of the original: show only what followed it.
    const rest = full.slice(start + head.length).replace(/^\s*\n/, "");
    return rest.trim() ? { kind: "rest", text: rest } : null;
  }
  return { kind: "full", text: full.replace(/^\s*\n/, "") };
}
