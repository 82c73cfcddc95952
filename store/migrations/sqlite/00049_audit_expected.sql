-- +goose Up
-- What the audit log last recorded of every audited record, folded from
-- the log through audit_expected_head's entry (service/reconcile_daily.go):
-- the daily audit check reads only the log after it, not the whole log.
-- flags: 1 the entry deleted the record, 2 its state is known by a seal's
-- digest only, 4 the entry's state is unreadable. digest is the hex
-- SHA-256 of the state's JSON ('' when deleted or unreadable).
CREATE TABLE audit_expected (
    kind    TEXT NOT NULL,
    record  TEXT NOT NULL,
    entry   BIGINT NOT NULL,
    digest  TEXT NOT NULL,
    flags   INTEGER NOT NULL,
    PRIMARY KEY (kind, record)
);
-- The entry through which audit_expected is folded and that entry's hash:
-- the head the last intact daily check verified the chain to. No row: the
-- next check is a full one, and folds the table again.
CREATE TABLE audit_expected_head (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    entry  BIGINT NOT NULL,
    hash   TEXT NOT NULL
);

-- +goose Down
DROP TABLE audit_expected_head;
DROP TABLE audit_expected;
