// Admin → Email: the addresses the workspace receives mail at, and the mail it refused.
// Loaded on demand (only admins open it), so the agent app's first load stays small.
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { api, ApiError, type Mailbox, type MailRejection } from "../api";
import { useSession } from "../state";
import { errorMessage } from "../lib/errors";
import {
  ingestCommand, isMailboxField, mailboxForm, mailboxFormProblem, mailboxRequest, rejectionReason,
  type MailboxField, type MailboxForm,
} from "../lib/mail";
import { ErrorBanner, RelTime, Spinner } from "../components/bits";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { addMailDictionaries } from "../i18n/mail";
import "./adminMail.css";

addMailDictionaries();

const REJECTIONS_PAGE = 50;

type CheckState =
  | { state: "busy" }
  | { state: "done"; taken: number; error: string }
  | { state: "failed"; error: unknown };

/** A server error about one field of the mailbox form, in words for that field. */
export function mailboxErrorText(t: TFunction, err: ApiError): string {
  if (err.field === "address") {
    if (err.code === "conflict") return t("admin.mail.errors.addressTaken");
    if (err.code === "invalid_argument") return t(err.detail.includes("+") ? "admin.mail.errors.addressPlus" : "admin.mail.errors.address");
  }
  if (err.code === "invalid_argument") {
    if (err.field === "imap_url") return t("admin.mail.errors.imapUrl");
    if (err.field === "imap_folder" || err.field === "imap_move_to") {
      if (/quote|backslash|wildcard|control/i.test(err.detail)) return t("admin.mail.errors.folder");
    }
  }
  return errorMessage(t, err);
}

export default function MailTab() {
  const { t } = useTranslation();
  const [mailboxes, setMailboxes] = useState<Mailbox[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [notice, setNotice] = useState<{ key: "added" | "saved" | "deleted"; address: string } | null>(null);
  const [checks, setChecks] = useState<Record<number, CheckState>>({});
  const [deleting, setDeleting] = useState<Mailbox | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<unknown>(null);

  const load = useCallback(() => {
    setLoadError(null);
    return api
      .mailboxes()
      .then((r) => setMailboxes(r.mailboxes))
      .catch(setLoadError);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const editingMailbox = mailboxes?.find((m) => m.id === editing) ?? null;
  const put = (m: Mailbox) => setMailboxes((list) => (list ? list.map((x) => (x.id === m.id ? m : x)) : list));

  function saved(m: Mailbox, created: boolean) {
    if (created) setMailboxes((list) => [...(list ?? []), m]);
    else put(m);
    setNotice({ key: created ? "added" : "saved", address: m.address });
    setChecks((c) => {
      const next = { ...c };
      delete next[m.id];
      return next;
    });
    setEditing(null);
    setFormKey((k) => k + 1);
  }

  async function check(m: Mailbox) {
    setChecks((c) => ({ ...c, [m.id]: { state: "busy" } }));
    try {
      const r = await api.checkMailbox(m.id);
      put(r.mailbox);
      setChecks((c) => ({ ...c, [m.id]: { state: "done", taken: r.taken, error: r.error } }));
    } catch (err) {
      setChecks((c) => ({ ...c, [m.id]: { state: "failed", error: err } }));
    }
  }

  async function confirmDelete() {
    if (!deleting) return;
    setDeleteBusy(true);
    setDeleteError(null);
    try {
      await api.deleteMailbox(deleting.id);
      setMailboxes((list) => (list ? list.filter((x) => x.id !== deleting.id) : list));
      if (editing === deleting.id) {
        setEditing(null);
        setFormKey((k) => k + 1);
      }
      setNotice({ key: "deleted", address: deleting.address });
      setDeleting(null);
    } catch (err) {
      if (err instanceof ApiError && err.code === "not_found") {
        // Someone else deleted it already: the list catches up.
        setDeleting(null);
        void load();
      } else setDeleteError(err);
    } finally {
      setDeleteBusy(false);
    }
  }

  return (
    <div className="mail-admin" data-testid="mail-admin">
      <p className="mail-intro">{t("admin.mail.intro")}</p>
      <div className="admin-grid">
        <MailboxEditor
          key={editingMailbox ? `edit-${editingMailbox.id}` : `new-${formKey}`}
          mailbox={editingMailbox}
          onSaved={saved}
          onStale={() => void load()}
          onCancel={() => setEditing(null)}
        />
        <section className="card" aria-labelledby="mb-list-title">
          <h2 className="card-title" id="mb-list-title">
            {t("admin.mail.list")}
          </h2>
          {notice && (
            <div className="banner banner-ok" role="status" data-testid="mail-notice">
              <span>{t(`admin.mail.${notice.key}`, { address: notice.address })}</span>
              <span className="banner-actions">
                <button type="button" className="btn btn-small btn-ghost" onClick={() => setNotice(null)}>
                  {t("app.dismiss")}
                </button>
              </span>
            </div>
          )}
          {mailboxes === null ? (
            loadError ? <ErrorBanner error={loadError} onRetry={() => void load()} /> : <Spinner />
          ) : mailboxes.length === 0 ? (
            <div className="empty-state" data-testid="mailboxes-empty">
              <span className="empty-icon" aria-hidden="true">
                ✉
              </span>
              <p>{t("admin.mail.empty")}</p>
            </div>
          ) : (
            <ul className="mailboxes" data-testid="mailboxes">
              {[...mailboxes].sort((a, b) => a.address.localeCompare(b.address)).map((m) => (
                <MailboxItem
                  key={m.id}
                  mailbox={m}
                  editing={m.id === editing}
                  check={checks[m.id]}
                  onCheck={() => void check(m)}
                  onEdit={() => {
                    setNotice(null);
                    setEditing(m.id);
                  }}
                  onDelete={() => {
                    setDeleteError(null);
                    setDeleting(m);
                  }}
                />
              ))}
            </ul>
          )}
        </section>
      </div>
      <RejectedMail mailboxes={mailboxes ?? []} />
      {deleting && (
        <ConfirmDialog
          title={t("admin.mail.confirmDelete", { address: deleting.address })}
          confirmLabel={t("admin.mail.deleteYes")}
          busyLabel={t("admin.mail.deleting")}
          busy={deleteBusy}
          onConfirm={() => void confirmDelete()}
          onCancel={() => setDeleting(null)}
          testId="mailbox-delete-dialog"
        >
          <p>{t("admin.mail.confirmDeleteText")}</p>
          <ErrorBanner error={deleteError} />
        </ConfirmDialog>
      )}
    </div>
  );
}

export function MailboxItem(props: {
  mailbox: Mailbox;
  editing: boolean;
  check: CheckState | undefined;
  onCheck: () => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { mailbox: m, check } = props;
  const imap = !!m.imap_url;
  let checkNote: ReactNode = null;
  if (check?.state === "done")
    checkNote = check.error ? (
      <div className="banner banner-error mailbox-note" role="alert" data-testid="check-result">
        <span>{t("admin.mail.checkFailed", { error: check.error })}</span>
      </div>
    ) : (
      <div className="banner banner-ok mailbox-note" role="status" data-testid="check-result">
        <span>{check.taken > 0 ? t("admin.mail.checked", { count: check.taken }) : t("admin.mail.checkedNone")}</span>
      </div>
    );
  else if (check?.state === "failed") {
    const err = check.error;
    const text =
      err instanceof ApiError && err.code === "unavailable" && /poll/i.test(err.detail) ? t("admin.mail.noPolling") : errorMessage(t, err);
    checkNote = (
      <div className="banner banner-error mailbox-note" role="alert" data-testid="check-result">
        <span>{text}</span>
      </div>
    );
  } else if (m.last_error)
    checkNote = (
      <div className="mailbox-warning" data-testid="mailbox-last-error">
        <span className="warn-icon" aria-hidden="true">
          ⚠
        </span>
        <div>
          <strong>{t("admin.mail.lastError")}</strong> <span className="mailbox-error-text">{m.last_error}</span>
        </div>
      </div>
    );

  return (
    <li
      className={`mailbox${props.editing ? " is-editing" : ""}${m.enabled ? "" : " is-paused"}`}
      data-testid="mailbox"
      data-mailbox-id={m.id}
    >
      <div className="mailbox-head">
        <span className="mailbox-icon" aria-hidden="true">
          ✉
        </span>
        <div className="mailbox-names">
          <div className="mailbox-address" data-testid="mailbox-address">
            {m.address}
          </div>
          <div className={m.display_name ? "mailbox-name" : "mailbox-name muted"} data-testid="mailbox-name">
            {m.display_name || t("admin.mail.noName")}
          </div>
        </div>
        <span className={m.enabled ? "pill pill-on" : "pill pill-off"}>{m.enabled ? t("admin.mail.on") : t("admin.mail.paused")}</span>
      </div>
      <dl className="facts mailbox-facts">
        <dt>{t("admin.mail.incoming")}</dt>
        <dd data-testid="mailbox-incoming">
          {imap ? (
            <>
              <span className="mono">{m.imap_url}</span>
              {m.imap_username && <span className="muted"> · {m.imap_username}</span>}
            </>
          ) : (
            t("admin.mail.byMailServer")
          )}
        </dd>
        {imap && (
          <>
            <dt>{t("admin.mail.folders")}</dt>
            <dd className="mono">
              {m.imap_folder || "INBOX"}
              {m.imap_move_to && ` → ${m.imap_move_to}`}
            </dd>
            <dt>{t("admin.mail.lastChecked")}</dt>
            <dd>{m.last_checked_at ? <RelTime iso={m.last_checked_at} /> : <span className="muted">{t("admin.mail.notChecked")}</span>}</dd>
          </>
        )}
        {/* Every message the mailbox took, collected over IMAP or piped in by the mail server. */}
        <dt>{t("admin.mail.taken")}</dt>
        <dd data-testid="mailbox-taken">{m.ingested.toLocaleString(i18n.language)}</dd>
        <dt>{t("admin.mail.ackState")}</dt>
        <dd>{m.ack_enabled ? t("admin.mail.ackOn") : <span className="muted">{t("admin.mail.ackOff")}</span>}</dd>
      </dl>
      {checkNote}
      <div className="btn-row mailbox-actions">
        {imap && (
          <button type="button" className="btn btn-small" onClick={props.onCheck} disabled={check?.state === "busy"} data-testid="check-mailbox">
            {check?.state === "busy" ? (
              <>
                <span className="spinner spinner-small" aria-hidden="true" />
                {t("admin.mail.checking")}
              </>
            ) : (
              t("admin.mail.checkNow")
            )}
          </button>
        )}
        <button
          type="button"
          className="btn btn-small"
          onClick={props.onEdit}
          aria-label={t("admin.mail.editTitle", { address: m.address })}
          data-testid="edit-mailbox"
        >
          {t("admin.mail.edit")}
        </button>
        <button
          type="button"
          className="btn btn-small btn-danger"
          onClick={props.onDelete}
          aria-label={t("admin.mail.deleteLabel", { address: m.address })}
          data-testid="delete-mailbox"
        >
          {t("admin.mail.delete")}
        </button>
      </div>
    </li>
  );
}

const VARS = [
  ["{name}", "admin.mail.varName"],
  ["{number}", "admin.mail.varNumber"],
  ["{subject}", "admin.mail.varSubject"],
  ["{expected_reply}", "admin.mail.varExpectedReply"],
] as const;

/** Adds a mailbox, or changes one (only what changed is sent; the password only when typed). */
function MailboxEditor(props: {
  mailbox: Mailbox | null;
  onSaved: (m: Mailbox, created: boolean) => void;
  onStale: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { session } = useSession();
  const { mailbox } = props;
  const [form, setForm] = useState<MailboxForm>(() => mailboxForm(mailbox ?? undefined));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The field a problem is about, and the problem (worded at render, so it follows the language).
  const [fieldError, setFieldError] = useState<{ field: MailboxField; err: ApiError | null } | null>(null);
  const template = useRef<HTMLTextAreaElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  // Opening a mailbox to edit brings the form into view (the list may be long).
  useEffect(() => {
    if (!mailbox) return;
    const form = formRef.current;
    const top = form?.getBoundingClientRect().top ?? 0;
    if (form && (top < 60 || top > window.innerHeight - 160)) form.scrollIntoView({ block: "start" });
    document.getElementById("mb-display_name")?.focus({ preventScroll: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const el = fieldError && document.getElementById(`mb-${fieldError.field}`);
    if (!el) return;
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "center" });
  }, [fieldError]);

  function set<K extends keyof MailboxForm>(k: K, v: MailboxForm[K]) {
    setForm((f) => ({ ...f, [k]: v }));
    setFieldError((fe) => (fe && fe.field === k ? null : fe));
  }

  const body = mailboxRequest(form, mailbox ?? undefined);
  const changed = !mailbox || Object.keys(body).length > 0;
  const shown = (f: MailboxField) =>
    f.startsWith("imap_") ? form.delivery === "imap" : f === "ack_template" ? form.ack_enabled : true;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setFieldError(null);
    const problem = mailboxFormProblem(form);
    if (problem) {
      setFieldError({ field: problem, err: null });
      return;
    }
    if (!changed) return;
    setBusy(true);
    try {
      const saved = mailbox ? await api.updateMailbox(mailbox.id, body, mailbox.version) : await api.createMailbox(body);
      props.onSaved(saved, !mailbox);
    } catch (err) {
      if (err instanceof ApiError && (err.code === "invalid_argument" || err.code === "conflict") && isMailboxField(err.field) && shown(err.field)) {
        setFieldError({ field: err.field, err });
      } else {
        setError(err);
        if (err instanceof ApiError && err.code === "precondition_failed") props.onStale();
      }
    } finally {
      setBusy(false);
    }
  }

  function insertVar(token: string) {
    const el = template.current;
    const text = form.ack_template;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    set("ack_template", text.slice(0, start) + token + text.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  }

  // Props for an input the server can point an error at.
  const invalid = (f: MailboxField) =>
    fieldError?.field === f ? { "aria-invalid": true as const, "aria-errormessage": `mb-${f}-error` } : {};
  const fieldErr = (f: MailboxField) =>
    fieldError?.field === f ? (
      <p className="field-error" id={`mb-${f}-error`} role="alert" data-testid="field-error">
        {fieldError.err
          ? mailboxErrorText(t, fieldError.err)
          : t(fieldError.field === "address" ? "admin.mail.errors.addressRequired" : "admin.mail.errors.imapUrlRequired")}
      </p>
    ) : null;

  const savedPassword = !!mailbox?.imap_password_set && !!mailbox.imap_url;
  return (
    <form
      ref={formRef}
      className={mailbox ? "card form-card mailbox-form agent-editor" : "card form-card mailbox-form"}
      onSubmit={submit}
      noValidate
      aria-labelledby="mb-form-title"
      data-testid="mailbox-form"
    >
      <h2 className="card-title" id="mb-form-title">
        {mailbox ? t("admin.mail.editTitle", { address: mailbox.address }) : t("admin.mail.add")}
      </h2>
      <ErrorBanner error={error} />
      <div className="field">
        <label htmlFor="mb-address">{t("admin.mail.address")}</label>
        <input
          id="mb-address"
          type="email"
          inputMode="email"
          autoComplete="off"
          spellCheck={false}
          value={form.address}
          placeholder={t("admin.mail.addressPlaceholder")}
          aria-describedby="mb-address-hint"
          onChange={(e) => set("address", e.target.value)}
          {...invalid("address")}
        />
        {fieldErr("address")}
        <p className="hint" id="mb-address-hint">{t("admin.mail.addressHint")}</p>
      </div>
      <div className="field">
        <label htmlFor="mb-display_name">{t("admin.mail.displayName")}</label>
        <input
          id="mb-display_name"
          value={form.display_name}
          maxLength={100}
          placeholder={t("admin.mail.displayNamePlaceholder")}
          aria-describedby="mb-display_name-hint"
          onChange={(e) => set("display_name", e.target.value)}
          {...invalid("display_name")}
        />
        {fieldErr("display_name")}
        <p className="hint" id="mb-display_name-hint">{t("admin.mail.displayNameHint")}</p>
      </div>

      <fieldset className="field">
        <legend>{t("admin.mail.delivery")}</legend>
        <div className="delivery-opts">
          {(["imap", "pipe"] as const).map((d) => (
            <label key={d} className={form.delivery === d ? "style-opt active" : "style-opt"}>
              <input
                type="radio"
                name="mb-delivery"
                value={d}
                checked={form.delivery === d}
                onChange={() => set("delivery", d)}
                data-testid={`delivery-${d}`}
              />
              <span>
                <strong>{t(d === "imap" ? "admin.mail.imapTitle" : "admin.mail.pipeTitle")}</strong>
                <span className="opt-text">{t(d === "imap" ? "admin.mail.imapText" : "admin.mail.pipeText")}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      {form.delivery === "pipe" ? (
        <div className="pipe-setup" data-testid="pipe-setup">
          <p>{t("admin.mail.pipeSetup")}</p>
          <code>{ingestCommand(session.workspace.name, form.address)}</code>
        </div>
      ) : (
        <div className="imap-fields">
          <div className="field">
            <label htmlFor="mb-imap_url">{t("admin.mail.imapUrl")}</label>
            <input
              id="mb-imap_url"
              value={form.imap_url}
              spellCheck={false}
              autoComplete="off"
              placeholder="imaps://imap.example.com:993"
              aria-describedby="mb-imap_url-hint"
              onChange={(e) => set("imap_url", e.target.value)}
              {...invalid("imap_url")}
            />
            {fieldErr("imap_url")}
            {fieldError?.field !== "imap_url" && (
              <p className="hint" id="mb-imap_url-hint">
                {t("admin.mail.imapUrlHint")}
              </p>
            )}
          </div>
          <div className="field-row">
            <div className="field">
              <label htmlFor="mb-imap_username">{t("admin.mail.username")}</label>
              <input
                id="mb-imap_username"
                value={form.imap_username}
                spellCheck={false}
                autoComplete="off"
                aria-describedby="mb-imap_username-hint"
                onChange={(e) => set("imap_username", e.target.value)}
                {...invalid("imap_username")}
              />
              {fieldErr("imap_username")}
              <p className="hint" id="mb-imap_username-hint">{t("admin.mail.usernameHint")}</p>
            </div>
            <div className="field">
              <label htmlFor="mb-imap_password">
                {t("admin.mail.password")}
                {savedPassword && (
                  <span className="saved-badge" data-testid="password-saved">
                    ✓ {t("admin.mail.passwordSaved")}
                  </span>
                )}
              </label>
              <input
                id="mb-imap_password"
                type="password"
                autoComplete="new-password"
                value={form.imap_password}
                placeholder={savedPassword ? t("admin.mail.passwordSavedPlaceholder") : undefined}
                aria-describedby="mb-imap_password-hint"
                onChange={(e) => set("imap_password", e.target.value)}
                {...invalid("imap_password")}
              />
              {fieldErr("imap_password")}
              <p className="hint" id="mb-imap_password-hint">
                {savedPassword ? t("admin.mail.passwordKeep") : t("admin.mail.passwordHint")}
              </p>
            </div>
          </div>
          <div className="field">
            <label htmlFor="mb-imap_folder">{t("admin.mail.folder")}</label>
            <input
              id="mb-imap_folder"
              value={form.imap_folder}
              spellCheck={false}
              placeholder="INBOX"
              onChange={(e) => set("imap_folder", e.target.value)}
              {...invalid("imap_folder")}
            />
            {fieldErr("imap_folder")}
          </div>
          <div className="field">
            <label htmlFor="mb-imap_move_to">{t("admin.mail.moveTo")}</label>
            <input
              id="mb-imap_move_to"
              value={form.imap_move_to}
              spellCheck={false}
              placeholder={t("admin.mail.moveToPlaceholder")}
              aria-describedby="mb-imap_move_to-hint"
              onChange={(e) => set("imap_move_to", e.target.value)}
              {...invalid("imap_move_to")}
            />
            {fieldErr("imap_move_to")}
            <p className="hint" id="mb-imap_move_to-hint">{t("admin.mail.moveToHint")}</p>
          </div>
        </div>
      )}

      <div className="toggle-block">
        <label className="check switch">
          <input type="checkbox" role="switch" checked={form.enabled} onChange={(e) => set("enabled", e.target.checked)} data-testid="mb-enabled" />
          <span>{t("admin.mail.enabled")}</span>
        </label>
        <p className="hint">{t("admin.mail.enabledHint")}</p>
      </div>
      <div className="toggle-block">
        <label className="check switch">
          <input type="checkbox" role="switch" checked={form.ack_enabled} onChange={(e) => set("ack_enabled", e.target.checked)} data-testid="mb-ack" />
          <span>{t("admin.mail.ack")}</span>
        </label>
        <p className="hint">{t("admin.mail.ackHint")}</p>
        {form.ack_enabled && (
          <div className="field ack-field">
            <label htmlFor="mb-ack_template">{t("admin.mail.ackTemplate")}</label>
            <textarea
              id="mb-ack_template"
              ref={template}
              rows={6}
              value={form.ack_template}
              placeholder={t("admin.mail.ackTemplatePlaceholder")}
              aria-describedby="mb-ack-vars mb-ack-default"
              onChange={(e) => set("ack_template", e.target.value)}
              {...invalid("ack_template")}
            />
            {fieldErr("ack_template")}
            <div className="ack-vars" id="mb-ack-vars">
              <span className="hint">{t("admin.mail.ackVars")}</span>
              {VARS.map(([token, label]) => (
                <button
                  key={token}
                  type="button"
                  className="var-chip"
                  onClick={() => insertVar(token)}
                  aria-label={t("admin.mail.insert", { token })}
                  title={t(label)}
                >
                  <code>{token}</code> <span>{t(label)}</span>
                </button>
              ))}
            </div>
            <p className="hint" id="mb-ack-default">{t("admin.mail.ackDefault")}</p>
          </div>
        )}
      </div>

      <div className="btn-row">
        <button className="btn btn-primary" type="submit" disabled={busy || (!!mailbox && !changed)} data-testid="save-mailbox">
          {busy ? t("app.saving") : mailbox ? t("admin.mail.submitSave") : t("admin.mail.submitAdd")}
        </button>
        {mailbox && (
          <button className="btn" type="button" onClick={props.onCancel}>
            {t("app.cancel")}
          </button>
        )}
      </div>
    </form>
  );
}

/** The mail Kizuna refused, newest first, 50 at a time. */
function RejectedMail({ mailboxes }: { mailboxes: Mailbox[] }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<MailRejection[] | null>(null);
  const [more, setMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async (before?: number) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.mailRejections(before, REJECTIONS_PAGE);
      setItems((cur) => (before && cur ? [...cur, ...r.rejections.filter((x) => !cur.some((c) => c.id === x.id))] : r.rejections));
      setMore(r.rejections.length === REJECTIONS_PAGE);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const addressOf = (id: number | null) => (id == null ? "" : mailboxes.find((m) => m.id === id)?.address ?? "");
  const last = items && items.length ? items[items.length - 1].id : undefined;
  return (
    <section className="card rejections" aria-labelledby="rj-title" data-testid="rejections">
      <div className="card-head">
        <div>
          <h2 className="card-title" id="rj-title">
            {t("admin.mail.rejected.title")}
          </h2>
          <p className="muted small">{t("admin.mail.rejected.intro")}</p>
        </div>
        <button type="button" className="btn btn-small" onClick={() => void load()} disabled={busy} data-testid="rejections-refresh">
          {t("admin.mail.rejected.refresh")}
        </button>
      </div>
      <ErrorBanner error={error} onRetry={() => void load(items ? last : undefined)} />
      {items === null ? (
        !error && <Spinner />
      ) : items.length === 0 ? (
        <div className="empty-state" data-testid="rejections-empty">
          <span className="empty-icon empty-icon-ok" aria-hidden="true">
            ✓
          </span>
          <p>{t("admin.mail.rejected.empty")}</p>
        </div>
      ) : (
        <>
          <div className="table-scroll">
            <table className="table rejections-table" data-testid="rejections-table">
              <thead>
                <tr>
                  <th scope="col">{t("admin.mail.rejected.received")}</th>
                  <th scope="col">{t("admin.mail.rejected.from")}</th>
                  <th scope="col">{t("admin.mail.rejected.subject")}</th>
                  <th scope="col">{t("admin.mail.rejected.reason")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => {
                  const why = rejectionReason(r.reason);
                  const to = addressOf(r.mailbox_id);
                  return (
                    <tr key={r.id} data-testid="rejection">
                      <td className="nowrap">
                        <RelTime iso={r.received_at} />
                      </td>
                      <td className="mono rj-sender">{r.sender || <span className="muted">{t("admin.mail.rejected.unknownSender")}</span>}</td>
                      <td className="rj-subject">
                        {r.subject || <span className="muted">{t("admin.mail.rejected.noSubject")}</span>}
                        {to && (
                          <div className="muted small">
                            {t("admin.mail.rejected.to")}: <span className="mono">{to}</span>
                          </div>
                        )}
                      </td>
                      <td className="rj-reason" title={r.reason}>
                        {why ? t(`admin.mail.reasons.${why.key}`, why.values) : r.reason}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {more && (
            <div className="load-more">
              <button type="button" className="btn btn-small" disabled={busy} onClick={() => void load(last)} data-testid="rejections-more">
                {busy ? t("app.loading") : t("admin.mail.rejected.more")}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
