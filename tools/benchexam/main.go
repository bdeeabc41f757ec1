// Command benchexam is SkillArena's exam load generator (issue 4,
// "Performance"). It runs against a running server and its database:
//
//	benchexam setup -db URL -n 10000 -out state.json
//	    N contestants, an exam drawn from the demo province bank, everyone
//	    enrolled, papers drawn ahead (through the domain services).
//	benchexam run -url http://127.0.0.1:8080 -state state.json
//	    sign everyone in (warm-up), 1,000 starts within one second, the rest
//	    started, N contestants saving every 5 s, a saturation run, a check of
//	    every acknowledged save against the database, the bare UPDATE loop,
//	    submit; per-endpoint p50/p95/p99, throughput, errors, server RSS.
//	benchexam bare -state state.json
//	    only the bare loop: exam.Service.Save's UPDATE straight to the database.
//	benchexam local -bin bin/skillarena -db sqlite|DSN -n 10000
//	    all of it against a server binary it starts on a fresh database and
//	    stops at the end (make bench-exam).
//
// The server must trust 127.0.0.1 as a proxy (SKILLARENA_TRUSTED_PROXIES=
// 127.0.0.1): every contestant sends its own X-Forwarded-For address, as
// contestants in different exam rooms would have, so the per-address sign-in
// limit (2/s) does not throttle the warm-up.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchexam:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: benchexam setup|run|bare|local [flags] (-h for each)")
	}
	switch args[0] {
	case "setup":
		fs := flag.NewFlagSet("setup", flag.ContinueOnError)
		db := fs.String("db", "", "database URL as SKILLARENA_DATABASE_URL (sqlite:///path.db or mysql://user@tcp(host:3306)/db)")
		n := fs.Int("n", 10000, "contestants")
		prefix := fs.String("prefix", "", "username prefix (default: bench + a time stamp)")
		cost := fs.String("hash-cost", "cheap", "password hash cost of the contestants: cheap or production")
		state := fs.String("out", "benchexam-state.json", "where to write the state for run")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *db == "" {
			return errors.New("setup: -db is required")
		}
		if *prefix == "" {
			*prefix = "bench" + strconv.FormatInt(time.Now().Unix()%100000000, 36)
		}
		st, err := Setup(ctx, SetupOptions{DB: *db, N: *n, Prefix: *prefix, HashCost: *cost, Log: out})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "setup: exam %d ready for %d contestants (%s-00001…); state in %s\n", st.ExamID, st.N, st.Prefix, *state)
		return st.write(*state)
	case "run", "local":
		fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
		o := RunOptions{}
		lo := LocalOptions{}
		state := new(string)
		if args[0] == "run" {
			fs.StringVar(&o.URL, "url", "http://127.0.0.1:8080", "the running server")
			fs.StringVar(&o.DB, "db", "", "its database URL (default: the one in the state file)")
			state = fs.String("state", "benchexam-state.json", "state written by setup")
			fs.IntVar(&o.PID, "pid", 0, "server process id for RSS (default: whoever listens on the URL's port)")
			fs.IntVar(&o.N, "n", 0, "contestants to use (default: all in the state file)")
		} else {
			fs.StringVar(&lo.Bin, "bin", "bin/skillarena", "the server binary")
			fs.StringVar(&lo.DB, "db", "sqlite", "sqlite, or a MySQL DSN (user@tcp(host:port)/db) on whose server a fresh database is made")
			fs.IntVar(&lo.N, "n", 10000, "contestants")
			fs.StringVar(&lo.HashCost, "hash-cost", "cheap", "password hash cost of the contestants: cheap or production")
			fs.BoolVar(&lo.Keep, "keep", false, "keep the database afterwards")
		}
		fs.IntVar(&o.Burst, "burst", 1000, "starts within the first second")
		fs.DurationVar(&o.Interval, "interval", 5*time.Second, "time between one contestant's saves")
		fs.Float64Var(&o.Jitter, "jitter", 0.2, "± fraction of the interval (think-time spread)")
		fs.DurationVar(&o.Duration, "duration", 60*time.Second, "length of the steady phase")
		fs.IntVar(&o.Workers, "workers", 64, "closed-loop workers of the saturation phase and of the bare loop")
		fs.DurationVar(&o.SatDuration, "saturation", 15*time.Second, "length of the saturation phase and of the bare loop (0: skip both)")
		fs.IntVar(&o.Rounds, "rounds", 3, "pairs of saturation phase and bare loop; the report gives each ratio and their median")
		fs.IntVar(&o.LoginConc, "login-concurrency", 16, "sign-ins at once in the warm-up")
		fs.IntVar(&o.Conc, "concurrency", 64, "requests at once when starting the rest and submitting")
		fs.DurationVar(&o.Timeout, "timeout", 30*time.Second, "per-request timeout")
		jsonOut := fs.String("json", "", "also write the report as JSON to this file")
		cpuOut := fs.String("cpuprofile", "", "write the generator's own CPU profile to this file")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *cpuOut != "" {
			f, err := os.Create(*cpuOut)
			if err != nil {
				return err
			}
			defer f.Close()
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
			defer pprof.StopCPUProfile()
		}
		var rep *Report
		var err error
		if args[0] == "local" {
			lo.Run = o
			rep, err = local(ctx, lo, out)
		} else {
			st, rerr := readState(*state)
			if rerr != nil {
				return rerr
			}
			o.State, o.Log = st, out
			if o.DB == "" {
				o.DB = st.DB
			}
			rep, err = Run(ctx, o)
		}
		if rep != nil {
			rep.print(out)
			if *jsonOut != "" {
				b, _ := json.MarshalIndent(rep, "", "  ")
				os.WriteFile(*jsonOut, b, 0o644)
			}
		}
		return err
	case "bare":
		fs := flag.NewFlagSet("bare", flag.ContinueOnError)
		db := fs.String("db", "", "database URL (default: the one in the state file)")
		state := fs.String("state", "benchexam-state.json", "state written by setup (its attempts must be in progress)")
		workers := fs.Int("workers", 64, "goroutines")
		conns := fs.Int("conns", 32, "MySQL connections (the server's SKILLARENA_DB_MAX_OPEN_CONNS); SQLite always 1")
		d := fs.Duration("duration", 15*time.Second, "how long")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		st, err := readState(*state)
		if err != nil {
			return err
		}
		if *db == "" {
			*db = st.DB
		}
		gdb, _, err := openDB(ctx, *db, *conns)
		if err != nil {
			return err
		}
		defer closeDB(gdb)
		r, err := bare(ctx, gdb, st.ExamID, st.Items, *workers, *d, bareFirstSeq)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "bare: %d workers, %.0f updates/s (p50 %s ms, p99 %s ms), %d missed, %d errors %s\n",
			r.Workers, r.Throughput, ms(r.P50), ms(r.P99), r.Missed, r.Errors, r.FirstError)
		return nil
	}
	return fmt.Errorf("unknown command %q: want setup, run, bare or local", args[0])
}

// RunOptions configure a run.
type RunOptions struct {
	URL, DB     string
	State       State
	N           int
	Burst       int
	Interval    time.Duration
	Jitter      float64
	Duration    time.Duration
	Workers     int
	SatDuration time.Duration
	Rounds      int // pairs of saturation and bare loop (at least 1)
	LoginConc   int
	Conc        int
	PID         int
	Timeout     time.Duration
	Log         io.Writer
}

// Round is one pair of a saturation phase and a bare loop.
type Round struct {
	Saturation float64 `json:"saturation_saves_per_s"`
	Bare       float64 `json:"bare_updates_per_s"`
	Ratio      float64 `json:"ratio"`
}

// bareFirstSeq is where the first bare loop's seqs start: above anything a
// contestant sends before it.
const bareFirstSeq = 1 << 40

// Report is everything a run measured.
type Report struct {
	URL          string        `json:"url"`
	Database     string        `json:"database"`
	Contestants  int           `json:"contestants"`
	Items        int           `json:"items_per_paper"`
	Interval     time.Duration `json:"interval"`
	Duration     time.Duration `json:"duration"`
	Endpoints    []Summary     `json:"endpoints"`
	Offered      float64       `json:"steady_offered_per_s"`
	Verification Verification  `json:"verification"`
	Saturation   float64       `json:"saturation_saves_per_s"`
	Bare         *BareResult   `json:"bare,omitempty"`
	Ratio        float64       `json:"ratio_ours_to_bare"`
	// Rounds are the saturation and bare phases run again in pairs, one
	// after the other; RatioMedian is the median ratio of every pair.
	Rounds       []Round       `json:"rounds,omitempty"`
	RatioMedian  float64       `json:"ratio_median"`
	Submitted    int64         `json:"submitted_in_db"`
	Memory       *Memory       `json:"server_memory,omitempty"`
	MemoryPhases []string      `json:"server_rss_by_phase,omitempty"`
	Protocol     int64         `json:"protocol_errors"`
	FirstProblem string        `json:"first_protocol_error,omitempty"`
	Phases       []string      `json:"phases"`
	BurstSpread  time.Duration `json:"burst_sent_over"`
	Load         []string      `json:"load_average"` // /proc/loadavg at the start and the end
	CPUs         int           `json:"cpus"`
}

func loadAverage() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// Run runs every phase against the server and its database.
func Run(ctx context.Context, o RunOptions) (*Report, error) {
	if o.N > 0 && o.N < o.State.N {
		o.State.N = o.N
	}
	base := strings.TrimRight(o.URL, "/")
	dialect := strings.SplitN(o.DB, ":", 2)[0]
	rep := &Report{URL: base, Database: dialect, Contestants: o.State.N, Items: o.State.Items, Interval: o.Interval, Duration: o.Duration,
		Load: []string{loadAverage()}, CPUs: runtime.NumCPU()}
	logf := func(format string, args ...any) { fmt.Fprintf(o.Log, format+"\n", args...) }
	pid := o.PID
	if pid == 0 {
		if u, err := url.Parse(base); err == nil {
			port, _ := strconv.Atoi(u.Port())
			if p, err := pidListeningOn(port); err == nil {
				pid = p
			} else {
				logf("RSS: %v", err)
			}
		}
	}
	dbPID := databasePID(o.DB)
	mctx, cancelM := context.WithCancel(ctx)
	defer cancelM()
	mem := newMemorySampler(mctx, pid)
	f, err := newFleet(base, o.State, o.Timeout, o.Log)
	if err != nil {
		return nil, err
	}
	defer f.conns.closeIdle()
	phase := func(name string) func() {
		mem.enter(name)
		t, self, server, dbCPU := time.Now(), cpuTime(os.Getpid()), cpuTime(pid), cpuTime(dbPID)
		logf("== %s", name)
		return func() {
			line := fmt.Sprintf("%s: %s", name, time.Since(t).Round(time.Millisecond))
			if pid > 0 {
				line += fmt.Sprintf(" (CPU: server %s, generator %s", (cpuTime(pid) - server).Round(10*time.Millisecond),
					(cpuTime(os.Getpid()) - self).Round(10*time.Millisecond))
				if dbPID > 0 {
					line += fmt.Sprintf(", database %s", (cpuTime(dbPID) - dbCPU).Round(10*time.Millisecond))
				}
				line += ")"
			}
			rep.Phases = append(rep.Phases, line)
		}
	}
	finish := func(err error) (*Report, error) {
		rep.Load = append(rep.Load, loadAverage())
		rep.Endpoints = f.rec.summaries()
		rep.Protocol = f.protocol.Load()
		if v := f.firstBad.Load(); v != nil {
			rep.FirstProblem = v.(string)
		}
		if pid > 0 {
			if m, e := readMemory(pid); e == nil {
				rep.Memory = &m
			}
		}
		rep.MemoryPhases = mem.report()
		return rep, err
	}

	done := phase("warm-up: sign in")
	if err := f.loginAll(ctx, o.LoginConc); err != nil {
		return finish(err)
	}
	done()

	done = phase("burst: starts within one second")
	rep.BurstSpread = f.burst(ctx, o.Burst, "start (burst)")
	done()
	done = phase("start the rest")
	f.startRest(ctx, o.Conc, "start (rest)")
	done()
	if n := len(f.started()); n < o.State.N {
		logf("warning: only %d of %d contestants hold an attempt", n, o.State.N)
		if n == 0 {
			return finish(errors.New("no attempt could be started"))
		}
	}

	rep.Offered = float64(len(f.started())) / o.Interval.Seconds()
	done = phase(fmt.Sprintf("steady: %d contestants saving every %s for %s", len(f.started()), o.Interval, o.Duration))
	f.steady(ctx, SaveLoad{Label: "save (steady)", Interval: o.Interval, Jitter: o.Jitter, Duration: o.Duration, Drain: o.Timeout})
	done()
	if ctx.Err() != nil {
		return finish(ctx.Err())
	}

	// settle waits, before each throughput phase, until the server and the
	// database have finished the work the phase before left them (InnoDB
	// flushes and purges after a write-heavy phase): each side of the ratio
	// starts on a quiet machine, whatever ran before it.
	settle := func(name string) {
		if waited, quiet := waitQuiet(ctx, []int{pid, dbPID}, 30*time.Second); waited > time.Second || !quiet {
			logf("   waited %s for the machine to settle before %s (quiet: %v)", waited.Round(100*time.Millisecond), name, quiet)
		}
	}
	if o.SatDuration > 0 {
		settle("saturation")
		done = phase(fmt.Sprintf("saturation: %d workers saving with no think time for %s", o.Workers, o.SatDuration))
		f.saturate(ctx, o.Workers, o.SatDuration, "save (saturation)")
		done()
		s := f.rec.summary("save (saturation)")
		rep.Saturation = float64(s.OK) / o.SatDuration.Seconds()
	}

	db, _, err := openDB(ctx, o.DB, 32)
	if err != nil {
		return finish(fmt.Errorf("open the database to check it: %w", err))
	}
	defer closeDB(db)
	done = phase("verify every acknowledged save against the database")
	v, err := f.verify(ctx, db)
	if err != nil {
		return finish(err)
	}
	rep.Verification = v
	done()

	if o.SatDuration > 0 {
		settle("the bare loop")
		done = phase(fmt.Sprintf("bare: %d workers running Save's UPDATE directly for %s", o.Workers, o.SatDuration))
		b, err := bare(ctx, db, o.State.ExamID, o.State.Items, o.Workers, o.SatDuration, bareFirstSeq)
		if err != nil {
			return finish(fmt.Errorf("bare loop: %w", err))
		}
		rep.Bare = &b
		if b.Throughput > 0 {
			rep.Ratio = rep.Saturation / b.Throughput
		}
		done()
		rep.Rounds = append(rep.Rounds, Round{Saturation: rep.Saturation, Bare: b.Throughput, Ratio: rep.Ratio})
		// The ratio of one pair moves with whatever else the machine does;
		// more pairs, one right after the other, give a median.
		for r := 2; r <= o.Rounds; r++ {
			base := int64(r) << 42
			f.jumpSeqs(base)
			label := fmt.Sprintf("save (saturation, round %d)", r)
			settle("saturation")
			done = phase(fmt.Sprintf("round %d: saturation for %s", r, o.SatDuration))
			f.saturate(ctx, o.Workers, o.SatDuration, label)
			sat := float64(f.rec.summary(label).OK) / o.SatDuration.Seconds()
			done()
			settle("the bare loop")
			done = phase(fmt.Sprintf("round %d: bare loop for %s", r, o.SatDuration))
			b, err := bare(ctx, db, o.State.ExamID, o.State.Items, o.Workers, o.SatDuration, base+1<<41)
			if err != nil {
				return finish(fmt.Errorf("bare loop, round %d: %w", r, err))
			}
			done()
			rd := Round{Saturation: sat, Bare: b.Throughput}
			if b.Throughput > 0 {
				rd.Ratio = sat / b.Throughput
			}
			rep.Rounds = append(rep.Rounds, rd)
		}
		ratios := make([]float64, len(rep.Rounds))
		for i, rd := range rep.Rounds {
			ratios[i] = rd.Ratio
		}
		slices.Sort(ratios)
		rep.RatioMedian = ratios[len(ratios)/2]
	}

	done = phase("submit")
	f.submitAll(ctx, o.Conc)
	done()
	if err := db.WithContext(ctx).Raw("SELECT COUNT(*) FROM attempts WHERE exam_id = ? AND status = ?", o.State.ExamID, "submitted").Scan(&rep.Submitted).Error; err != nil {
		return finish(err)
	}
	return finish(nil)
}

func (r *Report) print(w io.Writer) {
	fmt.Fprintf(w, "\n== results: %d contestants, %d items each, %s database, server %s\n", r.Contestants, r.Items, r.Database, r.URL)
	fmt.Fprintf(w, "machine: %d CPUs, load average %s at the start, %s at the end\n", r.CPUs, r.Load[0], r.Load[len(r.Load)-1])
	printSummaries(w, r.Endpoints)
	for _, s := range r.Endpoints {
		for code, body := range s.Examples {
			fmt.Fprintf(w, "  %s, first %s: %.300s\n", s.Endpoint, code, body)
		}
	}
	fmt.Fprintf(w, "\nburst: the starts were sent over %s\n", r.BurstSpread.Round(time.Millisecond))
	fmt.Fprintf(w, "steady offered load: %.0f saves/s (%d contestants / %s)\n", r.Offered, r.Contestants, r.Interval)
	v := r.Verification
	fmt.Fprintf(w, "verification: %d attempts, %d acknowledged saves, %d items checked: lost %d, out-of-order %d\n",
		v.Attempts, v.Acknowledged, v.Items, v.Lost, v.OutOfOrder)
	for _, e := range v.Examples {
		fmt.Fprintf(w, "  e.g. %s\n", e)
	}
	if r.Bare != nil {
		b := r.Bare
		fmt.Fprintf(w, "saturation (HTTP autosave, %d workers): %.0f saves/s\n", b.Workers, r.Saturation)
		fmt.Fprintf(w, "bare UPDATE loop (%d workers): %.0f updates/s (p50 %s ms, p99 %s ms, %d missed, %d errors)\n",
			b.Workers, b.Throughput, ms(b.P50), ms(b.P99), b.Missed, b.Errors)
		fmt.Fprintf(w, "ratio ours/bare: %.2f\n", r.Ratio)
		if len(r.Rounds) > 1 {
			fmt.Fprintf(w, "rounds (saturation / bare = ratio):")
			for _, rd := range r.Rounds {
				fmt.Fprintf(w, " %.0f / %.0f = %.2f;", rd.Saturation, rd.Bare, rd.Ratio)
			}
			fmt.Fprintf(w, " median ratio %.2f\n", r.RatioMedian)
		}
	}
	fmt.Fprintf(w, "submitted in the database: %d\n", r.Submitted)
	if r.Memory != nil {
		fmt.Fprintf(w, "server memory at the end: %s\n", r.Memory)
	}
	if len(r.MemoryPhases) > 0 {
		fmt.Fprintf(w, "server peak RSS by phase: %s\n", strings.Join(r.MemoryPhases, "; "))
	}
	if r.Protocol > 0 {
		fmt.Fprintf(w, "protocol errors: %d (first: %s)\n", r.Protocol, r.FirstProblem)
	}
	fmt.Fprintf(w, "phases:\n")
	for _, p := range r.Phases {
		fmt.Fprintf(w, "  %s\n", p)
	}
}
