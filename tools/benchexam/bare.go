package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// exam.Service.Save's statement, word for word in three pieces (a test
// checks each against exam/save_batch.go): one conditional UPDATE per autosave,
// with the clause that holds the attempt to the browser that bound it.
const (
	saveSQLUpdate = "UPDATE answers SET response = ?, seq = ?, saved_at = ? WHERE attempt_id = ? AND position = ? AND seq < ? "
	saveSQLExists = "AND EXISTS (SELECT 1 FROM attempts WHERE attempts.id = ? AND attempts.user_id = ? AND attempts.status = ? AND attempts.accept_until >= ?"
	saveSQLDevice = " AND attempts.device = ?"
	saveSQL       = saveSQLUpdate + saveSQLExists + saveSQLDevice + ")"
)

// BareResult is the bare loop's figures.
type BareResult struct {
	Workers    int           `json:"workers"`
	Duration   time.Duration `json:"duration"`
	Updates    int64         `json:"updates"`
	Missed     int64         `json:"missed"` // statements that changed no row (should be 0)
	Errors     int64         `json:"errors"`
	Throughput float64       `json:"throughput_per_s"`
	P50        time.Duration `json:"p50"`
	P99        time.Duration `json:"p99"`
	FirstError string        `json:"first_error,omitempty"`
}

// bare runs Save's statement straight through database/sql, the same
// driver and pool settings the server uses, from workers goroutines in
// closed loops over the exam's in-progress answers: the ceiling our
// autosave is compared with. Its seqs start above anything a contestant
// sent, so every statement writes.
func bare(ctx context.Context, db *gorm.DB, examID int64, items, workers int, d time.Duration, firstSeq int64) (BareResult, error) {
	res := BareResult{Workers: workers, Duration: d}
	var rows []struct {
		ID     int64
		UserID int64
		Device string
	}
	if err := db.WithContext(ctx).Raw("SELECT id, user_id, device FROM attempts WHERE exam_id = ? AND status = ?", examID, "in_progress").Scan(&rows).Error; err != nil {
		return res, err
	}
	if len(rows) == 0 {
		return res, fmt.Errorf("exam %d has no attempt in progress", examID)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return res, err
	}
	stmt, err := sqlDB.PrepareContext(ctx, saveSQL)
	if err != nil {
		return res, err
	}
	defer stmt.Close()
	workers = min(workers, len(rows)*items)
	res.Workers = workers
	var seq atomic.Int64
	seq.Store(firstSeq)
	var updates, missed, errs atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, workers)
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Worker w alone writes rows w, w+workers, … of the exam's
			// answers, so no two statements race for one row.
			total := len(rows) * items
			for k := w; time.Now().Before(stop) && ctx.Err() == nil; k += workers {
				if k >= total {
					k = w
				}
				a := rows[k/items]
				pos := k%items + 1
				s := seq.Add(1)
				now := time.Now().UTC()
				t := time.Now()
				r, err := stmt.ExecContext(ctx, fmt.Sprintf(`"bare %d"`, s), s, now, a.ID, pos, s, a.ID, a.UserID, "in_progress", now, a.Device)
				lat[w] = append(lat[w], time.Since(t))
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				if n, _ := r.RowsAffected(); n == 1 {
					updates.Add(1)
				} else {
					missed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	res.Updates, res.Missed, res.Errors = updates.Load(), missed.Load(), errs.Load()
	res.Throughput = float64(res.Updates) / took.Seconds()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	res.P50, res.P99 = percentile(all, 50), percentile(all, 99)
	if e := firstErr.Load(); e != nil {
		res.FirstError = e.(string)
	}
	return res, nil
}
