-- +goose Up
-- The search index (store/search.go): one row per record a search can
-- find, with the text shown (title and body as written, for snippets) and
-- the text matched (norm_title, norm_body: folded by textnorm, the same
-- function that folds a query). The rows are derived: every audited write
-- rewrites the rows of what it wrote in its own transaction, and a copy or
-- a change of the folding rules rebuilds them (search_state).
CREATE TABLE search_docs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    ref         TEXT NOT NULL,
    ref_id      INTEGER NOT NULL,
    title_fa    TEXT NOT NULL DEFAULT '',
    title_en    TEXT NOT NULL DEFAULT '',
    body_fa     TEXT NOT NULL DEFAULT '',
    body_en     TEXT NOT NULL DEFAULT '',
    norm_title  TEXT NOT NULL DEFAULT '',
    norm_body   TEXT NOT NULL DEFAULT '',
    key_fa      TEXT NOT NULL DEFAULT '',
    key_en      TEXT NOT NULL DEFAULT '',
    UNIQUE (kind, ref)
);
CREATE INDEX search_docs_key_fa ON search_docs(kind, key_fa);
CREATE INDEX search_docs_key_en ON search_docs(kind, key_en);

-- SQLite's FTS5 over the folded text, its content read from search_docs
-- and kept in step by the triggers below. The folded text holds only
-- words (letters and digits) separated by spaces, so the tokenizer splits
-- it exactly as Go did.
CREATE VIRTUAL TABLE search_fts USING fts5(norm_title, norm_body, content = 'search_docs', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3');
-- A title outweighs a body tenfold.
INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0)');

-- +goose StatementBegin
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts(rowid, norm_title, norm_body) VALUES (new.id, new.norm_title, new.norm_body);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts(search_fts, rowid, norm_title, norm_body) VALUES ('delete', old.id, old.norm_title, old.norm_body);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
    INSERT INTO search_fts(search_fts, rowid, norm_title, norm_body) VALUES ('delete', old.id, old.norm_title, old.norm_body);
    INSERT INTO search_fts(rowid, norm_title, norm_body) VALUES (new.id, new.norm_title, new.norm_body);
END;
-- +goose StatementEnd

-- The folding rules the index was built under (textnorm.Version); 0: not
-- built. Opening a database whose index is older rebuilds it.
CREATE TABLE search_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
);
INSERT INTO search_state (id, version) VALUES (1, 0);

-- +goose Down
DROP TRIGGER search_docs_au;
DROP TRIGGER search_docs_ad;
DROP TRIGGER search_docs_ai;
DROP TABLE search_fts;
DROP TABLE search_state;
DROP TABLE search_docs;
