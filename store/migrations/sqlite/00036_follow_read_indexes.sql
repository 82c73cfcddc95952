-- +goose Up
-- Indexes for the council's reads at national scale (issue 12): each lets a
-- read walk a small index in the order it shows instead of reading and
-- sorting every row of a large table on each request.
--
-- The public's meetings, newest first, a page at a time, with the series
-- to filter on: the count and the page's offset walk this index alone.
CREATE INDEX meetings_public ON meetings(held_on, id, series_id, state) WHERE state IN ('held', 'closed');
-- The public's actions, newest decision first, and the open ones by due
-- date (the overdue list): the columns the filters test are in the index,
-- so skipping to a page reads no action row.
CREATE INDEX actions_by_created ON actions(created_on, id, owner_id, status, due_on, meeting_id);
CREATE INDEX actions_by_due ON actions(status, due_on, id, owner_id, meeting_id, created_on);
-- The few non-public projects, found once per statement rather than by
-- reading each decision's or action's projects.
CREATE INDEX projects_confidentiality ON projects(confidentiality);
-- The decisions, newest first, with what a list of them shows: a page of
-- decisions reads a few pages of this index, not one table page for each
-- decision (decisions are scattered among the actions' outcomes).
CREATE INDEX outcomes_decisions ON outcomes(kind, id, meeting_id, resolution, text_fa, text_en, recorded_at) WHERE kind = 'decision';

-- +goose Down
DROP INDEX outcomes_decisions;
DROP INDEX projects_confidentiality;
DROP INDEX actions_by_due;
DROP INDEX actions_by_created;
DROP INDEX meetings_public;
