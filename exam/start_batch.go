package exam

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// startBatcher writes concurrent starts together (see batcher): at an
// exam's opening everyone starts within seconds, and each start written
// alone costs a transaction of four round trips (begin, the attempt, its
// empty answers, commit), which on a busy machine cost more than the rows.
// A batch writes its starts in one transaction of six (begin, a locked read
// of the exams, every attempt, their ids, every answer, commit) and, should
// it fail, each start again alone, which then tells the start its own
// outcome (a second tab's start that lost the race, an exam edited since it
// was read).
type startBatcher struct {
	batcher[startCall]
	s *Service
	// batched counts the starts committed together with others.
	batched atomic.Int64
}

// startBatchMax bounds one transaction's starts.
const startBatchMax = 64

// answersPerInsert bounds the rows of one INSERT of empty answers.
const answersPerInsert = 4000

// startCall is one start to write: the attempt (its ID set once written),
// the exam as the start read it, and the paper's items.
type startCall struct {
	a     *Attempt
	exam  Exam
	items []Item
	err   error
}

func newStartBatcher(s *Service) *startBatcher {
	b := &startBatcher{s: s}
	b.batcher = batcher[startCall]{writers: writersFor(s.db), max: startBatchMax, exec: b.exec}
	return b
}

// insert writes a start's attempt and its empty answers: see insertAttempt.
func (b *startBatcher) insert(ctx context.Context, a *Attempt, e Exam, items []Item) error {
	c := &startCall{a: a, exam: e, items: items}
	if err := b.run(ctx, c); err != nil {
		return err
	}
	return c.err
}

func (b *startBatcher) exec(batch []*startCall) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if len(batch) > 1 {
		var written []*startCall
		err := inSQLTx(ctx, b.s.db, func(tx *sql.Tx) error {
			var err error
			written, err = b.writeAll(ctx, tx, batch)
			return err
		})
		if err == nil {
			b.batched.Add(int64(len(written)))
			return
		}
		for _, c := range batch {
			c.a.ID, c.err = 0, nil
		}
	}
	for _, c := range batch {
		c.err = b.s.insertAttempt(ctx, c.a, c.exam, c.items)
	}
}

// writeAll writes a batch's starts inside tx and returns those written;
// the others are told errExamChanged. As insertAttempt's, its read of the
// exams holds a shared lock on each until the commit.
func (b *startBatcher) writeAll(ctx context.Context, tx *sql.Tx, batch []*startCall) ([]*startCall, error) {
	type examAt struct {
		id int64
		at time.Time
	}
	var exams []examAt
	for _, c := range batch {
		k := examAt{c.exam.ID, c.exam.UpdatedAt}
		if !slices.ContainsFunc(exams, func(e examAt) bool { return e.id == k.id && e.at.Equal(k.at) }) {
			exams = append(exams, k)
		}
	}
	var q strings.Builder
	args := make([]any, 0, 2*len(exams))
	q.WriteString("SELECT id, updated_at FROM exams WHERE ")
	for i, e := range exams {
		if i > 0 {
			q.WriteString(" OR ")
		}
		q.WriteString("(id = ? AND updated_at = ?)")
		args = append(args, e.id, e.at)
	}
	if b.s.db.Dialector.Name() == "mysql" {
		q.WriteString(" LOCK IN SHARE MODE")
	}
	rows, err := tx.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return nil, err
	}
	var unchanged []examAt
	for rows.Next() {
		var e examAt
		if err := rows.Scan(&e.id, &e.at); err != nil {
			rows.Close()
			return nil, err
		}
		unchanged = append(unchanged, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var todo []*startCall
	for _, c := range batch {
		if slices.ContainsFunc(unchanged, func(e examAt) bool { return e.id == c.exam.ID && e.at.Equal(c.exam.UpdatedAt) }) {
			todo = append(todo, c)
		} else {
			c.err = errExamChanged
		}
	}
	if len(todo) == 0 {
		return nil, nil
	}

	q.Reset()
	args = make([]any, 0, 12*len(todo))
	q.WriteString("INSERT INTO attempts (exam_id, user_id, number, paper_id, status, started_at, deadline, last_seen_at, accept_until, " +
		"device, created_at, updated_at) VALUES ")
	for i, c := range todo {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		a := c.a
		args = append(args, a.ExamID, a.UserID, a.Number, a.PaperID, a.Status, a.StartedAt, a.Deadline,
			a.LastSeenAt, a.AcceptUntil, a.Device, a.CreatedAt, a.UpdatedAt)
	}
	if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
		return nil, err
	}

	// The new attempts' ids, by their unique key: a superset is read (every
	// exam × user × number of the batch) and matched exactly.
	type key struct {
		exam, user int64
		number     int
	}
	ids := map[key]int64{}
	examIDs, userIDs, numbers := []any{}, []any{}, []any{}
	for _, c := range todo {
		examIDs, userIDs, numbers = appendNew(examIDs, c.a.ExamID), appendNew(userIDs, c.a.UserID), appendNew(numbers, c.a.Number)
	}
	rows, err = tx.QueryContext(ctx, "SELECT id, exam_id, user_id, number FROM attempts WHERE exam_id IN ("+placeholders(len(examIDs))+
		") AND user_id IN ("+placeholders(len(userIDs))+") AND number IN ("+placeholders(len(numbers))+")",
		append(append(examIDs, userIDs...), numbers...)...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var k key
		if err := rows.Scan(&id, &k.exam, &k.user, &k.number); err != nil {
			rows.Close()
			return nil, err
		}
		ids[k] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, c := range todo {
		id, ok := ids[key{c.a.ExamID, c.a.UserID, c.a.Number}]
		if !ok {
			return nil, errors.New("start batch: an attempt written is not found")
		}
		c.a.ID = id
	}

	if err := insertEmptyAnswers(ctx, tx, todo); err != nil {
		return nil, err
	}
	return todo, nil
}

// insertEmptyAnswers creates the empty answer of every item of each start's
// attempt (whose id is known), in multi-row INSERTs of up to answersPerInsert
// rows: the start burst's hottest statement.
func insertEmptyAnswers(ctx context.Context, tx *sql.Tx, starts []*startCall) error {
	var q strings.Builder
	var args []any
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, q.String(), args...)
		q.Reset()
		args, n = args[:0], 0
		return err
	}
	for _, c := range starts {
		for _, it := range c.items {
			if n == 0 {
				q.WriteString("INSERT INTO answers (attempt_id, position, seq) VALUES (?, ?, 0)")
			} else {
				q.WriteString(", (?, ?, 0)")
			}
			args = append(args, c.a.ID, it.Position)
			if n++; n == answersPerInsert {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// appendNew appends v to s unless s holds it.
func appendNew[T comparable](s []any, v T) []any {
	for _, x := range s {
		if x == any(v) {
			return s
		}
	}
	return append(s, v)
}

// placeholders is n question marks, comma-separated.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
