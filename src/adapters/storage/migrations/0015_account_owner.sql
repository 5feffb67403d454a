-- A customer's account owner: the agent who keeps the relationship (C5). Routing's
-- owner-first strategy gives them the customer's tickets while they are available.
ALTER TABLE customers ADD COLUMN account_owner_id BIGINT;
