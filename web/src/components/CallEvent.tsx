// One event of a phone call (C18) on a ticket's timeline: a phone icon coloured by what
// happened, the event in words (lib/calls.ts) and when the phone system says it happened.
import { useTranslation } from "react-i18next";
import type { CallEventView } from "../lib/calls";
import { RelTime } from "./bits";

export function CallEvent({ call, fallbackAt, timeZone }: { call: CallEventView; fallbackAt: string; timeZone?: string }) {
  const { t } = useTranslation();
  return (
    <li className={`tl-event tl-call tl-call-${call.kind}`} data-testid="tl-call" data-kind={call.kind}>
      <span className="tl-call-icon" role="img" aria-label={t("timeline.call.label")}>
        <svg viewBox="0 0 24 24" width="12" height="12" aria-hidden="true">
          <path
            fill="currentColor"
            d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.6a1 1 0 0 1-.25 1z"
          />
        </svg>
      </span>
      <span className="tl-event-text">
        <span>{call.text}</span>
      </span>
      <RelTime iso={call.at ?? fallbackAt} timeZone={timeZone} />
    </li>
  );
}
