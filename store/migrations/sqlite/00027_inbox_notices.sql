-- +goose Up
-- The notices of each person's workspace inbox: the same events the
-- e-mails tell (package notice), one per event and person (key, as the
-- outbox's), unread until the person marks them read.
CREATE TABLE inbox_notices (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    notice_key  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    read_at     TEXT,
    UNIQUE (user_id, notice_key)
);
CREATE INDEX inbox_notices_unread ON inbox_notices(user_id, read_at);

-- +goose Down
DROP TABLE inbox_notices;
