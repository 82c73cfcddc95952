-- +goose Up
-- The outbox of e-mail notices (package notice). A write that raises an
-- event inserts its notices here in the same transaction, one row per
-- event and person under a unique idempotency key (INSERT … ON CONFLICT
-- (key) DO NOTHING), so raising it twice keeps one. A worker claims due
-- rows with a lease (claimed_by, lease_until, attempts + 1 in one
-- statement), sends them and marks them sent; one that dies before the
-- mark leaves the row claimed until the lease runs out, and the row is
-- sent again, with the same Message-ID and X-Pishran-Notice header:
-- delivery is at least once.
--
-- state: 'pending' (to send, from next_attempt_at), 'digest' (waiting for
-- the person's daily digest), 'bundled' (sent inside a digest, digest_key
-- names it), 'sent', 'failed' (given up: shown to admins).
-- body is the notice as JSON (notice.Notice), composed at send time.
CREATE TABLE notice_outbox (
    id              INTEGER PRIMARY KEY,
    notice_key      TEXT NOT NULL UNIQUE,
    username        TEXT NOT NULL,
    address         TEXT NOT NULL,
    kind            TEXT NOT NULL,
    body            TEXT NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_by      TEXT NOT NULL DEFAULT '',
    lease_until     TEXT,
    last_error      TEXT NOT NULL DEFAULT '',
    digest_key      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX notice_outbox_due ON notice_outbox(state, next_attempt_at);
CREATE INDEX notice_outbox_person ON notice_outbox(username, state);

-- +goose Down
DROP TABLE notice_outbox;
