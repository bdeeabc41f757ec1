// Package database is the one place that opens SkillArena's database: embedded
// SQLite by default, MySQL (or MariaDB, TiDB) when the URL says so. It applies
// the embedded migrations of the matching dialect.
package database

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	mysqldriver "github.com/go-sql-driver/mysql"
	"github.com/pressly/goose/v3"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"skillarena"
	"skillarena/migrations"
)

// Dialect names the kind of database behind a *gorm.DB.
type Dialect string

// The dialects SkillArena runs on.
const (
	SQLite Dialect = "sqlite"
	MySQL  Dialect = "mysql"
)

// URL is a parsed SKILLARENA_DATABASE_URL.
type URL struct {
	Dialect Dialect
	// DSN is the driver's data source: a file path for SQLite, a go-sql-driver
	// DSN for MySQL.
	DSN string
}

// ParseURL reads "sqlite:///path/file.db", "sqlite://relative/file.db",
// "sqlite://:memory:" or "mysql://user:pass@tcp(host:3306)/db?params".
func ParseURL(raw string) (URL, error) {
	switch {
	case strings.HasPrefix(raw, "sqlite://"):
		p := strings.TrimPrefix(raw, "sqlite://")
		if p == "" {
			return URL{}, fmt.Errorf("database URL %q names no file", raw)
		}
		return URL{Dialect: SQLite, DSN: p}, nil
	case strings.HasPrefix(raw, "mysql://"):
		dsn := strings.TrimPrefix(raw, "mysql://")
		cfg, err := mysqldriver.ParseDSN(dsn)
		if err != nil {
			return URL{}, fmt.Errorf("database URL: %v", err)
		}
		if cfg.DBName == "" {
			return URL{}, fmt.Errorf("database URL %q names no database", raw)
		}
		return URL{Dialect: MySQL, DSN: dsn}, nil
	default:
		return URL{}, fmt.Errorf("database URL %q must start with sqlite:// or mysql://", raw)
	}
}

// Options tune Open.
type Options struct {
	Clock  skillarena.Clock
	Logger *slog.Logger
	// MaxOpenConns bounds MySQL connections; SQLite always uses one writer.
	MaxOpenConns int
}

// Open opens the database at u, with foreign keys on and times in UTC, and
// applies every pending migration.
func Open(ctx context.Context, u URL, opt Options) (*gorm.DB, error) {
	if opt.Clock == nil {
		opt.Clock = skillarena.SystemClock{}
	}
	cfg := &gorm.Config{
		// TranslateError maps duplicate keys and foreign keys to gorm.ErrDuplicatedKey
		// and gorm.ErrForeignKeyViolated on every dialect.
		TranslateError: true,
		NowFunc:        func() time.Time { return opt.Clock.Now().Truncate(time.Microsecond) },
		Logger:         logger.Discard,
	}
	var dial gorm.Dialector
	switch u.Dialect {
	case SQLite:
		if u.DSN != ":memory:" {
			if err := os.MkdirAll(filepath.Dir(u.DSN), 0o750); err != nil {
				return nil, fmt.Errorf("create database folder: %w", err)
			}
		}
		// WAL lets readers run beside the writer; busy_timeout waits for the
		// writer's lock instead of failing; foreign keys are off by default in SQLite.
		dsn := "file:" + u.DSN + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		if u.DSN == ":memory:" {
			dsn = "file::memory:?_pragma=foreign_keys(1)&_txlock=immediate"
		}
		dial = sqlite.Open(dsn)
	case MySQL:
		mc, err := mysqldriver.ParseDSN(u.DSN)
		if err != nil {
			return nil, fmt.Errorf("database URL: %v", err)
		}
		// Times are UTC everywhere; parseTime gives time.Time for DATETIME.
		mc.ParseTime = true
		mc.Loc = time.UTC
		if mc.Params == nil {
			mc.Params = map[string]string{}
		}
		mc.Params["time_zone"] = "'+00:00'"
		mc.Collation = "utf8mb4_bin"
		// Arguments are written into the statement by the driver: one round
		// trip per query instead of prepare, execute and close. Statements
		// run often (the autosave) are prepared once by the caller.
		mc.InterpolateParams = true
		dial = mysql.Open(mc.FormatDSN())
	default:
		return nil, fmt.Errorf("unknown database dialect %q", u.Dialect)
	}
	db, err := gorm.Open(dial, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", u.Dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	switch u.Dialect {
	case SQLite:
		// One connection: SQLite has one writer, and several writers only
		// produce SQLITE_BUSY and long tails (measured in STACK.md).
		sqlDB.SetMaxOpenConns(1)
		sqlDB.SetMaxIdleConns(1)
	case MySQL:
		n := opt.MaxOpenConns
		if n <= 0 {
			n = 32
		}
		sqlDB.SetMaxOpenConns(n)
		sqlDB.SetMaxIdleConns(n)
		// Below MySQL's default wait_timeout (8 h) and any proxy's idle cut.
		sqlDB.SetConnMaxLifetime(5 * time.Minute)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("connect to %s database: %w", u.Dialect, err)
	}
	if err := Migrate(ctx, sqlDB, u.Dialect, opt.Logger); err != nil {
		sqlDB.Close()
		return nil, err
	}
	return db, nil
}

// MigrationFS returns the embedded migrations of a dialect.
func MigrationFS(d Dialect) fs.FS {
	var sub fs.FS
	var err error
	switch d {
	case MySQL:
		sub, err = fs.Sub(migrations.MySQL, "mysql")
	default:
		sub, err = fs.Sub(migrations.SQLite, "sqlite")
	}
	if err != nil {
		panic(err) // the folders are embedded at build time
	}
	return sub
}

// Migrate applies every pending migration of the dialect.
func Migrate(ctx context.Context, sqlDB *sql.DB, d Dialect, log *slog.Logger) error {
	gd := goose.DialectSQLite3
	if d == MySQL {
		gd = goose.DialectMySQL
	}
	p, err := goose.NewProvider(gd, sqlDB, MigrationFS(d))
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	if log != nil {
		for _, r := range res {
			log.Info("migration applied", "version", r.Source.Version, "file", filepath.Base(r.Source.Path), "duration_ms", r.Duration.Milliseconds())
		}
	}
	return nil
}

// DialectOf tells which dialect db speaks.
func DialectOf(db *gorm.DB) Dialect {
	if db.Dialector.Name() == "mysql" {
		return MySQL
	}
	return SQLite
}
