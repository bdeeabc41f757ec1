-- +goose Up
-- A stage's rules (weights, roster sizes, draw pool, aggregation, tie-break,
-- precision) are one JSON document: read together, validated by the service.
CREATE TABLE stages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  competition_id INTEGER NOT NULL REFERENCES competitions(id),
  org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  settings_json TEXT NOT NULL,
  roster_deadline DATETIME NULL,
  rosters_locked_at DATETIME NULL,
  written_exam_id INTEGER NULL REFERENCES exams(id),
  previous_stage_id INTEGER NULL REFERENCES stages(id),
  created_by INTEGER NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE INDEX ix_stages_competition ON stages(competition_id);
CREATE INDEX ix_stages_unit ON stages(org_unit_id);

-- +goose Down
DROP TABLE stages;
