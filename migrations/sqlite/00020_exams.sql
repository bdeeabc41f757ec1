-- +goose Up
CREATE TABLE exams (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
  title TEXT NOT NULL,
  instructions TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  opens_at DATETIME NOT NULL,
  closes_at DATETIME NOT NULL,
  duration_seconds INTEGER NOT NULL,
  grace_seconds INTEGER NOT NULL,
  blueprint_id INTEGER NOT NULL REFERENCES blueprints(id),
  paper_mode TEXT NOT NULL,
  shuffle_questions INTEGER NOT NULL DEFAULT 0,
  shuffle_options INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 1,
  partial_credit INTEGER NOT NULL DEFAULT 0,
  results_visibility TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE INDEX ix_exams_org_unit ON exams(org_unit_id);
CREATE INDEX ix_exams_window ON exams(opens_at, closes_at);

-- +goose Down
DROP TABLE exams;
