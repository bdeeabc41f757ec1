-- +goose Up
-- Saves refused because they came after the deadline and its grace.
CREATE TABLE refused_saves (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  attempt_id INTEGER NOT NULL REFERENCES attempts(id),
  position INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  reason TEXT NOT NULL,
  at DATETIME NOT NULL
);
CREATE INDEX ix_refused_saves_attempt ON refused_saves(attempt_id);

-- +goose Down
DROP TABLE refused_saves;
