package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"

	"skillarena/database"
)

// Memory is a process's resident set: now and its peak (the kernel's
// VmRSS and VmHWM), in KiB.
type Memory struct {
	RSSKiB int64 `json:"rss_kib"`
	HWMKiB int64 `json:"hwm_kib"`
}

func (m Memory) String() string {
	return fmt.Sprintf("RSS %.0f MB, peak RSS (VmHWM) %.0f MB", float64(m.RSSKiB)/1024, float64(m.HWMKiB)/1024)
}

// readMemory reads /proc/<pid>/status.
func readMemory(pid int) (Memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Memory{}, err
	}
	defer f.Close()
	var m Memory
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			m.RSSKiB = n
		case "VmHWM":
			m.HWMKiB = n
		}
	}
	return m, sc.Err()
}

// pidListeningOn finds the process listening on a TCP port: the socket's
// inode from /proc/net/tcp{,6}, then the process holding it.
func pidListeningOn(port int) (int, error) {
	inodes := map[string]bool{}
	for _, file := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			f := strings.Fields(line)
			if len(f) < 10 || f[3] != "0A" { // 0A: LISTEN
				continue
			}
			_, hexPort, _ := strings.Cut(f[1], ":")
			if p, err := strconv.ParseInt(hexPort, 16, 32); err == nil && int(p) == port {
				inodes["socket:["+f[9]+"]"] = true
			}
		}
	}
	if len(inodes) == 0 {
		return 0, fmt.Errorf("nothing listens on port %d", port)
	}
	procs, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	for _, fd := range procs {
		if l, err := os.Readlink(fd); err == nil && inodes[l] {
			return strconv.Atoi(strings.Split(fd, "/")[2])
		}
	}
	return 0, errors.New("no visible process holds the listening socket (pass -pid)")
}

// memorySampler records the server's peak VmRSS per phase.
type memorySampler struct {
	pid   int
	mu    sync.Mutex
	phase string
	peaks map[string]int64
	order []string
}

func newMemorySampler(ctx context.Context, pid int) *memorySampler {
	s := &memorySampler{pid: pid, peaks: map[string]int64{}}
	if pid <= 0 {
		return s
	}
	go func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if m, err := readMemory(pid); err == nil {
					s.mu.Lock()
					if s.phase != "" {
						s.peaks[s.phase] = max(s.peaks[s.phase], m.RSSKiB)
					}
					s.mu.Unlock()
				}
			}
		}
	}()
	return s
}

func (s *memorySampler) enter(phase string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.phase = phase
	if _, ok := s.peaks[phase]; !ok {
		s.order = append(s.order, phase)
		s.peaks[phase] = 0
	}
	if m, err := readMemory(s.pid); err == nil {
		s.peaks[phase] = max(s.peaks[phase], m.RSSKiB)
	}
}

func (s *memorySampler) report() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, p := range s.order {
		out = append(out, fmt.Sprintf("%s %.0f MB", p, float64(s.peaks[p])/1024))
	}
	return out
}

// cpuTime is the CPU time (user + system) a process has used so far, from
// /proc/<pid>/stat (in clock ticks of 1/100 s on Linux).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name may hold spaces; the fields after it are plain.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// waitQuiet waits until the processes (0s are skipped) have used together
// less than a twentieth of a core over half a second, or at most max. It
// says how long it waited and whether they were quiet.
func waitQuiet(ctx context.Context, pids []int, max time.Duration) (time.Duration, bool) {
	const window = 500 * time.Millisecond
	total := func() (d time.Duration) {
		for _, p := range pids {
			if p > 0 {
				d += cpuTime(p)
			}
		}
		return d
	}
	start := time.Now()
	for time.Since(start) < max && ctx.Err() == nil {
		before := total()
		sleep(ctx, window)
		if total()-before <= window/20 {
			return time.Since(start), true
		}
	}
	return time.Since(start), false
}

// databasePID finds the MySQL server of a database URL when it runs on this
// machine, so the phases can say what it spent too; 0 otherwise (SQLite runs
// inside the server).
func databasePID(raw string) int {
	u, err := database.ParseURL(raw)
	if err != nil || u.Dialect != database.MySQL {
		return 0
	}
	cfg, err := mysqldriver.ParseDSN(u.DSN)
	if err != nil {
		return 0
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if ip := net.ParseIP(host); err != nil || (host != "localhost" && (ip == nil || !ip.IsLoopback())) {
		return 0
	}
	n, _ := strconv.Atoi(port)
	pid, _ := pidListeningOn(n)
	return pid
}
