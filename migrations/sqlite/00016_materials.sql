-- +goose Up
CREATE TABLE materials (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  topic_id INTEGER NOT NULL REFERENCES topics(id),
  org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  updated_by INTEGER NOT NULL REFERENCES users(id),
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE INDEX ix_materials_topic ON materials(topic_id);

-- +goose Down
DROP TABLE materials;
