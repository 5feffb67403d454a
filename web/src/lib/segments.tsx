// Highlighted search text: the server gives titles and snippets as segments
// (`[{"text":"…","match":true}]`); matches become <mark>, the rest plain text. Never HTML.
// Used by the agent app and the help centre.
import type { ReactNode } from "react";

export interface Segment {
  text: string;
  match: boolean;
}

/**
 * Whatever the server sent as a title or snippet, as segments: an array of segments (bad
 * entries dropped, bare strings read as unmatched text), a plain string (one unmatched
 * segment), anything else nothing. Neighbours of the same kind are joined, empty ones dropped.
 */
export function toSegments(value: unknown): Segment[] {
  const raw: Segment[] = [];
  if (typeof value === "string") raw.push({ text: value, match: false });
  else if (Array.isArray(value)) {
    for (const v of value) {
      if (typeof v === "string") raw.push({ text: v, match: false });
      else if (v && typeof v === "object" && typeof (v as Segment).text === "string")
        raw.push({ text: (v as Segment).text, match: (v as Segment).match === true });
    }
  }
  const out: Segment[] = [];
  for (const s of raw) {
    if (!s.text) continue;
    const last = out[out.length - 1];
    if (last && last.match === s.match) last.text += s.text;
    else out.push({ ...s });
  }
  return out;
}

/** The plain text of segments (for titles, aria labels and document.title). */
export function segmentsText(value: unknown): string {
  return toSegments(value)
    .map((s) => s.text)
    .join("");
}

/** React children for segments: text, with each match in <mark>. */
export function segmentsToElements(value: unknown, markClassName?: string): ReactNode[] {
  return toSegments(value).map((s, i) =>
    s.match ? (
      <mark key={i} className={markClassName}>
        {s.text}
      </mark>
    ) : (
      s.text
    ),
  );
}

/**
 * Highlighted text: `value` (segments or a string); when it has no text, `text` in plain.
 * `markClassName` styles the matches (the help centre's `p-mark`).
 */
export function Highlighted({
  value,
  text,
  className,
  markClassName,
  testId,
}: {
  value?: unknown;
  text?: string;
  className?: string;
  markClassName?: string;
  testId?: string;
}) {
  const parts = toSegments(value);
  return (
    <span className={className} data-testid={testId}>
      {parts.length ? segmentsToElements(parts, markClassName) : (text ?? "")}
    </span>
  );
}
