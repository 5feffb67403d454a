-- Delivery workers claim due jobs of the kinds they deliver.
DROP INDEX IF EXISTS outbox_due;
CREATE INDEX outbox_due ON outbox (state, kind, run_after, id);
