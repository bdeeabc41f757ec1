-- +goose Up
CREATE TABLE grants (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  role VARCHAR(32) NOT NULL,
  org_unit_id BIGINT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_grants_user_role_unit (user_id, role, org_unit_id),
  KEY ix_grants_org_unit (org_unit_id),
  CONSTRAINT fk_grants_user FOREIGN KEY (user_id) REFERENCES users(id),
  CONSTRAINT fk_grants_org_unit FOREIGN KEY (org_unit_id) REFERENCES org_units(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE grants;
