package database_test

import (
	"io/fs"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/content"
	"skillarena/database"
	"skillarena/database/dbtest"
	"skillarena/exam"
	"skillarena/org"
	"skillarena/scoring"
	"skillarena/server"
)

func migrationNames(t *testing.T, d database.Dialect) []string {
	names, err := fs.Glob(database.MigrationFS(d), "*.sql")
	require.NoError(t, err)
	sort.Strings(names)
	return names
}

// Every schema change exists for both dialects under the same file name, so
// a database never depends on which engine it started on.
func TestMigrations_BothDialectsHaveTheSameFiles(t *testing.T) {
	sqlite, mysql := migrationNames(t, database.SQLite), migrationNames(t, database.MySQL)
	require.NotEmpty(t, sqlite)
	assert.Equal(t, sqlite, mysql)
}

// Every column a GORM model maps exists in the migrated schema, on each
// dialect: AutoMigrate never runs in production, so a missing column would
// only show at run time.
func TestMigrations_SchemaHasEveryMappedColumn(t *testing.T) {
	models := append(append(append(append(org.Models(), server.Models()...), content.Models()...), exam.Models()...), scoring.Models()...)
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, _ *skillarena.FixedClock) {
		for _, m := range models {
			stmt := &gorm.Statement{DB: db}
			require.NoError(t, stmt.Parse(m))
			table := stmt.Schema.Table
			require.True(t, db.Migrator().HasTable(table), "table %s missing", table)
			cols, err := db.Migrator().ColumnTypes(table)
			require.NoError(t, err)
			have := map[string]bool{}
			for _, c := range cols {
				have[c.Name()] = true
			}
			for _, f := range stmt.Schema.DBNames {
				assert.True(t, have[f], "table %s has no column %s (mapped by %T)", table, f, m)
			}
		}
	})
}

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		in      string
		dialect database.Dialect
		ok      bool
	}{
		{"sqlite://./data/skillarena.db", database.SQLite, true},
		{"sqlite:///var/lib/skillarena/db.sqlite", database.SQLite, true},
		{"mysql://root:pw@tcp(127.0.0.1:3306)/skillarena", database.MySQL, true},
		{"mysql://root@tcp(127.0.0.1:3306)/", "", false},
		{"postgres://x", "", false},
		{"sqlite://", "", false},
	} {
		u, err := database.ParseURL(tc.in)
		if !tc.ok {
			assert.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.dialect, u.Dialect, tc.in)
	}
}
