package exam

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// saveBatcher runs concurrent autosaves together. While its writers are
// busy, saves queue; each writer takes everything queued (up to
// saveBatchMax) and runs it as one transaction of three statements: a locked
// read of the answers and their attempts, one UPDATE of every answer whose
// save passes Save's conditions, and the commit. A save that arrives alone
// runs as Save's single conditional UPDATE. Either way a save is
// acknowledged only after its transaction commits. Writers are goroutines
// that end when the queue is empty.
type saveBatcher struct {
	prepared *gorm.DB // the single save, a prepared statement
	db       *gorm.DB // the batch's statements, whose text varies with its size
	dialect  string
	writers  int // at most this many transactions at once

	mu      sync.Mutex
	pending []*saveCall
	running int
	// batched counts the saves committed together with others.
	batched atomic.Int64
}

// saveBatchMax bounds one transaction, so no batch holds its row locks long.
const saveBatchMax = 128

// saveCall is one autosave and, once run, its outcome.
type saveCall struct {
	userID, attemptID int64
	position          int
	seq               int64
	response          string
	device            string // "" when the caller is not a browser session
	now               time.Time

	applied bool
	err     error
	done    chan struct{}
}

func newSaveBatcher(db *gorm.DB) *saveBatcher {
	b := &saveBatcher{prepared: db.Session(&gorm.Session{PrepareStmt: true}), db: db, dialect: db.Dialector.Name(), writers: 2}
	if b.dialect == "sqlite" {
		b.writers = 1 // one connection: transactions follow one another
	}
	return b
}

// run queues c and waits until its transaction has run, or ctx ends (the
// save may then still be applied, unacknowledged, as any save whose reply is
// lost).
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

// The single save's statement; tools/benchexam's bare loop runs it word for
// word (a test compares them).
const (
	saveSQLUpdate = "UPDATE answers SET response = ?, seq = ?, saved_at = ? WHERE attempt_id = ? AND position = ? AND seq < ? "
	saveSQLExists = "AND EXISTS (SELECT 1 FROM attempts WHERE attempts.id = ? AND attempts.user_id = ? AND attempts.status = ? AND attempts.accept_until >= ?"
	saveSQLDevice = " AND attempts.device = ?"
)

// execOne runs one save as a single conditional UPDATE.
func execOne(db *gorm.DB, c *saveCall) {
	q := saveSQLUpdate + saveSQLExists
	args := []any{c.response, c.seq, c.now, c.attemptID, c.position, c.seq, c.attemptID, c.userID, AttemptInProgress, c.now}
	if c.device != "" {
		q += saveSQLDevice
		args = append(args, c.device)
	}
	res := db.Exec(q+")", args...)
	c.applied, c.err = res.Error == nil && res.RowsAffected == 1, res.Error
}

// exec runs a batch; should its transaction fail (a deadlock with another
// statement, a lost connection), every save of it runs again on its own.
func (b *saveBatcher) exec(batch []*saveCall) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if len(batch) > 1 {
		if err := b.execBatch(ctx, batch); err == nil {
			b.batched.Add(int64(len(batch)))
			return
		}
		for _, c := range batch {
			c.applied = false
		}
	}
	for _, c := range batch {
		execOne(b.prepared.WithContext(ctx), c)
	}
}

// answerState is an answer's stored seq and its attempt, read under lock.
type answerState struct {
	AttemptID   int64
	Position    int
	Seq         int64
	UserID      int64
	Status      AttemptStatus
	AcceptUntil time.Time
	Device      string
}

// execBatch applies, in (attempt, item, seq) order, the saves that pass the
// single statement's conditions against the rows it has locked, then writes
// each changed answer once, in one transaction. It runs on database/sql
// directly: the statements are plain, and GORM's building of them cost more
// than running them.
func (b *saveBatcher) execBatch(ctx context.Context, batch []*saveCall) error {
	slices.SortFunc(batch, func(x, y *saveCall) int {
		return cmp.Or(cmp.Compare(x.attemptID, y.attemptID), cmp.Compare(x.position, y.position), cmp.Compare(x.seq, y.seq))
	})
	type key struct {
		attempt  int64
		position int
	}
	var keys []key
	var keyArgs []any
	for i, c := range batch {
		if i == 0 || batch[i-1].attemptID != c.attemptID || batch[i-1].position != c.position {
			keys = append(keys, key{c.attemptID, c.position})
			keyArgs = append(keyArgs, c.attemptID, c.position)
		}
	}
	return inSQLTx(ctx, b.db, func(tx *sql.Tx) error {
		// ORed equalities on the primary key: a range read in both databases
		// (SQLite has no row-value lists).
		q := "SELECT answers.attempt_id, answers.position, answers.seq, attempts.user_id, attempts.status, attempts.accept_until, attempts.device " +
			"FROM answers JOIN attempts ON attempts.id = answers.attempt_id WHERE " + keysSQL("answers.", len(keys))
		if b.dialect != "sqlite" { // SQLite's transaction holds the database's write lock already
			q += " FOR UPDATE"
		}
		rows, err := tx.QueryContext(ctx, q, keyArgs...)
		if err != nil {
			return err
		}
		state := make(map[key]*answerState, len(keys))
		for rows.Next() {
			st := &answerState{}
			if err = rows.Scan(&st.AttemptID, &st.Position, &st.Seq, &st.UserID, &st.Status, &st.AcceptUntil, &st.Device); err != nil {
				rows.Close()
				return err
			}
			state[key{st.AttemptID, st.Position}] = st
		}
		if err = rows.Close(); err != nil {
			return err
		}
		if err = rows.Err(); err != nil {
			return err
		}
		latest := map[key]*saveCall{}
		for _, c := range batch {
			k := key{c.attemptID, c.position}
			st, ok := state[k]
			c.applied = ok && c.seq > st.Seq && st.UserID == c.userID && st.Status == AttemptInProgress &&
				!st.AcceptUntil.Before(c.now) && (c.device == "" || st.Device == c.device)
			if c.applied {
				st.Seq = c.seq
				latest[k] = c
			}
		}
		if len(latest) > 0 {
			// UPDATE answers SET response = CASE WHEN … THEN ? …, seq = …,
			// saved_at = … WHERE (pairs): one statement for every changed answer.
			const when = " WHEN attempt_id = ? AND position = ? THEN ?"
			var u strings.Builder
			u.Grow(len(latest)*(3*len(when)+60) + 100)
			args := make([]any, 0, 11*len(latest))
			for col, name := range []string{"response", "seq", "saved_at"} {
				if col > 0 {
					u.WriteString(" END, ")
				} else {
					u.WriteString("UPDATE answers SET ")
				}
				u.WriteString(name)
				u.WriteString(" = CASE")
				for _, k := range keys {
					c, ok := latest[k]
					if !ok {
						continue
					}
					u.WriteString(when)
					args = append(args, c.attemptID, c.position)
					switch col {
					case 0:
						args = append(args, c.response)
					case 1:
						args = append(args, c.seq)
					default:
						args = append(args, c.now)
					}
				}
			}
			u.WriteString(" END WHERE ")
			u.WriteString(keysSQL("", len(latest)))
			for _, k := range keys {
				if c, ok := latest[k]; ok {
					args = append(args, c.attemptID, c.position)
				}
			}
			if _, err = tx.ExecContext(ctx, u.String(), args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// inSQLTx runs fn in a transaction on db's database/sql pool: committed when
// fn succeeds, rolled back otherwise. Errors come back as GORM's dialect
// translates them (gorm.ErrDuplicatedKey and the like).
func inSQLTx(ctx context.Context, db *gorm.DB, fn func(tx *sql.Tx) error) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	tx, err := sqlDB.BeginTx(ctx, nil)
	if err == nil {
		if err = fn(tx); err == nil {
			err = tx.Commit()
		} else {
			tx.Rollback()
		}
	}
	if t, ok := db.Dialector.(gorm.ErrorTranslator); ok && err != nil {
		err = t.Translate(err)
	}
	return err
}

// keysSQL matches n (attempt_id, position) pairs of answers.
func keysSQL(prefix string, n int) string {
	one := "(" + prefix + "attempt_id = ? AND " + prefix + "position = ?)"
	return "(" + strings.TrimSuffix(strings.Repeat(one+" OR ", n), " OR ") + ")"
}
