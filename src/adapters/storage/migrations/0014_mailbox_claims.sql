-- Which node checks a mailbox: a node claims its next check by moving poll_claimed_until
-- forward while it is in the past, in one statement, so that with several nodes each
-- mailbox is checked by one of them at a time and once per interval.
ALTER TABLE mailboxes ADD COLUMN poll_claimed_until BIGINT;
