package exam_test

import (
	"context"
	"encoding/json"
	"fmt"
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

// optionText is the fixture's single-choice options by their own letter:
// A is the key.
var optionText = map[string]string{"A": "对的", "B": "错的", "C": "也错"}

// plan is what a contestant answers, per type in the order of the paper's
// positions: single choice by the version's own letter (whatever letter it
// is shown as), other types as the JSON response ("true", `"text"`); ""
// leaves the item empty.
type plan map[content.QuestionType][]string

// sit starts user's attempt, answers it by p and submits it.
func (f *fixture) sit(t *testing.T, user, examID int64, p plan) exam.AttemptView {
	t.Helper()
	ctx := context.Background()
	a, err := f.svc.Start(ctx, user, examID)
	require.NoError(t, err)
	items := slices.Clone(a.Items)
	slices.SortFunc(items, func(x, y exam.ItemView) int { return x.ID - y.ID })
	next := map[content.QuestionType]int{}
	for _, it := range items {
		i := next[it.Type]
		next[it.Type]++
		if i >= len(p[it.Type]) || p[it.Type][i] == "" {
			continue
		}
		want := p[it.Type][i]
		resp := want
		if it.Type == content.SingleChoice {
			resp = ""
			for _, o := range it.Options {
				if o.Text == optionText[want] {
					resp = `"` + o.Key + `"`
				}
			}
			require.NotEmpty(t, resp, "option %s shown", want)
		}
		_, err := f.svc.Save(ctx, user, a.ID, it.ID, json.RawMessage(resp), 1)
		require.NoError(t, err)
	}
	v, err := f.svc.Submit(ctx, user, a.ID)
	require.NoError(t, err)
	return v
}

// more adds contestants in the province and enrols them (examID 0: none).
func (f *fixture) more(t *testing.T, examID int64, names ...string) []int64 {
	t.Helper()
	var ins []org.UserInput
	for _, n := range names {
		ins = append(ins, org.UserInput{Username: n, Name: n, OrgUnitID: f.prov.ID})
	}
	us, err := f.org.SeedUsers(context.Background(), ins, "secret123")
	require.NoError(t, err)
	ids := make([]int64, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	if examID != 0 {
		require.NoError(t, f.svc.Enrol(as(f.admin), examID, ids))
	}
	return ids
}

// objectiveExam is an exam of three 2-point single-choice and two 1-point
// true/false items on topic 2, options and questions shuffled.
func (f *fixture) objectiveExam(t *testing.T, mode exam.PaperMode, tf int, vis exam.Visibility) exam.Exam {
	t.Helper()
	bp, err := f.svc.CreateBlueprint(as(f.admin), f.scope, exam.BlueprintInput{OrgUnitID: f.prov.ID, Name: "客观题卷", Sections: []exam.Section{
		{Title: "单选", TopicID: 2, Type: content.SingleChoice, Count: 3, PointsEach: 200},
		{Title: "判断", TopicID: 2, Type: content.TrueFalse, Count: tf, PointsEach: 100},
	}})
	require.NoError(t, err)
	return f.exam(t, func(in *exam.ExamInput) {
		in.BlueprintID, in.PaperMode, in.ResultsVisibility = bp.ID, mode, vis
	})
}

func TestMyResult_AnotherContestantsResultIsNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.objectiveExam(t, exam.PaperFixed, 2, exam.ResultsImmediately)
		mine := f.sit(t, f.alice, e.ID, plan{content.SingleChoice: {"A"}})
		_, err := f.svc.MyResult(context.Background(), f.bob, mine.ID)
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err), "bob asks for alice's result")
		_, err = f.svc.MyResult(context.Background(), f.alice, mine.ID+1000)
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err))
		_, err = f.svc.MyResult(context.Background(), f.alice, mine.ID)
		assert.NoError(t, err)
	})
}

func TestMyResult_ImmediatelyShowsTheScoreAfterSubmitAndTheKeysOnlyAfterClose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.objectiveExam(t, exam.PaperFixed, 2, exam.ResultsImmediately)
		a, err := f.svc.Start(context.Background(), f.alice, e.ID)
		require.NoError(t, err)
		_, err = f.svc.MyResult(context.Background(), f.alice, a.ID)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "not before submitting")
		assert.Equal(t, "results.not_submitted", skillarena.ErrorMessage(err))
		_, err = f.svc.Submit(context.Background(), f.alice, a.ID)
		require.NoError(t, err)

		r, err := f.svc.MyResult(context.Background(), f.alice, a.ID)
		require.NoError(t, err)
		assert.False(t, r.KeysShown, "the exam is still open")
		for _, it := range r.Items {
			assert.Nil(t, it.Key)
			assert.Empty(t, it.Explanation)
		}
		clock.Set(e.ClosesAt)
		r, err = f.svc.MyResult(context.Background(), f.alice, a.ID)
		require.NoError(t, err)
		assert.True(t, r.KeysShown)
		for _, it := range r.Items {
			assert.NotNil(t, it.Key, "item %d", it.Position)
		}
	})
}

func TestMyResult_AfterCloseWaitsForTheWindowToClose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.objectiveExam(t, exam.PaperFixed, 2, exam.ResultsAfterClose)
		a := f.sit(t, f.alice, e.ID, plan{content.SingleChoice: {"A", "A", "A"}})
		clock.Set(e.ClosesAt.Add(-time.Second))
		_, err := f.svc.MyResult(context.Background(), f.alice, a.ID)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "a second before the close")
		assert.Equal(t, "results.after_close", skillarena.ErrorMessage(err))
		clock.Set(e.ClosesAt)
		r, err := f.svc.MyResult(context.Background(), f.alice, a.ID)
		require.NoError(t, err, "at the close")
		assert.Equal(t, skillarena.Points(600), r.Score)
	})
}

func TestMyResult_ManualWaitsForAnOrganiserToReleaseThemAndTheReleaseIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.objectiveExam(t, exam.PaperFixed, 2, exam.ResultsManual)
		a := f.sit(t, f.alice, e.ID, nil)
		clock.Set(e.ClosesAt.Add(time.Hour))
		_, err := f.svc.MyResult(context.Background(), f.alice, a.ID)
		assert.Equal(t, "results.not_released", skillarena.ErrorMessage(err), "closing is not enough")

		// A county organiser cannot release a provincial exam: not found.
		county, err := f.org.CreateUnit(context.Background(), nil, org.UnitInput{Name: "县局", Code: "C9", ParentID: &f.prov.ID})
		require.NoError(t, err)
		_, err = f.svc.ReleaseResults(as(f.admin), org.Scope{Paths: []string{county.Path}}, e.ID, "")
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err))

		got, err := f.svc.ReleaseResults(as(f.admin), f.scope, e.ID, "阅卷完成")
		require.NoError(t, err)
		require.NotNil(t, got.ResultsReleasedAt)
		assert.True(t, got.ResultsReleasedAt.Equal(clock.Now()))
		_, err = f.svc.MyResult(context.Background(), f.alice, a.ID)
		assert.NoError(t, err)

		clock.Advance(time.Minute)
		again, err := f.svc.ReleaseResults(as(f.admin), f.scope, e.ID, "")
		require.NoError(t, err)
		assert.True(t, again.ResultsReleasedAt.Equal(*got.ResultsReleasedAt), "releasing again changes nothing")
		var n int64
		require.NoError(t, db.Table("audit_entries").Where("action = ? AND object_id = ?", "exam.results_release", fmt.Sprint(e.ID)).Count(&n).Error)
		assert.Equal(t, int64(1), n)
	})
}

func TestReleaseResults_OnlyForExamsWhoseResultsAreReleasedByHand(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.objectiveExam(t, exam.PaperFixed, 2, exam.ResultsAfterClose)
		_, err := f.svc.ReleaseResults(as(f.admin), f.scope, e.ID, "")
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err))
		assert.Equal(t, "results.release_not_manual", skillarena.ErrorMessage(err))
	})
}

func TestMyResult_BreaksTheScoreDownByTopLevelTopicAndTypeWithTheKeyInTheLettersShown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		// A true/false question on a subtopic of topic 5 counts under 5.
		sub, err := f.content.CreateTopic(as(f.admin), f.scope, content.TopicInput{ParentID: 5, Name: "投诉处理"})
		require.NoError(t, err)
		yes := true
		q, err := f.content.CreateQuestion(as(f.admin), f.scope, f.bank, content.EditInput{TopicID: sub.ID,
			Draft: content.Draft{Type: content.TrueFalse, Stem: "子主题判断", Difficulty: 1, Key: content.Key{True: &yes}, Explanation: "因为"}})
		require.NoError(t, err)
		require.NoError(t, f.content.TransitionMany(as(f.admin), f.scope, []int64{q.ID}, content.ActionSubmit, ""))
		require.NoError(t, f.content.TransitionMany(as(f.bob), f.scope, []int64{q.ID}, content.ActionApprove, ""))
		bp, err := f.svc.CreateBlueprint(as(f.admin), f.scope, exam.BlueprintInput{OrgUnitID: f.prov.ID, Name: "两主题", Sections: []exam.Section{
			{Title: "单选", TopicID: 2, Type: content.SingleChoice, Count: 3, PointsEach: 200},
			{Title: "判断", TopicID: 2, Type: content.TrueFalse, Count: 2, PointsEach: 100},
			{Title: "子主题", TopicID: 5, Type: content.TrueFalse, Count: 1, PointsEach: 150},
			{Title: "论述", TopicID: 2, Type: content.Essay, Count: 1, PointsEach: 1000},
		}})
		require.NoError(t, err)
		e := f.exam(t, func(in *exam.ExamInput) { in.BlueprintID, in.ResultsVisibility = bp.ID, exam.ResultsImmediately })
		// Right on two single choices, wrong on the third; true on every
		// true/false (right); the essay is answered and waits for judges.
		a := f.sit(t, f.alice, e.ID, plan{content.SingleChoice: {"A", "B", "A"}, content.TrueFalse: {"true", "true", "true"},
			content.Essay: {`"先抢通后修复"`}})
		clock.Set(e.ClosesAt)
		r, err := f.svc.MyResult(context.Background(), f.alice, a.ID)
		require.NoError(t, err)
		assert.Equal(t, skillarena.Points(750), r.Score, "4 + 2 + 1.5; the essay is not marked yet")
		assert.Equal(t, skillarena.Points(1950), r.MaxScore, "6 + 2 + 1.5 + 10")
		assert.False(t, r.Graded)
		require.Len(t, r.ByTopic, 2)
		assert.Equal(t, exam.TopicScore{TopicID: 2, Name: r.ByTopic[0].Name, NameEN: r.ByTopic[0].NameEN, Score: 600, Max: 1800}, r.ByTopic[0])
		assert.Equal(t, int64(5), r.ByTopic[1].TopicID, "the subtopic's question counts under its top-level topic")
		assert.Equal(t, skillarena.Points(150), r.ByTopic[1].Score)
		assert.Equal(t, []exam.TypeScore{
			{Type: content.SingleChoice, Score: 400, Max: 600},
			{Type: content.TrueFalse, Score: 350, Max: 350},
			{Type: content.Essay, Score: 0, Max: 1000},
		}, r.ByType)
		for _, it := range r.Items {
			switch it.Type {
			case content.SingleChoice:
				// The key is the letter the correct option was shown as.
				require.NotNil(t, it.Key)
				require.Len(t, it.Key.Choices, 1)
				shown := it.Key.Choices[0]
				for _, o := range it.Options {
					if o.Key == shown {
						assert.Equal(t, optionText["A"], o.Text)
					}
				}
			case content.Essay:
				assert.Nil(t, it.Score, "awaiting a judge")
				assert.Nil(t, it.Key)
			case content.TrueFalse:
				require.NotNil(t, it.Key)
				assert.True(t, *it.Key.True)
			}
		}
	})
}

func TestExamResults_ListsSubmittedAttemptsBestFirstOnlyInScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.objectiveExam(t, exam.PaperFixed, 2, exam.ResultsAfterClose)
		f.sit(t, f.bob, e.ID, plan{content.SingleChoice: {"A"}})
		best := f.sit(t, f.alice, e.ID, plan{content.SingleChoice: {"A", "A"}})
		_, err := f.svc.Start(context.Background(), f.more(t, e.ID, "carol")[0], e.ID)
		require.NoError(t, err, "carol is still sitting: not listed")

		rows, total, err := f.svc.ExamResults(context.Background(), f.scope, e.ID, org.Page{})
		require.NoError(t, err)
		assert.Equal(t, int64(2), total)
		require.Len(t, rows, 2)
		assert.Equal(t, best.ID, rows[0].AttemptID)
		assert.Equal(t, "alice", rows[0].Username)
		assert.Equal(t, "省", rows[0].OrgUnitName)
		assert.Equal(t, skillarena.Points(400), *rows[0].Score)
		assert.Equal(t, skillarena.Points(200), *rows[1].Score)
		page2, _, err := f.svc.ExamResults(context.Background(), f.scope, e.ID, org.Page{Number: 2, Size: 1})
		require.NoError(t, err)
		require.Len(t, page2, 1)
		assert.Equal(t, "bob", page2[0].Username)

		r, err := f.svc.AttemptResult(context.Background(), f.scope, e.ID, best.ID)
		require.NoError(t, err)
		require.NotNil(t, r.Contestant)
		assert.Equal(t, "alice", r.Contestant.Username)
		assert.True(t, r.KeysShown, "organisers see the keys while the exam is open")

		county, err := f.org.CreateUnit(context.Background(), nil, org.UnitInput{Name: "县局", Code: "C9", ParentID: &f.prov.ID})
		require.NoError(t, err)
		other := org.Scope{Paths: []string{county.Path}}
		_, _, err = f.svc.ExamResults(context.Background(), other, e.ID, org.Page{})
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err))
		_, err = f.svc.AttemptResult(context.Background(), other, e.ID, best.ID)
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err))
		_, err = f.svc.Statistics(context.Background(), other, e.ID, exam.StatsOptions{})
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err))
		e2 := f.objectiveExam(t, exam.PaperFixed, 2, exam.ResultsAfterClose)
		_, err = f.svc.AttemptResult(context.Background(), f.scope, e2.ID, best.ID)
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err), "an attempt of another exam")
	})
}

func TestStatistics_FixedPaperMatchesHandComputedFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.objectiveExam(t, exam.PaperFixed, 2, exam.ResultsAfterClose)
		cd := f.more(t, e.ID, "carol", "dave")
		// Single choice by the version's letters (A is right), 2 points;
		// true/false (true is right), 1 point. Totals 8, 5, 2, 1.
		f.sit(t, f.alice, e.ID, plan{content.SingleChoice: {"A", "A", "A"}, content.TrueFalse: {"true", "true"}})
		f.sit(t, f.bob, e.ID, plan{content.SingleChoice: {"A", "A", "B"}, content.TrueFalse: {"true", "false"}})
		f.sit(t, cd[0], e.ID, plan{content.SingleChoice: {"A", "C", "B"}, content.TrueFalse: {"false", "false"}})
		f.sit(t, cd[1], e.ID, plan{content.SingleChoice: {"B", "B", ""}, content.TrueFalse: {"true", "false"}})
		// An attempt in progress does not count.
		_, err := f.svc.Start(context.Background(), f.more(t, e.ID, "erin")[0], e.ID)
		require.NoError(t, err)

		st, err := f.svc.Statistics(context.Background(), f.scope, e.ID, exam.StatsOptions{})
		require.NoError(t, err)
		assert.Equal(t, 4, st.Attempts)
		assert.Equal(t, 4, st.Graded)
		assert.Equal(t, skillarena.Points(800), st.MaxScore)
		// Totals 8 5 2 1: mean 4, median 3.5, deviations 4 1 −2 −3,
		// squares 30, /3 = 10, sd √10 = 3.1623.
		d := st.Distribution
		assert.Equal(t, 4, d.N)
		assert.InDelta(t, 4, d.Mean, 1e-9)
		assert.InDelta(t, 3.5, d.Median, 1e-9)
		assert.InDelta(t, 3.1623, d.SD, 1e-4)
		assert.Equal(t, 1.0, d.Min)
		assert.Equal(t, 8.0, d.Max)
		require.Len(t, st.Bins, 10)
		counts := make([]int, 10)
		for i, b := range st.Bins {
			counts[i] = b.Count
		}
		// Bars of 0.8 points: 1 → [0.8, 1.6), 2 → [1.6, 2.4), 5 → [4.8, 5.6), 8 → the last.
		assert.Equal(t, []int{0, 1, 1, 0, 0, 0, 1, 0, 0, 1}, counts)

		require.Len(t, st.Items, 5)
		var sc, tf []exam.ItemStatistics
		for i, it := range st.Items {
			assert.Equal(t, i+1, it.Position, "by paper position")
			assert.Equal(t, int64(2), it.TopicID)
			if it.Type == content.SingleChoice {
				sc = append(sc, it)
			} else {
				tf = append(tf, it)
			}
		}
		require.Len(t, sc, 3)
		require.Len(t, tf, 2)
		opts := func(it exam.ItemStatistics) map[string]int {
			m := map[string]int{}
			for _, o := range it.Options {
				m[o.Key] = o.Count
				assert.Equal(t, o.Key == "A" || o.Key == "true", o.Correct, "option %s", o.Key)
			}
			return m
		}
		// Options are counted by the version's letters, whatever the shuffle
		// showed them as.
		assert.Equal(t, map[string]int{"A": 3, "B": 1, "C": 0}, opts(sc[0]))
		assert.Equal(t, map[string]int{"A": 2, "B": 1, "C": 1}, opts(sc[1]))
		assert.Equal(t, map[string]int{"A": 1, "B": 2, "C": 0}, opts(sc[2]))
		assert.Equal(t, 1, sc[2].Omitted)
		assert.Equal(t, map[string]int{"true": 3, "false": 1}, opts(tf[0]))
		assert.Equal(t, map[string]int{"true": 1, "false": 3}, opts(tf[1]))

		for i, want := range []float64{0.75, 0.5, 0.25} {
			require.NotNil(t, sc[i].Facility)
			assert.InDelta(t, want, *sc[i].Facility, 1e-9, "single choice %d", i+1)
			assert.Equal(t, 4, sc[i].N)
		}
		assert.InDelta(t, 1.5, sc[0].Mean, 1e-9)
		// Item 2 2 2 0 against the rest 6 3 0 1: Σdxdy 3, Σdx² 3, Σdy² 21,
		// r = 3/√63 = 0.37796.
		require.NotNil(t, sc[0].Discrimination)
		assert.InDelta(t, 0.37796, *sc[0].Discrimination, 1e-5)
		// α over the five items (TestCronbachAlpha_PartialMarksWorkedExample).
		require.NotNil(t, st.Reliability.Alpha)
		assert.InDelta(t, 0.770833, *st.Reliability.Alpha, 1e-6)
		assert.Equal(t, 5, st.Reliability.Items)
		assert.Equal(t, 4, st.Reliability.N)
		assert.Empty(t, st.Reliability.Note)
	})
}

func TestStatistics_DrawnPapersCountEachQuestionWhereverItWasDrawn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		// Three of six single choices per paper; all four true/false
		// questions on every paper.
		e := f.objectiveExam(t, exam.PaperDrawn, 4, exam.ResultsAfterClose)
		users := append([]int64{f.alice, f.bob}, f.more(t, e.ID, "carol", "dave", "erin", "frank")...)
		for i, u := range users {
			tfs := []string{"true", "true", "true", "true"}
			for j := 0; j < i%4; j++ {
				tfs[j] = "false"
			}
			f.sit(t, u, e.ID, plan{content.SingleChoice: {"A", "A", "A"}, content.TrueFalse: tfs})
		}
		st, err := f.svc.Statistics(context.Background(), f.scope, e.ID, exam.StatsOptions{Bins: 5})
		require.NoError(t, err)
		assert.Equal(t, 6, st.Attempts)
		require.Len(t, st.Bins, 5)
		seenSC := 0
		questions := map[int64]bool{}
		for _, it := range st.Items {
			assert.Zero(t, it.Position, "drawn papers have no common positions")
			assert.False(t, questions[it.QuestionID], "one row per question")
			questions[it.QuestionID] = true
			switch it.Type {
			case content.SingleChoice:
				seenSC += it.Seen
				// Everyone chose the right option, shown under whatever letter.
				for _, o := range it.Options {
					if o.Key == "A" {
						assert.Equal(t, it.Seen, o.Count)
					} else {
						assert.Zero(t, o.Count)
					}
				}
				assert.InDelta(t, 1, *it.Facility, 1e-9)
				assert.Nil(t, it.Discrimination, "everyone right: undefined")
			case content.TrueFalse:
				assert.Equal(t, 6, it.Seen)
			}
		}
		assert.Equal(t, 18, seenSC, "three single choices on each of six papers")
		common := 0
		for _, it := range st.Items {
			if it.Seen == st.Attempts {
				common++
			}
		}
		assert.GreaterOrEqual(t, common, 4, "the four true/false questions (and any single choice every draw chose)")
		assert.Equal(t, common, st.Reliability.Items, "alpha is over the questions on every paper")
		assert.Equal(t, "results.alpha_common_questions", st.Reliability.Note)
		assert.NotNil(t, st.Reliability.Alpha)
	})
}

func TestStatistics_NoAttemptsIsEmptyNotAnError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.objectiveExam(t, exam.PaperFixed, 2, exam.ResultsAfterClose)
		st, err := f.svc.Statistics(context.Background(), f.scope, e.ID, exam.StatsOptions{})
		require.NoError(t, err)
		assert.Zero(t, st.Attempts)
		assert.Empty(t, st.Items)
		assert.Nil(t, st.Reliability.Alpha)
		assert.Equal(t, "results.alpha_too_few_items", st.Reliability.Note)
	})
}

// The statistics read drawn papers with a hand-written decoder; whatever it
// accepts must decode exactly as encoding/json does.
func TestDecodeItemsFast_AgreesWithEncodingJSONOnDrawnPapers(t *testing.T) {
	sections := []exam.Section{
		{Title: "单选", TopicID: 2, Type: content.SingleChoice, Count: 5, PointsEach: 250},
		{Title: "多选", TopicID: 2, Type: content.MultipleChoice, Count: 3, PointsEach: 300},
		{Title: "判断", TopicID: 2, Type: content.TrueFalse, Count: 4, PointsEach: 100},
	}
	pools := make([][]exam.Candidate, len(sections))
	for i, sec := range sections {
		for q := 0; q < sec.Count*2; q++ {
			c := exam.Candidate{QuestionID: int64(1000*i + q + 1), VersionID: int64(90000 + 1000*i + q)}
			if sec.Type != content.TrueFalse {
				c.OptionKeys = []string{"A", "B", "C", "D", "E"}
			}
			pools[i] = append(pools[i], c)
		}
	}
	for n := 0; n < 50; n++ {
		items, err := exam.Draw(exam.NewSeed(), sections, pools, exam.Shuffle{Questions: n%2 == 0, Options: n%3 != 0})
		require.NoError(t, err)
		raw, err := json.Marshal(items)
		require.NoError(t, err)
		fast, ok := exam.DecodeItemsFast(raw)
		require.True(t, ok, "json.Marshal's own form is read by hand: %s", raw)
		var want []exam.Item
		require.NoError(t, json.Unmarshal(raw, &want))
		assert.Equal(t, want, fast)
	}
	for _, odd := range []string{
		` [{"position":1}]`, `[{"position": 1}]`, `[{"position":1,"type":"single\u005fchoice"}]`,
		`[{"position":1,"extra":true}]`, `[{"position":-1}]`, `[{"points":"2.5.0"}]`, `[{"position":1}`, `[]x`,
	} {
		_, ok := exam.DecodeItemsFast([]byte(odd))
		assert.False(t, ok, "left to encoding/json: %s", odd)
	}
	empty, ok := exam.DecodeItemsFast([]byte(`[]`))
	assert.True(t, ok)
	assert.Empty(t, empty)
}

func FuzzDecodeItemsFast(f *testing.F) {
	f.Add([]byte(`[{"position":1,"section":0,"question_id":7,"version_id":9,"type":"single_choice","points":"2.00","option_order":["C","A","B"]}]`))
	f.Add([]byte(`[{"position":2,"section":1,"question_id":8,"version_id":10,"type":"true_false","points":"1.00"}]`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		fast, ok := exam.DecodeItemsFast(raw)
		if !ok {
			return
		}
		var want []exam.Item
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatalf("hand decoder accepted what encoding/json refuses (%v): %q", err, raw)
		}
		if want == nil {
			want = []exam.Item{}
		}
		assert.Equal(t, want, fast, "%q", raw)
	})
}
