-- +goose Up
-- results_released_at: when an organiser released the results of an exam
-- whose results_visibility is "manual"; NULL until then. Contestants see
-- their results of such an exam only once it is set.
ALTER TABLE exams ADD COLUMN results_released_at DATETIME NULL;

-- +goose Down
ALTER TABLE exams DROP COLUMN results_released_at;
