// Command skillarena runs the SkillArena server and its tooling:
//
//	skillarena serve            run the server (the default)
//	skillarena migrate          apply database migrations and exit
//	skillarena admin create     create the first organiser outside demo mode
//	skillarena audit verify     check the audit trail's hash chain
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/content"
	"skillarena/database"
	"skillarena/demo"
	"skillarena/exam"
	"skillarena/frontend"
	"skillarena/org"
	"skillarena/scoring"
	"skillarena/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Environ: os.Environ()}
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "skillarena:", err)
		os.Exit(1)
	}
}

// Main is the program, with its inputs and outputs as fields so tests can run
// it in-process on port :0 with a temporary database.
type Main struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	Environ        []string
	Clock          skillarena.Clock

	// Ready, when set, receives the listening address once the server serves.
	Ready chan<- string
}

const usage = `usage: skillarena [command]

commands:
  serve                 run the server (default)
  migrate               apply database migrations and exit
  admin create          create an organiser of the top unit (the first one outside demo mode)
  audit verify          check the audit trail's hash chain; exit 1 if broken

configuration comes from SKILLARENA_* environment variables; see README.md.`

// Run parses the command line and runs the command.
func (m *Main) Run(ctx context.Context, args []string) error {
	if m.Clock == nil {
		m.Clock = skillarena.SystemClock{}
	}
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return m.serve(ctx)
	case "migrate":
		cfg, log, err := m.setup()
		if err != nil {
			return err
		}
		db, err := m.open(ctx, cfg, log)
		if err != nil {
			return err
		}
		closeDB(db)
		fmt.Fprintln(m.Stdout, "migrations applied")
		return nil
	case "admin":
		if len(args) == 0 || args[0] != "create" {
			return errors.New("usage: skillarena admin create --username NAME --name DISPLAY [--unit-code PROV --unit-name NAME]")
		}
		return m.adminCreate(ctx, args[1:])
	case "audit":
		if len(args) == 0 || args[0] != "verify" {
			return errors.New("usage: skillarena audit verify")
		}
		return m.auditVerify(ctx)
	case "help", "-h", "--help":
		fmt.Fprintln(m.Stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}

func (m *Main) setup() (Config, *slog.Logger, error) {
	cfg, err := LoadConfig(m.Environ)
	if err != nil {
		return cfg, nil, err
	}
	level, _ := parseLevel(cfg.LogLevel)
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewJSONHandler(m.Stderr, opts)
	if cfg.LogFormat == "text" {
		h = slog.NewTextHandler(m.Stderr, opts)
	}
	return cfg, slog.New(server.LogHandler{Handler: h}), nil
}

func (m *Main) open(ctx context.Context, cfg Config, log *slog.Logger) (*gorm.DB, error) {
	return database.Open(ctx, cfg.db, database.Options{Clock: m.Clock, Logger: log, MaxOpenConns: cfg.DBMaxOpenConns})
}

func closeDB(db *gorm.DB) {
	if s, err := db.DB(); err == nil {
		s.Close()
	}
}

func (m *Main) serve(ctx context.Context) error {
	cfg, log, err := m.setup()
	if err != nil {
		return err
	}
	db, err := m.open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB(db)
	// The live heap is small (tens of MB) and the exam rush is CPU-bound:
	// collect at 3× the live heap instead of 2×, unless GOGC says otherwise.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	orgs := org.NewService(db, m.Clock, org.Options{})
	contents := content.NewService(db, m.Clock, orgs.Audit())
	exams := exam.NewService(db, m.Clock, orgs.Audit(), contents)

	if err := m.firstAccounts(ctx, cfg, log, orgs, contents, exams); err != nil {
		return err
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	scfg := server.DefaultConfig()
	scfg.Session = server.SessionConfig{IdleTimeout: cfg.SessionIdle, Lifetime: cfg.SessionLifetime, Secure: cfg.CookieSecure}
	scfg.TrustedProxies = cfg.TrustedProxies
	scfg.TrustedOrigins = cfg.TrustedOrigins
	scfg.LoginRate, scfg.LoginBurst = cfg.LoginRate, cfg.LoginBurst
	srv, err := server.New(scfg, m.Clock, log, server.Deps{
		Org:      orgs,
		Content:  contents,
		Exam:     exams,
		Scoring:  scoring.NewService(db, m.Clock, orgs.Audit(), exams),
		Frontend: frontend.Dist(),
		Registry: reg,
		Ready: func(ctx context.Context) error {
			s, err := db.DB()
			if err != nil {
				return err
			}
			return s.PingContext(ctx)
		},
	})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	hs.RegisterOnShutdown(srv.StopStreams)
	jobs, cancelJobs := context.WithCancel(context.Background())
	defer cancelJobs()
	go srv.RunJanitor(jobs, 10*time.Minute)
	go srv.RunSessionRefresh(jobs, 10*time.Second)
	// The sweeper submits expired attempts even if no browser comes back;
	// it claims each attempt in the database, so every server may run it.
	go exams.RunSweeper(jobs, 5*time.Second, func(err error) { log.Error("exam sweeper", "error", err.Error()) })

	if cfg.DebugAddr != "" {
		dl, err := net.Listen("tcp", cfg.DebugAddr)
		if err != nil {
			return fmt.Errorf("listen on SKILLARENA_DEBUG_ADDR %s: %w", cfg.DebugAddr, err)
		}
		dm := http.NewServeMux()
		dm.HandleFunc("/debug/pprof/", pprof.Index)
		dm.HandleFunc("/debug/pprof/profile", pprof.Profile)
		dm.HandleFunc("/debug/pprof/trace", pprof.Trace)
		dm.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		ds := &http.Server{Handler: dm, ReadHeaderTimeout: 10 * time.Second}
		defer ds.Close()
		go func() { _ = ds.Serve(dl) }()
		log.Info("profiler", "addr", dl.Addr().String())
	}

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("serving", "addr", ln.Addr().String(), "database", string(cfg.db.Dialect), "demo", cfg.Demo)
	fmt.Fprintf(m.Stdout, "SkillArena is running at http://%s\n", ln.Addr().String())
	if m.Ready != nil {
		m.Ready <- ln.Addr().String()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Graceful shutdown: stop accepting, let requests in flight finish.
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	cancelJobs()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// firstAccounts loads the demo in demo mode, or creates the first organiser
// from SKILLARENA_ADMIN_PASSWORD, when the database has no users yet.
func (m *Main) firstAccounts(ctx context.Context, cfg Config, log *slog.Logger, orgs *org.Service, contents *content.Service, exams *exam.Service) error {
	n, err := orgs.CountUsers(ctx)
	if err != nil {
		return err
	}
	switch {
	case cfg.Demo && n == 0:
		accounts, err := demo.Load(ctx, m.Clock, orgs, contents, exams)
		if err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
		if err := demo.LoadCompetition(ctx, m.Clock, orgs); err != nil {
			return fmt.Errorf("load the demo competition: %w", err)
		}
		log.Info("demo data loaded", "accounts", len(accounts))
		m.printDemoAccounts(accounts)
	case cfg.Demo:
		log.Info("demo mode: database already has data; not loading the demo again")
		fmt.Fprintf(m.Stdout, "Demo accounts (password %s): admin, region1-2, county1-6, author1-2, proctor1, judge1-5, eng001-eng060\n", demo.Password)
	case n == 0 && cfg.AdminPassword != "":
		if _, err := createAdmin(ctx, orgs, cfg.AdminUsername, "管理员", "PROV", "省公司", cfg.AdminPassword); err != nil {
			return fmt.Errorf("create first organiser from SKILLARENA_ADMIN_PASSWORD: %w", err)
		}
		log.Info("first organiser created", "username", cfg.AdminUsername)
	case n == 0:
		log.Warn("no users yet: create the first organiser with `skillarena admin create` or SKILLARENA_ADMIN_PASSWORD")
	}
	return nil
}

func (m *Main) printDemoAccounts(accounts []demo.Account) {
	fmt.Fprintf(m.Stdout, "Demo accounts, all with the password %s:\n", demo.Password)
	for _, a := range accounts {
		if strings.HasPrefix(a.Username, "eng") && a.Username != "eng001" && a.Username != "eng060" {
			continue
		}
		fmt.Fprintf(m.Stdout, "  %-10s %s\n", a.Username, a.Role)
		if a.Username == "eng001" {
			fmt.Fprintln(m.Stdout, "  …          (eng002–eng059: contestants, ten per county)")
		}
	}
}

// createAdmin makes the top unit if there is none and an organiser of it.
func createAdmin(ctx context.Context, orgs *org.Service, username, name, unitCode, unitName, password string) (org.User, error) {
	ctx = skillarena.WithActor(ctx, skillarena.Actor{Username: "admin-create"})
	units, err := orgs.ListUnits(ctx, org.Everything)
	if err != nil {
		return org.User{}, err
	}
	var top org.Unit
	for _, u := range units {
		if u.ParentID == nil {
			top = u.Unit
			break
		}
	}
	if top.ID == 0 {
		if top, err = orgs.CreateUnit(ctx, nil, org.UnitInput{Name: unitName, Code: unitCode}); err != nil {
			return org.User{}, err
		}
	}
	u, err := orgs.CreateUser(ctx, nil, org.UserInput{Username: username, Name: name, OrgUnitID: top.ID, Password: password})
	if err != nil {
		return org.User{}, err
	}
	if _, err := orgs.CreateGrant(ctx, nil, org.GrantInput{UserID: u.ID, Role: org.RoleOrganiser, OrgUnitID: top.ID}); err != nil {
		return org.User{}, err
	}
	return u, nil
}

func (m *Main) adminCreate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	username := fs.String("username", "admin", "username of the organiser")
	name := fs.String("name", "管理员", "display name")
	unitCode := fs.String("unit-code", "PROV", "code of the top unit, if it must be created")
	unitName := fs.String("unit-name", "省公司", "name of the top unit, if it must be created")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, log, err := m.setup()
	if err != nil {
		return err
	}
	password := cfg.AdminPassword
	if password == "" {
		fmt.Fprint(m.Stderr, "password (8+ characters with a letter and a digit): ")
		line, err := bufio.NewReader(m.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return errors.New("no password given: type it, pipe it on stdin, or set SKILLARENA_ADMIN_PASSWORD(_FILE)")
		}
		password = strings.TrimRight(line, "\r\n")
	}
	if msg := org.ValidatePassword(password); msg != "" {
		return errors.New("the password needs at least 8 characters with a letter and a digit")
	}
	db, err := m.open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB(db)
	orgs := org.NewService(db, m.Clock, org.Options{})
	u, err := createAdmin(ctx, orgs, *username, *name, *unitCode, *unitName, password)
	if err != nil {
		var e *skillarena.Error
		if errors.As(err, &e) {
			return fmt.Errorf("admin create: %s %v", e.Message, e.Fields)
		}
		return err
	}
	fmt.Fprintf(m.Stdout, "organiser %q created (id %d)\n", u.Username, u.ID)
	return nil
}

func (m *Main) auditVerify(ctx context.Context) error {
	cfg, log, err := m.setup()
	if err != nil {
		return err
	}
	db, err := m.open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB(db)
	v, err := org.NewService(db, m.Clock, org.Options{}).VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if v.OK {
		fmt.Fprintf(m.Stdout, "audit trail OK: %d entries checked\n", v.Checked)
		return nil
	}
	problems := map[string]string{
		"audit.problem.missing":   "an entry is missing (deleted)",
		"audit.problem.link":      "its previous-hash link does not match the entry before it",
		"audit.problem.hash":      "its content does not match its hash (changed)",
		"audit.problem.truncated": "the newest entries were removed",
	}
	return fmt.Errorf("audit trail BROKEN at entry %d: %s (%d entries checked)", v.FirstBrokenID, problems[v.Problem], v.Checked)
}
