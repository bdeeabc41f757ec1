-- +goose Up
CREATE TABLE sessions (
  token CHAR(43) NOT NULL PRIMARY KEY,
  data BLOB NOT NULL,
  expiry DATETIME(6) NOT NULL,
  KEY ix_sessions_expiry (expiry)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE sessions;
