-- +goose Up
CREATE TABLE stage_teams (
  stage_id INTEGER NOT NULL REFERENCES stages(id),
  org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
  PRIMARY KEY (stage_id, org_unit_id)
);

-- +goose Down
DROP TABLE stage_teams;
