-- +goose Up
-- One row per subjective answer of a submitted attempt awaiting or past
-- judges. ref is the opaque id judges see (never the attempt). status: open
-- (fewer than two marks), adjudication, final. revision is bumped by every
-- mark, so concurrent marks of one answer take its row lock in turn.
CREATE TABLE marking_items (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ref VARCHAR(32) NOT NULL,
  exam_id BIGINT NOT NULL,
  attempt_id BIGINT NOT NULL,
  position INT NOT NULL,
  question_id BIGINT NOT NULL,
  version_id BIGINT NOT NULL,
  max_points BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  score BIGINT NULL,
  revision BIGINT NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_marking_items_ref (ref),
  UNIQUE KEY ux_marking_items_attempt_position (attempt_id, position),
  KEY ix_marking_items_exam_question (exam_id, question_id, status, ref),
  CONSTRAINT fk_marking_items_exam FOREIGN KEY (exam_id) REFERENCES exams(id),
  CONSTRAINT fk_marking_items_attempt FOREIGN KEY (attempt_id) REFERENCES attempts(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE marking_items;
