-- +goose Up
-- A judge's mark of one criterion for one contestant. signed_off_at is set on
-- all of a judge's marks of a contestant at once when the judge signs off;
-- from then on only the chief judge changes them (a correction, audited).
CREATE TABLE practical_marks (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  stage_id BIGINT NOT NULL,
  station_id BIGINT NOT NULL,
  contestant_id BIGINT NOT NULL,
  judge_id BIGINT NOT NULL,
  criterion_id BIGINT NOT NULL,
  points BIGINT NOT NULL,
  comment TEXT NOT NULL,
  signed_off_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_practical_marks (stage_id, contestant_id, judge_id, criterion_id),
  KEY ix_practical_marks_judge (judge_id),
  KEY ix_practical_marks_signed (stage_id, signed_off_at),
  CONSTRAINT fk_practical_marks_stage FOREIGN KEY (stage_id) REFERENCES stages(id),
  CONSTRAINT fk_practical_marks_station FOREIGN KEY (station_id) REFERENCES practical_stations(id),
  CONSTRAINT fk_practical_marks_contestant FOREIGN KEY (contestant_id) REFERENCES users(id),
  CONSTRAINT fk_practical_marks_judge FOREIGN KEY (judge_id) REFERENCES users(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE practical_marks;
