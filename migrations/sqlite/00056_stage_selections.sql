-- +goose Up
-- A stage's selection: its advancement rule applied to a published version,
-- adjusted by hand with reasons, then confirmed by an organiser. The
-- confirmed selection is the candidate pool of the stages that follow it.
CREATE TABLE stage_selections (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  stage_id INTEGER NOT NULL REFERENCES stages(id),
  rule_json TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_by INTEGER NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  confirmed_by INTEGER NULL,
  confirmed_at DATETIME NULL
);
CREATE UNIQUE INDEX ux_stage_selections_stage ON stage_selections(stage_id);

-- +goose Down
DROP TABLE stage_selections;
