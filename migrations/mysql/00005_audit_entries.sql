-- +goose Up
CREATE TABLE audit_entries (
  id BIGINT NOT NULL PRIMARY KEY,
  at DATETIME(6) NOT NULL,
  actor_id BIGINT NULL,
  actor_username VARCHAR(64) NOT NULL DEFAULT '',
  ip VARCHAR(64) NOT NULL DEFAULT '',
  action VARCHAR(64) NOT NULL,
  object_type VARCHAR(64) NOT NULL,
  object_id VARCHAR(64) NOT NULL DEFAULT '',
  org_unit_id BIGINT NULL,
  before_json MEDIUMTEXT NULL,
  after_json MEDIUMTEXT NULL,
  reason TEXT NOT NULL,
  prev_hash CHAR(64) NOT NULL,
  hash CHAR(64) NOT NULL,
  KEY ix_audit_entries_org_unit (org_unit_id),
  KEY ix_audit_entries_object (object_type, object_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE audit_entries;
