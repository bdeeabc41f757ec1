-- +goose Up
CREATE TABLE assets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sha256 TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  data BLOB NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at DATETIME NOT NULL
);
CREATE INDEX ix_assets_sha256 ON assets(sha256);

-- +goose Down
DROP TABLE assets;
