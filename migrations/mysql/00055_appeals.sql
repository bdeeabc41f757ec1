-- +goose Up
-- A contestant's appeal against their published result: filed with a reason
-- inside the publication's window, assigned by an organiser for a re-mark,
-- resolved with an outcome; a changed score is published as a new version.
CREATE TABLE appeals (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  stage_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  version INT NOT NULL,
  reason VARCHAR(2000) NOT NULL,
  status VARCHAR(16) NOT NULL,
  assignee_id BIGINT NULL,
  assign_note VARCHAR(1000) NOT NULL DEFAULT '',
  assigned_at DATETIME(6) NULL,
  outcome VARCHAR(16) NULL,
  outcome_note VARCHAR(1000) NOT NULL DEFAULT '',
  resolved_by BIGINT NULL,
  resolved_at DATETIME(6) NULL,
  result_version INT NULL,
  created_at DATETIME(6) NOT NULL,
  KEY ix_appeals_stage (stage_id, status),
  KEY ix_appeals_user (user_id),
  CONSTRAINT fk_appeals_stage FOREIGN KEY (stage_id) REFERENCES stages(id),
  CONSTRAINT fk_appeals_user FOREIGN KEY (user_id) REFERENCES users(id),
  CONSTRAINT fk_appeals_assignee FOREIGN KEY (assignee_id) REFERENCES users(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE appeals;
