-- +goose Up
-- Reminders: one row per owed item, not one per item per day. The daily
-- job inserts an item the first day it finds it owed (first_seen),
-- rewrites it only when what a reminder would say changes (notified_on:
-- the day it was last stated), and marks it resolved the first day it is
-- no longer owed (resolved_on). The rows of the old model are folded into
-- one per item, keeping the latest; an item the last run no longer found
-- is resolved as of that run.
CREATE TABLE reminder_items (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    kind        TEXT NOT NULL,
    ref         TEXT NOT NULL,
    due         TEXT NOT NULL,
    text_fa     TEXT NOT NULL,
    text_en     TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    notified_on TEXT NOT NULL,
    resolved_on TEXT,
    UNIQUE (agency_id, kind, ref)
);
INSERT INTO reminder_items (agency_id, kind, ref, due, text_fa, text_en, first_seen, notified_on, resolved_on)
SELECT r.agency_id, r.kind, r.ref, r.due, r.text_fa, r.text_en, f.first_seen, r.day,
       CASE WHEN r.day < (SELECT MAX(day) FROM reminders) THEN (SELECT MAX(day) FROM reminders) END
FROM reminders r
JOIN (SELECT agency_id, kind, ref, MIN(day) AS first_seen, MAX(day) AS last_day FROM reminders
      GROUP BY agency_id, kind, ref) f
  ON f.agency_id = r.agency_id AND f.kind = r.kind AND f.ref = r.ref AND r.day = f.last_day
ORDER BY r.id;
DROP TABLE reminders;
ALTER TABLE reminder_items RENAME TO reminders;
CREATE INDEX reminders_open ON reminders(agency_id, resolved_on);

-- Data versions by area. Every audited write moves the version of the area
-- it wrote (registry, follow-up, meetings, …) to its audit entry's number,
-- so a view kept under the areas it shows is read again only when one of
-- them changed: a reminders run or an audit checkpoint leaves the public
-- pages' version where it was. They start at the audit log's head, the
-- one data version of before.
CREATE TABLE data_versions (
    area        TEXT PRIMARY KEY,
    version     INTEGER NOT NULL
);
INSERT INTO data_versions (area, version)
SELECT a.area, (SELECT COALESCE(MAX(id), 0) FROM audit_log)
FROM (SELECT 'registry' AS area UNION ALL SELECT 'follow-up' UNION ALL SELECT 'meetings' UNION ALL SELECT 'publish'
      UNION ALL SELECT 'accounts' UNION ALL SELECT 'jobs' UNION ALL SELECT 'audit' UNION ALL SELECT 'other') a;

-- +goose Down
DROP TABLE data_versions;
CREATE TABLE reminder_days (
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
INSERT INTO reminder_days (day, agency_id, kind, ref, due, text_fa, text_en)
SELECT notified_on, agency_id, kind, ref, due, text_fa, text_en FROM reminders WHERE resolved_on IS NULL ORDER BY id;
DROP TABLE reminders;
ALTER TABLE reminder_days RENAME TO reminders;
CREATE INDEX reminders_agency ON reminders(agency_id, day);
