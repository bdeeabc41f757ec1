package server

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// Live views over server-sent events, fed from the database by polling so
// that a change made on any server reaches every stream: the pattern of the
// invigilation console (monitorStream), shared here by the public live board.

// sharedReads shares one reading per key among the streams connected to
// this server for up to every, so many viewers of one view cost the
// database one reading per interval.
type sharedReads[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]*sharedRead[V]
}

type sharedRead[V any] struct {
	mu sync.Mutex
	at time.Time
	v  V
}

// get returns the key's reading if it is younger than every, else reads it.
func (c *sharedReads[K, V]) get(ctx context.Context, key K, every time.Duration, read func(context.Context) (V, error)) (V, error) {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[K]*sharedRead[V]{}
	}
	e := c.m[key]
	if e == nil {
		e = &sharedRead[V]{}
		c.m[key] = e
	}
	for k, old := range c.m {
		if old != e && time.Since(old.at) > time.Minute {
			delete(c.m, k)
		}
	}
	c.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.at.IsZero() && time.Since(e.at) < every {
		return e.v, nil
	}
	v, err := read(ctx)
	if err != nil {
		return v, err
	}
	e.v, e.at = v, time.Now()
	return v, nil
}

// streamSSE answers a live view as server-sent events named event: the
// first reading at once (an error before it answers JSON as usual), then a
// new reading every interval, sent when its key changed and at least every
// 15 s, which also keeps proxies from closing the connection. A failed
// reading ends the stream with an event "error"; so do the client leaving
// and the server's shutdown.
func streamSSE[T any](s *Server, c *gin.Context, event string, every time.Duration, read func(ctx context.Context, shared bool) (T, error), key func(T) string) error {
	ctx := c.Request.Context()
	first, err := read(ctx, false)
	if err != nil {
		return err
	}
	w := c.Writer
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	// The stream outlives the server's read and write timeouts by design.
	rc.SetWriteDeadline(time.Time{})
	rc.SetReadDeadline(time.Time{})
	var last string
	var lastSent time.Time
	send := func(v T) bool {
		k := key(v)
		if k == last && time.Since(lastSent) < 15*time.Second {
			return true
		}
		last, lastSent = k, time.Now()
		b, _ := json.Marshal(v)
		if _, err := w.Write([]byte("event: " + event + "\ndata: " + string(b) + "\n\n")); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send(first) {
		return nil
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.stopStreams:
			return nil
		case <-tick.C:
			v, err := read(ctx, true)
			if err != nil {
				if ctx.Err() == nil {
					w.Write([]byte("event: error\ndata: {}\n\n"))
					rc.Flush()
				}
				return nil
			}
			if !send(v) {
				return nil
			}
		}
	}
}
