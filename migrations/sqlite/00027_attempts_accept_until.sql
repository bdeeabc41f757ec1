-- +goose Up
-- accept_until is the deadline plus the exam's grace: the last instant a save
-- is accepted and after which the sweeper submits. device binds the attempt to
-- one browser session until an invigilator unlocks it.
ALTER TABLE attempts ADD COLUMN accept_until DATETIME NULL;
ALTER TABLE attempts ADD COLUMN device TEXT NOT NULL DEFAULT '';
ALTER TABLE attempts ADD COLUMN page_hidden INTEGER NOT NULL DEFAULT 0;
UPDATE attempts SET accept_until = deadline;
CREATE INDEX ix_attempts_status_accept_until ON attempts(status, accept_until);
CREATE INDEX ix_attempts_exam_user ON attempts(exam_id, user_id);

-- +goose Down
DROP INDEX ix_attempts_exam_user;
DROP INDEX ix_attempts_status_accept_until;
ALTER TABLE attempts DROP COLUMN page_hidden;
ALTER TABLE attempts DROP COLUMN device;
ALTER TABLE attempts DROP COLUMN accept_until;
