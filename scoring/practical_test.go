package scoring_test

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"skillarena"
	"skillarena/database/dbtest"
	"skillarena/org"
	"skillarena/scoring"
)

// A judge never marks a contestant whose team and the judge's own unit lie on
// one line below the stage's unit; a judge of the stage's unit or above marks
// everyone.
func TestConflictOfInterest_OneLineBelowTheStageUnit(t *testing.T) {
	const prov, r1, r2, c1, c2, c4 = "/1/", "/1/2/", "/1/3/", "/1/2/4/", "/1/2/5/", "/1/3/6/"
	for _, tc := range []struct {
		name               string
		stage, judge, team string
		conflict           bool
	}{
		{"a province judge marks every county", prov, prov, c1, false},
		{"a judge of the same county", prov, c1, c1, true},
		{"a judge of another county", prov, c2, c1, false},
		{"a judge of the county's region", prov, r1, c1, true},
		{"a judge of another region", prov, r2, c1, false},
		{"a county judge and a region team", prov, c1, r1, true},
		{"a county judge and another region's team", prov, c4, r1, false},
		{"in a regional stage, the region's judge marks its counties", r1, r1, c1, false},
		{"in a regional stage, a county judge and their own county", r1, c2, c2, true},
		{"a judge from outside the stage's unit", r1, c4, c1, false},
		{"a judge above the stage's unit", r1, prov, c1, false},
		{"a team at the stage's unit itself", prov, c1, prov, false},
		{"paths compare as units, not as text", "/1/", "/1/2/", "/1/22/", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.conflict, scoring.ConflictOfInterest(tc.stage, tc.judge, tc.team))
		})
	}
}

// A rubric's criteria have maxima; a judgement's scale is ascending, within
// the maximum and ends at it; a measurement has none.
func TestValidateRubric_CriteriaAndScales(t *testing.T) {
	good := scoring.TaskInput{Name: "故障排查", Criteria: []scoring.CriterionInput{
		{Name: "操作规范", Kind: scoring.CriterionMeasurement, MaxPoints: 6000},
		{Name: "服务沟通", Kind: scoring.CriterionJudgement, MaxPoints: 4000, Scale: []skillarena.Points{0, 1000, 2000, 3000, 4000}},
	}}
	cs, err := scoring.ValidateRubric(good)
	require.NoError(t, err)
	assert.Equal(t, []int64{1, 2}, []int64{cs[0].ID, cs[1].ID})
	assert.True(t, cs[0].Allows(5825))
	assert.False(t, cs[0].Allows(6001))
	assert.True(t, cs[1].Allows(3000))
	assert.False(t, cs[1].Allows(2500), "not on the scale")

	for field, bad := range map[string]scoring.CriterionInput{
		"criteria[0].scale":      {Name: "x", Kind: scoring.CriterionJudgement, MaxPoints: 1000, Scale: []skillarena.Points{0, 500}},
		"criteria[0].kind":       {Name: "x", Kind: "guess", MaxPoints: 1000},
		"criteria[0].max_points": {Name: "x", Kind: scoring.CriterionMeasurement, MaxPoints: 0},
	} {
		_, err := scoring.ValidateRubric(scoring.TaskInput{Name: "t", Criteria: []scoring.CriterionInput{bad}})
		var e *skillarena.Error
		require.ErrorAs(t, err, &e, field)
		assert.Contains(t, e.Fields, field)
	}
	_, err = scoring.ValidateRubric(scoring.TaskInput{Name: "t", Criteria: []scoring.CriterionInput{{Name: "x", Kind: scoring.CriterionJudgement,
		MaxPoints: 1000, Scale: []skillarena.Points{0, 700, 500, 1000}}}})
	assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "a scale that is not ascending")
}

// practical is a provincial stage ready for marking: one task (measurement
// up to 60, judgement on 0/10/20/30/40), one station with five province
// judges (judges[0] the chief) and a judge of county 1, and each county's
// nominee and drawn contestant placed at it.
type practical struct {
	*fixture
	stage   scoring.Stage
	task    scoring.Task
	station scoring.Station
	judges  []int64 // province judges
	county  int64   // the judge of county 1
	// nominee and drawn contestant of each county, by county unit id.
	nominee, drawn map[int64]int64
}

func newPractical(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) *practical {
	t.Helper()
	f := newFixture(t, db, clock)
	p := &practical{fixture: f, nominee: map[int64]int64{}, drawn: map[int64]int64{}}
	ctx := context.Background()
	in := []org.UserInput{{Username: "judge_c1", Name: "县评委", OrgUnitID: f.c1.ID}}
	for i := range 5 {
		in = append(in, org.UserInput{Username: fmt.Sprintf("judge%d", i+1), Name: fmt.Sprintf("评委%d", i+1), OrgUnitID: f.prov.ID})
	}
	us, err := f.org.SeedUsers(ctx, in, "secret123")
	require.NoError(t, err)
	p.county = us[0].ID
	for _, u := range us {
		unit := f.prov.ID
		if u.ID == p.county {
			unit = f.c1.ID
		} else {
			p.judges = append(p.judges, u.ID)
		}
		_, err := f.org.CreateGrant(ctx, nil, org.GrantInput{UserID: u.ID, Role: org.RoleJudge, OrgUnitID: unit})
		require.NoError(t, err)
	}
	p.stage = f.stage(t)
	organiser := f.access(t, p.stage, f.prov)
	for _, u := range []org.Unit{f.c1, f.c2} {
		m := f.members[u.ID]
		require.NoError(t, f.svc.SetRoster(as(f.admin), organiser, u.ID, scoring.RosterInput{Written: m[:8], Nominee: m[0]}))
	}
	require.NoError(t, f.svc.LockRosters(as(f.admin), organiser))
	organiser = f.access(t, p.stage, f.prov)
	_, err = f.svc.CommitDraw(as(f.admin), organiser, "")
	require.NoError(t, err)
	d, err := f.svc.PerformDraw(as(f.admin), organiser, "42")
	require.NoError(t, err)
	for _, r := range d.Result() {
		p.drawn[r.TeamID] = r.ContestantID
	}
	p.task, err = f.svc.CreateTask(as(f.admin), organiser, scoring.TaskInput{Name: "政企专线故障排查", Criteria: []scoring.CriterionInput{
		{Name: "操作规范", Kind: scoring.CriterionMeasurement, MaxPoints: 6000},
		{Name: "服务沟通", Kind: scoring.CriterionJudgement, MaxPoints: 4000, Scale: []skillarena.Points{0, 1000, 2000, 3000, 4000}},
	}})
	require.NoError(t, err)
	p.station, err = f.svc.CreateStation(as(f.admin), organiser, scoring.StationInput{Name: "一号工位", TaskID: p.task.ID})
	require.NoError(t, err)
	chief := p.judges[0]
	require.NoError(t, f.svc.SetStationJudges(as(f.admin), scopeOf(f.prov), p.station.ID, append(slices.Clone(p.judges), p.county), &chief))
	var cons []int64
	for _, u := range []org.Unit{f.c1, f.c2} {
		p.nominee[u.ID] = f.members[u.ID][0]
		cons = append(cons, p.nominee[u.ID], p.drawn[u.ID])
	}
	require.NoError(t, f.svc.SetStationContestants(as(f.admin), scopeOf(f.prov), p.station.ID, cons))
	return p
}

// marks splits a judge's total (whole points) into the two criteria.
func (p *practical) marks(total int64) []scoring.MarkInput {
	j := int64(30)
	if total-j > 60 {
		j = 40
	}
	return []scoring.MarkInput{{CriterionID: 1, Points: skillarena.Points((total - j) * 100)}, {CriterionID: 2, Points: skillarena.Points(j * 100)}}
}

// mark has a judge mark a contestant with a total and sign off.
func (p *practical) mark(t *testing.T, judge, contestant, total int64) {
	t.Helper()
	_, err := p.svc.SaveMarks(as(judge), judge, p.stage.ID, contestant, p.marks(total))
	require.NoError(t, err)
	_, err = p.svc.SignOff(as(judge), judge, p.stage.ID, contestant)
	require.NoError(t, err)
}

// A judge cannot mark a contestant of their own unit; they do not even see
// them in their list, and mark the other county's contestants.
func TestPractical_JudgeCannotMarkTheirOwnUnit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		p := newPractical(t, db, clock)
		own, other := p.nominee[p.c1.ID], p.nominee[p.c2.ID]
		_, err := p.svc.SaveMarks(as(p.county), p.county, p.stage.ID, own, p.marks(80))
		assert.Equal(t, skillarena.EFORBIDDEN, skillarena.ErrorCode(err))
		_, err = p.svc.JudgeSheet(as(p.county), p.county, p.stage.ID, own)
		assert.Equal(t, skillarena.EFORBIDDEN, skillarena.ErrorCode(err))
		_, err = p.svc.SaveMarks(as(p.county), p.county, p.stage.ID, other, p.marks(80))
		require.NoError(t, err)

		stations, err := p.svc.Judging(context.Background(), p.county)
		require.NoError(t, err)
		require.Len(t, stations, 1)
		var listed []int64
		for _, c := range stations[0].Contestants {
			listed = append(listed, c.UserID)
		}
		assert.ElementsMatch(t, []int64{p.nominee[p.c2.ID], p.drawn[p.c2.ID]}, listed, "only the other county")
		prov, err := p.svc.Judging(context.Background(), p.judges[1])
		require.NoError(t, err)
		assert.Len(t, prov[0].Contestants, 4, "a province judge marks every county")

		// The county judge is not on county 1's panel: five judges there, six for county 2.
		scores, err := p.svc.PracticalScores(context.Background(), p.stage.ID)
		require.NoError(t, err)
		assert.Len(t, scores[own].Judges, 5)
		assert.Len(t, scores[other].Judges, 6)

		// A judge who does not sit at the station does not find the contestant.
		_, err = p.svc.SaveMarks(as(p.admin), p.admin, p.stage.ID, other, p.marks(80))
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err))
	})
}

// A judge sees other judges' marks of a contestant only after signing off,
// and then only signed-off ones.
func TestPractical_JudgeCannotReadAnotherJudgesMarksBeforeSignOff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		p := newPractical(t, db, clock)
		c := p.nominee[p.c1.ID]
		j1, j2 := p.judges[1], p.judges[2]
		p.mark(t, j1, c, 85)
		_, err := p.svc.SaveMarks(as(j2), j2, p.stage.ID, c, p.marks(80))
		require.NoError(t, err)
		sheet, err := p.svc.JudgeSheet(as(j2), j2, p.stage.ID, c)
		require.NoError(t, err)
		assert.Empty(t, sheet.Others, "not before signing off, although j1 has signed off")
		assert.Equal(t, skillarena.Points(8000), sheet.Total)

		after, err := p.svc.JudgeSheet(as(j1), j1, p.stage.ID, c)
		require.NoError(t, err)
		assert.Empty(t, after.Others, "j2's draft is never shown")

		_, err = p.svc.SignOff(as(j2), j2, p.stage.ID, c)
		require.NoError(t, err)
		after, err = p.svc.JudgeSheet(as(j1), j1, p.stage.ID, c)
		require.NoError(t, err)
		require.Len(t, after.Others, 1)
		assert.Equal(t, j2, after.Others[0].JudgeID)
		assert.Equal(t, skillarena.Points(8000), after.Others[0].Total)

		// The scores other code reads carry no draft either.
		_, err = p.svc.SaveMarks(as(p.judges[3]), p.judges[3], p.stage.ID, c, p.marks(70))
		require.NoError(t, err)
		scores, err := p.svc.PracticalScores(context.Background(), p.stage.ID)
		require.NoError(t, err)
		for _, jt := range scores[c].Judges {
			if jt.JudgeID == p.judges[3] {
				assert.False(t, jt.SignedOff)
				assert.Zero(t, jt.Total)
			}
		}
		live, err := p.svc.SignedOffMarks(context.Background(), p.stage.ID)
		require.NoError(t, err)
		assert.Len(t, live, 4, "two judges' two signed-off criteria, no draft")
		for _, m := range live {
			assert.NotEqual(t, p.judges[3], m.JudgeID)
		}
	})
}

// Signing off needs every criterion and locks the judge's marks.
func TestPractical_JudgeCannotChangeALockedMark(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		p := newPractical(t, db, clock)
		c, j := p.nominee[p.c2.ID], p.judges[1]
		_, err := p.svc.SaveMarks(as(j), j, p.stage.ID, c, p.marks(80)[:1])
		require.NoError(t, err)
		_, err = p.svc.SignOff(as(j), j, p.stage.ID, c)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "a criterion is not marked")

		_, err = p.svc.SaveMarks(as(j), j, p.stage.ID, c, []scoring.MarkInput{{CriterionID: 2, Points: 2500}})
		var e *skillarena.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "practical.points_not_on_scale", e.Fields["marks[0].points"])
		_, err = p.svc.SaveMarks(as(j), j, p.stage.ID, c, []scoring.MarkInput{{CriterionID: 1, Points: 6001}})
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "practical.points_range", e.Fields["marks[0].points"])

		p.mark(t, j, c, 80)
		_, err = p.svc.SaveMarks(as(j), j, p.stage.ID, c, p.marks(90))
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err))
		_, err = p.svc.SignOff(as(j), j, p.stage.ID, c)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "signed off already")
		sheet, err := p.svc.JudgeSheet(as(j), j, p.stage.ID, c)
		require.NoError(t, err)
		assert.Equal(t, skillarena.Points(8000), sheet.Total)
		assert.NotNil(t, sheet.SignedOffAt)
	})
}

// DOMAIN.md's worked example: five judges, the highest and lowest dropped;
// the nominee's 88, 92, 85, 90, 79 publish as 87.67, the drawn one's 91, 93,
// 90, 89, 95 as 91.33, and the team's practical is 89.50. The nominee's
// marks spread 13 points, beyond the default threshold of 10, so the score is
// not complete until the chief judge accepts it.
func TestPractical_TrimmedMeanOfFiveJudges_WorkedExample(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		p := newPractical(t, db, clock)
		nominee, drawn := p.nominee[p.c1.ID], p.drawn[p.c1.ID]
		for i, total := range []int64{88, 92, 85, 90, 79} {
			p.mark(t, p.judges[i], nominee, total)
		}
		for i, total := range []int64{91, 93, 90, 89, 95} {
			p.mark(t, p.judges[i], drawn, total)
		}
		scores, err := p.svc.PracticalScores(context.Background(), p.stage.ID)
		require.NoError(t, err)
		n, d := scores[nominee], scores[drawn]
		assert.Equal(t, big.NewRat(263, 3).String(), n.Exact.String())
		assert.Equal(t, skillarena.Points(8767), n.Points)
		assert.Equal(t, skillarena.Points(9133), d.Points)
		assert.Equal(t, p.c1.ID, n.TeamID)
		assert.True(t, d.Complete)
		assert.True(t, n.Discrepancy)
		assert.False(t, n.Complete)
		team := scoring.TeamPracticalScore([]skillarena.Points{n.Points, d.Points}, scoring.DefaultRules())
		assert.Equal(t, skillarena.Points(8950), scoring.RoundHalfUp(team, 2))

		require.NoError(t, p.svc.Resolve(as(p.judges[0]), org.Scope{}, p.stage.ID, nominee,
			scoring.Resolution{Action: scoring.ResolveAccept, Note: "各评委评分依据充分"}))
		scores, err = p.svc.PracticalScores(context.Background(), p.stage.ID)
		require.NoError(t, err)
		assert.True(t, scores[nominee].Complete)
		assert.Equal(t, skillarena.Points(8767), scores[nominee].Points)
	})
}

// Marks that differ by more than the threshold are flagged for the chief
// judge, who accepts them or sends one judge back to re-mark; other judges
// do not see the list.
func TestPractical_DiscrepancyFlaggedAndResolvedByTheChief(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		p := newPractical(t, db, clock)
		c := p.nominee[p.c1.ID]
		chief := p.judges[0]
		for i, total := range []int64{80, 82, 81, 95, 79} {
			p.mark(t, p.judges[i], c, total)
		}
		_, err := p.svc.Discrepancies(as(p.judges[1]), org.Scope{}, p.stage.ID)
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err), "not the chief")
		ds, err := p.svc.Discrepancies(as(chief), org.Scope{}, p.stage.ID)
		require.NoError(t, err)
		require.Len(t, ds, 1)
		assert.Equal(t, c, ds[0].UserID)
		assert.Equal(t, skillarena.Points(1600), ds[0].Spread)
		assert.Len(t, ds[0].Judges, 5)
		byOrganiser, err := p.svc.Discrepancies(as(p.admin), scopeOf(p.prov), p.stage.ID)
		require.NoError(t, err)
		assert.Len(t, byOrganiser, 1, "the stage organiser sees it too")

		err = p.svc.Resolve(as(chief), org.Scope{}, p.stage.ID, c, scoring.Resolution{Action: scoring.ResolveRemark, JudgeID: p.judges[3]})
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "a reason is required")
		require.NoError(t, p.svc.Resolve(as(chief), org.Scope{}, p.stage.ID, c,
			scoring.Resolution{Action: scoring.ResolveRemark, JudgeID: p.judges[3], Note: "请复核操作规范项"}))
		ds, err = p.svc.Discrepancies(as(chief), org.Scope{}, p.stage.ID)
		require.NoError(t, err)
		assert.Empty(t, ds, "not flagged while the judge re-marks")
		j := p.judges[3]
		_, err = p.svc.SaveMarks(as(j), j, p.stage.ID, c, p.marks(84))
		require.NoError(t, err, "the judge's sheet is open again")
		_, err = p.svc.SignOff(as(j), j, p.stage.ID, c)
		require.NoError(t, err)
		scores, err := p.svc.PracticalScores(context.Background(), p.stage.ID)
		require.NoError(t, err)
		assert.True(t, scores[c].Complete)
		assert.False(t, scores[c].Discrepancy)
		assert.Equal(t, skillarena.Points(8100), scores[c].Points, "(80 + 82 + 81) / 3 after dropping 84 and 79")

		err = p.svc.Resolve(as(chief), org.Scope{}, p.stage.ID, c, scoring.Resolution{Action: scoring.ResolveAccept, Note: "x"})
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "nothing to resolve")
	})
}

// After sign-off only the chief judge corrects a mark, with a reason; every
// change of a mark has an audit entry.
func TestPractical_CorrectionNeedsTheChiefAndAReasonAndEveryMarkChangeIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		p := newPractical(t, db, clock)
		c := p.nominee[p.c2.ID]
		chief, j := p.judges[0], p.judges[1]
		_, err := p.svc.SaveMarks(as(j), j, p.stage.ID, c, p.marks(80))
		require.NoError(t, err)
		sheet, err := p.svc.SaveMarks(as(j), j, p.stage.ID, c, []scoring.MarkInput{{CriterionID: 1, Points: 5100}, {CriterionID: 2, Points: 3000}})
		require.NoError(t, err, "one changed, one the same")
		_, err = p.svc.CorrectMark(as(chief), p.stage.ID, sheet.Marks[0].ID, 5000, "复核")
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "not signed off: the judge's own to change")
		_, err = p.svc.SignOff(as(j), j, p.stage.ID, c)
		require.NoError(t, err)

		_, err = p.svc.CorrectMark(as(j), p.stage.ID, sheet.Marks[0].ID, 5000, "复核")
		assert.Equal(t, skillarena.EFORBIDDEN, skillarena.ErrorCode(err), "a judge who is not the chief")
		_, err = p.svc.CorrectMark(as(p.admin), p.stage.ID, sheet.Marks[0].ID, 5000, "复核")
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err), "not a judge of the stage")
		_, err = p.svc.CorrectMark(as(chief), p.stage.ID, sheet.Marks[0].ID, 5000, " ")
		assert.Equal(t, skillarena.EINVALID, skillarena.ErrorCode(err), "a reason is required")
		m, err := p.svc.CorrectMark(as(chief), p.stage.ID, sheet.Marks[0].ID, 5000, "录入错误，核对原始记录")
		require.NoError(t, err)
		assert.Equal(t, skillarena.Points(5000), m.Points)
		assert.NotNil(t, m.SignedOffAt, "still signed off")

		audit := func(action string) []org.AuditEntry {
			es, _, err := p.org.ListAudit(context.Background(), scopeOf(p.prov), org.AuditFilter{Action: action})
			require.NoError(t, err)
			return es
		}
		marks := audit("practical.mark")
		assert.Len(t, marks, 3, "two marks created, one changed, one unchanged")
		assert.Contains(t, *marks[0].BeforeJSON, `"points":"50.00"`)
		assert.Contains(t, *marks[0].AfterJSON, `"points":"51.00"`)
		assert.Len(t, audit("practical.sign_off"), 1)
		corr := audit("practical.correct")
		require.Len(t, corr, 1)
		assert.Equal(t, "录入错误，核对原始记录", corr[0].Reason)
		assert.Contains(t, *corr[0].BeforeJSON, `"points":"51.00"`)
		assert.Contains(t, *corr[0].AfterJSON, `"points":"50.00"`)
		v, err := p.org.VerifyAudit(context.Background())
		require.NoError(t, err)
		assert.True(t, v.OK, "%+v", v)
	})
}

// Judges come from units on one line with the stage's unit and never do the
// practical themselves; a judge who has marked stays on the panel.
func TestPractical_StationJudgesAreJudgesOfTheStageLine(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		p := newPractical(t, db, clock)
		err := p.svc.SetStationJudges(as(p.admin), scopeOf(p.prov), p.station.ID, []int64{p.judges[0], p.admin}, nil)
		var e *skillarena.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "practical.not_a_judge", e.Fields["judge_ids"], "no judge grant")
		err = p.svc.SetStationJudges(as(p.admin), scopeOf(p.c1), p.station.ID, p.judges, nil)
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err), "a county organiser does not run the stage")
		p.mark(t, p.judges[4], p.nominee[p.c1.ID], 80)
		err = p.svc.SetStationJudges(as(p.admin), scopeOf(p.prov), p.station.ID, p.judges[:4], nil)
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "judges[4] has marked")
		require.NoError(t, p.svc.SetStationJudges(as(p.admin), scopeOf(p.prov), p.station.ID, p.judges, nil))
		_, err = p.svc.Discrepancies(as(p.judges[0]), org.Scope{}, p.stage.ID)
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err), "no chief any more")
		err = p.svc.SetStationContestants(as(p.admin), scopeOf(p.prov), p.station.ID, []int64{p.nominee[p.c2.ID]})
		assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "county 1's nominee has marks")
	})
}

// A sign-off racing with the same judge's saves (a tablet sending twice)
// locks exactly the marks it audited: the total signed off is the total
// that stays.
func TestPractical_SignOffRacingWithSavesLocksWhatItAudits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		p := newPractical(t, db, clock)
		c, j := p.nominee[p.c2.ID], p.judges[1]
		_, err := p.svc.SaveMarks(as(j), j, p.stage.ID, c, p.marks(80))
		require.NoError(t, err)
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := p.svc.SaveMarks(as(j), j, p.stage.ID, c, p.marks(int64(70+i)))
				if err != nil {
					assert.Equal(t, skillarena.ECONFLICT, skillarena.ErrorCode(err), "%v", err)
				}
			}()
			if i == 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := p.svc.SignOff(as(j), j, p.stage.ID, c)
					assert.NoError(t, err)
				}()
			}
		}
		wg.Wait()
		sheet, err := p.svc.JudgeSheet(as(j), j, p.stage.ID, c)
		require.NoError(t, err)
		require.NotNil(t, sheet.SignedOffAt)
		es, _, err := p.org.ListAudit(context.Background(), scopeOf(p.prov), org.AuditFilter{Action: "practical.sign_off"})
		require.NoError(t, err)
		require.Len(t, es, 1)
		assert.Contains(t, *es[0].AfterJSON, fmt.Sprintf(`"total":"%s"`, sheet.Total))
	})
}

// Each station has its own chief judge: setting one station's chief leaves
// the other's, a chief sees and resolves the discrepancies of the
// contestants at their own station only, and corrects marks only there; the
// stage organiser sees every discrepancy, each with its station's rubric.
func TestPractical_EachStationsChiefResolvesTheContestantsAtTheirStation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		p := newPractical(t, db, clock)
		organiser := p.access(t, p.stage, p.prov)
		two, err := p.svc.CreateStation(as(p.admin), organiser, scoring.StationInput{Name: "二号工位", TaskID: p.task.ID})
		require.NoError(t, err)
		chief1, chief2 := p.judges[0], p.judges[1]
		require.NoError(t, p.svc.SetStationJudges(as(p.admin), scopeOf(p.prov), two.ID, p.judges, &chief2))
		c1, c2 := p.nominee[p.c1.ID], p.nominee[p.c2.ID]
		require.NoError(t, p.svc.SetStationContestants(as(p.admin), scopeOf(p.prov), two.ID, []int64{c2}))
		stations, err := p.svc.Stations(context.Background(), organiser)
		require.NoError(t, err)
		chiefs := map[int64][]int64{}
		for _, st := range stations {
			for _, j := range st.Judges {
				if j.Chief {
					chiefs[st.ID] = append(chiefs[st.ID], j.UserID)
				}
			}
		}
		assert.Equal(t, map[int64][]int64{p.station.ID: {chief1}, two.ID: {chief2}}, chiefs, "one chief per station, kept")

		for _, c := range []int64{c1, c2} {
			for i, total := range []int64{80, 82, 81, 95, 79} {
				p.mark(t, p.judges[i], c, total)
			}
		}
		flagged := func(who int64, scope org.Scope) []int64 {
			ds, err := p.svc.Discrepancies(as(who), scope, p.stage.ID)
			require.NoError(t, err)
			var out []int64
			for _, d := range ds {
				out = append(out, d.UserID)
				assert.Len(t, d.Task.Criteria(), 2, "the rubric names the criteria")
			}
			return out
		}
		assert.Equal(t, []int64{c1}, flagged(chief1, org.Scope{}))
		assert.Equal(t, []int64{c2}, flagged(chief2, org.Scope{}))
		assert.ElementsMatch(t, []int64{c1, c2}, flagged(p.admin, scopeOf(p.prov)))

		err = p.svc.Resolve(as(chief1), org.Scope{}, p.stage.ID, c2, scoring.Resolution{Action: scoring.ResolveAccept, Note: "认可"})
		assert.Equal(t, skillarena.ENOTFOUND, skillarena.ErrorCode(err), "another station's contestant")
		sheet, err := p.svc.JudgeSheet(as(chief2), chief2, p.stage.ID, c2)
		require.NoError(t, err)
		_, err = p.svc.CorrectMark(as(chief1), p.stage.ID, sheet.Marks[0].ID, 5000, "复核")
		assert.Equal(t, skillarena.EFORBIDDEN, skillarena.ErrorCode(err), "chief of another station")
		_, err = p.svc.CorrectMark(as(chief2), p.stage.ID, sheet.Marks[0].ID, 5000, "复核")
		require.NoError(t, err)
		require.NoError(t, p.svc.Resolve(as(chief2), org.Scope{}, p.stage.ID, c2, scoring.Resolution{Action: scoring.ResolveAccept, Note: "认可"}))
		results, err := p.svc.PracticalResults(as(chief1), org.Scope{}, p.stage.ID, 0)
		require.NoError(t, err)
		for _, r := range results {
			assert.Equal(t, p.station.ID, r.Station.ID, "a chief reads the results of their own station")
		}
	})
}

// A judge sent back to re-mark reads why on their sheet until they sign off
// again; the other judges' sheets say nothing.
func TestPractical_TheJudgeAskedToReMarkReadsWhyOnTheirSheet(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB, clock *skillarena.FixedClock) {
		p := newPractical(t, db, clock)
		c := p.nominee[p.c1.ID]
		for i, total := range []int64{80, 82, 81, 95, 79} {
			p.mark(t, p.judges[i], c, total)
		}
		j := p.judges[3]
		require.NoError(t, p.svc.Resolve(as(p.judges[0]), org.Scope{}, p.stage.ID, c,
			scoring.Resolution{Action: scoring.ResolveRemark, JudgeID: j, Note: "操作规范项与其他评委相差过大，请复核"}))
		sheet, err := p.svc.JudgeSheet(as(j), j, p.stage.ID, c)
		require.NoError(t, err)
		assert.Equal(t, "操作规范项与其他评委相差过大，请复核", sheet.RemarkReason)
		assert.Nil(t, sheet.SignedOffAt)
		other, err := p.svc.JudgeSheet(as(p.judges[1]), p.judges[1], p.stage.ID, c)
		require.NoError(t, err)
		assert.Empty(t, other.RemarkReason)

		saved, err := p.svc.SaveMarks(as(j), j, p.stage.ID, c, p.marks(84))
		require.NoError(t, err)
		assert.NotEmpty(t, saved.RemarkReason, "still asked while re-marking")
		signed, err := p.svc.SignOff(as(j), j, p.stage.ID, c)
		require.NoError(t, err)
		assert.Empty(t, signed.RemarkReason, "answered by signing off again")
	})
}
