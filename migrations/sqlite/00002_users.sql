-- +goose Up
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL,
  name TEXT NOT NULL,
  employee_no TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
  password_hash TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  session_epoch INTEGER NOT NULL DEFAULT 0,
  password_changed_at DATETIME NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX ux_users_username ON users(username);
CREATE INDEX ix_users_org_unit ON users(org_unit_id);
CREATE INDEX ix_users_employee_no ON users(employee_no);

-- +goose Down
DROP TABLE users;
