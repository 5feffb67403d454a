import { useTranslation } from "react-i18next";
import { dueLabel, dueOf, dueTitle, type TicketSla } from "../lib/due";
import { absoluteTime } from "../lib/time";
import { useNow } from "./bits";
import "./dueBadge.css";

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** "due in 2 h" for a ticket's soonest SLA target; red once breached, amber within the hour. */
export function DueBadge({ sla, timeZone }: { sla: TicketSla | null | undefined; timeZone?: string }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const due = dueOf(sla, now);
  if (!due) return null;
  const tr = t as unknown as Translate;
  const when = due.at ? ` (${absoluteTime(due.at, i18n.language, timeZone)})` : "";
  return (
    <span className={`due-badge due-${due.tone}`} title={dueTitle(tr, due) + when} data-testid="due-badge">
      {dueLabel(tr, due)}
    </span>
  );
}
