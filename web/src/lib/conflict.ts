// Resolving a 412 on a ticket edit: the agent changed some fields starting from `base`;
// meanwhile someone else saved `theirs`. We never overwrite silently: the UI shows
// their change and lets the agent re-apply only the fields the agent meant to change.

import type { Ticket } from "../api";

export const EDITABLE_FIELDS = ["status", "priority", "assignee_id", "team_id", "tags", "subject"] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
export type TicketPatch = Partial<Pick<Ticket, EditableField>>;

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

export interface FieldConflict {
  field: EditableField;
  base: unknown;
  theirs: unknown;
  mine: unknown;
}

export interface ConflictAnalysis {
  /** Fields the other person changed (base → theirs). */
  theirChanges: FieldConflict[];
  /** Fields both changed to different values: the agent must decide. */
  overlapping: EditableField[];
  /** What re-applying sends: only the agent's fields that still differ from theirs. */
  reapply: TicketPatch;
  /** True when re-applying would change nothing (they already made the same change). */
  alreadyApplied: boolean;
}

export function analyseConflict(base: Ticket, theirs: Ticket, mine: TicketPatch): ConflictAnalysis {
  const theirChanges: FieldConflict[] = [];
  const overlapping: EditableField[] = [];
  const reapply: TicketPatch = {};
  for (const field of EDITABLE_FIELDS) {
    const changedByThem = !same(base[field], theirs[field]);
    const mineHas = Object.prototype.hasOwnProperty.call(mine, field);
    if (changedByThem) theirChanges.push({ field, base: base[field], theirs: theirs[field], mine: mine[field] });
    if (mineHas && !same(mine[field], theirs[field])) {
      (reapply as Record<string, unknown>)[field] = mine[field];
      if (changedByThem) overlapping.push(field);
    }
  }
  return { theirChanges, overlapping, reapply, alreadyApplied: Object.keys(reapply).length === 0 };
}

/** The agent's patch relative to the ticket they saw (only real changes). */
export function diffPatch(base: Ticket, edited: TicketPatch): TicketPatch {
  const out: TicketPatch = {};
  for (const field of EDITABLE_FIELDS) {
    if (Object.prototype.hasOwnProperty.call(edited, field) && !same(edited[field], base[field])) {
      (out as Record<string, unknown>)[field] = edited[field];
    }
  }
  return out;
}
