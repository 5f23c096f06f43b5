-- Objects of every collection: the fields as a JSON document plus indexed columns.
CREATE TABLE objects (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT    NOT NULL UNIQUE,
    collection  TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    built_in    INTEGER NOT NULL DEFAULT 0,
    labels      TEXT    NOT NULL,
    doc         TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    UNIQUE (collection, key)
);
CREATE INDEX ix_objects_collection_seq ON objects (collection, seq);

-- Labels, one row per label, for label selectors.
CREATE TABLE object_labels (
    object_id TEXT NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (object_id, name)
);
CREATE INDEX ix_object_labels_name_value ON object_labels (name, value);

-- References between objects (agent -> role, unit -> office hours, ...), for delete protection and cycle checks.
CREATE TABLE object_refs (
    from_id TEXT NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    field   TEXT NOT NULL,
    to_id   TEXT NOT NULL,
    PRIMARY KEY (from_id, field)
);
CREATE INDEX ix_object_refs_to ON object_refs (to_id);

-- First responses of creates, replayed for a repeated Idempotency-Key.
CREATE TABLE idempotency_keys (
    principal    TEXT    NOT NULL,
    idem_key     TEXT    NOT NULL,
    collection   TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    status       INTEGER NOT NULL,
    location     TEXT,
    etag         TEXT,
    body         TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    PRIMARY KEY (principal, idem_key)
);

-- The append-only audit trail.
CREATE TABLE audit_events (
    sequence   INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    collection TEXT NOT NULL,
    object_id  TEXT NOT NULL,
    key        TEXT NOT NULL,
    changes    TEXT NOT NULL,
    reason     TEXT,
    request_id TEXT
);
CREATE INDEX ix_audit_events_collection ON audit_events (collection, sequence);
CREATE INDEX ix_audit_events_object ON audit_events (object_id, sequence);
CREATE INDEX ix_audit_events_at ON audit_events (at);
