-- +goose Up
CREATE TABLE terms (
    id          INTEGER PRIMARY KEY,
    number      INTEGER NOT NULL UNIQUE,
    name_fa     TEXT NOT NULL DEFAULT '',
    name_en     TEXT NOT NULL DEFAULT '',
    start_on    TEXT,
    end_on      TEXT,
    sources     TEXT NOT NULL DEFAULT '[]',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE agencies (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_fa     TEXT NOT NULL DEFAULT '',
    name_en     TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    parent_id   INTEGER REFERENCES agencies(id),
    sources     TEXT NOT NULL DEFAULT '[]',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE laws (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    title_fa    TEXT NOT NULL DEFAULT '',
    title_en    TEXT NOT NULL DEFAULT '',
    number      TEXT NOT NULL DEFAULT '',
    approved_on TEXT,
    body_fa     TEXT NOT NULL DEFAULT '',
    body_en     TEXT NOT NULL DEFAULT '',
    articles    TEXT NOT NULL DEFAULT '[]',
    sources     TEXT NOT NULL DEFAULT '[]',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE projects (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    title_fa        TEXT NOT NULL DEFAULT '',
    title_en        TEXT NOT NULL DEFAULT '',
    summary_fa      TEXT NOT NULL DEFAULT '',
    summary_en      TEXT NOT NULL DEFAULT '',
    scope_fa        TEXT NOT NULL DEFAULT '',
    scope_en        TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    confidentiality TEXT NOT NULL,
    status          TEXT NOT NULL,
    deliverables    TEXT NOT NULL DEFAULT '[]',
    sources         TEXT NOT NULL DEFAULT '[]',
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX projects_kind_status ON projects(kind, status);

CREATE TABLE project_agencies (
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    seq         INTEGER NOT NULL,
    role        TEXT NOT NULL,
    note_fa     TEXT NOT NULL DEFAULT '',
    note_en     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, agency_id)
);
CREATE INDEX project_agencies_agency ON project_agencies(agency_id);

CREATE TABLE project_mandates (
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    law_id      INTEGER NOT NULL REFERENCES laws(id),
    seq         INTEGER NOT NULL,
    article     TEXT NOT NULL,
    note_fa     TEXT NOT NULL DEFAULT '',
    note_en     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, law_id, article)
);
CREATE INDEX project_mandates_law ON project_mandates(law_id);

CREATE TABLE project_dependencies (
    project_id    INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    depends_on_id INTEGER NOT NULL REFERENCES projects(id),
    seq           INTEGER NOT NULL,
    PRIMARY KEY (project_id, depends_on_id)
);
CREATE INDEX project_dependencies_on ON project_dependencies(depends_on_id);

-- What a project provides or needs ("inquiry", "e-signature"): how the
-- designation rules find infrastructure that already covers a new project.
CREATE TABLE project_capabilities (
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    capability  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    PRIMARY KEY (project_id, capability)
);
CREATE INDEX project_capabilities_capability ON project_capabilities(capability);

CREATE TABLE project_lineage (
    project_id      INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    predecessor_id  INTEGER NOT NULL REFERENCES projects(id),
    seq             INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    note_fa         TEXT NOT NULL DEFAULT '',
    note_en         TEXT NOT NULL DEFAULT '',
    sources         TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (project_id, predecessor_id)
);
CREATE INDEX project_lineage_predecessor ON project_lineage(predecessor_id);

CREATE TABLE programs (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    term_id         INTEGER NOT NULL REFERENCES terms(id),
    title_fa        TEXT NOT NULL DEFAULT '',
    title_en        TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    visibility      TEXT NOT NULL,
    declared_size   INTEGER,
    status          TEXT NOT NULL,
    notes_fa        TEXT NOT NULL DEFAULT '',
    notes_en        TEXT NOT NULL DEFAULT '',
    sources         TEXT NOT NULL DEFAULT '[]',
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX programs_term ON programs(term_id);

CREATE TABLE program_candidates (
    program_id  INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    seq         INTEGER NOT NULL,
    PRIMARY KEY (program_id, project_id)
);

CREATE TABLE program_stages (
    id              INTEGER PRIMARY KEY,
    program_id      INTEGER NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    body            TEXT NOT NULL,
    decided_on      TEXT,
    resolution      TEXT NOT NULL DEFAULT '',
    sourced_count   INTEGER,
    note_fa         TEXT NOT NULL DEFAULT '',
    note_en         TEXT NOT NULL DEFAULT '',
    sources         TEXT NOT NULL DEFAULT '[]',
    UNIQUE (program_id, seq)
);

CREATE TABLE stage_passes (
    stage_id    INTEGER NOT NULL REFERENCES program_stages(id) ON DELETE CASCADE,
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    seq         INTEGER NOT NULL,
    PRIMARY KEY (stage_id, project_id)
);

-- The membership history is append-only: rows are inserted, never updated
-- or deleted. Corrections are "voided" events pointing at the wrong one.
CREATE TABLE membership_events (
    id            INTEGER PRIMARY KEY,
    program_id    INTEGER NOT NULL REFERENCES programs(id),
    project_id    INTEGER NOT NULL REFERENCES projects(id),
    type          TEXT NOT NULL,
    on_date       TEXT,
    stage         TEXT NOT NULL DEFAULT '',
    main          BOOLEAN NOT NULL DEFAULT FALSE,
    reason        TEXT NOT NULL DEFAULT '',
    successor_id  INTEGER REFERENCES projects(id),
    note_fa       TEXT NOT NULL DEFAULT '',
    note_en       TEXT NOT NULL DEFAULT '',
    voids_id      INTEGER REFERENCES membership_events(id),
    sources       TEXT NOT NULL DEFAULT '[]',
    recorded_at   TEXT NOT NULL,
    recorded_by   TEXT NOT NULL
);
CREATE INDEX membership_events_pair ON membership_events(program_id, project_id, id);
CREATE INDEX membership_events_project ON membership_events(project_id);

-- memberships is the current standing of each (program, project) pair, folded
-- from membership_events in the same transaction that appends an event.
CREATE TABLE memberships (
    program_id    INTEGER NOT NULL REFERENCES programs(id),
    project_id    INTEGER NOT NULL REFERENCES projects(id),
    main          BOOLEAN NOT NULL,
    stage         TEXT NOT NULL DEFAULT '',
    entered_on    TEXT,
    active        BOOLEAN NOT NULL,
    left_on       TEXT,
    reason        TEXT NOT NULL DEFAULT '',
    successor_id  INTEGER REFERENCES projects(id),
    note_fa       TEXT NOT NULL DEFAULT '',
    note_en       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (program_id, project_id)
);
CREATE INDEX memberships_project ON memberships(project_id);

-- program_stats keeps each program's counts, adjusted in the same
-- transaction as every membership change, so listing programs costs the
-- same at ten projects or ten thousand.
CREATE TABLE program_stats (
    program_id    INTEGER PRIMARY KEY REFERENCES programs(id) ON DELETE CASCADE,
    named         INTEGER NOT NULL DEFAULT 0,
    active        INTEGER NOT NULL DEFAULT 0,
    main          INTEGER NOT NULL DEFAULT 0,
    confidential  INTEGER NOT NULL DEFAULT 0
);

-- registry_state.generation grows with every change to projects, programs
-- or memberships, so derived views (comparisons) can be cached and known
-- fresh by one cheap read, across any number of instances.
CREATE TABLE registry_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  INTEGER NOT NULL
);
INSERT INTO registry_state (id, generation) VALUES (1, 1);

CREATE TABLE tokens (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    agency_id   INTEGER REFERENCES agencies(id),
    hash        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

-- +goose Down
DROP TABLE tokens;
DROP TABLE registry_state;
DROP TABLE program_stats;
DROP TABLE memberships;
DROP TABLE membership_events;
DROP TABLE stage_passes;
DROP TABLE program_stages;
DROP TABLE program_candidates;
DROP TABLE programs;
DROP TABLE project_lineage;
DROP TABLE project_capabilities;
DROP TABLE project_dependencies;
DROP TABLE project_mandates;
DROP TABLE project_agencies;
DROP TABLE projects;
DROP TABLE laws;
DROP TABLE agencies;
DROP TABLE terms;
