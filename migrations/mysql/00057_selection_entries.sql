-- +goose Up
-- One contestant of a selection: their place in the published individual
-- ranking, the unit they were ranked in, whether they advance, and why (the
-- rule, or an organiser's reason for a choice by hand).
CREATE TABLE selection_entries (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  selection_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  team_id BIGINT NOT NULL DEFAULT 0,
  unit_id BIGINT NOT NULL,
  place INT NOT NULL,
  total BIGINT NOT NULL,
  selected TINYINT(1) NOT NULL,
  by_hand TINYINT(1) NOT NULL DEFAULT 0,
  reason VARCHAR(500) NOT NULL DEFAULT '',
  UNIQUE KEY ux_selection_entries_user (selection_id, user_id),
  CONSTRAINT fk_selection_entries_selection FOREIGN KEY (selection_id) REFERENCES stage_selections(id),
  CONSTRAINT fk_selection_entries_user FOREIGN KEY (user_id) REFERENCES users(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE selection_entries;
