-- +goose Up
-- A draw is committed (seed secret, commitment public), then performed with
-- public entropy (seed revealed, pools and result stored). A redraw is a new
-- number with a reason; earlier ones stay visible.
CREATE TABLE practical_draws (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  stage_id BIGINT NOT NULL,
  number INT NOT NULL,
  seed_hex CHAR(64) NOT NULL,
  commitment CHAR(64) NOT NULL,
  committed_at DATETIME(6) NOT NULL,
  committed_by BIGINT NOT NULL,
  entropy VARCHAR(500) NULL,
  drawn_at DATETIME(6) NULL,
  drawn_by BIGINT NULL,
  pools_json MEDIUMTEXT NULL,
  result_json MEDIUMTEXT NULL,
  reason VARCHAR(500) NOT NULL DEFAULT '',
  UNIQUE KEY ux_practical_draws_stage_number (stage_id, number),
  CONSTRAINT fk_practical_draws_stage FOREIGN KEY (stage_id) REFERENCES stages(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE practical_draws;
