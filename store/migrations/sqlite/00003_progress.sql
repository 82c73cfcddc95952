-- +goose Up
-- Follow-up: milestones, indicators, progress reports with their review,
-- evidence, ratings and baselines. Histories (review events, ratings,
-- baselines) are append-only: rows are inserted, never updated or deleted.

CREATE TABLE milestones (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    title_fa    TEXT NOT NULL DEFAULT '',
    title_en    TEXT NOT NULL DEFAULT '',
    planned_on  TEXT NOT NULL,
    weight      INTEGER NOT NULL,
    actual_on   TEXT,
    percent     INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX milestones_project ON milestones(project_id, planned_on);

CREATE TABLE kpis (
    id            INTEGER PRIMARY KEY,
    project_id    INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name_fa       TEXT NOT NULL DEFAULT '',
    name_en       TEXT NOT NULL DEFAULT '',
    unit          TEXT NOT NULL DEFAULT '',
    target        DOUBLE PRECISION NOT NULL,
    direction     TEXT NOT NULL,
    frequency     TEXT NOT NULL,
    latest_value  DOUBLE PRECISION,
    latest_period TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX kpis_project ON kpis(project_id);

-- One report per project, period and agency. accepted_seq orders
-- acceptances, so that of two accepted reports for one period the later
-- accepted one is the latest.
CREATE TABLE reports (
    id              INTEGER PRIMARY KEY,
    project_id      INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    agency_id       INTEGER NOT NULL REFERENCES agencies(id),
    period          TEXT NOT NULL,
    state           TEXT NOT NULL,
    narrative_fa    TEXT NOT NULL DEFAULT '',
    narrative_en    TEXT NOT NULL DEFAULT '',
    risks           TEXT NOT NULL DEFAULT '[]',
    projected_end   TEXT,
    projected_cost  INTEGER,
    actual_cost     INTEGER,
    accepted_seq    INTEGER,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (project_id, period, agency_id)
);
CREATE INDEX reports_agency ON reports(agency_id, id);
CREATE INDEX reports_state ON reports(state, id);
CREATE INDEX reports_accepted ON reports(project_id, state, period, accepted_seq);

CREATE TABLE report_milestones (
    report_id     INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    milestone_id  INTEGER NOT NULL REFERENCES milestones(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    percent       INTEGER NOT NULL,
    done_on       TEXT,
    PRIMARY KEY (report_id, milestone_id)
);
CREATE INDEX report_milestones_milestone ON report_milestones(milestone_id);

CREATE TABLE report_kpis (
    report_id  INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    kpi_id     INTEGER NOT NULL REFERENCES kpis(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    value      DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (report_id, kpi_id)
);
CREATE INDEX report_kpis_kpi ON report_kpis(kpi_id);

CREATE TABLE report_events (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    type        TEXT NOT NULL,
    from_state  TEXT NOT NULL DEFAULT '',
    to_state    TEXT NOT NULL,
    comment_fa  TEXT NOT NULL DEFAULT '',
    comment_en  TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL,
    by_whom     TEXT NOT NULL
);
CREATE INDEX report_events_report ON report_events(report_id, id);

CREATE TABLE evidence (
    report_id     INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    n             INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    url           TEXT NOT NULL DEFAULT '',
    title_fa      TEXT NOT NULL DEFAULT '',
    title_en      TEXT NOT NULL DEFAULT '',
    name          TEXT NOT NULL DEFAULT '',
    content_type  TEXT NOT NULL DEFAULT '',
    size          INTEGER NOT NULL DEFAULT 0,
    sha256        TEXT NOT NULL DEFAULT '',
    content       BLOB,
    added_at      TEXT NOT NULL,
    added_by      TEXT NOT NULL,
    PRIMARY KEY (report_id, n)
);

CREATE TABLE ratings (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    score        INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    agency_id    INTEGER REFERENCES agencies(id),
    rated_on     TEXT NOT NULL,
    comment_fa   TEXT NOT NULL DEFAULT '',
    comment_en   TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL
);
CREATE INDEX ratings_project ON ratings(project_id, kind, rated_on, id);

CREATE TABLE baselines (
    id             INTEGER PRIMARY KEY,
    project_id     INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    number         INTEGER NOT NULL,
    planned_start  TEXT NOT NULL,
    planned_end    TEXT NOT NULL,
    planned_cost   INTEGER NOT NULL,
    currency       TEXT NOT NULL,
    reporting      TEXT NOT NULL,
    approved_by_fa TEXT NOT NULL DEFAULT '',
    approved_by_en TEXT NOT NULL DEFAULT '',
    approved_on    TEXT NOT NULL,
    reference      TEXT NOT NULL,
    reason_fa      TEXT NOT NULL DEFAULT '',
    reason_en      TEXT NOT NULL DEFAULT '',
    recorded_at    TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    UNIQUE (project_id, number)
);

-- progress_state holds each project's latest follow-up figures — current
-- baseline, latest accepted report, latest ratings, earliest open
-- milestone — rewritten in the same transaction as every change to them, so
-- the health of a thousand projects is one indexed read. It repeats the
-- project's slug (slugs never change: they are the projects' key) so that
-- health, which is asked by slug, reads no other table.
CREATE TABLE progress_state (
    project_id       INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    slug             TEXT NOT NULL UNIQUE,
    baseline_number  INTEGER,
    planned_start    TEXT,
    planned_end      TEXT,
    planned_cost     INTEGER,
    reporting_months INTEGER,
    report_id        INTEGER,
    report_period    TEXT,
    projected_end    TEXT,
    projected_cost   INTEGER,
    actual_cost      INTEGER,
    self_score       INTEGER,
    council_score    INTEGER,
    council_prev     INTEGER,
    milestone_due    TEXT,
    -- The figures above in one text, "|"-separated in column order: health
    -- reads two columns per project instead of fifteen, and the SQLite
    -- driver's cost is per column.
    packed           TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE progress_state;
DROP TABLE baselines;
DROP TABLE ratings;
DROP TABLE evidence;
DROP TABLE report_events;
DROP TABLE report_kpis;
DROP TABLE report_milestones;
DROP TABLE reports;
DROP TABLE kpis;
DROP TABLE milestones;
