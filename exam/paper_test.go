package exam_test

import (
	"fmt"
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

// approve adds n approved questions of a type, topic and difficulty to the
// fixture's bank.
func (f *fixture) approve(t *testing.T, n int, topicID int64, typ content.QuestionType, difficulty int) []int64 {
	t.Helper()
	var ids []int64
	for i := range n {
		d := content.Draft{Type: typ, Stem: fmt.Sprintf("%s-%d-%d-%d", typ, topicID, difficulty, i), Difficulty: difficulty}
		switch typ {
		case content.SingleChoice:
			d.Options = []content.Option{{Key: "A", Text: "对"}, {Key: "B", Text: "错"}, {Key: "C", Text: "也错"}}
			d.Key = content.Key{Choices: []string{"A"}}
		case content.TrueFalse:
			yes := true
			d.Key = content.Key{True: &yes}
		default:
			t.Fatalf("approve: type %s not handled", typ)
		}
		q, err := f.content.CreateQuestion(as(f.admin), f.scope, f.bank, content.EditInput{TopicID: topicID, Draft: d})
		require.NoError(t, err)
		ids = append(ids, q.ID)
	}
	require.NoError(t, f.content.TransitionMany(as(f.admin), f.scope, ids, content.ActionSubmit, ""))
	var reviewer int64
	require.NoError(t, f.db.Table("users").Where("username = ?", "author2").Pluck("id", &reviewer).Error)
	require.NoError(t, f.content.TransitionMany(as(reviewer), f.scope, ids, content.ActionApprove, ""))
	return ids
}

func papersOf(t *testing.T, db *gorm.DB, examID int64) []exam.Paper {
	t.Helper()
	var ps []exam.Paper
	require.NoError(t, db.Where("exam_id = ?", examID).Order("id").Find(&ps).Error)
	return ps
}

func TestPaper_RebuildsExactlyFromItsSeedWhateverTheBanksHoldLater(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil) // drawn per contestant, questions and options shuffled
		n, err := f.svc.PreparePapers(as(f.admin), e.ID)
		require.NoError(t, err)
		require.Equal(t, 2, n)
		before := papersOf(t, db, e.ID)
		require.Len(t, before, 2)
		require.NotNil(t, before[0].DrawID)
		assert.Equal(t, before[0].DrawID, before[1].DrawID, "papers drawn from the same banks share one drawing")

		// The banks change: twenty more single-choice questions, and one of
		// the drawn ones retired. Drawn again from the banks as they are now,
		// the same seed would give another paper.
		f.approve(t, 20, 2, content.SingleChoice, 2)
		drawn := before[0].Items()
		require.NoError(t, f.content.TransitionMany(as(f.admin), f.scope, []int64{drawn[0].QuestionID}, content.ActionRetire, "outdated"))

		for _, p := range before {
			items, err := f.svc.RebuildPaper(as(f.admin), p.ID)
			require.NoError(t, err)
			assert.Equal(t, p.Items(), items)
		}

		// A paper drawn now comes from a drawing of its own.
		carol, err := f.org.SeedUsers(as(f.admin), []org.UserInput{{Username: "carol", Name: "丙", OrgUnitID: f.prov.ID}}, "secret123")
		require.NoError(t, err)
		require.NoError(t, f.svc.Enrol(as(f.admin), e.ID, []int64{carol[0].ID}))
		_, err = f.svc.PreparePapers(as(f.admin), e.ID)
		require.NoError(t, err)
		after := papersOf(t, db, e.ID)
		require.Len(t, after, 3)
		assert.NotEqual(t, *before[0].DrawID, *after[2].DrawID)
		items, err := f.svc.RebuildPaper(as(f.admin), after[2].ID)
		require.NoError(t, err)
		assert.Equal(t, after[2].Items(), items)
		for _, it := range items {
			assert.NotEqual(t, drawn[0].QuestionID, it.QuestionID, "a retired question is not drawn again")
		}
	})
}

func TestPaper_AStoredPaperThatDoesNotRebuildIsReported(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, nil)
		_, err := f.svc.PreparePapers(as(f.admin), e.ID)
		require.NoError(t, err)
		ps := papersOf(t, db, e.ID)

		// Alice's items stored under Bob's seed: not what that seed draws.
		require.NoError(t, db.Model(&exam.Paper{}).Where("id = ?", ps[1].ID).Update("items_json", ps[0].ItemsJSON).Error)
		_, err = f.svc.RebuildPaper(as(f.admin), ps[1].ID)
		var se *skillarena.Error
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "exam.paper_rebuild_differs", se.Message)

		// A paper kept without its drawing cannot be rebuilt, and says so.
		require.NoError(t, db.Model(&exam.Paper{}).Where("id = ?", ps[0].ID).Update("draw_id", nil).Error)
		_, err = f.svc.RebuildPaper(as(f.admin), ps[0].ID)
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "exam.paper_no_drawing", se.Message)
	})
}

func TestPreview_AFixedExamShowsTheOnePaperEveryoneSits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		e := f.exam(t, func(in *exam.ExamInput) { in.PaperMode = exam.PaperFixed })

		sample, err := f.svc.Preview(as(f.admin), e.ID)
		require.NoError(t, err)
		assert.Zero(t, sample.PaperID, "before the paper is drawn a preview is a sample")
		assert.Len(t, sample.Items, 6)

		a, err := f.svc.Start(as(f.alice), f.alice, e.ID)
		require.NoError(t, err)
		for range 3 {
			p, err := f.svc.Preview(as(f.admin), e.ID)
			require.NoError(t, err)
			assert.Equal(t, a.PaperID, p.PaperID)
			assert.Equal(t, a.Items, p.Items, "the preview is the paper alice sits, as she sees it")
		}
		b, err := f.svc.Start(as(f.bob), f.bob, e.ID)
		require.NoError(t, err)
		assert.Equal(t, a.Items, b.Items)
	})
}

func TestDraw_ASectionDrawsFromItsTopicAndSubtopicsAtItsDifficulty(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		sub, err := f.content.CreateTopic(as(f.admin), f.scope, content.TopicInput{ParentID: 3, Name: "进度管理", NameEN: "Schedules"})
		require.NoError(t, err)
		subsub, err := f.content.CreateTopic(as(f.admin), f.scope, content.TopicInput{ParentID: sub.ID, Name: "里程碑", NameEN: "Milestones"})
		require.NoError(t, err)
		want := map[int64]bool{}
		for _, id := range f.approve(t, 2, 3, content.TrueFalse, 3) { // the topic itself
			want[id] = true
		}
		for _, id := range f.approve(t, 2, sub.ID, content.TrueFalse, 3) {
			want[id] = true
		}
		for _, id := range f.approve(t, 2, subsub.ID, content.TrueFalse, 3) {
			want[id] = true
		}
		f.approve(t, 3, sub.ID, content.TrueFalse, 2)    // another difficulty
		f.approve(t, 3, 4, content.TrueFalse, 3)         // another topic
		f.approve(t, 3, sub.ID, content.SingleChoice, 3) // another type
		bp, err := f.svc.CreateBlueprint(as(f.admin), f.scope, exam.BlueprintInput{OrgUnitID: f.prov.ID, Name: "项目", Sections: []exam.Section{
			{Title: "判断", TopicID: 3, Type: content.TrueFalse, Difficulty: 3, Count: 6, PointsEach: 100},
		}})
		require.NoError(t, err)
		e := f.exam(t, func(in *exam.ExamInput) { in.BlueprintID = bp.ID })
		_, err = f.svc.PreparePapers(as(f.admin), e.ID)
		require.NoError(t, err)
		for _, p := range papersOf(t, db, e.ID) {
			got := map[int64]bool{}
			for _, it := range p.Items() {
				got[it.QuestionID] = true
			}
			assert.Equal(t, want, got, "every question of topic 3 and below at difficulty 3, and nothing else")
		}

		// One more would need a seventh: the blueprint is refused, naming it.
		bp7, err := f.svc.CreateBlueprint(as(f.admin), f.scope, exam.BlueprintInput{OrgUnitID: f.prov.ID, Name: "项目7", Sections: []exam.Section{
			{Title: "判断", TopicID: 3, Type: content.TrueFalse, Difficulty: 3, Count: 7, PointsEach: 100},
		}})
		require.NoError(t, err)
		_, err = f.svc.CreateExam(as(f.admin), f.scope, exam.ExamInput{OrgUnitID: f.prov.ID, Title: "x", OpensAt: clock.Now(), ClosesAt: clock.Now().Add(time.Hour),
			Duration: time.Hour, BlueprintID: bp7.ID, BankIDs: []int64{f.bank}})
		var se *skillarena.Error
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "1:判断:6/7", se.Args["Sections"])
	})
}
