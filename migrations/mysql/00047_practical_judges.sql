-- +goose Up
-- The judges of a station; chief marks the stage's chief judge (at most one
-- per stage, which the service keeps).
CREATE TABLE practical_judges (
  station_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  stage_id BIGINT NOT NULL,
  chief BOOLEAN NOT NULL DEFAULT FALSE,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (station_id, user_id),
  KEY ix_practical_judges_user (user_id),
  KEY ix_practical_judges_stage (stage_id),
  CONSTRAINT fk_practical_judges_station FOREIGN KEY (station_id) REFERENCES practical_stations(id),
  CONSTRAINT fk_practical_judges_user FOREIGN KEY (user_id) REFERENCES users(id),
  CONSTRAINT fk_practical_judges_stage FOREIGN KEY (stage_id) REFERENCES stages(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE practical_judges;
