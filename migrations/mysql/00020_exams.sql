-- +goose Up
CREATE TABLE exams (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_unit_id BIGINT NOT NULL,
  title VARCHAR(200) NOT NULL,
  instructions TEXT NOT NULL,
  kind VARCHAR(16) NOT NULL,
  opens_at DATETIME(6) NOT NULL,
  closes_at DATETIME(6) NOT NULL,
  duration_seconds INT NOT NULL,
  grace_seconds INT NOT NULL,
  blueprint_id BIGINT NOT NULL,
  paper_mode VARCHAR(16) NOT NULL,
  shuffle_questions TINYINT(1) NOT NULL DEFAULT 0,
  shuffle_options TINYINT(1) NOT NULL DEFAULT 0,
  max_attempts INT NOT NULL DEFAULT 1,
  partial_credit TINYINT(1) NOT NULL DEFAULT 0,
  results_visibility VARCHAR(16) NOT NULL,
  created_by BIGINT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  KEY ix_exams_org_unit (org_unit_id),
  KEY ix_exams_window (opens_at, closes_at),
  CONSTRAINT fk_exams_org_unit FOREIGN KEY (org_unit_id) REFERENCES org_units(id),
  CONSTRAINT fk_exams_blueprint FOREIGN KEY (blueprint_id) REFERENCES blueprints(id),
  CONSTRAINT fk_exams_creator FOREIGN KEY (created_by) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE exams;
