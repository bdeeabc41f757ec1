-- +goose Up
CREATE TABLE banks (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_unit_id BIGINT NOT NULL,
  name VARCHAR(100) NOT NULL,
  description TEXT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  KEY ix_banks_org_unit (org_unit_id),
  CONSTRAINT fk_banks_org_unit FOREIGN KEY (org_unit_id) REFERENCES org_units(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE banks;
