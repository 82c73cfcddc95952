-- +goose Up
-- What Pishran keeps of the exchange's traffic: aggregates, never records
-- (issue 15). A pair is one (client subsystem, service version) as the
-- exchange names them, mapped or not; its first and last seen and success
-- are kept whatever the retention. Hours are kept for a retention period,
-- days for good; both hold each server's log apart (client_log,
-- producer_log: counters, sizes, time marks and a duration histogram in a
-- compact binary form, see store/exchange_codec.go), and messages/failures
-- the traffic counted once, for a person reading the table.

CREATE TABLE exchange_pairs (
    id               INTEGER PRIMARY KEY,
    client           TEXT NOT NULL,
    service          TEXT NOT NULL,
    service_version  TEXT NOT NULL DEFAULT '',
    first_seen       INTEGER NOT NULL DEFAULT 0,
    last_seen        INTEGER NOT NULL DEFAULT 0,
    first_success    INTEGER NOT NULL DEFAULT 0,
    last_success     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (client, service, service_version)
);

CREATE TABLE exchange_hours (
    pair_id       INTEGER NOT NULL REFERENCES exchange_pairs(id),
    start_ms      INTEGER NOT NULL,
    messages      INTEGER NOT NULL,
    failures      INTEGER NOT NULL,
    client_log    BLOB NOT NULL,
    producer_log  BLOB NOT NULL,
    PRIMARY KEY (pair_id, start_ms)
);
CREATE INDEX exchange_hours_start ON exchange_hours(start_ms);

CREATE TABLE exchange_days (
    pair_id       INTEGER NOT NULL REFERENCES exchange_pairs(id),
    day           TEXT NOT NULL,
    start_ms      INTEGER NOT NULL,
    messages      INTEGER NOT NULL,
    failures      INTEGER NOT NULL,
    client_log    BLOB NOT NULL,
    producer_log  BLOB NOT NULL,
    PRIMARY KEY (pair_id, day)
);
CREATE INDEX exchange_days_day ON exchange_days(day);

-- One row per import: the digest of the records it took (UNIQUE: the same
-- records again change nothing) and its report (counts, bad records by
-- number and reason, unknown identities; never a record's values).
CREATE TABLE exchange_imports (
    id           INTEGER PRIMARY KEY,
    digest       TEXT NOT NULL UNIQUE,
    source       TEXT NOT NULL DEFAULT '',
    records      INTEGER NOT NULL,
    accepted     INTEGER NOT NULL,
    bad          INTEGER NOT NULL,
    duplicates   INTEGER NOT NULL,
    report       TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    imported_by  TEXT NOT NULL
);

-- +goose Down
DROP TABLE exchange_imports;
DROP TABLE exchange_days;
DROP TABLE exchange_hours;
DROP TABLE exchange_pairs;
