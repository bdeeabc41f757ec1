package content_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/content"
	"skillarena/database/dbtest"
	"skillarena/org"
)

type fixture struct {
	t        testing.TB
	db       *gorm.DB
	org      *org.Service
	svc      *content.Service
	prov, c1 org.Unit
	c2       org.Unit
	author1  int64
	author2  int64
	provBank content.BankSummary
	c2Bank   content.BankSummary
}

func (f *fixture) as(id int64) context.Context {
	return skillarena.WithActor(context.Background(), skillarena.Actor{UserID: id, Username: "u", IP: "192.0.2.1"})
}

func scopeOf(us ...org.Unit) org.Scope {
	var s org.Scope
	for _, u := range us {
		s.Paths = append(s.Paths, u.Path)
	}
	return s
}

func newFixture(t testing.TB, db *gorm.DB, clock *skillarena.FixedClock) *fixture {
	if clock == nil {
		clock = skillarena.NewFixedClock(dbtest.Clock)
	}
	f := &fixture{t: t, db: db}
	f.org = org.NewService(db, clock, org.Options{Hasher: org.NewHasher(org.Argon2Params{Memory: 64, Time: 1, Threads: 1})})
	f.svc = content.NewService(db, clock, f.org.Audit())
	ctx := context.Background()
	var err error
	f.prov, err = f.org.CreateUnit(ctx, nil, org.UnitInput{Name: "省", Code: "PROV"})
	require.NoError(t, err)
	r1, err := f.org.CreateUnit(ctx, nil, org.UnitInput{Name: "区", Code: "R1", ParentID: &f.prov.ID})
	require.NoError(t, err)
	f.c1, err = f.org.CreateUnit(ctx, nil, org.UnitInput{Name: "县一", Code: "C1", ParentID: &r1.ID})
	require.NoError(t, err)
	f.c2, err = f.org.CreateUnit(ctx, nil, org.UnitInput{Name: "县二", Code: "C2", ParentID: &r1.ID})
	require.NoError(t, err)
	us, err := f.org.SeedUsers(ctx, []org.UserInput{
		{Username: "author1", Name: "甲", OrgUnitID: f.prov.ID}, {Username: "author2", Name: "乙", OrgUnitID: f.prov.ID}}, "secret123")
	require.NoError(t, err)
	f.author1, f.author2 = us[0].ID, us[1].ID
	f.provBank, err = f.svc.CreateBank(f.as(f.author1), scopeOf(f.prov), content.BankInput{OrgUnitID: f.prov.ID, Name: "省题库"})
	require.NoError(t, err)
	f.c2Bank, err = f.svc.CreateBank(f.as(f.author1), scopeOf(f.prov), content.BankInput{OrgUnitID: f.c2.ID, Name: "县二题库"})
	require.NoError(t, err)
	return f
}

func single(stem string) content.EditInput {
	return content.EditInput{TopicID: 2, Draft: content.Draft{Type: content.SingleChoice, Stem: stem,
		Options: []content.Option{{Key: "A", Text: "甲"}, {Key: "B", Text: "乙"}, {Key: "C", Text: "丙"}},
		Key:     content.Key{Choices: []string{"B"}}, Explanation: "因为乙。", Difficulty: 2}}
}

func TestTopics_TheSevenCompetitionTopicsAreSeeded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		ts, err := f.svc.ListTopics(context.Background())
		require.NoError(t, err)
		var names []string
		for _, x := range ts {
			if x.ParentID == nil {
				names = append(names, x.Name)
			}
		}
		assert.Equal(t, []string{"全业务网络知识", "维护流程", "项目管理", "方案设计", "服务标准", "沟通技巧", "C网承接"}, names)
		sub, err := f.svc.CreateTopic(f.as(f.author1), scopeOf(f.prov), content.TopicInput{ParentID: 2, Name: "故障处理", NameEN: "Fault handling"})
		require.NoError(t, err)
		assert.Equal(t, "/2/"+itoa(sub.ID)+"/", sub.Path)
		_, err = f.svc.CreateTopic(f.as(f.author1), scopeOf(f.c1), content.TopicInput{ParentID: 2, Name: "县里的"})
		assert.Equal(t, skillarena.EFORBIDDEN, skillarena.ErrorCode(err), "only province organisers add topics")
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A province bank is usable by every unit below it; a county bank only inside
// that county.
func TestBanks_ProvinceBankServesAllCountyBankOnlyItsCounty(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		names := func(s org.Scope) []string {
			bs, err := f.svc.ListBanks(context.Background(), s)
			require.NoError(t, err)
			var out []string
			for _, b := range bs {
				out = append(out, b.Name)
			}
			return out
		}
		assert.Equal(t, []string{"省题库"}, names(scopeOf(f.c1)))
		assert.ElementsMatch(t, []string{"省题库", "县二题库"}, names(scopeOf(f.c2)))
		assert.ElementsMatch(t, []string{"省题库", "县二题库"}, names(scopeOf(f.prov)))
		_, err := f.svc.Bank(context.Background(), scopeOf(f.c1), f.c2Bank.ID)
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err))
		// A county author reads the province bank but cannot write into it.
		_, err = f.svc.CreateQuestion(f.as(f.author1), scopeOf(f.c1), f.provBank.ID, single("县里想加的题？"))
		assert.Equal(t, skillarena.EFORBIDDEN, skillarena.ErrorCode(err))
	})
}

func TestCheckDraft_RefusesWhatTheRulesForbid(t *testing.T) {
	tr := true
	base := func() content.Draft { return single("题干").Draft }
	cases := []struct {
		name  string
		edit  func(d *content.Draft)
		field string
		msg   string
	}{
		{"single choice with two keys", func(d *content.Draft) { d.Key.Choices = []string{"A", "B"} }, "key", "question.single_choice_two_keys"},
		{"multiple choice with none", func(d *content.Draft) { d.Type = content.MultipleChoice; d.Key.Choices = nil }, "key", "question.multiple_choice_no_key"},
		{"option referenced but missing", func(d *content.Draft) { d.Key.Choices = []string{"E"} }, "key", "question.key_option_missing"},
		{"empty stem", func(d *content.Draft) { d.Stem = "<p> </p>" }, "stem", "question.stem_empty"},
		{"difficulty out of range", func(d *content.Draft) { d.Difficulty = 6 }, "difficulty", "question.difficulty_range"},
		{"options with a gap", func(d *content.Draft) { d.Options[1].Key = "C"; d.Options[2].Key = "D" }, "options", "question.options_gap"},
		{"blank with no accepted answer", func(d *content.Draft) {
			*d = content.Draft{Type: content.FillBlank, Stem: "故障___小时内修复", Key: content.Key{Blanks: []content.Blank{{Accepted: []string{" "}}}}, Difficulty: 3, Points: 200}
		}, "key", "question.blank_without_answer"},
		{"blank count differs from markers", func(d *content.Draft) {
			*d = content.Draft{Type: content.FillBlank, Stem: "___与___", Key: content.Key{Blanks: []content.Blank{{Accepted: []string{"a"}}}}, Difficulty: 3, Points: 200}
		}, "key", "question.blank_count"},
		{"true/false without key", func(d *content.Draft) {
			*d = content.Draft{Type: content.TrueFalse, Stem: "对吗", Difficulty: 1, Points: 100}
		}, "key", "question.true_false_no_key"},
		{"unknown type", func(d *content.Draft) { d.Type = "matching" }, "type", "question.type_unknown"},
	}
	for _, tc := range cases {
		d := base()
		d.Points = 100
		tc.edit(&d)
		ps := content.CheckDraft(d)
		require.NotEmpty(t, ps, tc.name)
		found := false
		for _, p := range ps {
			if p.Field == tc.field && p.Message == tc.msg {
				found = true
			}
		}
		assert.True(t, found, "%s: got %+v", tc.name, ps)
	}
	ok := content.Draft{Type: content.TrueFalse, Stem: "对吗", Key: content.Key{True: &tr}, Difficulty: 1, Points: 100}
	assert.Empty(t, content.CheckDraft(ok))
}

// Editing makes a new version; old versions stay readable, and the question
// goes back to draft for review.
func TestVersions_EditMakesANewVersionAndKeepsTheOld(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		ctx := f.as(f.author1)
		sc := scopeOf(f.prov)
		q, err := f.svc.CreateQuestion(ctx, sc, f.provBank.ID, single("第一版题干"))
		require.NoError(t, err)
		assert.Equal(t, content.StatusDraft, q.Status)
		v1 := q.Current.ID
		_, err = f.svc.Transition(ctx, sc, q.ID, content.ActionSubmit, "")
		require.NoError(t, err)
		_, err = f.svc.Transition(f.as(f.author2), sc, q.ID, content.ActionApprove, "")
		require.NoError(t, err)

		in := single("第二版题干")
		in.BaseVersion = 1
		q2, err := f.svc.EditQuestion(ctx, sc, q.ID, in)
		require.NoError(t, err)
		assert.Equal(t, 2, q2.CurrentVersion)
		assert.Equal(t, content.StatusDraft, q2.Status, "an edit goes back to review")
		old, err := f.svc.VersionByID(context.Background(), v1)
		require.NoError(t, err)
		assert.Contains(t, old.Stem, "第一版题干", "the version a paper points at never changes")
		vs, err := f.svc.Versions(ctx, sc, q.ID)
		require.NoError(t, err)
		require.Len(t, vs, 2)

		in.BaseVersion = 1
		_, err = f.svc.EditQuestion(f.as(f.author2), sc, q.ID, in)
		assert.Equal(t, skillarena.ESTALEWRITE, skillarena.ErrorCode(err), "an edit on top of an old version is refused")
	})
}

// The approver must be a different person from the last editor.
func TestReview_ApproverMustDifferFromLastEditor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		sc := scopeOf(f.prov)
		q, err := f.svc.CreateQuestion(f.as(f.author1), sc, f.provBank.ID, single("题"))
		require.NoError(t, err)
		_, err = f.svc.Transition(f.as(f.author1), sc, q.ID, content.ActionApprove, "")
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "a draft is not in review")
		_, err = f.svc.Transition(f.as(f.author1), sc, q.ID, content.ActionSubmit, "")
		require.NoError(t, err)
		_, err = f.svc.Transition(f.as(f.author1), sc, q.ID, content.ActionApprove, "")
		assert.Equal(t, skillarena.EFORBIDDEN, skillarena.ErrorCode(err))
		_, err = f.svc.Transition(f.as(f.author2), sc, q.ID, content.ActionReject, "")
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "a rejection says why")
		got, err := f.svc.Transition(f.as(f.author2), sc, q.ID, content.ActionApprove, "好题")
		require.NoError(t, err)
		assert.Equal(t, content.StatusApproved, got.Status)
		got, err = f.svc.Transition(f.as(f.author2), sc, q.ID, content.ActionRetire, "过时")
		require.NoError(t, err)
		assert.Equal(t, content.StatusRetired, got.Status)

		es, err := f.svc.Events(f.as(f.author1), sc, q.ID)
		require.NoError(t, err)
		var kinds []string
		for _, e := range es {
			kinds = append(kinds, e.Kind)
		}
		assert.Equal(t, []string{"submit", "approve", "retire"}, kinds)
		entries, _, err := f.org.ListAudit(context.Background(), sc, org.AuditFilter{ObjectType: "question"})
		require.NoError(t, err)
		assert.Len(t, entries, 4, "create, submit, approve, retire are audited")
	})
}

func TestQuestions_HTMLIsSanitisedAtWriteTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		in := single(`<p onclick="steal()">看图<script>alert(1)</script><img src="javascript:x"></p>`)
		q, err := f.svc.CreateQuestion(f.as(f.author1), scopeOf(f.prov), f.provBank.ID, in)
		require.NoError(t, err)
		assert.NotContains(t, q.Current.Stem, "script")
		assert.NotContains(t, q.Current.Stem, "onclick")
		assert.NotContains(t, q.Current.Stem, "javascript")
		assert.Contains(t, q.Current.Stem, "看图")
	})
}

func TestSearch_FiltersAndCountsApprovedByTopicTypeDifficulty(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		sc := scopeOf(f.prov)
		sub, err := f.svc.CreateTopic(f.as(f.author1), sc, content.TopicInput{ParentID: 2, Name: "故障处理"})
		require.NoError(t, err)
		in := single("光缆中断如何处理？")
		in.TopicID = sub.ID
		in.Tags = []string{"光缆", "抢修"}
		q1, err := f.svc.CreateQuestion(f.as(f.author1), sc, f.provBank.ID, in)
		require.NoError(t, err)
		_, err = f.svc.CreateQuestion(f.as(f.author1), sc, f.provBank.ID, single("另一道题"))
		require.NoError(t, err)
		f.svc.Transition(f.as(f.author1), sc, q1.ID, content.ActionSubmit, "")
		_, err = f.svc.Transition(f.as(f.author2), sc, q1.ID, content.ActionApprove, "")
		require.NoError(t, err)

		rows, total, err := f.svc.Search(context.Background(), sc, content.Filter{TopicID: 2})
		require.NoError(t, err)
		assert.EqualValues(t, 2, total, "a topic includes its subtopics")
		_, total, _ = f.svc.Search(context.Background(), sc, content.Filter{Tag: "光缆"})
		assert.EqualValues(t, 1, total)
		_, total, _ = f.svc.Search(context.Background(), sc, content.Filter{Text: "光缆中断"})
		assert.EqualValues(t, 1, total)
		_, total, _ = f.svc.Search(context.Background(), sc, content.Filter{Status: content.StatusApproved, Type: content.SingleChoice})
		assert.EqualValues(t, 1, total)
		assert.NotEmpty(t, rows[0].Stem)

		cs, err := f.svc.Counts(context.Background(), sc, 0)
		require.NoError(t, err)
		assert.Equal(t, []content.Count{{TopicID: sub.ID, Type: content.SingleChoice, Difficulty: 2, Count: 1}}, cs)
	})
}

func pngBytes(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

func TestUploadImage_OnlyRealImages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		a, err := f.svc.UploadImage(f.as(f.author1), pngBytes(t))
		require.NoError(t, err)
		assert.Equal(t, "image/png", a.ContentType)
		again, err := f.svc.UploadImage(f.as(f.author1), pngBytes(t))
		require.NoError(t, err)
		assert.Equal(t, a.ID, again.ID, "same bytes, one asset")
		got, err := f.svc.AssetByHash(context.Background(), a.SHA256)
		require.NoError(t, err)
		assert.Equal(t, a.Size, len(got.Data))
		in := single(`<p>见图：<img src="` + content.AssetURL(a.SHA256) + `" alt="拓扑"></p>`)
		q, err := f.svc.CreateQuestion(f.as(f.author1), scopeOf(f.prov), f.provBank.ID, in)
		require.NoError(t, err)
		assert.Contains(t, q.Current.Stem, content.AssetURL(a.SHA256), "an uploaded image survives sanitising")
		_, err = f.svc.UploadImage(f.as(f.author1), []byte("<svg onload=alert(1)>"))
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err))
		_, err = f.svc.UploadImage(f.as(f.author1), bytes.Repeat([]byte{0}, content.MaxAssetBytes+1))
		assert.Equal(t, skillarena.ETOOLARGE, skillarena.ErrorCode(err))
	})
}

func TestMaterial_SectionsKeepTheirIDsAndAUsedSectionStays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		sc := scopeOf(f.prov)
		m, err := f.svc.SaveMaterial(f.as(f.author1), sc, 0, content.MaterialInput{TopicID: 2, OrgUnitID: f.prov.ID, Title: "故障处理流程",
			Sections: []content.SectionInput{{Title: "受理", Body: "<p>受理<script>x</script></p>"}, {Title: "回访", Body: "<p>回访</p>"}}})
		require.NoError(t, err)
		require.Len(t, m.Sections, 2)
		assert.NotContains(t, m.Sections[0].Body, "script")
		in := single("受理后第一步？")
		in.MaterialSectionID = &m.Sections[1].ID
		_, err = f.svc.CreateQuestion(f.as(f.author1), sc, f.provBank.ID, in)
		require.NoError(t, err)
		_, err = f.svc.SaveMaterial(f.as(f.author1), sc, m.ID, content.MaterialInput{TopicID: 2, Title: "故障处理流程",
			Sections: []content.SectionInput{{ID: m.Sections[0].ID, Title: "受理", Body: "改"}}})
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "a section a question tests cannot be dropped")
		m2, err := f.svc.SaveMaterial(f.as(f.author1), sc, m.ID, content.MaterialInput{TopicID: 2, Title: "故障处理流程（修订）",
			Sections: []content.SectionInput{{ID: m.Sections[1].ID, Title: "回访", Body: "先"}, {ID: m.Sections[0].ID, Title: "受理", Body: "后"}}})
		require.NoError(t, err)
		assert.Equal(t, m.Sections[1].ID, m2.Sections[0].ID, "reordered, same ids")
		ms, err := f.svc.ListMaterials(context.Background(), scopeOf(f.c1), 0)
		require.NoError(t, err)
		assert.Len(t, ms, 1, "a province article is read in every county")
	})
}

func TestImport_AllOrNothingWithRowAndColumn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		csv := "题型,主题,题干,选项A,选项B,选项C,选项D,答案,解析,难度,分值\n" +
			"单选题,维护流程,故障受理后第一步是？,建单,派单,回访,归档,A,先建单。,2,1\n" +
			"单选题,维护流程,重要客户故障应？,立即派单,次日派单,不派单,等客户再报,E,立即派单。,2,1\n" +
			"判断题,维护流程,回单前应请客户确认业务恢复。,,,,,对,确认后回单。,1,1\n"
		sc := scopeOf(f.prov)
		res, err := f.svc.Import(f.as(f.author1), sc, content.ImportRequest{Format: content.FormatCSV, BankID: f.provBank.ID, Data: []byte(csv)})
		require.NoError(t, err)
		require.NotEmpty(t, res.Errors)
		assert.Equal(t, 3, res.Errors[0].Pos.Row)
		assert.Zero(t, res.Imported)
		_, total, _ := f.svc.Search(context.Background(), sc, content.Filter{})
		assert.Zero(t, total, "nothing written")

		fixed := strings.Replace(csv, ",E,", ",A,", 1)
		res, err = f.svc.Import(f.as(f.author1), sc, content.ImportRequest{Format: content.FormatCSV, BankID: f.provBank.ID, Data: []byte(fixed), DryRun: true})
		require.NoError(t, err)
		assert.Empty(t, res.Errors)
		assert.Equal(t, 3, res.Imported)
		_, total, _ = f.svc.Search(context.Background(), sc, content.Filter{})
		assert.Zero(t, total, "a dry run writes nothing")

		res, err = f.svc.Import(f.as(f.author1), sc, content.ImportRequest{Format: content.FormatCSV, BankID: f.provBank.ID, Data: []byte(fixed)})
		require.NoError(t, err)
		assert.Equal(t, 3, res.Imported)
		_, total, _ = f.svc.Search(context.Background(), sc, content.Filter{Status: content.StatusDraft})
		assert.EqualValues(t, 3, total, "imported questions await review")

		res, err = f.svc.Import(f.as(f.author1), sc, content.ImportRequest{Format: content.FormatCSV, BankID: f.provBank.ID, Data: []byte(fixed), DryRun: true})
		require.NoError(t, err)
		assert.Len(t, res.Duplicates, 3, "near-duplicates of existing questions are reported")
	})
}

func TestImport_UnknownTopicIsAnErrorUnlessTopicsMayBeCreated(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		data, err := os.ReadFile("../../shared/fixtures/moodle-xml/nested_categories_with_questions.xml")
		if err != nil {
			t.Skipf("shared fixture not available: %v", err)
		}
		sc := scopeOf(f.prov)
		res, err := f.svc.Import(f.as(f.author1), sc, content.ImportRequest{Format: content.FormatMoodleXML, BankID: f.provBank.ID, Data: data})
		require.NoError(t, err)
		require.NotEmpty(t, res.Errors)
		assert.Equal(t, "topic.unknown_path", res.Errors[0].Message)

		res, err = f.svc.Import(f.as(f.author1), sc, content.ImportRequest{Format: content.FormatMoodleXML, BankID: f.provBank.ID, Data: data, CreateTopics: true})
		require.NoError(t, err)
		require.Empty(t, res.Errors, "%+v", res.Errors)
		assert.Equal(t, 5, res.Imported)
		assert.NotEmpty(t, res.CreatedTopics)
		ts, _ := f.svc.ListTopics(context.Background())
		var names []string
		for _, x := range ts {
			names = append(names, x.Name)
		}
		assert.Subset(t, names, []string{"Iota", "Kappa", "Lambda"})
	})
}

func TestExport_XLSXRoundTripsThroughImport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		f := newFixture(t, db, clock)
		sc := scopeOf(f.prov)
		tr := false
		inputs := []content.EditInput{single("单选题干"),
			{TopicID: 3, Draft: content.Draft{Type: content.MultipleChoice, Stem: "多选", Options: []content.Option{{Key: "A", Text: "1"}, {Key: "B", Text: "2"}, {Key: "C", Text: "3"}}, Key: content.Key{Choices: []string{"A", "C"}}, Difficulty: 4, Points: 250, Tags: []string{"x"}}},
			{TopicID: 5, Draft: content.Draft{Type: content.TrueFalse, Stem: "判断", Key: content.Key{True: &tr}, Difficulty: 1}},
			{TopicID: 1, Draft: content.Draft{Type: content.FillBlank, Stem: "故障___小时，投诉___天", Key: content.Key{Blanks: []content.Blank{{Accepted: []string{"4", "四"}}, {Accepted: []string{"2"}}}}, Normalization: content.DefaultNormalization, Difficulty: 3}},
			{TopicID: 4, Draft: content.Draft{Type: content.Essay, Stem: "设计双路由方案", ReferenceAnswer: "两条不同路由", Rubric: "1. 路由(5分)", Difficulty: 5, Points: 2000}},
		}
		for _, in := range inputs {
			_, err := f.svc.CreateQuestion(f.as(f.author1), sc, f.provBank.ID, in)
			require.NoError(t, err)
		}
		exp, err := f.svc.Export(context.Background(), sc, content.Filter{BankID: f.provBank.ID}, content.FormatXLSX)
		require.NoError(t, err)
		assert.Equal(t, 5, exp.Count)
		res, err := f.svc.Import(f.as(f.author1), sc, content.ImportRequest{Format: content.FormatXLSX, BankID: f.c2Bank.ID, Data: exp.Data})
		require.NoError(t, err)
		require.Empty(t, res.Errors, "%+v", res.Errors)
		assert.Equal(t, 5, res.Imported)
		assert.Len(t, res.Duplicates, 5, "the same questions, reported as near-duplicates")
		a, _, _ := f.svc.Search(context.Background(), sc, content.Filter{BankID: f.provBank.ID})
		b, _, _ := f.svc.Search(context.Background(), sc, content.Filter{BankID: f.c2Bank.ID})
		require.Len(t, b, 5)
		fp := func(rows []content.QuestionRow) map[string]bool {
			m := map[string]bool{}
			for _, r := range rows {
				m[r.Fingerprint] = true
			}
			return m
		}
		assert.Equal(t, fp(a), fp(b))
		for _, r := range b {
			src := findByFingerprint(a, r.Fingerprint)
			qa, _ := f.svc.Question(context.Background(), sc, src.ID)
			qb, _ := f.svc.Question(context.Background(), sc, r.ID)
			da, db := qa.Current.Draft(), qb.Current.Draft()
			assert.Equal(t, da, db, "question %d round-trips", src.ID)
			assert.Equal(t, qa.TopicID, qb.TopicID)
		}
	})
}

func findByFingerprint(rows []content.QuestionRow, fp string) content.QuestionRow {
	for _, r := range rows {
		if r.Fingerprint == fp {
			return r
		}
	}
	return content.QuestionRow{}
}
