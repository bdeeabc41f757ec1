-- +goose Up
-- A stage's selection: its advancement rule applied to a published version,
-- adjusted by hand with reasons, then confirmed by an organiser. The
-- confirmed selection is the candidate pool of the stages that follow it.
CREATE TABLE stage_selections (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  stage_id BIGINT NOT NULL,
  rule_json TEXT NOT NULL,
  version INT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  confirmed_by BIGINT NULL,
  confirmed_at DATETIME(6) NULL,
  UNIQUE KEY ux_stage_selections_stage (stage_id),
  CONSTRAINT fk_stage_selections_stage FOREIGN KEY (stage_id) REFERENCES stages(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE stage_selections;
