-- +goose Up
-- questions holds each question's identity and the denormalised facts of its
-- current version that searches and counts filter on.
CREATE TABLE questions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  bank_id INTEGER NOT NULL REFERENCES banks(id),
  status TEXT NOT NULL,
  current_version INTEGER NOT NULL DEFAULT 0,
  type TEXT NOT NULL,
  topic_id INTEGER NOT NULL REFERENCES topics(id),
  difficulty INTEGER NOT NULL,
  fingerprint TEXT NOT NULL,
  search_text TEXT NOT NULL DEFAULT '',
  last_editor_id INTEGER NOT NULL REFERENCES users(id),
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE INDEX ix_questions_bank_status ON questions(bank_id, status);
CREATE INDEX ix_questions_topic ON questions(topic_id, type, difficulty);
CREATE INDEX ix_questions_fingerprint ON questions(fingerprint);

-- +goose Down
DROP TABLE questions;
