-- +goose Up
-- The dashboard sums the ratings of the last months (Tx.RatingMonths): by
-- date, the rows of those months are read without the years before them.
CREATE INDEX ratings_rated_on ON ratings(rated_on, project_id, kind, score);

-- +goose Down
DROP INDEX ratings_rated_on;
