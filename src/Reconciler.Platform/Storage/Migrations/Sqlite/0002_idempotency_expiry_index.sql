-- Lets old idempotency records be purged by age.
CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);
