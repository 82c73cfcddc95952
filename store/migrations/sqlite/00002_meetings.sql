-- +goose Up
-- Meetings of the council and its committees, their agendas and outcomes,
-- and the actions they give agencies. Outcomes, amendments and action
-- events are append-only: rows are inserted, never updated or deleted.
CREATE TABLE meeting_series (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_fa     TEXT NOT NULL DEFAULT '',
    name_en     TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE meetings (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    series_id   INTEGER NOT NULL REFERENCES meeting_series(id),
    number      INTEGER NOT NULL,
    title_fa    TEXT NOT NULL DEFAULT '',
    title_en    TEXT NOT NULL DEFAULT '',
    held_on     TEXT NOT NULL,
    state       TEXT NOT NULL,
    attendees   TEXT NOT NULL DEFAULT '[]',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    held_at     TEXT,
    closed_at   TEXT,
    UNIQUE (series_id, number)
);

CREATE TABLE meeting_attendee_agencies (
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    PRIMARY KEY (meeting_id, agency_id)
);

CREATE TABLE meeting_amendments (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
    text_fa     TEXT NOT NULL DEFAULT '',
    text_en     TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX meeting_amendments_meeting ON meeting_amendments(meeting_id, id);

CREATE TABLE actions (
    id              INTEGER PRIMARY KEY,
    meeting_id      INTEGER NOT NULL REFERENCES meetings(id),
    owner_id        INTEGER NOT NULL REFERENCES agencies(id),
    description_fa  TEXT NOT NULL DEFAULT '',
    description_en  TEXT NOT NULL DEFAULT '',
    created_on      TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    status          TEXT NOT NULL,
    closed_on       TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX actions_status ON actions(status, id);
CREATE INDEX actions_owner ON actions(owner_id, id);
CREATE INDEX actions_meeting ON actions(meeting_id);

CREATE TABLE action_projects (
    action_id   INTEGER NOT NULL REFERENCES actions(id),
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    seq         INTEGER NOT NULL,
    PRIMARY KEY (action_id, project_id)
);
CREATE INDEX action_projects_project ON action_projects(project_id);

CREATE TABLE action_events (
    id          INTEGER PRIMARY KEY,
    action_id   INTEGER NOT NULL REFERENCES actions(id),
    type        TEXT NOT NULL,
    meeting_id  INTEGER REFERENCES meetings(id),
    on_date     TEXT NOT NULL,
    note_fa     TEXT NOT NULL DEFAULT '',
    note_en     TEXT NOT NULL DEFAULT '',
    old_due     TEXT,
    new_due     TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX action_events_action ON action_events(action_id, id);
CREATE INDEX action_events_meeting ON action_events(meeting_id);

CREATE TABLE outcomes (
    id              INTEGER PRIMARY KEY,
    meeting_id      INTEGER NOT NULL REFERENCES meetings(id),
    kind            TEXT NOT NULL,
    resolution      TEXT NOT NULL DEFAULT '',
    text_fa         TEXT NOT NULL DEFAULT '',
    text_en         TEXT NOT NULL DEFAULT '',
    action_id       INTEGER REFERENCES actions(id),
    recorded_at     TEXT NOT NULL,
    recorded_by     TEXT NOT NULL
);
CREATE INDEX outcomes_meeting ON outcomes(meeting_id, id);
CREATE INDEX outcomes_kind ON outcomes(kind, id);

CREATE TABLE outcome_projects (
    outcome_id  INTEGER NOT NULL REFERENCES outcomes(id),
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    seq         INTEGER NOT NULL,
    PRIMARY KEY (outcome_id, project_id)
);
CREATE INDEX outcome_projects_project ON outcome_projects(project_id);

-- A meeting's saved agenda, in order. Project and action items point at
-- their records, so neither can be deleted while an agenda names it.
CREATE TABLE agenda_items (
    meeting_id      INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    project_id      INTEGER REFERENCES projects(id),
    action_id       INTEGER REFERENCES actions(id),
    title_fa        TEXT NOT NULL DEFAULT '',
    title_en        TEXT NOT NULL DEFAULT '',
    reasons         TEXT NOT NULL DEFAULT '[]',
    dropped         BOOLEAN NOT NULL DEFAULT FALSE,
    drop_fa         TEXT NOT NULL DEFAULT '',
    drop_en         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (meeting_id, seq)
);
CREATE INDEX agenda_items_project ON agenda_items(project_id);
CREATE INDEX agenda_items_action ON agenda_items(action_id);

-- +goose Down
DROP TABLE agenda_items;
DROP TABLE outcome_projects;
DROP TABLE outcomes;
DROP TABLE action_events;
DROP TABLE action_projects;
DROP TABLE actions;
DROP TABLE meeting_amendments;
DROP TABLE meeting_attendee_agencies;
DROP TABLE meetings;
DROP TABLE meeting_series;
