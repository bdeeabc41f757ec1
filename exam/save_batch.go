package exam

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// saveBatcher runs concurrent autosaves together (see batcher): each batch
// is one transaction of three statements: a locked read of the answers and
// their attempts, one UPDATE of every answer whose save passes Save's
// conditions, and the commit. A save that arrives alone runs as Save's single
// conditional UPDATE. Either way a save is acknowledged only after its
// transaction commits.
type saveBatcher struct {
	batcher[saveCall]
	prepared *gorm.DB // the single save, a prepared statement
	db       *gorm.DB // the batch's statements, whose text varies with its size
	dialect  string

	// batched counts the saves committed together with others; atOnce and
	// checked count the batches written by writeAll and by writeChecked.
	batched, atOnce, checked atomic.Int64
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
}

func newSaveBatcher(db *gorm.DB) *saveBatcher {
	b := &saveBatcher{prepared: db.Session(&gorm.Session{PrepareStmt: true}), db: db, dialect: db.Dialector.Name()}
	b.batcher = batcher[saveCall]{writers: writersFor(db), max: saveBatchMax, exec: b.exec}
	return b
}

// writersFor is how many batches of one kind run at once: two on MySQL, one
// on SQLite, whose one connection runs transactions one after another.
func writersFor(db *gorm.DB) int {
	if db.Dialector.Name() == "sqlite" {
		return 1
	}
	return 2
}

// save queues c and waits until its transaction has run, or ctx ends (the
// save may then still be applied, unacknowledged, as any save whose reply is
// lost).
func (b *saveBatcher) save(ctx context.Context, c *saveCall) (applied bool, err error) {
	if err := b.run(ctx, c); err != nil {
		return false, err
	}
	return c.applied, c.err
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

// execBatch runs a batch in one transaction. It runs on database/sql
// directly: the statements are plain, and GORM's building of them cost more
// than running them.
//
// Most batches are one save per item, each passing its conditions, and are
// written by one UPDATE that carries every save's conditions (writeAll);
// every round trip counts when the cores are busy. When that UPDATE does not
// write every item, it is rolled back and the batch goes the exact way
// (writeChecked): a locked read of the answers and their attempts, the saves
// applied in (attempt, item, seq) order against it as the single statement
// would, then one UPDATE of each changed answer.
func (b *saveBatcher) execBatch(ctx context.Context, batch []*saveCall) error {
	slices.SortFunc(batch, func(x, y *saveCall) int {
		return cmp.Or(cmp.Compare(x.attemptID, y.attemptID), cmp.Compare(x.position, y.position), cmp.Compare(x.seq, y.seq))
	})
	// latest holds each item's newest save, in (attempt, item) order.
	var latest []*saveCall
	oneEach := true // one save per item, so writeAll can tell each one's outcome
	for i, c := range batch {
		if i > 0 && batch[i-1].attemptID == c.attemptID && batch[i-1].position == c.position {
			latest[len(latest)-1] = c
			oneEach = false
			continue
		}
		latest = append(latest, c)
	}
	if oneEach {
		err := inSQLTx(ctx, b.db, func(tx *sql.Tx) error { return b.writeAll(ctx, tx, latest) })
		if err == nil {
			for _, c := range batch {
				c.applied = true
			}
			b.atOnce.Add(1)
			return nil
		}
		if !errors.Is(err, errNotAllWritten) {
			return err
		}
	}
	err := inSQLTx(ctx, b.db, func(tx *sql.Tx) error { return b.writeChecked(ctx, tx, batch, latest) })
	if err == nil {
		b.checked.Add(1)
	}
	return err
}

// errNotAllWritten rolls back writeAll's transaction when some save did not
// pass its conditions.
var errNotAllWritten = errors.New("not every save passed its conditions")

// writeAll writes one save per item in one UPDATE whose WHERE holds each
// save's conditions (those of saveSQLUpdate and saveSQLExists); it fails
// with errNotAllWritten unless it wrote every one.
func (b *saveBatcher) writeAll(ctx context.Context, tx *sql.Tx, saves []*saveCall) error {
	var u strings.Builder
	args := make([]any, 0, 17*len(saves)+1)
	if b.dialect == "sqlite" {
		u.WriteString("UPDATE answers SET ")
		args = writeSetCase(&u, args, saves, "")
		u.WriteString(" FROM attempts WHERE")
	} else {
		// STRAIGHT_JOIN: the answers are read first, by their keys, and
		// updated as they are read; each one's attempt follows by its key.
		u.WriteString("UPDATE answers STRAIGHT_JOIN attempts ON attempts.id = answers.attempt_id SET ")
		args = writeSetCase(&u, args, saves, "answers.")
		u.WriteString(" WHERE")
	}
	u.WriteString(" attempts.id = answers.attempt_id AND attempts.status = ? AND (")
	args = append(args, AttemptInProgress)
	for i, c := range saves {
		if i > 0 {
			u.WriteString(" OR ")
		}
		u.WriteString("(answers.attempt_id = ? AND answers.position = ? AND answers.seq < ? AND attempts.user_id = ? AND attempts.accept_until >= ?")
		args = append(args, c.attemptID, c.position, c.seq, c.userID, c.now)
		if c.device != "" {
			u.WriteString(" AND attempts.device = ?")
			args = append(args, c.device)
		}
		u.WriteString(")")
	}
	u.WriteString(")")
	res, err := tx.ExecContext(ctx, u.String(), args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != int64(len(saves)) {
		return errNotAllWritten
	}
	return nil
}

// writeSetCase writes the SET list of an UPDATE that gives each answer of
// saves (one per item) its save's response, seq and time: response = CASE
// WHEN … THEN ? … END, seq = …, saved_at = …. prefix qualifies the columns
// read ("answers." where the UPDATE joins attempts).
func writeSetCase(u *strings.Builder, args []any, saves []*saveCall, prefix string) []any {
	when := " WHEN " + prefix + "attempt_id = ? AND " + prefix + "position = ? THEN ?"
	u.Grow(len(saves)*3*len(when) + 100)
	for col, name := range []string{"response", "seq", "saved_at"} {
		if col > 0 {
			u.WriteString(" END, ")
		}
		u.WriteString(prefix)
		u.WriteString(name)
		u.WriteString(" = CASE")
		for _, c := range saves {
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
	u.WriteString(" END")
	return args
}

// writeChecked applies the batch (sorted, with its newest save of each item
// in latest) against the answers and attempts it reads under lock, then
// writes each changed answer once.
func (b *saveBatcher) writeChecked(ctx context.Context, tx *sql.Tx, batch, latest []*saveCall) error {
	type key struct {
		attempt  int64
		position int
	}
	keyArgs := make([]any, 0, 2*len(latest))
	for _, c := range latest {
		keyArgs = append(keyArgs, c.attemptID, c.position)
	}
	// ORed equalities on the primary key: a range read in both databases
	// (SQLite has no row-value lists).
	q := "SELECT answers.attempt_id, answers.position, answers.seq, attempts.user_id, attempts.status, attempts.accept_until, attempts.device " +
		"FROM answers JOIN attempts ON attempts.id = answers.attempt_id WHERE " + keysSQL("answers.", len(latest))
	if b.dialect != "sqlite" { // SQLite's transaction holds the database's write lock already
		q += " FOR UPDATE"
	}
	rows, err := tx.QueryContext(ctx, q, keyArgs...)
	if err != nil {
		return err
	}
	state := make(map[key]*answerState, len(latest))
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
	changed := map[key]*saveCall{}
	for _, c := range batch {
		k := key{c.attemptID, c.position}
		st, ok := state[k]
		c.applied = ok && c.seq > st.Seq && st.UserID == c.userID && st.Status == AttemptInProgress &&
			!st.AcceptUntil.Before(c.now) && (c.device == "" || st.Device == c.device)
		if c.applied {
			st.Seq = c.seq
			changed[k] = c
		}
	}
	if len(changed) == 0 {
		return nil
	}
	write := make([]*saveCall, 0, len(changed))
	for _, c := range latest {
		if w, ok := changed[key{c.attemptID, c.position}]; ok {
			write = append(write, w)
		}
	}
	var u strings.Builder
	u.WriteString("UPDATE answers SET ")
	args := writeSetCase(&u, make([]any, 0, 11*len(write)), write, "")
	u.WriteString(" WHERE ")
	u.WriteString(keysSQL("", len(write)))
	for _, c := range write {
		args = append(args, c.attemptID, c.position)
	}
	_, err = tx.ExecContext(ctx, u.String(), args...)
	return err
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
