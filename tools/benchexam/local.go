package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"
)

// serverProcess is the SkillArena binary running on a port and a database,
// in demo mode, trusting 127.0.0.1 as a proxy (each simulated contestant
// sends its own X-Forwarded-For).
type serverProcess struct {
	bin  string
	addr string
	env  []string
	cmd  *exec.Cmd
	log  *lockedBuffer
	done chan struct{}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.b.String()
	return s[max(0, len(s)-n):]
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func newServerProcess(bin, dbURL string, extraEnv ...string) (*serverProcess, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	s := &serverProcess{bin: bin, addr: addr, log: &lockedBuffer{}}
	s.env = append(os.Environ(), "SKILLARENA_ADDR="+addr, "SKILLARENA_DATABASE_URL="+dbURL, "SKILLARENA_DEMO=1",
		"SKILLARENA_TRUSTED_PROXIES=127.0.0.1", "SKILLARENA_LOG_LEVEL=warn", "SKILLARENA_LOG_FORMAT=text")
	s.env = append(s.env, extraEnv...)
	return s, nil
}

func (s *serverProcess) url() string { return "http://" + s.addr }

func (s *serverProcess) pid() int { return s.cmd.Process.Pid }

// start runs the binary and waits until /healthz answers.
func (s *serverProcess) start() error {
	s.cmd = exec.Command(s.bin, "serve")
	s.cmd.Env = s.env
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		return err
	}
	s.done = make(chan struct{})
	go func() { s.cmd.Wait(); close(s.done) }()
	for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		select {
		case <-s.done:
			return fmt.Errorf("server exited at start:\n%s", s.log.tail(4000))
		default:
		}
		if r, err := http.Get(s.url() + "/healthz"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	s.kill()
	return fmt.Errorf("server did not come up on %s:\n%s", s.addr, s.log.tail(4000))
}

func (s *serverProcess) running() bool {
	if s.done == nil {
		return false
	}
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

// kill sends SIGKILL: no shutdown, nothing flushed by the process.
func (s *serverProcess) kill() {
	if s.running() {
		s.cmd.Process.Signal(syscall.SIGKILL)
		<-s.done
	}
}

// stop asks for a graceful shutdown, then kills after a while.
func (s *serverProcess) stop() {
	if !s.running() {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.kill()
	}
}

// LocalOptions configure `benchexam local`.
type LocalOptions struct {
	Bin string
	// DB is "sqlite" (a fresh file in a temporary folder) or a MySQL DSN
	// (user@tcp(host:port)/anything) on whose server a fresh database is
	// created and, unless Keep, dropped at the end.
	DB       string
	N        int
	HashCost string
	Keep     bool
	Run      RunOptions
}

// local starts the server binary on a fresh database, prepares the exam,
// runs every phase against it and stops it: what `make bench-exam` does.
func local(ctx context.Context, o LocalOptions, out io.Writer) (*Report, error) {
	dir, err := os.MkdirTemp("", "benchexam")
	if err != nil {
		return nil, err
	}
	if !o.Keep {
		defer os.RemoveAll(dir)
	}
	dbURL := "sqlite://" + filepath.Join(dir, "bench.db")
	if o.DB != "sqlite" {
		url, drop, err := freshMySQL(ctx, strings.TrimPrefix(o.DB, "mysql://"))
		if err != nil {
			return nil, err
		}
		if !o.Keep {
			defer drop()
		}
		dbURL = url
	}
	fmt.Fprintf(out, "database: %s\n", dbURL)
	srv, err := newServerProcess(o.Bin, dbURL)
	if err != nil {
		return nil, err
	}
	t := time.Now()
	if err := srv.start(); err != nil {
		return nil, err
	}
	defer srv.stop()
	fmt.Fprintf(out, "server: %s %s, pid %d, up with the demo loaded in %s\n", o.Bin, srv.url(), srv.pid(), time.Since(t).Round(time.Millisecond))
	t = time.Now()
	st, err := Setup(ctx, SetupOptions{DB: dbURL, N: o.N, Prefix: "bench", HashCost: o.HashCost, Log: out})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "setup: %s\n", time.Since(t).Round(time.Millisecond))
	ro := o.Run
	ro.URL, ro.DB, ro.State, ro.PID, ro.Log = srv.url(), dbURL, st, srv.pid(), out
	rep, err := Run(ctx, ro)
	if err != nil && !srv.running() {
		err = fmt.Errorf("%w (the server exited:\n%s)", err, srv.log.tail(4000))
	}
	return rep, err
}

// freshMySQL creates an empty database on the server dsn points at and
// returns its URL and a function that drops it.
func freshMySQL(ctx context.Context, dsn string) (string, func(), error) {
	cfg, err := mysqldriver.ParseDSN(dsn)
	if err != nil {
		return "", nil, fmt.Errorf("MySQL DSN: %w", err)
	}
	cfg.DBName = ""
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("skillarena_bench_%d", time.Now().Unix())
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("create the bench database: %w", err)
	}
	cfg.DBName = name
	drop := func() {
		db.Exec("DROP DATABASE IF EXISTS " + name)
		db.Close()
	}
	return "mysql://" + cfg.FormatDSN(), drop, nil
}
