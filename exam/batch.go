package exam

import (
	"context"
	"slices"
	"sync"
)

// batcher runs concurrent calls together: while its writers are busy, calls
// queue, and each writer takes everything queued (up to max) and runs it
// with exec, usually as one transaction. A call that arrives alone runs
// alone. Writers are goroutines that end when the queue is empty. Autosaves
// and starts, each crowding in at their moment of an exam, go through one.
type batcher[C any] struct {
	writers int // at most this many batches at once
	max     int // calls per batch
	exec    func(batch []*C)

	mu      sync.Mutex
	pending []queuedCall[C]
	running int
}

type queuedCall[C any] struct {
	c    *C
	done chan struct{}
}

// run queues c and waits until exec has run it, or ctx ends (c may then
// still be written, as any request whose reply is lost).
func (b *batcher[C]) run(ctx context.Context, c *C) error {
	done := make(chan struct{})
	b.mu.Lock()
	b.pending = append(b.pending, queuedCall[C]{c, done})
	if b.running < b.writers {
		b.running++
		go b.write()
	}
	b.mu.Unlock()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// write runs batches until the queue is empty.
func (b *batcher[C]) write() {
	for {
		b.mu.Lock()
		n := min(len(b.pending), b.max)
		if n == 0 {
			b.pending = nil
			b.running--
			b.mu.Unlock()
			return
		}
		queued := slices.Clone(b.pending[:n])
		b.pending = b.pending[n:]
		b.mu.Unlock()
		batch := make([]*C, n)
		for i, q := range queued {
			batch[i] = q.c
		}
		b.exec(batch)
		for _, q := range queued {
			close(q.done)
		}
	}
}
