// Package migrations holds the versioned SQL schema, one folder per dialect with
// the same file names, embedded so the binary migrates its own database at start.
package migrations

import "embed"

// MySQL holds the migrations for MySQL 8 and MariaDB.
//
//go:embed mysql/*.sql
var MySQL embed.FS

// SQLite holds the migrations for the embedded SQLite database.
//
//go:embed sqlite/*.sql
var SQLite embed.FS
