-- +goose Up
-- One row per subjective answer of a submitted attempt awaiting or past
-- judges. ref is the opaque id judges see (never the attempt). status: open
-- (fewer than two marks), adjudication, final. revision is bumped by every
-- mark, so concurrent marks of one answer take its row lock in turn.
CREATE TABLE marking_items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ref TEXT NOT NULL,
  exam_id INTEGER NOT NULL REFERENCES exams(id),
  attempt_id INTEGER NOT NULL REFERENCES attempts(id),
  position INTEGER NOT NULL,
  question_id INTEGER NOT NULL,
  version_id INTEGER NOT NULL,
  max_points INTEGER NOT NULL,
  status TEXT NOT NULL,
  score INTEGER NULL,
  revision INTEGER NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX ux_marking_items_ref ON marking_items(ref);
CREATE UNIQUE INDEX ux_marking_items_attempt_position ON marking_items(attempt_id, position);
CREATE INDEX ix_marking_items_exam_question ON marking_items(exam_id, question_id, status, ref);

-- +goose Down
DROP TABLE marking_items;
