-- +goose Up
-- A published ranking is an immutable, numbered version of a stage's results:
-- the team and individual rankings as shown (JSON), their SHA-256, who
-- published it and why (a correction's change note), and until when its
-- contestants may appeal. Rows are only ever inserted.
CREATE TABLE ranking_publications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  stage_id INTEGER NOT NULL REFERENCES stages(id),
  version INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  snapshot_json TEXT NOT NULL,
  snapshot_sha256 TEXT NOT NULL,
  pending INTEGER NOT NULL DEFAULT 0,
  appeal_until DATETIME NULL,
  published_by INTEGER NOT NULL,
  published_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX ux_ranking_publications_version ON ranking_publications(stage_id, version);

-- +goose Down
DROP TABLE ranking_publications;
