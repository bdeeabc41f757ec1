-- +goose Up
-- One row per item of an attempt, made when the attempt starts, so that
-- every autosave is a single conditional UPDATE.
CREATE TABLE answers (
  attempt_id BIGINT NOT NULL,
  position INT NOT NULL,
  response MEDIUMTEXT NULL,
  seq BIGINT NOT NULL DEFAULT 0,
  saved_at DATETIME(6) NULL,
  score BIGINT NULL,
  PRIMARY KEY (attempt_id, position),
  CONSTRAINT fk_answers_attempt FOREIGN KEY (attempt_id) REFERENCES attempts(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE answers;
