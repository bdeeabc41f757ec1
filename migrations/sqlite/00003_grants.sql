-- +goose Up
CREATE TABLE grants (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,
  org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
  created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX ux_grants_user_role_unit ON grants(user_id, role, org_unit_id);
CREATE INDEX ix_grants_org_unit ON grants(org_unit_id);

-- +goose Down
DROP TABLE grants;
