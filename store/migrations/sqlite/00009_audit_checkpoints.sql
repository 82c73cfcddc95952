-- +goose Up
-- Audit checkpoints: the audit chain's head (an entry's number and hash)
-- signed with the instance's signing key, every day and with every
-- published document. They are kept here, outside audit_log, and published
-- (GET /api/v1/audit/checkpoints, the open data): a log cut short, or
-- rewritten with its hashes recomputed, no longer matches them.
CREATE TABLE audit_checkpoints (
    id          INTEGER PRIMARY KEY,
    entry       INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    at          TEXT NOT NULL,
    source      TEXT NOT NULL,
    document    TEXT NOT NULL DEFAULT '',
    key_id      TEXT NOT NULL REFERENCES signing_keys(key_id),
    signature   TEXT NOT NULL
);
CREATE INDEX audit_checkpoints_entry ON audit_checkpoints(entry);

-- A document signed from now on carries the checkpoint of the chain at its
-- publication inside its envelope; the row keeps it to rebuild the
-- envelope. NULL for documents signed before.
ALTER TABLE signed_documents ADD COLUMN checkpoint_entry INTEGER;
ALTER TABLE signed_documents ADD COLUMN checkpoint_hash TEXT;
ALTER TABLE signed_documents ADD COLUMN checkpoint_at TEXT;

-- Reconciliation (service.Reconcile) holds every record against the state
-- the audit log last recorded for it. A log begun before this migration
-- recorded less than a record's whole state, so its records are sealed as
-- found, once (service.SealBaseline), when log_length says the log was not
-- empty; sealed_at says when that was done.
CREATE TABLE audit_reconcile (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    log_length  INTEGER NOT NULL,
    sealed_at   TEXT
);
INSERT INTO audit_reconcile (id, log_length) SELECT 1, COALESCE(MAX(id), 0) FROM audit_log;

-- +goose Down
DROP TABLE audit_reconcile;
ALTER TABLE signed_documents DROP COLUMN checkpoint_at;
ALTER TABLE signed_documents DROP COLUMN checkpoint_hash;
ALTER TABLE signed_documents DROP COLUMN checkpoint_entry;
DROP TABLE audit_checkpoints;
