-- +goose Up
-- Signing keys (Ed25519). The current key — the one row whose retired_at is
-- NULL — signs new documents. Rotation retires it and makes a new one; a
-- retired key keeps its public half, so what it signed still verifies, and
-- loses its private half. The private key (the base64 of its 32-byte seed)
-- is kept here, in a table only the server reads: no route serves it and
-- no export includes it. It is not encrypted: whoever can read this
-- database, or its backups, can sign as Pishran, so guard them as such.
CREATE TABLE signing_keys (
    id              INTEGER PRIMARY KEY,
    key_id          TEXT NOT NULL UNIQUE,
    public_key      TEXT NOT NULL,
    private_seed    TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    retired_at      TEXT
);
CREATE UNIQUE INDEX signing_keys_current ON signing_keys ((retired_at IS NULL)) WHERE retired_at IS NULL;

-- Published documents: each a signed envelope, found by its verification
-- code. The row holds the envelope's fields, the signature and the SHA-256
-- of the canonical envelope at publication; verification rebuilds the
-- envelope from the row, so an edit behind Pishran's back shows.
CREATE TABLE signed_documents (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    ref             TEXT NOT NULL,
    title_fa        TEXT NOT NULL DEFAULT '',
    title_en        TEXT NOT NULL DEFAULT '',
    issued_at       TEXT NOT NULL,
    content         TEXT NOT NULL,
    key_id          TEXT NOT NULL REFERENCES signing_keys(key_id),
    signature       TEXT NOT NULL,
    digest          TEXT NOT NULL,
    published_by    TEXT NOT NULL
);
CREATE INDEX signed_documents_ref ON signed_documents(kind, ref, id);

-- +goose Down
DROP TABLE signed_documents;
DROP TABLE signing_keys;
