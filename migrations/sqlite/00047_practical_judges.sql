-- +goose Up
-- The judges of a station; chief marks the stage's chief judge (at most one
-- per stage, which the service keeps).
CREATE TABLE practical_judges (
  station_id INTEGER NOT NULL REFERENCES practical_stations(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  stage_id INTEGER NOT NULL REFERENCES stages(id),
  chief INTEGER NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (station_id, user_id)
);
CREATE INDEX ix_practical_judges_user ON practical_judges(user_id);
CREATE INDEX ix_practical_judges_stage ON practical_judges(stage_id);

-- +goose Down
DROP TABLE practical_judges;
