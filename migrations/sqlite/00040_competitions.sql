-- +goose Up
CREATE TABLE competitions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
  name TEXT NOT NULL,
  year INTEGER NOT NULL,
  created_by INTEGER NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE INDEX ix_competitions_unit ON competitions(org_unit_id);

-- +goose Down
DROP TABLE competitions;
