-- +goose Up
-- audit_heads has one row: the last sequence number and hash of the chain.
-- Appenders update it first, which serialises them across servers.
CREATE TABLE audit_heads (
  id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_heads (id, seq, hash) VALUES (1, 0, '');

-- +goose Down
DROP TABLE audit_heads;
