-- +goose Up
-- A published ranking is an immutable, numbered version of a stage's results:
-- the team and individual rankings as shown (JSON), their SHA-256, who
-- published it and why (a correction's change note), and until when its
-- contestants may appeal. Rows are only ever inserted.
CREATE TABLE ranking_publications (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  stage_id BIGINT NOT NULL,
  version INT NOT NULL,
  note VARCHAR(1000) NOT NULL DEFAULT '',
  snapshot_json LONGTEXT NOT NULL,
  snapshot_sha256 CHAR(64) NOT NULL,
  pending INT NOT NULL DEFAULT 0,
  appeal_until DATETIME(6) NULL,
  published_by BIGINT NOT NULL,
  published_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_ranking_publications_version (stage_id, version),
  CONSTRAINT fk_ranking_publications_stage FOREIGN KEY (stage_id) REFERENCES stages(id)
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE ranking_publications;
