-- +goose Up
-- A draw is committed (seed secret, commitment public), then performed with
-- public entropy (seed revealed, pools and result stored). A redraw is a new
-- number with a reason; earlier ones stay visible.
CREATE TABLE practical_draws (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  stage_id INTEGER NOT NULL REFERENCES stages(id),
  number INTEGER NOT NULL,
  seed_hex TEXT NOT NULL,
  commitment TEXT NOT NULL,
  committed_at DATETIME NOT NULL,
  committed_by INTEGER NOT NULL,
  entropy TEXT NULL,
  drawn_at DATETIME NULL,
  drawn_by INTEGER NULL,
  pools_json TEXT NULL,
  result_json TEXT NULL,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX ux_practical_draws_stage_number ON practical_draws(stage_id, number);

-- +goose Down
DROP TABLE practical_draws;
