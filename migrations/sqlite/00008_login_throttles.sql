-- +goose Up
CREATE TABLE login_throttles (
  throttle_key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL DEFAULT 0,
  window_started_at DATETIME NOT NULL,
  blocked_until DATETIME NULL
);

-- +goose Down
DROP TABLE login_throttles;
