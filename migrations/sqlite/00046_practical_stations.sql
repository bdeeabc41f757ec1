-- +goose Up
-- A station is where a panel of judges marks contestants doing one task.
CREATE TABLE practical_stations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  stage_id INTEGER NOT NULL REFERENCES stages(id),
  task_id INTEGER NOT NULL REFERENCES practical_tasks(id),
  name TEXT NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE INDEX ix_practical_stations_stage ON practical_stations(stage_id);

-- +goose Down
DROP TABLE practical_stations;
