-- +goose Up
CREATE TABLE sessions (
  token TEXT PRIMARY KEY,
  data BLOB NOT NULL,
  expiry DATETIME NOT NULL
);
CREATE INDEX ix_sessions_expiry ON sessions(expiry);

-- +goose Down
DROP TABLE sessions;
