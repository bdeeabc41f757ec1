package exam_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"skillarena"
	"skillarena/content"
	"skillarena/database/dbtest"
	"skillarena/exam"
	"skillarena/org"
)

type fixture struct {
	db      *gorm.DB
	clock   *skillarena.FixedClock
	org     *org.Service
	content *content.Service
	svc     *exam.Service
	prov    org.Unit
	scope   org.Scope
	admin   int64
	alice   int64
	bob     int64
	bank    int64
	bp      exam.Blueprint
}

func as(id int64) context.Context {
	return skillarena.WithActor(context.Background(), skillarena.Actor{UserID: id, Username: "u"})
}

// newFixture: a province with an organiser, two contestants, and a bank of
// approved questions: 6 single choice, 4 true/false, 2 fill-in, 2 essays on
// topic 2.
func newFixture(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) *fixture {
	f := &fixture{db: db, clock: clock}
	f.org = org.NewService(db, clock, org.Options{Hasher: org.NewHasher(org.Argon2Params{Memory: 64, Time: 1, Threads: 1})})
	f.content = content.NewService(db, clock, f.org.Audit())
	f.svc = exam.NewService(db, clock, f.org.Audit(), f.content)
	ctx := context.Background()
	var err error
	f.prov, err = f.org.CreateUnit(ctx, nil, org.UnitInput{Name: "省", Code: "PROV"})
	require.NoError(t, err)
	f.scope = org.Scope{Paths: []string{f.prov.Path}}
	us, err := f.org.SeedUsers(ctx, []org.UserInput{{Username: "admin", Name: "管理员", OrgUnitID: f.prov.ID},
		{Username: "author2", Name: "审核", OrgUnitID: f.prov.ID},
		{Username: "alice", Name: "甲", OrgUnitID: f.prov.ID}, {Username: "bob", Name: "乙", OrgUnitID: f.prov.ID}}, "secret123")
	require.NoError(t, err)
	f.admin, f.alice, f.bob = us[0].ID, us[2].ID, us[3].ID
	b, err := f.content.CreateBank(as(f.admin), f.scope, content.BankInput{OrgUnitID: f.prov.ID, Name: "题库"})
	require.NoError(t, err)
	f.bank = b.ID
	yes := true
	var ids []int64
	add := func(in content.EditInput) {
		q, err := f.content.CreateQuestion(as(f.admin), f.scope, f.bank, in)
		require.NoError(t, err)
		ids = append(ids, q.ID)
	}
	for i := 0; i < 6; i++ {
		add(content.EditInput{TopicID: 2, Draft: content.Draft{Type: content.SingleChoice, Stem: fmt.Sprintf("单选%d", i), Difficulty: 2,
			Options: []content.Option{{Key: "A", Text: "对的"}, {Key: "B", Text: "错的"}, {Key: "C", Text: "也错"}}, Key: content.Key{Choices: []string{"A"}}}})
	}
	for i := 0; i < 4; i++ {
		add(content.EditInput{TopicID: 2, Draft: content.Draft{Type: content.TrueFalse, Stem: fmt.Sprintf("判断%d", i), Difficulty: 1, Key: content.Key{True: &yes}}})
	}
	for i := 0; i < 2; i++ {
		add(content.EditInput{TopicID: 2, Draft: content.Draft{Type: content.FillBlank, Stem: fmt.Sprintf("填空%d：先___后修复", i), Difficulty: 2,
			Key: content.Key{Blanks: []content.Blank{{Accepted: []string{"抢通"}}}}, Normalization: content.DefaultNormalization}})
		add(content.EditInput{TopicID: 2, Draft: content.Draft{Type: content.Essay, Stem: fmt.Sprintf("论述%d", i), Difficulty: 4, ReferenceAnswer: "要点"}})
	}
	require.NoError(t, f.content.TransitionMany(as(f.admin), f.scope, ids, content.ActionSubmit, ""))
	require.NoError(t, f.content.TransitionMany(as(us[1].ID), f.scope, ids, content.ActionApprove, ""))
	f.bp, err = f.svc.CreateBlueprint(as(f.admin), f.scope, exam.BlueprintInput{OrgUnitID: f.prov.ID, Name: "标准卷", Sections: []exam.Section{
		{Title: "单选", TopicID: 2, Type: content.SingleChoice, Count: 3, PointsEach: 200},
		{Title: "判断", TopicID: 2, Type: content.TrueFalse, Count: 2, PointsEach: 100},
		{Title: "论述", TopicID: 2, Type: content.Essay, Count: 1, PointsEach: 1000},
	}})
	require.NoError(t, err)
	return f
}

func (f *fixture) exam(t *testing.T, mod func(in *exam.ExamInput)) exam.Exam {
	in := exam.ExamInput{OrgUnitID: f.prov.ID, Title: "笔试", OpensAt: f.clock.Now(), ClosesAt: f.clock.Now().Add(3 * time.Hour),
		Duration: 90 * time.Minute, BlueprintID: f.bp.ID, BankIDs: []int64{f.bank}, Shuffle: exam.Shuffle{Questions: true, Options: true}}
	if mod != nil {
		mod(&in)
	}
	e, err := f.svc.CreateExam(as(f.admin), f.scope, in)
	require.NoError(t, err)
	require.NoError(t, f.svc.Enrol(as(f.admin), e.ID, []int64{f.alice, f.bob}))
	return e
}

func TestDeadline_StartPlusDurationPlusExtraButNeverAfterClose(t *testing.T) {
	start := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	e := exam.Exam{DurationSeconds: 3600, ClosesAt: start.Add(2 * time.Hour)}
	assert.Equal(t, start.Add(time.Hour), exam.Deadline(start, e, 0))
	assert.Equal(t, start.Add(70*time.Minute), exam.Deadline(start, e, 10*time.Minute))
	late := start.Add(90 * time.Minute)
	assert.Equal(t, e.ClosesAt, exam.Deadline(late, e, 0), "a late starter ends with the window")
}

func TestCreateExam_ABlueprintTheBankCannotFillIsRefusedWithTheMissingCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		bp, err := f.svc.CreateBlueprint(as(f.admin), f.scope, exam.BlueprintInput{OrgUnitID: f.prov.ID, Name: "太大", Sections: []exam.Section{
			{Title: "单选", TopicID: 2, Type: content.SingleChoice, Count: 10, PointsEach: 100},
			{Title: "多选", TopicID: 2, Type: content.MultipleChoice, Count: 2, PointsEach: 100},
			{Title: "判断", TopicID: 2, Type: content.TrueFalse, Count: 2, PointsEach: 100},
		}})
		require.NoError(t, err)
		_, err = f.svc.CreateExam(as(f.admin), f.scope, exam.ExamInput{OrgUnitID: f.prov.ID, Title: "x", OpensAt: clock.Now(), ClosesAt: clock.Now().Add(time.Hour),
			Duration: time.Hour, BlueprintID: bp.ID, BankIDs: []int64{f.bank}})
		var e *skillarena.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "exam.blueprint_short", e.Message)
		assert.Equal(t, "1:单选:6/10; 2:多选:0/2", e.Args["Sections"])
	})
}

func TestStart_ComputesTheDeadlineOnceAndAReloadKeepsIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		a, err := f.svc.Start(context.Background(), f.alice, e.ID)
		require.NoError(t, err)
		assert.Equal(t, clock.Now().Add(90*time.Minute), a.Deadline)
		assert.Equal(t, 90*60, a.RemainingSeconds)
		require.Len(t, a.Items, 6)
		clock.Advance(10 * time.Minute)
		again, err := f.svc.Start(context.Background(), f.alice, e.ID)
		require.NoError(t, err)
		assert.Equal(t, a.ID, again.ID, "starting again returns the attempt in progress")
		assert.Equal(t, a.Deadline, again.Deadline, "a reload never resets the timer")
		assert.Equal(t, 80*60, again.RemainingSeconds)
	})
}

func TestStart_OnlyEnrolledAndInsideTheWindow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, func(in *exam.ExamInput) { in.OpensAt = clock.Now().Add(time.Hour) })
		_, err := f.svc.Start(context.Background(), f.alice, e.ID)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "not open yet")
		_, err = f.svc.Start(context.Background(), f.admin, e.ID)
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err), "not enrolled")
		clock.Advance(4 * time.Hour)
		_, err = f.svc.Start(context.Background(), f.alice, e.ID)
		assert.Equal(t, skillarena.EDEADLINEPASSED, skillarena.ErrorCode(err), "closed")
	})
}

func TestItems_NeverCarryTheKey(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		a, err := f.svc.Start(context.Background(), f.alice, f.exam(t, nil).ID)
		require.NoError(t, err)
		b, err := json.Marshal(a.Items)
		require.NoError(t, err)
		assert.NotContains(t, string(b), "choices")
		assert.NotContains(t, string(b), "accepted")
		assert.NotContains(t, string(b), "\"true\"")
		for _, it := range a.Items {
			for i, o := range it.Options {
				assert.Equal(t, string(rune('A'+i)), o.Key, "options are relabelled in the order shown")
			}
		}
	})
}

// An older or equal sequence never overwrites a newer one.
func TestSave_OlderSequenceNeverOverwritesNewer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		a, err := f.svc.Start(context.Background(), f.alice, f.exam(t, nil).ID)
		require.NoError(t, err)
		pos := a.Items[0].ID
		_, err = f.svc.Save(context.Background(), f.alice, a.ID, pos, json.RawMessage(`"B"`), 2)
		require.NoError(t, err)
		_, err = f.svc.Save(context.Background(), f.alice, a.ID, pos, json.RawMessage(`"C"`), 1)
		assert.Equal(t, skillarena.ESTALEWRITE, skillarena.ErrorCode(err))
		_, err = f.svc.Save(context.Background(), f.alice, a.ID, pos, json.RawMessage(`"C"`), 2)
		assert.Equal(t, skillarena.ESTALEWRITE, skillarena.ErrorCode(err), "equal is stale too")
		v, err := f.svc.Attempt(context.Background(), f.alice, a.ID)
		require.NoError(t, err)
		for _, an := range v.Answers {
			if an.Position == pos {
				assert.Equal(t, `"B"`, *an.Response)
				assert.EqualValues(t, 2, an.Seq)
			}
		}
		// Another contestant cannot write into it, nor read it.
		_, err = f.svc.Save(context.Background(), f.bob, a.ID, pos, json.RawMessage(`"C"`), 9)
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err))
		_, err = f.svc.Attempt(context.Background(), f.bob, a.ID)
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err))
	})
}

// A save up to the deadline plus grace is accepted; later it is refused with
// deadline_passed and recorded.
func TestSave_DeadlinePlusGraceBoundary(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		a, err := f.svc.Start(context.Background(), f.alice, f.exam(t, nil).ID)
		require.NoError(t, err)
		pos := a.Items[0].ID
		clock.Set(a.Deadline.Add(exam.DefaultGrace))
		_, err = f.svc.Save(context.Background(), f.alice, a.ID, pos, json.RawMessage(`"A"`), 1)
		require.NoError(t, err, "exactly at deadline + grace is still in time")
		clock.Advance(time.Millisecond)
		_, err = f.svc.Save(context.Background(), f.alice, a.ID, pos, json.RawMessage(`"B"`), 2)
		assert.Equal(t, skillarena.EDEADLINEPASSED, skillarena.ErrorCode(err))
		var refused int64
		require.NoError(t, db.Table("refused_saves").Where("attempt_id = ?", a.ID).Count(&refused).Error)
		assert.EqualValues(t, 1, refused, "the refused save is recorded")
	})
}

func TestSubmit_IsIdempotentAndGradesObjectiveItems(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		a, err := f.svc.Start(context.Background(), f.alice, f.exam(t, func(in *exam.ExamInput) { in.Shuffle = exam.Shuffle{} }).ID)
		require.NoError(t, err)
		// Unshuffled: items 1-3 single choice (key A), 4-5 true/false (true), 6 essay.
		answers := map[int]string{1: `"A"`, 2: `"B"`, 3: `"A"`, 4: `true`, 5: `false`, 6: `"我的论述"`}
		for pos, r := range answers {
			_, err := f.svc.Save(context.Background(), f.alice, a.ID, pos, json.RawMessage(r), 1)
			require.NoError(t, err)
		}
		clock.Advance(time.Minute)
		s1, err := f.svc.Submit(context.Background(), f.alice, a.ID)
		require.NoError(t, err)
		assert.Equal(t, exam.AttemptSubmitted, s1.Status)
		require.NotNil(t, s1.Score)
		assert.Equal(t, skillarena.Points(500), *s1.Score, "2 + 2 + 1 points")
		assert.False(t, s1.Graded, "the essay awaits judges")
		assert.Equal(t, clock.Now(), *s1.SubmittedAt)
		clock.Advance(time.Minute)
		s2, err := f.svc.Submit(context.Background(), f.alice, a.ID)
		require.NoError(t, err)
		assert.Equal(t, s1.SubmittedAt, s2.SubmittedAt, "submitting again answers the same")
		assert.Equal(t, *s1.Score, *s2.Score)
	})
}

// The sweeper submits expired attempts with their last answers, stamped with
// the deadline, and two sweepers never submit one attempt twice.
func TestSweep_SubmitsExpiredAttemptsStampedWithTheDeadline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		a, err := f.svc.Start(context.Background(), f.alice, e.ID)
		require.NoError(t, err)
		clock.Advance(30 * time.Minute)
		b, err := f.svc.Start(context.Background(), f.bob, e.ID)
		require.NoError(t, err)
		clock.Set(a.Deadline.Add(exam.DefaultGrace - time.Second))
		n, err := f.svc.Sweep(context.Background())
		require.NoError(t, err)
		assert.Zero(t, n, "within the grace a late save may still arrive")
		clock.Set(a.Deadline.Add(exam.DefaultGrace + time.Second))
		var wg sync.WaitGroup
		counts := make([]int, 2)
		for i := range counts {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				n, err := f.svc.Sweep(context.Background())
				assert.NoError(t, err)
				counts[i] = n
			}(i)
		}
		wg.Wait()
		assert.Equal(t, 1, counts[0]+counts[1], "alice's attempt, once")
		got, err := f.svc.Attempt(context.Background(), f.alice, a.ID)
		require.NoError(t, err)
		assert.Equal(t, exam.AttemptSubmitted, got.Status)
		assert.Equal(t, a.Deadline, *got.SubmittedAt, "stamped with the deadline, not the sweep time")
		assert.Equal(t, "sweeper", got.SubmittedBy)
		still, err := f.svc.Attempt(context.Background(), f.bob, b.ID)
		require.NoError(t, err)
		assert.Equal(t, exam.AttemptInProgress, still.Status, "bob still has time")
	})
}

func TestExtraTime_MovesTheDeadlineOfAnAttemptInProgress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		a, err := f.svc.Start(context.Background(), f.alice, e.ID)
		require.NoError(t, err)
		require.NoError(t, f.svc.ExtraTime(as(f.admin), e.ID, f.alice, 15*time.Minute, "监考批准：设备故障"))
		got, err := f.svc.Attempt(context.Background(), f.alice, a.ID)
		require.NoError(t, err)
		assert.Equal(t, a.Deadline.Add(15*time.Minute), got.Deadline)
		entries, _, err := f.org.ListAudit(context.Background(), f.scope, org.AuditFilter{Action: "exam.extra_time"})
		require.NoError(t, err)
		require.Len(t, entries, 1)
		assert.Equal(t, "监考批准：设备故障", entries[0].Reason)
	})
}

// Saves that arrive together run in one transaction (save_batch.go): each
// is acknowledged only as what the database holds, the newest seq of every
// item wins whatever order the saves came in, and an equal seq is stale.
func TestSave_ConcurrentSavesInOneBatchKeepTheNewestSeqOfEachItem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		users := []int64{f.alice, f.bob}
		var attempts []exam.AttemptView
		for _, u := range users {
			a, err := f.svc.Start(context.Background(), u, e.ID)
			require.NoError(t, err)
			attempts = append(attempts, a)
		}
		const newest = 6
		type key struct {
			attempt int64
			pos     int
		}
		var mu sync.Mutex
		ackedNewest := map[key][]string{} // responses acknowledged at the newest seq
		var wg sync.WaitGroup
		save := func(user int64, k key, seq int64, resp string) {
			defer wg.Done()
			_, err := f.svc.Save(context.Background(), user, k.attempt, k.pos, json.RawMessage(resp), seq)
			if err != nil {
				assert.Equal(t, skillarena.ESTALEWRITE, skillarena.ErrorCode(err), "seq %d of item %d", seq, k.pos)
				return
			}
			if seq == newest {
				mu.Lock()
				ackedNewest[k] = append(ackedNewest[k], resp)
				mu.Unlock()
			}
		}
		queued, release := f.svc.HoldSaves()
		total := 0
		for i, a := range attempts {
			for _, it := range a.Items {
				k := key{a.ID, it.ID}
				// Newest first, so most older ones are stale; the newest
				// seq twice with different answers: only one may land.
				for s := newest; s >= 1; s-- {
					wg.Add(1)
					go save(users[i], k, int64(s), fmt.Sprintf(`"%d-%d"`, it.ID, s))
				}
				wg.Add(1)
				go save(users[i], k, newest, `"again"`)
				total += newest + 1
			}
		}
		require.Eventually(t, func() bool { return queued() == total }, 10*time.Second, time.Millisecond)
		release()
		wg.Wait()
		assert.EqualValues(t, total, f.svc.BatchedSaves(), "the queued saves were committed in batches")
		for i, a := range attempts {
			v, err := f.svc.Attempt(context.Background(), users[i], a.ID)
			require.NoError(t, err)
			require.Len(t, v.Answers, len(a.Items))
			for _, an := range v.Answers {
				acked := ackedNewest[key{a.ID, an.Position}]
				require.Len(t, acked, 1, "item %d: the newest seq is acknowledged exactly once", an.Position)
				assert.EqualValues(t, newest, an.Seq, "item %d", an.Position)
				require.NotNil(t, an.Response)
				assert.Equal(t, acked[0], *an.Response, "item %d holds what was acknowledged", an.Position)
			}
		}
	})
}

// In a batch each save meets the single save's conditions on its own:
// another contestant's attempt, another browser, a passed deadline and an
// older seq are refused as they would be alone, beside saves that land.
func TestSave_BatchAppliesEverySaveConditionToEachSave(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		long := f.exam(t, nil)
		short := f.exam(t, func(in *exam.ExamInput) { in.Duration = time.Minute })
		browserA := exam.WithDevice(context.Background(), "browser-A")
		alice, err := f.svc.Start(browserA, f.alice, long.ID)
		require.NoError(t, err)
		bob, err := f.svc.Start(context.Background(), f.bob, short.ID)
		require.NoError(t, err)
		_, err = f.svc.Save(browserA, f.alice, alice.ID, alice.Items[3].ID, json.RawMessage(`"old"`), 5)
		require.NoError(t, err)
		clock.Advance(2*time.Minute + exam.DefaultGrace) // past bob's deadline and grace

		queued, release := f.svc.HoldSaves()
		var wg sync.WaitGroup
		errs := make([]error, 5)
		for i, s := range []struct {
			ctx     context.Context
			user    int64
			attempt int64
			pos     int
			seq     int64
		}{
			{browserA, f.alice, alice.ID, alice.Items[0].ID, 1},                                           // lands
			{context.Background(), f.bob, alice.ID, alice.Items[1].ID, 1},                                 // not bob's
			{exam.WithDevice(context.Background(), "browser-B"), f.alice, alice.ID, alice.Items[2].ID, 1}, // another browser
			{browserA, f.alice, alice.ID, alice.Items[3].ID, 4},                                           // older seq
			{context.Background(), f.bob, bob.ID, bob.Items[0].ID, 1},                                     // too late
		} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.Save(s.ctx, s.user, s.attempt, s.pos, json.RawMessage(`"x"`), s.seq)
			}()
		}
		require.Eventually(t, func() bool { return queued() == 5 }, 10*time.Second, time.Millisecond)
		release()
		wg.Wait()
		assert.NoError(t, errs[0])
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(errs[1]))
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(errs[2]))
		assert.Equal(t, skillarena.ESTALEWRITE, skillarena.ErrorCode(errs[3]))
		assert.Equal(t, skillarena.EDEADLINEPASSED, skillarena.ErrorCode(errs[4]))
		assert.EqualValues(t, 5, f.svc.BatchedSaves())
		v, err := f.svc.Attempt(browserA, f.alice, alice.ID)
		require.NoError(t, err)
		for _, an := range v.Answers {
			switch an.Position {
			case alice.Items[0].ID:
				assert.EqualValues(t, 1, an.Seq)
			case alice.Items[3].ID:
				assert.EqualValues(t, 5, an.Seq)
				assert.Equal(t, `"old"`, *an.Response)
			default:
				assert.Zero(t, an.Seq, "item %d untouched", an.Position)
			}
		}
	})
}

// A batch of saves, one per item, that all pass their conditions is written
// by one UPDATE carrying every save's conditions. When any one save of a
// batch fails a condition (each condition in turn), nothing of that UPDATE
// stays: the batch is applied save by save against the locked rows, the
// failing save is refused as it would be alone, and the other one lands.
func TestSave_BatchIsWrittenAtOnceOnlyWhenEverySavePassesItsConditions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		bg := context.Background()
		browserA := exam.WithDevice(bg, "browser-A")
		type save struct {
			ctx     context.Context
			user    int64
			attempt int64
			pos     int
			seq     int64
		}
		batch := func(saves ...save) []error {
			queued, release := f.svc.HoldSaves()
			var wg sync.WaitGroup
			errs := make([]error, len(saves))
			for i, s := range saves {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = f.svc.Save(s.ctx, s.user, s.attempt, s.pos, json.RawMessage(fmt.Sprintf(`"seq %d"`, s.seq)), s.seq)
				}()
			}
			require.Eventually(t, func() bool { return queued() == len(saves) }, 10*time.Second, time.Millisecond)
			release()
			wg.Wait()
			return errs
		}
		stored := func(ctx context.Context, user, attempt int64, pos int) (int64, string) {
			v, err := f.svc.Attempt(ctx, user, attempt)
			require.NoError(t, err)
			for _, an := range v.Answers {
				if an.Position == pos {
					if an.Response == nil {
						return an.Seq, ""
					}
					return an.Seq, *an.Response
				}
			}
			t.Fatalf("no answer %d", pos)
			return 0, ""
		}

		alice, err := f.svc.Start(browserA, f.alice, f.exam(t, nil).ID)
		require.NoError(t, err)
		bob, err := f.svc.Start(bg, f.bob, f.exam(t, nil).ID)
		require.NoError(t, err)
		errs := batch(save{browserA, f.alice, alice.ID, alice.Items[0].ID, 1}, save{browserA, f.alice, alice.ID, alice.Items[1].ID, 3},
			save{bg, f.bob, bob.ID, bob.Items[0].ID, 2})
		assert.Equal(t, []error{nil, nil, nil}, errs)
		atOnce, checked := f.svc.SaveBatches()
		assert.Equal(t, [2]int64{1, 0}, [2]int64{atOnce, checked}, "written at once")
		seq, resp := stored(browserA, f.alice, alice.ID, alice.Items[1].ID)
		assert.Equal(t, int64(3), seq)
		assert.Equal(t, `"seq 3"`, resp)
		seq, resp = stored(bg, f.bob, bob.ID, bob.Items[0].ID)
		assert.Equal(t, int64(2), seq)
		assert.Equal(t, `"seq 2"`, resp)

		for _, c := range []struct {
			name string
			code string
			// failing makes the save that fails, on a's attempt, whose
			// item 1 was saved with seq 5 first.
			failing func(a exam.AttemptView) (save, context.Context, int64)
		}{
			{"not the caller's attempt", skillarena.ENOTFOUND, func(a exam.AttemptView) (save, context.Context, int64) {
				return save{bg, f.bob, a.ID, a.Items[2].ID, 1}, browserA, f.alice
			}},
			{"held by another browser", skillarena.ECONFLICT, func(a exam.AttemptView) (save, context.Context, int64) {
				return save{exam.WithDevice(bg, "browser-B"), f.alice, a.ID, a.Items[2].ID, 1}, browserA, f.alice
			}},
			{"an older seq", skillarena.ESTALEWRITE, func(a exam.AttemptView) (save, context.Context, int64) {
				return save{browserA, f.alice, a.ID, a.Items[1].ID, 4}, browserA, f.alice
			}},
			{"the same seq", skillarena.ESTALEWRITE, func(a exam.AttemptView) (save, context.Context, int64) {
				return save{browserA, f.alice, a.ID, a.Items[1].ID, 5}, browserA, f.alice
			}},
			{"a submitted attempt", skillarena.EDEADLINEPASSED, func(a exam.AttemptView) (save, context.Context, int64) {
				other, err := f.svc.Start(bg, f.bob, f.exam(t, nil).ID)
				require.NoError(t, err)
				_, err = f.svc.Submit(bg, f.bob, other.ID)
				require.NoError(t, err)
				return save{bg, f.bob, other.ID, other.Items[0].ID, 1}, bg, f.bob
			}},
			{"past the deadline and grace", skillarena.EDEADLINEPASSED, func(a exam.AttemptView) (save, context.Context, int64) {
				short, err := f.svc.Start(bg, f.bob, f.exam(t, func(in *exam.ExamInput) { in.Duration = time.Minute }).ID)
				require.NoError(t, err)
				clock.Advance(time.Minute + exam.DefaultGrace + time.Second)
				return save{bg, f.bob, short.ID, short.Items[0].ID, 1}, bg, f.bob
			}},
		} {
			t.Run(c.name, func(t *testing.T) {
				a, err := f.svc.Start(browserA, f.alice, f.exam(t, nil).ID)
				require.NoError(t, err)
				_, err = f.svc.Save(browserA, f.alice, a.ID, a.Items[1].ID, json.RawMessage(`"seq 5"`), 5)
				require.NoError(t, err)
				bad, readAs, owner := c.failing(a)
				seqBefore, respBefore := stored(readAs, owner, bad.attempt, bad.pos)
				atOnce, checked := f.svc.SaveBatches()

				errs := batch(save{browserA, f.alice, a.ID, a.Items[0].ID, 7}, bad)
				assert.NoError(t, errs[0], "the save that passes lands")
				assert.Equal(t, c.code, skillarena.ErrorCode(errs[1]), "%v", errs[1])
				nowAtOnce, nowChecked := f.svc.SaveBatches()
				assert.Equal(t, [2]int64{atOnce, checked + 1}, [2]int64{nowAtOnce, nowChecked}, "checked save by save")
				seq, resp := stored(browserA, f.alice, a.ID, a.Items[0].ID)
				assert.Equal(t, int64(7), seq)
				assert.Equal(t, `"seq 7"`, resp)
				seq, resp = stored(readAs, owner, bad.attempt, bad.pos)
				assert.Equal(t, seqBefore, seq, "the refused save wrote nothing")
				assert.Equal(t, respBefore, resp)
			})
		}
	})
}

// A start reads the exam with its own column list: it names every column of
// the model, in the model's order.
func TestStart_ReadsEveryColumnOfTheExam(t *testing.T) {
	sch, err := schema.Parse(&exam.Exam{}, &sync.Map{}, schema.NamingStrategy{})
	require.NoError(t, err)
	var want []string
	for _, f := range sch.Fields {
		if f.DBName != "" {
			want = append(want, "exams."+f.DBName)
		}
	}
	assert.Equal(t, want, strings.Split(exam.ExamColumns, ", "))
}

// A mock exam allows several attempts: with drawn papers each attempt has a
// paper of its own, with a fixed paper every attempt sits the same one, and
// past the exam's number of attempts a start is refused.
func TestStart_EachAttemptOfAMockExamHasItsPaperUntilTheAttemptsRunOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		ctx := context.Background()
		for _, mode := range []exam.PaperMode{exam.PaperDrawn, exam.PaperFixed} {
			e := f.exam(t, func(in *exam.ExamInput) { in.Kind, in.MaxAttempts, in.PaperMode = exam.KindMock, 2, mode })
			_, err := f.svc.PreparePapers(ctx, e.ID)
			require.NoError(t, err)
			var papers []int64
			for n := 1; n <= 2; n++ {
				a, err := f.svc.Start(ctx, f.alice, e.ID)
				require.NoError(t, err, "%s attempt %d", mode, n)
				assert.Equal(t, n, a.Number)
				assert.True(t, a.Fresh)
				var p exam.Paper
				require.NoError(t, db.Where("id = ?", a.PaperID).Take(&p).Error)
				if mode == exam.PaperDrawn {
					assert.Equal(t, f.alice, p.UserID)
					assert.Equal(t, n, p.AttemptNumber, "attempt %d sits the paper drawn for it", n)
				} else {
					assert.Zero(t, p.UserID)
				}
				papers = append(papers, a.PaperID)
				_, err = f.svc.Submit(ctx, f.alice, a.ID)
				require.NoError(t, err)
			}
			if mode == exam.PaperDrawn {
				assert.NotEqual(t, papers[0], papers[1])
			} else {
				assert.Equal(t, papers[0], papers[1])
			}
			_, err = f.svc.Start(ctx, f.alice, e.ID)
			assert.Equal(t, skillarena.ECONFLICT, code(err), "%s", mode)
			assert.Equal(t, "exam.no_attempts_left", message(err))
		}
	})
}
