package exam_test

import (
	"context"
	"errors"
	"slices"
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

// settings returns an exam's stored settings as UpdateExam takes them, for
// a test to change one and send the rest unchanged.
func (f *fixture) settings(t *testing.T, id int64) exam.ExamInput {
	t.Helper()
	var e exam.Exam
	require.NoError(t, f.db.Where("id = ?", id).Take(&e).Error)
	var banks []int64
	require.NoError(t, f.db.Table("exam_banks").Where("exam_id = ?", id).Pluck("bank_id", &banks).Error)
	grace, threshold := time.Duration(e.GraceSeconds)*time.Second, e.MarkingThreshold
	return exam.ExamInput{Title: e.Title, Instructions: e.Instructions, OpensAt: e.OpensAt, ClosesAt: e.ClosesAt,
		Duration: time.Duration(e.DurationSeconds) * time.Second, Grace: &grace, BlueprintID: e.BlueprintID, BankIDs: banks,
		PaperMode: e.PaperMode, Shuffle: exam.Shuffle{Questions: e.ShuffleQuestions, Options: e.ShuffleOptions},
		MaxAttempts: e.MaxAttempts, PartialCredit: e.PartialCredit, ResultsVisibility: e.ResultsVisibility, MarkingThreshold: &threshold}
}

func (f *fixture) update(t *testing.T, id int64, change func(in *exam.ExamInput)) (exam.Exam, error) {
	t.Helper()
	in := f.settings(t, id)
	change(&in)
	return f.svc.UpdateExam(as(f.admin), f.scope, id, in)
}

func (f *fixture) count(t *testing.T, table string, examID int64) int64 {
	t.Helper()
	var n int64
	require.NoError(t, f.db.Table(table).Where("exam_id = ?", examID).Count(&n).Error)
	return n
}

func (f *fixture) audits(t *testing.T, action string) []org.AuditEntry {
	t.Helper()
	entries, _, err := f.org.ListAudit(context.Background(), f.scope, org.AuditFilter{Action: action})
	require.NoError(t, err)
	return entries
}

func fieldsOf(err error) map[string]string {
	var e *skillarena.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

func TestUpdateExam_BeforeAnyAttemptEverySettingChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, func(in *exam.ExamInput) { in.Kind = exam.KindMock })
		now := clock.Now()
		threshold := pts("3.50")
		grace := 10 * time.Second
		got, err := f.update(t, e.ID, func(in *exam.ExamInput) {
			in.Title, in.Instructions = "模拟考（修订）", "闭卷"
			in.OpensAt, in.ClosesAt = now.Add(time.Hour), now.Add(5*time.Hour)
			in.Duration, in.Grace = 45*time.Minute, &grace
			in.PaperMode, in.Shuffle = exam.PaperFixed, exam.Shuffle{}
			in.MaxAttempts, in.PartialCredit, in.ResultsVisibility = 3, true, exam.ResultsManual
			in.MarkingThreshold = &threshold
		})
		require.NoError(t, err)
		assert.Equal(t, "模拟考（修订）", got.Title)
		assert.Equal(t, "闭卷", got.Instructions)
		assert.True(t, got.OpensAt.Equal(now.Add(time.Hour)))
		assert.True(t, got.ClosesAt.Equal(now.Add(5*time.Hour)))
		assert.Equal(t, 45*60, got.DurationSeconds)
		assert.Equal(t, 10, got.GraceSeconds)
		assert.Equal(t, exam.PaperFixed, got.PaperMode)
		assert.False(t, got.ShuffleQuestions || got.ShuffleOptions)
		assert.Equal(t, 3, got.MaxAttempts)
		assert.True(t, got.PartialCredit)
		assert.Equal(t, exam.ResultsManual, got.ResultsVisibility)
		assert.Equal(t, threshold, got.MarkingThreshold)

		entries := f.audits(t, "exam.update")
		require.Len(t, entries, 1)
		assert.Contains(t, *entries[0].BeforeJSON, `"title":"笔试"`, "before holds the old values")
		assert.Contains(t, *entries[0].AfterJSON, `"duration_minutes":45`, "after the new ones")
		assert.NotContains(t, *entries[0].AfterJSON, "bank_ids", "only what changed")

		// The same checks as on creation.
		_, err = f.update(t, e.ID, func(in *exam.ExamInput) { in.ClosesAt = in.OpensAt })
		assert.Equal(t, "exam.window_order", fieldsOf(err)["closes_at"])
		comp := f.exam(t, nil)
		_, err = f.update(t, comp.ID, func(in *exam.ExamInput) { in.MaxAttempts = 2 })
		assert.Equal(t, "exam.competition_one_attempt", fieldsOf(err)["max_attempts"], "the kind never changes")
	})
}

func TestUpdateExam_ChangingPaperSettingsDiscardsPreparedPapers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		n, err := f.svc.PreparePapers(context.Background(), e.ID)
		require.NoError(t, err)
		require.Equal(t, 2, n)

		_, err = f.update(t, e.ID, func(in *exam.ExamInput) { in.Title, in.Duration = "改名", time.Hour })
		require.NoError(t, err)
		assert.EqualValues(t, 2, f.count(t, "papers", e.ID), "a title or duration leaves the papers as drawn")

		_, err = f.update(t, e.ID, func(in *exam.ExamInput) { in.Shuffle.Options = false })
		require.NoError(t, err)
		assert.Zero(t, f.count(t, "papers", e.ID), "papers drawn with the old shuffle are discarded")
		entries := f.audits(t, "exam.update")
		assert.Contains(t, *entries[0].BeforeJSON, `"papers_ready":2`)

		n, err = f.svc.PreparePapers(context.Background(), e.ID)
		require.NoError(t, err)
		assert.Equal(t, 2, n, "and drawn again")
		var p exam.Paper
		require.NoError(t, db.Where("exam_id = ?", e.ID).First(&p).Error)
		for _, it := range p.Items() {
			assert.Empty(t, it.OptionOrder, "with the new settings")
		}

		// A blueprint the banks cannot fill is refused, and nothing changes.
		big, err := f.svc.CreateBlueprint(as(f.admin), f.scope, exam.BlueprintInput{OrgUnitID: f.prov.ID, Name: "大卷", Sections: []exam.Section{
			{Title: "单选", TopicID: 2, Type: content.SingleChoice, Count: 9, PointsEach: 100}}})
		require.NoError(t, err)
		_, err = f.update(t, e.ID, func(in *exam.ExamInput) { in.BlueprintID = big.ID })
		assert.Equal(t, "exam.section_short", fieldsOf(err)["sections.0"])
		assert.EqualValues(t, 2, f.count(t, "papers", e.ID))
	})
}

func TestUpdateExam_OnceAttemptsExistOnlyTitleInstructionsCloseAndThresholdChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		_, err := f.svc.Start(context.Background(), f.alice, e.ID)
		require.NoError(t, err)

		_, err = f.update(t, e.ID, func(in *exam.ExamInput) {
			in.Duration = 2 * time.Hour
			in.Shuffle.Options = false
			in.Title = "可以改"
		})
		assert.Equal(t, skillarena.ECONFLICT, code(err))
		assert.Equal(t, "exam.locked.duration_minutes", message(err), "the message names the first refused setting")
		assert.Equal(t, map[string]string{"duration_minutes": "exam.locked.duration_minutes", "shuffle_options": "exam.locked.shuffle_options"}, fieldsOf(err))
		got, err := f.svc.ExamInScope(context.Background(), f.scope, e.ID)
		require.NoError(t, err)
		assert.Equal(t, "笔试", got.Title, "nothing changed")

		for _, change := range []func(in *exam.ExamInput){
			func(in *exam.ExamInput) { in.OpensAt = in.OpensAt.Add(-time.Hour) },
			func(in *exam.ExamInput) { g := 0 * time.Second; in.Grace = &g },
			func(in *exam.ExamInput) { in.PartialCredit = true },
			func(in *exam.ExamInput) { in.ResultsVisibility = exam.ResultsImmediately },
			func(in *exam.ExamInput) { in.PaperMode = exam.PaperFixed },
		} {
			_, err = f.update(t, e.ID, change)
			assert.Equal(t, skillarena.ECONFLICT, code(err))
		}

		threshold := pts("1.00")
		got2, err := f.update(t, e.ID, func(in *exam.ExamInput) {
			in.Title, in.Instructions, in.MarkingThreshold = "笔试（更正）", "注意时间", &threshold
		})
		require.NoError(t, err)
		assert.Equal(t, "笔试（更正）", got2.Title)
		assert.Equal(t, threshold, got2.MarkingThreshold)
	})
}

func TestUpdateExam_ClosingTimeNeverBeforeNowNorARunningDeadline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		t0 := clock.Now()
		e := f.exam(t, nil) // closes at t0+3h, 90 minutes
		a, err := f.svc.Start(context.Background(), f.alice, e.ID)
		require.NoError(t, err)
		require.True(t, a.Deadline.Equal(t0.Add(90*time.Minute)))
		clock.Advance(10 * time.Minute)

		_, err = f.update(t, e.ID, func(in *exam.ExamInput) { in.ClosesAt = t0.Add(5 * time.Minute) })
		assert.Equal(t, "exam.close_in_past", message(err))
		assert.Contains(t, fieldsOf(err), "closes_at")
		_, err = f.update(t, e.ID, func(in *exam.ExamInput) { in.ClosesAt = t0.Add(80 * time.Minute) })
		assert.Equal(t, "exam.close_before_deadline", message(err), "alice was shown t0+90m")

		got, err := f.update(t, e.ID, func(in *exam.ExamInput) { in.ClosesAt = t0.Add(90 * time.Minute) })
		require.NoError(t, err, "closing earlier, at the latest running deadline")
		assert.True(t, got.ClosesAt.Equal(t0.Add(90*time.Minute)))
		v, err := f.svc.Attempt(context.Background(), f.alice, a.ID)
		require.NoError(t, err)
		assert.True(t, v.Deadline.Equal(t0.Add(90*time.Minute)), "her deadline is unchanged")
	})
}

func TestUpdateExam_ClosingLaterGivesRunningAttemptsTheirTimeButNeverTimeThatRanOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		t0 := clock.Now()
		e := f.exam(t, func(in *exam.ExamInput) { in.ClosesAt, in.Duration = t0.Add(time.Hour), 30*time.Minute })
		ctx := context.Background()
		bob, err := f.svc.Start(ctx, f.bob, e.ID)
		require.NoError(t, err)
		require.True(t, bob.Deadline.Equal(t0.Add(30*time.Minute)))
		clock.Advance(45 * time.Minute)
		require.NoError(t, f.svc.GrantExtraTime(as(f.admin), e.ID, []int64{f.alice}, 10*time.Minute, "视力障碍"))
		alice, err := f.svc.Start(ctx, f.alice, e.ID)
		require.NoError(t, err)
		require.True(t, alice.Deadline.Equal(t0.Add(time.Hour)), "capped by the close")

		_, err = f.update(t, e.ID, func(in *exam.ExamInput) { in.ClosesAt = t0.Add(2 * time.Hour) })
		require.NoError(t, err)
		var a exam.Attempt
		require.NoError(t, db.Where("id = ?", alice.ID).Take(&a).Error)
		assert.True(t, a.Deadline.Equal(t0.Add(45*time.Minute+30*time.Minute+10*time.Minute)), "start + duration + extra: %s", a.Deadline)
		assert.True(t, a.AcceptUntil.Equal(a.Deadline.Add(exam.DefaultGrace)))
		var b exam.Attempt
		require.NoError(t, db.Where("id = ?", bob.ID).Take(&b).Error)
		assert.True(t, b.Deadline.Equal(t0.Add(30*time.Minute)), "bob's time ran out before the change")
		entries := f.audits(t, "exam.update")
		assert.Contains(t, *entries[0].AfterJSON, `"deadlines_moved":1`)
	})
}

func TestUpdateExam_MarkingThresholdChangesUntilTheFirstMark(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, nil)
		a := m.sit(t, m.alice, map[int]string{2: `"甲"`})
		th := pts("5.00")
		_, err := m.update(t, m.exam.ID, func(in *exam.ExamInput) { in.MarkingThreshold = &th })
		require.NoError(t, err, "submitted but unmarked")
		q2, _ := m.essays(t, a)
		ref := m.pending(t, m.judges[0], q2)[0].Ref
		_, err = m.svc.MarkAnswer(context.Background(), m.judges[0], ref, exam.MarkInput{Points: pts("3.00")})
		require.NoError(t, err)
		th = pts("1.00")
		_, err = m.update(t, m.exam.ID, func(in *exam.ExamInput) { in.MarkingThreshold = &th })
		assert.Equal(t, "exam.locked.marking_threshold", message(err))
		assert.Contains(t, fieldsOf(err), "marking_threshold")
	})
}

func TestUpdateExam_OutsideScopeIsNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		county, err := f.org.CreateUnit(context.Background(), nil, org.UnitInput{ParentID: &f.prov.ID, Name: "县", Code: "C9"})
		require.NoError(t, err)
		other := org.Scope{Paths: []string{county.Path}}
		_, err = f.svc.UpdateExam(as(f.admin), other, e.ID, f.settings(t, e.ID))
		assert.Equal(t, skillarena.ENOTFOUND, code(err))
		assert.Equal(t, skillarena.ENOTFOUND, code(f.svc.DeleteExam(as(f.admin), other, e.ID)))
		_, err = f.svc.UpdateBlueprint(as(f.admin), other, f.bp.ID, exam.BlueprintInput{Name: "x", Sections: f.bp.Sections()})
		assert.Equal(t, skillarena.ENOTFOUND, code(err))
		assert.Equal(t, skillarena.ENOTFOUND, code(f.svc.DeleteBlueprint(as(f.admin), other, f.bp.ID)))
	})
}

func TestStart_AfterTheExamChangedDrawsWithTheNewSettings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		_, err := f.svc.PreparePapers(context.Background(), e.ID)
		require.NoError(t, err)
		_, err = f.update(t, e.ID, func(in *exam.ExamInput) { in.Shuffle = exam.Shuffle{}; in.Duration = time.Hour })
		require.NoError(t, err)
		a, err := f.svc.Start(context.Background(), f.alice, e.ID)
		require.NoError(t, err)
		assert.True(t, a.Deadline.Equal(clock.Now().Add(time.Hour)))
		var p exam.Paper
		require.NoError(t, db.Where("id = ?", a.PaperID).Take(&p).Error)
		for i, it := range p.Items() {
			assert.Equal(t, i+1, it.Position)
			assert.Empty(t, it.OptionOrder)
		}
	})
}

// An edit that commits between a start's read and its write is noticed by
// the write, which holds the exam's row from then on: the start begins again
// and the attempt has the new settings.
func TestStart_AnEditBetweenTheReadAndTheWriteStartsWithTheNewSettings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		_, err := f.svc.PreparePapers(context.Background(), e.ID)
		require.NoError(t, err)
		edits := 0
		f.svc.BeforeStartWrite(func() {
			if edits++; edits == 1 {
				clock.Advance(time.Second)
				_, err := f.update(t, e.ID, func(in *exam.ExamInput) { in.Duration = time.Hour })
				require.NoError(t, err)
			}
		})
		defer f.svc.BeforeStartWrite(nil)
		a, err := f.svc.Start(context.Background(), f.alice, e.ID)
		require.NoError(t, err)
		assert.Equal(t, 2, edits, "the start read again after the edit")
		assert.True(t, a.Deadline.Equal(a.StartedAt.Add(time.Hour)), "deadline %s", a.Deadline)
		assert.EqualValues(t, 1, f.count(t, "attempts", e.ID))
	})
}

func TestDeleteExam_RemovesRosterPapersAndJudgesWhileNobodyStarted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, nil)
		ctx := context.Background()
		_, err := m.svc.PreparePapers(ctx, m.exam.ID)
		require.NoError(t, err)
		_, err = m.svc.SendMessage(as(m.admin), m.exam.ID, "十分钟后开考")
		require.NoError(t, err)
		var p exam.Paper
		require.NoError(t, db.Where("exam_id = ?", m.exam.ID).First(&p).Error)
		single := p.Items()[0]
		_, err = m.svc.CorrectKey(as(m.admin), m.scope, m.exam.ID, exam.KeyCorrectionInput{QuestionID: single.QuestionID,
			Key: &content.Key{Choices: []string{"B"}}, Reason: "开考前发现答案有误"})
		require.NoError(t, err)
		require.NoError(t, m.svc.DeleteExam(as(m.admin), m.scope, m.exam.ID))
		for _, table := range []string{"exam_enrolments", "papers", "exam_markers", "exam_banks", "exam_messages", "exam_key_corrections"} {
			assert.Zero(t, m.count(t, table, m.exam.ID), table)
		}
		_, err = m.svc.ExamInScope(ctx, m.scope, m.exam.ID)
		assert.Equal(t, skillarena.ENOTFOUND, code(err))
		entries := m.audits(t, "exam.delete")
		require.Len(t, entries, 1)
		assert.Contains(t, *entries[0].BeforeJSON, `"enrolled":2`)
		assert.Contains(t, *entries[0].BeforeJSON, `"papers_ready":2`)
	})
}

func TestDeleteExam_RefusedOnceAnAttemptExists(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		_, err := f.svc.Start(context.Background(), f.alice, e.ID)
		require.NoError(t, err)
		err = f.svc.DeleteExam(as(f.admin), f.scope, e.ID)
		assert.Equal(t, skillarena.ECONFLICT, code(err))
		assert.Equal(t, "exam.delete_started", message(err))
		assert.EqualValues(t, 2, f.count(t, "exam_enrolments", e.ID), "nothing was removed")
	})
}

func TestUpdateBlueprint_SectionsChangeUntilAnExamDrawsFromThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		secs := f.bp.Sections()
		secs[0].Count = 4
		b, err := f.svc.UpdateBlueprint(as(f.admin), f.scope, f.bp.ID, exam.BlueprintInput{Name: "标准卷二", Sections: secs})
		require.NoError(t, err)
		assert.Equal(t, "标准卷二", b.Name)
		assert.Equal(t, 4, b.Sections()[0].Count)
		entries := f.audits(t, "blueprint.update")
		require.Len(t, entries, 1)
		assert.Contains(t, *entries[0].BeforeJSON, `"count":3`)
		assert.Contains(t, *entries[0].AfterJSON, `"count":4`)

		// The same checks as on creation, and the banks of the exams using
		// it must fill it.
		_, err = f.svc.UpdateBlueprint(as(f.admin), f.scope, f.bp.ID, exam.BlueprintInput{Name: " ", Sections: secs})
		assert.Equal(t, "field.required", fieldsOf(err)["name"])
		secs[1].Count = 9
		_, err = f.svc.UpdateBlueprint(as(f.admin), f.scope, f.bp.ID, exam.BlueprintInput{Name: "标准卷二", Sections: secs})
		require.Equal(t, skillarena.EINVALID, code(err))
		assert.Equal(t, "exam.section_short", fieldsOf(err)["sections.1"])
		var se *skillarena.Error
		require.True(t, errors.As(err, &se))
		assert.Equal(t, map[string]any{"Have": 4, "Want": 9}, se.FieldArgs["sections.1"])

		secs[1].Count = 2
		_, err = f.svc.PreparePapers(context.Background(), e.ID)
		require.NoError(t, err)
		_, err = f.svc.UpdateBlueprint(as(f.admin), f.scope, f.bp.ID, exam.BlueprintInput{Name: "标准卷二", Sections: secs[:2]})
		assert.Equal(t, "exam.blueprint_drawn", message(err), "papers were drawn from it")
		b, err = f.svc.UpdateBlueprint(as(f.admin), f.scope, f.bp.ID, exam.BlueprintInput{Name: "标准卷三", Sections: b.Sections()})
		require.NoError(t, err, "the name may always change")
		assert.Equal(t, "标准卷三", b.Name)
	})
}

func TestDeleteBlueprint_OnlyWhenNoExamUsesIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		err := f.svc.DeleteBlueprint(as(f.admin), f.scope, f.bp.ID)
		assert.Equal(t, skillarena.ECONFLICT, code(err))
		assert.Equal(t, "exam.blueprint_in_use", message(err))
		require.NoError(t, f.svc.DeleteExam(as(f.admin), f.scope, e.ID))
		require.NoError(t, f.svc.DeleteBlueprint(as(f.admin), f.scope, f.bp.ID))
		_, err = f.svc.BlueprintInScope(context.Background(), f.scope, f.bp.ID)
		assert.Equal(t, skillarena.ENOTFOUND, code(err))
		assert.Len(t, f.audits(t, "blueprint.delete"), 1)
	})
}

func TestStart_AnEditCommittedWhileAPaperIsDrawnMakesTheStartDrawAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil) // options shuffled
		// The organiser's edit lands between the start reading the exam and
		// storing the attempt: just as the first paper is stored.
		edited := false
		require.NoError(t, db.Callback().Create().After("gorm:create").Register("test:edit_meanwhile", func(tx *gorm.DB) {
			if edited || tx.Statement.Table != "papers" {
				return
			}
			edited = true
			require.NoError(t, tx.Session(&gorm.Session{NewDB: true}).Exec("UPDATE exams SET shuffle_options = ?, shuffle_questions = ?, updated_at = ? WHERE id = ?",
				false, false, clock.Now().Add(time.Second), e.ID).Error)
		}))
		a, err := f.svc.Start(context.Background(), f.alice, e.ID)
		require.NoError(t, err)
		require.True(t, edited)
		var papers []exam.Paper
		require.NoError(t, db.Where("exam_id = ?", e.ID).Find(&papers).Error)
		require.Len(t, papers, 1, "the paper drawn with the old settings is gone")
		assert.Equal(t, a.PaperID, papers[0].ID)
		for i, it := range papers[0].Items() {
			assert.Equal(t, i+1, it.Position, "drawn with the new settings")
			assert.Empty(t, it.OptionOrder)
		}
	})
}

// The blueprints offered for an exam's unit are exactly those CreateExam
// accepts for it: the caller's units' and those of the exam's unit and the
// units above it (a province blueprint serves its counties), never another
// county's the caller cannot see; a unit outside the caller's scope is not
// found.
func TestUsableBlueprints_ExactlyThoseAnExamOfTheUnitMayUse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		ctx := context.Background()
		region, err := f.org.CreateUnit(ctx, nil, org.UnitInput{Name: "一区", Code: "R1", ParentID: &f.prov.ID})
		require.NoError(t, err)
		c1, err := f.org.CreateUnit(ctx, nil, org.UnitInput{Name: "一县", Code: "C1", ParentID: &region.ID})
		require.NoError(t, err)
		c2, err := f.org.CreateUnit(ctx, nil, org.UnitInput{Name: "二县", Code: "C2", ParentID: &region.ID})
		require.NoError(t, err)
		bps := map[string]int64{f.bp.Name: f.bp.ID} // 标准卷, the province's
		for _, b := range []struct {
			name string
			unit org.Unit
		}{{"区卷", region}, {"一县卷", c1}, {"二县卷", c2}} { // listed newest first
			bp, err := f.svc.CreateBlueprint(as(f.admin), f.scope, exam.BlueprintInput{OrgUnitID: b.unit.ID, Name: b.name, Sections: f.bp.Sections()})
			require.NoError(t, err)
			bps[b.name] = bp.ID
		}
		for _, tc := range []struct {
			caller org.Unit
			unit   org.Unit
			want   []string
		}{
			{c1, c1, []string{"一县卷", "区卷", "标准卷"}},
			{region, c1, []string{"二县卷", "一县卷", "区卷", "标准卷"}},
			{region, region, []string{"二县卷", "一县卷", "区卷", "标准卷"}},
			{f.prov, c2, []string{"二县卷", "一县卷", "区卷", "标准卷"}},
		} {
			scope := org.Scope{Paths: []string{tc.caller.Path}}
			got, err := f.svc.UsableBlueprints(ctx, scope, tc.unit.ID)
			require.NoError(t, err)
			var names []string
			for _, bp := range got {
				names = append(names, bp.Name)
			}
			assert.Equal(t, tc.want, names, "%s sets up an exam of %s", tc.caller.Name, tc.unit.Name)
			for name, id := range bps {
				_, err := f.svc.CreateExam(as(f.admin), scope, exam.ExamInput{OrgUnitID: tc.unit.ID, Title: "笔试", OpensAt: clock.Now(),
					ClosesAt: clock.Now().Add(time.Hour), Duration: time.Hour, BlueprintID: id, BankIDs: []int64{f.bank}})
				if slices.Contains(names, name) {
					assert.NoError(t, err, "%s offered, so accepted", name)
				} else {
					assert.Equal(t, "exam.blueprint_unknown", fieldsOf(err)["blueprint_id"], "%s not offered, so refused", name)
				}
			}
		}
		_, err = f.svc.UsableBlueprints(ctx, org.Scope{Paths: []string{c1.Path}}, c2.ID)
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err), "another county's unit")
	})
}
