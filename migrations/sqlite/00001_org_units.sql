-- +goose Up
CREATE TABLE org_units (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  parent_id INTEGER NULL REFERENCES org_units(id),
  name TEXT NOT NULL,
  code TEXT NOT NULL,
  path TEXT NOT NULL DEFAULT '',
  depth INTEGER NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX ux_org_units_code ON org_units(code);
CREATE INDEX ix_org_units_parent ON org_units(parent_id);
CREATE INDEX ix_org_units_path ON org_units(path);

-- +goose Down
DROP TABLE org_units;
