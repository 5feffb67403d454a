import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Message } from "../api";
import { quotedText } from "../lib/quoted";

/**
 * A message's text in the timeline. For an email whose quoted history the server cut off
 * (`body_full`), a small toggle shows what was cut, under the message.
 */
export function MessageBody({ message, initiallyOpen = false }: { message: Pick<Message, "body" | "body_full">; initiallyOpen?: boolean }) {
  const { t } = useTranslation();
  const quoted = useMemo(() => quotedText(message.body, message.body_full), [message.body, message.body_full]);
  const [open, setOpen] = useState(initiallyOpen);
  const id = useId();
  return (
    <>
      <div className="msg-body">{message.body}</div>
      {quoted && (
        <>
          <button
            type="button"
            className="quoted-toggle"
            aria-expanded={open}
            aria-controls={id}
            onClick={() => setOpen((o) => !o)}
            data-testid="quoted-toggle"
          >
            <span className="quoted-dots" aria-hidden="true">
              •••
            </span>
            {open ? t("timeline.hideQuoted") : t("timeline.showQuoted")}
          </button>
          <div id={id} className="msg-quoted" hidden={!open} data-testid="msg-quoted">
            {quoted.kind === "full" && <div className="msg-quoted-label">{t("timeline.wholeEmail")}</div>}
            {quoted.text}
          </div>
        </>
      )}
    </>
  );
}

/** Whether a message came in (or went out) as an email: it has a Message-ID. */
export function isEmailMessage(m: Pick<Message, "external_id">): boolean {
  return !!m.external_id;
}
