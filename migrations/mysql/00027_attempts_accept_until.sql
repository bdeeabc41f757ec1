-- +goose Up
-- accept_until is the deadline plus the exam's grace: the last instant a save
-- is accepted and after which the sweeper submits. device binds the attempt to
-- one browser session until an invigilator unlocks it.
ALTER TABLE attempts
  ADD COLUMN accept_until DATETIME(6) NULL,
  ADD COLUMN device VARCHAR(64) NOT NULL DEFAULT '',
  ADD COLUMN page_hidden TINYINT(1) NOT NULL DEFAULT 0,
  ADD KEY ix_attempts_status_accept_until (status, accept_until),
  ADD KEY ix_attempts_exam_user (exam_id, user_id);
UPDATE attempts SET accept_until = deadline;

-- +goose Down
ALTER TABLE attempts
  DROP KEY ix_attempts_exam_user,
  DROP KEY ix_attempts_status_accept_until,
  DROP COLUMN page_hidden,
  DROP COLUMN device,
  DROP COLUMN accept_until;
