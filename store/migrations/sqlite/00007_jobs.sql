-- +goose Up
-- job_runs claims one run of a background job per time slot. Every
-- instance tries to insert the same (job, slot); the primary key lets one
-- succeed, so a job runs once however many instances share the database.
CREATE TABLE job_runs (
    job         TEXT NOT NULL,
    slot        TEXT NOT NULL,
    instance    TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    outcome     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job, slot)
);

-- reminders are what the daily reminder job found each agency owes past
-- its due date: what a reminder letter or message would say.
CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    day         TEXT NOT NULL,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    kind        TEXT NOT NULL,
    ref         TEXT NOT NULL,
    due         TEXT NOT NULL,
    text_fa     TEXT NOT NULL,
    text_en     TEXT NOT NULL,
    UNIQUE (day, agency_id, kind, ref)
);
CREATE INDEX reminders_agency ON reminders(agency_id, day);

-- +goose Down
DROP TABLE reminders;
DROP TABLE job_runs;
