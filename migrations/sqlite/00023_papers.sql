-- +goose Up
-- A paper as drawn: the seed it was drawn with and its items, pointing at
-- question versions. user_id is 0 for the one paper of a fixed exam.
CREATE TABLE papers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  exam_id INTEGER NOT NULL REFERENCES exams(id),
  user_id INTEGER NOT NULL DEFAULT 0,
  attempt_number INTEGER NOT NULL DEFAULT 0,
  seed TEXT NOT NULL,
  items_json TEXT NOT NULL,
  created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX ux_papers_exam_user ON papers(exam_id, user_id, attempt_number);

-- +goose Down
DROP TABLE papers;
