-- +goose Up
-- One row per item of an attempt, made when the attempt starts, so that
-- every autosave is a single conditional UPDATE.
CREATE TABLE answers (
  attempt_id INTEGER NOT NULL REFERENCES attempts(id),
  position INTEGER NOT NULL,
  response TEXT NULL,
  seq INTEGER NOT NULL DEFAULT 0,
  saved_at DATETIME NULL,
  score INTEGER NULL,
  PRIMARY KEY (attempt_id, position)
);

-- +goose Down
DROP TABLE answers;
