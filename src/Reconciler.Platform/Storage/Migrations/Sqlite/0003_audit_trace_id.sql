-- The W3C trace id of the request that made the change (its traceparent), so an audit line leads to the span that wrote it.
ALTER TABLE audit_events ADD COLUMN trace_id TEXT;
