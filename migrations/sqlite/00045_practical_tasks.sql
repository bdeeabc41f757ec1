-- +goose Up
-- A practical task of a stage and its rubric: criteria_json is the ordered
-- list of criteria ({id, name, kind, max_points, scale}), read and written
-- with the task as one document, frozen once a station of the task has a mark.
CREATE TABLE practical_tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  stage_id INTEGER NOT NULL REFERENCES stages(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  criteria_json TEXT NOT NULL,
  created_by INTEGER NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE INDEX ix_practical_tasks_stage ON practical_tasks(stage_id);

-- +goose Down
DROP TABLE practical_tasks;
