-- +goose Up
-- marking_threshold (hundredths of a point): when the two judges' marks of an
-- answer differ by more than this, the chief judge adjudicates.
ALTER TABLE exams ADD COLUMN marking_threshold BIGINT NOT NULL DEFAULT 200;

-- +goose Down
ALTER TABLE exams DROP COLUMN marking_threshold;
