package exam_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/database/dbtest"
	"skillarena/exam"
)

// Extra time moves the save window (deadline plus grace) with the deadline,
// and the sweeper leaves the attempt alone until then.
func TestExtraTime_MovesTheSaveWindowAndTheSweepWithTheDeadline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		a, err := f.svc.Start(context.Background(), f.alice, e.ID)
		require.NoError(t, err)
		require.NoError(t, f.svc.GrantExtraTime(as(f.admin), e.ID, []int64{f.alice}, 10*time.Minute, "停电十分钟"))
		clock.Set(a.Deadline.Add(exam.DefaultGrace + 5*time.Minute))
		n, err := f.svc.Sweep(context.Background())
		require.NoError(t, err)
		assert.Zero(t, n, "the new deadline has not passed")
		_, err = f.svc.Save(context.Background(), f.alice, a.ID, a.Items[0].ID, json.RawMessage(`null`), 1)
		require.NoError(t, err, "a save inside the extended time is accepted")
		clock.Set(a.Deadline.Add(10*time.Minute + exam.DefaultGrace + time.Millisecond))
		_, err = f.svc.Save(context.Background(), f.alice, a.ID, a.Items[0].ID, json.RawMessage(`null`), 2)
		assert.Equal(t, skillarena.EDEADLINEPASSED, skillarena.ErrorCode(err))
		n, err = f.svc.Sweep(context.Background())
		require.NoError(t, err)
		assert.Equal(t, 1, n)
		got, err := f.svc.Attempt(context.Background(), f.alice, a.ID)
		require.NoError(t, err)
		assert.Equal(t, a.Deadline.Add(10*time.Minute), *got.SubmittedAt, "stamped with the extended deadline")
	})
}

// Extra time never takes an attempt past the window's close.
func TestExtraTime_NeverPastTheWindowClose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil) // 90 minutes in a 3-hour window
		clock.Advance(100 * time.Minute)
		a, err := f.svc.Start(context.Background(), f.alice, e.ID)
		require.NoError(t, err)
		assert.Equal(t, e.ClosesAt, a.Deadline, "started late: the window's close comes first")
		require.NoError(t, f.svc.GrantExtraTime(as(f.admin), e.ID, []int64{f.alice}, time.Hour, "迟到"))
		got, err := f.svc.Attempt(context.Background(), f.alice, a.ID)
		require.NoError(t, err)
		assert.Equal(t, e.ClosesAt, got.Deadline)
	})
}

// One browser per attempt: another device is refused until an invigilator
// unlocks; then the new device holds it and the old one is refused.
func TestDevice_SecondDeviceRefusedUntilUnlock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		laptop := exam.WithDevice(context.Background(), "laptop")
		phone := exam.WithDevice(context.Background(), "phone")
		a, err := f.svc.Start(laptop, f.alice, e.ID)
		require.NoError(t, err)
		_, err = f.svc.Start(phone, f.alice, e.ID)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err))
		_, err = f.svc.Save(phone, f.alice, a.ID, a.Items[0].ID, json.RawMessage(`null`), 1)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err))
		_, err = f.svc.Heartbeat(phone, f.alice, a.ID, 0, true)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err))
		_, err = f.svc.Submit(phone, f.alice, a.ID)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err))

		require.NoError(t, f.svc.Unlock(as(f.admin), e.ID, f.alice, "笔记本死机"))
		_, err = f.svc.Save(phone, f.alice, a.ID, a.Items[0].ID, json.RawMessage(`null`), 2)
		require.NoError(t, err)
		_, err = f.svc.Save(laptop, f.alice, a.ID, a.Items[0].ID, json.RawMessage(`null`), 3)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err))
	})
}

// The console shows every enrolled contestant: not started, in progress with
// answered count and focus losses, submitted.
func TestMonitor_ShowsEveryEnrolledContestantsState(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		a, err := f.svc.Start(context.Background(), f.alice, e.ID)
		require.NoError(t, err)
		// Two answers given, and four the contestant left empty or cleared:
		// only the two count as answered.
		for i, r := range []string{`"A"`, `["抢通", ""]`, `null`, `[]`, `" "`, `["", " "]`} {
			_, err := f.svc.Save(context.Background(), f.alice, a.ID, a.Items[i].ID, json.RawMessage(r), 1)
			require.NoError(t, err)
		}
		clock.Advance(time.Minute)
		beat, err := f.svc.Heartbeat(context.Background(), f.alice, a.ID, 3, false)
		require.NoError(t, err)
		assert.Equal(t, 89*60, beat.RemainingSeconds, "the server's time left")
		m, err := f.svc.Monitor(context.Background(), e.ID)
		require.NoError(t, err)
		require.Len(t, m.Rows, 2)
		byName := map[string]exam.MonitorRow{}
		for _, r := range m.Rows {
			byName[r.Username] = r
		}
		al := byName["alice"]
		assert.Equal(t, exam.StateInProgress, al.State)
		assert.Equal(t, 2, al.Answered)
		assert.Equal(t, 6, al.ItemCount)
		assert.Equal(t, 3, al.FocusLosses)
		assert.True(t, al.PageHidden)
		assert.Equal(t, clock.Now(), *al.LastSeenAt)
		assert.Equal(t, exam.StateNotStarted, byName["bob"].State)

		n, err := f.svc.ForceSubmit(as(f.admin), e.ID, []int64{f.alice}, "违纪")
		require.NoError(t, err)
		assert.Equal(t, 1, n)
		m, err = f.svc.Monitor(context.Background(), e.ID)
		require.NoError(t, err)
		for _, r := range m.Rows {
			if r.Username == "alice" {
				assert.Equal(t, exam.StateSubmitted, r.State)
				assert.Equal(t, "invigilator", r.SubmittedBy)
			}
		}
	})
}

// The open list holds what the caller can start or resume now: enrolled,
// inside the window, attempts left.
func TestListExams_OpenListsOnlyWhatTheCallerCanStartNow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		now := clock.Now()
		open := f.exam(t, nil)
		later := f.exam(t, func(in *exam.ExamInput) {
			in.Title = "明天"
			in.OpensAt = now.Add(24 * time.Hour)
			in.ClosesAt = now.Add(27 * time.Hour)
		})
		ids := func(es []exam.ExamSummary) []int64 {
			var out []int64
			for _, e := range es {
				out = append(out, e.ID)
			}
			return out
		}
		got, err := f.svc.ListExams(context.Background(), f.alice, f.scope, true)
		require.NoError(t, err)
		assert.Equal(t, []int64{open.ID}, ids(got))
		a, err := f.svc.Start(context.Background(), f.alice, open.ID)
		require.NoError(t, err)
		got, err = f.svc.ListExams(context.Background(), f.alice, f.scope, true)
		require.NoError(t, err)
		require.Len(t, got, 1, "an attempt in progress can be resumed")
		assert.Equal(t, a.ID, *got[0].AttemptID)
		_, err = f.svc.Submit(context.Background(), f.alice, a.ID)
		require.NoError(t, err)
		got, err = f.svc.ListExams(context.Background(), f.alice, f.scope, true)
		require.NoError(t, err)
		assert.Empty(t, got, "a competition allows one attempt")
		all, err := f.svc.ListExams(context.Background(), f.alice, f.scope, false)
		require.NoError(t, err)
		assert.ElementsMatch(t, []int64{open.ID, later.ID}, ids(all))
	})
}

// Extra time for several contestants at once is granted to each once, in
// one go: a list with someone off the roster grants nobody anything.
func TestExtraTime_ManyAtOnceEachOnceOrNobody(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		a, err := f.svc.Start(context.Background(), f.alice, e.ID)
		require.NoError(t, err)
		extra := func() map[int64]int {
			ens, err := f.svc.Enrolments(context.Background(), e.ID)
			require.NoError(t, err)
			out := map[int64]int{}
			for _, en := range ens {
				out[en.UserID] = en.ExtraSeconds
			}
			return out
		}

		require.NoError(t, f.svc.GrantExtraTime(as(f.admin), e.ID, []int64{f.alice, f.bob, f.alice}, 10*time.Minute, "停电"))
		assert.Equal(t, map[int64]int{f.alice: 600, f.bob: 600}, extra())
		v, err := f.svc.Attempt(context.Background(), f.alice, a.ID)
		require.NoError(t, err)
		assert.Equal(t, a.Deadline.Add(10*time.Minute), v.Deadline)
		var audited int64
		require.NoError(t, db.Table("audit_entries").Where("action = ?", "exam.extra_time").Count(&audited).Error)
		assert.EqualValues(t, 2, audited)

		err = f.svc.GrantExtraTime(as(f.admin), e.ID, []int64{f.alice, f.admin}, 10*time.Minute, "停电")
		var se *skillarena.Error
		require.ErrorAs(t, err, &se)
		assert.Equal(t, skillarena.ENOTFOUND, se.Code)
		assert.Equal(t, map[int64]int{f.alice: 600, f.bob: 600}, extra(), "nobody got time")
	})
}
