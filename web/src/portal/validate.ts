// Client-side checks that mirror the server (services/portal.cc, core/text.cc,
// core/customer.cc), so most mistakes are explained before anything is sent.

export type FieldProblem = "required" | "tooLong" | "invalidEmail" | "control";
export interface Problem {
  problem: FieldProblem;
  max?: number;
}

export const LIMITS = { name: 200, email: 254, subject: 250, body: 65536 } as const;

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** CheckText: no control characters (newlines/tabs only where allowed), not blank, ≤ max code points. */
export function checkText(value: string, max: number, allowNewlines = false): Problem | null {
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    const newline = ch === "\n" || ch === "\r" || ch === "\t";
    if ((c < 0x20 && !(allowNewlines && newline)) || c === 0x7f) return { problem: "control" };
  }
  const trimmed = value.trim();
  if (!trimmed) return { problem: "required" };
  if (codePoints(trimmed) > max) return { problem: "tooLong", max };
  return null;
}

/** The server's LooksLikeEmail: one @ with text on both sides, a dot after it, no spaces or <>,;". */
export function looksLikeEmail(value: string): boolean {
  const v = value.trim().toLowerCase();
  const at = v.indexOf("@");
  if (at <= 0 || at + 1 >= v.length) return false;
  if (v.indexOf("@", at + 1) !== -1) return false;
  if (v.indexOf(".", at) === -1) return false;
  for (const ch of v) {
    const c = ch.charCodeAt(0);
    if (c <= 0x20 || ch === "<" || ch === ">" || ch === "," || ch === ";" || ch === '"') return false;
  }
  return true;
}

export function checkEmail(value: string): Problem | null {
  const text = checkText(value, LIMITS.email);
  if (text) return text.problem === "tooLong" ? { problem: "invalidEmail" } : text;
  return looksLikeEmail(value) ? null : { problem: "invalidEmail" };
}

export type RequestField = "name" | "email" | "subject" | "body";
export interface RequestInput {
  name: string;
  email: string;
  subject: string;
  body: string;
}

/** Problems by field, in the form's order. A signed-in customer gives no name or email. */
export function validateRequest(input: RequestInput, signedIn: boolean): Partial<Record<RequestField, Problem>> {
  const out: Partial<Record<RequestField, Problem>> = {};
  if (!signedIn) {
    const name = checkText(input.name, LIMITS.name);
    if (name) out.name = name;
    const email = checkEmail(input.email);
    if (email) out.email = email;
  }
  const subject = checkText(input.subject, LIMITS.subject);
  if (subject) out.subject = subject;
  const body = checkText(input.body, LIMITS.body, true);
  if (body) out.body = body;
  return out;
}
