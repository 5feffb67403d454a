// The email channel's admin logic, kept out of the components so it can be tested:
// the mailbox form (what a save sends) and rejection reasons in the reader's language.
import type { Mailbox, MailboxInput } from "../api";

/** How mail reaches Kizuna: collected from an IMAP account, or piped in by the mail server. */
export type Delivery = "imap" | "pipe";

export interface MailboxForm {
  address: string;
  display_name: string;
  delivery: Delivery;
  imap_url: string;
  imap_username: string;
  /** A newly typed password; "" keeps the saved one. */
  imap_password: string;
  imap_folder: string;
  imap_move_to: string;
  enabled: boolean;
  ack_enabled: boolean;
  ack_template: string;
}

/** The fields of the form a server error can point at (the ids are `mb-<field>`). */
export const MAILBOX_FIELDS = [
  "address", "display_name", "imap_url", "imap_username", "imap_password", "imap_folder", "imap_move_to", "ack_template",
] as const;
export type MailboxField = (typeof MAILBOX_FIELDS)[number];

export function isMailboxField(f: string | undefined): f is MailboxField {
  return !!f && (MAILBOX_FIELDS as readonly string[]).includes(f);
}

/** The form for a new mailbox, or filled in from an existing one. */
export function mailboxForm(m?: Mailbox): MailboxForm {
  if (!m)
    return {
      address: "", display_name: "", delivery: "imap", imap_url: "", imap_username: "", imap_password: "",
      imap_folder: "INBOX", imap_move_to: "", enabled: true, ack_enabled: false, ack_template: "",
    };
  return {
    address: m.address,
    display_name: m.display_name,
    delivery: m.imap_url ? "imap" : "pipe",
    imap_url: m.imap_url,
    imap_username: m.imap_username,
    imap_password: "",
    imap_folder: m.imap_folder || "INBOX",
    imap_move_to: m.imap_move_to,
    enabled: m.enabled,
    ack_enabled: m.ack_enabled,
    ack_template: m.ack_template,
  };
}

/**
 * What saving the form sends: everything for a new mailbox, only what changed for an existing
 * one. The password is sent only when typed. Switching an existing mailbox to delivery by the
 * mail server removes its IMAP account, saved password included.
 */
export function mailboxRequest(form: MailboxForm, original?: Mailbox): MailboxInput {
  const imap = form.delivery === "imap";
  const want: Required<Omit<MailboxInput, "imap_password">> = {
    address: form.address.trim(),
    display_name: form.display_name.trim(),
    imap_url: imap ? form.imap_url.trim() : "",
    imap_username: imap ? form.imap_username.trim() : "",
    imap_folder: imap ? form.imap_folder.trim() || "INBOX" : original?.imap_folder || "INBOX",
    imap_move_to: imap ? form.imap_move_to.trim() : "",
    enabled: form.enabled,
    ack_enabled: form.ack_enabled,
    ack_template: form.ack_template.replace(/\s+$/, ""),
  };
  if (!original) {
    const body: MailboxInput = {
      address: want.address,
      display_name: want.display_name,
      enabled: want.enabled,
      ack_enabled: want.ack_enabled,
      ack_template: want.ack_template,
    };
    if (imap) {
      body.imap_url = want.imap_url;
      body.imap_username = want.imap_username;
      body.imap_folder = want.imap_folder;
      body.imap_move_to = want.imap_move_to;
      if (form.imap_password) body.imap_password = form.imap_password;
    }
    return body;
  }
  const body: MailboxInput = {};
  for (const k of Object.keys(want) as (keyof typeof want)[]) {
    if (want[k] !== original[k]) (body as Record<string, unknown>)[k] = want[k];
  }
  if (imap && form.imap_password) body.imap_password = form.imap_password;
  if (!imap && original.imap_password_set) body.imap_password = "";
  return body;
}

/** A problem the form can spot before asking the server, or null. */
export function mailboxFormProblem(form: MailboxForm): MailboxField | null {
  if (!form.address.trim()) return "address";
  if (form.delivery === "imap" && !form.imap_url.trim()) return "imap_url";
  return null;
}

/** The command a mail server pipes each message to, for a mailbox delivered that way. */
export function ingestCommand(workspace: string, address: string): string {
  const quote = (s: string) => (/^[A-Za-z0-9@._+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  return `kizuna mail-ingest --workspace ${quote(workspace)} --mailbox ${address.trim() ? quote(address.trim()) : "…"}`;
}

/** A rejection reason as a dictionary key (under admin.mail.reasons) with its values. */
export interface ReasonText {
  key: string;
  values: Record<string, string | number>;
}

// The server's reasons (src/services/mail_ingest.cc and the email adapters), most specific first.
const REASONS: [RegExp, string, string[]][] = [
  [/^our own outgoing mail came back/i, "loop", []],
  [/^a delivery status report/i, "bounce", []],
  [/^an automatic reply/i, "autoReply", []],
  [/^no valid sender address/i, "noSender", []],
  [/^the sender sent more than (\d+) messages within an hour/i, "flood", ["limit"]],
  [/^the message is larger than (\d+) MiB/i, "tooLarge", ["max"]],
  [/^the message is (\d+) MiB, over the limit of (\d+) MiB/i, "tooLargeLeft", ["size", "max"]],
  [/^not a readable email: ?([\s\S]*)$/i, "unreadable", ["detail"]],
  [/^refused: ?([\s\S]*)$/i, "refused", ["detail"]],
];

/** Why Kizuna refused an email, as a translatable message; null for a reason it does not know (shown as is). */
export function rejectionReason(reason: string): ReasonText | null {
  for (const [re, key, names] of REASONS) {
    const m = re.exec(reason.trim());
    if (!m) continue;
    const values: Record<string, string | number> = {};
    names.forEach((n, i) => {
      const v = m[i + 1] ?? "";
      values[n] = /^\d+$/.test(v) ? Number(v) : v;
    });
    return { key, values };
  }
  return null;
}
