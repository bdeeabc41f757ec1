-- +goose Up
CREATE TABLE competitions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_unit_id BIGINT NOT NULL,
  name VARCHAR(200) NOT NULL,
  year INT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  KEY ix_competitions_unit (org_unit_id),
  CONSTRAINT fk_competitions_unit FOREIGN KEY (org_unit_id) REFERENCES org_units(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE competitions;
