import { describe, expect, it } from "vitest";
import type { Mailbox } from "../api";
import mailEn from "../i18n/mail/en";
import { ingestCommand, isMailboxField, mailboxForm, mailboxFormProblem, mailboxRequest, rejectionReason } from "./mail";

const saved: Mailbox = {
  id: 7, address: "support@acme.example", display_name: "Acme Support",
  imap_url: "imaps://imap.acme.example:993", imap_username: "support@acme.example", imap_password_set: true,
  imap_folder: "INBOX", imap_move_to: "", enabled: true, ack_enabled: false, ack_template: "",
  last_checked_at: null, last_error: "", ingested: 3,
  created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z", version: 4,
};

describe("the mailbox form", () => {
  it("starts a new mailbox as an IMAP one, enabled, collecting from INBOX", () => {
    const f = mailboxForm();
    expect(f.delivery).toBe("imap");
    expect(f.enabled).toBe(true);
    expect(f.imap_folder).toBe("INBOX");
    expect(mailboxFormProblem(f)).toBe("address");
    expect(mailboxFormProblem({ ...f, address: "a@b.example" })).toBe("imap_url");
    expect(mailboxFormProblem({ ...f, address: "a@b.example", delivery: "pipe" })).toBeNull();
  });

  it("creates a mailbox delivered by the mail server without any IMAP fields", () => {
    const body = mailboxRequest({ ...mailboxForm(), address: "  help@shop.example ", display_name: " Shop ", delivery: "pipe", imap_url: "imaps://left-over" });
    expect(body).toEqual({ address: "help@shop.example", display_name: "Shop", enabled: true, ack_enabled: false, ack_template: "" });
  });

  it("creates an IMAP mailbox with its password, the folder defaulting to INBOX", () => {
    const body = mailboxRequest({
      ...mailboxForm(), address: "a@b.example", imap_url: " imaps://mail.b.example ", imap_username: "a@b.example",
      imap_password: "s3cret pass", imap_folder: " ", imap_move_to: "Done", ack_enabled: true, ack_template: "Hi {name}\n\n",
    });
    expect(body).toMatchObject({
      imap_url: "imaps://mail.b.example", imap_username: "a@b.example", imap_password: "s3cret pass",
      imap_folder: "INBOX", imap_move_to: "Done", ack_enabled: true, ack_template: "Hi {name}",
    });
    expect("imap_password" in mailboxRequest({ ...mailboxForm(), address: "a@b.example", imap_url: "imap://x" })).toBe(false);
  });

  it("fills the form from a mailbox and sends nothing when nothing changed", () => {
    const f = mailboxForm(saved);
    expect(f.delivery).toBe("imap");
    expect(f.imap_password).toBe("");
    expect(mailboxRequest(f, saved)).toEqual({});
    expect(mailboxForm({ ...saved, imap_url: "" }).delivery).toBe("pipe");
  });

  it("sends only what changed, and the password only when typed", () => {
    const f = mailboxForm(saved);
    expect(mailboxRequest({ ...f, display_name: "Acme Help" }, saved)).toEqual({ display_name: "Acme Help" });
    expect(mailboxRequest({ ...f, imap_password: "new one" }, saved)).toEqual({ imap_password: "new one" });
    expect(mailboxRequest({ ...f, enabled: false, ack_enabled: true }, saved)).toEqual({ enabled: false, ack_enabled: true });
  });

  it("switching to delivery by the mail server removes the IMAP account and its saved password", () => {
    const body = mailboxRequest({ ...mailboxForm(saved), delivery: "pipe" }, saved);
    expect(body).toEqual({ imap_url: "", imap_username: "", imap_password: "" });
    const noPassword = { ...saved, imap_password_set: false };
    expect(mailboxRequest({ ...mailboxForm(noPassword), delivery: "pipe" }, noPassword)).toEqual({ imap_url: "", imap_username: "" });
  });

  it("knows which server fields the form shows", () => {
    expect(isMailboxField("imap_url")).toBe(true);
    expect(isMailboxField("If-Match")).toBe(false);
    expect(isMailboxField(undefined)).toBe(false);
  });

  it("shows the mail-ingest command, quoted for a shell when needed", () => {
    expect(ingestCommand("demo", "support@acme.example")).toBe("kizuna mail-ingest --workspace demo --mailbox support@acme.example");
    expect(ingestCommand("my team", "")).toBe("kizuna mail-ingest --workspace 'my team' --mailbox …");
    expect(ingestCommand("o'brien", "a@b.example")).toBe(`kizuna mail-ingest --workspace 'o'\\''brien' --mailbox a@b.example`);
  });
});

describe("rejection reasons", () => {
  const cases: [string, string, Record<string, string | number>][] = [
    ["our own outgoing mail came back (X-Kizuna-Loop)", "loop", {}],
    ["a delivery status report (bounce)", "bounce", {}],
    ["an automatic reply (out of office or similar)", "autoReply", {}],
    ["no valid sender address in From", "noSender", {}],
    ["the sender sent more than 60 messages within an hour", "flood", { limit: 60 }],
    ["the message is larger than 25 MiB", "tooLarge", { max: 25 }],
    ["the message is 40 MiB, over the limit of 25 MiB; it is left in the mailbox", "tooLargeLeft", { size: 40, max: 25 }],
    ["not a readable email: no header/body separator", "unreadable", { detail: "no header/body separator" }],
    ["refused: the sender address is blocked", "refused", { detail: "the sender address is blocked" }],
  ];
  it.each(cases)("%s", (reason, key, values) => {
    expect(rejectionReason(reason)).toEqual({ key, values });
  });

  it("every reason has words in the dictionary, with the same values", () => {
    for (const [, key, values] of cases) {
      const text = (mailEn.mail.reasons as Record<string, string>)[key];
      expect(text, key).toBeTruthy();
      for (const v of Object.keys(values)) expect(text, key).toContain(`{{${v}}}`);
    }
  });

  it("leaves a reason it does not know to be shown as it is", () => {
    expect(rejectionReason("something new")).toBeNull();
    expect(rejectionReason("")).toBeNull();
  });
});
