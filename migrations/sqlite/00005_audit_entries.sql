-- +goose Up
CREATE TABLE audit_entries (
  id INTEGER PRIMARY KEY,
  at DATETIME NOT NULL,
  actor_id INTEGER NULL,
  actor_username TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL DEFAULT '',
  org_unit_id INTEGER NULL,
  before_json TEXT NULL,
  after_json TEXT NULL,
  reason TEXT NOT NULL DEFAULT '',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX ix_audit_entries_org_unit ON audit_entries(org_unit_id);
CREATE INDEX ix_audit_entries_object ON audit_entries(object_type, object_id);

-- +goose Down
DROP TABLE audit_entries;
