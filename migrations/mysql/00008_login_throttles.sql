-- +goose Up
CREATE TABLE login_throttles (
  throttle_key VARCHAR(191) NOT NULL PRIMARY KEY,
  failures INT NOT NULL DEFAULT 0,
  window_started_at DATETIME(6) NOT NULL,
  blocked_until DATETIME(6) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE login_throttles;
