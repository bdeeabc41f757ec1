package exam_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/content"
	"skillarena/database/dbtest"
	"skillarena/exam"
	"skillarena/org"
)

// marking is the fixture plus four judges (three markers, one chief), one
// judge not assigned, and an unshuffled exam: item 1 single choice (2
// points, key A), items 2 and 3 essays (10 points each).
type marking struct {
	*fixture
	judges []int64 // j1, j2, j3 markers; j4 chief; j5 not assigned
	exam   exam.Exam
}

func newMarking(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock, mod func(in *exam.ExamInput)) *marking {
	f := newFixture(t, db, clock)
	m := &marking{fixture: f}
	us, err := f.org.SeedUsers(context.Background(), []org.UserInput{{Username: "judge1", Name: "评委一", OrgUnitID: f.prov.ID},
		{Username: "judge2", Name: "评委二", OrgUnitID: f.prov.ID}, {Username: "judge3", Name: "评委三", OrgUnitID: f.prov.ID},
		{Username: "judge4", Name: "主评", OrgUnitID: f.prov.ID}, {Username: "judge5", Name: "旁人", OrgUnitID: f.prov.ID}}, "secret123")
	require.NoError(t, err)
	for _, u := range us {
		_, err := f.org.CreateGrant(context.Background(), nil, org.GrantInput{UserID: u.ID, Role: org.RoleJudge, OrgUnitID: f.prov.ID})
		require.NoError(t, err)
		m.judges = append(m.judges, u.ID)
	}
	bp, err := f.svc.CreateBlueprint(as(f.admin), f.scope, exam.BlueprintInput{OrgUnitID: f.prov.ID, Name: "论述卷", Sections: []exam.Section{
		{Title: "单选", TopicID: 2, Type: content.SingleChoice, Count: 1, PointsEach: 200},
		{Title: "论述", TopicID: 2, Type: content.Essay, Count: 2, PointsEach: 1000},
	}})
	require.NoError(t, err)
	m.exam = f.exam(t, func(in *exam.ExamInput) {
		in.BlueprintID = bp.ID
		in.Shuffle = exam.Shuffle{}
		if mod != nil {
			mod(in)
		}
	})
	for i, id := range m.judges[:4] {
		role := exam.RoleMarker
		if i == 3 {
			role = exam.RoleChief
		}
		_, _, err := f.svc.AssignMarker(as(f.admin), f.scope, m.exam.ID, id, role)
		require.NoError(t, err)
	}
	return m
}

// sit starts, answers (position → JSON) and submits a contestant's attempt.
func (m *marking) sit(t *testing.T, user int64, answers map[int]string) exam.AttemptView {
	a, err := m.svc.Start(context.Background(), user, m.exam.ID)
	require.NoError(t, err)
	for pos, r := range answers {
		_, err := m.svc.Save(context.Background(), user, a.ID, pos, json.RawMessage(r), 1)
		require.NoError(t, err)
	}
	v, err := m.svc.Submit(context.Background(), user, a.ID)
	require.NoError(t, err)
	return v
}

// pending returns the answers of a question the judge may mark now.
func (m *marking) pending(t *testing.T, judge int64, questionID int64) []exam.BlindAnswer {
	p, err := m.svc.AnswersToMark(context.Background(), judge, m.exam.ID, questionID, exam.AnswerFilter{})
	require.NoError(t, err)
	return p.Items
}

// essays returns the question ids of the essays at positions 2 and 3 of
// the attempt's paper.
func (m *marking) essays(t *testing.T, a exam.AttemptView) (int64, int64) {
	var p exam.Paper
	require.NoError(t, m.db.Where("id = ?", a.PaperID).Take(&p).Error)
	items := p.Items()
	require.Equal(t, content.Essay, items[1].Type)
	return items[1].QuestionID, items[2].QuestionID
}

func (m *marking) attempt(t *testing.T, user, id int64) exam.AttemptView {
	a, err := m.svc.Attempt(context.Background(), user, id)
	require.NoError(t, err)
	return a
}

func pts(s string) skillarena.Points {
	p, err := skillarena.ParsePoints(s)
	if err != nil {
		panic(err)
	}
	return p
}

func code(err error) string { return skillarena.ErrorCode(err) }

func message(err error) string { return skillarena.ErrorMessage(err) }

func TestMarking_SubjectiveAnswersEnterTheQueueAtSubmitAndEmptyOnesScoreZero(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, nil)
		a := m.sit(t, m.alice, map[int]string{1: `"A"`, 2: `"先抢通后修复"`, 3: `"   "`})
		assert.False(t, a.Graded, "one essay awaits judges")
		assert.Equal(t, pts("2.00"), *a.Score, "objective part so far")
		// Bob never submits: the sweeper does, and his one essay is queued too.
		b, err := m.svc.Start(context.Background(), m.bob, m.exam.ID)
		require.NoError(t, err)
		_, err = m.svc.Save(context.Background(), m.bob, b.ID, 3, json.RawMessage(`"方案"`), 1)
		require.NoError(t, err)
		clock.Set(b.Deadline.Add(exam.DefaultGrace + time.Second))
		n, err := m.svc.Sweep(context.Background())
		require.NoError(t, err)
		require.Equal(t, 1, n)

		q, err := m.svc.Queue(context.Background(), m.judges[0])
		require.NoError(t, err)
		require.Len(t, q, 1)
		assert.Equal(t, m.exam.ID, q[0].ExamID)
		assert.Equal(t, exam.RoleMarker, q[0].Role)
		require.Len(t, q[0].Questions, 2, "grouped by question across contestants")
		total := 0
		for _, qq := range q[0].Questions {
			assert.Equal(t, content.Essay, qq.Type)
			assert.Equal(t, pts("10.00"), qq.Points)
			assert.Equal(t, qq.Total, qq.ToMark)
			total += qq.Total
		}
		assert.Equal(t, 2, total, "alice's blank essay is not queued: it scored 0")
	})
}

func TestMarking_EachAnswerIsMarkedByTwoJudges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, nil)
		a := m.sit(t, m.alice, map[int]string{1: `"A"`, 2: `"第一篇"`, 3: `""`})
		q2, _ := m.essays(t, a)
		ctx := context.Background()
		items := m.pending(t, m.judges[0], q2)
		require.Len(t, items, 1)
		ref := items[0].Ref
		assert.Equal(t, "第一篇", *items[0].Response)

		_, err := m.svc.MarkAnswer(ctx, m.judges[0], ref, exam.MarkInput{Points: pts("7.00"), Comment: "要点齐"})
		require.NoError(t, err)
		// The first judge may correct their mark while the second is not in.
		_, err = m.svc.MarkAnswer(ctx, m.judges[0], ref, exam.MarkInput{Points: pts("7.25"), Comment: "要点齐，表述清楚"})
		require.NoError(t, err)
		assert.Empty(t, m.pending(t, m.judges[0], q2), "a judge never marks one answer twice")
		require.Len(t, m.pending(t, m.judges[1], q2), 1, "the second judge still sees it")

		mk, err := m.svc.MarkAnswer(ctx, m.judges[1], ref, exam.MarkInput{Points: pts("6.50"), Comment: "略欠"})
		require.NoError(t, err)
		assert.Equal(t, 2, mk.Slot)
		assert.Empty(t, m.pending(t, m.judges[2], q2), "two marks: nobody else marks it")
		_, err = m.svc.MarkAnswer(ctx, m.judges[2], ref, exam.MarkInput{Points: pts("1.00")})
		assert.Equal(t, skillarena.ECONFLICT, code(err))
		assert.Equal(t, "marking.already_double_marked", message(err))
		_, err = m.svc.MarkAnswer(ctx, m.judges[0], ref, exam.MarkInput{Points: pts("9.00")})
		assert.Equal(t, "marking.locked", message(err), "after the second mark the first is locked")

		// 7.25 and 6.50 differ by 0.75 ≤ 2.00: the mean, 6.875, rounded half up once.
		got := m.attempt(t, m.alice, a.ID)
		assert.True(t, got.Graded)
		assert.Equal(t, pts("8.88"), *got.Score, "2.00 + 6.88 + 0")
		for _, an := range got.Answers {
			if an.Position == 2 {
				assert.Equal(t, pts("6.88"), *an.Score)
			}
		}
	})
}

func TestMarking_MeanOfTwoMarksRoundsHalfUpOnce(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{"7.25", "6.50", "6.88"}, {"7.00", "6.99", "7.00"}, {"0.01", "0.00", "0.01"}, {"8.00", "6.00", "7.00"}, {"0.00", "0.00", "0.00"},
	} {
		assert.Equal(t, pts(tc.want), exam.MeanOfTwoMarks(pts(tc.a), pts(tc.b)), "%s and %s", tc.a, tc.b)
	}
	assert.False(t, exam.NeedsAdjudication(pts("8.00"), pts("6.00"), pts("2.00")), "a difference equal to the threshold is averaged")
	assert.True(t, exam.NeedsAdjudication(pts("6.00"), pts("8.01"), pts("2.00")))
}

func TestMarking_JudgeNeverSeesTheOtherJudgesMarkBeforeBothMarked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, nil)
		a := m.sit(t, m.alice, map[int]string{2: `"甲"`})
		q2, _ := m.essays(t, a)
		ref := m.pending(t, m.judges[0], q2)[0].Ref
		_, err := m.svc.MarkAnswer(context.Background(), m.judges[0], ref, exam.MarkInput{Points: pts("3.00"), Comment: "一般"})
		require.NoError(t, err)
		other := m.pending(t, m.judges[1], q2)
		require.Len(t, other, 1)
		assert.Nil(t, other[0].MyMark, "the second judge sees no mark")
		mine, err := m.svc.AnswersToMark(context.Background(), m.judges[0], m.exam.ID, q2, exam.AnswerFilter{Marked: true})
		require.NoError(t, err)
		require.Len(t, mine.Items, 1)
		require.NotNil(t, mine.Items[0].MyMark)
		assert.Equal(t, pts("3.00"), mine.Items[0].MyMark.Points, "the first judge sees their own")
		require.Len(t, mine.Versions, 1)
		assert.Equal(t, "要点", mine.Versions[0].ReferenceAnswer, "judges mark against the reference answer")
	})
}

func TestMarking_ChiefAdjudicatesWhenMarksDifferByMoreThanThreshold(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, nil)
		a := m.sit(t, m.alice, map[int]string{1: `"A"`, 2: `"甲"`, 3: `"乙"`})
		q2, q3 := m.essays(t, a)
		ctx := context.Background()
		far := m.pending(t, m.judges[0], q2)[0].Ref
		near := m.pending(t, m.judges[0], q3)[0].Ref
		for _, mk := range []struct {
			judge int64
			ref   string
			p     string
		}{{m.judges[0], far, "9.00"}, {m.judges[1], far, "6.50"}, {m.judges[0], near, "8.00"}, {m.judges[2], near, "6.00"}} {
			_, err := m.svc.MarkAnswer(ctx, mk.judge, mk.ref, exam.MarkInput{Points: pts(mk.p), Comment: "评语"})
			require.NoError(t, err)
		}
		// near: 8.00 and 6.00 differ by exactly the threshold: averaged to 7.00.
		// far: 9.00 and 6.50 differ by 2.50 > 2.00: the chief decides.
		got := m.attempt(t, m.alice, a.ID)
		assert.False(t, got.Graded, "one answer awaits the chief")
		_, err := m.svc.Adjudicate(ctx, m.judges[0], far, exam.MarkInput{Points: pts("8.00")}, "")
		assert.Equal(t, skillarena.ENOTFOUND, code(err), "a marker does not adjudicate")
		none, err := m.svc.Adjudications(ctx, m.judges[0], 0, false)
		require.NoError(t, err)
		assert.Empty(t, none)

		list, err := m.svc.Adjudications(ctx, m.judges[3], 0, false)
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, far, list[0].Ref)
		assert.Equal(t, pts("2.50"), list[0].Difference)
		require.Len(t, list[0].Marks, 2, "the chief sees both marks")
		assert.Equal(t, "甲", *list[0].Response)

		mk, err := m.svc.Adjudicate(ctx, m.judges[3], far, exam.MarkInput{Points: pts("8.25"), Comment: "取高分段"}, "")
		require.NoError(t, err)
		assert.Equal(t, exam.SlotAdjudication, mk.Slot)
		got = m.attempt(t, m.alice, a.ID)
		assert.True(t, got.Graded)
		assert.Equal(t, pts("17.25"), *got.Score, "2.00 + 8.25 (the chief's, final) + 7.00")
		_, err = m.svc.Adjudicate(ctx, m.judges[3], far, exam.MarkInput{Points: pts("1.00")}, "")
		assert.Equal(t, skillarena.EINVALID, code(err), "the chief's mark is final unless corrected with a reason")
		entries, _, err := m.org.ListAudit(ctx, m.scope, org.AuditFilter{Action: "marking.adjudicate"})
		require.NoError(t, err)
		require.Len(t, entries, 1)
		assert.Contains(t, *entries[0].BeforeJSON, `"9.00"`, "before holds both marks")
		assert.Contains(t, *entries[0].BeforeJSON, `"6.50"`)
		assert.Contains(t, *entries[0].AfterJSON, "8.25")
	})
}

func TestMarking_ChiefNeverAdjudicatesAnAnswerTheyMarked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, nil)
		a := m.sit(t, m.alice, map[int]string{2: `"甲"`})
		q2, _ := m.essays(t, a)
		ctx := context.Background()
		ref := m.pending(t, m.judges[3], q2)[0].Ref
		_, err := m.svc.MarkAnswer(ctx, m.judges[3], ref, exam.MarkInput{Points: pts("10.00")})
		require.NoError(t, err, "a chief may also mark")
		_, err = m.svc.MarkAnswer(ctx, m.judges[0], ref, exam.MarkInput{Points: pts("1.00")})
		require.NoError(t, err)
		list, err := m.svc.Adjudications(ctx, m.judges[3], m.exam.ID, false)
		require.NoError(t, err)
		assert.Empty(t, list)
		_, err = m.svc.Adjudicate(ctx, m.judges[3], ref, exam.MarkInput{Points: pts("5.00")}, "")
		assert.Equal(t, "marking.own_mark", message(err))
	})
}

func TestMarking_ScoreFinalWhenAllItemsMarked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, nil)
		a := m.sit(t, m.alice, map[int]string{1: `"B"`, 2: `"甲"`, 3: `"乙"`})
		q2, q3 := m.essays(t, a)
		ctx := context.Background()
		mark := func(q int64, p1, p2 string) {
			ref := m.pending(t, m.judges[0], q)[0].Ref
			_, err := m.svc.MarkAnswer(ctx, m.judges[0], ref, exam.MarkInput{Points: pts(p1)})
			require.NoError(t, err)
			_, err = m.svc.MarkAnswer(ctx, m.judges[1], ref, exam.MarkInput{Points: pts(p2)})
			require.NoError(t, err)
		}
		mark(q2, "5.00", "6.00")
		got := m.attempt(t, m.alice, a.ID)
		assert.False(t, got.Graded, "one essay still unmarked")
		assert.Equal(t, pts("0.00"), *got.Score, "the score is not final until every item is marked")
		mark(q3, "4.00", "4.01")
		got = m.attempt(t, m.alice, a.ID)
		assert.True(t, got.Graded)
		assert.Equal(t, pts("9.51"), *got.Score, "0 + 5.50 + 4.005 rounded half up to 4.01")
		entries, _, err := m.org.ListAudit(ctx, m.scope, org.AuditFilter{Action: "attempt.score"})
		require.NoError(t, err)
		require.Len(t, entries, 1)
		assert.JSONEq(t, `{"score":"0.00","graded":false}`, *entries[0].BeforeJSON)
		assert.JSONEq(t, `{"score":"9.51","graded":true}`, *entries[0].AfterJSON)
		marks, _, err := m.org.ListAudit(ctx, m.scope, org.AuditFilter{Action: "marking.mark"})
		require.NoError(t, err)
		assert.Len(t, marks, 4, "every mark is audited")
	})
}

func TestMarking_JudgeSeesOnlyAssignedExams(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, nil)
		a := m.sit(t, m.alice, map[int]string{2: `"甲"`})
		q2, _ := m.essays(t, a)
		ctx := context.Background()
		outsider := m.judges[4]
		q, err := m.svc.Queue(ctx, outsider)
		require.NoError(t, err)
		assert.Empty(t, q)
		_, err = m.svc.AnswersToMark(ctx, outsider, m.exam.ID, q2, exam.AnswerFilter{})
		assert.Equal(t, skillarena.ENOTFOUND, code(err))
		ref := m.pending(t, m.judges[0], q2)[0].Ref
		_, err = m.svc.MarkAnswer(ctx, outsider, ref, exam.MarkInput{Points: pts("1.00")})
		assert.Equal(t, skillarena.ENOTFOUND, code(err))
		// Unassigning takes the exam away.
		require.NoError(t, m.svc.UnassignMarker(as(m.admin), m.scope, m.exam.ID, m.judges[0]))
		_, err = m.svc.MarkAnswer(ctx, m.judges[0], ref, exam.MarkInput{Points: pts("1.00")})
		assert.Equal(t, skillarena.ENOTFOUND, code(err))
	})
}

func TestMarking_MarksAreExactDecimalsBetweenZeroAndTheItemsPoints(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, nil)
		a := m.sit(t, m.alice, map[int]string{2: `"甲"`})
		q2, _ := m.essays(t, a)
		ref := m.pending(t, m.judges[0], q2)[0].Ref
		for _, p := range []skillarena.Points{pts("10.01"), -1} {
			_, err := m.svc.MarkAnswer(context.Background(), m.judges[0], ref, exam.MarkInput{Points: p})
			var e *skillarena.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "marking.points_range", e.Fields["points"])
		}
		_, err := m.svc.MarkAnswer(context.Background(), m.judges[0], ref, exam.MarkInput{Points: pts("10.00")})
		require.NoError(t, err, "full points")
	})
}

func TestMarking_OnlyJudgesCoveringTheExamsUnitAreAssigned(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, nil)
		_, _, err := m.svc.AssignMarker(as(m.admin), m.scope, m.exam.ID, m.bob, exam.RoleMarker)
		var e *skillarena.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "marking.not_a_judge", e.Fields["user_id"])
		_, _, err = m.svc.AssignMarker(as(m.admin), org.Scope{Paths: []string{"/elsewhere/"}}, m.exam.ID, m.judges[4], exam.RoleMarker)
		assert.Equal(t, skillarena.ENOTFOUND, code(err), "an exam outside scope is not found")
		d, created, err := m.svc.AssignMarker(as(m.admin), m.scope, m.exam.ID, m.judges[0], exam.RoleChief)
		require.NoError(t, err)
		assert.False(t, created, "a role change")
		assert.Equal(t, exam.RoleChief, d.Role)
		assert.Equal(t, "judge1", d.Username)
		ms, err := m.svc.Markers(as(m.admin), m.scope, m.exam.ID)
		require.NoError(t, err)
		assert.Len(t, ms, 4)
		entries, _, err := m.org.ListAudit(context.Background(), m.scope, org.AuditFilter{Action: "marking.assign"})
		require.NoError(t, err)
		assert.Len(t, entries, 5)
	})
}

func TestMarking_ForceSubmittedAttemptsEnterTheQueue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, nil)
		a, err := m.svc.Start(context.Background(), m.alice, m.exam.ID)
		require.NoError(t, err)
		_, err = m.svc.Save(context.Background(), m.alice, a.ID, 2, json.RawMessage(`"写了一半"`), 1)
		require.NoError(t, err)
		n, err := m.svc.ForceSubmit(as(m.admin), m.exam.ID, []int64{m.alice}, "违纪")
		require.NoError(t, err)
		require.Equal(t, 1, n)
		q, err := m.svc.Queue(context.Background(), m.judges[1])
		require.NoError(t, err)
		require.Len(t, q[0].Questions, 1)
		assert.Equal(t, 1, q[0].Questions[0].ToMark)
	})
}

// Three judges marking each of an attempt's two essays at the same instant:
// each essay gets exactly two marks, and whichever settles last makes the
// attempt's score final.
func TestMarking_ConcurrentJudgesGiveExactlyTwoMarksAndTheAttemptSettles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, nil)
		a := m.sit(t, m.alice, map[int]string{1: `"A"`, 2: `"甲"`, 3: `"乙"`})
		q2, q3 := m.essays(t, a)
		refs := []string{m.pending(t, m.judges[0], q2)[0].Ref, m.pending(t, m.judges[0], q3)[0].Ref}
		type result struct {
			ref string
			err error
		}
		results := make(chan result, 6)
		var wg sync.WaitGroup
		for _, ref := range refs {
			for _, j := range m.judges[:3] {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := m.svc.MarkAnswer(context.Background(), j, ref, exam.MarkInput{Points: pts("5.00")})
					results <- result{ref, err}
				}()
			}
		}
		wg.Wait()
		close(results)
		ok := map[string]int{}
		for r := range results {
			if r.err == nil {
				ok[r.ref]++
				continue
			}
			assert.Equal(t, "marking.already_double_marked", message(r.err), "%v", r.err)
		}
		assert.Equal(t, map[string]int{refs[0]: 2, refs[1]: 2}, ok)
		got := m.attempt(t, m.alice, a.ID)
		assert.True(t, got.Graded, "the last item settled makes the score final")
		assert.Equal(t, pts("12.00"), *got.Score)
	})
}

// adjudicated marks the essay at position 2 of a fresh attempt of alice's
// 9.00 and 6.50 (too far apart) and has the chief adjudicate 8.25; the
// essay at 3 is empty and the single choice right: the attempt is final at
// 2.00 + 8.25.
func (m *marking) adjudicated(t *testing.T) (exam.AttemptView, string) {
	t.Helper()
	a := m.sit(t, m.alice, map[int]string{1: `"A"`, 2: `"甲"`})
	q2, _ := m.essays(t, a)
	ctx := context.Background()
	ref := m.pending(t, m.judges[0], q2)[0].Ref
	_, err := m.svc.MarkAnswer(ctx, m.judges[0], ref, exam.MarkInput{Points: pts("9.00")})
	require.NoError(t, err)
	_, err = m.svc.MarkAnswer(ctx, m.judges[1], ref, exam.MarkInput{Points: pts("6.50")})
	require.NoError(t, err)
	_, err = m.svc.Adjudicate(ctx, m.judges[3], ref, exam.MarkInput{Points: pts("8.25")}, "")
	require.NoError(t, err)
	got := m.attempt(t, m.alice, a.ID)
	require.True(t, got.Graded)
	require.Equal(t, pts("10.25"), *got.Score)
	return got, ref
}

func TestMarking_ChiefCorrectsAnAdjudicationWithAReasonAndTheScoreIsRecomputed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, func(in *exam.ExamInput) { in.ResultsVisibility = exam.ResultsManual })
		a, ref := m.adjudicated(t)
		ctx := context.Background()

		_, err := m.svc.Adjudicate(ctx, m.judges[3], ref, exam.MarkInput{Points: pts("7.00")}, "  ")
		assert.Equal(t, map[string]string{"reason": "marking.correction_reason"}, fieldsOf(err), "a correction needs a reason")
		_, err = m.svc.Adjudicate(ctx, m.judges[0], ref, exam.MarkInput{Points: pts("7.00")}, "复核")
		assert.Equal(t, skillarena.ENOTFOUND, code(err), "a marker never corrects")

		list, err := m.svc.Adjudications(ctx, m.judges[3], m.exam.ID, true)
		require.NoError(t, err)
		require.Len(t, list, 1, "the chief finds the answers adjudicated")
		require.NotNil(t, list[0].Adjudicated)
		assert.Equal(t, pts("8.25"), list[0].Adjudicated.Points)
		assert.True(t, list[0].Correctable)

		mk, err := m.svc.Adjudicate(ctx, m.judges[3], ref, exam.MarkInput{Points: pts("7.00"), Comment: "复核后下调"}, "漏看扣分点")
		require.NoError(t, err)
		assert.Equal(t, pts("7.00"), mk.Points)
		got := m.attempt(t, m.alice, a.ID)
		assert.True(t, got.Graded)
		assert.Equal(t, pts("9.00"), *got.Score, "2.00 + 7.00")
		for _, an := range got.Answers {
			if an.Position == 2 {
				assert.Equal(t, pts("7.00"), *an.Score)
			}
		}
		entries, _, err := m.org.ListAudit(ctx, m.scope, org.AuditFilter{Action: "marking.adjudication_correct"})
		require.NoError(t, err)
		require.Len(t, entries, 1)
		assert.Contains(t, *entries[0].BeforeJSON, `"8.25"`)
		assert.Contains(t, *entries[0].AfterJSON, `"7.00"`)
		assert.Equal(t, "漏看扣分点", entries[0].Reason)
		scores, _, err := m.org.ListAudit(ctx, m.scope, org.AuditFilter{Action: "attempt.score"})
		require.NoError(t, err)
		require.Len(t, scores, 2)
		assert.Contains(t, *scores[0].BeforeJSON, `"10.25"`, "the attempt's score change is audited")
		assert.Contains(t, *scores[0].AfterJSON, `"9.00"`)
		assert.Equal(t, "漏看扣分点", scores[0].Reason)
	})
}

func TestMarking_AdjudicationIsNoLongerCorrectedOnceTheContestantSeesTheResult(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, func(in *exam.ExamInput) { in.ResultsVisibility = exam.ResultsManual })
		_, ref := m.adjudicated(t)
		ctx := context.Background()
		_, err := m.svc.ReleaseResults(as(m.admin), m.scope, m.exam.ID, "")
		require.NoError(t, err)
		_, err = m.svc.Adjudicate(ctx, m.judges[3], ref, exam.MarkInput{Points: pts("7.00")}, "复核")
		assert.Equal(t, "marking.results_released", message(err))
		list, err := m.svc.Adjudications(ctx, m.judges[3], m.exam.ID, true)
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.False(t, list[0].Correctable)
	})
}

func TestMarking_AnAnswerScoredAsTheMeanIsNotAnAdjudicationToCorrect(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, func(in *exam.ExamInput) { in.ResultsVisibility = exam.ResultsManual })
		a := m.sit(t, m.alice, map[int]string{2: `"甲"`})
		q2, _ := m.essays(t, a)
		ctx := context.Background()
		ref := m.pending(t, m.judges[0], q2)[0].Ref
		for i, p := range []string{"7.00", "6.00"} {
			_, err := m.svc.MarkAnswer(ctx, m.judges[i], ref, exam.MarkInput{Points: pts(p)})
			require.NoError(t, err)
		}
		_, err := m.svc.Adjudicate(ctx, m.judges[3], ref, exam.MarkInput{Points: pts("9.00")}, "复核")
		assert.Equal(t, "marking.not_awaiting_adjudication", message(err))
	})
}
