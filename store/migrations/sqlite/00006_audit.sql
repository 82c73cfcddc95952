-- +goose Up
-- The audit log is append-only and hash-chained: each entry's hash covers
-- its own fields and the previous entry's hash, so an entry edited or
-- removed behind Pishran's back breaks the chain at that point.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    origin      TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    record      TEXT NOT NULL,
    before      TEXT,
    after       TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_record ON audit_log(kind, record, id);

-- +goose Down
DROP TABLE audit_log;
