-- +goose Up
-- A practical contestant's station, and the chief judge's acceptance of a
-- discrepancy: resolved_totals_json holds the judges' totals accepted, so a
-- later change of marks flags the contestant again. Every change of a
-- contestant's marks locks this row first.
CREATE TABLE practical_contestants (
  stage_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  station_id BIGINT NOT NULL,
  resolved_at DATETIME(6) NULL,
  resolved_by BIGINT NULL,
  resolution_note TEXT NOT NULL,
  resolved_totals_json TEXT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (stage_id, user_id),
  KEY ix_practical_contestants_station (station_id),
  CONSTRAINT fk_practical_contestants_stage FOREIGN KEY (stage_id) REFERENCES stages(id),
  CONSTRAINT fk_practical_contestants_user FOREIGN KEY (user_id) REFERENCES users(id),
  CONSTRAINT fk_practical_contestants_station FOREIGN KEY (station_id) REFERENCES practical_stations(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE practical_contestants;
