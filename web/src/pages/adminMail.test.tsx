import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import i18n from "../i18n";
import { ApiError, type Customer, type Mailbox } from "../api";
import { MailboxItem, mailboxErrorText } from "./AdminMail";
import { CustomerPanel } from "./CustomerPanel";
import { isEmailMessage, MessageBody } from "../components/MessageBody";
import { channelName } from "../lib/channels";

const mailbox: Mailbox = {
  id: 3, address: "support@acme.example", display_name: "", imap_url: "", imap_username: "", imap_password_set: false,
  imap_folder: "INBOX", imap_move_to: "", enabled: true, ack_enabled: true, ack_template: "",
  last_checked_at: null, last_error: "", ingested: 1234, created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z", version: 1,
};
const noop = () => {};
const item = (m: Mailbox, check?: Parameters<typeof MailboxItem>[0]["check"]) =>
  renderToStaticMarkup(<MailboxItem mailbox={m} editing={false} check={check} onCheck={noop} onEdit={noop} onDelete={noop} />);

describe("a mailbox in the admin list", () => {
  it("says a mail-ingest mailbox is delivered by the mail server, with no Check now", async () => {
    await i18n.changeLanguage("en");
    const html = item(mailbox);
    expect(html).toContain("Delivered by your mail server (kizuna mail-ingest)");
    expect(html).toContain("No sender name");
    expect(html).toContain("Messages taken"); // every message it took, however it arrived
    expect(html).not.toContain("Check now");
    expect(html).toContain('aria-label="Delete support@acme.example"');
  });

  it("shows an IMAP mailbox's account, folders and its last error as a warning", async () => {
    await i18n.changeLanguage("en");
    const m = { ...mailbox, imap_url: "imaps://imap.acme.example", imap_username: "support", imap_move_to: "Done", enabled: false, last_error: "<b>login failed</b>" };
    const html = item(m);
    expect(html).toContain("imaps://imap.acme.example");
    expect(html).toContain("INBOX → Done");
    expect(html).toContain("1,234");
    expect(html).toContain("Check now");
    expect(html).toContain("Paused");
    expect(html).toContain("mailbox-warning");
    expect(html).toContain("&lt;b&gt;login failed&lt;/b&gt;");
  });

  it("shows what Check now found, in the admin's language", async () => {
    await i18n.changeLanguage("ja");
    const m = { ...mailbox, imap_url: "imap://mail.example" };
    expect(item(m, { state: "done", taken: 2, error: "" })).toContain("新しいメールを 2 通取り込みました。");
    expect(item(m, { state: "done", taken: 0, error: "" })).toContain("新しいメールはありません。");
    expect(item(m, { state: "done", taken: 0, error: "connection refused" })).toContain("確認できませんでした: connection refused");
    expect(item(m, { state: "busy" })).toContain("確認中…");
    await i18n.changeLanguage("en");
  });
});

describe("mailbox form errors", () => {
  const err = (code: string, field: string, detail = "") => new ApiError(400, code, detail, field);
  it("explains each field's problem in words for it", async () => {
    await i18n.changeLanguage("en");
    const t = i18n.t.bind(i18n);
    expect(mailboxErrorText(t, err("invalid_argument", "address", "enter a valid email address"))).toMatch(/complete email address/);
    expect(mailboxErrorText(t, err("invalid_argument", "address", "the mailbox address cannot contain +; …"))).toMatch(/cannot contain “\+”/);
    expect(mailboxErrorText(t, err("conflict", "address"))).toMatch(/already has a mailbox/);
    expect(mailboxErrorText(t, err("invalid_argument", "imap_url", "use imap://host:port or imaps://host:port"))).toMatch(/imaps:\/\/host:port/);
    expect(mailboxErrorText(t, err("invalid_argument", "display_name", "too long"))).toBe(
      "Some of the information is not valid. Please check it and try again. Check the field “Sender name”.",
    );
    await i18n.changeLanguage("vi");
    expect(mailboxErrorText(i18n.t.bind(i18n), err("invalid_argument", "imap_url"))).toContain("máy chủ IMAP");
    await i18n.changeLanguage("en");
  });
});

describe("email in the timeline", () => {
  it("keeps the quoted text folded away until asked for", async () => {
    await i18n.changeLanguage("en");
    const m = { body: "Thanks!", body_full: "Thanks!\n\n> Hello <script>x</script>" };
    const closed = renderToStaticMarkup(<MessageBody message={m} />);
    expect(closed).toContain('aria-expanded="false"');
    expect(closed).toContain("Show quoted text");
    expect(closed).toMatch(/<div id="[^"]+" class="msg-quoted" hidden=""/);
    expect(closed).toContain("&gt; Hello &lt;script&gt;x&lt;/script&gt;");
    const open = renderToStaticMarkup(<MessageBody message={m} initiallyOpen />);
    expect(open).toContain('aria-expanded="true"');
    expect(open).toContain("Hide quoted text");
    expect(open).not.toContain('hidden=""');
  });

  it("has no toggle for a message without quoted history", () => {
    expect(renderToStaticMarkup(<MessageBody message={{ body: "Hi", body_full: "" }} />)).toBe('<div class="msg-body">Hi</div>');
    expect(renderToStaticMarkup(<MessageBody message={{ body: "Hi" }} />)).not.toContain("quoted");
  });

  it("marks email messages and names channels", async () => {
    expect(isEmailMessage({ external_id: "<abc@mail.example>" })).toBe(true);
    expect(isEmailMessage({ external_id: "" })).toBe(false);
    expect(isEmailMessage({})).toBe(false);
    await i18n.changeLanguage("ko");
    expect(channelName(i18n.t.bind(i18n), "email")).toBe("이메일");
    expect(channelName(i18n.t.bind(i18n), "kakaotalk")).toBe("KakaoTalk");
    expect(channelName(i18n.t.bind(i18n), "pigeon")).toBe("pigeon");
    await i18n.changeLanguage("en");
  });
});

describe("deleting a customer", () => {
  const c: Customer = {
    id: 9, name: "Emily Carter", language: "en", organisation_id: null, notes: "", birthday: null,
    identities: [], merged_into: null, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z", version: 1,
  };
  it("is offered to supervisors and admins only, and waits for the customer's tickets", () => {
    expect(renderToStaticMarkup(<CustomerPanel customer={c} currentTicketId={1} />)).not.toContain("Delete customer");
    const html = renderToStaticMarkup(<CustomerPanel customer={c} currentTicketId={1} onDeleted={noop} />);
    expect(html).toMatch(/<button type="button" class="btn btn-small btn-danger" disabled="" data-testid="delete-customer">Delete customer<\/button>/);
  });
});
