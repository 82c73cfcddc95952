-- +goose Up
-- A decision's index document now holds the titles of the projects it
-- concerns (store/search_index.go): mark the index as built under older
-- rules, so opening the database rebuilds it (ensureSearch).
UPDATE search_state SET version = 0 WHERE id = 1;

-- +goose Down
UPDATE search_state SET version = 0 WHERE id = 1;
