package main

// Fault tests (issue 4, "Faults"): the real server binary, killed with
// SIGKILL in the middle of a run, and a private MariaDB killed and restarted
// under the server. Each checks every acknowledged save against the
// database afterwards.

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	binDir    string
	buildOnce sync.Once
	buildErr  error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "benchexam-bin")
	if err != nil {
		panic(err)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// binaries builds cmd/skillarena (as `make build` does) and this tool once
// per test run, without the race detector: the server is what is under
// test, and the setup through the domain services runs ten times faster
// outside -race. SKILLARENA_BIN names a server binary to use instead.
func binaries(t *testing.T) (server, tool string) {
	t.Helper()
	buildOnce.Do(func() {
		cmd := exec.Command("go", "build", "-o", binDir+"/", "./cmd/skillarena", "./tools/benchexam")
		cmd.Dir = "../.."
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/skillarena ./tools/benchexam: %v\n%s", err, out)
		}
		t.Logf("built the server and the load generator in %s", time.Since(start).Round(time.Millisecond))
	})
	require.NoError(t, buildErr)
	server = filepath.Join(binDir, "skillarena")
	if p := os.Getenv("SKILLARENA_BIN"); p != "" {
		server = p
	}
	return server, filepath.Join(binDir, "benchexam")
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// testServer is the server binary on dbURL, killed when the test ends.
type testServer struct {
	*serverProcess
	t *testing.T
}

func startServer(t *testing.T, dbURL string) *testServer {
	t.Helper()
	bin, _ := binaries(t)
	p, err := newServerProcess(bin, dbURL)
	require.NoError(t, err)
	s := &testServer{serverProcess: p, t: t}
	s.start()
	t.Cleanup(func() {
		s.kill()
		if t.Failed() {
			t.Logf("server log (tail):\n%s", s.log.tail(4000))
		}
	})
	return s
}

func (s *testServer) start() {
	s.t.Helper()
	require.NoError(s.t, s.serverProcess.start())
}

// stopwatch logs how long each step of a test took.
func stopwatch(t *testing.T) func(step string) {
	last := time.Now()
	return func(step string) {
		t.Logf("%s: %s", step, time.Since(last).Round(time.Millisecond))
		last = time.Now()
	}
}

// setupRun prepares an exam for n contestants with `benchexam setup`.
func setupRun(t *testing.T, dbURL string, n int) State {
	t.Helper()
	_, tool := binaries(t)
	path := filepath.Join(t.TempDir(), "state.json")
	out, err := exec.Command(tool, "setup", "-db", dbURL, "-n", strconv.Itoa(n), "-prefix", fmt.Sprintf("f%d", time.Now().UnixNano()%1e9), "-out", path).CombinedOutput()
	require.NoError(t, err, "%s", out)
	st, err := readState(path)
	require.NoError(t, err)
	return st
}

// startFleet signs n contestants in and starts their attempts.
func startFleet(t *testing.T, base string, st State) *fleet {
	t.Helper()
	ctx := context.Background()
	f, err := newFleet(base, st, 10*time.Second, nil)
	require.NoError(t, err)
	require.NoError(t, f.loginAll(ctx, 16))
	f.startRest(ctx, 32, "start")
	require.Len(t, f.started(), st.N, "every contestant holds an attempt: %v", f.rec.summary("start").Examples)
	require.Zero(t, f.protocol.Load(), f.firstBad.Load())
	return f
}

// Killing the server with SIGKILL mid-run loses nothing it acknowledged, and
// after a restart every attempt continues on the deadline stored when it
// started: a restart never resets a countdown.
func TestServerKilled_AcknowledgedSavesSurviveAndAttemptsResumeOnServerTime(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server binary")
	}
	dbURL := "sqlite://" + filepath.Join(t.TempDir(), "kill9.db")
	lap := stopwatch(t)
	srv := startServer(t, dbURL)
	lap("server up with the demo")
	st := setupRun(t, dbURL, 200)
	lap("setup")
	f := startFleet(t, srv.url(), st)
	lap("sign-in and start")
	deadlines := map[int64]time.Time{}
	for _, c := range f.started() {
		deadlines[c.attemptID] = c.deadline
	}

	load := SaveLoad{Label: "save", Interval: 200 * time.Millisecond, Jitter: 0.3, Duration: 5 * time.Second, Retry: true, Drain: 20 * time.Second}
	done := make(chan struct{})
	go func() { defer close(done); f.steady(context.Background(), load) }()
	time.Sleep(2 * time.Second)
	before := f.rec.summary("save").Statuses[200]
	srv.kill()
	killedAt := time.Now()
	time.Sleep(500 * time.Millisecond)
	srv.start()
	t.Logf("server down for %s", time.Since(killedAt).Round(time.Millisecond))
	<-done
	lap("saves, kill and restart")

	first, retry := f.rec.summary("save"), f.rec.summary("save (retry)")
	t.Logf("saves: %s; retries: %s", first.statusText(), retry.statusText())
	require.Positive(t, before, "saves were acknowledged before the kill")
	assert.Positive(t, first.Transport+retry.Transport, "some saves were cut off by the kill")
	assert.Greater(t, first.Statuses[200], before, "saves were acknowledged after the restart")
	assert.Zero(t, f.protocol.Load(), f.firstBad.Load())

	db, _, err := openDB(context.Background(), dbURL, 1)
	require.NoError(t, err)
	defer closeDB(db)
	v, err := f.verify(context.Background(), db)
	require.NoError(t, err)
	t.Logf("verification: %+v", v)
	assert.Zero(t, v.Lost, "every acknowledged save is stored: %v", v.Examples)
	assert.Zero(t, v.OutOfOrder, v.Examples)
	assert.Positive(t, v.Acknowledged)
	lap("verify")

	// Every attempt resumes: same attempt, same deadline, time left counted
	// from the stored deadline on the server's clock.
	ctx := context.Background()
	for _, c := range f.started() {
		a, r := c.get(ctx)
		require.Equal(t, http.StatusOK, r.status, "%s", r)
		assert.Equal(t, "in_progress", a.Status)
		assert.True(t, a.Deadline.Equal(deadlines[c.attemptID]), "deadline %s after the restart, %s before", a.Deadline, deadlines[c.attemptID])
		want := a.Deadline.Sub(a.ServerTime).Seconds()
		assert.InDelta(t, want, float64(a.RemainingSeconds), 1.5, "remaining_seconds counts down to the stored deadline")
		again := c.start(ctx, st.ExamID)
		assert.Equal(t, http.StatusOK, again.status, "starting again resumes the attempt: %s", again)
	}
}

// privateMariaDB is a MariaDB server of the test's own, in a temporary data
// directory on its own port and socket, so it can be killed without
// touching the machine's shared one.
type privateMariaDB struct {
	t       *testing.T
	bin     string
	dir     string
	port    int
	cmd     *exec.Cmd
	stopped bool
}

func mariadbBinaries() (server, install string) {
	for _, p := range []string{"mariadbd", "/usr/sbin/mariadbd", "/usr/sbin/mysqld"} {
		if path, err := exec.LookPath(p); err == nil {
			server = path
			break
		}
	}
	for _, p := range []string{"mariadb-install-db", "mysql_install_db"} {
		if path, err := exec.LookPath(p); err == nil {
			install = path
			break
		}
	}
	return server, install
}

func startPrivateMariaDB(t *testing.T) *privateMariaDB {
	t.Helper()
	server, install := mariadbBinaries()
	if server == "" || install == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but mariadbd or mariadb-install-db is missing: the MariaDB fault test is required in CI")
		}
		t.Skip("mariadbd not installed (apt-get install mariadb-server)")
	}
	m := &privateMariaDB{t: t, bin: server, dir: t.TempDir(), port: freePort(t)}
	args := []string{"--no-defaults", "--datadir=" + filepath.Join(m.dir, "data"), "--auth-root-authentication-method=normal", "--skip-test-db"}
	if os.Geteuid() == 0 {
		args = append(args, "--user=root")
	}
	if out, err := exec.Command(install, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", install, err, out)
	}
	m.start()
	t.Cleanup(m.kill)
	db, err := sql.Open("mysql", fmt.Sprintf("root@tcp(127.0.0.1:%d)/", m.port))
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec("CREATE DATABASE skillarena CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
	require.NoError(t, err)
	return m
}

func (m *privateMariaDB) url() string {
	return fmt.Sprintf("mysql://root@tcp(127.0.0.1:%d)/skillarena", m.port)
}

func (m *privateMariaDB) start() {
	m.t.Helper()
	args := []string{"--no-defaults", "--datadir=" + filepath.Join(m.dir, "data"), fmt.Sprintf("--port=%d", m.port),
		"--bind-address=127.0.0.1", "--socket=" + filepath.Join(m.dir, "mysqld.sock"), "--pid-file=" + filepath.Join(m.dir, "mysqld.pid"),
		"--log-error=" + filepath.Join(m.dir, "error.log"), "--skip-grant-tables", "--skip-log-bin",
		"--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=1", "--max-connections=300"}
	if os.Geteuid() == 0 {
		args = append(args, "--user=root")
	}
	m.cmd = exec.Command(m.bin, args...)
	require.NoError(m.t, m.cmd.Start())
	m.stopped = false
	db, err := sql.Open("mysql", fmt.Sprintf("root@tcp(127.0.0.1:%d)/", m.port))
	require.NoError(m.t, err)
	defer db.Close()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if db.Ping() == nil {
			return
		}
	}
	log, _ := os.ReadFile(filepath.Join(m.dir, "error.log"))
	m.t.Fatalf("private mariadbd did not come up on port %d:\n%s", m.port, log)
}

// kill stops the private server with SIGKILL: no clean shutdown, so what
// survives is what InnoDB made durable at commit.
func (m *privateMariaDB) kill() {
	if m.cmd != nil && m.cmd.Process != nil && !m.stopped {
		m.cmd.Process.Signal(syscall.SIGKILL)
		m.cmd.Wait()
		m.stopped = true
	}
}

// With MariaDB killed and restarted under 50 contestants, the server answers
// 503 while it cannot reach the database, the clients retry, and no save it
// acknowledged is lost.
func TestMariaDBRestarted_ClientsGet503AndRetryAndNoAcknowledgedSaveIsLost(t *testing.T) {
	if testing.Short() {
		t.Skip("starts mariadbd and the server binary")
	}
	lap := stopwatch(t)
	m := startPrivateMariaDB(t)
	lap("private MariaDB up")
	srv := startServer(t, m.url())
	lap("server up with the demo")
	st := setupRun(t, m.url(), 50)
	lap("setup")
	f := startFleet(t, srv.url(), st)
	lap("sign-in and start")

	load := SaveLoad{Label: "save", Interval: 100 * time.Millisecond, Jitter: 0.3, Duration: 6 * time.Second, Retry: true, Drain: 30 * time.Second}
	done := make(chan struct{})
	go func() { defer close(done); f.steady(context.Background(), load) }()
	time.Sleep(1500 * time.Millisecond)
	before := f.rec.summary("save").Statuses[200]
	m.kill()
	time.Sleep(2 * time.Second)
	m.start()
	<-done
	lap("saves, kill and restart")

	first, retry := f.rec.summary("save"), f.rec.summary("save (retry)")
	t.Logf("saves: %s; retries: %s", first.statusText(), retry.statusText())
	require.Positive(t, before, "saves were acknowledged before MariaDB went down")
	assert.Greater(t, first.Statuses[200], before, "saves were acknowledged after it came back")
	assert.Zero(t, f.protocol.Load(), f.firstBad.Load())

	// While the database was down the server said so with 503 (and the
	// clients retried); never a 500, which tells a client nothing.
	refused := map[string]string{}
	for _, s := range []Summary{first, retry} {
		for code, body := range s.Examples {
			refused[code] = body
		}
	}
	unavailable := false
	for code, body := range refused {
		if strings.HasPrefix(code, "409 stale_write") {
			continue // a retry of a save whose first try was stored
		}
		unavailable = true
		assert.True(t, strings.HasPrefix(code, "503"), "while MariaDB was down a save was answered %s: %s", code, body)
	}
	assert.True(t, unavailable, "the outage was seen by the clients as 503: %v", refused)

	db, _, err := openDB(context.Background(), m.url(), 4)
	require.NoError(t, err)
	defer closeDB(db)
	v, err := f.verify(context.Background(), db)
	require.NoError(t, err)
	t.Logf("verification: %+v", v)
	assert.Zero(t, v.Lost, "every acknowledged save is stored: %v", v.Examples)
	assert.Zero(t, v.OutOfOrder, v.Examples)
	assert.Positive(t, v.Acknowledged)
}
