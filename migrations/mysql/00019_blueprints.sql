-- +goose Up
CREATE TABLE blueprints (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_unit_id BIGINT NOT NULL,
  name VARCHAR(200) NOT NULL,
  sections_json TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  KEY ix_blueprints_org_unit (org_unit_id),
  CONSTRAINT fk_blueprints_org_unit FOREIGN KEY (org_unit_id) REFERENCES org_units(id),
  CONSTRAINT fk_blueprints_creator FOREIGN KEY (created_by) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE blueprints;
