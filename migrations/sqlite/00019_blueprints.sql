-- +goose Up
CREATE TABLE blueprints (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
  name TEXT NOT NULL,
  sections_json TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE INDEX ix_blueprints_org_unit ON blueprints(org_unit_id);

-- +goose Down
DROP TABLE blueprints;
