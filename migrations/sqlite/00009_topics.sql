-- +goose Up
CREATE TABLE topics (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  parent_id INTEGER NULL REFERENCES topics(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  path TEXT NOT NULL DEFAULT '',
  depth INTEGER NOT NULL DEFAULT 0,
  sort_order INTEGER NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX ux_topics_code ON topics(code);
CREATE INDEX ix_topics_parent ON topics(parent_id);
CREATE INDEX ix_topics_path ON topics(path);

-- +goose Down
DROP TABLE topics;
