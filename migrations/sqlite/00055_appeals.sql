-- +goose Up
-- A contestant's appeal against their published result: filed with a reason
-- inside the publication's window, assigned by an organiser for a re-mark,
-- resolved with an outcome; a changed score is published as a new version.
CREATE TABLE appeals (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  stage_id INTEGER NOT NULL REFERENCES stages(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  version INTEGER NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL,
  assignee_id INTEGER NULL REFERENCES users(id),
  assign_note TEXT NOT NULL DEFAULT '',
  assigned_at DATETIME NULL,
  outcome TEXT NULL,
  outcome_note TEXT NOT NULL DEFAULT '',
  resolved_by INTEGER NULL,
  resolved_at DATETIME NULL,
  result_version INTEGER NULL,
  created_at DATETIME NOT NULL
);
CREATE INDEX ix_appeals_stage ON appeals(stage_id, status);
CREATE INDEX ix_appeals_user ON appeals(user_id);

-- +goose Down
DROP TABLE appeals;
