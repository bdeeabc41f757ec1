package skillarena

import (
	"context"
	"sync"
	"time"
)

// Copies keeps copies of rows that every request reads and few change (the
// session and the user behind a request), so that a burst of one browser's
// requests, a contestant's autosaves, reads neither.
//
// A copy is served only while younger than MaxAge: a row changed on another
// server is seen here within MaxAge at the latest. Refresh, run every few
// seconds, re-reads all copies in use with a few bulk reads, so copies in use
// stay young without one read per copy; copies not used for MaxAge are
// dropped. If Refresh stops (the database is down), copies age out and each
// request reads its row again, as without copies.
//
// A change made on this server calls Forget (after its transaction
// commits) or Put (with the value it wrote): a read that began before it, by
// a request (Keep) or by Refresh, is then never kept.
type Copies[K comparable, V any] struct {
	// MaxAge bounds how old a copy may be when it is served.
	MaxAge time.Duration
	// now is time.Now; tests move it.
	now func() time.Time

	mu sync.Mutex
	m  map[K]copyOf[V]
	// forgets counts Forget calls, so that Keep can tell whether one came
	// after its read began.
	forgets uint64
	// puts numbers each copy stored, so that Refresh can tell whether a copy
	// was replaced while it read.
	puts  uint64
	swept time.Time
}

type copyOf[V any] struct {
	v V
	// at is when the read that gave v began: v holds every change committed
	// before at.
	at time.Time
	// used is when the copy was last served or stored.
	used time.Time
	put  uint64
}

// ReadStamp marks when a read began; see Copies.Stamp.
type ReadStamp struct {
	forgets uint64
	at      time.Time
}

// copiesChunk bounds the keys of one bulk read.
const copiesChunk = 500

func (c *Copies[K, V]) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

// Get returns the copy of k if there is one younger than MaxAge.
func (c *Copies[K, V]) Get(k K) (V, bool) {
	now := c.clock()
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || now.Sub(e.at) >= c.MaxAge {
		var zero V
		return zero, false
	}
	e.used = now
	c.m[k] = e
	return e.v, true
}

// Stamp is taken before reading a row to Keep.
func (c *Copies[K, V]) Stamp() ReadStamp {
	now := c.clock()
	c.mu.Lock()
	defer c.mu.Unlock()
	return ReadStamp{forgets: c.forgets, at: now}
}

// Keep stores v, read since s, unless a copy was forgotten since s (the row
// read may be older than that change) or a younger copy is already there.
func (c *Copies[K, V]) Keep(k K, v V, s ReadStamp) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.forgets != s.forgets {
		return
	}
	if e, ok := c.m[k]; ok && e.at.After(s.at) {
		return
	}
	c.store(k, v, s.at)
}

// Put stores v, the value this server has just written.
func (c *Copies[K, V]) Put(k K, v V) {
	now := c.clock()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.store(k, v, now)
}

func (c *Copies[K, V]) store(k K, v V, at time.Time) {
	now := c.clock()
	if c.m == nil {
		c.m = map[K]copyOf[V]{}
	}
	// Without Refresh running, copies past MaxAge are only dropped here.
	if now.Sub(c.swept) > c.MaxAge/3 {
		for k, e := range c.m {
			if now.Sub(e.at) >= c.MaxAge {
				delete(c.m, k)
			}
		}
		c.swept = now
	}
	c.puts++
	c.m[k] = copyOf[V]{v: v, at: at, used: now, put: c.puts}
}

// Forget drops the copy of k: its row changed or is about to.
func (c *Copies[K, V]) Forget(k K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forgets++
	delete(c.m, k)
}

// Len returns the number of copies held.
func (c *Copies[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// Refresh re-reads every copy used in the last MaxAge, at most 500 keys per
// call of read, which returns the rows that still exist; a copy whose row is
// gone is dropped, and so is every copy not used in the last MaxAge. A copy
// replaced or forgotten while its row was read keeps the newer state. On an
// error the copies not yet re-read stay as they were, to age out.
func (c *Copies[K, V]) Refresh(ctx context.Context, read func(context.Context, []K) (map[K]V, error)) error {
	type snap struct {
		k   K
		put uint64
	}
	now := c.clock()
	c.mu.Lock()
	all := make([]snap, 0, len(c.m))
	for k, e := range c.m {
		if now.Sub(e.used) >= c.MaxAge {
			delete(c.m, k)
			continue
		}
		all = append(all, snap{k, e.put})
	}
	c.mu.Unlock()
	keys := make([]K, 0, copiesChunk)
	for len(all) > 0 {
		n := min(len(all), copiesChunk)
		chunk := all[:n]
		all = all[n:]
		keys = keys[:0]
		for _, s := range chunk {
			keys = append(keys, s.k)
		}
		at := c.clock()
		rows, err := read(ctx, keys)
		if err != nil {
			return err
		}
		c.mu.Lock()
		for _, s := range chunk {
			e, ok := c.m[s.k]
			if !ok || e.put != s.put {
				continue
			}
			if v, ok := rows[s.k]; ok {
				e.v, e.at = v, at
				c.m[s.k] = e
			} else {
				delete(c.m, s.k)
			}
		}
		c.mu.Unlock()
	}
	return nil
}
