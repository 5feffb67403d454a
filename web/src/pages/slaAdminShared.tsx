// Admin → Service levels, shared by its sections: field problems in words, durations,
// the saved/deleted notice, and the organisations and teams policies name.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { ApiError, type Organisation, type Team } from "../api";
import { errorMessage } from "../lib/errors";
import type { CalendarField, PolicyField } from "../lib/sla";
import { addSlaAdminDictionaries } from "../i18n/slaAdmin";
import { addSlaDictionaries } from "../i18n/sla";

// Every part of the page speaks through these (loaded with the page, not with the app).
addSlaAdminDictionaries();
addSlaDictionaries(); // the metric names (inbox.due.metrics.*)

export type Field = CalendarField | PolicyField;
/** A problem about one field: from the server (worded at render, so it follows the language) or found by the form. */
export type FieldProblem = { field: Field; err: ApiError | null; key?: string };

const ERROR_KEY: Record<string, string> = {
  name: "name", time_zone: "timeZone", hours: "hours", holidays: "holidays", exceptions: "exceptions", targets: "targets", calendar: "calendar",
  priorities: "condition", channels: "condition", tags: "condition", organisations: "condition", tiers: "tier", teams: "condition",
  warning_percent: "percent", escalations: "escalation", "escalation.raise_priority": "escalation", "escalation.assign_team": "team",
};

/** A field's problem in words: invalid values by the field they name, anything else as the rest of Admin words it. */
export function slaFieldErrorText(t: TFunction, p: FieldProblem): string {
  if (p.key) return t(`admin.sla.errors.${p.key}`);
  const err = p.err;
  if (!err) return t("errors.unknown");
  if (err.code !== "invalid_argument") return errorMessage(t, err);
  if (p.field.startsWith("exception.") && /\.date$/.test(err.field ?? "")) return t("admin.sla.errors.date");
  if (p.field.startsWith("day.") || p.field.startsWith("exception.")) return t("admin.sla.errors.day");
  if (p.field.startsWith("target.")) return t("admin.sla.errors.minutes");
  const key = ERROR_KEY[p.field];
  return key ? t(`admin.sla.errors.${key}`) : errorMessage(t, err);
}

/** "1 h", "90 min", "2 d" — in the inbox badges' words. */
export function durationText(t: TFunction, minutes: number): string {
  if (minutes % 1440 === 0) return t("inbox.due.days", { count: minutes / 1440 });
  if (minutes % 60 === 0) return t("inbox.due.hours", { count: minutes / 60 });
  return t("inbox.due.minutes", { count: minutes });
}

export type Notice = { key: string; name: string } | null;

/** The organisations and teams a policy's conditions and escalation can name, by name. */
export interface Directory {
  organisations: Organisation[];
  teams: Team[];
}


export function NoticeBanner({ notice, section, onDismiss }: { notice: Notice; section: string; onDismiss: () => void }) {
  const { t } = useTranslation();
  if (!notice) return null;
  return (
    <div className="banner banner-ok" role="status" data-testid={`${section}-notice`}>
      <span>{t(`admin.sla.${section}.${notice.key}`, { name: notice.name })}</span>
      <span className="banner-actions">
        <button type="button" className="btn btn-small btn-ghost" onClick={onDismiss}>
          {t("app.dismiss")}
        </button>
      </span>
    </div>
  );
}

/** An organisation's or team's name, or "#id" when it is gone. */
export const nameOf = (list: { id: number; name: string }[], id: number) => list.find((x) => x.id === id)?.name ?? `#${id}`;

type Item = { id: number; name: string };
type SetList<T> = (f: (list: T[] | null) => T[] | null) => void;

/**
 * What each list section of the page does alike: which item the form edits, the form's key
 * (a new one after each save), the saved/deleted notice, and the delete dialog (a 404 means
 * someone else deleted it first: the lists are reloaded).
 */
export function useListSection<T extends Item>(opts: {
  setItems: SetList<T>;
  remove: (id: number) => Promise<unknown>;
  reload: () => Promise<void>;
  order?: (a: T, b: T) => number;
}) {
  const [editing, setEditing] = useState<number | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [notice, setNotice] = useState<Notice>(null);
  const [deleting, setDeleting] = useState<T | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<unknown>(null);

  function saved(item: T, created: boolean) {
    opts.setItems((list) => {
      const next = created ? [...(list ?? []), item] : (list ?? []).map((x) => (x.id === item.id ? item : x));
      return opts.order ? next.sort(opts.order) : next;
    });
    setNotice({ key: created ? "added" : "saved", name: item.name });
    setEditing(null);
    setFormKey((k) => k + 1);
  }

  async function confirmDelete() {
    if (!deleting) return;
    setDeleteBusy(true);
    setDeleteError(null);
    try {
      await opts.remove(deleting.id);
      opts.setItems((list) => (list ?? []).filter((x) => x.id !== deleting.id));
      if (editing === deleting.id) setEditing(null);
      setNotice({ key: "deleted", name: deleting.name });
      setDeleting(null);
    } catch (err) {
      if (err instanceof ApiError && err.code === "not_found") {
        setDeleting(null);
        void opts.reload();
      } else setDeleteError(err);
    } finally {
      setDeleteBusy(false);
    }
  }

  function startDelete(item: T | null) {
    setDeleteError(null);
    setDeleting(item);
  }

  return {
    editing, setEditing, formKey, notice, setNotice,
    deleting, startDelete, deleteBusy, deleteError, saved, confirmDelete,
  };
}
