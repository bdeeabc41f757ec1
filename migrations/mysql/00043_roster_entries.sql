-- +goose Up
CREATE TABLE roster_entries (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  stage_id BIGINT NOT NULL,
  team_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  slot VARCHAR(16) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_roster_entries (stage_id, user_id, slot),
  KEY ix_roster_entries_team (stage_id, team_id),
  CONSTRAINT fk_roster_entries_stage FOREIGN KEY (stage_id) REFERENCES stages(id),
  CONSTRAINT fk_roster_entries_user FOREIGN KEY (user_id) REFERENCES users(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE roster_entries;
