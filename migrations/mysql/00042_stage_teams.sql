-- +goose Up
CREATE TABLE stage_teams (
  stage_id BIGINT NOT NULL,
  org_unit_id BIGINT NOT NULL,
  PRIMARY KEY (stage_id, org_unit_id),
  CONSTRAINT fk_stage_teams_stage FOREIGN KEY (stage_id) REFERENCES stages(id),
  CONSTRAINT fk_stage_teams_unit FOREIGN KEY (org_unit_id) REFERENCES org_units(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE stage_teams;
