-- +goose Up
CREATE TABLE org_units (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  parent_id BIGINT NULL,
  name VARCHAR(100) NOT NULL,
  code VARCHAR(32) NOT NULL,
  path VARCHAR(255) NOT NULL DEFAULT '',
  depth INT NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_org_units_code (code),
  KEY ix_org_units_parent (parent_id),
  KEY ix_org_units_path (path),
  CONSTRAINT fk_org_units_parent FOREIGN KEY (parent_id) REFERENCES org_units(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE org_units;
