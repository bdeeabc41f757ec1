-- +goose Up
CREATE TABLE roster_entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  stage_id INTEGER NOT NULL REFERENCES stages(id),
  team_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  slot TEXT NOT NULL,
  created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX ux_roster_entries ON roster_entries(stage_id, user_id, slot);
CREATE INDEX ix_roster_entries_team ON roster_entries(stage_id, team_id);

-- +goose Down
DROP TABLE roster_entries;
