-- +goose Up
-- A meeting series names the sources that record it (the reference data's
-- series carry them; a series the secretariat creates may name none).
ALTER TABLE meeting_series ADD COLUMN sources TEXT NOT NULL DEFAULT '[]';

-- A planned session moved to another day or cancelled, with the reason:
-- appended, never edited, so the record says what was planned and why it
-- changed. A cancelled session keeps its number; meetings.state says
-- 'cancelled'.
CREATE TABLE meeting_changes (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
    kind        TEXT NOT NULL,
    old_date    TEXT NOT NULL,
    new_date    TEXT,
    reason_fa   TEXT NOT NULL DEFAULT '',
    reason_en   TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX meeting_changes_meeting ON meeting_changes(meeting_id, id);

-- +goose Down
DROP TABLE meeting_changes;
ALTER TABLE meeting_series DROP COLUMN sources;
