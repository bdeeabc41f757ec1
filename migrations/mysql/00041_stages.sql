-- +goose Up
-- A stage's rules (weights, roster sizes, draw pool, aggregation, tie-break,
-- precision) are one JSON document: read together, validated by the service.
CREATE TABLE stages (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  competition_id BIGINT NOT NULL,
  org_unit_id BIGINT NOT NULL,
  name VARCHAR(200) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  settings_json TEXT NOT NULL,
  roster_deadline DATETIME(6) NULL,
  rosters_locked_at DATETIME(6) NULL,
  written_exam_id BIGINT NULL,
  previous_stage_id BIGINT NULL,
  created_by BIGINT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  KEY ix_stages_competition (competition_id),
  KEY ix_stages_unit (org_unit_id),
  CONSTRAINT fk_stages_competition FOREIGN KEY (competition_id) REFERENCES competitions(id),
  CONSTRAINT fk_stages_unit FOREIGN KEY (org_unit_id) REFERENCES org_units(id),
  CONSTRAINT fk_stages_exam FOREIGN KEY (written_exam_id) REFERENCES exams(id),
  CONSTRAINT fk_stages_previous FOREIGN KEY (previous_stage_id) REFERENCES stages(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE stages;
