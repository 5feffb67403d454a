// Highlighted search text: the server gives a title or snippet as segments
// (`{"text", "match"}`); matches become <mark>, the rest plain text. Never HTML.
import type { ReactNode } from "react";
import type { Segment } from "../kbApi";

/** The segments as given, cleaned: only strings kept, neighbours of the same kind joined. */
export function normaliseSegments(segments: unknown): Segment[] {
  if (!Array.isArray(segments)) return [];
  const out: Segment[] = [];
  for (const s of segments) {
    if (!s || typeof s !== "object") continue;
    const text = (s as { text?: unknown }).text;
    if (typeof text !== "string" || text === "") continue;
    const match = (s as { match?: unknown }).match === true;
    const last = out[out.length - 1];
    if (last && last.match === match) last.text += text;
    else out.push({ text, match });
  }
  return out;
}

/** The plain text of segments. */
export function segmentsText(segments: unknown): string {
  return normaliseSegments(segments).map((s) => s.text).join("");
}

/** React children for segments: text, with each match in <mark>. */
export function segmentsToElements(segments: unknown): ReactNode[] {
  return normaliseSegments(segments).map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : s.text));
}

/** A title as segments when given, else as plain text. */
export function Highlighted({ segments, text, className }: { segments?: unknown; text?: string; className?: string }) {
  const parts = normaliseSegments(segments);
  return <span className={className}>{parts.length ? segmentsToElements(parts) : text ?? ""}</span>;
}
