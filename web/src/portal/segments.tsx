// Highlighted search matches: the server sends titles and snippets as segments
// (`[{"text":"…","match":true}]`); matched ones become <mark>, everything stays text.
export interface Segment {
  text: string;
  match: boolean;
}

/**
 * Whatever the server sent as a title or snippet, as segments: an array of segments (bad
 * entries dropped), a plain string (one unmatched segment), anything else nothing.
 * Neighbouring segments of the same kind are merged, empty ones dropped.
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

/** Segments as React nodes: matches in <mark>, the rest as text (never as HTML). */
export function Highlighted({ value, className, testId }: { value: unknown; className?: string; testId?: string }) {
  const segs = toSegments(value);
  return (
    <span className={className} data-testid={testId}>
      {segs.map((s, i) =>
        s.match ? (
          <mark key={i} className="p-mark">
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </span>
  );
}
