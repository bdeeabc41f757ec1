package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// fleet is the simulated contestants of one run against one server.
type fleet struct {
	state State
	all   []*contestant
	rec   *recorder
	log   io.Writer
	conns *conns // to the server, shared by the contestants
	// protocol counts answers that break the contract (a 200 that echoes
	// another seq, an attempt without items).
	protocol atomic.Int64
	firstBad atomic.Value
}

func newFleet(base string, st State, timeout time.Duration, log io.Writer) (*fleet, error) {
	p, err := newConns(base, timeout)
	if err != nil {
		return nil, err
	}
	f := &fleet{state: st, rec: newRecorder(), log: log, conns: p}
	for i := range st.N {
		f.all = append(f.all, newContestant(i, st.Username(i), p))
	}
	return f, nil
}

func (f *fleet) logf(format string, args ...any) {
	if f.log != nil {
		fmt.Fprintf(f.log, format+"\n", args...)
	}
}

func (f *fleet) bad(err error) {
	if err == nil {
		return
	}
	f.protocol.Add(1)
	f.firstBad.CompareAndSwap(nil, err.Error())
}

// each runs fn for every contestant with at most conc at once.
func each(cs []*contestant, conc int, fn func(c *contestant)) {
	sem := make(chan struct{}, max(1, conc))
	var wg sync.WaitGroup
	for _, c := range cs {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(c)
		}()
	}
	wg.Wait()
}

// loginAll signs every contestant in (not measured as a target: the
// warm-up). A 429 is waited out as its Retry-After says.
func (f *fleet) loginAll(ctx context.Context, conc int) error {
	var failed atomic.Int64
	var throttled atomic.Int64
	var firstErr atomic.Value
	each(f.all, conc, func(c *contestant) {
		for try := 0; try < 30 && ctx.Err() == nil; try++ {
			r := c.login(ctx, f.state.Password)
			f.rec.add("login (warm-up)", r)
			if r.status == http.StatusOK {
				return
			}
			if r.status == http.StatusTooManyRequests {
				throttled.Add(1)
				wait, _ := strconv.Atoi(r.retryAfter)
				sleep(ctx, time.Duration(max(wait, 1))*time.Second)
				continue
			}
			if r.status == 0 || r.status >= 500 {
				sleep(ctx, 200*time.Millisecond)
				continue
			}
			break
		}
		failed.Add(1)
		firstErr.CompareAndSwap(nil, c.username)
	})
	if throttled.Load() > 0 {
		f.logf("warning: %d sign-ins were throttled (429): start the server with SKILLARENA_TRUSTED_PROXIES=127.0.0.1 so each contestant's X-Forwarded-For counts as its own address", throttled.Load())
	}
	if n := failed.Load(); n > 0 {
		return fmt.Errorf("%d contestants could not sign in (first: %v)", n, firstErr.Load())
	}
	return ctx.Err()
}

// burst starts k attempts spread evenly over one second, each in its own
// goroutine on its own schedule (an open loop: a slow answer does not delay
// the next start). It returns the time from the first send to the last.
func (f *fleet) burst(ctx context.Context, k int, label string) time.Duration {
	k = min(k, len(f.all))
	t0 := time.Now().Add(50 * time.Millisecond)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first, last time.Time
	for i, c := range f.all[:k] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sleepUntil(ctx, t0.Add(time.Duration(i)*time.Second/time.Duration(k)))
			mu.Lock()
			now := time.Now()
			if first.IsZero() || now.Before(first) {
				first = now
			}
			if now.After(last) {
				last = now
			}
			mu.Unlock()
			r := c.start(ctx, f.state.ExamID)
			f.rec.add(label, r)
			if r.status < 300 {
				f.bad(r.err)
			}
		}()
	}
	wg.Wait()
	return last.Sub(first)
}

// startRest starts (or resumes) every contestant without an attempt yet.
func (f *fleet) startRest(ctx context.Context, conc int, label string) {
	var rest []*contestant
	for _, c := range f.all {
		if c.attemptID == 0 {
			rest = append(rest, c)
		}
	}
	each(rest, conc, func(c *contestant) {
		for try := 0; try < 5 && ctx.Err() == nil; try++ {
			r := c.start(ctx, f.state.ExamID)
			f.rec.add(label, r)
			if r.status < 300 {
				f.bad(r.err)
				return
			}
			sleep(ctx, 200*time.Millisecond)
		}
	})
}

// started returns the contestants who hold an attempt.
func (f *fleet) started() []*contestant {
	var out []*contestant
	for _, c := range f.all {
		if c.attemptID != 0 {
			out = append(out, c)
		}
	}
	return out
}

// SaveLoad describes a phase of autosaves.
type SaveLoad struct {
	Label    string
	Interval time.Duration // between one contestant's saves
	Jitter   float64       // ± fraction of Interval, the think time's spread
	Duration time.Duration
	// Retry makes a failed save (no answer, 5xx) be sent again with the same
	// seq until it is acknowledged or refused, as the browser's offline
	// queue does; a 409 stale_write on a retry means the first try was
	// stored. Drain bounds how long requests (and retries) still in flight
	// at the end of Duration may take.
	Retry bool
	Drain time.Duration
}

// steady runs every started contestant's autosave loop: each saves its next
// answer every Interval (± Jitter), starting at a random offset, on a fixed
// schedule (an open loop: a slow answer does not stretch the cadence).
func (f *fleet) steady(ctx context.Context, l SaveLoad) {
	stop := time.Now().Add(l.Duration)
	hard, cancel := context.WithDeadline(ctx, stop.Add(l.Drain))
	defer cancel()
	var wg sync.WaitGroup
	for _, c := range f.started() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c.idx), 7))
			next := time.Now().Add(time.Duration(rng.Float64() * float64(l.Interval)))
			for next.Before(stop) {
				if !sleepUntil(ctx, next) {
					return
				}
				t := time.Now()
				i, seq, r := c.save(hard)
				f.rec.add(l.Label, r)
				f.bad(c.ack(i, seq, r))
				for l.Retry && retryable(r) && hard.Err() == nil {
					sleep(hard, retryDelay(r))
					r = c.send(hard, i, seq)
					f.rec.add(l.Label+" (retry)", r)
					f.bad(c.ack(i, seq, r))
					if r.status == http.StatusConflict && r.errorCode() == "stale_write" {
						// The first try was stored but its answer never
						// arrived: the database must hold this seq.
						c.acked[i] = max(c.acked[i], seq)
					}
				}
				spread := 1 + l.Jitter*(2*rng.Float64()-1)
				next = t.Add(time.Duration(float64(l.Interval) * spread))
			}
		}()
	}
	wg.Wait()
}

// saturate runs workers closed loops of saves with no think time, each over
// its own share of the contestants, to find the most saves a second the
// server sustains.
func (f *fleet) saturate(ctx context.Context, workers int, d time.Duration, label string) {
	cs := f.started()
	workers = min(workers, len(cs))
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Worker w alone drives contestants w, w+workers, …: one
			// request at a time per contestant, as from one browser.
			mine := len(cs[w:])/workers + min(1, len(cs[w:])%workers)
			for k := 0; ctx.Err() == nil && time.Now().Before(stop); k++ {
				c := cs[w+(k%mine)*workers]
				i, seq, r := c.save(ctx)
				f.rec.add(label, r)
				f.bad(c.ack(i, seq, r))
			}
		}()
	}
	wg.Wait()
}

// jumpSeqs makes every contestant's next seq start above base, so that its
// saves replace what a bare loop (which writes seqs from its own base) left.
func (f *fleet) jumpSeqs(base int64) {
	for _, c := range f.started() {
		for i := range c.sent {
			c.sent[i] = max(c.sent[i], base)
		}
	}
}

// submitAll submits every started attempt.
func (f *fleet) submitAll(ctx context.Context, conc int) {
	each(f.started(), conc, func(c *contestant) {
		r := c.submit(ctx)
		f.rec.add("submit", r)
	})
}

// retryable says whether a save should be sent again: no answer, or the
// server could not do it now.
func retryable(r result) bool {
	return r.status == 0 || r.status >= 500 || r.status == http.StatusTooManyRequests
}

func retryDelay(r result) time.Duration {
	if s, err := strconv.Atoi(r.retryAfter); err == nil && s > 0 {
		return time.Duration(min(s, 5)) * time.Second
	}
	return 100*time.Millisecond + time.Duration(rand.IntN(100))*time.Millisecond
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func sleepUntil(ctx context.Context, t time.Time) bool {
	if d := time.Until(t); d > 0 {
		return sleep(ctx, d)
	}
	return ctx.Err() == nil
}
