-- +goose Up
-- People's accounts. A password is stored only as an argon2id hash in PHC
-- form ('' = none: the account signs in through single sign-on or a reset
-- link). oidc_issuer/oidc_subject link an account to its identity at the
-- single sign-on provider.
CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_fa      TEXT NOT NULL DEFAULT '',
    display_en      TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    role            TEXT NOT NULL,
    agency_id       INTEGER REFERENCES agencies(id),
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    password_hash   TEXT NOT NULL DEFAULT '',
    must_change     BOOLEAN NOT NULL DEFAULT FALSE,
    oidc_issuer     TEXT NOT NULL DEFAULT '',
    oidc_subject    TEXT NOT NULL DEFAULT '',
    locked_until    TEXT,
    last_login_at   TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX users_oidc ON users(oidc_issuer, oidc_subject) WHERE oidc_subject <> '';

-- Failed sign-ins of the last window, per account: ten within fifteen
-- minutes lock the account. Kept in the database so the count holds across
-- instances.
CREATE TABLE login_failures (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at          TEXT NOT NULL
);
CREATE INDEX login_failures_user ON login_failures(user_id, at);

-- Server-side sessions. Only the SHA-256 of the cookie's secret is stored.
CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY,
    hash            TEXT NOT NULL UNIQUE,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    via             TEXT NOT NULL,
    address         TEXT NOT NULL DEFAULT '',
    user_agent      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    last_seen_at    TEXT NOT NULL,
    expires_at      TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- One-time links: the first admin's setup link and password-reset links.
-- Only the SHA-256 of the link's secret is stored.
CREATE TABLE account_links (
    id          INTEGER PRIMARY KEY,
    purpose     TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE,
    user_id     INTEGER REFERENCES users(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX account_links_user ON account_links(user_id);

-- Single sign-on logins under way: the state (hashed; its secret is in the
-- browser's cookie), the nonce and the PKCE verifier, for ten minutes.
CREATE TABLE oidc_logins (
    hash        TEXT PRIMARY KEY,
    nonce       TEXT NOT NULL,
    verifier    TEXT NOT NULL,
    next        TEXT NOT NULL DEFAULT '',
    expires_at  TEXT NOT NULL
);

-- +goose Down
DROP TABLE oidc_logins;
DROP TABLE account_links;
DROP TABLE sessions;
DROP TABLE login_failures;
DROP TABLE users;
