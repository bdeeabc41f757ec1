package exam_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/database/dbtest"
	"skillarena/exam"
	"skillarena/org"
)

// startQueued starts each (user, exam) at once while the start writers are
// held, releases them when every start has queued, and returns each start's
// outcome in order.
func startQueued(t *testing.T, f *fixture, starts [][2]int64) ([]exam.AttemptView, []error) {
	t.Helper()
	queued, release := f.svc.HoldStarts()
	views, errs := make([]exam.AttemptView, len(starts)), make([]error, len(starts))
	var wg sync.WaitGroup
	for i, s := range starts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			views[i], errs[i] = f.svc.Start(context.Background(), s[0], s[1])
		}()
	}
	require.Eventually(t, func() bool { return queued() == len(starts) }, 10*time.Second, time.Millisecond, "every start queued")
	release()
	wg.Wait()
	return views, errs
}

// answerRows counts an attempt's stored answers.
func answerRows(t *testing.T, db *gorm.DB, attemptID int64) int64 {
	t.Helper()
	var n int64
	require.NoError(t, db.Table("answers").Where("attempt_id = ?", attemptID).Count(&n).Error)
	return n
}

// Starts that arrive together (an exam's opening) are written in one
// transaction, each as its own attempt with its own empty answers, also
// when they start different exams.
func TestStart_ConcurrentStartsAreWrittenTogetherEachWithItsOwnAttemptAndAnswers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		ctx := context.Background()
		var ins []org.UserInput
		for i := 0; i < 6; i++ {
			ins = append(ins, org.UserInput{Username: fmt.Sprintf("eng%d", i), Name: fmt.Sprintf("工程师%d", i), OrgUnitID: f.prov.ID})
		}
		more, err := f.org.SeedUsers(ctx, ins, "secret123")
		require.NoError(t, err)
		first, second := f.exam(t, nil), f.exam(t, nil)
		users := []int64{f.alice, f.bob}
		for _, u := range more {
			users = append(users, u.ID)
		}
		require.NoError(t, f.svc.Enrol(as(f.admin), first.ID, users))
		var starts [][2]int64
		for _, u := range users {
			starts = append(starts, [2]int64{u, first.ID})
		}
		starts = append(starts, [2]int64{f.alice, second.ID}, [2]int64{f.bob, second.ID})

		views, errs := startQueued(t, f, starts)
		assert.EqualValues(t, len(starts), f.svc.BatchedStarts(), "all written in one batch")
		seen := map[int64]bool{}
		for i, v := range views {
			require.NoError(t, errs[i], "start %d", i)
			assert.True(t, v.Fresh)
			assert.Equal(t, starts[i][0], v.UserID, "start %d is its contestant's", i)
			assert.Equal(t, starts[i][1], v.ExamID)
			assert.False(t, seen[v.ID], "attempt %d given twice", v.ID)
			seen[v.ID] = true
			require.Len(t, v.Answers, len(v.Items))
			assert.EqualValues(t, len(v.Items), answerRows(t, db, v.ID), "attempt %d has one empty answer per item", v.ID)
			again, err := f.svc.Attempt(ctx, starts[i][0], v.ID)
			require.NoError(t, err)
			assert.Equal(t, v.Items, again.Items, "the attempt read back is the one started")
			assert.True(t, again.Deadline.Equal(v.Deadline))
		}
		assert.EqualValues(t, len(users), f.count(t, "attempts", first.ID))
		assert.EqualValues(t, 2, f.count(t, "attempts", second.ID))
	})
}

// An edit of the exam committed while starts wait to be written makes each
// of them start again, with the new settings.
func TestStart_StartsQueuedWhileTheExamIsEditedStartAgainWithTheNewSettings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		queued, release := f.svc.HoldStarts()
		views, errs := make([]exam.AttemptView, 2), make([]error, 2)
		var wg sync.WaitGroup
		for i, u := range []int64{f.alice, f.bob} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				views[i], errs[i] = f.svc.Start(context.Background(), u, e.ID)
			}()
		}
		require.Eventually(t, func() bool { return queued() == 2 }, 10*time.Second, time.Millisecond)
		clock.Advance(time.Second)
		_, err := f.update(t, e.ID, func(in *exam.ExamInput) { in.Duration = time.Hour })
		require.NoError(t, err)
		release()
		wg.Wait()
		for i, v := range views {
			require.NoError(t, errs[i])
			assert.True(t, v.Deadline.Equal(v.StartedAt.Add(time.Hour)), "start %d: deadline %s from the edited duration", i, v.Deadline)
			assert.EqualValues(t, len(v.Items), answerRows(t, db, v.ID))
		}
		assert.EqualValues(t, 2, f.count(t, "attempts", e.ID))
	})
}

// Two tabs starting the same attempt in one batch: the batch fails on the
// attempt's unique key and each start is written alone; the second finds
// the first's attempt and resumes it.
func TestStart_TwoTabsStartingInOneBatchShareOneAttempt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		views, errs := startQueued(t, f, [][2]int64{{f.alice, e.ID}, {f.alice, e.ID}, {f.bob, e.ID}})
		for i := range views {
			require.NoError(t, errs[i], "start %d", i)
		}
		assert.Equal(t, views[0].ID, views[1].ID, "one attempt for both tabs")
		assert.NotEqual(t, views[0].ID, views[2].ID)
		assert.True(t, views[0].Fresh != views[1].Fresh, "one tab started it, the other resumed it")
		assert.EqualValues(t, 2, f.count(t, "attempts", e.ID))
		for _, v := range views {
			assert.EqualValues(t, len(v.Items), answerRows(t, db, v.ID))
		}
		assert.Zero(t, f.svc.BatchedStarts(), "the batch failed and each start was written alone")
	})
}
