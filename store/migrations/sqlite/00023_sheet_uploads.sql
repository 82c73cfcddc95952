-- +goose Up
-- Spreadsheets uploaded for import (issue 16), kept between the validation
-- report, the preview and the apply: what is applied is re-read from here
-- by its SHA-256, so it is exactly the file that was previewed. One row per
-- file and person; applied_at is set once, in the transaction that applies
-- it, so a file is applied at most once.
CREATE TABLE sheet_uploads (
    id          INTEGER PRIMARY KEY,
    digest      TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    size        INTEGER NOT NULL,
    content     BLOB NOT NULL,
    uploaded_at TEXT NOT NULL,
    applied_at  TEXT,
    UNIQUE (digest, uploaded_by)
);
CREATE INDEX sheet_uploads_uploaded ON sheet_uploads(uploaded_at);

-- +goose Down
DROP TABLE sheet_uploads;
