-- +goose Up
-- A page of the project list is read from the indexes alone
-- (store.Tx.ProjectKeys): the slugs in order with what decides who may see
-- each, and an agency's projects without the rows of its links.
CREATE INDEX projects_list ON projects(slug, confidentiality, kind, status);
DROP INDEX project_agencies_agency;
CREATE INDEX project_agencies_agency ON project_agencies(agency_id, project_id);

-- +goose Down
DROP INDEX project_agencies_agency;
CREATE INDEX project_agencies_agency ON project_agencies(agency_id);
DROP INDEX projects_list;
