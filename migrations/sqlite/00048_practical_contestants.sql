-- +goose Up
-- A practical contestant's station, and the chief judge's acceptance of a
-- discrepancy: resolved_totals_json holds the judges' totals accepted, so a
-- later change of marks flags the contestant again. Every change of a
-- contestant's marks locks this row first.
CREATE TABLE practical_contestants (
  stage_id INTEGER NOT NULL REFERENCES stages(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  station_id INTEGER NOT NULL REFERENCES practical_stations(id),
  resolved_at DATETIME NULL,
  resolved_by INTEGER NULL,
  resolution_note TEXT NOT NULL DEFAULT '',
  resolved_totals_json TEXT NULL,
  updated_at DATETIME NOT NULL,
  PRIMARY KEY (stage_id, user_id)
);
CREATE INDEX ix_practical_contestants_station ON practical_contestants(station_id);

-- +goose Down
DROP TABLE practical_contestants;
