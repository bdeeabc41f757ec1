-- +goose Up
-- policy_versions has one row; every grant change bumps it in the same
-- transaction so each server reloads its enforcer before the next request.
CREATE TABLE policy_versions (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL
);
INSERT INTO policy_versions (id, version) VALUES (1, 0);

-- +goose Down
DROP TABLE policy_versions;
