-- +goose Up
CREATE TABLE banks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE INDEX ix_banks_org_unit ON banks(org_unit_id);

-- +goose Down
DROP TABLE banks;
