package exam

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// saveBatcher runs concurrent autosaves together: while its writers are busy,
// saves queue, and each writer takes everything queued (up to saveBatchMax)
// and runs it as one transaction, one conditional UPDATE per save and one
// commit for all. Under light load a save runs alone, as a single statement;
// under the deadline rush the database commits once per batch instead of once
// per save. A save is acknowledged only after its batch commits. Writers are
// goroutines that end when the queue is empty.
type saveBatcher struct {
	db      *gorm.DB // prepared statements
	writers int      // at most this many batches at once

	mu      sync.Mutex
	pending []*saveCall
	running int
	// batched counts the saves committed together with others.
	batched atomic.Int64
}

// saveBatchMax bounds one transaction, so no batch holds its row locks long.
const saveBatchMax = 128

// saveCall is one autosave's statement and, once run, its outcome.
type saveCall struct {
	attemptID int64
	position  int
	seq       int64
	query     string
	args      []any
	applied   bool
	err       error
	done      chan struct{}
}

func newSaveBatcher(db *gorm.DB) *saveBatcher {
	writers := 4
	if db.Dialector.Name() == "sqlite" {
		writers = 1 // one connection: batches follow one another
	}
	return &saveBatcher{db: db, writers: writers}
}

// run queues c and waits until its batch has run, or ctx ends (the save may
// then still be applied, unacknowledged, as any save whose reply is lost).
func (b *saveBatcher) run(ctx context.Context, c *saveCall) (applied bool, err error) {
	c.done = make(chan struct{})
	b.mu.Lock()
	b.pending = append(b.pending, c)
	if b.running < b.writers {
		b.running++
		go b.write()
	}
	b.mu.Unlock()
	select {
	case <-c.done:
		return c.applied, c.err
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// write runs batches until the queue is empty.
func (b *saveBatcher) write() {
	for {
		b.mu.Lock()
		n := min(len(b.pending), saveBatchMax)
		if n == 0 {
			b.pending = nil
			b.running--
			b.mu.Unlock()
			return
		}
		batch := slices.Clone(b.pending[:n])
		b.pending = b.pending[n:]
		b.mu.Unlock()
		b.exec(batch)
		for _, c := range batch {
			close(c.done)
		}
	}
}

// exec runs a batch. Rows are locked in one order (attempt, item, seq), so
// two batches never wait on each other in a cycle; should the transaction
// fail all the same (a deadlock with another statement, a lost connection),
// every save of it runs again on its own.
func (b *saveBatcher) exec(batch []*saveCall) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db := b.db.WithContext(ctx)
	if len(batch) > 1 {
		slices.SortFunc(batch, func(x, y *saveCall) int {
			return cmp.Or(cmp.Compare(x.attemptID, y.attemptID), cmp.Compare(x.position, y.position), cmp.Compare(x.seq, y.seq))
		})
		err := db.Transaction(func(tx *gorm.DB) error {
			for _, c := range batch {
				res := tx.Exec(c.query, c.args...)
				if res.Error != nil {
					return res.Error
				}
				c.applied = res.RowsAffected == 1
			}
			return nil
		})
		if err == nil {
			b.batched.Add(int64(len(batch)))
			return
		}
	}
	for _, c := range batch {
		res := db.Exec(c.query, c.args...)
		c.applied, c.err = res.Error == nil && res.RowsAffected == 1, res.Error
	}
}
