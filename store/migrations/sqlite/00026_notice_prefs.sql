-- +goose Up
-- Each person's choice of how notices reach them by e-mail: 'immediate'
-- (the default, when a person has no row), 'daily' (one digest a day) or
-- 'off'; and the address to use ('' = the account's e-mail). The inbox
-- notices in the workspace are kept whatever the choice. Account messages
-- (set-password and reset links) go to the account's address whatever it
-- says.
CREATE TABLE notice_prefs (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    mode        TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL
);

-- The secret that signs unsubscribe links (notice.UnsubscribeToken), made
-- once by the first instance that needs it and shared by every instance on
-- the database, so a link made by one is honoured by all.
CREATE TABLE notice_secret (
    id          INTEGER PRIMARY KEY,
    secret      TEXT NOT NULL
);

-- +goose Down
DROP TABLE notice_secret;
DROP TABLE notice_prefs;
