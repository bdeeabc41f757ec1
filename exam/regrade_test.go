package exam_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/content"
	"skillarena/database/dbtest"
	"skillarena/exam"
	"skillarena/org"
)

// singleChoiceAt returns the question of item 1 (the single choice) of an
// attempt's paper.
func singleChoiceAt(t *testing.T, m *marking, a exam.AttemptView) int64 {
	var p exam.Paper
	require.NoError(t, m.db.Where("id = ?", a.PaperID).Take(&p).Error)
	it := p.Items()[0]
	require.Equal(t, content.SingleChoice, it.Type)
	return it.QuestionID
}

// shownLetter returns the letter under which an option text is shown.
func shownLetter(t *testing.T, a exam.AttemptView, pos int, text string) string {
	for _, o := range a.Items[pos-1].Options {
		if o.Text == text {
			return o.Key
		}
	}
	t.Fatalf("no option %q", text)
	return ""
}

func TestRegrade_CorrectedKeyRegradesEveryAffectedAttempt_Audited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		// Options shuffled per contestant: the key is in the version's letters.
		m := newMarking(t, db, clock, func(in *exam.ExamInput) {
			in.Shuffle = exam.Shuffle{Options: true}
			in.PaperMode = exam.PaperFixed
		})
		ctx := context.Background()
		start := func(user int64) exam.AttemptView {
			a, err := m.svc.Start(ctx, user, m.exam.ID)
			require.NoError(t, err)
			return a
		}
		a, b := start(m.alice), start(m.bob)
		// Alice picks the keyed option ("对的", version letter A), Bob "错的" (B).
		for _, x := range []struct {
			a    exam.AttemptView
			user int64
			text string
		}{{a, m.alice, "对的"}, {b, m.bob, "错的"}} {
			_, err := m.svc.Save(ctx, x.user, x.a.ID, 1, json.RawMessage(`"`+shownLetter(t, x.a, 1, x.text)+`"`), 1)
			require.NoError(t, err)
			_, err = m.svc.Submit(ctx, x.user, x.a.ID)
			require.NoError(t, err)
		}
		assert.Equal(t, pts("2.00"), *m.attempt(t, m.alice, a.ID).Score)
		assert.Equal(t, pts("0.00"), *m.attempt(t, m.bob, b.ID).Score)
		q := singleChoiceAt(t, m, a)

		res, err := m.svc.CorrectKey(as(m.admin), m.scope, m.exam.ID, exam.KeyCorrectionInput{QuestionID: q,
			Key: &content.Key{Choices: []string{"B"}}, Reason: "原答案有误，B 为正确答案"})
		require.NoError(t, err)
		assert.Equal(t, exam.RegradeResult{Regraded: 2, Changed: 2}, res)
		assert.Equal(t, pts("0.00"), *m.attempt(t, m.alice, a.ID).Score)
		assert.Equal(t, pts("2.00"), *m.attempt(t, m.bob, b.ID).Score)

		entries, _, err := m.org.ListAudit(ctx, m.scope, org.AuditFilter{Action: "exam.regrade"})
		require.NoError(t, err)
		require.Len(t, entries, 2, "each score change audited")
		for _, e := range entries {
			assert.Equal(t, "原答案有误，B 为正确答案", e.Reason)
			require.NotNil(t, e.BeforeJSON)
			require.NotNil(t, e.AfterJSON)
		}
		byAttempt := map[string]org.AuditEntry{}
		for _, e := range entries {
			byAttempt[e.ObjectID] = e
		}
		alice := byAttempt[itoa(a.ID)]
		assert.JSONEq(t, `{"score":"2.00","graded":true}`, *alice.BeforeJSON, "both essays blank: final at submit")
		assert.Contains(t, *alice.AfterJSON, `"score":"0.00"`)
		key, _, err := m.org.ListAudit(ctx, m.scope, org.AuditFilter{Action: "exam.key_correct"})
		require.NoError(t, err)
		require.Len(t, key, 1)

		again, err := m.svc.CorrectKey(as(m.admin), m.scope, m.exam.ID, exam.KeyCorrectionInput{QuestionID: q,
			Key: &content.Key{Choices: []string{"B"}}, Reason: "重复执行"})
		require.NoError(t, err)
		assert.Equal(t, exam.RegradeResult{Regraded: 2, Changed: 0}, again, "regrading again changes nothing")
		cs, err := m.svc.KeyCorrections(as(m.admin), m.scope, m.exam.ID)
		require.NoError(t, err)
		require.Len(t, cs, 1)
		assert.Equal(t, []string{"B"}, cs[0].Key().Choices)
	})
}

func TestRegrade_ANewerVersionGivesTheKeyAndLaterSubmitsUseIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, func(in *exam.ExamInput) { in.PaperMode = exam.PaperFixed })
		ctx := context.Background()
		a := m.sit(t, m.alice, map[int]string{1: `"B"`})
		q := singleChoiceAt(t, m, a)
		d, err := m.content.Question(as(m.admin), m.scope, q)
		require.NoError(t, err)
		draft := d.Current.Draft()
		draft.Key = content.Key{Choices: []string{"B"}}
		ed, err := m.content.EditQuestion(as(m.admin), m.scope, q, content.EditInput{Draft: draft, TopicID: d.Current.TopicID, BaseVersion: d.Current.Version})
		require.NoError(t, err)
		// Bob is still sitting the exam when the key is corrected.
		b, err := m.svc.Start(ctx, m.bob, m.exam.ID)
		require.NoError(t, err)
		res, err := m.svc.CorrectKey(as(m.admin), m.scope, m.exam.ID, exam.KeyCorrectionInput{QuestionID: q, VersionID: ed.Current.ID, Reason: "第2版更正答案"})
		require.NoError(t, err)
		assert.Equal(t, exam.RegradeResult{Regraded: 1, Changed: 1}, res)
		assert.Equal(t, pts("2.00"), *m.attempt(t, m.alice, a.ID).Score)
		_, err = m.svc.Save(ctx, m.bob, b.ID, 1, json.RawMessage(`"B"`), 1)
		require.NoError(t, err)
		got, err := m.svc.Submit(ctx, m.bob, b.ID)
		require.NoError(t, err)
		assert.Equal(t, pts("2.00"), *got.Score, "graded with the corrected key at submit")
		var p exam.Paper
		require.NoError(t, db.Where("id = ?", a.PaperID).Take(&p).Error)
		assert.NotEqual(t, ed.Current.ID, p.Items()[0].VersionID, "the paper keeps the version it was drawn with")
	})
}

func TestRegrade_RefusesSubjectiveQuestionsQuestionsNotInTheExamAndBadKeys(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		m := newMarking(t, db, clock, nil)
		a := m.sit(t, m.alice, map[int]string{1: `"A"`})
		q := singleChoiceAt(t, m, a)
		essay, _ := m.essays(t, a)
		for _, tc := range []struct {
			in    exam.KeyCorrectionInput
			field string
			msg   string
		}{
			{exam.KeyCorrectionInput{QuestionID: essay, Key: &content.Key{}, Reason: "x"}, "question_id", "marking.not_objective"},
			{exam.KeyCorrectionInput{QuestionID: 999999, Key: &content.Key{Choices: []string{"A"}}, Reason: "x"}, "question_id", "marking.question_not_in_exam"},
			{exam.KeyCorrectionInput{QuestionID: q, Key: &content.Key{Choices: []string{"Z"}}, Reason: "x"}, "key", "marking.key_invalid"},
			{exam.KeyCorrectionInput{QuestionID: q, Key: &content.Key{Choices: []string{"A", "B"}}, Reason: "x"}, "key", "marking.key_invalid"},
			{exam.KeyCorrectionInput{QuestionID: q, Reason: "x"}, "key", "marking.key_or_version"},
			{exam.KeyCorrectionInput{QuestionID: q, Key: &content.Key{Choices: []string{"B"}}}, "reason", "field.required"},
			{exam.KeyCorrectionInput{QuestionID: q, VersionID: 999999, Reason: "x"}, "version_id", "marking.version_mismatch"},
		} {
			_, err := m.svc.CorrectKey(as(m.admin), m.scope, m.exam.ID, tc.in)
			var e *skillarena.Error
			require.ErrorAs(t, err, &e, tc.msg)
			assert.Equal(t, tc.msg, e.Fields[tc.field])
		}
		_, err := m.svc.CorrectKey(as(m.admin), org.Scope{Paths: []string{"/elsewhere/"}}, m.exam.ID,
			exam.KeyCorrectionInput{QuestionID: q, Key: &content.Key{Choices: []string{"B"}}, Reason: "x"})
		assert.Equal(t, skillarena.ENOTFOUND, code(err))
		assert.Equal(t, pts("2.00"), *m.attempt(t, m.alice, a.ID).Score, "nothing changed")
	})
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
