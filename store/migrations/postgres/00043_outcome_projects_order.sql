-- +goose Up
-- The projects of a page of decisions (or of a meeting's outcomes), in
-- their order, read from this index alone: the primary key (outcome_id,
-- project_id) found each link but not its place, so every link cost a read
-- of its row and the page a sort.
CREATE INDEX outcome_projects_order ON outcome_projects(outcome_id, seq, project_id);

-- +goose Down
DROP INDEX outcome_projects_order;
