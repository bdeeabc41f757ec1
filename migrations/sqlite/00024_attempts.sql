-- +goose Up
CREATE TABLE attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  exam_id INTEGER NOT NULL REFERENCES exams(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  number INTEGER NOT NULL,
  paper_id INTEGER NOT NULL REFERENCES papers(id),
  status TEXT NOT NULL,
  started_at DATETIME NOT NULL,
  deadline DATETIME NOT NULL,
  submitted_at DATETIME NULL,
  submitted_by TEXT NOT NULL DEFAULT '',
  score INTEGER NULL,
  graded INTEGER NOT NULL DEFAULT 0,
  focus_losses INTEGER NOT NULL DEFAULT 0,
  last_seen_at DATETIME NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX ux_attempts_exam_user_number ON attempts(exam_id, user_id, number);
CREATE INDEX ix_attempts_status_deadline ON attempts(status, deadline);

-- +goose Down
DROP TABLE attempts;
