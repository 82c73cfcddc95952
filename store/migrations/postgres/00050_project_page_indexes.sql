-- +goose Up
-- A project's page (store.Tx.ProjectPageOf) reads its ratings, milestones,
-- decisions and actions in the order it shows them: these indexes hold
-- each project's rows in that order, so no list is sorted per read (the
-- SQLite migration also puts the lists' text in them, to keep a
-- project's rows on one page of the file; here an index entry is limited
-- to ~2.7 KB, which a milestone's title or an event's note could pass, so
-- they hold the keys alone).
CREATE INDEX ratings_page ON ratings(project_id, rated_on, id);
DROP INDEX milestones_project;
CREATE INDEX milestones_project ON milestones(project_id, planned_on, id);
DROP INDEX action_projects_project;
CREATE INDEX action_projects_project ON action_projects(project_id, action_id);
DROP INDEX outcome_projects_project;
CREATE INDEX outcome_projects_project ON outcome_projects(project_id, outcome_id);

-- +goose Down
DROP INDEX outcome_projects_project;
CREATE INDEX outcome_projects_project ON outcome_projects(project_id);
DROP INDEX action_projects_project;
CREATE INDEX action_projects_project ON action_projects(project_id);
DROP INDEX milestones_project;
CREATE INDEX milestones_project ON milestones(project_id, planned_on);
DROP INDEX ratings_page;
