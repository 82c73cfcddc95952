-- +goose Up
-- The National Information Exchange as Pishran knows it (issue 15): the
-- exchange's identities of the registry's agencies, the services they offer,
-- and the integrations projects declare. Identities are X-Road's: instance,
-- member class, member code and, for a subsystem, its code ('' for a member
-- acting without one).

CREATE TABLE exchange_subsystems (
    id            INTEGER PRIMARY KEY,
    instance      TEXT NOT NULL,
    member_class  TEXT NOT NULL,
    member_code   TEXT NOT NULL,
    subsystem     TEXT NOT NULL DEFAULT '',
    agency_id     INTEGER NOT NULL REFERENCES agencies(id),
    name_fa       TEXT NOT NULL DEFAULT '',
    name_en       TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (instance, member_class, member_code, subsystem)
);
CREATE INDEX exchange_subsystems_agency ON exchange_subsystems(agency_id);

-- A service of a provider subsystem; service_version '' names no version.
CREATE TABLE exchange_services (
    id               INTEGER PRIMARY KEY,
    instance         TEXT NOT NULL,
    member_class     TEXT NOT NULL,
    member_code      TEXT NOT NULL,
    subsystem        TEXT NOT NULL DEFAULT '',
    service_code     TEXT NOT NULL,
    service_version  TEXT NOT NULL DEFAULT '',
    title_fa         TEXT NOT NULL DEFAULT '',
    title_en         TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (instance, member_class, member_code, subsystem, service_code, service_version)
);

-- "The client subsystem consumes the service": what a project declares
-- (client and service in X-Road's path forms, the service without its
-- version; service_version '' covers every version),
-- optionally evidencing one of its milestones, with the thresholds of
-- "live" the policy sets (0 = the council's default).
CREATE TABLE exchange_integrations (
    id                INTEGER PRIMARY KEY,
    project_id        INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    client            TEXT NOT NULL,
    service           TEXT NOT NULL,
    service_version   TEXT NOT NULL DEFAULT '',
    milestone_id      INTEGER REFERENCES milestones(id) ON DELETE SET NULL,
    window_days       INTEGER NOT NULL DEFAULT 0,
    max_failure_rate  REAL NOT NULL DEFAULT 0,
    min_messages      INTEGER NOT NULL DEFAULT 0,
    silent_days       INTEGER NOT NULL DEFAULT 0,
    note_fa           TEXT NOT NULL DEFAULT '',
    note_en           TEXT NOT NULL DEFAULT '',
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (project_id, client, service, service_version)
);
CREATE INDEX exchange_integrations_milestone ON exchange_integrations(milestone_id);

-- +goose Down
DROP TABLE exchange_integrations;
DROP TABLE exchange_services;
DROP TABLE exchange_subsystems;
