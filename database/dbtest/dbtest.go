// Package dbtest gives tests real, freshly migrated databases: a SQLite file
// always, and a MySQL database created for the test (and dropped after it) when
// SKILLARENA_TEST_MYSQL_DSN is set. Under CI=true a missing MySQL fails the test
// instead of skipping it.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/database"
)

// Clock is the fixed time every test database starts at.
var Clock = time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)

// SQLite returns a migrated SQLite database in a temporary file.
func SQLite(t testing.TB, clock skillarena.Clock) *gorm.DB {
	t.Helper()
	if clock == nil {
		clock = skillarena.NewFixedClock(Clock)
	}
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := database.Open(context.Background(), database.URL{Dialect: database.SQLite, DSN: path}, database.Options{Clock: clock})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() {
		if s, err := db.DB(); err == nil {
			s.Close()
		}
	})
	return db
}

// MySQLDSN returns the server DSN for MySQL tests, or "" when they do not run.
// Under CI=true a missing DSN fails t.
func MySQLDSN(t testing.TB) string {
	dsn := os.Getenv("SKILLARENA_TEST_MYSQL_DSN")
	if dsn == "" && os.Getenv("CI") == "true" {
		t.Fatalf("CI=true but SKILLARENA_TEST_MYSQL_DSN is not set: the MySQL suite is required in CI")
	}
	return dsn
}

// MySQL returns a migrated database created on the MySQL server of
// SKILLARENA_TEST_MYSQL_DSN for this test and dropped when it ends; it skips
// the test when the variable is unset outside CI.
func MySQL(t testing.TB, clock skillarena.Clock) *gorm.DB {
	t.Helper()
	dsn := MySQLDSN(t)
	if dsn == "" {
		t.Skip("SKILLARENA_TEST_MYSQL_DSN not set")
	}
	if clock == nil {
		clock = skillarena.NewFixedClock(Clock)
	}
	cfg, err := mysqldriver.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("SKILLARENA_TEST_MYSQL_DSN: %v", err)
	}
	var b [6]byte
	rand.Read(b[:])
	name := "sa_test_" + hex.EncodeToString(b[:])
	cfg.DBName = ""
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatalf("open mysql: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("mysql", cfg.FormatDSN())
		if err == nil {
			a.Exec("DROP DATABASE IF EXISTS " + name)
			a.Close()
		}
	})
	cfg.DBName = name
	db, err := database.Open(context.Background(), database.URL{Dialect: database.MySQL, DSN: cfg.FormatDSN()}, database.Options{Clock: clock, MaxOpenConns: 8})
	if err != nil {
		t.Fatalf("open mysql database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if s, err := db.DB(); err == nil {
			s.Close()
		}
	})
	return db
}

// Each runs f as a subtest on SQLite, and on MySQL when it is configured.
func Each(t *testing.T, f func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock)) {
	t.Run("sqlite", func(t *testing.T) {
		c := skillarena.NewFixedClock(Clock)
		f(t, SQLite(t, c), c)
	})
	t.Run("mysql", func(t *testing.T) {
		c := skillarena.NewFixedClock(Clock)
		f(t, MySQL(t, c), c)
	})
}
