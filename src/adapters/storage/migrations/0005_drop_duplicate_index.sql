-- tickets_by_number repeated the unique (workspace_id, number) index: one write less per ticket.
DROP INDEX IF EXISTS tickets_by_number;
