-- +goose Up
-- The review history: submissions, approvals, rejections, retirements and
-- reviewers' comments, each on a version.
CREATE TABLE question_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  question_id BIGINT NOT NULL,
  version INT NOT NULL,
  actor_id BIGINT NOT NULL,
  kind VARCHAR(16) NOT NULL,
  from_status VARCHAR(16) NOT NULL DEFAULT '',
  to_status VARCHAR(16) NOT NULL DEFAULT '',
  comment TEXT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  KEY ix_question_events_question (question_id, id),
  CONSTRAINT fk_question_events_question FOREIGN KEY (question_id) REFERENCES questions(id),
  CONSTRAINT fk_question_events_actor FOREIGN KEY (actor_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE question_events;
