-- +goose Up
-- One contestant of a selection: their place in the published individual
-- ranking, the unit they were ranked in, whether they advance, and why (the
-- rule, or an organiser's reason for a choice by hand).
CREATE TABLE selection_entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  selection_id INTEGER NOT NULL REFERENCES stage_selections(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  team_id INTEGER NOT NULL DEFAULT 0,
  unit_id INTEGER NOT NULL,
  place INTEGER NOT NULL,
  total INTEGER NOT NULL,
  selected INTEGER NOT NULL,
  by_hand INTEGER NOT NULL DEFAULT 0,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX ux_selection_entries_user ON selection_entries(selection_id, user_id);

-- +goose Down
DROP TABLE selection_entries;
