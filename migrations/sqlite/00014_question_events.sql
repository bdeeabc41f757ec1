-- +goose Up
-- The review history: submissions, approvals, rejections, retirements and
-- reviewers' comments, each on a version.
CREATE TABLE question_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  question_id INTEGER NOT NULL REFERENCES questions(id),
  version INTEGER NOT NULL,
  actor_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  from_status TEXT NOT NULL DEFAULT '',
  to_status TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL
);
CREATE INDEX ix_question_events_question ON question_events(question_id, id);

-- +goose Down
DROP TABLE question_events;
