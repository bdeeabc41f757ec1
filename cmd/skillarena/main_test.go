package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	_ "github.com/glebarez/go-sqlite"
)

func TestConfig_DefaultsAreValid(t *testing.T) {
	cfg, err := LoadConfig(nil)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:8080", cfg.Addr)
	assert.Equal(t, "sqlite://./data/skillarena.db", cfg.DatabaseURL)
	assert.False(t, cfg.Demo)
}

func TestConfig_BadValuesAreNamed(t *testing.T) {
	_, err := LoadConfig([]string{
		"SKILLARENA_ADDR=nonsense",
		"SKILLARENA_DATABASE_URL=postgres://x",
		"SKILLARENA_LOG_LEVEL=loud",
		"SKILLARENA_SESSION_IDLE_TIMEOUT=24h",
		"SKILLARENA_SESSION_LIFETIME=1h",
		"SKILLARENA_TRUSTED_ORIGINS=not a url",
		"SKILLARENA_ADMIN_PASSWORD=short",
		"SKILLARENA_DEBUG_ADDR=0.0.0.0:6060",
	})
	require.Error(t, err)
	for _, name := range []string{"SKILLARENA_ADDR", "SKILLARENA_DATABASE_URL", "SKILLARENA_LOG_LEVEL",
		"SKILLARENA_SESSION_IDLE_TIMEOUT", "SKILLARENA_TRUSTED_ORIGINS", "SKILLARENA_ADMIN_PASSWORD", "SKILLARENA_DEBUG_ADDR"} {
		assert.Contains(t, err.Error(), name)
	}
	_, err = LoadConfig([]string{"SKILLARENA_DEMO=maybe"})
	assert.ErrorContains(t, err, "DEMO")
}

func TestConfig_SecretsFromFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "pw")
	require.NoError(t, os.WriteFile(p, []byte("Secret123\n"), 0o600))
	cfg, err := LoadConfig([]string{"SKILLARENA_ADMIN_PASSWORD_FILE=" + p})
	require.NoError(t, err)
	assert.Equal(t, "Secret123", cfg.AdminPassword)
	_, err = LoadConfig([]string{"SKILLARENA_ADMIN_PASSWORD_FILE=" + p, "SKILLARENA_ADMIN_PASSWORD=x"})
	assert.ErrorContains(t, err, "not both")
	_, err = LoadConfig([]string{"SKILLARENA_DATABASE_URL_FILE=" + filepath.Join(dir, "missing")})
	assert.ErrorContains(t, err, "SKILLARENA_DATABASE_URL_FILE")
}

// serveInBackground starts `skillarena serve` in-process on a free port.
func serveInBackground(t *testing.T, env []string) (addr string, stdout *bytes.Buffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	stdout = &bytes.Buffer{}
	m := &Main{Stdout: stdout, Stderr: &bytes.Buffer{}, Environ: append(env, "SKILLARENA_ADDR=127.0.0.1:0"), Ready: ready}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"serve"}) }()
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve exited: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start")
	}
	return addr, stdout, func() error { cancel(); return <-done }
}

func TestServe_DemoModeLoadsTheDemoAndShutsDownGracefully(t *testing.T) {
	dbURL := "sqlite://" + filepath.Join(t.TempDir(), "demo.db")
	addr, stdout, stop := serveInBackground(t, []string{"SKILLARENA_DEMO=1", "SKILLARENA_DATABASE_URL=" + dbURL})
	res, err := http.Get("http://" + addr + "/healthz")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)

	body := strings.NewReader(`{"username":"county1","password":"demo12345"}`)
	res, err = http.Post("http://"+addr+"/api/v1/auth/login", "application/json", body)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.NewDecoder(res.Body).Decode(&out))
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode, "%v", out)

	// The browser app is served for unknown non-API paths.
	res, err = http.Get("http://" + addr + "/users")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, res.Header.Get("Content-Type"), "text/html")

	require.NoError(t, stop())
	assert.Contains(t, stdout.String(), "demo12345")
	assert.Contains(t, stdout.String(), "county1")
}

// The demo holds exactly the org tree and accounts of API.md.
func TestDemo_HoldsExactlyTheAccountsOfTheAPI(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	_, _, stop := serveInBackground(t, []string{"SKILLARENA_DEMO=1", "SKILLARENA_DATABASE_URL=sqlite://" + path})
	require.NoError(t, stop())
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer db.Close()
	var n int
	require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM users").Scan(&n))
	assert.Equal(t, 3+6+2+1+5+60, n)
	require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM org_units").Scan(&n))
	assert.Equal(t, 9, n)
	var unit string
	require.NoError(t, db.QueryRow("SELECT o.code FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.username = 'eng060'").Scan(&unit))
	assert.Equal(t, "C6", unit)
	require.NoError(t, db.QueryRow("SELECT o.code FROM grants g JOIN users u ON u.id = g.user_id JOIN org_units o ON o.id = g.org_unit_id WHERE u.username = 'region2' AND g.role = 'organiser'").Scan(&unit))
	assert.Equal(t, "R2", unit)
}

func TestAdminCreate_MakesTheFirstOrganiser(t *testing.T) {
	dbURL := "sqlite://" + filepath.Join(t.TempDir(), "prod.db")
	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &bytes.Buffer{}, Stdin: strings.NewReader("Chief2026pw\n"), Environ: []string{"SKILLARENA_DATABASE_URL=" + dbURL}}
	require.NoError(t, m.Run(context.Background(), []string{"admin", "create", "--username", "chief", "--name", "总管"}))
	assert.Contains(t, out.String(), `"chief" created`)

	addr, _, stop := serveInBackground(t, []string{"SKILLARENA_DATABASE_URL=" + dbURL})
	defer stop()
	res, err := http.Post("http://"+addr+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"chief","password":"Chief2026pw"}`))
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
	res, err = http.Post("http://"+addr+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"admin","password":"demo12345"}`))
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode, "outside demo mode there is no default account")

	m.Stdin = strings.NewReader("short\n")
	assert.Error(t, m.Run(context.Background(), []string{"admin", "create", "--username", "weak"}))
}

func TestAuditVerify_CommandNamesTheFirstBrokenEntry(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	env := []string{"SKILLARENA_DEMO=1", "SKILLARENA_DATABASE_URL=sqlite://" + path}
	_, _, stop := serveInBackground(t, env)
	require.NoError(t, stop())

	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &bytes.Buffer{}, Environ: env}
	require.NoError(t, m.Run(context.Background(), []string{"audit", "verify"}))
	assert.Contains(t, out.String(), "audit trail OK")

	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	_, err = db.Exec("UPDATE audit_entries SET reason = 'tampered' WHERE id = 12")
	require.NoError(t, err)
	db.Close()
	err = m.Run(context.Background(), []string{"audit", "verify"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "entry 12")
}

func TestUnknownCommand(t *testing.T) {
	m := &Main{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}
	assert.ErrorContains(t, m.Run(context.Background(), []string{"frobnicate"}), "unknown command")
}
